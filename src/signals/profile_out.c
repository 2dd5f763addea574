/*
 * profile_out.c — profile signals for people: the node table (one CSV row
 * per account, all accounts or those flagged in keep, written atomically;
 * ids and names quoted when they hold commas, quotes or newlines) and the
 * one-account view of `lockstep profile` (control characters of hostile
 * ids, names and clients printed as '?').
 */
#include "lookup.h"
#include <time.h>

static const char *const days[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

static ls__str nsget(const ls_store *st, int ns, uint32_t id)
{
    if (id == LS__NONE || id >= st->ns[ns].n) return LS__S("");
    return ls__strtab_get(&st->ns[ns], id);
}

static void put_date(FILE *f, int64_t ms)
{
    if (ms == LS__TIME_NONE) { fputs("unknown", f); return; }
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

/* Terminal safety for the one-account view. */
static void put_str(FILE *f, ls__str s)
{
    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = (unsigned char)s.p[i];
        fputc(c < 0x20 || c == 0x7f ? '?' : c, f);
    }
}

/* Up to three names of namespace ns with their counts, or "unknown". */
static void put_top3(FILE *f, const ls_store *st, int ns, const uint16_t id[3], const uint64_t n[3])
{
    if (id[0] == 0xFFFF) fprintf(f, " unknown");
    for (int q = 0; q < 3 && id[q] != 0xFFFF; q++) {
        fprintf(f, " ");
        put_str(f, nsget(st, ns, id[q]));
        fprintf(f, " (%llu)", (unsigned long long)n[q]);
    }
}

static void print_profile(FILE *f, const ls_store *st, const ls__profile *p)
{
    fprintf(f, "account      ");
    put_str(f, nsget(st, LS_NS_ACCOUNT, p->account));
    ls__str sn = nsget(st, LS_NS_NAME, st->acc_screen ? st->acc_screen[p->account] : LS__NONE);
    if (sn.n) { fprintf(f, " (@"); put_str(f, sn); fprintf(f, ")"); }
    fprintf(f, "\nposts        %llu (%llu retweets, retweet share %.1f%%)\n",
           (unsigned long long)p->posts, (unsigned long long)p->retweets, 100 * p->retweet_share);
    fprintf(f, "created      ");
    put_date(f, p->created_ms);
    if (p->created_ms != LS__TIME_NONE)
        fprintf(f, "; cohort %u accounts created within a day; that day %.1fx the background rate",
               p->cohort_size, p->cohort_ratio);
    fprintf(f, "\nname         ");
    if (p->name_template[0])
        fprintf(f, "template %s (shape %s), shared by %u account%s", p->name_template, p->name_shape,
               p->template_count, p->template_count == 1 ? "" : "s");
    else fprintf(f, "unknown");
    fprintf(f, "\nfollowers    %lld, following %lld\n", (long long)p->followers, (long long)p->following);
    fprintf(f, "clients     ");
    put_top3(f, st, LS_NS_CLIENT, p->top_client, p->top_client_n);
    fprintf(f, "\nlanguages   ");
    put_top3(f, st, LS_NS_LANG, p->top_lang, p->top_lang_n);
    fprintf(f, "\nschedule     office-hours fit %.0f%% at UTC%+d (weekdays 09-18 local)\n",
           100 * p->office_score, p->utc_offset);
    fprintf(f, "hour of week (UTC)\n       ");
    for (int h = 0; h < 24; h++) fprintf(f, "%3d", h);
    fprintf(f, "\n");
    for (int d = 0; d < 7; d++) {
        fprintf(f, "  %s  ", days[d]);
        for (int h = 0; h < 24; h++) fprintf(f, "%3u", p->hours[d * 24 + h]);
        fprintf(f, "\n");
    }
}

int ls_profile(ls_ctx *ctx, ls_store *st, const char *account, FILE *f)
{
    ls__profiles P = { 0 };
    uint32_t a;
    int rc = ls__find_account(ctx, st, account, &a);
    if (rc == LS_OK) rc = ls__profiles_compute(ctx, st, &P);
    if (rc == LS_OK) print_profile(f, st, &P.p[a]);
    ls__profiles_free(&P);
    return rc;
}

int ls_profile_table(ls_ctx *ctx, const ls_store *st, const char *path)
{
    ls__profiles P = { 0 };
    int rc = ls__profiles_compute(ctx, st, &P);
    if (rc == LS_OK) rc = ls__profiles_write_csv(ctx, st, &P, NULL, path);
    ls__profiles_free(&P);
    return rc;
}
