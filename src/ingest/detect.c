/*
 * detect.c — guesses the input format from its first bytes (after
 * decompression), for --format auto.
 *
 *   JSON (first non-blank byte '{' or '['): "v2" when the first object has
 *   a "data" member, "edit_history_tweet_ids", "referenced_tweets", or
 *   "author_id" with "id"; else "v1" when it has "id_str", or "user" with
 *   "created_at" and "id"; else NULL, and the caller reads it as JSON of
 *   another schema (jsonmap.c: "user_id", "timestamp" and the like alone
 *   say nothing about the API).  Keys are searched as quoted strings
 *   followed by ':' in
 *   the first line (JSON lines), and when that decides nothing, in all of
 *   the peeked bytes (a pretty-printed document).
 *   CSV (or tab-separated, as csv.c decides): the header row (first line,
 *   BOM skipped, quotes ignored) with
 *   tweetid and userid -> "io" (tweets file); userid and user_screen_name
 *   but no tweetid -> "io" (users file); message_id, user_id, repost_id
 *   -> "qut".  Anything else: NULL, and the caller asks for --format csv
 *   --map.
 */
#include "ingest.h"

#include <strings.h>

/* Does the first line hold "key" followed (after spaces) by ':'? */
static int has_key(const char *p, size_t n, const char *key)
{
    size_t k = strlen(key);
    const char *e = p + n;
    while (p + k + 2 <= e) {
        const char *q = memchr(p, '"', (size_t)(e - p));
        if (!q || q + k + 2 > e) return 0;
        if (memcmp(q + 1, key, k) == 0 && q[k + 1] == '"') {
            const char *r = q + k + 2;
            while (r < e && (*r == ' ' || *r == '\t')) r++;
            if (r < e && *r == ':') return 1;
        }
        p = q + 1;
    }
    return 0;
}

/* Is name one of the cells of the header line (ASCII case-insensitive, as
 * the parsers match columns, csvrow.c)? */
static int has_col(const char *p, size_t n, const char *name)
{
    size_t k = strlen(name);
    const char *e = p + n;
    const char sep = ls__csv_sniff_sep(p, n);   /* as the CSV reader decides */
    while (p <= e) {
        const char *c = memchr(p, sep, (size_t)(e - p));
        const char *ce = c ? c : e;
        const char *a = p, *b = ce;
        while (a < b && (*a == ' ' || *a == '"' || *a == '\'')) a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '"' || b[-1] == '\'' || b[-1] == '\r')) b--;
        if ((size_t)(b - a) == k && strncasecmp(a, name, k) == 0) return 1;
        if (!c) break;
        p = c + 1;
    }
    return 0;
}

const char *ls__detect_format(const char *p, size_t n)
{
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) { p += 3; n -= 3; }
    while (n && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) { p++; n--; }
    if (n == 0) return NULL;
    const char *nl = memchr(p, '\n', n);
    size_t ln = nl ? (size_t)(nl - p) : n;
    if (*p == '{' || *p == '[') {
        /* JSON lines: the first line is the first object.  A pretty-printed
         * document spreads it over many lines: then look at all we have. */
        for (int pass = 0; pass < 2; pass++) {
            size_t m = pass == 0 ? ln : n;
            if (has_key(p, m, "data") || has_key(p, m, "edit_history_tweet_ids") ||
                has_key(p, m, "referenced_tweets") || (has_key(p, m, "author_id") && has_key(p, m, "id")))
                return "v2";
            if (has_key(p, m, "id_str") ||
                (has_key(p, m, "user") && has_key(p, m, "created_at") && has_key(p, m, "id")))
                return "v1";
            if (ln == n) break;
        }
        return NULL;
    }
    if (has_col(p, ln, "userid") &&
        (has_col(p, ln, "tweetid") || has_col(p, ln, "user_screen_name")))
        return "io";
    if (has_col(p, ln, "message_id") && has_col(p, ln, "user_id") && has_col(p, ln, "repost_id"))
        return "qut";
    return NULL;
}
