/*
 * cmd_profile.c — `lockstep profile STORE ACCOUNT` (or `--csv OUT` for the
 * node table of every account).  Option parsing only; ls_profile and
 * ls_profile_table (src/signals/inspect.c) do the work.
 */
#include "cli.h"
#include <stdlib.h>
#include <string.h>

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
    if (ls_ctx_new(&ctx)) { fprintf(stderr, "lockstep profile: out of memory\n"); return LS_EXIT_NOMEM; }
    if ((rc = ls_open_inputs(ctx, pos, 1, &st)) == LS_OK) {
        if (csv) rc = ls_profile_table(ctx, st, csv);
        else rc = ls_profile(ctx, st, pos[1], stdout);
    }
    if (rc != LS_OK) rc = cli_fail("profile", ctx, rc);
    ls_store_close(st);
    ls_ctx_free(ctx);
    return rc;
}
