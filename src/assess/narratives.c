/*
 * narratives.c — what each network says: top hashtags, domains and
 * languages of its posts, its distinctive terms against the rest of the
 * data (weighted log-odds, logodds.c), and narrative groups: the network's
 * posts clustered by hashtag and term co-occurrence into a handful of
 * groups, each labelled by its top features, with its share of posts, the
 * most amplified example posts and posts per day.
 *
 * Texts are tokenised once per (network, text) pair: posts by members of
 * network k (retweets included, for grouping) and original posts by
 * everybody else (the background for term scoring, deterministically
 * sampled down to BG_TEXTS distinct texts when larger).
 *
 * Grouping: the candidate features are the network's hashtags and its 30
 * most distinctive terms used by at least max(3, 2% of posts) posts.  In
 * decreasing order of use, a feature joins the first group whose seed it
 * co-occurs with in at least half of its posts, or starts a new group
 * (at most MAX_GROUPS).  Each post goes to the group sharing most of its
 * features (the earlier group on ties), or to "other".
 *
 * Cost: O(events + tokens) plus sorting the (network, text) keys.
 */
#include "assess.h"
#include <stdlib.h>

#define BG_TEXTS 200000
#define N_TERMS 15
#define N_TERM_FEATURES 30
#define N_CAND 40
#define MAX_GROUPS 6
#define N_EXAMPLES 3
#define DAY_MS 86400000LL

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Everything shared between the networks of one call. */
typedef struct nar {
    ls_ctx *ctx;
    const ls_store *st;
    const uint32_t *net_of;
    uint32_t n_nets;
    const uint32_t *amp;
    ls__intern voc;
    /* distinct (group << 32 | text) keys, their post counts and tokens */
    uint64_t *key; size_t n_key;
    uint32_t *c_orig;            /* non-retweet posts with this key */
    uint32_t *tok_off;           /* n_key + 1 offsets into tok */
    uint32_t *tok; size_t n_tok, tok_cap;
    uint64_t *total; size_t total_cap;   /* per word, over all groups */
} nar;

static int64_t day_of(int64_t t)
{
    return t >= 0 ? t / DAY_MS : -((-t + DAY_MS - 1) / DAY_MS);
}

/* Builds the (group, text) keys and tokenises each once. */
static int tokenise_all(nar *N)
{
    const ls_store *st = N->st;
    size_t n_acc = st->ns[LS_NS_ACCOUNT].n;
    uint64_t *keys = NULL;
    size_t nk = 0;
    ls__tok *tk = NULL;
    int rc = LS_OK;
    keys = ls__malloc((st->n_events + 1) * sizeof *keys);
    if (!keys) return ls__fail(N->ctx, LS_ERR_NOMEM, "narratives: out of memory");
    /* Each record is group << 33 | text << 1 | retweet, so that sorting
     * keeps all posts of one (group, text) together and original posts can
     * be counted apart from retweets. */
    for (uint64_t i = 0; i < st->n_events; i++) {
        uint32_t t = st->ev_text[i], a = st->ev_account[i];
        if (t == LS__NONE) continue;
        uint32_t g = a < n_acc && N->net_of[a] < N->n_nets ? N->net_of[a] : N->n_nets;
        int rt = st->ev_kind[i] == LS_KIND_RETWEET;
        if (g == N->n_nets && rt) continue;
        keys[nk++] = (uint64_t)g << 33 | (uint64_t)t << 1 | (uint64_t)rt;
    }
    if (nk > 1) qsort(keys, nk, sizeof *keys, cmp_u64);
    /* Background sampling: keep one text in m by a hash of its id. */
    size_t bg_distinct = 0;
    for (size_t i = 0; i < nk; i++)
        if ((keys[i] >> 33) == N->n_nets && (i == 0 || keys[i] >> 1 != keys[i - 1] >> 1)) bg_distinct++;
    uint64_t m = bg_distinct > BG_TEXTS ? (bg_distinct + BG_TEXTS - 1) / BG_TEXTS : 1;

    N->key = ls__malloc((nk + 1) * sizeof *N->key);
    N->c_orig = ls__calloc(nk + 1, sizeof *N->c_orig);
    N->tok_off = ls__malloc((nk + 2) * sizeof *N->tok_off);
    if (!N->key || !N->c_orig || !N->tok_off) { rc = LS_ERR_NOMEM; goto done; }
    for (size_t i = 0; i < nk;) {
        uint64_t gt = keys[i] >> 1;               /* group << 32 | text */
        size_t j = i;
        uint32_t orig = 0;
        while (j < nk && keys[j] >> 1 == gt) { orig += !(keys[j] & 1); j++; }
        i = j;
        uint32_t text = (uint32_t)gt;
        if ((gt >> 32) == N->n_nets && m > 1 && ls__hash64(&text, sizeof text, 0x62) % m) continue;
        N->key[N->n_key] = gt;
        N->c_orig[N->n_key++] = orig;
    }
    if ((rc = ls__tok_new(N->ctx, &tk)) != LS_OK) goto done_ctx;
    for (size_t e = 0; e < N->n_key; e++) {
        const ls__str *w;
        size_t nw;
        N->tok_off[e] = (uint32_t)N->n_tok;
        if ((rc = ls__tok_text(tk, ls__strtab_get(&st->ns[LS_NS_TEXT], (uint32_t)N->key[e]), &w, &nw)) != LS_OK)
            goto done;
        if ((rc = ls__grow((void **)&N->tok, &N->tok_cap, N->n_tok + nw + 1, sizeof *N->tok)) != LS_OK) goto done;
        for (size_t k = 0; k < nw; k++) {
            uint32_t id;
            if ((rc = ls__intern_put(&N->voc, w[k], &id)) != LS_OK) goto done;
            size_t old = N->total_cap;
            if ((rc = ls__grow((void **)&N->total, &N->total_cap, (size_t)id + 1, sizeof *N->total)) != LS_OK) goto done;
            if (N->total_cap > old) memset(N->total + old, 0, (N->total_cap - old) * sizeof *N->total);
            N->total[id] += N->c_orig[e];
            N->tok[N->n_tok++] = id;
        }
        if (N->n_tok >= UINT32_MAX - 1024) { rc = LS_ERR_LIMIT; goto done; }
    }
    N->tok_off[N->n_key] = (uint32_t)N->n_tok;
done:
    if (rc != LS_OK) rc = ls__fail(N->ctx, rc, "narratives: %s", rc == LS_ERR_NOMEM ? "out of memory"
                                   : "cannot tokenise the texts");
done_ctx:
    ls__tok_free(tk);
    ls__free(keys);
    return rc;
}

/* Index of key (group, text) or SIZE_MAX. */
static size_t find_key(const nar *N, uint32_t g, uint32_t text)
{
    uint64_t k = (uint64_t)g << 32 | text;
    size_t lo = 0, hi = N->n_key;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (N->key[mid] < k) lo = mid + 1; else hi = mid;
    }
    return lo < N->n_key && N->key[lo] == k ? lo : SIZE_MAX;
}

typedef struct feat { uint32_t kind, id; uint64_t n; int group; } feat;  /* kind 0 tag, 1 word */

static json_t *shares(const ls__strtab *tab, const uint64_t *cnt, size_t n, uint64_t denom, size_t top,
                      const char *prefix)
{
    json_t *a = json_array();
    uint8_t *taken = ls__calloc(n + 1, 1);
    if (!taken) return a;
    for (size_t k = 0; k < top; k++) {
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < n; i++)
            if (cnt[i] && !taken[i] && (best == SIZE_MAX || cnt[i] > cnt[best])) best = i;
        if (best == SIZE_MAX) break;
        taken[best] = 1;
        ls__str s = ls__strtab_get(tab, (uint32_t)best);
        char buf[200];
        snprintf(buf, sizeof buf, "%s%.*s", prefix, (int)ls__utf8_valid_prefix(s.p, LS__MIN(s.n, 190)), s.p);
        json_array_append_new(a, json_pack("{s:s,s:I,s:o}", "key", buf, "posts", (json_int_t)cnt[best],
                                           "share", ls__jreal(denom ? (double)cnt[best] / (double)denom : 0)));
    }
    ls__free(taken);
    return a;
}

static void feat_name(const nar *N, const feat *f, char *buf, size_t cap)
{
    ls__str s = f->kind == 0 ? ls__strtab_get(&N->st->ns[LS_NS_HASHTAG], f->id) : ls__intern_get(&N->voc, f->id);
    snprintf(buf, cap, "%s%.*s", f->kind == 0 ? "#" : "", (int)ls__utf8_valid_prefix(s.p, LS__MIN(s.n, 120)), s.p);
}

/* has[c] = 1 for each candidate feature c that event i carries: its
 * hashtags among the first n_tagc candidates, and its words that are
 * candidate terms (word_feat[word] = candidate index or -1). */
static void post_features(const nar *N, uint32_t k, uint64_t i, const feat *cand, size_t nc,
                          size_t n_tagc, const int32_t *word_feat, uint8_t *has)
{
    const ls_store *st = N->st;
    memset(has, 0, nc);
    for (uint32_t l = st->ev_list[i]; l < st->ev_list[i + 1]; l++)
        if (st->li_type[l] == LS_LI_HASHTAG)
            for (size_t c = 0; c < n_tagc; c++) if (cand[c].id == st->li_id[l]) has[c] = 1;
    if (st->ev_text[i] == LS__NONE) return;
    size_t e = find_key(N, k, st->ev_text[i]);
    if (e == SIZE_MAX) return;
    for (uint32_t t = N->tok_off[e]; t < N->tok_off[e + 1]; t++)
        if (word_feat[N->tok[t]] >= 0) has[word_feat[N->tok[t]]] = 1;
}

static json_int_t g_posts(json_t *g) { return json_integer_value(json_object_get(g, "posts")); }

/* The most amplified distinct original posts of group g (ex) and its
 * posts per day (days) over the network's events ev[0..n) with groups
 * evg[]; events are in time order, so days come in order. */
static void examples_and_days(const nar *N, const uint64_t *ev, size_t n, const uint8_t *evg, uint8_t g,
                              json_t *ex, json_t *days)
{
    const ls_store *st = N->st;
    uint32_t ex_text[N_EXAMPLES];
    size_t n_ex = 0;
    for (size_t r = 0; r < N_EXAMPLES; r++) {
        size_t best = SIZE_MAX;
        uint64_t best_a = 0;
        for (size_t j = 0; j < n; j++) {
            uint64_t i = ev[j];
            if (evg[j] != g || st->ev_kind[i] == LS_KIND_RETWEET || st->ev_text[i] == LS__NONE) continue;
            int dup = 0;
            for (size_t q = 0; q < n_ex; q++) dup |= ex_text[q] == st->ev_text[i];
            if (dup) continue;
            uint64_t am = N->amp ? N->amp[st->ev_post[i]] : 0;
            for (uint32_t l = st->ev_list[i]; l < st->ev_list[i + 1]; l++)
                if (st->li_type[l] == LS_LI_RETWEETS || st->li_type[l] == LS_LI_QUOTES) am = LS__MAX(am, st->li_id[l]);
            if (best == SIZE_MAX || am > best_a) { best = j; best_a = am; }
        }
        if (best == SIZE_MAX) break;
        uint64_t i = ev[best];
        ex_text[n_ex++] = st->ev_text[i];
        ls__str tx = ls__strtab_get(&st->ns[LS_NS_TEXT], st->ev_text[i]);
        ls__str pid = ls__strtab_get(&st->ns[LS_NS_POST], st->ev_post[i]);
        ls__str aid = ls__strtab_get(&st->ns[LS_NS_ACCOUNT], st->ev_account[i]);
        json_array_append_new(ex, json_pack("{s:s%,s:s%,s:s%,s:I}", "post", pid.p, pid.n, "account",
                                            aid.p, aid.n, "text", tx.p, ls__utf8_valid_prefix(tx.p, LS__MIN(tx.n, (size_t)560)),
                                            "amplification", (json_int_t)best_a));
    }
    int64_t cur = INT64_MIN;
    uint64_t cnt = 0;
    char ds[40];
    for (size_t j = 0; j <= n; j++) {
        int64_t d = j < n && evg[j] == g ? day_of(st->ev_time[ev[j]]) : INT64_MIN;
        if (j < n && evg[j] != g) continue;
        if (d != cur || j == n) {
            if (cnt) { ls__day_str(cur, ds); json_array_append_new(days, json_pack("[sI]", ds, (json_int_t)cnt)); }
            cur = d; cnt = 0;
        }
        cnt++;
    }
}

/* The narratives of network k over its events ev[0..n). */
static int one_network(nar *N, uint32_t k, const uint64_t *ev, size_t n, uint64_t *y_in,
                       uint64_t *y_out, ls__term *terms, json_t **out)
{
    const ls_store *st = N->st;
    size_t V = N->voc.n, n_tag = st->ns[LS_NS_HASHTAG].n, n_dom = st->ns[LS_NS_DOMAIN].n;
    size_t n_lang = st->ns[LS_NS_LANG].n;
    uint64_t *c_tag = ls__calloc(n_tag + 1, sizeof *c_tag), *c_dom = ls__calloc(n_dom + 1, sizeof *c_dom);
    uint64_t *c_lang = ls__calloc(n_lang + 1, sizeof *c_lang);
    uint8_t *evg = ls__malloc(n + 1);
    int32_t *word_feat = NULL;
    int rc = LS_OK;
    json_t *o = json_object();
    if (!c_tag || !c_dom || !c_lang || !evg || !o) { rc = LS_ERR_NOMEM; goto done; }

    /* Distinctive terms. */
    memset(y_in, 0, V * sizeof *y_in);
    for (size_t e = 0; e < N->n_key; e++) {
        if ((N->key[e] >> 32) != k) continue;
        for (uint32_t t = N->tok_off[e]; t < N->tok_off[e + 1]; t++) y_in[N->tok[t]] += N->c_orig[e];
    }
    for (size_t w = 0; w < V; w++) y_out[w] = N->total[w] - y_in[w];
    size_t n_terms = 0;
    /* The prior is the pooled data itself (a0 = all word uses), as in
     * Monroe et al.'s informative prior: shrinkage scales with the data. */
    double a0 = 0;
    for (size_t w = 0; w < V; w++) a0 += (double)N->total[w];
    ls__logodds(y_in, y_out, V, a0, 3, terms, &n_terms);
    json_t *jt = json_array();
    for (size_t i = 0; i < n_terms && i < N_TERMS; i++) {
        if (terms[i].z < 1.96) break;
        ls__str s = ls__intern_get(&N->voc, terms[i].id);
        json_array_append_new(jt, json_pack("{s:s%,s:I,s:I,s:o}", "term", s.p, s.n, "count",
                                            (json_int_t)terms[i].y_in, "elsewhere", (json_int_t)terms[i].y_out,
                                            "z", ls__jreal(terms[i].z)));
    }

    /* Hashtags, domains, languages over all the network's posts. */
    uint64_t lang_known = 0;
    for (size_t j = 0; j < n; j++) {
        uint64_t i = ev[j];
        for (uint32_t l = st->ev_list[i]; l < st->ev_list[i + 1]; l++) {
            if (st->li_type[l] == LS_LI_HASHTAG && st->li_id[l] < n_tag) c_tag[st->li_id[l]]++;
            else if (st->li_type[l] == LS_LI_DOMAIN && st->li_id[l] < n_dom) c_dom[st->li_id[l]]++;
        }
        if (st->ev_lang[i] != 0xFFFF && st->ev_lang[i] < n_lang) { c_lang[st->ev_lang[i]]++; lang_known++; }
    }

    /* Candidate features: hashtags and distinctive words by posts using them. */
    feat cand[N_CAND + N_TERM_FEATURES];
    size_t nc = 0;
    uint64_t min_posts = LS__MAX(3, n / 50);
    word_feat = ls__malloc((V + 1) * sizeof *word_feat);
    if (!word_feat) { rc = LS_ERR_NOMEM; goto done; }
    for (size_t w = 0; w < V; w++) word_feat[w] = -1;
    {
        uint8_t *taken = ls__calloc(n_tag + 1, 1);
        if (!taken) { rc = LS_ERR_NOMEM; goto done; }
        for (size_t r = 0; r < N_CAND; r++) {
            size_t best = SIZE_MAX;
            for (size_t i = 0; i < n_tag; i++)
                if (c_tag[i] >= min_posts && !taken[i] && (best == SIZE_MAX || c_tag[i] > c_tag[best])) best = i;
            if (best == SIZE_MAX) break;
            taken[best] = 1;
            cand[nc++] = (feat){ 0, (uint32_t)best, c_tag[best], -1 };
        }
        ls__free(taken);
    }
    size_t n_tagc = nc;
    for (size_t i = 0; i < n_terms && i < N_TERM_FEATURES; i++) {
        if (terms[i].z < 1.96) break;
        word_feat[terms[i].id] = (int32_t)nc;
        cand[nc++] = (feat){ 1, terms[i].id, 0, -1 };
    }
    /* Per post: its candidate features (hashtags first); counts and
     * co-occurrence. */
    uint32_t cooc[N_CAND + N_TERM_FEATURES][N_CAND + N_TERM_FEATURES];
    memset(cooc, 0, sizeof cooc);
    for (size_t c = n_tagc; c < nc; c++) cand[c].n = 0;
    uint8_t has[N_CAND + N_TERM_FEATURES];
    for (size_t j = 0; j < n; j++) {
        post_features(N, k, ev[j], cand, nc, n_tagc, word_feat, has);
        for (size_t a = 0; a < nc; a++) {
            if (!has[a]) continue;
            if (a >= n_tagc) cand[a].n++;
            for (size_t b = 0; b < nc; b++) if (has[b]) cooc[a][b]++;
        }
    }
    /* Greedy grouping in decreasing order of use (stable by index). */
    size_t order[N_CAND + N_TERM_FEATURES];
    for (size_t i = 0; i < nc; i++) order[i] = i;
    for (size_t i = 1; i < nc; i++)
        for (size_t j = i; j > 0 && cand[order[j]].n > cand[order[j - 1]].n; j--) {
            size_t t = order[j]; order[j] = order[j - 1]; order[j - 1] = t;
        }
    size_t seed[MAX_GROUPS], n_groups = 0;
    for (size_t r = 0; r < nc; r++) {
        size_t f = order[r];
        if (cand[f].n < min_posts) continue;
        for (size_t g = 0; g < n_groups; g++)
            if (2 * cooc[f][seed[g]] >= cand[f].n) { cand[f].group = (int)g; break; }
        if (cand[f].group < 0 && n_groups < MAX_GROUPS) { seed[n_groups] = f; cand[f].group = (int)n_groups++; }
    }
    /* Assign posts. */
    uint64_t g_n[MAX_GROUPS + 1] = { 0 };
    for (size_t j = 0; j < n; j++) {
        post_features(N, k, ev[j], cand, nc, n_tagc, word_feat, has);
        int score[MAX_GROUPS] = { 0 }, best = -1;
        for (size_t a = 0; a < nc; a++) if (has[a] && cand[a].group >= 0) score[cand[a].group]++;
        for (size_t g = 0; g < n_groups; g++) if (score[g] && (best < 0 || score[g] > score[best])) best = (int)g;
        evg[j] = (uint8_t)(best < 0 ? n_groups : (size_t)best);
        g_n[evg[j]]++;
    }
    json_t *groups = json_array(), *gj[MAX_GROUPS + 1];
    size_t n_gj = 0;
    for (size_t g = 0; g <= n_groups; g++) {
        if (g == n_groups && g_n[g] == 0) break;
        json_t *jg = json_object(), *feats = json_array(), *ex = json_array(), *days = json_array();
        char label[400] = "", nm[140];
        size_t used = 0, nl = 0;
        for (size_t r = 0; r < nc && g < n_groups; r++) {
            const feat *f = &cand[order[r]];
            if (f->group != (int)g) continue;
            feat_name(N, f, nm, sizeof nm);
            json_array_append_new(feats, json_pack("{s:s,s:I}", "feature", nm, "posts", (json_int_t)f->n));
            if (nl < 3 && used + strlen(nm) + 3 < sizeof label) {
                used += (size_t)snprintf(label + used, sizeof label - used, "%s%s", nl ? " " : "", nm);
                nl++;
            }
        }
        if (g == n_groups) snprintf(label, sizeof label, "other");
        examples_and_days(N, ev, n, evg, (uint8_t)g, ex, days);
        json_object_set_new(jg, "label", json_string(label));
        json_object_set_new(jg, "posts", json_integer((json_int_t)g_n[g]));
        json_object_set_new(jg, "share", ls__jreal(n ? (double)g_n[g] / (double)n : 0));
        json_object_set_new(jg, "features", feats);
        json_object_set_new(jg, "examples", ex);
        json_object_set_new(jg, "per_day", days);
        gj[n_gj++] = jg;
    }
    /* Largest group first; "other" stays last. */
    for (size_t i = 1; i < n_gj; i++)
        for (size_t j = i; j > 0 && g_posts(gj[j]) > g_posts(gj[j - 1]) &&
                           strcmp(json_string_value(json_object_get(gj[j], "label")), "other") != 0; j--) {
            json_t *t = gj[j]; gj[j] = gj[j - 1]; gj[j - 1] = t;
        }
    for (size_t i = 0; i < n_gj; i++) json_array_append_new(groups, gj[i]);
    json_object_set_new(o, "posts", json_integer((json_int_t)n));
    json_object_set_new(o, "hashtags", shares(&st->ns[LS_NS_HASHTAG], c_tag, n_tag, n, 10, "#"));
    json_object_set_new(o, "domains", shares(&st->ns[LS_NS_DOMAIN], c_dom, n_dom, n, 10, ""));
    json_object_set_new(o, "languages", shares(&st->ns[LS_NS_LANG], c_lang, n_lang, lang_known, 5, ""));
    json_object_set_new(o, "terms", jt);
    json_object_set_new(o, "groups", groups);
done:
    ls__free(c_tag); ls__free(c_dom); ls__free(c_lang); ls__free(evg); ls__free(word_feat);
    if (rc != LS_OK) { json_decref(o); return ls__fail(N->ctx, rc, "narratives: out of memory"); }
    *out = o;
    return LS_OK;
}

int ls__narratives(ls_ctx *ctx, const ls_store *st, const uint32_t *net_of,
                   uint32_t n_nets, const uint32_t *amp, json_t **out)
{
    nar N = { .ctx = ctx, .st = st, .net_of = net_of, .n_nets = n_nets, .amp = amp };
    uint64_t *ev = NULL, *start = NULL, *y_in = NULL, *y_out = NULL;
    ls__term *terms = NULL;
    size_t n_acc = st->ns[LS_NS_ACCOUNT].n;
    int rc;
    ls__intern_init(&N.voc);
    for (uint32_t k = 0; k < n_nets; k++) out[k] = NULL;
    if ((rc = tokenise_all(&N)) != LS_OK) goto done;
    size_t V = N.voc.n;
    y_in = ls__calloc(V + 1, sizeof *y_in);
    y_out = ls__calloc(V + 1, sizeof *y_out);
    terms = ls__malloc((V + 1) * sizeof *terms);
    start = ls__calloc(n_nets + 2, sizeof *start);
    ev = ls__malloc((st->n_events + 1) * sizeof *ev);
    if (!y_in || !y_out || !terms || !start || !ev) { rc = ls__fail(ctx, LS_ERR_NOMEM, "narratives: out of memory"); goto done; }
    /* Events grouped by network, in time order within each (counting sort). */
    for (uint64_t i = 0; i < st->n_events; i++) {
        uint32_t a = st->ev_account[i];
        if (a < n_acc && net_of[a] < n_nets) start[net_of[a] + 1]++;
    }
    for (uint32_t k = 0; k < n_nets; k++) start[k + 1] += start[k];
    {
        uint64_t *fill = ls__malloc((n_nets + 1) * sizeof *fill);
        if (!fill) { rc = ls__fail(ctx, LS_ERR_NOMEM, "narratives: out of memory"); goto done; }
        memcpy(fill, start, (n_nets + 1) * sizeof *fill);
        for (uint64_t i = 0; i < st->n_events; i++) {
            uint32_t a = st->ev_account[i];
            if (a < n_acc && net_of[a] < n_nets) ev[fill[net_of[a]]++] = i;
        }
        ls__free(fill);
    }
    for (uint32_t k = 0; k < n_nets && rc == LS_OK; k++)
        rc = one_network(&N, k, ev + start[k], (size_t)(start[k + 1] - start[k]), y_in, y_out, terms, &out[k]);
done:
    if (rc != LS_OK) for (uint32_t k = 0; k < n_nets; k++) { json_decref(out[k]); out[k] = NULL; }
    ls__intern_free(&N.voc);
    ls__free(N.key); ls__free(N.c_orig); ls__free(N.tok_off); ls__free(N.tok); ls__free(N.total);
    ls__free(ev); ls__free(start); ls__free(y_in); ls__free(y_out); ls__free(terms);
    return rc;
}
