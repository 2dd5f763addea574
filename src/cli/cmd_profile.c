/*
 * cmd_profile.c — `lockstep profile STORE ACCOUNT`: prints the profile
 * signals of one account (creation cohort, name template, clients,
 * activity schedule, languages, retweet share, followers); with --csv
 * OUT, writes the node table of every account instead.
 */
#include "cli.h"
#include "cli_input.h"
#include "../signals/signals.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char help[] =
    "usage: lockstep profile STORE ACCOUNT\n"
    "       lockstep profile STORE --csv OUT\n"
    "\n"
    "Profile signals of an account (by id or @screen_name): creation date\n"
    "and cohort (accounts created within a day of it, and that day's count\n"
    "against the median of the 30 days around it), screen-name template and\n"
    "how many accounts share it, client apps, languages, retweet share,\n"
    "hour-of-week activity and the UTC offset an office schedule implies,\n"
    "follower and following counts.  --csv writes one row per account.\n"
    "\n"
    "options:\n"
    "  --csv OUT    node table of all accounts ('-' = stdout)\n"
    "  -h, --help   this text\n";

static const char *const days[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

static void put_str(FILE *f, ls__str s)
{
    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = (unsigned char)s.p[i];
        fputc(c < 0x20 || c == 0x7f ? '?' : c, f);
    }
}

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

static uint32_t find_account(ls_store *st, const char *s)
{
    uint32_t id = ls__strtab_find(&st->ns[LS_NS_ACCOUNT], ls__str_c(s));
    if (id != LS__NONE || s[0] != '@' || !st->acc_screen) return id;
    ls__str want = ls__str_c(s + 1);
    for (uint32_t a = 0; a < st->ns[LS_NS_ACCOUNT].n; a++)
        if (ls__str_eq(nsget(st, LS_NS_NAME, st->acc_screen[a]), want)) return a;
    return LS__NONE;
}

static void print_profile(const ls_store *st, const ls__profile *p)
{
    printf("account      ");
    put_str(stdout, nsget(st, LS_NS_ACCOUNT, p->account));
    ls__str sn = nsget(st, LS_NS_NAME, st->acc_screen ? st->acc_screen[p->account] : LS__NONE);
    if (sn.n) { printf(" (@"); put_str(stdout, sn); printf(")"); }
    printf("\nposts        %llu (%llu retweets, retweet share %.1f%%)\n",
           (unsigned long long)p->posts, (unsigned long long)p->retweets, 100 * p->retweet_share);
    printf("created      ");
    put_date(stdout, p->created_ms);
    if (p->created_ms != LS__TIME_NONE)
        printf("; cohort %u accounts created within a day; that day %.1fx the background rate",
               p->cohort_size, p->cohort_ratio);
    printf("\nname         ");
    if (p->name_template[0])
        printf("template %s (shape %s), shared by %u account%s", p->name_template, p->name_shape,
               p->template_count, p->template_count == 1 ? "" : "s");
    else printf("unknown");
    printf("\nfollowers    %lld, following %lld\n", (long long)p->followers, (long long)p->following);
    printf("clients     ");
    if (p->top_client[0] == 0xFFFF) printf(" unknown");
    for (int q = 0; q < 3 && p->top_client[q] != 0xFFFF; q++) {
        printf(" ");
        put_str(stdout, nsget(st, LS_NS_CLIENT, p->top_client[q]));
        printf(" (%llu)", (unsigned long long)p->top_client_n[q]);
    }
    printf("\nlanguages   ");
    if (p->top_lang[0] == 0xFFFF) printf(" unknown");
    for (int q = 0; q < 3 && p->top_lang[q] != 0xFFFF; q++) {
        printf(" ");
        put_str(stdout, nsget(st, LS_NS_LANG, p->top_lang[q]));
        printf(" (%llu)", (unsigned long long)p->top_lang_n[q]);
    }
    printf("\nschedule     office-hours fit %.0f%% at UTC%+d (weekdays 09-18 local)\n",
           100 * p->office_score, p->utc_offset);
    printf("hour of week (UTC)\n       ");
    for (int h = 0; h < 24; h++) printf("%3d", h);
    printf("\n");
    for (int d = 0; d < 7; d++) {
        printf("  %s  ", days[d]);
        for (int h = 0; h < 24; h++) printf("%3u", p->hours[d * 24 + h]);
        printf("\n");
    }
}

int cmd_profile(int argc, char **argv)
{
    const char *pos[2], *csv = NULL;
    int npos = 0, rc = LS_OK;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) { fputs(help, stdout); return LS_EXIT_OK; }
        if (strcmp(a, "--csv") == 0) {
            if (i + 1 >= argc) return cli_usage("profile", "--csv needs a file");
            csv = argv[++i];
        } else if (a[0] == '-' && a[1] && npos == 0) {
            return cli_usage("profile", "unknown option '%s'", a);
        } else {
            if (npos == 2) return cli_usage("profile", "too many arguments");
            pos[npos++] = a;
        }
    }
    if (npos < 1 || (!csv && npos != 2)) return cli_usage("profile", "needs STORE ACCOUNT (or STORE --csv OUT)");
    ls_ctx *ctx = NULL;
    ls_store *st = NULL;
    ls__profiles P = { 0 };
    if (ls_ctx_new(&ctx)) { fprintf(stderr, "lockstep profile: out of memory\n"); return LS_EXIT_NOMEM; }
    if ((rc = cli_open_input(ctx, pos, 1, &st)) != LS_OK) goto done;
    uint32_t a = LS__NONE;
    if (npos == 2) {
        a = find_account(st, pos[1]);
        if (a == LS__NONE) { rc = ls__fail(ctx, LS_ERR_NOTFOUND, "account '%s' is not in the store", pos[1]); goto done; }
    }
    if ((rc = ls__profiles_compute(ctx, st, &P)) != LS_OK) goto done;
    if (csv) rc = ls__profiles_write_csv(ctx, st, &P, NULL, csv);
    else print_profile(st, &P.p[a]);
done:
    if (rc != LS_OK) rc = cli_fail("profile", ctx, rc);
    ls__profiles_free(&P);
    ls_store_close(st);
    ls_ctx_free(ctx);
    return rc;
}
