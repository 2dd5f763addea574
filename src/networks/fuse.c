/*
 * fuse.c — builds the coordination graph of `lockstep detect`: runs the
 * behavioural co-action layers (ls__coaction) and the direct amplification
 * layer, keeps the edges that are significant after correcting for the
 * number of pairs each layer tested, and fuses them into one undirected
 * weighted edge per account pair.
 *
 * Kept edge of layer l: count >= 2 and sig >= log10(M_l / alpha), where M_l
 * is the number of account pairs that co-acted at least once in l (a
 * Bonferroni bound: the chance that any of M_l independent null pairs
 * passes is at most alpha).  A single shared object is never evidence on
 * its own: with heavy-tailed object popularity (one viral post) the Poisson
 * null of one co-action is too optimistic.
 * Fused weight: w = sum over kept layers of strength_l * min(sig_l / thr_l, 10).
 *
 * Also kept: the weak edges (2 <= sig < thr) inside a group that the group
 * test (dense.c) finds far denser than chance, weighed as edges at the cut.
 */
#include "networks.h"
#include <math.h>
#include <stdlib.h>

/* How much one significant edge of each layer counts as evidence.
 * Retweets, quotes, identical and near-identical text and images are
 * deliberate acts on one object; links, hashtags, replies and mentions are
 * shared by organic communities more often; synchrony alone is weakest. */
static const double strength[LS__NL] = {
    [LS_L_RETWEET] = 1.0, [LS_L_QUOTE] = 1.0, [LS_L_REPLY] = 0.5,
    [LS_L_TWEET] = 1.0, [LS_L_SIMILAR] = 1.0, [LS_L_LINK] = 0.5,
    [LS_L_DOMAIN] = 0.25, [LS_L_HASHTAG] = 0.5, [LS_L_MENTION] = 0.3,
    [LS_L_IMAGE] = 1.0, [LS_L_POST] = 0.2, [LS__L_AMPLIFY] = 1.0,
    [LS_L_TEXT] = 1.0,
};

/* group: kept by the group test (dense.c), weighed as an edge at the cut,
 * since its evidence is the group's, not the pair's. */
typedef struct { uint64_t key; uint32_t layer, count; float sig; uint32_t group; } kept;

/* The kept edges are one run per layer, each sorted by key (the layers
 * come sorted by pair), in layer order.  merge_next returns the index of
 * the next edge in (key, layer) order, or SIZE_MAX at the end; pos[r] is
 * run r's cursor, end[r] its end. */
static size_t merge_next(const kept *K, size_t *pos, const size_t *end, int nrun)
{
    int best = -1;
    for (int r = 0; r < nrun; r++) {
        if (pos[r] >= end[r]) continue;
        /* Strictly smaller: on equal keys the earlier layer goes first. */
        if (best < 0 || K[pos[r]].key < K[pos[best]].key) best = r;
    }
    return best < 0 ? SIZE_MAX : pos[best]++;
}

/* Parses the layer list; sel[l] = 1 for each chosen layer. */
static int parse_layers(ls__det *d, int sel[LS__NL])
{
    const ls_detect_opts *o = d->o;
    for (int l = 0; l < LS__NL; l++) sel[l] = 0;
    if (!o->layers || !*o->layers) {
        static const int def[] = { LS_L_RETWEET, LS_L_QUOTE, LS_L_REPLY, LS_L_TWEET, LS_L_SIMILAR,
                                   LS_L_LINK, LS_L_HASHTAG, LS_L_IMAGE, LS_L_TEXT, LS__L_AMPLIFY };
        for (size_t i = 0; i < sizeof def / sizeof def[0]; i++) sel[def[i]] = 1;
        if (o->post_window_s > 0) sel[LS_L_POST] = 1;
        return LS_OK;
    }
    const char *p = o->layers;
    while (*p) {
        const char *q = p;
        while (*q && *q != ',') q++;
        char name[40];
        size_t n = (size_t)(q - p);
        if (n == 0 || n >= sizeof name) return ls__fail(d->ctx, LS_ERR_USAGE, "bad layer list '%s'", o->layers);
        memcpy(name, p, n);
        name[n] = 0;
        int l = (!strcmp(name, "amplify") || !strcmp(name, "amplification")) ? LS__L_AMPLIFY : ls__layer_parse(name);
        if (l < 0) return ls__fail(d->ctx, LS_ERR_USAGE, "unknown layer '%s'", name);
        sel[l] = 1;
        p = *q ? q + 1 : q;
    }
    return LS_OK;
}

double ls__det_window_s(const ls_detect_opts *o, int l);
double ls__det_window_s(const ls_detect_opts *o, int l)
{
    /* A retweet or quote is a click, and automation clicks within seconds.
     * A reply is written, like the texts of the text layers: reply swarms
     * pile onto a post over minutes to hours (genworld's reply_swarm 3-90
     * minutes after it), so with the retweet window two members almost
     * never met (6 co_reply edges in a 100-account swarm). */
    switch (l) {
    case LS_L_RETWEET: case LS_L_QUOTE: case LS_L_MENTION: return o->rt_window_s;
    case LS_L_POST: return o->post_window_s;
    case LS_L_TEXT: return -1;   /* no window (docs/detect.md) */
    default: return o->text_window_s;
    }
}

int ls__det_fuse(ls__det *d)
{
    ls_ctx *ctx = d->ctx;
    const ls_detect_opts *o = d->o;
    int rc, sel[LS__NL];
    kept *K = NULL;
    uint8_t *promote = NULL;
    size_t nK = 0, capK = 0, rs[LS__NL + 1], pos[LS__NL];
    int nrun = 0;
    ls__edges E = { 0 };
    /* co_similar_tweet leaves its clusters here for co_text. */
    ls__textkeys *tk = NULL;
    if ((rc = parse_layers(d, sel)) != LS_OK) return rc;
    if (sel[LS_L_TEXT] && !(tk = ls__textkeys_new())) return ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory");
    for (int l = 0; l < LS__NL; l++) {
        if (!sel[l]) continue;
        ls__layer_stat *ls = &d->lst[l];
        ls->used = 1;
        ls->window_s = ls__det_window_s(o, l);
        if (l == LS__L_AMPLIFY) rc = ls__det_amplify_layer(d, &E);
        else {
            ls__co_opts co;
            ls__co_opts_default(&co);
            co.window_ms = ls->window_s > 0 ? (int64_t)llround(ls->window_s * 1000.0) : 0;
            co.cap = o->cap;
            co.seed ^= o->seed;
            /* Only what the loop below keeps leaves ls__coaction: a
             * layer's other pairs are counted (pairs_distinct) but never
             * stored, which is most of the memory of a large layer. */
            co.min_weight = 2;
            co.keep_alpha = o->alpha;
            co.keep_weak = ls__det_weak_sig();
            co.keep_weak_comp = o->min_size;
            if (l == LS_L_SIMILAR || l == LS_L_TEXT) co.text_keys = tk;
            rc = ls__coaction(ctx, d->st, l, &co, &E);
            if (l == LS_L_TEXT) { ls__textkeys_free(tk); tk = NULL; }
        }
        if (rc != LS_OK) goto done;
        rs[nrun++] = nK;
        ls->records = E.st.records;
        ls->pairs = E.st.pairs_distinct;
        ls->capped = E.st.objects_capped;
        ls->threshold = ls->pairs ? log10((double)ls->pairs / o->alpha) : 0;
        if (ls->threshold < 0) ls->threshold = 0;
        /* The group test (dense.c) on the weak edges the layer kept. */
        ls__free(promote);
        if (!(promote = ls__malloc(E.n ? E.n : 1))) { rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done; }
        if ((rc = ls__det_dense(d, l, &E, ls->threshold, promote)) != LS_OK) goto done;
        for (size_t i = 0; i < E.n; i++) {
            const ls__edge *e = &E.e[i];
            if (e->count < 2 || (e->sig < ls->threshold && !promote[i]) || e->u == e->v) continue;
            if (nK == capK && ls__big_grow((void **)&K, &capK, nK + 1, sizeof *K)) {
                rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done;
            }
            uint32_t u = LS__MIN(e->u, e->v), v = LS__MAX(e->u, e->v);
            K[nK].key = (uint64_t)u << 32 | v;
            K[nK].layer = (uint32_t)l;
            K[nK].count = e->count;
            K[nK].sig = e->sig;
            K[nK].group = e->sig < ls->threshold;
            nK++;
            ls->kept++;
        }
        ls__edges_free(&E);
        ls__timing("layer %s", l == LS__L_AMPLIFY ? "amplify" : ls__layer_name(l));
        ls__progress(ctx, "detect: layers", (uint64_t)l + 1, LS__NL);
    }
    rs[nrun] = nK;
    /* Merge the layer runs twice: count the distinct pairs, then fill. */
    size_t ne = 0, i, prev = SIZE_MAX;
    for (int r = 0; r < nrun; r++) pos[r] = rs[r];
    while ((i = merge_next(K, pos, rs + 1, nrun)) != SIZE_MAX) {
        if (prev == SIZE_MAX || K[i].key != K[prev].key) ne++;
        prev = i;
    }
    d->e = ls__calloc(ne ? ne : 1, sizeof *d->e);
    if (!d->e) { rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done; }
    ls__big_hint(d->e, (ne ? ne : 1) * sizeof *d->e);
    d->n_e = 0;
    prev = SIZE_MAX;
    for (int r = 0; r < nrun; r++) pos[r] = rs[r];
    while ((i = merge_next(K, pos, rs + 1, nrun)) != SIZE_MAX) {
        if (prev == SIZE_MAX || K[i].key != K[prev].key) {
            ls__fedge *f = &d->e[d->n_e++];
            f->u = (uint32_t)(K[i].key >> 32);
            f->v = (uint32_t)K[i].key;
        }
        prev = i;
        ls__fedge *f = &d->e[d->n_e - 1];
        int l = (int)K[i].layer;
        double thr = d->lst[l].threshold > 0 ? d->lst[l].threshold : 1;
        f->cnt[l] = K[i].count;
        f->sig[l] = K[i].sig;
        f->w += (float)(strength[l] * (K[i].group ? 1.0 : LS__MIN((double)K[i].sig / thr, 10.0)));
    }
    ls__timing("fuse (%zu edges)", d->n_e);
done:
    ls__edges_free(&E);
    ls__textkeys_free(tk);
    ls__free(K);
    ls__free(promote);
    return rc;
}

/* ---- the amplification layer ---- */

int ls__det_amplify_layer(ls__det *d, ls__edges *out)
{
    const ls_store *st = d->st;
    ls_ctx *ctx = d->ctx;
    int rc = LS_OK;
    uint64_t *key = NULL, *tmp = NULL;
    uint32_t *outn = NULL, *inn = NULL;
    size_t nk = 0;
    memset(out, 0, sizeof *out);
    out->layer = LS__L_AMPLIFY;
    /* The keys are a subset of the amplification events: their scratch. */
    key = d->amp_k;
    tmp = d->amp_t;
    outn = ls__calloc(d->n_acc ? d->n_acc : 1, sizeof *outn);
    inn = ls__calloc(d->n_acc ? d->n_acc : 1, sizeof *inn);
    if (!key || !tmp || !outn || !inn) { rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done; }
    double total = 0;
    for (uint64_t i = 0; i < st->n_events; i++) {
        int k = st->ev_kind[i];
        uint32_t p = st->ev_ref_post[i];
        if ((k != LS_KIND_RETWEET && k != LS_KIND_QUOTE) || p == LS__NONE) continue;
        uint32_t x = st->ev_account[i], y = d->post_author[p];
        if (y == LS__NONE || y == x || !(d->ev_bits[i] & LS__EVB_AMP_WIN)) continue;
        key[nk++] = (uint64_t)LS__MIN(x, y) << 32 | LS__MAX(x, y);
        outn[x]++;
        inn[y]++;
        total++;
    }
    ls__radix_u64(key, tmp, nk);
    size_t ne = 0;
    for (size_t i = 0; i < nk; i++) if (i == 0 || key[i] != key[i - 1]) ne++;
    out->e = ls__calloc(ne ? ne : 1, sizeof *out->e);
    if (!out->e) { rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done; }
    for (size_t i = 0; i < nk;) {
        size_t j = i;
        while (j < nk && key[j] == key[i]) j++;
        ls__edge *e = &out->e[out->n++];
        e->u = (uint32_t)(key[i] >> 32);
        e->v = (uint32_t)key[i];
        e->count = (uint32_t)(j - i);
        e->weight = (float)e->count;
        for (int q = 0; q < LS__EV; q++) e->ev[q] = LS__NONE;
        /* Configuration-model null: u's amplifications land on v in
         * proportion to v's share of all amplification received, and the
         * other way round. */
        double lam = total > 0 ? ((double)outn[e->u] * inn[e->v] + (double)outn[e->v] * inn[e->u]) / total : 0;
        e->sig = (float)ls__poisson_sf_log10(e->count, lam);
        i = j;
    }
    out->st.records = nk;
    out->st.objects = nk;
    out->st.pairs_distinct = out->n;
done:
    ls__free(outn); ls__free(inn);
    if (rc != LS_OK) ls__edges_free(out);
    return rc;
}
