/*
 * tokens.c — Unicode-aware word tokens for narratives: NFKC + casefold
 * with utf8proc, removal of URLs, @mentions, #hashtags (reported on their
 * own) and the "RT @x:" prefix, then ICU's word break iterator, which
 * follows UAX #29 for spaced scripts and segments Chinese and Japanese
 * with its dictionary.  One tokeniser holds one ICU iterator and reusable
 * buffers, so tokenising a text allocates nothing once warmed up.
 *
 * Cost: O(length) per text plus ICU's dictionary lookups for CJK runs.
 */
#include "assess.h"
#include <stdlib.h>
#include <unicode/ubrk.h>
#include <unicode/ustring.h>
#include <utf8proc.h>

const char *const *ls__stopword_list(size_t *n);

struct ls__tok {
    UBreakIterator *bi;
    UChar *u16; size_t u16_cap;
    ls__buf clean;           /* normalised text with URLs etc. blanked */
    ls__buf words;           /* token bytes back to back */
    ls__str *toks; size_t n_toks, toks_cap, strs_cap;
    size_t *tok_off;         /* offsets into words (words.p may move) */
    uint64_t *stop; size_t stop_slots;  /* open addressing, hash | 1, 0 = empty */
};

static uint64_t whash(ls__str w) { return ls__hash64(w.p, w.n, 0x5709) | 1; }

bool ls__tok_is_stop(const ls__tok *t, ls__str w)
{
    uint64_t h = whash(w);
    for (size_t i = h & (t->stop_slots - 1);; i = (i + 1) & (t->stop_slots - 1)) {
        if (t->stop[i] == 0) return false;
        if (t->stop[i] == h) return true;
    }
}

int ls__tok_new(ls_ctx *ctx, ls__tok **out)
{
    UErrorCode err = U_ZERO_ERROR;
    ls__tok *t = ls__calloc(1, sizeof *t);
    size_t n;
    const char *const *list = ls__stopword_list(&n);
    if (!t) return ls__fail(ctx, LS_ERR_NOMEM, "tokeniser: out of memory");
    t->stop_slots = 1024;
    while (t->stop_slots < 4 * n) t->stop_slots *= 2;
    t->stop = ls__calloc(t->stop_slots, sizeof *t->stop);
    if (!t->stop) { ls__tok_free(t); return ls__fail(ctx, LS_ERR_NOMEM, "tokeniser: out of memory"); }
    for (size_t k = 0; k < n; k++) {
        uint64_t h = whash(ls__str_c(list[k]));
        size_t i = h & (t->stop_slots - 1);
        while (t->stop[i] != 0 && t->stop[i] != h) i = (i + 1) & (t->stop_slots - 1);
        t->stop[i] = h;
    }
    /* The root locale: word rules do not depend on a language tag, and
     * the CJK dictionary is used for any Han/kana run. */
    t->bi = ubrk_open(UBRK_WORD, "", NULL, 0, &err);
    if (U_FAILURE(err) || !t->bi) {
        ls__tok_free(t);
        return ls__fail(ctx, LS_ERR_INTERNAL, "tokeniser: ICU word break iterator unavailable: %s",
                        u_errorName(err));
    }
    *out = t;
    return LS_OK;
}

void ls__tok_free(ls__tok *t)
{
    if (!t) return;
    if (t->bi) ubrk_close(t->bi);
    ls__free(t->u16);
    ls__buf_free(&t->clean);
    ls__buf_free(&t->words);
    ls__free(t->toks);
    ls__free(t->tok_off);
    ls__free(t->stop);
    ls__free(t);
}

static size_t next_cp(const char *s, size_t n, size_t i, int32_t *c)
{
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(n - i), c);
    if (k <= 0) { *c = 0xFFFD; return 1; }
    return (size_t)k;
}

static int is_space_cp(int32_t c)
{
    return c == ' ' || (c >= 0x09 && c <= 0x0d) || c == 0x85 || c == 0xa0 || c == 0x3000 ||
           (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f ||
           c == 0x205f || c == 0x1680;
}

/* Letters, marks, digits and '_' continue a hashtag or mention, as on
 * Twitter, where "#香港加油" is one hashtag. */
static int is_word_cp(int32_t c)
{
    if (c == '_') return 1;
    utf8proc_category_t k = utf8proc_category(c);
    return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) ||
           k == UTF8PROC_CATEGORY_MN || k == UTF8PROC_CATEGORY_MC || k == UTF8PROC_CATEGORY_ND;
}

static int starts_with(const char *s, size_t n, size_t i, const char *lit)
{
    size_t k = strlen(lit);
    return n - i >= k && memcmp(s + i, lit, k) == 0;
}

/* Copies s to t->clean with URLs, mentions and hashtags replaced by a
 * space, so that what is left is running text. */
static int blank_entities(ls__tok *t, const char *s, size_t n)
{
    int rc = LS_OK;
    t->clean.n = 0;
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
    if (starts_with(s, n, i, "rt @")) {               /* casefolded "RT @x:" */
        size_t j = i + 4;
        while (j < n && s[j] != ':' && s[j] != ' ') j++;
        if (j < n && s[j] == ':') i = j + 1;
    }
    while (i < n && rc == LS_OK) {
        int32_t c;
        size_t k = next_cp(s, n, i, &c);
        if (starts_with(s, n, i, "http://") || starts_with(s, n, i, "https://") ||
            starts_with(s, n, i, "www.")) {
            while (i < n) { k = next_cp(s, n, i, &c); if (is_space_cp(c)) break; i += k; }
            rc = ls__buf_putc(&t->clean, ' ');
            continue;
        }
        if ((c == '@' || c == '#') && i + k < n) {
            int32_t d;
            size_t k2 = next_cp(s, n, i + k, &d);
            if (is_word_cp(d)) {
                i += k + k2;
                while (i < n) { k2 = next_cp(s, n, i, &d); if (!is_word_cp(d)) break; i += k2; }
                rc = ls__buf_putc(&t->clean, ' ');
                continue;
            }
        }
        rc = ls__buf_put(&t->clean, s + i, k);
        i += k;
    }
    return rc;
}

/* Keeps a segment when it is a word worth counting. */
static int keep_word(const ls__tok *t, ls__str w, int status)
{
    if (status < UBRK_WORD_LETTER || status >= UBRK_WORD_IDEO_LIMIT) return 0;  /* numbers, none */
    if (w.n == 1 && (unsigned char)w.p[0] < 0x80) return 0;    /* "s", "t" from it's */
    if (w.n > 64) return 0;
    return !ls__tok_is_stop(t, w);
}

/* Converts the UTF-16 segment [s, e) back to UTF-8 and keeps it as a
 * token when keep_word says so; a trailing possessive 's is dropped. */
static int emit(ls__tok *t, int32_t s, int32_t e, int status)
{
    char tmp[260];
    int32_t len8 = 0;
    UErrorCode err = U_ZERO_ERROR;
    u_strToUTF8WithSub(tmp, (int32_t)sizeof tmp, &len8, t->u16 + s, e - s, 0xFFFD, NULL, &err);
    if (U_FAILURE(err) || len8 <= 0 || len8 >= (int32_t)sizeof tmp) return LS_OK;
    ls__str w = { tmp, (size_t)len8 };
    if (w.n > 3 && w.p[w.n - 2] == '\'' && w.p[w.n - 1] == 's') w.n -= 2;
    else if (w.n > 5 && memcmp(w.p + w.n - 4, "\xe2\x80\x99s", 4) == 0) w.n -= 4;
    if (!keep_word(t, w, status)) return LS_OK;
    int rc = ls__grow((void **)&t->tok_off, &t->toks_cap, t->n_toks + 1, sizeof *t->tok_off);
    if (rc != LS_OK) return rc;
    t->tok_off[t->n_toks++] = t->words.n;
    return ls__buf_put(&t->words, w.p, w.n);
}

int ls__tok_text(ls__tok *t, ls__str text, const ls__str **toks, size_t *n_out)
{
    int rc = LS_OK;
    utf8proc_uint8_t *mapped = NULL;
    ls__buf rep = { 0 };
    size_t fixed;
    t->n_toks = 0;
    t->words.n = 0;
    *toks = NULL; *n_out = 0;
    if (text.n == 0) return LS_OK;
    if ((rc = ls__utf8_repair(&rep, text.p, text.n, &fixed)) != LS_OK) goto done;
    utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)rep.p, (utf8proc_ssize_t)rep.n,
                                      &mapped, UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                      UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);
    if (m < 0) { rc = m == UTF8PROC_ERROR_NOMEM ? LS_ERR_NOMEM : LS_ERR_PARSE; goto done; }
    if ((rc = blank_entities(t, (const char *)mapped, (size_t)m)) != LS_OK) goto done;
    if (t->clean.n == 0) goto done;
    if (t->clean.n > (size_t)INT32_MAX / 2) { rc = LS_ERR_LIMIT; goto done; }

    /* UTF-8 -> UTF-16 for ICU; the input is valid UTF-8 by now, and any
     * surprise becomes U+FFFD rather than an error. */
    UErrorCode err = U_ZERO_ERROR;
    int32_t need = 0;
    size_t cap = t->clean.n + 1;
    if (cap > t->u16_cap) {
        UChar *p = ls__realloc(t->u16, cap * sizeof(UChar));
        if (!p) { rc = LS_ERR_NOMEM; goto done; }
        t->u16 = p; t->u16_cap = cap;
    }
    u_strFromUTF8WithSub(t->u16, (int32_t)t->u16_cap, &need, t->clean.p, (int32_t)t->clean.n,
                         0xFFFD, NULL, &err);
    if (U_FAILURE(err)) { rc = LS_ERR_PARSE; goto done; }
    err = U_ZERO_ERROR;
    ubrk_setText(t->bi, t->u16, need, &err);
    if (U_FAILURE(err)) { rc = LS_ERR_INTERNAL; goto done; }

    /* ICU splits a Han word missing from its dictionary (often a name,
     * like 郭文贵) into single characters; adjacent single ideographs that
     * are not stop words are joined back into one token. */
    int32_t start = ubrk_first(t->bi), run_s = -1, run_e = -1;
    for (int32_t end = ubrk_next(t->bi);; start = end, end = ubrk_next(t->bi)) {
        int status = end == UBRK_DONE ? 0 : ubrk_getRuleStatus(t->bi);
        int single = 0;
        if (end != UBRK_DONE && status >= UBRK_WORD_IDEO && status < UBRK_WORD_IDEO_LIMIT &&
            (end - start == 1 || (end - start == 2 && U16_IS_LEAD(t->u16[start])))) {
            char one[8];
            int32_t l1 = 0;
            err = U_ZERO_ERROR;
            u_strToUTF8(one, (int32_t)sizeof one, &l1, t->u16 + start, end - start, &err);
            single = U_SUCCESS(err) && l1 > 0 && !ls__tok_is_stop(t, (ls__str){ one, (size_t)l1 });
        }
        if (single && run_e == start) { run_e = end; continue; }
        if (run_s >= 0 && (rc = emit(t, run_s, run_e, UBRK_WORD_IDEO)) != LS_OK) goto done;
        run_s = run_e = -1;
        if (end == UBRK_DONE) break;
        if (single) { run_s = start; run_e = end; continue; }
        if (status < UBRK_WORD_LETTER) continue;
        if ((rc = emit(t, start, end, status)) != LS_OK) goto done;
    }
    /* Turn offsets into strings now that the word buffer has stopped moving. */
    if ((rc = ls__grow((void **)&t->toks, &t->strs_cap, t->n_toks + 1, sizeof *t->toks)) != LS_OK)
        goto done;
    for (size_t k = 0; k < t->n_toks; k++) {
        size_t e = k + 1 < t->n_toks ? t->tok_off[k + 1] : t->words.n;
        t->toks[k] = (ls__str){ t->words.p + t->tok_off[k], e - t->tok_off[k] };
    }
    *toks = t->toks;
    *n_out = t->n_toks;
done:
    free(mapped);     /* utf8proc allocates with malloc */
    ls__buf_free(&rep);
    return rc;
}
