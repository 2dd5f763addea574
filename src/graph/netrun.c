/*
 * netrun.c — `lockstep network` as a library call: builds the requested
 * co-action layers of a store, fuses them into one graph, writes it as CSV
 * (the QUT toolkit's layout under --compat qut), GraphML or GEXF, and
 * optionally the node table of profile signals of every account in it.
 * ls_network_open opens its inputs; raw files are ingested with only the
 * post fields the requested layers read (ctx->ingest_skip) into a
 * temporary store that is mapped without a second verification pass.
 * One summary line per layer (records, objects, co-actions, edges, what
 * the per-object cap sampled away, spilled runs) goes to the log.
 */
#include "graph.h"
#include "../signals/lookup.h"
#include "../ingest/ingest.h"
#include <math.h>
#include <unistd.h>

void ls_network_opts_default(ls_network_opts *o)
{
    memset(o, 0, sizeof *o);
    o->types = "co_retweet";
    o->window_s = 60;
    o->min_weight = 1;
    o->format = "csv";
    o->cap = -1;
}

static void log_layer(FILE *log, int layer, const ls__edges *E, uint32_t cap)
{
    const ls__co_stats *s = &E->st;
    fprintf(log, "%s: %llu records, %llu objects, %llu co-actions, %zu edges", ls__layer_name(layer),
            (unsigned long long)s->records, (unsigned long long)s->objects,
            (unsigned long long)s->pairs_emitted, E->n);
    if (s->objects_capped)
        fprintf(log, "; %llu objects over the cap of %u (%llu account memberships sampled away, "
                "%llu account pairs not examined)",
                (unsigned long long)s->objects_capped, cap, (unsigned long long)s->accounts_dropped,
                (unsigned long long)s->pairs_capped);
    if (s->spill_runs) fprintf(log, "; %llu runs spilled", (unsigned long long)s->spill_runs);
    fputc('\n', log);
}

/* The node table: profile signals of the accounts that have an edge. */
static int write_nodes(ls_ctx *ctx, const ls_store *st, const ls__graph *g, const char *path)
{
    ls__profiles P = { 0 };
    uint32_t na = st->ns[LS_NS_ACCOUNT].n;
    uint8_t *keep = ls__calloc(na ? na : 1, 1);
    if (!keep) return ls__fail(ctx, LS_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < g->n; k++) keep[g->e[k].u] = keep[g->e[k].v] = 1;
    int rc = ls__profiles_compute(ctx, st, &P);
    if (rc == LS_OK) rc = ls__profiles_write_csv(ctx, st, &P, keep, path);
    ls__profiles_free(&P);
    ls__free(keep);
    return rc;
}

/* The post fields a projection ingest may leave out for these layers:
 * every skippable field unless a layer, the node table or GraphML (whose
 * nodes carry screen names) reads it.  No layer reads screen names or the
 * authors of retweets: leaving out the names of "RT @name" targets only
 * spares the "@name" accounts made for them at the end of the account
 * ids, which never post and so are in no edge. */
static unsigned skip_for(const int *layers, int n, const ls_network_opts *no)
{
    unsigned skip = LS__SKIP_TEXT | LS__SKIP_TAGS | LS__SKIP_LINKS | LS__SKIP_IMAGES | LS__SKIP_PROFILE |
                    LS__SKIP_NAMES;
    if (no->nodes) return 0;
    if (no->format && strcmp(no->format, "graphml") == 0) skip &= ~(unsigned)LS__SKIP_NAMES;
    for (int l = 0; l < n; l++) {
        switch (layers[l]) {
        case LS_L_TWEET: case LS_L_SIMILAR: skip &= ~(unsigned)LS__SKIP_TEXT; break;
        case LS_L_HASHTAG: skip &= ~(unsigned)LS__SKIP_TAGS; break;
        case LS_L_LINK: case LS_L_DOMAIN: skip &= ~(unsigned)LS__SKIP_LINKS; break;
        case LS_L_IMAGE: skip &= ~(unsigned)LS__SKIP_IMAGES; break;
        default: break;     /* ids, times and kinds only */
        }
    }
    return skip;
}

static int is_store(const char *path)
{
    char m[8] = { 0 };
    FILE *f = fopen(path, "rb");
    size_t got = f ? fread(m, 1, sizeof m, f) : 0;
    if (f) fclose(f);
    return got == sizeof m && memcmp(m, "LSSTORE", 7) == 0;
}

/* A store given as input is opened (and verified) by ls_open_inputs.  Raw
 * files are ingested here, as ls_open_inputs would, but projected, and the
 * temporary store, written a moment ago by this process, is mapped without
 * the checksum and id pass: that pass reads every page of the file (time,
 * and the resident memory of the whole store at once). */
int ls_network_open(ls_ctx *ctx, const ls_network_opts *no, const char *const *paths, size_t n,
                    ls_store **out)
{
    int layers[LS_L_COUNT], n_layers = 0, rc;
    char tmp[700];
    *out = NULL;
    if ((rc = ls__layer_list(ctx, no->types, 1, layers, &n_layers)) != LS_OK) return rc;
    if (n == 0 || (n == 1 && is_store(paths[0]))) return ls_open_inputs(ctx, paths, n, out);
    int k = snprintf(tmp, sizeof tmp, "%s/lockstep-input-%ld.store", ls__tmpdir(ctx), (long)getpid());
    if (k < 0 || (size_t)k >= sizeof tmp) return ls__fail(ctx, LS_ERR_USAGE, "the spill folder's path is too long");
    ls_ingest_opts io;
    memset(&io, 0, sizeof io);
    io.format = "auto";
    unsigned saved = ctx->ingest_skip;
    ctx->ingest_skip = skip_for(layers, n_layers, no);
    rc = ls__ingest_temp(ctx, &io, paths, n, tmp);
    ctx->ingest_skip = saved;
    if (rc == LS_OK) rc = ls__store_open_flags(ctx, tmp, LS_STORE_NOVERIFY, out);
    unlink(tmp);
    return rc;
}

int ls_network(ls_ctx *ctx, const ls_store *st, const ls_network_opts *no, const char *path, FILE *log)
{
    int rc = LS_OK, layers[LS_L_COUNT], n_layers = 0, n_done = 0, fmt;
    ls__edges E[LS_L_COUNT];
    ls__graph g;
    ls__co_opts o;
    memset(&g, 0, sizeof g);
    ls__co_opts_default(&o);
    if ((rc = ls__layer_list(ctx, no->types, 1, layers, &n_layers)) != LS_OK) return rc;
    if ((fmt = ls__graph_format_parse(no->format ? no->format : "csv")) < 0)
        return ls__fail(ctx, LS_ERR_USAGE, "the format is csv, graphml or gexf, not '%s'", no->format);
    if (!(no->window_s >= 0) || no->window_s > 1e9)
        return ls__fail(ctx, LS_ERR_USAGE, "the window must be between 0 and 1e9 seconds");
    if (!(no->min_weight >= 0)) return ls__fail(ctx, LS_ERR_USAGE, "the minimum weight must be >= 0");
    if (no->threshold < 0 || no->threshold > 1)
        return ls__fail(ctx, LS_ERR_USAGE, "the similarity threshold is in (0, 1]");
    if (no->cap > 1000000000LL) return ls__fail(ctx, LS_ERR_USAGE, "the cap is at most 1e9 accounts");
    if (no->self_loops && !no->compat_qut) return ls__fail(ctx, LS_ERR_USAGE, "self-loops need the QUT definitions");
    o.window_ms = llround(no->window_s * 1000.0);
    o.min_weight = no->min_weight;
    o.qut = no->compat_qut;
    o.self_loops = no->self_loops;
    if (no->threshold > 0) o.sim_threshold = no->threshold;
    if (no->cap >= 0) o.cap = (uint32_t)no->cap;
    for (int l = 0; l < n_layers; l++) {
        if ((rc = ls__coaction(ctx, st, layers[l], &o, &E[l])) != LS_OK) goto done;
        n_done++;
        if (log) log_layer(log, layers[l], &E[l], o.cap);
    }
    if ((rc = ls__graph_build(ctx, E, n_done, &g)) != LS_OK) goto done;
    ls__timing("  graph: build (%zu edges)", g.n);
    /* The fused graph holds all the edges need from here on. */
    for (int l = 0; l < n_done; l++) ls__edges_free(&E[l]);
    n_done = 0;
    g.window_ms = o.window_ms;
    if ((rc = ls__graph_write(ctx, &g, st, fmt, path)) != LS_OK) goto done;
    ls__timing("  graph: write");
    if (no->nodes && (rc = write_nodes(ctx, st, &g, no->nodes)) != LS_OK) goto done;
    if (log) fprintf(log, "wrote %zu edges to %s\n", g.n, path);
done:
    for (int l = 0; l < n_done; l++) ls__edges_free(&E[l]);
    ls__graph_free(&g);
    return rc;
}
