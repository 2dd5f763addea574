/*
 * stats.c — the figures the report shows for each network, computed in
 * two passes over the store's events (O(events + list entries), plus a
 * sort of each network's hashtag, domain and term occurrences):
 * posts per day (originals and amplification), hour-of-week, creation
 * dates, follower bins, top hashtags, domains and terms, and the most
 * amplified original posts as examples.
 *
 * Terms: when the assessment stage put terms in networks.json the report
 * shows those; the simple count here is the fallback.  It lowercases ASCII
 * words of three or more letters, skips URLs, @mentions, #hashtags, pure
 * numbers and a short English stop list, and splits Chinese/Japanese/
 * Korean runs into character bigrams, since they have no spaces.
 */
#include "report.h"
#include <stdlib.h>

static const char *const fol_labels[LS__FOL_BINS] = {
    "0", "1-7", "8-99", "100-999", "1k-4.9k", "5k-49k", "50k+", "unknown"
};
const char *ls__fol_bin_label(int i) { return fol_labels[i]; }

static int fol_bin(int64_t f)
{
    if (f < 0) return 7;
    if (f == 0) return 0;
    if (f < 8) return 1;
    if (f < 100) return 2;
    if (f < 1000) return 3;
    if (f < 5000) return 4;
    if (f < 50000) return 5;
    return 6;
}

static int64_t day_of(int64_t ms) { return ms / 86400000 - (ms % 86400000 < 0); }

typedef struct { uint32_t *v; size_t n, cap; } vec32;
static int vpush(vec32 *v, uint32_t x)
{
    if (v->n == v->cap && ls__grow((void **)&v->v, &v->cap, v->n + 1, sizeof *v->v) != LS_OK) return LS_ERR_NOMEM;
    v->v[v->n++] = x;
    return LS_OK;
}
static int u32cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}
/* Top k ids of v by count (ties: smaller id first). */
static size_t topk(vec32 *v, ls__topn *out, size_t k)
{
    size_t m = 0;
    if (v->n == 0) return 0;
    qsort(v->v, v->n, sizeof *v->v, u32cmp);
    for (size_t i = 0; i < v->n;) {
        size_t j = i;
        while (j < v->n && v->v[j] == v->v[i]) j++;
        ls__topn t = { v->v[i], j - i };
        size_t pos = m;
        while (pos > 0 && out[pos - 1].n < t.n) pos--;
        if (pos < k) {
            size_t last = m < k ? m : k - 1;
            memmove(out + pos + 1, out + pos, (last - pos) * sizeof *out);
            out[pos] = t;
            if (m < k) m++;
        }
        i = j;
    }
    return m;
}

static int i64cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static const char *const stop[] = {
    "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "her", "was", "one",
    "our", "out", "has", "have", "had", "his", "how", "its", "who", "why", "what", "when",
    "this", "that", "with", "from", "they", "them", "their", "there", "will", "would", "about",
    "been", "more", "than", "then", "into", "just", "your", "were", "which", "also", "amp",
    "http", "https", "www", "com", NULL
};
static bool is_stop(const char *w, size_t n)
{
    for (int i = 0; stop[i]; i++) if (strlen(stop[i]) == n && memcmp(stop[i], w, n) == 0) return true;
    return false;
}

static uint32_t decode(const unsigned char *s, size_t n, size_t *len)
{
    if (s[0] < 0x80) { *len = 1; return s[0]; }
    size_t k = ls__utf8_valid_prefix((const char *)s, LS__MIN(n, 4));
    int need = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
    if (k < (size_t)need) { *len = 1; return 0xFFFD; }
    *len = (size_t)need;
    if (need == 2) return (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
    if (need == 3) return (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
    return (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 | (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
}
static bool is_cjk(uint32_t c)
{
    return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
           (c >= 0xF900 && c <= 0xFAFF);
}
static bool is_word(uint32_t c)
{
    if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (c == 0xFFFD || (c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) ||
        (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF65) || c >= 0x1F000 || c < 0xC0)
        return false;
    return true;
}

/* Adds the terms of one text to v (interned in terms). */
static int text_terms(ls__intern *terms, vec32 *v, ls__str t, ls__buf *w)
{
    const unsigned char *s = (const unsigned char *)t.p;
    size_t i = 0, n = t.n;
    while (i < n) {
        /* Skip whole URL, mention and hashtag chunks. */
        if (s[i] == '@' || s[i] == '#' || (n - i >= 4 && strncasecmp((const char *)s + i, "http", 4) == 0)) {
            while (i < n && s[i] != ' ' && s[i] != '\n' && s[i] != '\t') i++;
            continue;
        }
        size_t len;
        uint32_t c = decode(s + i, n - i, &len);
        if (is_cjk(c)) {
            size_t len2;
            if (i + len < n) {
                uint32_t d = decode(s + i + len, n - i - len, &len2);
                if (is_cjk(d)) {
                    uint32_t id;
                    if (ls__intern_put(terms, (ls__str){ (const char *)s + i, len + len2 }, &id) != LS_OK ||
                        vpush(v, id) != LS_OK)
                        return LS_ERR_NOMEM;
                }
            }
            i += len;
            continue;
        }
        if (!is_word(c)) { i += len; continue; }
        size_t j = i, digits = 1, cps = 0;
        w->n = 0;
        while (j < n) {
            size_t l;
            uint32_t d = decode(s + j, n - j, &l);
            if (!is_word(d) || is_cjk(d)) break;
            if (!(d >= '0' && d <= '9')) digits = 0;
            for (size_t q = 0; q < l; q++) {
                unsigned char ch = s[j + q];
                if (ls__buf_putc(w, (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch)) != LS_OK) return LS_ERR_NOMEM;
            }
            j += l;
            cps++;
        }
        i = j;
        if (cps < 3 || digits || cps > 40 || is_stop(w->p, w->n)) continue;
        uint32_t id;
        if (ls__intern_put(terms, (ls__str){ w->p, w->n }, &id) != LS_OK || vpush(v, id) != LS_OK)
            return LS_ERR_NOMEM;
    }
    return LS_OK;
}

int ls__rstats_compute(ls_ctx *ctx, const ls__rdir *run, const ls_store *st, ls__rstats *out)
{
    size_t K = run->n_net, n_acc = st->ns[LS_NS_ACCOUNT].n, n_posts = st->ns[LS_NS_POST].n;
    int32_t *netof = NULL;
    uint32_t *amp = NULL;
    vec32 *tags = NULL, *doms = NULL, *terms = NULL;
    ls__buf w = { 0 };
    size_t *ccap = NULL;
    int rc = LS_OK;

    memset(out, 0, sizeof *out);
    ls__intern_init(&out->terms);
    out->n_net = K;
    netof = ls__malloc((n_acc ? n_acc : 1) * sizeof *netof);
    amp = ls__calloc(n_posts ? n_posts : 1, sizeof *amp);
    out->net = ls__calloc(K ? K : 1, sizeof *out->net);
    tags = ls__calloc(K ? K : 1, sizeof *tags);
    doms = ls__calloc(K ? K : 1, sizeof *doms);
    terms = ls__calloc(K ? K : 1, sizeof *terms);
    if (!netof || !amp || !out->net || !tags || !doms || !terms) goto nomem;
    for (size_t a = 0; a < n_acc; a++) netof[a] = -1;
    for (size_t i = 0; i < run->n_acc; i++) {
        const ls__racct *ra = &run->acc[i];
        if (ra->acc == LS__NONE || ra->net < 0 || netof[ra->acc] >= 0) continue;
        netof[ra->acc] = ra->net;
        ls__nstats *ns = &out->net[ra->net];
        ns->fol_bins[fol_bin(st->acc_followers[ra->acc])]++;
    }
    for (size_t k = 0; k < K; k++) { out->net[k].t_first = INT64_MAX; out->net[k].t_last = INT64_MIN; }

    /* Pass 1: counts, time range, hours, amplification received. */
    for (uint64_t i = 0; i < st->n_events; i++) {
        int kind = st->ev_kind[i];
        if ((kind == LS_KIND_RETWEET || kind == LS_KIND_QUOTE) && st->ev_ref_post[i] != LS__NONE &&
            st->ev_ref_post[i] < n_posts && amp[st->ev_ref_post[i]] < UINT32_MAX)
            amp[st->ev_ref_post[i]]++;
        int32_t k = netof[st->ev_account[i]];
        if (k < 0) continue;
        ls__nstats *ns = &out->net[k];
        int64_t t = st->ev_time[i];
        ns->posts++;
        if (kind == LS_KIND_RETWEET) ns->amps++; else ns->orig++;
        if (t < ns->t_first) ns->t_first = t;
        if (t > ns->t_last) ns->t_last = t;
        int64_t d = day_of(t);
        int wd = (int)(((d + 3) % 7 + 7) % 7);          /* 1970-01-01 was a Thursday */
        int hr = (int)((t - d * 86400000) / 3600000);
        ns->hours[wd * 24 + hr]++;
    }
    for (size_t k = 0; k < K; k++) {
        ls__nstats *ns = &out->net[k];
        if (!ns->posts) continue;
        ns->day0 = day_of(ns->t_first);
        int64_t span = day_of(ns->t_last) - ns->day0 + 1;
        ns->bin_days = span <= 400 ? 1 : span <= 7 * 400 ? 7 : 30;
        ns->n_days = (size_t)((span + ns->bin_days - 1) / ns->bin_days);
        ns->day_orig = ls__calloc(ns->n_days, sizeof *ns->day_orig);
        ns->day_amp = ls__calloc(ns->n_days, sizeof *ns->day_amp);
        if (!ns->day_orig || !ns->day_amp) goto nomem;
    }
    /* Pass 2: per-day bins, objects, terms and examples. */
    for (uint64_t i = 0; i < st->n_events; i++) {
        int32_t k = netof[st->ev_account[i]];
        if (k < 0) continue;
        ls__nstats *ns = &out->net[k];
        int kind = st->ev_kind[i];
        size_t bin = (size_t)((day_of(st->ev_time[i]) - ns->day0) / ns->bin_days);
        if (kind == LS_KIND_RETWEET) ns->day_amp[bin]++; else ns->day_orig[bin]++;
        for (uint32_t j = st->ev_list[i]; j < st->ev_list[i + 1]; j++) {
            if (st->li_type[j] == LS_LI_HASHTAG && vpush(&tags[k], st->li_id[j]) != LS_OK) goto nomem;
            if (st->li_type[j] == LS_LI_DOMAIN && vpush(&doms[k], st->li_id[j]) != LS_OK) goto nomem;
        }
        if (kind == LS_KIND_RETWEET || st->ev_text[i] == LS__NONE) continue;
        ls__str text = ls__strtab_get(&st->ns[LS_NS_TEXT], st->ev_text[i]);
        if (text_terms(&out->terms, &terms[k], text, &w) != LS_OK) goto nomem;
        /* Examples: the most amplified originals, one per distinct text. */
        uint32_t a = st->ev_post[i] < n_posts ? amp[st->ev_post[i]] : 0;
        size_t m = ns->n_example, pos;
        int dup = -1;
        for (size_t q = 0; q < m; q++)
            if (st->ev_text[ns->example[q]] == st->ev_text[i]) dup = (int)q;
        if (dup >= 0) {
            if (ns->example_amp[dup] >= a) continue;
            memmove(ns->example + dup, ns->example + dup + 1, (m - dup - 1) * sizeof *ns->example);
            memmove(ns->example_amp + dup, ns->example_amp + dup + 1, (m - dup - 1) * sizeof *ns->example_amp);
            m = --ns->n_example;
        }
        pos = m;
        while (pos > 0 && ns->example_amp[pos - 1] < a) pos--;
        if (pos >= LS__EXAMPLES) continue;
        size_t last = m < LS__EXAMPLES ? m : LS__EXAMPLES - 1;
        memmove(ns->example + pos + 1, ns->example + pos, (last - pos) * sizeof *ns->example);
        memmove(ns->example_amp + pos + 1, ns->example_amp + pos, (last - pos) * sizeof *ns->example_amp);
        ns->example[pos] = i;
        ns->example_amp[pos] = a;
        if (m < LS__EXAMPLES) ns->n_example++;
    }
    for (size_t k = 0; k < K; k++) {
        ls__nstats *ns = &out->net[k];
        ns->n_tags = topk(&tags[k], ns->tags, LS__TOPK);
        ns->n_doms = topk(&doms[k], ns->doms, LS__TOPK);
        ns->n_terms = topk(&terms[k], ns->terms, LS__TOPK);
    }
    /* Creation dates of members, sorted. */
    if (!(ccap = ls__calloc(K ? K : 1, sizeof *ccap))) goto nomem;
    for (size_t i = 0; i < run->n_acc; i++) {
        const ls__racct *ra = &run->acc[i];
        if (ra->acc == LS__NONE || ra->net < 0 || netof[ra->acc] != ra->net) continue;
        int64_t c = st->acc_created[ra->acc];
        if (c == LS__TIME_NONE) continue;
        ls__nstats *ns = &out->net[ra->net];
        if (ls__grow((void **)&ns->created, &ccap[ra->net], ns->n_created + 1, sizeof *ns->created) != LS_OK)
            goto nomem;
        ns->created[ns->n_created++] = c;
        netof[ra->acc] = -2 - ra->net;   /* count each account once */
    }
    for (size_t k = 0; k < K; k++)
        if (out->net[k].n_created)
            qsort(out->net[k].created, out->net[k].n_created, sizeof *out->net[k].created, i64cmp);
    goto done;
nomem:
    rc = ls__fail(ctx, LS_ERR_NOMEM, "report: out of memory");
done:
    for (size_t k = 0; tags && k < K; k++) ls__free(tags[k].v);
    for (size_t k = 0; doms && k < K; k++) ls__free(doms[k].v);
    for (size_t k = 0; terms && k < K; k++) ls__free(terms[k].v);
    ls__free(tags); ls__free(doms); ls__free(terms);
    ls__free(netof); ls__free(amp); ls__free(ccap);
    ls__buf_free(&w);
    return rc;
}

void ls__rstats_free(ls__rstats *r)
{
    for (size_t k = 0; r->net && k < r->n_net; k++) {
        ls__free(r->net[k].day_orig); ls__free(r->net[k].day_amp); ls__free(r->net[k].created);
    }
    ls__free(r->net);
    ls__intern_free(&r->terms);
    memset(r, 0, sizeof *r);
}
