/*
 * io.c — the Twitter Information-Operations archive: the tweets file (31
 * columns, tweetid .. poll_choices) and the users file (userid ..
 * account_language), told apart by the header row.  Columns are found by
 * header name, so reordered and extra columns are fine; a data row must
 * have as many fields as the header (else LS_DIAG_COLUMNS, rejected).
 *
 * Quirks handled, all seen in real releases:
 *   - ids are numeric, 64-char hex hashes or 44-char base64 hashes, kept
 *     as given (a float-damaged "123.0" loses its ".0");
 *   - "absent", "None", "nan" and empty mean no value in id, count and
 *     time columns;
 *   - counts written "0.0", booleans "True"/"False";
 *   - hashtags/urls/user_mentions as Python lists ("['a', 'b']", "[a, b]",
 *     "[]"); a malformed list keeps what parsed and is LS_DIAG_BAD_LIST;
 *   - a retweet whose retweet_userid is empty: the author's screen name is
 *     taken from a leading "RT @name:" in the text (LS_DIAG_RT_RECOVERED;
 *     the builder resolves the name to an account at the end);
 *   - time: tweet_time has minute resolution, so the time comes from the
 *     tweet id when it is a snowflake.  When tweet_time is also given and
 *     the two differ by more than a day, the id is not a real snowflake
 *     (an id from another numbering) and tweet_time wins.  No usable time
 *     at all is LS_DIAG_BAD_TIME (rejected).
 * Kind: is_retweet -> RETWEET (ref = retweet_tweetid/retweet_userid);
 * else quoted_tweet_tweetid -> QUOTE; in_reply_to_* fill the reply fields
 * and make the post a REPLY unless it is a retweet or quote.
 * latitude, longitude and poll_choices are not stored.
 */
#include "csvrow.h"

enum {
    C_TWEETID, C_USERID, C_DISPLAY, C_SCREEN, C_LOCATION, C_DESCRIPTION,
    C_PROFILE_URL, C_FOLLOWERS, C_FOLLOWING, C_CREATED, C_ACCT_LANG,
    C_LANG, C_TEXT, C_TIME, C_CLIENT, C_REPLY_USER, C_REPLY_TWEET,
    C_QUOTED, C_IS_RT, C_RT_USER, C_RT_TWEET, C_QUOTES, C_REPLIES,
    C_LIKES, C_RETWEETS, C_HASHTAGS, C_URLS, C_MENTIONS, C_NCOL
};
static const char *const col_names[C_NCOL] = {
    "tweetid", "userid", "user_display_name", "user_screen_name",
    "user_reported_location", "user_profile_description", "user_profile_url",
    "follower_count", "following_count", "account_creation_date",
    "account_language", "tweet_language", "tweet_text", "tweet_time",
    "tweet_client_name", "in_reply_to_userid", "in_reply_to_tweetid",
    "quoted_tweet_tweetid", "is_retweet", "retweet_userid", "retweet_tweetid",
    "quote_count", "reply_count", "like_count", "retweet_count", "hashtags",
    "urls", "user_mentions"
};

#define LS__LIST_CAP 256    /* items kept per list field */

typedef struct io_state {
    ls__env *e;
    int col[C_NCOL];        /* column index or -1 */
    size_t ncols;           /* header width */
    int users;              /* the users file */
    ls__buf fix;            /* repaired fields */
    ls__buf lscratch[3];    /* unescaped list items, one per list column */
    ls__str lists[3][LS__LIST_CAP];
    unsigned said;          /* reasons already reported for this row */
} io_state;

/* The value of column k (empty when the file has no such column). */
static ls__str val(const ls__str *v, int k) { return v[k]; }

static int count_field(io_state *st, ls__str s, int64_t *out, const char *what, uint64_t line)
{
    ls__str t = ls__clean_id(s);
    if (t.n == 0) { *out = -1; return LS_OK; }
    if (ls__count_parse(t, out) == LS_OK) return LS_OK;
    *out = -1;
    return ls__row_diag(st->e, &st->said, LS_DIAG_BAD_NUMBER, line, "%s '%.*s' is not a count",
                        what, (int)LS__MIN(t.n, 40), t.p);
}

static int date_field(io_state *st, ls__str s, int64_t *out, uint64_t line)
{
    ls__str t = ls__clean_id(s);
    *out = LS__TIME_NONE;
    if (t.n == 0 || ls__time_parse(t, out) == LS_OK) return LS_OK;
    *out = LS__TIME_NONE;
    return ls__row_diag(st->e, &st->said, LS_DIAG_BAD_NUMBER, line,
                        "account_creation_date '%.*s' is not a date", (int)LS__MIN(t.n, 40), t.p);
}

static int list_field(io_state *st, int which, ls__str s, const ls__str **items, size_t *n,
                      const char *what, uint64_t line)
{
    ls__buf *sc = &st->lscratch[which];
    sc->n = 0;
    /* 0 hashtags, 1 urls, 2 user_mentions; a bare value is split the way
     * other tools write lists (ls__list_parse_sep). */
    int rc = ls__list_parse_sep(s, which == 1 ? LS__SEP_URLS : LS__SEP_TAGS, st->lists[which],
                                LS__LIST_CAP, n, sc);
    *items = st->lists[which];
    if (rc == LS_ERR_NOMEM) return rc;
    if (rc != LS_OK)
        return ls__row_diag(st->e, &st->said, LS_DIAG_BAD_LIST, line, "%s list '%.*s' is malformed",
                            what, (int)LS__MIN(s.n, 40), s.p);
    return LS_OK;
}

static int user_row(io_state *st, const ls__str *v, uint64_t line)
{
    ls__acct a;
    int rc;
    ls__acct_clear(&a);
    a.account_id = ls__clean_id(val(v, C_USERID));
    if (a.account_id.n == 0)
        return ls__env_diag(st->e, LS_DIAG_MISSING_ID, line, "no userid");
    a.screen_name = val(v, C_SCREEN);
    a.display_name = val(v, C_DISPLAY);
    a.location = val(v, C_LOCATION);
    a.description = val(v, C_DESCRIPTION);
    a.profile_url = ls__clean_id(val(v, C_PROFILE_URL));
    a.account_lang = ls__clean_id(val(v, C_ACCT_LANG));
    if ((rc = count_field(st, val(v, C_FOLLOWERS), &a.followers, "follower_count", line)) ||
        (rc = count_field(st, val(v, C_FOLLOWING), &a.following, "following_count", line)) ||
        (rc = date_field(st, val(v, C_CREATED), &a.created_ms, line)))
        return rc;
    return ls__env_account(st->e, &a);
}

static int tweet_row(io_state *st, const ls__str *v, uint64_t line)
{
    ls__rec r;
    int rc, is_rt = 0;
    ls__rec_clear(&r);
    r.post_id = ls__clean_id(val(v, C_TWEETID));
    r.account_id = ls__clean_id(val(v, C_USERID));
    if (r.post_id.n == 0 || r.account_id.n == 0)
        return ls__env_diag(st->e, LS_DIAG_MISSING_ID, line, "no %s",
                            r.post_id.n == 0 ? "tweetid" : "userid");

    /* Time: the snowflake, checked against tweet_time when both exist. */
    int64_t tt = LS__TIME_NONE;
    ls__str ts = ls__clean_id(val(v, C_TIME));
    if (ts.n && ls__time_parse(ts, &tt) != LS_OK) tt = LS__TIME_NONE;
    r.time_ms = ls__post_time(r.post_id, tt);
    if (r.time_ms == LS__TIME_NONE)
        return ls__env_diag(st->e, LS_DIAG_BAD_TIME, line, "tweet_time '%.*s' is not a time",
                            (int)LS__MIN(ts.n, 40), ts.p);

    r.screen_name = val(v, C_SCREEN);
    r.display_name = val(v, C_DISPLAY);
    r.location = val(v, C_LOCATION);
    r.description = val(v, C_DESCRIPTION);
    r.profile_url = ls__clean_id(val(v, C_PROFILE_URL));
    r.account_lang = ls__clean_id(val(v, C_ACCT_LANG));
    r.lang = ls__clean_id(val(v, C_LANG));
    r.text = val(v, C_TEXT);
    r.client = ls__clean_id(val(v, C_CLIENT));

    ls__str isrt = val(v, C_IS_RT);
    if (st->col[C_IS_RT] < 0) {
        /* No is_retweet column (a trimmed export): a retweet target says it. */
        is_rt = ls__clean_id(val(v, C_RT_TWEET)).n > 0;
    } else if (ls__bool_parse(isrt, &is_rt) != LS_OK) {
        is_rt = 0;
        if ((rc = ls__row_diag(st->e, &st->said, LS_DIAG_BAD_NUMBER, line, "is_retweet '%.*s' is not a boolean",
                               (int)LS__MIN(isrt.n, 40), isrt.p)))
            return rc;
    }
    ls__str quoted = ls__clean_id(val(v, C_QUOTED));
    r.reply_post = ls__clean_id(val(v, C_REPLY_TWEET));
    r.reply_account = ls__clean_id(val(v, C_REPLY_USER));
    if (is_rt) {
        r.kind = LS_KIND_RETWEET;
        r.ref_post = ls__clean_id(val(v, C_RT_TWEET));
        r.ref_account = ls__clean_id(val(v, C_RT_USER));
        if (r.ref_account.n == 0) {
            r.ref_screen_name = ls__rt_prefix_name(r.text);
            if (r.ref_screen_name.n &&
                (rc = ls__env_diag(st->e, LS_DIAG_RT_RECOVERED, line, "retweet of @%.*s",
                                   (int)r.ref_screen_name.n, r.ref_screen_name.p)))
                return rc;
        }
    } else if (quoted.n) {
        r.kind = LS_KIND_QUOTE;
        r.ref_post = quoted;
    } else if (r.reply_post.n || r.reply_account.n) {
        r.kind = LS_KIND_REPLY;
    }

    if ((rc = count_field(st, val(v, C_FOLLOWERS), &r.followers, "follower_count", line)) ||
        (rc = count_field(st, val(v, C_FOLLOWING), &r.following, "following_count", line)) ||
        (rc = date_field(st, val(v, C_CREATED), &r.created_ms, line)) ||
        (rc = count_field(st, val(v, C_QUOTES), &r.quotes, "quote_count", line)) ||
        (rc = count_field(st, val(v, C_REPLIES), &r.replies, "reply_count", line)) ||
        (rc = count_field(st, val(v, C_LIKES), &r.likes, "like_count", line)) ||
        (rc = count_field(st, val(v, C_RETWEETS), &r.retweets, "retweet_count", line)) ||
        (rc = list_field(st, 0, val(v, C_HASHTAGS), &r.hashtags, &r.n_hashtags, "hashtags", line)) ||
        (rc = list_field(st, 1, val(v, C_URLS), &r.urls, &r.n_urls, "urls", line)) ||
        (rc = list_field(st, 2, val(v, C_MENTIONS), &r.mentions, &r.n_mentions, "user_mentions", line)))
        return rc;
    return ls__env_post(st->e, &r, line);
}

/* Maps the header; LS_ERR_FORMAT when it is neither IO file. */
static int map_header(io_state *st, const ls__csv_row *hdr)
{
    for (int k = 0; k < C_NCOL; k++) st->col[k] = ls__csv_col(hdr, col_names[k]);
    st->ncols = hdr->n;
    if (st->col[C_USERID] < 0)
        return ls__fail(st->e->ctx, LS_ERR_FORMAT,
                        "%s:1: not an IO archive file: the header has no 'userid' column", st->e->file);
    st->users = st->col[C_TWEETID] < 0;
    return LS_OK;
}

int ls__parse_io(ls__env *e, ls__src *src)
{
    ls__csv *c = NULL;
    ls__csv_row row;
    io_state *st = ls__calloc(1, sizeof *st);
    uint64_t rows = 0;
    int rc;
    if (!st) return ls__fail(e->ctx, LS_ERR_NOMEM, "%s: out of memory", e->file);
    st->e = e;
    if ((rc = ls__csv_new(src, &c)) != LS_OK) { rc = ls__csv_fail(e, rc, 1); goto done; }
    if ((rc = ls__csv_next(c, &row)) != LS_OK) { rc = ls__csv_fail(e, rc, 1); goto done; }
    if (row.n == 0) goto done;                      /* empty file */
    if ((rc = map_header(st, &row)) != LS_OK) goto done;
    for (;;) {
        if ((rc = ls__csv_next(c, &row)) != LS_OK) { rc = ls__csv_fail(e, rc, row.line); goto done; }
        if (row.n == 0) break;
        rows++;
        if (row.n == 1 && row.f[0].n == 0) {
            if ((rc = ls__env_diag(e, LS_DIAG_EMPTY_LINE, row.line, "empty line")) != LS_OK) goto done;
            continue;
        }
        if (row.n != st->ncols) {
            if ((rc = ls__env_diag(e, LS_DIAG_COLUMNS, row.line, "%zu columns, the header has %zu",
                                   row.n, st->ncols)) != LS_OK)
                goto done;
            continue;
        }
        ls__str v[C_NCOL];
        for (int k = 0; k < C_NCOL; k++)
            v[k] = st->col[k] >= 0 ? row.f[st->col[k]] : (ls__str){ "", 0 };
        if ((rc = ls__fix_fields(e, v, C_NCOL, row.bad_quoting, ls__row_span(&row), &st->fix, row.line, col_names)) != LS_OK)
            goto done;
        st->said = 0;
        rc = st->users ? user_row(st, v, row.line) : tweet_row(st, v, row.line);
        if (rc != LS_OK) goto done;
    }
done:
    if (e->b) ls__builder_count_rows(e->b, rows);
    ls__csv_free(c);
    if (st) {
        ls__buf_free(&st->fix);
        for (int i = 0; i < 3; i++) ls__buf_free(&st->lscratch[i]);
        ls__free(st);
    }
    return rc;
}
