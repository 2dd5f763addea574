/*
 * cmd_network.c — `lockstep network TYPE ... STORE -o OUT`: option parsing
 * only; the layers are built and written by ls_network (src/graph/netrun.c).
 */
#include "cli.h"
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: lockstep network TYPE [options] STORE|FILE... -o OUT\n"
    "\n"
    "Builds the co-action network TYPE: co_retweet, co_quote, co_reply,\n"
    "co_tweet, co_similar_tweet, co_link, co_domain, co_hashtag, co_mention,\n"
    "co_image, co_post; several joined by commas; or 'all' (every layer but\n"
    "co_post).  Two accounts co-act when both act on the same object within\n"
    "the window.  Definitions: docs/networks.md.\n"
    "\n"
    "options:\n"
    "  --window S            window in seconds (default 60; decimals allowed)\n"
    "  --min-weight N        keep edges with at least N co-actions (default 1)\n"
    "  --format F            csv (default), graphml or gexf\n"
    "  --compat qut          the QUT toolkit's definitions: directed u1->u2,\n"
    "                        weight = posts of u1 matched by u2, no cap\n"
    "  --include-self-loops  write u->u edges (with --compat qut)\n"
    "  --threshold J         co_similar_tweet Jaccard threshold (default 0.6 on\n"
    "                        character 4-grams, 0.8 on words with --compat qut)\n"
    "  --cap K               accounts sampled per object (default 1000, 0 = none)\n"
    "  --threads N           worker threads (default: all cores)\n"
    "  --memory BYTES        memory budget, e.g. 2G; beyond it pair runs spill\n"
    "  --tmpdir DIR          spill folder (default $TMPDIR or /tmp)\n"
    "  -o, --output OUT      output file ('-' = stdout)\n"
    "  --nodes FILE          also write the node table (profile signals of\n"
    "                        every account in the graph) as CSV\n"
    "  -q, --quiet           no run summary on stderr\n"
    "  -h, --help            this text\n";

#define MAXIN 256

int cmd_network(int argc, char **argv)
{
    const char *out = NULL, *inputs[MAXIN], *tmpdir = NULL;
    size_t n_in = 0;
    int quiet = 0, rc = LS_OK, have_type = 0;
    unsigned long long threads = 0, memory = 0, u;
    double d;
    ls_network_opts o;
    ls_network_opts_default(&o);

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (cli_is_help(a)) { fputs(help, stdout); return LS_EXIT_OK; }
        if (strcmp(a, "--window") == 0) {
            if (cli_parse_double(v, &d) || !(d >= 0) || d > 1e9) return cli_usage("network", "--window needs seconds >= 0");
            o.window_s = d; i++;
        } else if (strcmp(a, "--min-weight") == 0) {
            if (cli_parse_double(v, &d) || d < 0) return cli_usage("network", "--min-weight needs a number >= 0");
            o.min_weight = d; i++;
        } else if (strcmp(a, "--format") == 0) {
            if (!v || (strcmp(v, "csv") && strcmp(v, "graphml") && strcmp(v, "gexf")))
                return cli_usage("network", "--format is csv, graphml or gexf");
            o.format = v; i++;
        } else if (strcmp(a, "--compat") == 0) {
            if (!v || strcmp(v, "qut") != 0) return cli_usage("network", "--compat knows only 'qut'");
            o.compat_qut = 1; i++;
        } else if (strcmp(a, "--include-self-loops") == 0) {
            o.self_loops = 1;
        } else if (strcmp(a, "--threshold") == 0) {
            if (cli_parse_double(v, &d) || d <= 0 || d > 1) return cli_usage("network", "--threshold is in (0, 1]");
            o.threshold = d; i++;
        } else if (strcmp(a, "--cap") == 0) {
            if (cli_parse_u64(v, &u) || u > 1000000000ULL) return cli_usage("network", "--cap needs a count");
            o.cap = (int64_t)u; i++;
        } else if (strcmp(a, "--threads") == 0) {
            if (cli_parse_u64(v, &threads) || threads > 1024) return cli_usage("network", "--threads needs a count");
            i++;
        } else if (strcmp(a, "--memory") == 0) {
            if (cli_parse_bytes(v, &memory)) return cli_usage("network", "--memory needs bytes (e.g. 512M, 2G)");
            i++;
        } else if (strcmp(a, "--tmpdir") == 0) {
            if (!v) return cli_usage("network", "--tmpdir needs a folder");
            tmpdir = v; i++;
        } else if (strcmp(a, "--nodes") == 0) {
            if (!v) return cli_usage("network", "--nodes needs a file");
            o.nodes = v; i++;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (!v) return cli_usage("network", "%s needs a file", a);
            out = v; i++;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage("network", "unknown option '%s'", a);
        } else if (!have_type) {
            o.types = a; have_type = 1;
        } else {
            if (n_in == MAXIN) return cli_usage("network", "too many inputs");
            inputs[n_in++] = a;
        }
    }
    if (!have_type) return cli_usage("network", "no network TYPE given");
    if (n_in == 0) return cli_usage("network", "no STORE given");
    if (!out) return cli_usage("network", "no output given (-o OUT)");
    if (o.self_loops && !o.compat_qut) return cli_usage("network", "--include-self-loops needs --compat qut");

    ls_ctx *ctx = NULL;
    ls_store *st = NULL;
    if (ls_ctx_new(&ctx)) { fprintf(stderr, "lockstep network: out of memory\n"); return LS_EXIT_NOMEM; }
    ls_ctx_set_threads(ctx, (int)threads);
    ls_ctx_set_memory(ctx, memory);
    if (tmpdir) ls_ctx_set_tmpdir(ctx, tmpdir);
    if ((rc = ls_network_open(ctx, &o, inputs, n_in, &st)) == LS_OK)
        rc = ls_network(ctx, st, &o, out, quiet ? NULL : stderr);
    if (rc != LS_OK) rc = cli_fail("network", ctx, rc);
    ls_store_close(st);
    ls_ctx_free(ctx);
    return rc;
}
