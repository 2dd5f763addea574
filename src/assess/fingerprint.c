/*
 * fingerprint.c — the fingerprint of a set of accounts, as stored for an
 * archived takedown and computed for a detected network so the two can be
 * compared: a bottom-k sketch of near-duplicate text signatures, hashtag
 * and domain profiles, creation cohorts by week, screen-name templates,
 * client apps, hour-of-week schedule with its implied office UTC offset,
 * and language mix.  Member account ids are stored beside it in the case
 * database (archive_members), not in the fingerprint.
 *
 * Text sketch: each distinct original text (not retweets) is normalised
 * like the near-duplicate layer does (ls__text_norm), MinHashed from
 * character 4-grams (ls__minhash_texts, LS__MH_K = 64 values) and cut into
 * 16 bands of 4 values; each band hashes to one key.  Two texts with
 * Jaccard similarity J share a given band with probability J^4 (0.41 at
 * J = 0.8, 1 for copies), so the share of keys two sets have in common is
 * a checkable measure of copied or templated content.  The fingerprint
 * keeps the LS__FP_SKETCH smallest keys (a bottom-k sketch), which makes
 * containment estimates consistent between sets of any size.  A probe
 * (the keys of three fixed texts, hashed) records the scheme, so sketches
 * made by a lockstep whose normalisation or MinHash differs are never
 * compared as if they were alike.
 *
 * Cost: one pass over events and accounts plus MinHash of distinct texts.
 */
#include "assess.h"
#include "../signals/signals.h"
#include <stdlib.h>

#define FP_SEED 0x6c6f636b66703031ULL   /* fixed: archives stay comparable */
#define FP_BANDS 16
#define FP_ROWS 4
#define DAY_MS 86400000LL

void ls__fp_free(ls__fp *fp)
{
    if (!fp) return;
    ls__free(fp->sketch);
    ls__free(fp->cohort_week);
    ls__free(fp->cohort_n);
    memset(fp, 0, sizeof *fp);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* The top entries of a dense count array, as shares of denom; ties go to
 * the smaller id so the result never depends on anything but the data. */
static void top_items(const ls__strtab *tab, const uint64_t *cnt, size_t n, uint64_t denom,
                      ls__fp_item *out, size_t *n_out)
{
    size_t k;
    /* Selection: LS__FP_TOP passes over the n entries, O(n). */
    uint8_t *taken = ls__calloc(n ? n : 1, 1);
    if (!taken) { *n_out = 0; return; }
    for (k = 0; k < LS__FP_TOP; k++) {
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < n; i++)
            if (cnt[i] && !taken[i] && (best == SIZE_MAX || cnt[i] > cnt[best])) best = i;
        if (best == SIZE_MAX) break;
        taken[best] = 1;
        ls__str s = ls__strtab_get(tab, (uint32_t)best);
        size_t len = ls__utf8_valid_prefix(s.p, LS__MIN(s.n, sizeof out[k].key - 1));
        memcpy(out[k].key, s.p, len);
        out[k].key[len] = 0;
        out[k].share = denom ? (double)cnt[best] / (double)denom : 0;
    }
    ls__free(taken);
    *n_out = k;
}

/* Band keys (FP_BANDS per non-empty text) of n texts given as strings;
 * *keys gets them unsorted, *n_keys how many, *n_nonempty the texts that
 * had a signature. */
static int band_keys(ls_ctx *ctx, const ls__str *raw, size_t n, uint64_t **keys, size_t *n_keys,
                     uint64_t *n_nonempty)
{
    int rc = LS_OK;
    ls__buf norm = { 0 };
    size_t *off = ls__malloc((n + 1) * sizeof *off);
    ls__str *strs = ls__malloc((n + 1) * sizeof *strs);
    uint64_t *sig = ls__malloc((n + 1) * LS__MH_K * sizeof *sig);
    *keys = ls__malloc((n * FP_BANDS + 1) * sizeof **keys);
    *n_keys = 0;
    *n_nonempty = 0;
    if (!off || !strs || !sig || !*keys) { rc = ls__fail(ctx, LS_ERR_NOMEM, "fingerprint: out of memory"); goto done; }
    for (size_t i = 0; i < n; i++) {
        off[i] = norm.n;
        if ((rc = ls__text_norm(raw[i], &norm)) != LS_OK) {
            rc = ls__fail(ctx, rc, "fingerprint: cannot normalise text");
            goto done;
        }
    }
    off[n] = norm.n;
    for (size_t i = 0; i < n; i++) strs[i] = (ls__str){ norm.p + off[i], off[i + 1] - off[i] };
    if (n && (rc = ls__minhash_texts(ctx, strs, n, FP_SEED, sig)) != LS_OK) goto done;
    for (size_t i = 0; i < n; i++) {
        const uint64_t *sg = sig + i * LS__MH_K;
        if (sg[0] == UINT64_MAX) continue;       /* empty after normalisation */
        (*n_nonempty)++;
        for (int b = 0; b < FP_BANDS; b++)
            (*keys)[(*n_keys)++] = ls__hash64(sg + b * FP_ROWS, FP_ROWS * sizeof *sg, (uint64_t)b + 1);
    }
done:
    if (rc != LS_OK) { ls__free(*keys); *keys = NULL; *n_keys = 0; }
    ls__buf_free(&norm);
    ls__free(off); ls__free(strs); ls__free(sig);
    return rc;
}

/* The sketch scheme's probe: band keys of fixed texts, hashed.  Text
 * normalisation and MinHash belong to the signals stage and may change
 * between lockstep versions; a stored sketch is only comparable with one
 * made by the same scheme, which equal probes show. */
static int sketch_probe(ls_ctx *ctx, uint64_t *probe)
{
    static const char *const texts[] = {
        "RT @probe: Sketch probe ONE for lockstep fingerprints, 香港加油! https://t.co/x",
        "second probe text with @mention and 日本語のテキスト, numbers 12345",
        "ＦＵＬＬＷＩＤＴＨ letters and emoji 😀👍 close the probe set",
    };
    ls__str s[3];
    uint64_t *keys = NULL, ne;
    size_t nk;
    for (int i = 0; i < 3; i++) s[i] = ls__str_c(texts[i]);
    int rc = band_keys(ctx, s, 3, &keys, &nk, &ne);
    if (rc == LS_OK) *probe = ls__hash64(keys, nk * sizeof *keys, 0x70726f6265ULL);
    ls__free(keys);
    return rc;
}

/* Bottom-k sketch of the band keys of the given distinct text ids. */
static int text_sketch(ls_ctx *ctx, const ls_store *st, const uint32_t *texts, size_t n, ls__fp *fp)
{
    int rc;
    ls__str *raw = ls__malloc((n + 1) * sizeof *raw);
    uint64_t *keys = NULL;
    size_t nk = 0;
    if (!raw) return ls__fail(ctx, LS_ERR_NOMEM, "fingerprint: out of memory");
    for (size_t i = 0; i < n; i++) raw[i] = ls__strtab_get(&st->ns[LS_NS_TEXT], texts[i]);
    if ((rc = sketch_probe(ctx, &fp->sketch_probe)) != LS_OK) goto done;
    if ((rc = band_keys(ctx, raw, n, &keys, &nk, &fp->n_texts)) != LS_OK) goto done;
    if (nk > 1) qsort(keys, nk, sizeof *keys, cmp_u64);
    size_t u = 0;
    for (size_t i = 0; i < nk; i++) if (u == 0 || keys[i] != keys[u - 1]) keys[u++] = keys[i];
    fp->sketch_full = u > LS__FP_SKETCH;
    fp->n_sketch = LS__MIN(u, (size_t)LS__FP_SKETCH);
    fp->sketch = ls__malloc((fp->n_sketch ? fp->n_sketch : 1) * sizeof *fp->sketch);
    if (!fp->sketch) { rc = ls__fail(ctx, LS_ERR_NOMEM, "fingerprint: out of memory"); goto done; }
    memcpy(fp->sketch, keys, fp->n_sketch * sizeof *keys);
done:
    ls__free(raw);
    ls__free(keys);
    return rc;
}

int ls__fp_compute(ls_ctx *ctx, const ls_store *st, const uint8_t *member, ls__fp *fp)
{
    int rc = LS_OK;
    size_t n_tag = st->ns[LS_NS_HASHTAG].n, n_dom = st->ns[LS_NS_DOMAIN].n;
    size_t n_cli = st->ns[LS_NS_CLIENT].n, n_lang = st->ns[LS_NS_LANG].n;
    size_t n_acc = st->ns[LS_NS_ACCOUNT].n;
    uint64_t *c_tag = NULL, *c_dom = NULL, *c_cli = NULL, *c_lang = NULL;
    uint32_t *texts = NULL, *weeks = NULL;
    size_t n_texts = 0, n_weeks = 0;
    uint64_t hours[168] = { 0 }, cli_known = 0, lang_known = 0;
    ls__intern tmpl;
    uint64_t *c_tmpl = NULL;
    size_t c_tmpl_cap = 0;
    ls__intern_init(&tmpl);
    memset(fp, 0, sizeof *fp);

    c_tag = ls__calloc(n_tag + 1, sizeof *c_tag);
    c_dom = ls__calloc(n_dom + 1, sizeof *c_dom);
    c_cli = ls__calloc(n_cli + 1, sizeof *c_cli);
    c_lang = ls__calloc(n_lang + 1, sizeof *c_lang);
    texts = ls__malloc((st->n_events + 1) * sizeof *texts);
    weeks = ls__malloc((n_acc + 1) * sizeof *weeks);
    if (!c_tag || !c_dom || !c_cli || !c_lang || !texts || !weeks) goto nomem;

    for (uint64_t i = 0; i < st->n_events; i++) {
        uint32_t a = st->ev_account[i];
        if (a == LS__NONE || (member && !member[a])) continue;
        fp->n_posts++;
        int64_t h = st->ev_time[i] / 3600000LL;
        if (st->ev_time[i] < 0 && st->ev_time[i] % 3600000LL) h--;
        hours[(((h + 72) % 168) + 168) % 168]++;    /* 1970-01-01 was a Thursday */
        if (st->ev_client[i] != 0xFFFF && st->ev_client[i] < n_cli) { c_cli[st->ev_client[i]]++; cli_known++; }
        if (st->ev_lang[i] != 0xFFFF && st->ev_lang[i] < n_lang) { c_lang[st->ev_lang[i]]++; lang_known++; }
        for (uint32_t l = st->ev_list[i]; l < st->ev_list[i + 1]; l++) {
            uint32_t id = st->li_id[l];
            if (st->li_type[l] == LS_LI_HASHTAG && id < n_tag) c_tag[id]++;
            else if (st->li_type[l] == LS_LI_DOMAIN && id < n_dom) c_dom[id]++;
        }
        if (st->ev_kind[i] != LS_KIND_RETWEET && st->ev_text[i] != LS__NONE) texts[n_texts++] = st->ev_text[i];
    }
    /* Accounts: creation weeks and name templates. */
    uint64_t named = 0;
    for (size_t a = 0; a < n_acc; a++) {
        if (member && !member[a]) continue;
        fp->n_accounts++;
        int64_t c = st->acc_created[a];
        if (c != LS__TIME_NONE) {
            int64_t day = c >= 0 ? c / DAY_MS : -((-c + DAY_MS - 1) / DAY_MS);
            int64_t wk = day - 4 >= 0 ? (day - 4) / 7 : -((4 - day + 6) / 7);
            weeks[n_weeks++] = (uint32_t)(int32_t)wk;
        }
        if (st->acc_screen[a] != LS__NONE) {
            char t[64], shape[64];
            ls__name_template(ls__strtab_get(&st->ns[LS_NS_NAME], st->acc_screen[a]), t, sizeof t,
                              shape, sizeof shape);
            uint32_t id;
            size_t old_cap = c_tmpl_cap;
            if ((rc = ls__intern_put(&tmpl, ls__str_c(t), &id)) != LS_OK) goto nomem;
            if ((rc = ls__grow((void **)&c_tmpl, &c_tmpl_cap, id + 1, sizeof *c_tmpl)) != LS_OK) goto nomem;
            if (c_tmpl_cap > old_cap) memset(c_tmpl + old_cap, 0, (c_tmpl_cap - old_cap) * sizeof *c_tmpl);
            c_tmpl[id]++;
            named++;
        }
    }
    fp->created_known = n_weeks;
    /* Weeks: sort (as signed) and run-length encode. */
    for (size_t i = 0; i < n_weeks; i++) weeks[i] ^= 0x80000000u;
    if (n_weeks > 1) qsort(weeks, n_weeks, sizeof *weeks, cmp_u32);
    for (size_t i = 0; i < n_weeks;) {
        size_t j = i;
        while (j < n_weeks && weeks[j] == weeks[i]) j++;
        fp->n_cohort++;
        i = j;
    }
    fp->cohort_week = ls__malloc((fp->n_cohort + 1) * sizeof *fp->cohort_week);
    fp->cohort_n = ls__malloc((fp->n_cohort + 1) * sizeof *fp->cohort_n);
    if (!fp->cohort_week || !fp->cohort_n) goto nomem;
    size_t k = 0;
    for (size_t i = 0; i < n_weeks;) {
        size_t j = i;
        while (j < n_weeks && weeks[j] == weeks[i]) j++;
        fp->cohort_week[k] = (int32_t)(weeks[i] ^ 0x80000000u);
        fp->cohort_n[k++] = (uint32_t)(j - i);
        i = j;
    }

    uint64_t total_h = 0;
    uint32_t h32[168];
    for (int h = 0; h < 168; h++) total_h += hours[h];
    for (int h = 0; h < 168; h++) {
        fp->hours[h] = total_h ? (double)hours[h] / (double)total_h : 0;
        h32[h] = (uint32_t)LS__MIN(hours[h], (uint64_t)UINT32_MAX);
    }
    fp->utc_offset = ls__office_offset(h32, &fp->office_score);

    top_items(&st->ns[LS_NS_HASHTAG], c_tag, n_tag, fp->n_posts, fp->hashtags, &fp->n_hashtags);
    top_items(&st->ns[LS_NS_DOMAIN], c_dom, n_dom, fp->n_posts, fp->domains, &fp->n_domains);
    top_items(&st->ns[LS_NS_CLIENT], c_cli, n_cli, cli_known, fp->clients, &fp->n_clients);
    top_items(&st->ns[LS_NS_LANG], c_lang, n_lang, lang_known, fp->langs, &fp->n_langs);
    {
        /* The interner's strings as a string table for top_items. */
        ls__strtab tt = { (uint32_t)tmpl.n, tmpl.blob.p, tmpl.off, NULL };
        top_items(&tt, c_tmpl, tmpl.n, named, fp->templates, &fp->n_templates);
    }

    if (n_texts > 1) qsort(texts, n_texts, sizeof *texts, cmp_u32);
    size_t u = 0;
    for (size_t i = 0; i < n_texts; i++) if (u == 0 || texts[i] != texts[u - 1]) texts[u++] = texts[i];
    rc = text_sketch(ctx, st, texts, u, fp);
    goto done;
nomem:
    rc = ls__fail(ctx, LS_ERR_NOMEM, "fingerprint: out of memory");
done:
    if (rc != LS_OK) ls__fp_free(fp);
    ls__free(c_tag); ls__free(c_dom); ls__free(c_cli); ls__free(c_lang);
    ls__free(texts); ls__free(weeks); ls__free(c_tmpl);
    ls__intern_free(&tmpl);
    return rc;
}
