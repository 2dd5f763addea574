/*
 * textnorm.c — text keys for the text layers: the QUT toolkit's co_tweet
 * key and word set (for --compat qut), and lockstep's own normalisation
 * for identical and near-duplicate text (NFKC + casefold, without URLs,
 * mentions and the retweet prefix).
 *
 * All functions take UTF-8 that the store has already repaired; a stray
 * invalid byte is treated as one opaque code point, never an error.
 *
 * NFKC + casefold has a fast path: most code points of real text (ASCII,
 * CJK, Hangul syllables, kana, emoji, fullwidth forms) normalise on their
 * own, without looking at their neighbours, so their utf8proc mapping is
 * tabulated once (below U+20000) and copied.  A text with any other code
 * point goes through utf8proc_map as before; ls__text_norm_ref always does,
 * and the unit tests hold the two to the same bytes.
 */
#include "signals.h"
#include <pthread.h>
#include <stdlib.h>
#include <utf8proc.h>

/* Python's str.isspace() set (which QUT's split() uses) and Unicode
 * White_Space, which are the same for the code points listed here. */
static int is_space(int32_t c)
{
    if (c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f)) return 1;
    if (c < 0x85) return 0;
    return c == 0x85 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
           c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

/* Decodes one code point at s[i]; an invalid byte decodes as 0xFFFD and
 * advances one byte so that the scan always progresses. */
static inline size_t next_cp(const char *s, size_t n, size_t i, int32_t *c)
{
    unsigned char b = (unsigned char)s[i];
    if (b < 0x80) { *c = b; return 1; }   /* what utf8proc_iterate gives */
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(n - i), c);
    if (k <= 0) { *c = 0xFFFD; return 1; }
    return (size_t)k;
}

static int put_cp(ls__buf *b, int32_t c)
{
    utf8proc_uint8_t tmp[4];
    utf8proc_ssize_t k = utf8proc_encode_char(c, tmp);
    if (k <= 0) return LS_OK;
    return ls__buf_put(b, tmp, (size_t)k);
}

/* Lowercases (per code point, like Python's str.lower for all but a few
 * special cases) and removes QUT's mentions: '@' and everything after it
 * up to the next whitespace. */
static int lower_strip_at(ls__str in, ls__buf *out)
{
    int rc = LS_OK;
    int in_at = 0;
    for (size_t i = 0; i < in.n && rc == LS_OK;) {
        int32_t c;
        i += next_cp(in.p, in.n, i, &c);
        c = utf8proc_tolower(c);
        if (in_at) {
            if (!is_space(c)) continue;
            in_at = 0;
        }
        if (c == '@') { in_at = 1; continue; }
        rc = put_cp(out, c);
    }
    return rc;
}

/* Byte length of the whitespace code point at s[i], or 0.  Only ASCII
 * and the lead bytes C2, E1, E2, E3 can start one; continuation bytes
 * never do, so scanning byte by byte finds the same boundaries as
 * decoding code point by code point. */
static inline size_t space_at(const char *s, size_t n, size_t i)
{
    unsigned char b = (unsigned char)s[i];
    if (b < 0x80) return b == ' ' || (b >= 0x09 && b <= 0x0d) || (b >= 0x1c && b <= 0x1f);
    if (b != 0xc2 && (b < 0xe1 || b > 0xe3)) return 0;
    int32_t c;
    size_t k = next_cp(s, n, i, &c);
    return is_space(c) ? k : 0;
}

/* Appends the words of s (split on whitespace) joined by single spaces. */
static int collapse_ws(ls__str s, ls__buf *out)
{
    /* The result is never longer than s: write it in place. */
    if (out->cap < out->n + s.n + 1) {
        void *q = out->p;
        if (ls__grow(&q, &out->cap, out->n + s.n + 1, 1) != LS_OK) return LS_ERR_NOMEM;
        out->p = q;
    }
    char *o = out->p + out->n;
    int need_sep = 0;
    size_t i = 0;
    while (i < s.n) {
        size_t k = space_at(s.p, s.n, i);
        if (k) { i += k; continue; }
        size_t start = i++;
        while (i < s.n && !space_at(s.p, s.n, i)) i++;
        if (need_sep) *o++ = ' ';
        memcpy(o, s.p + start, i - start);
        o += i - start;
        need_sep = 1;
    }
    out->n = (size_t)(o - out->p);
    out->p[out->n] = '\0';   /* ls__buf stays NUL-terminated */
    return LS_OK;
}

int ls__text_norm_qut(ls__str in, ls__buf *out)
{
    ls__buf tmp = { 0 };
    int rc = lower_strip_at(in, &tmp);
    if (rc == LS_OK) rc = collapse_ws((ls__str){ tmp.p, tmp.n }, out);
    ls__buf_free(&tmp);
    return rc;
}

static int is_word_cp(int32_t c)
{
    /* ASCII: letters (Lu, Ll), digits (Nd) and '_' (Pc). */
    if (c < 0x80) return (unsigned)((c | 32) - 'a') < 26u || (unsigned)(c - '0') < 10u || c == '_';
    utf8proc_category_t k = utf8proc_category(c);
    return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_NO) ||
           k == UTF8PROC_CATEGORY_PC;
}

/* Skips "RT @name:" (and the space after it) at the start of a text. */
static ls__str skip_rt(ls__str s)
{
    size_t i = 0;
    while (i < s.n && (s.p[i] == ' ' || s.p[i] == '\t')) i++;
    if (s.n - i < 4 || memcmp(s.p + i, "RT @", 4) != 0) return s;
    size_t j = i + 4;
    while (j < s.n && s.p[j] != ':' && s.p[j] != ' ') j++;
    if (j < s.n && s.p[j] == ':') j++;
    return (ls__str){ s.p + j, s.n - j };
}

#define NF_OPTS (UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD)

/* Removes URLs (to the next space) and @mentions (@ + word chars) from
 * the normalised s, then collapses whitespace into out. */
static int strip_collapse(const char *s, size_t n, ls__buf *cut, ls__buf *out)
{
    int rc = LS_OK;
    cut->n = 0;
    for (size_t i = 0; i < n && rc == LS_OK;) {
        if ((n - i >= 7 && memcmp(s + i, "http://", 7) == 0) ||
            (n - i >= 8 && memcmp(s + i, "https://", 8) == 0)) {
            int32_t c;
            while (i < n) { size_t k = next_cp(s, n, i, &c); if (is_space(c)) break; i += k; }
            continue;
        }
        int32_t c;
        size_t k = next_cp(s, n, i, &c);
        if (c == '@' && i + 1 < n) {
            int32_t d;
            size_t k2 = next_cp(s, n, i + 1, &d);
            if (is_word_cp(d)) {
                i += 1 + k2;
                while (i < n) { k2 = next_cp(s, n, i, &d); if (!is_word_cp(d)) break; i += k2; }
                continue;
            }
        }
        /* Copy the run up to the next byte that can start a URL or a
         * mention ('h', '@') in one go. */
        size_t e = i + k;
        while (e < n && s[e] != 'h' && s[e] != '@') e++;
        rc = ls__buf_put(cut, s + i, e - i);
        i = e;
    }
    if (rc == LS_OK) rc = collapse_ws((ls__str){ cut->p, cut->n }, out);
    return rc;
}

/* utf8proc_map on the whole text (after the RT prefix is gone). */
static int norm_slow(ls__str in, ls__buf *out)
{
    int rc = LS_OK;
    ls__buf rep = { 0 }, cut = { 0 };
    utf8proc_uint8_t *mapped = NULL;
    size_t fixed;
    if ((rc = ls__utf8_repair(&rep, in.p, in.n, &fixed)) != LS_OK) goto done;
    if (rep.n == 0) goto done;
    utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)rep.p, (utf8proc_ssize_t)rep.n,
                                      &mapped, NF_OPTS);
    if (m < 0) { rc = LS_ERR_PARSE; goto done; }
    rc = strip_collapse((const char *)mapped, (size_t)m, &cut, out);
done:
    free(mapped);
    ls__buf_free(&rep);
    ls__buf_free(&cut);
    return rc;
}

/* The reference: the definition, with no table. */
int ls__text_norm_ref(ls__str in, ls__buf *out)
{
    return norm_slow(skip_rt(in), out);
}

/* ---- the per-code-point table ----
 * utf8proc_map decomposes every code point (compatibility + case
 * folding), reorders combining marks and recomposes.  A code point
 * cannot interact with its neighbours when the first character of its
 * decomposition is a starter (combining class 0) that is never the
 * second element of a composition (utf8proc: comb_index >= 0x8000) and
 * is not a Hangul medial vowel or final consonant (composed
 * arithmetically): reordering and composition then never cross its
 * boundary, so a text made only of such code points maps to the
 * concatenation of their single mappings. */
#define FAST_LIMIT 0x20000
#define FAST_SAME 0xffu          /* entry: the code point maps to itself */
static uint32_t fast_tab[FAST_LIMIT];   /* 0: needs utf8proc; else offset << 8 | length */
static char fast_blob[1 << 18];
static pthread_once_t fast_once = PTHREAD_ONCE_INIT;

static int inert_head(int32_t d)
{
    const utf8proc_property_t *p = utf8proc_get_property(d);
    if (p->combining_class != 0) return 0;
    if (p->comb_index != UINT16_MAX && p->comb_index >= 0x8000) return 0;
    if (d >= 0x1161 && d <= 0x1175) return 0;   /* Hangul V */
    if (d >= 0x11a7 && d <= 0x11c2) return 0;   /* Hangul T (utf8proc takes 0x11a7 too) */
    return 1;
}

static void fast_build(void)
{
    size_t used = 0;
    for (int32_t c = 0; c < FAST_LIMIT; c++) {
        fast_tab[c] = 0;
        if (!utf8proc_codepoint_valid(c)) continue;
        utf8proc_int32_t d[32];
        int bc = 0;
        utf8proc_ssize_t k = utf8proc_decompose_char(c, d, 32, NF_OPTS, &bc);
        if (k <= 0 || k > 32 || !inert_head(d[0])) continue;
        utf8proc_uint8_t enc[4], *m = NULL;
        utf8proc_ssize_t en = utf8proc_encode_char(c, enc);
        utf8proc_ssize_t mn = utf8proc_map(enc, en, &m, NF_OPTS);
        if (mn == en && memcmp(m, enc, (size_t)en) == 0) fast_tab[c] = FAST_SAME;
        else if (mn > 0 && mn < (utf8proc_ssize_t)FAST_SAME && used + (size_t)mn <= sizeof fast_blob) {
            memcpy(fast_blob + used, m, (size_t)mn);
            fast_tab[c] = (uint32_t)used << 8 | (uint32_t)mn;
            used += (size_t)mn;
        }
        free(m);   /* utf8proc_map's own allocation (NULL on error) */
    }
}

/* NFKC + casefold of valid UTF-8 by the table.  Returns 1 and appends to
 * out, or 0 (out unspecified) when a code point needs utf8proc_map. */
static int fast_map(const char *s, size_t n, ls__buf *out, int *rc)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if (out->cap - out->n < 256) {
            void *q = out->p;
            if ((*rc = ls__grow(&q, &out->cap, out->n + 256 + (n - i), 1)) != LS_OK) return 1;
            out->p = q;
        }
        unsigned b = u[i];
        if (b < 0x80) {
            /* ASCII runs: NFKC changes nothing, casefolding is tolower. */
            size_t e = i;
            char *o = out->p + out->n;
            size_t room = out->cap - out->n;
            while (e < n && u[e] < 0x80 && e - i < room) {
                unsigned char x = u[e++];
                *o++ = (char)((unsigned)(x - 'A') < 26u ? x + 32 : x);
            }
            out->n += e - i;
            i = e;
            continue;
        }
        /* Decode one sequence; anything but a valid 2- or 3-byte one or
         * a valid 4-byte one below FAST_LIMIT (U+20000) leaves the text
         * to utf8proc, which also sees it repaired. */
        int32_t c;
        size_t k;
        if (b >= 0xc2 && b <= 0xdf) {
            if (n - i < 2 || (u[i + 1] & 0xc0) != 0x80) return 0;
            c = (int32_t)(b & 0x1f) << 6 | (u[i + 1] & 0x3f);
            k = 2;
        } else if (b >= 0xe0 && b <= 0xef) {
            if (n - i < 3 || (u[i + 1] & 0xc0) != 0x80 || (u[i + 2] & 0xc0) != 0x80) return 0;
            c = (int32_t)(b & 0x0f) << 12 | (u[i + 1] & 0x3f) << 6 | (u[i + 2] & 0x3f);
            if (c < 0x800 || (c >= 0xd800 && c <= 0xdfff)) return 0;   /* overlong, surrogate */
            k = 3;
        } else if (b == 0xf0) {
            if (n - i < 4 || (u[i + 1] & 0xc0) != 0x80 || (u[i + 2] & 0xc0) != 0x80 ||
                (u[i + 3] & 0xc0) != 0x80) return 0;
            c = (int32_t)(u[i + 1] & 0x3f) << 12 | (u[i + 2] & 0x3f) << 6 | (u[i + 3] & 0x3f);
            if (c < 0x10000 || c >= FAST_LIMIT) return 0;
            k = 4;
        } else return 0;
        uint32_t t = fast_tab[c];
        if (t == 0) return 0;
        if (t == FAST_SAME) { memcpy(out->p + out->n, s + i, k); out->n += k; }
        else { memcpy(out->p + out->n, fast_blob + (t >> 8), t & 0xff); out->n += t & 0xff; }
        i += k;
    }
    return 1;
}

int ls__text_norm_with(ls__str in, ls__buf *out, ls__norm_scratch *sc)
{
    int rc = LS_OK;
    in = skip_rt(in);
    if (in.n == 0) return LS_OK;
    pthread_once(&fast_once, fast_build);
    sc->a.n = 0;
    if (fast_map(in.p, in.n, &sc->a, &rc)) {
        if (rc != LS_OK) return rc;
        return strip_collapse(sc->a.p, sc->a.n, &sc->b, out);
    }
    if (rc != LS_OK) return rc;
    /* Some code point interacts with its neighbours (or the text is not
     * valid UTF-8): the whole text through utf8proc. */
    return norm_slow(in, out);
}

void ls__norm_scratch_free(ls__norm_scratch *sc)
{
    ls__buf_free(&sc->a);
    ls__buf_free(&sc->b);
}

int ls__text_norm(ls__str in, ls__buf *out)
{
    ls__norm_scratch sc = { { 0 }, { 0 } };
    int rc = ls__text_norm_with(in, out, &sc);
    ls__norm_scratch_free(&sc);
    return rc;
}

/* Word-boundary classes, a compact reading of UAX #29 (which the regex
 * module's \b in WORD mode follows): letters and digits join, ideographs
 * and kana stand alone, ' . : between letters and . , between digits stay
 * inside the word, every other symbol is a token of its own. */
enum { W_SPACE, W_LETTER, W_DIGIT, W_IDEO, W_MIDLET, W_MIDNUM, W_MIDBOTH, W_OTHER, W_EXTEND };
static int wclass(int32_t c)
{
    if (is_space(c)) return W_SPACE;
    if (c < 0x80) {
        /* ASCII, as the general rules below classify it (no marks). */
        if (c == '\'' || c == '.') return W_MIDBOTH;
        if (c == ':') return W_MIDLET;
        if (c == ',' || c == ';') return W_MIDNUM;
        if ((unsigned)(c - '0') < 10u) return W_DIGIT;
        if ((unsigned)((c | 32) - 'a') < 26u || c == '_') return W_LETTER;
        return W_OTHER;
    }
    if (c == '\'' || c == 0x2019 || c == '.') return W_MIDBOTH;   /* MidNumLet */
    if (c == ':' || c == 0xb7) return W_MIDLET;
    if (c == ',' || c == ';') return W_MIDNUM;
    if ((c >= 0x3040 && c <= 0x309f) || (c >= 0x3400 && c <= 0x9fff) ||
        (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x3134f)) return W_IDEO;
    utf8proc_category_t k = utf8proc_category(c);
    if (k == UTF8PROC_CATEGORY_MN || k == UTF8PROC_CATEGORY_MC || k == UTF8PROC_CATEGORY_ME ||
        c == 0x200d || (c >= 0xfe00 && c <= 0xfe0f)) return W_EXTEND;
    if (k == UTF8PROC_CATEGORY_ND) return W_DIGIT;
    if ((k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) || k == UTF8PROC_CATEGORY_PC ||
        k == UTF8PROC_CATEGORY_NL) return W_LETTER;
    return W_OTHER;
}

int ls__text_words_qut(ls__str in, uint64_t **h, size_t *n, size_t *cap)
{
    ls__buf low = { 0 };
    int rc = lower_strip_at(in, &low);
    size_t base = *n;
    const char *s = low.p;
    size_t len = low.n, i = 0;
    while (rc == LS_OK && i < len) {
        int32_t c;
        size_t k = next_cp(s, len, i, &c);
        int w = wclass(c);
        size_t start = i;
        i += k;
        if (w == W_SPACE) continue;
        if (w == W_LETTER || w == W_DIGIT) {
            int last = w;
            while (i < len) {
                int32_t d;
                size_t k2 = next_cp(s, len, i, &d);
                int x = wclass(d);
                if (x == W_LETTER || x == W_DIGIT) { last = x; i += k2; continue; }
                if (x == W_EXTEND) { i += k2; continue; }
                if (x == W_MIDBOTH || x == W_MIDLET || x == W_MIDNUM) {
                    /* A middle character joins only when the same kind
                     * follows: letter'letter, digit.digit, digit,digit. */
                    if (i + k2 >= len) break;
                    int32_t e;
                    next_cp(s, len, i + k2, &e);
                    int y = wclass(e);
                    int ok = (last == W_LETTER && y == W_LETTER && x != W_MIDNUM) ||
                             (last == W_DIGIT && y == W_DIGIT && x != W_MIDLET);
                    if (!ok) break;
                    i += k2;
                    continue;
                }
                break;
            }
        } else {
            /* One-code-point token (plus combining marks); a lone
             * apostrophe right after a boundary is eaten by QUT's split. */
            while (i < len) {
                int32_t d;
                size_t k2 = next_cp(s, len, i, &d);
                if (wclass(d) != W_EXTEND) break;
                i += k2;
            }
            if (c == '\'' && i - start == 1) continue;
        }
        if ((rc = ls__grow((void **)h, cap, *n + 1, sizeof **h)) != LS_OK) break;
        (*h)[(*n)++] = ls__hash64(s + start, i - start, 0x51a7e5ULL);
    }
    ls__buf_free(&low);
    if (rc != LS_OK) return rc;
    /* Sort and deduplicate the new tokens (a set). */
    size_t m = *n - base;
    if (m == 0) return LS_OK;
    uint64_t *a = *h + base;
    for (size_t x = 1; x < m; x++) {
        uint64_t v = a[x];
        size_t y = x;
        while (y > 0 && a[y - 1] > v) { a[y] = a[y - 1]; y--; }
        a[y] = v;
    }
    size_t u = 0;
    for (size_t x = 0; x < m; x++)
        if (u == 0 || a[u - 1] != a[x]) a[u++] = a[x];
    *n = base + u;
    return LS_OK;
}
