/*
 * qut.c — the 8-column CSV of the QUT coordination-network-toolkit:
 * message_id, user_id, username, repost_id, reply_id, message, timestamp,
 * urls.  As in the toolkit, columns are positional and the first row is a
 * header and skipped.  timestamp is unix seconds (or ISO-8601); when it is
 * empty the time comes from message_id if that is a snowflake.  urls are
 * separated by spaces.  A repost_id makes the row a RETWEET of that post
 * (its author's screen name is taken from a leading "RT @name:" when the
 * text has one, as in io.c), a reply_id a REPLY.  The toolkit finds
 * hashtags in the message text, so this parser does too: '#' followed by
 * letters, digits, '_' or any non-ASCII character, not preceded by a word
 * character.  A row with another number of columns is LS_DIAG_COLUMNS.
 */
#include "csvrow.h"

#define Q_NCOL 8
#define Q_MAX_ITEMS 256

enum { Q_ID, Q_USER, Q_NAME, Q_REPOST, Q_REPLY, Q_TEXT, Q_TIME, Q_URLS };
static const char *const q_names[Q_NCOL] = { "message_id", "user_id", "username", "repost_id",
                                             "reply_id", "message", "timestamp", "urls" };

static int word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c >= 0x80;
}

/* Hashtags of text (slices without the '#'), up to cap. */
static size_t find_hashtags(ls__str text, ls__str *out, size_t cap)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)text.p, *e = p + text.n;
    for (const unsigned char *h = p; n < cap && h < e;) {
        h = memchr(h, '#', (size_t)(e - h));
        if (!h) break;
        const unsigned char *s = h + 1, *t = s;
        while (t < e && word_byte(*t)) t++;
        if (t > s && (h == p || !word_byte(h[-1])))
            out[n++] = (ls__str){ (const char *)s, (size_t)(t - s) };
        h = t > s ? t : h + 1;
    }
    return n;
}

/* Space-separated URLs, up to cap. */
static size_t split_spaces(ls__str s, ls__str *out, size_t cap)
{
    size_t n = 0;
    const char *p = s.p, *e = s.p + s.n;
    while (p < e && n < cap) {
        while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
        const char *t = p;
        while (t < e && *t != ' ' && *t != '\t' && *t != '\n' && *t != '\r') t++;
        if (t > p) out[n++] = (ls__str){ p, (size_t)(t - p) };
        p = t;
    }
    return n;
}

static int qut_row(ls__env *e, ls__str *v, uint64_t line, ls__str *tags, ls__str *urls)
{
    ls__rec r;
    int rc;
    ls__rec_clear(&r);
    r.post_id = ls__clean_id(v[Q_ID]);
    r.account_id = ls__clean_id(v[Q_USER]);
    if (r.post_id.n == 0 || r.account_id.n == 0)
        return ls__env_diag(e, LS_DIAG_MISSING_ID, line, "no %s",
                            r.post_id.n == 0 ? "message_id" : "user_id");
    ls__str ts = ls__clean_id(v[Q_TIME]);
    if (ts.n) {
        if (ls__time_parse(ts, &r.time_ms) != LS_OK) r.time_ms = LS__TIME_NONE;
    } else {
        r.time_ms = ls__snowflake_ms(r.post_id);
    }
    if (r.time_ms == LS__TIME_NONE)
        return ls__env_diag(e, LS_DIAG_BAD_TIME, line, "timestamp '%.*s' is not a time",
                            (int)LS__MIN(ts.n, 40), ts.p);
    r.screen_name = v[Q_NAME];
    r.text = v[Q_TEXT];
    r.ref_post = ls__clean_id(v[Q_REPOST]);
    r.reply_post = ls__clean_id(v[Q_REPLY]);
    if (r.ref_post.n) {
        r.kind = LS_KIND_RETWEET;
        r.ref_screen_name = ls__rt_prefix_name(r.text);
        if (r.ref_screen_name.n &&
            (rc = ls__env_diag(e, LS_DIAG_RT_RECOVERED, line, "retweet of @%.*s",
                               (int)r.ref_screen_name.n, r.ref_screen_name.p)))
            return rc;
    } else if (r.reply_post.n) {
        r.kind = LS_KIND_REPLY;
    }
    r.n_urls = split_spaces(v[Q_URLS], urls, Q_MAX_ITEMS);
    r.urls = urls;
    r.n_hashtags = find_hashtags(r.text, tags, Q_MAX_ITEMS);
    r.hashtags = tags;
    return ls__env_post(e, &r, line);
}

int ls__parse_qut(ls__env *e, ls__src *src)
{
    ls__csv *c = NULL;
    ls__csv_row row;
    ls__buf fix = { 0 };
    ls__str *items = ls__malloc(2 * Q_MAX_ITEMS * sizeof *items);
    uint64_t rows = 0;
    int rc;
    if (!items) return ls__fail(e->ctx, LS_ERR_NOMEM, "%s: out of memory", e->file);
    if ((rc = ls__csv_new(src, &c)) != LS_OK) { rc = ls__csv_fail(e, rc, 1); goto done; }
    if ((rc = ls__csv_next(c, &row)) != LS_OK) { rc = ls__csv_fail(e, rc, 1); goto done; }
    if (row.n == 0) goto done;                      /* empty file */
    if (row.n != Q_NCOL) {
        rc = ls__fail(e->ctx, LS_ERR_FORMAT, "%s:1: a QUT file has 8 columns (message_id, user_id, "
                      "username, repost_id, reply_id, message, timestamp, urls), this header has %zu",
                      e->file, row.n);
        goto done;
    }
    for (;;) {
        if ((rc = ls__csv_next(c, &row)) != LS_OK) { rc = ls__csv_fail(e, rc, row.line); goto done; }
        if (row.n == 0) break;
        rows++;
        if (row.n == 1 && row.f[0].n == 0) {
            if ((rc = ls__env_diag(e, LS_DIAG_EMPTY_LINE, row.line, "empty line")) != LS_OK) goto done;
            continue;
        }
        if (row.n != Q_NCOL) {
            if ((rc = ls__env_diag(e, LS_DIAG_COLUMNS, row.line, "%zu columns, expected 8", row.n)))
                goto done;
            continue;
        }
        ls__str v[Q_NCOL];
        memcpy(v, row.f, sizeof v);
        if ((rc = ls__fix_fields(e, v, Q_NCOL, row.bad_quoting, ls__row_span(&row), &fix, row.line, q_names)) != LS_OK) goto done;
        if ((rc = qut_row(e, v, row.line, items, items + Q_MAX_ITEMS)) != LS_OK) goto done;
    }
done:
    if (e->b) ls__builder_count_rows(e->b, rows);
    ls__csv_free(c);
    ls__buf_free(&fix);
    ls__free(items);
    return rc;
}
