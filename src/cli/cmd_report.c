/*
 * cmd_report.c — `lockstep report RUN_DIR`: writes the self-contained HTML
 * report of a detect run.  Option parsing only; the work is ls_report().
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: lockstep report [OPTIONS] RUN_DIR\n"
    "\n"
    "Writes RUN_DIR/report.html: one self-contained page (no external\n"
    "requests, printable) with an overview of the networks found and, per\n"
    "network, its evidence, charts (posts per day, hour of week in UTC and\n"
    "in the inferred time zone, account creation, followers), a picture of\n"
    "the network, top hashtags, terms and domains, example posts and the\n"
    "accounts with their evidence.  All text from the data is escaped and\n"
    "the page's Content-Security-Policy blocks any script but its own.\n"
    "\n"
    "options:\n"
    "  --store PATH         the event store (default: the one the run names)\n"
    "  -o, --output FILE    where to write (default RUN_DIR/report.html)\n"
    "  --max-accounts N     rows in each accounts table (default 250)\n"
    "  --max-nodes N        accounts in each network picture (default 300)\n"
    "  -h, --help           this text\n"
    "\n"
    "manifest.json next to the report lists its SHA-256.\n"
    "exit codes: 0 ok, 1 bad input, 2 usage, 3 I/O, 4 out of memory\n";

int cmd_report(int argc, char **argv)
{
    ls_report_opts o = { 0 };
    const char *run_dir = NULL;
    unsigned long long v;
    ls_ctx *ctx = NULL;
    int rc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) { fputs(help, stdout); return LS_EXIT_OK; }
        if (a[0] != '-') {
            if (run_dir) return cli_usage("report", "one RUN_DIR only (got '%s' and '%s')", run_dir, a);
            run_dir = a;
        } else if (strcmp(a, "-o") == 0 || cli_is_opt(a, "--output")) {
            o.out = strcmp(a, "-o") == 0 ? (i + 1 < argc ? argv[++i] : NULL) : cli_opt_value(argc, argv, &i, "--output");
            if (!o.out) return cli_usage("report", "%s needs a value", a);
        } else if (cli_is_opt(a, "--store")) {
            if (!(o.store = cli_opt_value(argc, argv, &i, "--store"))) return cli_usage("report", "--store needs a value");
        } else if (cli_is_opt(a, "--max-accounts")) {
            if (cli_parse_u64(cli_opt_value(argc, argv, &i, "--max-accounts"), &v) || v == 0)
                return cli_usage("report", "--max-accounts needs a positive number");
            o.max_accounts = (size_t)v;
        } else if (cli_is_opt(a, "--max-nodes")) {
            if (cli_parse_u64(cli_opt_value(argc, argv, &i, "--max-nodes"), &v) || v == 0)
                return cli_usage("report", "--max-nodes needs a positive number");
            o.max_nodes = (size_t)v;
        } else {
            return cli_usage("report", "unknown option '%s'", a);
        }
    }
    if (!run_dir) return cli_usage("report", "RUN_DIR is missing");
    if ((rc = ls_ctx_new(&ctx)) != LS_OK) return cli_fail("report", NULL, rc);
    rc = ls_report(ctx, run_dir, &o);
    if (rc != LS_OK) { rc = cli_fail("report", ctx, rc); ls_ctx_free(ctx); return rc; }
    if (o.out) printf("%s\n", o.out);
    else printf("%s/report.html\n", run_dir);
    ls_ctx_free(ctx);
    return LS_EXIT_OK;
}
