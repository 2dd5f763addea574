/*
 * records_text.c — the records of the two text layers: co_tweet (identical
 * normalised text; the object is the first text id with that key) and
 * co_similar_tweet (near-duplicate clusters from MinHash/LSH, or QUT's
 * word-set Jaccard with --compat qut), and co_text (co_similar_tweet's
 * clusters of informative texts, swept with no window: a copy-paste
 * campaign spread over hours).  Keys are computed once per distinct text
 * id, not per event.  See docs/networks.md and docs/detect.md.
 */
#include "signals.h"
#include <utf8proc.h>

/* A character of a script written without spaces carries about a word's
 * information: Han and kana count 3, Hangul syllables 2. */
static uint32_t char_info(utf8proc_int32_t c)
{
    if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2FFFF) ||
        (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x3040 && c <= 0x30FF)) return 3;
    if (c >= 0xAC00 && c <= 0xD7AF) return 2;
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return 1;
    default:
        return 0;
    }
}

/* Letters and digits outside hashtags (a hashtag names the trend a crowd
 * joins; it is not what the poster wrote).  Invalid bytes count nothing. */
uint32_t ls__text_info(ls__str t)
{
    uint32_t info = 0;
    int in_tag = 0;
    for (size_t i = 0; i < t.n;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)t.p + i, (utf8proc_ssize_t)(t.n - i), &c);
        if (k <= 0) { i++; continue; }
        i += (size_t)k;
        if (c == '#') { in_tag = 1; continue; }
        if (c == ' ' || c == '\t' || c == '\n') { in_tag = 0; continue; }
        if (!in_tag && info < UINT32_MAX - 3) info += char_info(c);
    }
    return info;
}

/* co_tweet with --compat qut: QUT's key (lowercase, '@...' removed,
 * whitespace collapsed), interned in event order; the object is the first
 * text id with that key. */
static int emit_tweet_qut(ls_ctx *ctx, const ls_store *st, ls__recs *R)
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
            if ((rc = ls__text_norm_qut(ls__strtab_get(&st->ns[LS_NS_TEXT], t), &b)) != LS_OK) goto done;
            if (b.n == 0) { obj[t] = LS__NONE; continue; }
            if ((rc = ls__intern_put(&in, (ls__str){ b.p, b.n }, &obj[t])) != LS_OK) goto done;
            if (obj[t] >= rep_cap) {
                size_t old = rep_cap;
                if ((rc = ls__grow((void **)&rep, &rep_cap, (size_t)obj[t] + 1, sizeof *rep)) != LS_OK) goto done;
                for (size_t k = old; k < rep_cap; k++) rep[k] = LS__NONE;
            }
            /* A new key's first text is this one: events come in order. */
            if (rep[obj[t]] == LS__NONE) rep[obj[t]] = t;
        }
        if (obj[t] == LS__NONE) continue;
        if ((rc = ls__recs_push(R, rep[obj[t]], i, 0)) != LS_OK) goto done;
    }
done:
    if (rc == LS_ERR_NOMEM) ls__fail(ctx, rc, "co_tweet: out of memory");
    ls__free(obj); ls__free(rep);
    ls__intern_free(&in);
    ls__buf_free(&b);
    return rc;
}

/* ---- normalised text keys, shared by co_tweet and co_similar_tweet ----
 * Distinct text ids of non-retweets are listed in order of first event;
 * fixed chunks of that list are normalised on all threads; equal keys
 * are found by sorting (hash, position) and comparing bytes, and key ids
 * are then numbered in list order.  That is the numbering an interner fed
 * in event order would give, at any thread count. */
#define TK_CHUNK 65536   /* texts per normalisation chunk: a few MB of
                            keys, enough for huge pages (ls__big_hint) */

struct ls__textkeys {
    int ready;
    const ls_store *st;   /* the store they were built from */
    uint32_t nt;          /* text ids in the store */
    uint32_t *key;        /* per text id: key id, or LS__NONE */
    uint32_t nk;          /* distinct non-empty keys */
    uint32_t *rep;        /* per key: first text id (event order) with it */
    ls__str *str;         /* per key: its normalised text */
    ls__buf *blob;        /* the chunks' normalised texts */
    size_t n_blob;
    uint32_t *info;       /* per key: ls__text_info of its text */
    uint32_t *sim;        /* per key: root key of its near-duplicate
                             cluster (kept by co_similar_tweet for co_text),
                             or NULL */
    double sim_thr;       /* the threshold and seed sim was built with */
    uint64_t sim_seed;
};

ls__textkeys *ls__textkeys_new(void)
{
    return ls__calloc(1, sizeof(ls__textkeys));
}

/* The normalised strings are only needed for MinHash: drop them early. */
static void tk_free_strings(ls__textkeys *tk)
{
    for (size_t c = 0; c < tk->n_blob; c++) ls__buf_free(&tk->blob[c]);
    ls__free(tk->blob);
    ls__free(tk->str);
    tk->blob = NULL; tk->n_blob = 0; tk->str = NULL;
}

void ls__textkeys_free(ls__textkeys *tk)
{
    if (!tk) return;
    tk_free_strings(tk);
    ls__free(tk->key);
    ls__free(tk->rep);
    ls__free(tk->info);
    ls__free(tk->sim);
    ls__free(tk);
}

typedef struct tk_job {
    const ls_store *st;
    const uint32_t *order;     /* text ids to normalise */
    size_t m;
    ls__buf *blob;             /* per chunk */
    uint32_t *off, *len;       /* per position: offset in its chunk, length */
    uint64_t *h;               /* per position: hash of the key */
    int rc[16];
} tk_job;

/* Normalises chunks t, t + T, ... (each chunk's bytes depend on its
 * texts only, not on the thread). */
static void tk_run(void *arg, int t, int T)
{
    tk_job *j = arg;
    ls__norm_scratch sc = { { 0 }, { 0 } };
    const ls__strtab *tab = &j->st->ns[LS_NS_TEXT];
    int rc = LS_OK;
    for (size_t c = (size_t)t; c * TK_CHUNK < j->m && rc == LS_OK; c += (size_t)T) {
        ls__buf *b = &j->blob[c];
        size_t hi = LS__MIN(j->m, (c + 1) * TK_CHUNK);
        /* Room for the raw texts (keys are rarely longer), allocated
         * even if every key is empty: strings point into it. */
        size_t raw = 1;
        for (size_t p = c * TK_CHUNK; p < hi; p++) raw += ls__strtab_get(tab, j->order[p]).n;
        if (!(b->p = ls__big_malloc(raw))) { rc = LS_ERR_NOMEM; break; }
        b->cap = raw;
        b->n = 0;
        b->p[0] = '\0';
        for (size_t p = c * TK_CHUNK; p < hi; p++) {
            size_t before = b->n;
            if ((rc = ls__text_norm_with(ls__strtab_get(tab, j->order[p]), b, &sc)) != LS_OK) break;
            if (b->n > UINT32_MAX) { rc = LS_ERR_LIMIT; break; }
            j->off[p] = (uint32_t)before;
            j->len[p] = (uint32_t)(b->n - before);
            j->h[p] = ls__hash64(b->p + before, b->n - before, 0x7e47ULL);
        }
    }
    ls__norm_scratch_free(&sc);
    j->rc[t] = rc;
}

static int tk_build(ls_ctx *ctx, const ls_store *st, ls__textkeys *tk)
{
    int rc = LS_OK;
    uint32_t nt = st->ns[LS_NS_TEXT].n;
    uint32_t *order = NULL, *off = NULL, *len = NULL, *canon = NULL, *firsts = NULL;
    uint64_t *h = NULL, *x = NULL, *tmp = NULL;
    size_t m = 0, nf = 0, fcap = 0;
    tk->st = st;
    tk->nt = nt;
    tk->key = ls__big_malloc((nt ? nt : 1) * sizeof *tk->key);
    order = ls__big_malloc((nt ? nt : 1) * sizeof *order);
    if (!tk->key || !order) { rc = LS_ERR_NOMEM; goto done; }
    for (uint32_t t = 0; t < nt; t++) tk->key[t] = LS__NONE - 1;   /* not listed */
    for (uint64_t i = 0; i < st->n_events; i++) {
        uint32_t t = st->ev_text[i];
        if (!ls__is_nonretweet(st, i) || t >= nt || tk->key[t] != LS__NONE - 1) continue;
        tk->key[t] = LS__NONE;
        order[m++] = t;
    }
    size_t nch = (m + TK_CHUNK - 1) / TK_CHUNK;
    off = ls__big_malloc((m ? m : 1) * sizeof *off);
    len = ls__big_malloc((m ? m : 1) * sizeof *len);
    h = ls__big_malloc((m ? m : 1) * sizeof *h);
    tk->blob = ls__calloc(nch ? nch : 1, sizeof *tk->blob);
    if (!off || !len || !h || !tk->blob) { rc = LS_ERR_NOMEM; goto done; }
    tk->n_blob = nch;
    int T = ls__threads(ctx);
    if (T > 16) T = 16;
    if ((size_t)T > nch) T = nch ? (int)nch : 1;
    tk_job job = { st, order, m, tk->blob, off, len, h, { 0 } };
    ls__par_for(T, tk_run, &job);
    for (int t = 0; t < T; t++) if (job.rc[t] != LS_OK && rc == LS_OK) rc = job.rc[t];
    if (rc != LS_OK) goto done;

    /* Equal keys: sort (hash, position) with the position in the low
     * bits (already in order, so only the hash bits are sorted), then
     * compare bytes within each run of equal hash bits. */
    int pb = 1;
    while (pb < 63 && ((uint64_t)1 << pb) < m) pb++;
    uint64_t pmask = ((uint64_t)1 << pb) - 1;
    size_t nx = 0;
    x = ls__big_malloc((m ? m : 1) * sizeof *x);
    tmp = ls__big_malloc((m ? m : 1) * sizeof *tmp);
    canon = ls__big_malloc((m ? m : 1) * sizeof *canon);
    if (!x || !tmp || !canon) { rc = LS_ERR_NOMEM; goto done; }
    for (size_t p = 0; p < m; p++) {
        canon[p] = (uint32_t)p;
        if (len[p]) x[nx++] = (h[p] & ~pmask) | p;
    }
    ls__radix_u64_from(x, tmp, nx, pb);
#define TK_STR(q_) ((ls__str){ tk->blob[(q_) / TK_CHUNK].p + off[q_], len[q_] })
    for (size_t s = 0; s < nx;) {
        size_t e = s + 1;
        while (e < nx && (x[e] & ~pmask) == (x[s] & ~pmask)) e++;
        /* Each position joins the first earlier one in the run with the
         * same bytes; a run with several keys is a collision of the hash
         * bits, and firsts[] holds the first position of each. */
        nf = 0;
        for (size_t i = s; i < e; i++) {
            uint32_t p = (uint32_t)(x[i] & pmask);
            size_t f = 0;
            while (f < nf && !(h[firsts[f]] == h[p] && ls__str_eq(TK_STR(firsts[f]), TK_STR(p)))) f++;
            if (f < nf) { canon[p] = firsts[f]; continue; }
            if ((rc = ls__grow((void **)&firsts, &fcap, nf + 1, sizeof *firsts)) != LS_OK) goto done;
            firsts[nf++] = p;
        }
        s = e;
    }
    ls__free(x); x = NULL;
    ls__free(tmp); tmp = NULL;
    /* Key ids in list order. */
    size_t nk = 0;
    for (size_t p = 0; p < m; p++) if (len[p] && canon[p] == p) nk++;
    if (nk > UINT32_MAX - 2) { rc = LS_ERR_LIMIT; goto done; }
    tk->rep = ls__big_malloc((nk ? nk : 1) * sizeof *tk->rep);
    tk->str = ls__big_malloc((nk ? nk : 1) * sizeof *tk->str);
    tk->info = ls__big_malloc((nk ? nk : 1) * sizeof *tk->info);
    if (!tk->rep || !tk->str || !tk->info) { rc = LS_ERR_NOMEM; goto done; }
    tk->nk = 0;
    for (size_t p = 0; p < m; p++) {
        uint32_t t = order[p];
        if (!len[p]) continue;   /* empty key: matches nothing */
        if (canon[p] == p) {
            tk->rep[tk->nk] = t;
            tk->str[tk->nk] = TK_STR(p);
            tk->info[tk->nk] = ls__text_info(TK_STR(p));
            tk->key[t] = tk->nk++;
        } else {
            tk->key[t] = tk->key[order[canon[p]]];
        }
    }
#undef TK_STR
    tk->ready = 1;
done:
    ls__free(order); ls__free(off); ls__free(len); ls__free(h);
    ls__free(x); ls__free(tmp); ls__free(canon); ls__free(firsts);
    if (rc == LS_ERR_NOMEM) ls__fail(ctx, rc, "text keys: out of memory");
    else if (rc == LS_ERR_LIMIT) ls__fail(ctx, rc, "text keys: too many or too long texts");
    return rc;
}

/* The keys of o->text_keys when the caller shares them between layers
 * (built on first use), else of a local set that *own holds.  need_str:
 * the normalised texts are needed too (co_similar_tweet frees them after
 * MinHash, so a later user of the same shared keys rebuilds them). */
static int tk_get(ls_ctx *ctx, const ls_store *st, const ls__co_opts *o, int need_str,
                  ls__textkeys **own, ls__textkeys **tk)
{
    *own = NULL;
    *tk = o->text_keys;
    if (*tk) {
        if ((*tk)->ready && (*tk)->st == st && (*tk)->nt == st->ns[LS_NS_TEXT].n &&
            (!need_str || (*tk)->str || (*tk)->nk == 0)) return LS_OK;
        /* Not built, or built without what is needed now: start over. */
        tk_free_strings(*tk);
        ls__free((*tk)->key);
        ls__free((*tk)->rep);
        ls__free((*tk)->info);
        ls__free((*tk)->sim);
        memset(*tk, 0, sizeof **tk);
    } else {
        if (!(*own = ls__textkeys_new())) return ls__fail(ctx, LS_ERR_NOMEM, "text keys: out of memory");
        *tk = *own;
    }
    return tk_build(ctx, st, *tk);
}

/* co_tweet: object = the first text id (in event order) whose key equals
 * this text's key; empty keys match nothing. */
int ls__emit_tweet(ls_ctx *ctx, const ls_store *st, const ls__co_opts *o, ls__recs *R)
{
    if (o->qut) return emit_tweet_qut(ctx, st, R);
    ls__textkeys *own = NULL, *tk;
    int rc = tk_get(ctx, st, o, 0, &own, &tk);
    for (uint64_t i = 0; rc == LS_OK && i < st->n_events; i++) {
        uint32_t t = st->ev_text[i];
        if (!ls__is_nonretweet(st, i) || t >= tk->nt || tk->key[t] >= LS__NONE - 1) continue;
        if ((rc = ls__recs_push(R, tk->rep[tk->key[t]], i, 0)) != LS_OK)
            ls__fail(ctx, rc, "co_tweet: out of memory");
    }
    ls__textkeys_free(own);
    return rc;
}

/* co_similar_tweet, default mode: normalised distinct texts are MinHashed
 * and clustered; the object is the representative text of the cluster. */
int ls__emit_similar(ls_ctx *ctx, const ls_store *st, const ls__co_opts *o, ls__recs *R)
{
    ls__textkeys *own = NULL, *tk = NULL;
    uint32_t *sig = NULL, *root = NULL;
    int rc = tk_get(ctx, st, o, 1, &own, &tk);
    if (rc != LS_OK) goto done;
    size_t nk = tk->nk;
    ls__timing("  co_similar_tweet: text keys (%zu)", nk);
    sig = ls__big_malloc((nk ? nk : 1) * LS__MH_K * sizeof *sig);
    root = ls__big_malloc((nk ? nk : 1) * sizeof *root);
    if (!sig || !root) { rc = ls__fail(ctx, LS_ERR_NOMEM, "co_similar_tweet: out of memory"); goto done; }
    if ((rc = ls__minhash_texts32(ctx, tk->str, nk, o->seed, sig)) != LS_OK) goto done;
    ls__timing("  co_similar_tweet: minhash");
    /* The texts are no longer needed: free them before clustering. */
    tk_free_strings(tk);
    if ((rc = ls__lsh_cluster(ctx, sig, nk, o->sim_threshold > 0 ? o->sim_threshold : 0.6, root)) != LS_OK) goto done;
    ls__timing("  co_similar_tweet: lsh clusters");
    ls__free(sig); sig = NULL;
    if (!own) {
        /* Shared keys: co_text (run next) reads the same clusters. */
        ls__free(tk->sim);
        tk->sim = root;
        tk->sim_thr = o->sim_threshold;
        tk->sim_seed = o->seed;
    }
    /* The representative text of a cluster is that of its root key (the
     * root is the cluster's smallest key id, whose first text comes first
     * in event order). */
    for (uint64_t i = 0; i < st->n_events; i++) {
        uint32_t t = st->ev_text[i];
        if (!ls__is_nonretweet(st, i) || t >= tk->nt || tk->key[t] >= LS__NONE - 1) continue;
        if ((rc = ls__recs_push(R, tk->rep[root[tk->key[t]]], i, 0)) != LS_OK) {
            ls__fail(ctx, rc, "co_similar_tweet: out of memory");
            goto done;
        }
    }
done:
    ls__free(sig);
    if (!tk || tk->sim != root) ls__free(root);
    ls__textkeys_free(own);
    return rc;
}

/* co_text: the events whose text belongs to an informative near-duplicate
 * cluster (its representative key's information >= LS__TEXT_MIN_INFO),
 * objects named as in co_similar_tweet.  The clusters come from the shared
 * keys when co_similar_tweet left them there with the same threshold and
 * seed (detect runs it first: no second MinHash), else they are built
 * here. */
int ls__emit_text(ls_ctx *ctx, const ls_store *st, const ls__co_opts *o, ls__recs *R)
{
    ls__textkeys *own = NULL, *tk = o->text_keys;
    uint32_t *sig = NULL, *root = NULL;
    int rc = LS_OK;
    if (!(tk && tk->ready && tk->st == st && tk->nt == st->ns[LS_NS_TEXT].n && tk->sim &&
          tk->sim_thr == o->sim_threshold && tk->sim_seed == o->seed)) {
        if ((rc = tk_get(ctx, st, o, 1, &own, &tk)) != LS_OK) goto done;
        size_t nk = tk->nk;
        sig = ls__big_malloc((nk ? nk : 1) * LS__MH_K * sizeof *sig);
        root = ls__big_malloc((nk ? nk : 1) * sizeof *root);
        if (!sig || !root) { rc = ls__fail(ctx, LS_ERR_NOMEM, "co_text: out of memory"); goto done; }
        if ((rc = ls__minhash_texts32(ctx, tk->str, nk, o->seed, sig)) != LS_OK) goto done;
        tk_free_strings(tk);
        if ((rc = ls__lsh_cluster(ctx, sig, nk, o->sim_threshold > 0 ? o->sim_threshold : 0.6, root)) != LS_OK)
            goto done;
        ls__free(sig); sig = NULL;
        ls__free(tk->sim);
        tk->sim = root;
        root = NULL;
        tk->sim_thr = o->sim_threshold;
        tk->sim_seed = o->seed;
    }
    for (uint64_t i = 0; i < st->n_events; i++) {
        uint32_t t = st->ev_text[i];
        if (!ls__is_nonretweet(st, i) || t >= tk->nt || tk->key[t] >= LS__NONE - 1) continue;
        uint32_t r = tk->sim[tk->key[t]];
        if (tk->info[r] < LS__TEXT_MIN_INFO) continue;
        if ((rc = ls__recs_push(R, tk->rep[r], i, 0)) != LS_OK) {
            ls__fail(ctx, rc, "co_text: out of memory");
            goto done;
        }
    }
done:
    ls__free(sig); ls__free(root);
    ls__textkeys_free(own);
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
    ls__str *sets = NULL;
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
    sets = ls__malloc((nk ? nk : 1) * sizeof *sets);
    if (!sig || !rep || !sets) { rc = LS_ERR_NOMEM; goto done; }
    for (size_t k = 0; k < nk; k++) {
        sets[k] = ls__intern_get(&in, (uint32_t)k);
        rep[k] = LS__NONE;
    }
    ls__minhash_sets32(ctx, sets, nk, o->seed, sig);
    ls__free(sets);
    sets = NULL;
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
    ls__free(nbr); ls__free(tmp); ls__free(setoff); ls__free(sets);
    ls__intern_free(&in);
    return rc;
}
