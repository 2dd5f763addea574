/*
 * csvrow.c — helpers shared by the CSV-family parsers: header lookup,
 * per-row field checks (length, UTF-8, quoting) with one diagnostic per
 * problem and row, and id clean-up.  See csvrow.h.
 */
#include "csvrow.h"

#include <stdarg.h>

static char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c; }

int ls__csv_col(const ls__csv_row *hdr, const char *name)
{
    size_t k = strlen(name);
    for (size_t i = 0; i < hdr->n; i++) {
        const char *p = hdr->f[i].p, *e = p + hdr->f[i].n;
        while (p < e && (*p == ' ' || *p == '\t')) p++;
        while (e > p && (e[-1] == ' ' || e[-1] == '\t')) e--;
        if ((size_t)(e - p) != k) continue;
        size_t j = 0;
        while (j < k && lower(p[j]) == lower(name[j])) j++;
        if (j == k) return (int)i;
    }
    return -1;
}

/* Cuts s to at most max bytes without splitting a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t max)
{
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    return n;
}

/* "tweet_text" or "column 4" for messages. */
static const char *field_name(const char *const *names, size_t i, char *buf, size_t cap)
{
    if (names) return names[i];
    snprintf(buf, cap, "column %zu", i + 1);
    return buf;
}

int ls__fix_fields(ls__env *e, ls__str *v, size_t n, int bad_quoting, ls__str span,
                   ls__buf *scratch, uint64_t line, const char *const *names)
{
    char nb[32];
    int rc;
    size_t need = 1, bad_field = SIZE_MAX, long_field = SIZE_MAX;
    scratch->n = 0;
    if (bad_quoting &&
        (rc = ls__env_diag(e, LS_DIAG_BAD_QUOTING, line, "quote problem repaired")) != LS_OK)
        return rc;
    /* The common case in one pass: the record's bytes, from its first to
     * its last field, are valid UTF-8 and no field is too long.  Fields
     * are slices of that span cut at ASCII delimiters, so then each field
     * is valid too.  (Unquoting in place can leave stale bytes in the span
     * that fail the check; the per-field pass below then decides.) */
    if (span.n && span.n <= LS__FIELD_MAX && ls__utf8_all_valid(span.p, span.n))
        return LS_OK;
    /* First pass: truncate, find fields to repair and the room they need
     * (each bad byte becomes the 3-byte U+FFFD), so that scratch is grown
     * once and slices into it never move. */
    for (size_t i = 0; i < n; i++) {
        if (v[i].n > LS__FIELD_MAX) {
            v[i].n = utf8_cut(v[i].p, LS__FIELD_MAX);
            if (long_field == SIZE_MAX) long_field = i;
        }
        if (v[i].n && ls__utf8_valid_prefix(v[i].p, v[i].n) != v[i].n) {
            need += 3 * v[i].n;
            if (bad_field == SIZE_MAX) bad_field = i;
        }
    }
    if (long_field != SIZE_MAX &&
        (rc = ls__env_diag(e, LS_DIAG_LONG_FIELD, line, "%s longer than %u bytes truncated",
                           field_name(names, long_field, nb, sizeof nb), LS__FIELD_MAX)) != LS_OK)
        return rc;
    if (bad_field == SIZE_MAX) return LS_OK;
    if (ls__grow((void **)&scratch->p, &scratch->cap, need, 1) != LS_OK) return LS_ERR_NOMEM;
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (!v[i].n || ls__utf8_valid_prefix(v[i].p, v[i].n) == v[i].n) continue;
        size_t at = scratch->n, rep = 0;
        if ((rc = ls__utf8_repair(scratch, v[i].p, v[i].n, &rep)) != LS_OK) return rc;
        v[i] = (ls__str){ scratch->p + at, scratch->n - at };
        total += rep;
    }
    return ls__env_diag(e, LS_DIAG_BAD_UTF8, line, "%s: %zu invalid UTF-8 sequence%s replaced",
                        field_name(names, bad_field, nb, sizeof nb), total, total == 1 ? "" : "s");
}

bool ls__is_null(ls__str s)
{
    /* Called for most fields of every row: a switch on the length, not a
     * loop of string compares. */
    switch (s.n) {
    case 0: return true;
    case 3: return memcmp(s.p, "nan", 3) == 0 || memcmp(s.p, "NaN", 3) == 0;
    case 4: return memcmp(s.p, "None", 4) == 0 || memcmp(s.p, "null", 4) == 0 ||
                   memcmp(s.p, "NULL", 4) == 0;
    case 6: return memcmp(s.p, "absent", 6) == 0;
    default: return false;
    }
}

ls__str ls__clean_id(ls__str s)
{
    const char *p = s.p, *e = s.p + s.n;
    while (p < e && (*p == ' ' || *p == '\t')) p++;
    while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) e--;
    ls__str t = { p, (size_t)(e - p) };
    if (ls__is_null(t)) return (ls__str){ s.p, 0 };
    if (t.n > 2 && e[-2] == '.' && e[-1] == '0') {
        size_t i = 0;
        while (i < t.n - 2 && p[i] >= '0' && p[i] <= '9') i++;
        if (i == t.n - 2) t.n -= 2;
    }
    return t;
}

int ls__csv_fail(ls__env *e, int status, uint64_t line)
{
    switch (status) {
    case LS_ERR_LIMIT:
        return ls__fail(e->ctx, status, "%s:%llu: a CSV record is longer than 1 GiB",
                        e->file, (unsigned long long)line);
    case LS_ERR_NOMEM:
        return ls__fail(e->ctx, status, "%s:%llu: out of memory reading CSV",
                        e->file, (unsigned long long)line);
    default:
        return status;  /* the source set its own message (I/O, truncated stream) */
    }
}

int ls__row_diag(ls__env *e, unsigned *said, int reason, uint64_t line, const char *fmt, ...)
{
    char msg[160];
    va_list ap;
    if (*said & (1u << reason)) return LS_OK;
    *said |= 1u << reason;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ls__env_diag(e, reason, line, "%s", msg);
}

ls__str ls__row_span(const ls__csv_row *row)
{
    if (row->n == 0) return (ls__str){ "", 0 };
    const char *a = row->f[0].p, *b = row->f[row->n - 1].p + row->f[row->n - 1].n;
    return (ls__str){ a, b >= a ? (size_t)(b - a) : 0 };
}
