/*
 * cmd_export.c — `lockstep export takedown|archive|graphs RUN_DIR`: the
 * deliverables of a detect run other than the report.  Option parsing
 * only; the work is ls_export_takedown / ls_export_archive /
 * ls_export_graphs.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: lockstep export takedown RUN_DIR [-o FILE]\n"
    "       lockstep export archive RUN_DIR --key-file K [--store PATH] -o DIR\n"
    "       lockstep export graphs RUN_DIR [--store PATH] -o DIR\n"
    "\n"
    "takedown  CSV of the accounts to act on: network, userid, screen_name,\n"
    "          role, score, evidence (default RUN_DIR/takedown.csv)\n"
    "archive   a transparency release in the Twitter IO-archive format\n"
    "          (DIR/tweets.csv, DIR/users.csv) of the networks' accounts.\n"
    "          Ids and names of accounts under 5,000 followers become\n"
    "          HMAC-SHA-256 pseudonyms under the key in K (16-256 bytes,\n"
    "          e.g. 'head -c 32 /dev/urandom > K'; keep it out of the\n"
    "          release): same key, same pseudonyms; another key, unlinkable\n"
    "          ones.  Reads back with 'lockstep ingest --format io'.\n"
    "graphs    DIR/network_ID.gexf and .graphml per network, nodes with\n"
    "          role, score, creation cohort and name template (Gephi)\n"
    "\n"
    "options:\n"
    "  -o, --output PATH    output file (takedown) or folder (archive, graphs);\n"
    "                       for archive, a path ending in .zip gives one zip\n"
    "  --store PATH         the event store (default: the one the run names)\n"
    "  --key-file K         the pseudonym key (archive)\n"
    "  -h, --help           this text\n"
    "\n"
    "Every file is written atomically; manifest.json (SHA-256 of each file)\n"
    "is written last.\n"
    "exit codes: 0 ok, 1 bad input, 2 usage, 3 I/O, 4 out of memory\n";

int cmd_export(int argc, char **argv)
{
    const char *what = NULL, *run_dir = NULL, *out = NULL, *store = NULL, *key = NULL;
    ls_ctx *ctx = NULL;
    int rc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) { fputs(help, stdout); return LS_EXIT_OK; }
        if (a[0] != '-') {
            if (!what) what = a;
            else if (!run_dir) run_dir = a;
            else return cli_usage("export", "unexpected argument '%s'", a);
        } else if (strcmp(a, "-o") == 0 || cli_is_opt(a, "--output")) {
            out = strcmp(a, "-o") == 0 ? (i + 1 < argc ? argv[++i] : NULL) : cli_opt_value(argc, argv, &i, "--output");
            if (!out) return cli_usage("export", "%s needs a value", a);
        } else if (cli_is_opt(a, "--store")) {
            if (!(store = cli_opt_value(argc, argv, &i, "--store"))) return cli_usage("export", "--store needs a value");
        } else if (cli_is_opt(a, "--key-file")) {
            if (!(key = cli_opt_value(argc, argv, &i, "--key-file"))) return cli_usage("export", "--key-file needs a value");
        } else {
            return cli_usage("export", "unknown option '%s'", a);
        }
    }
    if (!what) return cli_usage("export", "say what to export: takedown, archive or graphs");
    if (strcmp(what, "takedown") && strcmp(what, "archive") && strcmp(what, "graphs"))
        return cli_usage("export", "unknown export '%s' (takedown, archive or graphs)", what);
    if (!run_dir) return cli_usage("export", "RUN_DIR is missing");
    if (strcmp(what, "archive") == 0 && !key)
        return cli_usage("export", "archive needs --key-file (the pseudonym key)");
    if (strcmp(what, "takedown") != 0 && !out)
        return cli_usage("export", "%s needs -o DIR", what);
    if ((rc = ls_ctx_new(&ctx)) != LS_OK) return cli_fail("export", NULL, rc);
    if (strcmp(what, "takedown") == 0) rc = ls_export_takedown(ctx, run_dir, out);
    else if (strcmp(what, "archive") == 0) rc = ls_export_archive(ctx, run_dir, store, key, out);
    else rc = ls_export_graphs(ctx, run_dir, store, out);
    if (rc != LS_OK) rc = cli_fail("export", ctx, rc);
    ls_ctx_free(ctx);
    return rc;
}
