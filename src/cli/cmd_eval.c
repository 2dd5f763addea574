/*
 * cmd_eval.c — `lockstep eval --truth DIR/truth.csv RUN_DIR [--json]`:
 * scores a detection run against the simulator's ground truth.  The work
 * is in src/sim/eval.c.
 */
#include "cli.h"

#include <string.h>

static const char help[] =
    "usage: lockstep eval --truth DIR/truth.csv RUN_DIR [--json]\n"
    "\n"
    "Scores RUN_DIR/accounts.csv (userid,screen_name,network,role,score,evidence)\n"
    "against the truth written by 'lockstep simulate': precision, recall and F1\n"
    "for operation accounts, false positives in each look-alike group, role\n"
    "accuracy (core vs amplifier) among true positives, the adjusted Rand index\n"
    "of detected vs true networks (over operation and detected accounts),\n"
    "recall per operation, and, when RUN_DIR/networks.json has \"linked\"\n"
    "entries, whether each operation was linked to its archived predecessor\n"
    "(truth_links.csv next to truth.csv).\n"
    "\n"
    "options:\n"
    "  --truth FILE  the truth.csv of the simulated data\n"
    "  --json        one JSON object\n"
    "  -h, --help    this text\n";

int cmd_eval(int argc, char **argv)
{
    const char *truth = NULL, *run = NULL;
    int json = 0, rc = LS_EXIT_OK;
    ls_ctx *ctx = NULL;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) { fputs(help, stdout); return LS_EXIT_OK; }
        if (strcmp(argv[i], "--json") == 0) json = 1;
        else if (strcmp(argv[i], "--truth") == 0) {
            if (i + 1 >= argc) return cli_usage("eval", "--truth needs a file");
            truth = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) return cli_usage("eval", "unknown option '%s'", argv[i]);
        else if (run) return cli_usage("eval", "one run directory at a time ('%s' and '%s')", run, argv[i]);
        else run = argv[i];
    }
    if (!truth) return cli_usage("eval", "no truth file (--truth DIR/truth.csv)");
    if (!run) return cli_usage("eval", "no run directory given");
    if (ls_ctx_new(&ctx)) { fprintf(stderr, "lockstep eval: out of memory\n"); return LS_EXIT_NOMEM; }
    int st = ls_eval(ctx, truth, run, stdout, json);
    if (st) rc = cli_fail("eval", ctx, st);
    ls_ctx_free(ctx);
    return rc;
}
