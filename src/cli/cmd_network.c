/*
 * cmd_network.c — `lockstep network TYPE ... STORE -o OUT`: builds one or
 * more co-action layers and writes the coordination graph as CSV, GraphML
 * or GEXF.  Option parsing and the run summary only; the work is in
 * src/signals (ls__coaction) and src/graph.
 */
#include "cli.h"
#include "cli_input.h"
#include "../graph/graph.h"
#include <math.h>
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

static int parse_types(const char *s, int *layers, int *n)
{
    *n = 0;
    if (strcmp(s, "all") == 0) {
        for (int l = 0; l < LS_L_COUNT; l++) if (l != LS_L_POST) layers[(*n)++] = l;
        return 0;
    }
    char buf[512];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *t = strtok(buf, ","); t; t = strtok(NULL, ",")) {
        int l = ls__layer_parse(t);
        if (l < 0) return -1;
        int dup = 0;
        for (int k = 0; k < *n; k++) dup |= layers[k] == l;
        if (!dup) layers[(*n)++] = l;
    }
    return *n ? 0 : -1;
}

int cmd_network(int argc, char **argv)
{
    const char *type = NULL, *out = NULL, *inputs[MAXIN];
    size_t n_in = 0;
    int layers[LS_L_COUNT], n_layers = 0, fmt = LS_FMT_CSV, quiet = 0, rc = LS_OK;
    unsigned long long threads = 0, memory = 0, u;
    double d;
    ls__co_opts o;
    ls__co_opts_default(&o);
    const char *tmpdir = NULL, *nodes = NULL;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (cli_is_help(a)) { fputs(help, stdout); return LS_EXIT_OK; }
        if (strcmp(a, "--window") == 0) {
            if (cli_parse_double(v, &d) || !(d >= 0) || d > 1e9) return cli_usage("network", "--window needs seconds >= 0");
            o.window_ms = llround(d * 1000.0); i++;
        } else if (strcmp(a, "--min-weight") == 0) {
            if (cli_parse_double(v, &d) || d < 0) return cli_usage("network", "--min-weight needs a number >= 0");
            o.min_weight = d; i++;
        } else if (strcmp(a, "--format") == 0) {
            if ((fmt = ls__graph_format_parse(v)) < 0) return cli_usage("network", "--format is csv, graphml or gexf");
            i++;
        } else if (strcmp(a, "--compat") == 0) {
            if (!v || strcmp(v, "qut") != 0) return cli_usage("network", "--compat knows only 'qut'");
            o.qut = 1; i++;
        } else if (strcmp(a, "--include-self-loops") == 0) {
            o.self_loops = 1;
        } else if (strcmp(a, "--threshold") == 0) {
            if (cli_parse_double(v, &d) || d <= 0 || d > 1) return cli_usage("network", "--threshold is in (0, 1]");
            o.sim_threshold = d; i++;
        } else if (strcmp(a, "--cap") == 0) {
            if (cli_parse_u64(v, &u) || u > 1000000000ULL) return cli_usage("network", "--cap needs a count");
            o.cap = (uint32_t)u; i++;
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
            nodes = v; i++;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (!v) return cli_usage("network", "%s needs a file", a);
            out = v; i++;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage("network", "unknown option '%s'", a);
        } else if (!type) {
            type = a;
        } else {
            if (n_in == MAXIN) return cli_usage("network", "too many inputs");
            inputs[n_in++] = a;
        }
    }
    if (!type) return cli_usage("network", "no network TYPE given");
    if (parse_types(type, layers, &n_layers)) return cli_usage("network", "unknown network type '%s'", type);
    if (n_in == 0) return cli_usage("network", "no STORE given");
    if (!out) return cli_usage("network", "no output given (-o OUT)");
    if (o.self_loops && !o.qut) return cli_usage("network", "--include-self-loops needs --compat qut");

    ls_ctx *ctx = NULL;
    ls_store *st = NULL;
    ls__edges E[LS_L_COUNT];
    int n_done = 0;
    ls__graph g;
    memset(&g, 0, sizeof g);
    if (ls_ctx_new(&ctx)) { fprintf(stderr, "lockstep network: out of memory\n"); return LS_EXIT_NOMEM; }
    ls_ctx_set_threads(ctx, (int)threads);
    ls_ctx_set_memory(ctx, memory);
    if (tmpdir) ls_ctx_set_tmpdir(ctx, tmpdir);
    if ((rc = cli_open_input(ctx, inputs, n_in, &st)) != LS_OK) goto done;
    for (int l = 0; l < n_layers; l++) {
        if ((rc = ls__coaction(ctx, st, layers[l], &o, &E[l])) != LS_OK) goto done;
        n_done++;
        if (!quiet) {
            const ls__co_stats *s = &E[l].st;
            fprintf(stderr, "%s: %llu records, %llu objects, %llu co-actions, %zu edges",
                    ls__layer_name(layers[l]), (unsigned long long)s->records,
                    (unsigned long long)s->objects, (unsigned long long)s->pairs_emitted, E[l].n);
            if (s->objects_capped)
                fprintf(stderr, "; %llu objects over the cap of %u (%llu account memberships sampled away, "
                        "%llu account pairs not examined)",
                        (unsigned long long)s->objects_capped, o.cap, (unsigned long long)s->accounts_dropped,
                        (unsigned long long)s->pairs_capped);
            if (s->spill_runs) fprintf(stderr, "; %llu runs spilled", (unsigned long long)s->spill_runs);
            fputc('\n', stderr);
        }
    }
    if ((rc = ls__graph_build(ctx, E, n_done, &g)) != LS_OK) goto done;
    g.window_ms = o.window_ms;
    if ((rc = ls__graph_write(ctx, &g, st, fmt, out)) != LS_OK) goto done;
    if (nodes) {
        ls__profiles P = { 0 };
        uint32_t na = st->ns[LS_NS_ACCOUNT].n;
        uint8_t *keep = ls__calloc(na ? na : 1, 1);
        if (!keep) { rc = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
        for (size_t k = 0; k < g.n; k++) keep[g.e[k].u] = keep[g.e[k].v] = 1;
        rc = ls__profiles_compute(ctx, st, &P);
        if (rc == LS_OK) rc = ls__profiles_write_csv(ctx, st, &P, keep, nodes);
        ls__profiles_free(&P);
        ls__free(keep);
        if (rc != LS_OK) goto done;
    }
    if (rc == LS_OK && !quiet)
        fprintf(stderr, "wrote %zu edges to %s\n", g.n, out);
done:
    if (rc != LS_OK) rc = cli_fail("network", ctx, rc);
    for (int l = 0; l < n_done; l++) ls__edges_free(&E[l]);
    ls__graph_free(&g);
    ls_store_close(st);
    ls_ctx_free(ctx);
    return rc;
}
