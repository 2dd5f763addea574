/*
 * records_text.c — the records of the two text layers: co_tweet (identical
 * normalised text; the object is the first text id with that key) and
 * co_similar_tweet (near-duplicate clusters from MinHash/LSH, or QUT's
 * word-set Jaccard with --compat qut).  Keys are computed once per
 * distinct text id, not per event.  See docs/networks.md.
 */
#include "signals.h"

/* co_tweet: object = the first text id (in event order) whose key equals
 * this text's key; empty keys match nothing. */
int ls__emit_tweet(ls_ctx *ctx, const ls_store *st, const ls__co_opts *o, ls__recs *R)
{
    int rc = LS_OK;
    uint32_t nt = st->ns[LS_NS_TEXT].n;
    uint32_t *obj = NULL, *rep = NULL;
    size_t rep_cap = 0;
    ls__intern in;
    ls__buf b = { 0 };
    ls__intern_init(&in);
    obj = ls__malloc((nt ? nt : 1) * sizeof *obj);
    if (!obj) { rc = LS_ERR_NOMEM; goto done; }
    for (uint32_t t = 0; t < nt; t++) obj[t] = LS__NONE - 1;   /* not computed */
    for (uint64_t i = 0; i < st->n_events; i++) {
        uint32_t t = st->ev_text[i];
        if (!ls__is_nonretweet(st, i) || t == LS__NONE || t >= nt) continue;
        if (obj[t] == LS__NONE - 1) {
            b.n = 0;
            ls__str s = ls__strtab_get(&st->ns[LS_NS_TEXT], t);
            rc = o->qut ? ls__text_norm_qut(s, &b) : ls__text_norm(s, &b);
            if (rc != LS_OK) goto done;
            if (b.n == 0) { obj[t] = LS__NONE; continue; }
            if ((rc = ls__intern_put(&in, (ls__str){ b.p, b.n }, &obj[t])) != LS_OK) goto done;
        }
        if (obj[t] == LS__NONE) continue;
        if ((rc = ls__recs_push(R, obj[t], i, 0)) != LS_OK) goto done;
    }
    /* Second pass: key id -> representative text id (first text in event
     * order with that key). */
    rep_cap = in.n ? in.n : 1;
    if (!(rep = ls__malloc(rep_cap * sizeof *rep))) { rc = LS_ERR_NOMEM; goto done; }
    for (size_t k = 0; k < rep_cap; k++) rep[k] = LS__NONE;
    for (uint64_t i = 0; i < st->n_events; i++) {
        uint32_t t = st->ev_text[i];
        if (!ls__is_nonretweet(st, i) || t == LS__NONE || t >= nt || obj[t] >= LS__NONE - 1) continue;
        if (rep[obj[t]] == LS__NONE) rep[obj[t]] = t;
    }
    for (size_t k = 0; k < R->n; k++) {
        uint32_t key = (uint32_t)(R->r[k] >> 32);
        R->r[k] = (uint64_t)rep[key] << 32 | (R->r[k] & 0xffffffffULL);
    }
done:
    if (rc == LS_ERR_NOMEM) ls__fail(ctx, rc, "co_tweet: out of memory");
    ls__free(obj); ls__free(rep);
    ls__intern_free(&in);
    ls__buf_free(&b);
    return rc;
}

/* co_similar_tweet, default mode: normalised distinct texts are MinHashed
 * and clustered; the object is the representative text of the cluster. */
int ls__emit_similar(ls_ctx *ctx, const ls_store *st, const ls__co_opts *o, ls__recs *R)
{
    int rc = LS_OK;
    uint32_t nt = st->ns[LS_NS_TEXT].n;
    uint32_t *key = NULL, *rep = NULL, *root = NULL;
    ls__str *keys = NULL;
    uint32_t *sig = NULL;
    ls__intern in;
    ls__buf b = { 0 };
    ls__intern_init(&in);
    key = ls__malloc((nt ? nt : 1) * sizeof *key);
    if (!key) { rc = LS_ERR_NOMEM; goto done; }
    for (uint32_t t = 0; t < nt; t++) key[t] = LS__NONE - 1;
    for (uint64_t i = 0; i < st->n_events; i++) {
        uint32_t t = st->ev_text[i];
        if (!ls__is_nonretweet(st, i) || t == LS__NONE || t >= nt || key[t] != LS__NONE - 1) continue;
        b.n = 0;
        if ((rc = ls__text_norm(ls__strtab_get(&st->ns[LS_NS_TEXT], t), &b)) != LS_OK) goto done;
        if (b.n == 0) { key[t] = LS__NONE; continue; }
        if ((rc = ls__intern_put(&in, (ls__str){ b.p, b.n }, &key[t])) != LS_OK) goto done;
    }
    size_t nk = in.n;
    keys = ls__malloc((nk ? nk : 1) * sizeof *keys);
    sig = ls__big_malloc((nk ? nk : 1) * LS__MH_K * sizeof *sig);
    root = ls__malloc((nk ? nk : 1) * sizeof *root);
    rep = ls__malloc((nk ? nk : 1) * sizeof *rep);
    if (!keys || !sig || !root || !rep) { rc = LS_ERR_NOMEM; goto done; }
    for (size_t k = 0; k < nk; k++) { keys[k] = ls__intern_get(&in, (uint32_t)k); rep[k] = LS__NONE; }
    if ((rc = ls__minhash_texts32(ctx, keys, nk, o->seed, sig)) != LS_OK) goto done;
    if ((rc = ls__lsh_cluster(ctx, sig, nk, o->sim_threshold > 0 ? o->sim_threshold : 0.6, root)) != LS_OK) goto done;
    /* Representative text of a cluster: the first text (event order)
     * whose key is the cluster root. */
    for (uint64_t i = 0; i < st->n_events; i++) {
        uint32_t t = st->ev_text[i];
        if (!ls__is_nonretweet(st, i) || t == LS__NONE || t >= nt || key[t] >= LS__NONE - 1) continue;
        uint32_t r = root[key[t]];
        if (rep[r] == LS__NONE && key[t] == r) rep[r] = t;
    }
    for (uint64_t i = 0; i < st->n_events; i++) {
        uint32_t t = st->ev_text[i];
        if (!ls__is_nonretweet(st, i) || t == LS__NONE || t >= nt || key[t] >= LS__NONE - 1) continue;
        if ((rc = ls__recs_push(R, rep[root[key[t]]], i, 0)) != LS_OK) goto done;
    }
done:
    if (rc == LS_ERR_NOMEM) ls__fail(ctx, rc, "co_similar_tweet: out of memory");
    ls__free(key); ls__free(rep); ls__free(root); ls__free(keys); ls__free(sig);
    ls__intern_free(&in);
    ls__buf_free(&b);
    return rc;
}

/* Jaccard of two sorted distinct hash arrays. */
static double jaccard_sorted(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0, inter = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j]) { inter++; i++; j++; }
        else if (a[i] < b[j]) i++;
        else j++;
    }
    size_t uni = na + nb - inter;
    return uni ? (double)inter / (double)uni : 0.0;
}

/* co_similar_tweet, --compat qut: QUT's word sets, pairs of distinct
 * sets with Jaccard >= threshold (LSH candidates verified exactly).  A
 * post's own set is the object; posts of every similar set are added to
 * it as passive records (they can match, but their own weight is counted
 * under their own set). */
int ls__emit_similar_qut(ls_ctx *ctx, const ls_store *st, const ls__co_opts *o, ls__recs *R)
{
    int rc = LS_OK;
    uint32_t nt = st->ns[LS_NS_TEXT].n;
    uint32_t *key = NULL, *rep = NULL;
    uint64_t *h = NULL, *pairs = NULL, *nbr = NULL, *tmp = NULL;
    uint32_t *sig = NULL;
    size_t hn = 0, hcap = 0, np = 0, nn = 0, ncap = 0;
    uint64_t *setoff = NULL;
    size_t nk = 0;
    ls__intern in;
    ls__intern_init(&in);
    key = ls__malloc((nt ? nt : 1) * sizeof *key);
    if (!key) { rc = LS_ERR_NOMEM; goto done; }
    for (uint32_t t = 0; t < nt; t++) key[t] = LS__NONE - 1;
    for (uint64_t i = 0; i < st->n_events; i++) {
        uint32_t t = st->ev_text[i];
        if (!ls__is_nonretweet(st, i) || t == LS__NONE || t >= nt || key[t] != LS__NONE - 1) continue;
        hn = 0;
        if ((rc = ls__text_words_qut(ls__strtab_get(&st->ns[LS_NS_TEXT], t), &h, &hn, &hcap)) != LS_OK)
            goto done;
        if (hn == 0) { key[t] = LS__NONE; continue; }
        if ((rc = ls__intern_put(&in, (ls__str){ (const char *)h, hn * sizeof *h }, &key[t])) != LS_OK)
            goto done;
    }
    nk = in.n;
    sig = ls__big_malloc((nk ? nk : 1) * LS__MH_K * sizeof *sig);
    rep = ls__malloc((nk ? nk : 1) * sizeof *rep);
    if (!sig || !rep) { rc = LS_ERR_NOMEM; goto done; }
    for (size_t k = 0; k < nk; k++) {
        ls__str s = ls__intern_get(&in, (uint32_t)k);
        ls__minhash_set((const uint64_t *)(const void *)s.p, s.n / sizeof(uint64_t), o->seed,
                        sig + k * LS__MH_K);
        rep[k] = LS__NONE;
    }
    if ((rc = ls__lsh_pairs(ctx, sig, nk, &pairs, &np)) != LS_OK) goto done;
    /* Verified neighbour lists, both directions, as (set << 32 | other). */
    for (size_t p = 0; p < np; p++) {
        uint32_t a = (uint32_t)(pairs[p] >> 32), c = (uint32_t)pairs[p];
        ls__str sa = ls__intern_get(&in, a), sc = ls__intern_get(&in, c);
        double j = jaccard_sorted((const uint64_t *)(const void *)sa.p, sa.n / 8,
                                  (const uint64_t *)(const void *)sc.p, sc.n / 8);
        if (j < (o->sim_threshold > 0 ? o->sim_threshold : 0.8)) continue;
        if ((rc = ls__grow((void **)&nbr, &ncap, nn + 2, sizeof *nbr)) != LS_OK) goto done;
        nbr[nn++] = (uint64_t)a << 32 | c;
        nbr[nn++] = (uint64_t)c << 32 | a;
    }
    tmp = ls__malloc((nn ? nn : 1) * sizeof *tmp);
    setoff = ls__calloc(nk + 1, sizeof *setoff);
    if (!tmp || !setoff) { rc = LS_ERR_NOMEM; goto done; }
    ls__radix_u64(nbr, tmp, nn);
    for (size_t q = 0; q < nn; q++) setoff[(nbr[q] >> 32) + 1]++;
    for (size_t k = 0; k < nk; k++) setoff[k + 1] += setoff[k];
    for (uint64_t i = 0; i < st->n_events; i++) {
        uint32_t t = st->ev_text[i];
        if (!ls__is_nonretweet(st, i) || t == LS__NONE || t >= nt || key[t] >= LS__NONE - 1) continue;
        if (rep[key[t]] == LS__NONE) rep[key[t]] = t;
    }
    for (uint64_t i = 0; i < st->n_events; i++) {
        uint32_t t = st->ev_text[i];
        if (!ls__is_nonretweet(st, i) || t == LS__NONE || t >= nt || key[t] >= LS__NONE - 1) continue;
        uint32_t s = key[t];
        if ((rc = ls__recs_push(R, rep[s], i, 0)) != LS_OK) goto done;
        for (uint64_t q = setoff[s]; q < setoff[s + 1]; q++)
            if ((rc = ls__recs_push(R, rep[(uint32_t)nbr[q]], i, 1)) != LS_OK) goto done;
    }
done:
    if (rc == LS_ERR_NOMEM) ls__fail(ctx, rc, "co_similar_tweet: out of memory");
    ls__free(key); ls__free(rep); ls__free(h); ls__free(sig); ls__free(pairs);
    ls__free(nbr); ls__free(tmp); ls__free(setoff);
    ls__intern_free(&in);
    return rc;
}
