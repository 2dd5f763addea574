/*
 * profile_csv.c — the node table: one CSV row of profile signals per
 * account (all accounts, or those flagged in keep), written atomically.
 * Ids and names are quoted when they hold commas, quotes or newlines.
 */
#include "signals.h"
#include <time.h>

static ls__str nsget(const ls_store *st, int ns, uint32_t id)
{
    if (id == LS__NONE || id >= st->ns[ns].n) return LS__S("");
    return ls__strtab_get(&st->ns[ns], id);
}

static void put_date(FILE *f, int64_t ms)
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    char buf[32];
    gmtime_r(&s, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    fputs(buf, f);
}

static void csv_field(FILE *f, ls__str s)
{
    int q = 0;
    for (size_t i = 0; i < s.n && !q; i++) q = s.p[i] == ',' || s.p[i] == '"' || s.p[i] == '\n' || s.p[i] == '\r';
    if (!q) { fwrite(s.p, 1, s.n, f); return; }
    fputc('"', f);
    for (size_t i = 0; i < s.n; i++) { if (s.p[i] == '"') fputc('"', f); fputc(s.p[i], f); }
    fputc('"', f);
}

int ls__profiles_write_csv(ls_ctx *ctx, const ls_store *st, const ls__profiles *P,
                           const uint8_t *keep, const char *path)
{
    ls__afile af;
    memset(&af, 0, sizeof af);
    FILE *f = stdout;
    int rc = LS_OK;
    if (strcmp(path, "-") != 0) {
        if ((rc = ls__afile_open(ctx, &af, path)) != LS_OK) return rc;
        f = af.f;
    }
    fputs("account,screen_name,posts,retweet_share,created,cohort_size,cohort_ratio,"
          "name_template,template_count,utc_offset,office_score,top_client,top_lang,"
          "followers,following\n", f);
    for (size_t a = 0; a < P->n; a++) {
        const ls__profile *p = &P->p[a];
        if (keep && !keep[a]) continue;
        csv_field(f, nsget(st, LS_NS_ACCOUNT, (uint32_t)a));
        fputc(',', f);
        csv_field(f, nsget(st, LS_NS_NAME, st->acc_screen ? st->acc_screen[a] : LS__NONE));
        fprintf(f, ",%llu,%.4f,", (unsigned long long)p->posts, p->retweet_share);
        if (p->created_ms != LS__TIME_NONE) put_date(f, p->created_ms);
        fprintf(f, ",%u,%.3g,%s,%u,%d,%.4f,", p->cohort_size, p->cohort_ratio,
                p->name_template, p->template_count, p->utc_offset, p->office_score);
        csv_field(f, nsget(st, LS_NS_CLIENT, p->top_client[0] == 0xFFFF ? LS__NONE : p->top_client[0]));
        fputc(',', f);
        csv_field(f, nsget(st, LS_NS_LANG, p->top_lang[0] == 0xFFFF ? LS__NONE : p->top_lang[0]));
        fprintf(f, ",%lld,%lld\n", (long long)p->followers, (long long)p->following);
    }
    if (f != stdout) rc = ls__afile_commit(ctx, &af);
    else if (fflush(stdout)) rc = ls__fail(ctx, LS_ERR_IO, "stdout: write failed");
    ls__afile_abort(&af);
    return rc;
}

