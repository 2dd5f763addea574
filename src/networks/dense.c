/*
 * dense.c — the group test of `lockstep detect`: finds groups of accounts
 * that a layer links only weakly pair by pair, but that are linked to one
 * another far more often than their links to everyone else explain.
 *
 * Why: the per-pair cut of fuse.c is a Bonferroni bound over every pair of
 * the layer (about log10(10^6 / 0.01) = 8 on a million pairs).  A small
 * operation whose 40 accounts each share two to four bursts of a hashtag
 * nobody else uses never passes it pair by pair (significance 1-3), yet as
 * a group the evidence is overwhelming: 740 of its 780 pairs are weak
 * edges, where the members' degrees explain 1.5.
 *
 * The test, per layer: the weak graph holds the edges with count >= 2 and
 * significance >= WEAK (p <= 0.01 for the pair) between accounts with no
 * edge above the cut in this layer (ls__coaction's keep_weak: accounts the
 * strong edges already explain are left to them, which also keeps the
 * weak graph small: 45k edges of co_retweet at the scale-1 simulator,
 * where 11.8M pairs sit between 2 and the cut).  Leiden (modularity)
 * splits it into communities; a community of k >= --min-size accounts
 * with m internal edges and degree sum D is significant when m exceeds
 * the configuration model's expected count lambda = D^2 / 4E at least
 * EFFECT times (most of its links are its own, not its members'
 * sociability: organic crowds that share popular objects stay near 1-2)
 * and the Poisson tail P(X >= m | lambda) is below alpha / (communities
 * tested).  The internal weak edges of a significant community are kept
 * as edges of the layer; scoring still decides whether the group is an
 * operation (a giveaway crowd is as dense and scores low).
 */
#include "networks.h"
#include <igraph/igraph.h>
#include <math.h>
#include <stdlib.h>

/* Weakest pair significance in the weak graph: p <= 0.01 for the pair. */
#define WEAK 2.0
/* Internal edges at least this many times the configuration model's. */
#define EFFECT 4.0
/* And at least this share of the group's pairs linked (a quasi-clique):
 * accounts run from one playbook do the same things, so most pairs meet;
 * crowds around popular objects (news moments, a giveaway, a star and its
 * fans) are sparse, 0.06-0.16 in the worlds of tests/worlds. */
#define DENSITY 0.5
/* And at least this many internal links per member on average: a ring or
 * chain of a few accounts is what any sparse graph holds (and, being its
 * own component, looks infinitely dense to the configuration model); a
 * handful of accounts run together meet one another.  Below 9 members
 * this asks for more than DENSITY: a group of 5 must be a clique. */
#define MIN_DEGREE 4

double ls__det_weak_sig(void) { return WEAK; }

/* Leiden (modularity, resolution 1) on nv nodes and ne unweighted edges
 * eu[i]-ev[i]; memb[node] gets the community, *nc the count. */
static int leiden(uint32_t nv, size_t ne, const uint32_t *eu, const uint32_t *ev, uint64_t seed,
                  uint32_t *memb, uint32_t *nc)
{
    igraph_t g;
    igraph_vector_int_t edges, m;
    igraph_vector_t nw;
    int have_g = 0, rc = LS_ERR_INTERNAL;
    if (igraph_vector_int_init(&edges, (igraph_integer_t)(2 * ne))) return LS_ERR_NOMEM;
    if (igraph_vector_init(&nw, nv)) { igraph_vector_int_destroy(&edges); return LS_ERR_NOMEM; }
    if (igraph_vector_int_init(&m, nv)) {
        igraph_vector_int_destroy(&edges); igraph_vector_destroy(&nw); return LS_ERR_NOMEM;
    }
    for (size_t i = 0; i < ne; i++) {
        VECTOR(edges)[2 * i] = eu[i];
        VECTOR(edges)[2 * i + 1] = ev[i];
        VECTOR(nw)[eu[i]] += 1;
        VECTOR(nw)[ev[i]] += 1;
    }
    if (igraph_create(&g, &edges, nv, IGRAPH_UNDIRECTED)) goto done;
    have_g = 1;
    igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)(seed ? seed : 1));
    igraph_integer_t n = 0;
    igraph_real_t q = 0;
    if (igraph_community_leiden(&g, NULL, &nw, 1.0 / (2.0 * (double)ne), 0.01, 0, -1, &m, &n, &q)) goto done;
    for (uint32_t i = 0; i < nv; i++) {
        igraph_integer_t c = VECTOR(m)[i];
        if (c < 0 || c >= n) goto done;
        memb[i] = (uint32_t)c;
    }
    *nc = (uint32_t)n;
    rc = LS_OK;
done:
    if (have_g) igraph_destroy(&g);
    igraph_vector_int_destroy(&edges); igraph_vector_destroy(&nw); igraph_vector_int_destroy(&m);
    return rc;
}

static int by_pair(const void *a, const void *b, void *edges)
{
    const ls__edge *e = edges, *x = &e[*(const size_t *)a], *y = &e[*(const size_t *)b];
    uint64_t p = (uint64_t)LS__MIN(x->u, x->v) << 32 | LS__MAX(x->u, x->v);
    uint64_t q = (uint64_t)LS__MIN(y->u, y->v) << 32 | LS__MAX(y->u, y->v);
    return p < q ? -1 : p > q;
}

int ls__det_dense(ls__det *d, int layer, const ls__edges *E, double thr, uint8_t *promote)
{
    ls_ctx *ctx = d->ctx;
    ls__layer_stat *L = &d->lst[layer];
    uint32_t *local = NULL, *eu = NULL, *ev = NULL, *memb = NULL, *deg = NULL;
    uint64_t *k = NULL, *m = NULL, *D = NULL, *Df = NULL;
    uint8_t *sig = NULL;
    size_t *idx = NULL, nw = 0;
    int rc = LS_OK;
    uint32_t nv = 0, nc = 0;
    for (size_t i = 0; i < E->n; i++) promote[i] = 0;
    size_t min = d->o->min_size > 1 ? d->o->min_size : 2;
    local = ls__malloc((d->n_acc ? d->n_acc : 1) * sizeof *local);
    if (!local) goto nomem;
    /* local[a] = 1: a has an edge above the cut (ls__coaction already left
     * out weak edges at such accounts; the amplification layer did not). */
    for (uint32_t a = 0; a < d->n_acc; a++) local[a] = a;
    for (size_t i = 0; i < E->n; i++) {
        const ls__edge *e = &E->e[i];
        if (e->count < 2 || e->sig < thr) continue;
        uint32_t x = e->u, y = e->v;
        while (local[x] != x) x = local[x] = local[local[x]];
        while (local[y] != y) y = local[y] = local[local[y]];
        if (x != y) { if (x < y) local[y] = x; else local[x] = y; }
    }
    deg = ls__calloc(d->n_acc ? d->n_acc : 1, sizeof *deg);
    if (!deg) goto nomem;
    for (uint32_t a = 0; a < d->n_acc; a++) {
        uint32_t x = a;
        while (local[x] != x) x = local[x];
        local[a] = x;
        deg[x]++;
    }
    for (uint32_t a = 0; a < d->n_acc; a++) local[a] = deg[local[a]] >= min ? 1 : LS__NONE;
    ls__free(deg); deg = NULL;
#define WEAK_EDGE(e) ((e)->count >= 2 && (e)->sig >= WEAK && (e)->sig < thr && (e)->u != (e)->v \
                      && local[(e)->u] != 1 && local[(e)->v] != 1)
    for (size_t i = 0; i < E->n; i++) if (WEAK_EDGE(&E->e[i])) nw++;
    if (nw < min * (min - 1) / 2) goto done;
    eu = ls__malloc(nw * sizeof *eu);
    ev = ls__malloc(nw * sizeof *ev);
    idx = ls__malloc(nw * sizeof *idx);
    if (!eu || !ev || !idx) goto nomem;
    size_t n = 0;
    for (size_t i = 0; i < E->n; i++) if (WEAK_EDGE(&E->e[i])) idx[n++] = i;
#undef WEAK_EDGE
    /* Edges in pair order: the same graph, so the same communities,
     * whatever order the layer's edges came in. */
    qsort_r(idx, nw, sizeof *idx, by_pair, E->e);
    for (uint32_t a = 0; a < d->n_acc; a++) local[a] = LS__NONE;
    for (size_t j = 0; j < nw; j++) local[E->e[idx[j]].u] = local[E->e[idx[j]].v] = 0;
    /* Nodes in account order: the same graph, so the same communities,
     * whatever order the edges came in. */
    for (uint32_t a = 0; a < d->n_acc; a++) if (local[a] == 0) local[a] = nv++;
    for (size_t j = 0; j < nw; j++) {
        eu[j] = local[E->e[idx[j]].u];
        ev[j] = local[E->e[idx[j]].v];
    }
    memb = ls__malloc(nv * sizeof *memb);
    deg = ls__calloc(nv, sizeof *deg);
    if (!memb || !deg) goto nomem;
    for (size_t j = 0; j < nw; j++) { deg[eu[j]]++; deg[ev[j]]++; }
    ls__igraph_init();
    if ((rc = leiden(nv, nw, eu, ev, d->o->seed, memb, &nc)) != LS_OK) {
        rc = ls__fail(ctx, rc, "detect: group test of %s: igraph failed", ls__layer_name(layer));
        goto done;
    }
    k = ls__calloc(nc ? nc : 1, sizeof *k);
    m = ls__calloc(nc ? nc : 1, sizeof *m);
    D = ls__calloc(nc ? nc : 1, sizeof *D);
    sig = ls__calloc(nc ? nc : 1, 1);
    Df = ls__calloc(nc ? nc : 1, sizeof *Df);
    if (!k || !m || !D || !sig || !Df) goto nomem;
    for (uint32_t i = 0; i < nv; i++) { k[memb[i]]++; D[memb[i]] += deg[i]; }
    if (E->partners)
        for (uint32_t a = 0; a < d->n_acc; a++)
            if (local[a] != LS__NONE) Df[memb[local[a]]] += E->partners[a];
    for (size_t j = 0; j < nw; j++) if (memb[eu[j]] == memb[ev[j]]) m[memb[eu[j]]]++;
    uint64_t tested = 0;
    for (uint32_t c = 0; c < nc; c++) if (k[c] >= min) tested++;
    double cut = log10((double)(tested ? tested : 1) / d->o->alpha);
    for (uint32_t c = 0; c < nc; c++) {
        if (k[c] < min) continue;
        double lam = (double)D[c] * (double)D[c] / (4.0 * (double)nw);
        /* co_text: its weak graph is made mostly of the groups themselves
         * (one campaign's copies of a few texts: a 125-account hijack was
         * 113 of the 150 accounts of genworld2's weak graph, with no edge
         * outside), so the weak graph's own degrees explain any group that
         * is most of it.  The members' sociability is measured in the
         * layer's whole co-action graph instead: the accounts each one met
         * at least once (E->partners), over st.pairs_distinct pairs. */
        if (E->partners)
            lam = (double)Df[c] * (double)Df[c] / (4.0 * (double)(E->st.pairs_distinct ? E->st.pairs_distinct : 1));
        if ((double)m[c] < EFFECT * lam) continue;
        if ((double)m[c] < DENSITY * (double)k[c] * (double)(k[c] - 1) / 2.0) continue;
        if (m[c] < MIN_DEGREE / 2 * k[c]) continue;
        if (ls__poisson_sf_log10((uint32_t)LS__MIN(m[c], (uint64_t)UINT32_MAX), lam) < cut) continue;
        sig[c] = 1;
        L->groups++;
        L->group_accounts += k[c];
    }
    if (L->groups && !d->adense && !(d->adense = ls__calloc(d->n_acc ? d->n_acc : 1, 1))) goto nomem;
    for (uint32_t a = 0; L->groups && a < d->n_acc; a++)
        if (local[a] != LS__NONE && sig[memb[local[a]]]) d->adense[a] = 1;
    for (size_t j = 0; j < nw; j++) {
        if (memb[eu[j]] != memb[ev[j]] || !sig[memb[eu[j]]]) continue;
        promote[idx[j]] = 1;
        L->promoted++;
    }
    goto done;
nomem:
    rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory");
done:
    ls__free(local); ls__free(eu); ls__free(ev); ls__free(idx); ls__free(memb); ls__free(deg);
    ls__free(k); ls__free(m); ls__free(D); ls__free(sig); ls__free(Df);
    return rc;
}
