/*
 * escape.c — escaping of untrusted text for each context an output puts it
 * in: HTML element bodies and attribute values, links, JSON inside a
 * <script> element, and CSV fields (plain, and spreadsheet-safe).
 *
 * Every function first repairs invalid UTF-8 (U+FFFD), because a browser
 * or a CSV reader that meets a broken sequence may swallow the bytes that
 * follow it, including a quote or a '<' that the escaping relied on.
 * All are O(n).
 */
#include "out.h"

/* A view of s that is valid UTF-8: s itself when it already is (the usual
 * case, no copy), else a repaired copy in the scratch buffer r. */
typedef struct { const char *p; size_t n; } view_t;
static int repaired(ls__buf *r, const char *s, size_t n, view_t *v)
{
    size_t fixed = 0;
    int rc;
    v->p = s ? s : ""; v->n = s ? n : 0;
    if (v->n == 0 || ls__utf8_valid_prefix(s, n) == n) return LS_OK;
    r->n = 0;
    if ((rc = ls__utf8_repair(r, s, n, &fixed)) != LS_OK) return rc;
    v->p = r->p; v->n = r->n;
    return LS_OK;
}

int ls__html_text(ls__buf *b, const char *s, size_t n)
{
    ls__buf r = { 0 };
    view_t v;
    int rc = repaired(&r, s, n, &v);
    size_t start = 0;
    for (size_t i = 0; rc == LS_OK && i < v.n; i++) {
        unsigned char c = (unsigned char)v.p[i];
        const char *rep = NULL;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        case '\t': case '\n': case '\r': break;
        case 0xEF:
            /* U+FFFE and U+FFFF are not characters; XML forbids them. */
            if (i + 2 < v.n && (unsigned char)v.p[i + 1] == 0xBF &&
                ((unsigned char)v.p[i + 2] == 0xBE || (unsigned char)v.p[i + 2] == 0xBF)) {
                if ((rc = ls__buf_put(b, v.p + start, i - start)) == LS_OK)
                    rc = ls__buf_put(b, "\xEF\xBF\xBD", 3);
                i += 2;
                start = i + 1;
            }
            continue;
        default:
            /* C0 controls and DEL have no business in a page (NUL is
             * also a parse error), so they become U+FFFD. */
            if (c < 0x20 || c == 0x7F) rep = "\xEF\xBF\xBD";
        }
        if (!rep) continue;
        if ((rc = ls__buf_put(b, v.p + start, i - start)) == LS_OK)
            rc = ls__buf_put(b, rep, strlen(rep));
        start = i + 1;
    }
    if (rc == LS_OK) rc = ls__buf_put(b, v.p + start, v.n - start);
    ls__buf_free(&r);
    return rc;
}

bool ls__url_is_web(const char *s, size_t n)
{
    size_t k;
    if (n >= 7 && strncasecmp(s, "http://", 7) == 0) k = 7;
    else if (n >= 8 && strncasecmp(s, "https://", 8) == 0) k = 8;
    else return false;
    if (k == n || s[k] == '/' || s[k] == '\\') return false;   /* needs a host */
    if (ls__utf8_valid_prefix(s, n) != n) return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c == 0x7F || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`')
            return false;
    }
    return true;
}

int ls__html_url(ls__buf *b, const char *s, size_t n)
{
    int rc;
    if (!ls__url_is_web(s, n)) return ls__html_text(b, s, n);
    if ((rc = ls__buf_put(b, "<a href=\"", 9)) != LS_OK ||
        (rc = ls__html_text(b, s, n)) != LS_OK ||
        (rc = ls__buf_printf(b, "\" rel=\"noopener noreferrer nofollow\">")) != LS_OK ||
        (rc = ls__html_text(b, s, n)) != LS_OK)
        return rc;
    return ls__buf_put(b, "</a>", 4);
}

int ls__json_script_str(ls__buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    ls__buf r = { 0 };
    view_t v;
    int rc = repaired(&r, s, n, &v);
    if (rc == LS_OK) rc = ls__buf_putc(b, '"');
    size_t start = 0;
    for (size_t i = 0; rc == LS_OK && i < v.n; i++) {
        unsigned char c = (unsigned char)v.p[i];
        char esc[8];
        size_t k = 0, skip = 1;
        if (c == '"' || c == '\\') { esc[0] = '\\'; esc[1] = (char)c; k = 2; }
        else if (c == '\n') { memcpy(esc, "\\n", 2); k = 2; }
        else if (c == '\t') { memcpy(esc, "\\t", 2); k = 2; }
        else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x7F) {
            /* '<' is what matters: "</script>" or "<!--" inside the data
             * would end or confuse the element. */
            memcpy(esc, "\\u00", 4); esc[4] = hex[c >> 4]; esc[5] = hex[c & 15]; k = 6;
        } else if (c == 0xE2 && i + 2 < v.n && (unsigned char)v.p[i + 1] == 0x80 &&
                   ((unsigned char)v.p[i + 2] == 0xA8 || (unsigned char)v.p[i + 2] == 0xA9)) {
            /* U+2028/U+2029 end a line in older JavaScript parsers. */
            memcpy(esc, (unsigned char)v.p[i + 2] == 0xA8 ? "\\u2028" : "\\u2029", 6);
            k = 6; skip = 3;
        }
        if (!k) continue;
        if ((rc = ls__buf_put(b, v.p + start, i - start)) == LS_OK)
            rc = ls__buf_put(b, esc, k);
        i += skip - 1;
        start = i + 1;
    }
    if (rc == LS_OK) rc = ls__buf_put(b, v.p + start, v.n - start);
    if (rc == LS_OK) rc = ls__buf_putc(b, '"');
    ls__buf_free(&r);
    return rc;
}

static int csv_common(ls__buf *b, const char *s, size_t n, int safe)
{
    ls__buf r = { 0 };
    view_t v;
    int rc = repaired(&r, s, n, &v), quote = 0;
    for (size_t i = 0; i < v.n; i++)
        if (v.p[i] == ',' || v.p[i] == '"' || v.p[i] == '\n' || v.p[i] == '\r') quote = 1;
    int formula = safe && v.n > 0 && (v.p[0] == '=' || v.p[0] == '+' || v.p[0] == '-' ||
                                      v.p[0] == '@' || v.p[0] == '\t' || v.p[0] == '\r');
    if (rc == LS_OK && quote) rc = ls__buf_putc(b, '"');
    if (rc == LS_OK && formula) rc = ls__buf_putc(b, '\'');
    for (size_t i = 0; rc == LS_OK && i < v.n; i++) {
        rc = ls__buf_putc(b, v.p[i]);
        if (rc == LS_OK && v.p[i] == '"') rc = ls__buf_putc(b, '"');
    }
    if (rc == LS_OK && quote) rc = ls__buf_putc(b, '"');
    ls__buf_free(&r);
    return rc;
}

int ls__outcsv(ls__buf *b, const char *s, size_t n) { return csv_common(b, s, n, 0); }
int ls__outcsv_safe(ls__buf *b, const char *s, size_t n) { return csv_common(b, s, n, 1); }
