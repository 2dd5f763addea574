/*
 * cmd_assess.c — `lockstep assess RUN_DIR STORE|FILE...`: narratives,
 * traction and (with --db) links to archived takedowns for the networks of
 * a finished detect run.  Option parsing only; the work is ls_assess().
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: lockstep assess RUN_DIR STORE|FILE... [--db PATH]\n"
    "\n"
    "For every network in RUN_DIR/accounts.csv (a detect run): what it says\n"
    "(top hashtags, domains, languages, distinctive terms, narrative groups\n"
    "with examples and posts per day), how far it got (followers, engagement\n"
    "from inside and outside, Breakout Scale estimate) and, with --db, how it\n"
    "scores against every archived takedown.  The result is added to each\n"
    "network in RUN_DIR/networks.json, or written to RUN_DIR/assessment.json\n"
    "when there is no networks.json.  'lockstep detect' does this itself.\n"
    "\n"
    "options:\n"
    "  --db PATH     case database with archives; the run is recorded in it\n"
    "  --wait MS     how long to wait for another writer (default 5000)\n"
    "  --quiet       no summary\n"
    "  -h, --help    this text\n"
    "\n"
    "exit codes: 0 ok, 1 bad input, 2 usage, 3 I/O or database locked\n";

int cmd_assess(int argc, char **argv)
{
    const char *db_path = NULL, *run_dir = NULL, **in = NULL;
    size_t n_in = 0;
    int quiet = 0, rc = LS_EXIT_OK, st;
    unsigned long long wait = 0;
    ls_ctx *ctx = NULL;
    ls_casedb *db = NULL;
    ls_store *store = NULL;

    in = calloc((size_t)argc + 1, sizeof *in);
    if (!in) { fprintf(stderr, "lockstep assess: out of memory\n"); return LS_EXIT_NOMEM; }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (a[0] != '-' || strcmp(a, "-") == 0) { if (!run_dir) run_dir = a; else in[n_in++] = a; continue; }
        if (cli_is_help(a)) { fputs(help, stdout); goto done; }
        if (cli_is_opt(a, "--db")) {
            if (!(v = cli_opt_value(argc, argv, &i, "--db"))) { rc = cli_usage("assess", "--db needs a value"); goto done; }
            db_path = v;
        } else if (cli_is_opt(a, "--wait")) {
            if (!(v = cli_opt_value(argc, argv, &i, "--wait")) || cli_parse_u64(v, &wait) || wait > 3600000) {
                rc = cli_usage("assess", "bad --wait"); goto done;
            }
        } else if (strcmp(a, "--quiet") == 0) quiet = 1;
        else { rc = cli_usage("assess", "unknown option '%s'", a); goto done; }
    }
    if (!run_dir || n_in == 0) { rc = cli_usage("assess", "needs RUN_DIR and STORE (or input files)"); goto done; }
    if ((st = ls_ctx_new(&ctx)) != LS_OK) { rc = cli_fail("assess", NULL, st); goto done; }
    if (db_path && (st = ls_casedb_open(ctx, db_path, 0, (int)wait, &db)) != LS_OK) { rc = cli_fail("assess", ctx, st); goto done; }
    if ((st = ls_open_inputs(ctx, in, n_in, &store)) != LS_OK) { rc = cli_fail("assess", ctx, st); goto done; }
    if ((st = ls_assess(ctx, store, db, run_dir, quiet ? NULL : stdout)) != LS_OK) rc = cli_fail("assess", ctx, st);
done:
    ls_store_close(store);
    ls_casedb_close(db);
    ls_ctx_free(ctx);
    free(in);
    return rc;
}
