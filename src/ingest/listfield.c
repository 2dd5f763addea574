/*
 * listfield.c — Python-style list fields as the IO archive writes them:
 * "['香港', 'HongKong']", "[\"it's\"]", "[a, b]", "[]", "" and a bare value
 * without brackets (one item).  Quoted items may use ' or " and Python's
 * escapes (\\ \' \" \n \r \t \xHH \uHHHH \UHHHHHHHH); unquoted items are
 * trimmed and empty ones skipped.  Items are slices of the input, except
 * items that needed unescaping, which are written to the scratch buffer.
 * The scratch buffer is grown once, at the first item that needs
 * unescaping, by the length of the input left from there on (an
 * unescaped item is never longer than its source), so slices into it stay
 * valid for the whole call; lists without escapes (nearly all, and "[]"
 * on most rows) never touch it; a caller that parses several lists must give
 * each its own scratch buffer (or use the items before the next call).
 * Items past cap are dropped.  O(n).
 */
#include "ingest.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Appends code point cp as UTF-8 (U+FFFD for surrogates and out-of-range). */
static size_t put_utf8(char *o, uint32_t cp)
{
    if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
    if (cp > 0x10FFFF) cp = 0xFFFD;
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F)); return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18)); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static void add(ls__str *items, size_t cap, size_t *n, const char *p, size_t len)
{
    if (*n < cap) items[*n] = (ls__str){ p, len };
    if (*n < cap) (*n)++;
}

/* Parses a quoted item starting at *pp (at the quote).  On success *pp is
 * past the closing quote and the item is added.  Unescaping writes into
 * scratch, which gets room for the rest of the input the first time
 * (later items fit in it, so it never moves under an earlier one).
 * Returns 0, -1 for a malformed item, -2 out of memory. */
static int quoted_item(const char **pp, const char *e, ls__buf *scratch,
                       ls__str *items, size_t cap, size_t *n)
{
    const char *p = *pp;
    char q = *p++;
    const char *start = p;
    /* Fast case: no backslash before the closing quote. */
    while (p < e && *p != q && *p != '\\') p++;
    if (p == e) return -1;
    if (*p == q) {
        add(items, cap, n, start, (size_t)(p - start));
        *pp = p + 1;
        return 0;
    }
    size_t need = scratch->n + (size_t)(e - start) + 1;
    if (need > scratch->cap && ls__grow((void **)&scratch->p, &scratch->cap, need, 1) != LS_OK)
        return -2;
    char *o0 = scratch->p + scratch->n, *o = o0;
    memcpy(o, start, (size_t)(p - start));
    o += p - start;
    while (p < e && *p != q) {
        if (*p != '\\') { *o++ = *p++; continue; }
        if (p + 1 >= e) return -1;
        char c = p[1];
        p += 2;
        switch (c) {
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case '\\': case '\'': case '"': *o++ = c; break;
        case 'x': case 'u': case 'U': {
            int k = c == 'x' ? 2 : c == 'u' ? 4 : 8;
            uint32_t cp = 0;
            int ok = e - p >= k;
            for (int i = 0; ok && i < k; i++) {
                int h = hexval(p[i]);
                if (h < 0) ok = 0; else cp = cp * 16 + (uint32_t)h;
            }
            /* \xHH takes 4 source bytes and gives at most 2 output bytes;
             * \u takes 6 for at most 3; \U takes 10 for at most 4: the
             * output never outruns the input, so the reserved room holds. */
            if (ok) { o += put_utf8(o, cp); p += k; }
            else { *o++ = '\\'; *o++ = c; }
            break;
        }
        default: *o++ = '\\'; *o++ = c; break;
        }
    }
    if (p == e) return -1;
    scratch->n += (size_t)(o - o0);
    add(items, cap, n, o0, (size_t)(o - o0));
    *pp = p + 1;
    return 0;
}

int ls__list_parse(ls__str s, ls__str *items, size_t cap, size_t *n, ls__buf *scratch)
{
    return ls__list_parse_sep(s, NULL, items, cap, n, scratch);
}

int ls__list_parse_sep(ls__str s, const char *seps, ls__str *items, size_t cap, size_t *n,
                       ls__buf *scratch)
{
    const char *p = s.p, *e = s.p + s.n;
    *n = 0;
    while (p < e && is_space(*p)) p++;
    while (e > p && is_space(e[-1])) e--;
    if (p == e) return LS_OK;
    if (*p != '[') {
        /* A bare value: one item, or items between any of seps (other
         * tools write "a,b" or "a b" where the archive writes "['a', 'b']"). */
        if (!seps) {
            add(items, cap, n, p, (size_t)(e - p));
            return LS_OK;
        }
        while (p < e) {
            const char *t = p;
            while (t < e && (!*t || !strchr(seps, *t))) t++;
            const char *a = p, *b = t;
            while (a < b && is_space(*a)) a++;
            while (b > a && is_space(b[-1])) b--;
            if (b > a) add(items, cap, n, a, (size_t)(b - a));
            p = t < e ? t + 1 : e;
        }
        return LS_OK;
    }
    if (e - p == 2 && p[1] == ']') return LS_OK;     /* "[]": most rows */
    p++;
    int closed = 0;
    while (p < e) {
        while (p < e && is_space(*p)) p++;
        if (p == e) break;
        if (*p == ']') { closed = 1; p++; break; }
        if (*p == ',') { p++; continue; }
        if (*p == '\'' || *p == '"') {
            int q = quoted_item(&p, e, scratch, items, cap, n);
            if (q == -2) return LS_ERR_NOMEM;
            if (q) return LS_ERR_PARSE;
            while (p < e && is_space(*p)) p++;
            if (p < e && *p != ',' && *p != ']') return LS_ERR_PARSE;
            continue;
        }
        const char *st = p;
        while (p < e && *p != ',' && *p != ']') p++;
        const char *en = p;
        while (en > st && is_space(en[-1])) en--;
        if (en > st) add(items, cap, n, st, (size_t)(en - st));
    }
    if (!closed || p != e) return LS_ERR_PARSE;
    return LS_OK;
}
