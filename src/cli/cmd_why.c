/*
 * cmd_why.c — `lockstep why STORE ACCOUNT_A ACCOUNT_B`: the evidence behind
 * an edge.  Option parsing only; ls_why (src/signals/inspect.c) prints it.
 */
#include "cli.h"
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: lockstep why STORE ACCOUNT_A ACCOUNT_B [options]\n"
    "\n"
    "Shows why two accounts are linked: for each co-action layer, the\n"
    "objects (retweeted posts, texts, links, hashtags, ...) both acted on\n"
    "within the window, with the posts and UTC times.  Accounts are given\n"
    "by id, or by @screen_name.\n"
    "\n"
    "options:\n"
    "  --window S      window in seconds (default 60)\n"
    "  --layer TYPE    one layer or a comma list (default: all layers)\n"
    "  --compat qut    QUT text keys and similarity\n"
    "  --max N         evidence lines per layer (default 10)\n"
    "  -h, --help      this text\n";

int cmd_why(int argc, char **argv)
{
    const char *pos[3];
    int npos = 0, rc = LS_OK;
    unsigned long long max = 10;
    double d;
    ls_why_opts o;
    ls_why_opts_default(&o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (cli_is_help(a)) { fputs(help, stdout); return LS_EXIT_OK; }
        if (strcmp(a, "--window") == 0) {
            if (cli_parse_double(v, &d) || !(d >= 0) || d > 1e9) return cli_usage("why", "--window needs seconds >= 0");
            o.window_s = d; i++;
        } else if (strcmp(a, "--layer") == 0) {
            if (!v) return cli_usage("why", "--layer needs a type");
            o.layers = v; i++;
        } else if (strcmp(a, "--compat") == 0) {
            if (!v || strcmp(v, "qut") != 0) return cli_usage("why", "--compat knows only 'qut'");
            o.compat_qut = 1; i++;
        } else if (strcmp(a, "--max") == 0) {
            if (cli_parse_u64(v, &max) || max > 100000) return cli_usage("why", "--max needs a count");
            o.max = (size_t)max; i++;
        } else if (a[0] == '-' && a[1] && npos != 1 && npos != 2) {
            return cli_usage("why", "unknown option '%s'", a);
        } else {
            if (npos == 3) return cli_usage("why", "too many arguments");
            pos[npos++] = a;
        }
    }
    if (npos != 3) return cli_usage("why", "needs STORE ACCOUNT_A ACCOUNT_B");
    ls_ctx *ctx = NULL;
    ls_store *st = NULL;
    if (ls_ctx_new(&ctx)) { fprintf(stderr, "lockstep why: out of memory\n"); return LS_EXIT_NOMEM; }
    if ((rc = ls_open_inputs(ctx, pos, 1, &st)) == LS_OK) rc = ls_why(ctx, st, pos[1], pos[2], &o, stdout);
    if (rc != LS_OK) rc = cli_fail("why", ctx, rc);
    ls_store_close(st);
    ls_ctx_free(ctx);
    return rc;
}
