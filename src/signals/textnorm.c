/*
 * textnorm.c — text keys for the text layers: the QUT toolkit's co_tweet
 * key and word set (for --compat qut), and lockstep's own normalisation
 * for identical and near-duplicate text (NFKC + casefold, without URLs,
 * mentions and the retweet prefix).
 *
 * All functions take UTF-8 that the store has already repaired; a stray
 * invalid byte is treated as one opaque code point, never an error.
 */
#include "signals.h"
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
static size_t next_cp(const char *s, size_t n, size_t i, int32_t *c)
{
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

/* Appends the words of s (split on whitespace) joined by single spaces. */
static int collapse_ws(ls__str s, ls__buf *out)
{
    int rc = LS_OK, need_sep = 0;
    size_t i = 0;
    while (i < s.n && rc == LS_OK) {
        int32_t c;
        size_t k = next_cp(s.p, s.n, i, &c);
        if (is_space(c)) { i += k; continue; }
        size_t start = i;
        while (i < s.n) {
            k = next_cp(s.p, s.n, i, &c);
            if (is_space(c)) break;
            i += k;
        }
        if (need_sep) rc = ls__buf_putc(out, ' ');
        if (rc == LS_OK) rc = ls__buf_put(out, s.p + start, i - start);
        need_sep = 1;
    }
    return rc;
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

int ls__text_norm(ls__str in, ls__buf *out)
{
    int rc = LS_OK;
    ls__buf rep = { 0 }, cut = { 0 };
    utf8proc_uint8_t *mapped = NULL;
    size_t fixed;
    in = skip_rt(in);
    const char *s;
    size_t n;
    int ascii = 1;
    for (size_t i = 0; i < in.n && ascii; i++) ascii = (unsigned char)in.p[i] < 0x80;
    if (ascii) {
        /* Pure ASCII: NFKC changes nothing and casefolding is tolower, so
         * skip utf8proc (a third of the time on Latin text). */
        if ((rc = ls__buf_put(&rep, in.p, in.n)) != LS_OK) goto done;
        for (size_t i = 0; i < rep.n; i++)
            if (rep.p[i] >= 'A' && rep.p[i] <= 'Z') rep.p[i] = (char)(rep.p[i] + 32);
        s = rep.p;
        n = rep.n;
    } else {
        if ((rc = ls__utf8_repair(&rep, in.p, in.n, &fixed)) != LS_OK) goto done;
        if (rep.n == 0) goto done;
        utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)rep.p, (utf8proc_ssize_t)rep.n,
                                          &mapped, UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                          UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);
        if (m < 0) { rc = LS_ERR_PARSE; goto done; }
        s = (const char *)mapped;
        n = (size_t)m;
    }
    /* Remove URLs (to the next space) and @mentions (@ + word chars). */
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
        rc = ls__buf_put(&cut, s + i, k);
        i += k;
    }
    if (rc == LS_OK) rc = collapse_ws((ls__str){ cut.p, cut.n }, out);
done:
    free(mapped);
    ls__buf_free(&rep);
    ls__buf_free(&cut);
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
