/*
 * records.c — what each co-action layer sees: one record per (object,
 * event) pair, packed as object << 32 | event_index << 1 | passive.
 *
 * The object of a layer is a dense id that can be named from the store
 * (a post, a URL, a representative text, ...), so evidence can always be
 * printed.  Text keys are computed once per distinct text id, not per
 * event.  See docs/networks.md for the definitions.
 */
#include "signals.h"

static const char *const layer_names[LS_L_COUNT] = {
    "co_retweet", "co_quote", "co_reply", "co_tweet", "co_similar_tweet",
    "co_link", "co_domain", "co_hashtag", "co_mention", "co_image", "co_post"
};

const char *ls__layer_name(int layer)
{
    return layer >= 0 && layer < LS_L_COUNT ? layer_names[layer] : "?";
}

int ls__layer_parse(const char *name)
{
    if (!name) return -1;
    for (int i = 0; i < LS_L_COUNT; i++) {
        if (strcmp(name, layer_names[i]) == 0 || strcmp(name, layer_names[i] + 3) == 0)
            return i;
    }
    return -1;
}

int ls__layer_obj_kind(int layer, int qut)
{
    switch (layer) {
    case LS_L_RETWEET: case LS_L_QUOTE: case LS_L_REPLY: return LS_OBJ_POST;
    case LS_L_TWEET: case LS_L_SIMILAR: return LS_OBJ_TEXT;
    case LS_L_LINK: return LS_OBJ_URL;
    case LS_L_DOMAIN: return LS_OBJ_DOMAIN;
    case LS_L_HASHTAG: return LS_OBJ_EVENT;
    case LS_L_MENTION: return LS_OBJ_ACCOUNT;
    case LS_L_IMAGE: return LS_OBJ_IMAGE;
    default: return qut ? LS_OBJ_BUCKET : LS_OBJ_BUCKET;
    }
}

void ls__co_opts_default(ls__co_opts *o)
{
    memset(o, 0, sizeof *o);
    o->window_ms = 60000;
    o->min_weight = 1;
    o->cap = 1000;
    o->sim_threshold = 0;   /* auto: 0.8 word sets (qut), 0.6 shingles */
    o->seed = 0x10c4573bULL;
}

void ls__recs_free(ls__recs *R)
{
    ls__free(R->r);
    memset(R, 0, sizeof *R);
}

static int push(ls__recs *R, uint32_t obj, uint64_t ev, int passive)
{
    if (R->n == R->cap && ls__big_grow((void **)&R->r, &R->cap, R->n + 1, sizeof *R->r) != LS_OK)
        return LS_ERR_NOMEM;
    R->r[R->n++] = (uint64_t)obj << 32 | ev << 1 | (uint64_t)(passive != 0);
    return LS_OK;
}

/* Distinct list entries of one type on event i, pushed as objects. */
static int push_list(ls__recs *R, const ls_store *st, uint64_t i, int type)
{
    uint32_t lo = st->ev_list[i], hi = st->ev_list[i + 1];
    for (uint32_t k = lo; k < hi; k++) {
        if (st->li_type[k] != type) continue;
        uint32_t id = st->li_id[k];
        int dup = 0;
        for (uint32_t q = lo; q < k && !dup; q++)
            dup = st->li_type[q] == type && st->li_id[q] == id;
        if (!dup && push(R, id, i, 0) != LS_OK) return LS_ERR_NOMEM;
    }
    return LS_OK;
}

static int is_nonretweet(const ls_store *st, uint64_t i)
{
    return st->ev_kind[i] != LS_KIND_RETWEET;
}

/* co_tweet: object = the first text id (in event order) whose key equals
 * this text's key; empty keys match nothing. */
static int emit_tweet(ls_ctx *ctx, const ls_store *st, const ls__co_opts *o, ls__recs *R)
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
        if (!is_nonretweet(st, i) || t == LS__NONE || t >= nt) continue;
        if (obj[t] == LS__NONE - 1) {
            b.n = 0;
            ls__str s = ls__strtab_get(&st->ns[LS_NS_TEXT], t);
            rc = o->qut ? ls__text_norm_qut(s, &b) : ls__text_norm(s, &b);
            if (rc != LS_OK) goto done;
            if (b.n == 0) { obj[t] = LS__NONE; continue; }
            if ((rc = ls__intern_put(&in, (ls__str){ b.p, b.n }, &obj[t])) != LS_OK) goto done;
        }
        if (obj[t] == LS__NONE) continue;
        if ((rc = push(R, obj[t], i, 0)) != LS_OK) goto done;
    }
    /* Second pass: key id -> representative text id (first text in event
     * order with that key). */
    rep_cap = in.n ? in.n : 1;
    if (!(rep = ls__malloc(rep_cap * sizeof *rep))) { rc = LS_ERR_NOMEM; goto done; }
    for (size_t k = 0; k < rep_cap; k++) rep[k] = LS__NONE;
    for (uint64_t i = 0; i < st->n_events; i++) {
        uint32_t t = st->ev_text[i];
        if (!is_nonretweet(st, i) || t == LS__NONE || t >= nt || obj[t] >= LS__NONE - 1) continue;
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
static int emit_similar(ls_ctx *ctx, const ls_store *st, const ls__co_opts *o, ls__recs *R)
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
        if (!is_nonretweet(st, i) || t == LS__NONE || t >= nt || key[t] != LS__NONE - 1) continue;
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
        if (!is_nonretweet(st, i) || t == LS__NONE || t >= nt || key[t] >= LS__NONE - 1) continue;
        uint32_t r = root[key[t]];
        if (rep[r] == LS__NONE && key[t] == r) rep[r] = t;
    }
    for (uint64_t i = 0; i < st->n_events; i++) {
        uint32_t t = st->ev_text[i];
        if (!is_nonretweet(st, i) || t == LS__NONE || t >= nt || key[t] >= LS__NONE - 1) continue;
        if ((rc = push(R, rep[root[key[t]]], i, 0)) != LS_OK) goto done;
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
static int emit_similar_qut(ls_ctx *ctx, const ls_store *st, const ls__co_opts *o, ls__recs *R)
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
        if (!is_nonretweet(st, i) || t == LS__NONE || t >= nt || key[t] != LS__NONE - 1) continue;
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
        if (!is_nonretweet(st, i) || t == LS__NONE || t >= nt || key[t] >= LS__NONE - 1) continue;
        if (rep[key[t]] == LS__NONE) rep[key[t]] = t;
    }
    for (uint64_t i = 0; i < st->n_events; i++) {
        uint32_t t = st->ev_text[i];
        if (!is_nonretweet(st, i) || t == LS__NONE || t >= nt || key[t] >= LS__NONE - 1) continue;
        uint32_t s = key[t];
        if ((rc = push(R, rep[s], i, 0)) != LS_OK) goto done;
        for (uint64_t q = setoff[s]; q < setoff[s + 1]; q++)
            if ((rc = push(R, rep[(uint32_t)nbr[q]], i, 1)) != LS_OK) goto done;
    }
done:
    if (rc == LS_ERR_NOMEM) ls__fail(ctx, rc, "co_similar_tweet: out of memory");
    ls__free(key); ls__free(rep); ls__free(h); ls__free(sig); ls__free(pairs);
    ls__free(nbr); ls__free(tmp); ls__free(setoff);
    ls__intern_free(&in);
    return rc;
}

/* co_hashtag: the object is the first event carrying the same set of
 * distinct hashtags. */
static int emit_hashtag(ls_ctx *ctx, const ls_store *st, ls__recs *R)
{
    int rc = LS_OK;
    ls__intern in;
    uint32_t *set = NULL, *rep = NULL;
    size_t cap = 0, rep_cap = 0;
    ls__intern_init(&in);
    for (uint64_t i = 0; i < st->n_events; i++) {
        if (!is_nonretweet(st, i)) continue;
        size_t m = 0;
        for (uint32_t k = st->ev_list[i]; k < st->ev_list[i + 1]; k++) {
            if (st->li_type[k] != LS_LI_HASHTAG) continue;
            if ((rc = ls__grow((void **)&set, &cap, m + 1, sizeof *set)) != LS_OK) goto done;
            uint32_t x = st->li_id[k];
            size_t j = m;
            while (j > 0 && set[j - 1] > x) { set[j] = set[j - 1]; j--; }
            set[j] = x;
            m++;
        }
        size_t u = 0;
        for (size_t j = 0; j < m; j++) if (u == 0 || set[u - 1] != set[j]) set[u++] = set[j];
        if (u == 0) continue;
        uint32_t id;
        size_t before = in.n;
        if ((rc = ls__intern_put(&in, (ls__str){ (const char *)set, u * sizeof *set }, &id)) != LS_OK)
            goto done;
        if (in.n > before) {
            if ((rc = ls__grow((void **)&rep, &rep_cap, in.n, sizeof *rep)) != LS_OK) goto done;
            if (i > UINT32_MAX - 1) { rc = LS_ERR_LIMIT; goto done; }
            rep[id] = (uint32_t)i;
        }
        if ((rc = push(R, rep[id], i, 0)) != LS_OK) goto done;
    }
done:
    if (rc != LS_OK) ls__fail(ctx, rc, "co_hashtag: out of memory");
    ls__free(set); ls__free(rep);
    ls__intern_free(&in);
    return rc;
}

int ls__records_emit(ls_ctx *ctx, const ls_store *st, int layer,
                     const ls__co_opts *o, ls__recs *R)
{
    int rc = LS_OK;
    memset(R, 0, sizeof *R);
    R->obj_kind = ls__layer_obj_kind(layer, o->qut);
    if (st->n_events >= (1ULL << 31))
        return ls__fail(ctx, LS_ERR_LIMIT, "co-action: more than 2^31 events in one store");
    switch (layer) {
    case LS_L_TWEET: return emit_tweet(ctx, st, o, R);
    case LS_L_SIMILAR: return o->qut ? emit_similar_qut(ctx, st, o, R) : emit_similar(ctx, st, o, R);
    case LS_L_HASHTAG: return emit_hashtag(ctx, st, R);
    default: break;
    }
    int64_t t0 = st->n_events ? st->ev_time[0] : 0;
    int64_t bw = o->window_ms > 0 ? o->window_ms : 1;
    for (uint64_t i = 0; i < st->n_events && rc == LS_OK; i++) {
        int kind = st->ev_kind[i];
        switch (layer) {
        case LS_L_RETWEET:
            if (kind == LS_KIND_RETWEET && st->ev_ref_post[i] != LS__NONE)
                rc = push(R, st->ev_ref_post[i], i, 0);
            break;
        case LS_L_QUOTE:
            if (kind == LS_KIND_QUOTE && st->ev_ref_post[i] != LS__NONE)
                rc = push(R, st->ev_ref_post[i], i, 0);
            break;
        case LS_L_REPLY:
            if (kind != LS_KIND_RETWEET && st->ev_reply_post[i] != LS__NONE)
                rc = push(R, st->ev_reply_post[i], i, 0);
            break;
        case LS_L_LINK:
            if (kind != LS_KIND_RETWEET) rc = push_list(R, st, i, LS_LI_URL);
            break;
        case LS_L_DOMAIN:
            if (kind != LS_KIND_RETWEET) rc = push_list(R, st, i, LS_LI_DOMAIN);
            break;
        case LS_L_MENTION:
            if (kind != LS_KIND_RETWEET) rc = push_list(R, st, i, LS_LI_MENTION);
            break;
        case LS_L_IMAGE:
            if (kind != LS_KIND_RETWEET) rc = push_list(R, st, i, LS_LI_IMAGE);
            break;
        case LS_L_POST: {
            /* qut: one object, a sliding window over all posts.  Default:
             * Δt-wide time buckets, so that the per-object cap applies. */
            uint64_t bucket = o->qut ? 0 : (uint64_t)((st->ev_time[i] - t0) / bw);
            if (bucket > UINT32_MAX - 2) return ls__fail(ctx, LS_ERR_LIMIT, "co_post: time span too long for the window");
            rc = push(R, (uint32_t)bucket, i, 0);
            break;
        }
        default:
            return ls__fail(ctx, LS_ERR_USAGE, "unknown layer %d", layer);
        }
    }
    if (rc != LS_OK) return ls__fail(ctx, rc, "%s: out of memory", ls__layer_name(layer));
    return LS_OK;
}

static int put_snippet(ls__buf *b, ls__str s, size_t max)
{
    size_t n = s.n > max ? max : s.n;
    n = ls__utf8_valid_prefix(s.p, n);
    int rc = ls__buf_put(b, s.p, n);
    if (rc == LS_OK && n < s.n) rc = ls__buf_put(b, "...", 3);
    return rc;
}

int ls__object_name(const ls_store *st, int kind, uint32_t id, int64_t window_ms, ls__buf *b)
{
    const ls__strtab *t = NULL;
    switch (kind) {
    case LS_OBJ_POST: t = &st->ns[LS_NS_POST]; if (ls__buf_put(b, "post ", 5)) return LS_ERR_NOMEM; break;
    case LS_OBJ_TEXT: t = &st->ns[LS_NS_TEXT]; break;
    case LS_OBJ_URL: t = &st->ns[LS_NS_URL]; break;
    case LS_OBJ_DOMAIN: t = &st->ns[LS_NS_DOMAIN]; break;
    case LS_OBJ_ACCOUNT: t = &st->ns[LS_NS_ACCOUNT]; if (ls__buf_putc(b, '@')) return LS_ERR_NOMEM; break;
    case LS_OBJ_IMAGE: t = &st->ns[LS_NS_IMAGE]; if (ls__buf_put(b, "image ", 6)) return LS_ERR_NOMEM; break;
    case LS_OBJ_EVENT: {
        if (id >= st->n_events) return ls__buf_put(b, "?", 1);
        int first = 1;
        for (uint32_t k = st->ev_list[id]; k < st->ev_list[id + 1]; k++) {
            if (st->li_type[k] != LS_LI_HASHTAG) continue;
            if (!first && ls__buf_putc(b, ' ')) return LS_ERR_NOMEM;
            if (ls__buf_putc(b, '#')) return LS_ERR_NOMEM;
            if (put_snippet(b, ls__strtab_get(&st->ns[LS_NS_HASHTAG], st->li_id[k]), 100)) return LS_ERR_NOMEM;
            first = 0;
        }
        return LS_OK;
    }
    case LS_OBJ_BUCKET:
        return ls__buf_printf(b, "time window %u (%lld s wide)", id, (long long)(window_ms / 1000));
    default: return ls__buf_put(b, "?", 1);
    }
    if (id >= t->n) return ls__buf_put(b, "?", 1);
    ls__str s = ls__strtab_get(t, id);
    if (kind == LS_OBJ_TEXT) {
        if (ls__buf_putc(b, '"')) return LS_ERR_NOMEM;
        if (put_snippet(b, s, 120)) return LS_ERR_NOMEM;
        return ls__buf_putc(b, '"');
    }
    return put_snippet(b, s, 300);
}
