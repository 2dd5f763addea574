/*
 * cluster.c — igraph glue for `lockstep detect`: installs an error handler
 * that never aborts, and clusters the fused coordination graph with Leiden
 * (modularity objective by default, CPM with --objective cpm).
 *
 * Determinism: igraph's default RNG is seeded with the run seed right
 * before each call, and the graph is built from the fused edges in their
 * sorted order over a compact renumbering of the accounts in the graph, so
 * the same input gives the same clusters whatever the thread count.
 * Cluster ids are renumbered by their smallest account id.
 */
#include "networks.h"
#include <igraph/igraph.h>
#include <stdlib.h>

static int installed;
static char last_error[256];

/* igraph calls this on every error; returning lets the failing igraph
 * function unwind and return its error code, which we map to a status. */
static void on_error(const char *reason, const char *file, int line, igraph_error_t err)
{
    snprintf(last_error, sizeof last_error, "igraph: %s (%s:%d, error %d)", reason ? reason : "?",
             file ? file : "?", line, (int)err);
    IGRAPH_FINALLY_FREE();
}

static void on_warning(const char *reason, const char *file, int line)
{
    LS__UNUSED(reason); LS__UNUSED(file); LS__UNUSED(line);
}

void ls__igraph_init(void)
{
    if (installed) return;
    igraph_set_error_handler(on_error);
    igraph_set_warning_handler(on_warning);
    installed = 1;
}

int ls__igraph_handler_installed(void)
{
    return installed && igraph_set_error_handler(on_error) == on_error;
}

int ls__det_cluster(ls__det *d)
{
    ls_ctx *ctx = d->ctx;
    int rc = LS_OK;
    uint32_t *local = NULL, *glob = NULL, *size = NULL, *first = NULL, *remap = NULL;
    igraph_t g;
    igraph_vector_int_t edges, memb;
    igraph_vector_t w, nw;
    int have_g = 0, have_v = 0;
    ls__igraph_init();
    d->cluster = ls__malloc((d->n_acc ? d->n_acc : 1) * sizeof *d->cluster);
    local = ls__malloc((d->n_acc ? d->n_acc : 1) * sizeof *local);
    if (!d->cluster || !local) { rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done; }
    for (uint32_t a = 0; a < d->n_acc; a++) d->cluster[a] = local[a] = LS__NONE;
    d->n_clusters = 0;
    uint32_t nv = 0;
    for (uint32_t a = 0; a < d->n_acc; a++) local[a] = LS__NONE;
    /* Nodes in account-id order: mark, then number. */
    for (size_t i = 0; i < d->n_e; i++) local[d->e[i].u] = local[d->e[i].v] = 0;
    for (uint32_t a = 0; a < d->n_acc; a++) if (local[a] == 0) local[a] = nv++;
    if (nv == 0 || d->n_e == 0) goto done;
    glob = ls__malloc(nv * sizeof *glob);
    if (!glob) { rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done; }
    for (uint32_t a = 0; a < d->n_acc; a++) if (local[a] != LS__NONE) glob[local[a]] = a;

    if (igraph_vector_int_init(&edges, (igraph_integer_t)(2 * d->n_e))) goto ig_fail;
    if (igraph_vector_init(&w, (igraph_integer_t)d->n_e)) { igraph_vector_int_destroy(&edges); goto ig_fail; }
    if (igraph_vector_init(&nw, nv)) { igraph_vector_int_destroy(&edges); igraph_vector_destroy(&w); goto ig_fail; }
    if (igraph_vector_int_init(&memb, nv)) {
        igraph_vector_int_destroy(&edges); igraph_vector_destroy(&w); igraph_vector_destroy(&nw); goto ig_fail;
    }
    have_v = 1;
    double m2 = 0;
    for (size_t i = 0; i < d->n_e; i++) {
        const ls__fedge *e = &d->e[i];
        VECTOR(edges)[2 * i] = local[e->u];
        VECTOR(edges)[2 * i + 1] = local[e->v];
        VECTOR(w)[i] = e->w;
        VECTOR(nw)[local[e->u]] += e->w;
        VECTOR(nw)[local[e->v]] += e->w;
        m2 += 2.0 * e->w;
    }
    if (igraph_create(&g, &edges, nv, IGRAPH_UNDIRECTED)) goto ig_fail;
    have_g = 1;
    igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)(d->o->seed ? d->o->seed : 1));
    igraph_integer_t nc = 0;
    igraph_real_t q = 0;
    igraph_error_t ie;
    if (d->o->cpm)
        ie = igraph_community_leiden(&g, &w, NULL, d->o->resolution, 0.01, 0, -1, &memb, &nc, &q);
    else
        /* Modularity is Leiden's quality with node weights = strengths and
         * resolution gamma / 2m. */
        ie = igraph_community_leiden(&g, &w, &nw, d->o->resolution / (m2 > 0 ? m2 : 1), 0.01, 0, -1,
                                     &memb, &nc, &q);
    if (ie != IGRAPH_SUCCESS) goto ig_fail;
    size = ls__calloc((size_t)nc + 1, sizeof *size);
    first = ls__malloc(((size_t)nc + 1) * sizeof *first);
    remap = ls__malloc(((size_t)nc + 1) * sizeof *remap);
    if (!size || !first || !remap) { rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done; }
    for (igraph_integer_t c = 0; c <= nc; c++) { first[c] = LS__NONE; remap[c] = LS__NONE; }
    for (uint32_t i = 0; i < nv; i++) {
        igraph_integer_t c = VECTOR(memb)[i];
        if (c < 0 || c >= nc) { rc = ls__fail(ctx, LS_ERR_INTERNAL, "leiden: membership out of range"); goto done; }
        size[c]++;
        if (first[c] == LS__NONE) first[c] = glob[i];
    }
    /* Nodes are in account order, so the first node seen of each cluster
     * is its smallest account: numbering clusters in node order is
     * numbering them by smallest account. */
    for (uint32_t i = 0; i < nv; i++) {
        igraph_integer_t c = VECTOR(memb)[i];
        if (size[c] < d->o->min_size) continue;
        if (remap[c] == LS__NONE) remap[c] = d->n_clusters++;
        d->cluster[glob[i]] = remap[c];
    }
    goto done;
ig_fail:
    rc = ls__fail(ctx, LS_ERR_INTERNAL, "%s", last_error[0] ? last_error : "igraph failed");
done:
    if (have_g) igraph_destroy(&g);
    if (have_v) {
        igraph_vector_int_destroy(&edges); igraph_vector_destroy(&w); igraph_vector_destroy(&nw);
        igraph_vector_int_destroy(&memb);
    }
    ls__free(local); ls__free(glob); ls__free(size); ls__free(first); ls__free(remap);
    return rc;
}
