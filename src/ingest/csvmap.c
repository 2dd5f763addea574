/*
 * csvmap.c — any CSV with a header, read through a column map given as
 * --map KEY=COLUMN,KEY=COLUMN,...  Keys (all optional unless marked):
 *
 *   account*   account id            id        post id (default: FILE:LINE)
 *   time*      unix s/ms, ISO-8601, archive or v1 form
 *   name       screen name           text      post text
 *   url        one URL               urls      URL list ("[..]" or spaces)
 *   hashtag    one hashtag           hashtags  hashtag list
 *   domain     one domain            image     one image hash / media key
 *   object     a shared object of unknown type: stored as a URL entry
 *              (kept verbatim when it is not a URL), so it drives the
 *              co-link layer
 *   retweet    retweeted post id (kind RETWEET)
 *   retweet_account  its author
 *   quote      quoted post id (kind QUOTE)
 *   reply      replied-to post id (kind REPLY unless retweet/quote)
 *   reply_account    its author
 *   lang, client, followers (count), created (account creation time)
 *
 * A key that is not in this list, or a column that is not in the header,
 * is LS_ERR_USAGE naming both.  Without --map the map is guessed from the
 * header names (csvguess.c).
 *
 * Many exports write one row per (post, object) pair: a post with two
 * hashtags is two rows with the same post id.  Consecutive rows with the
 * same post id and account are therefore merged into one post whose lists
 * are the union of the rows' values (the German election data set needs
 * this: about 19,000 of its posts span several rows).  A post id seen
 * again later, not adjacent, is a duplicate and the builder skips it.
 */
#include "csvrow.h"

enum {
    K_ID, K_ACCOUNT, K_NAME, K_TIME, K_TEXT, K_OBJECT, K_URL, K_URLS, K_HASHTAG,
    K_HASHTAGS, K_DOMAIN, K_IMAGE, K_RETWEET, K_RETWEET_ACCOUNT, K_QUOTE, K_REPLY,
    K_REPLY_ACCOUNT, K_LANG, K_CLIENT, K_FOLLOWERS, K_CREATED, K_NKEYS
};
static const char *const key_names[K_NKEYS] = {
    "id", "account", "name", "time", "text", "object", "url", "urls", "hashtag",
    "hashtags", "domain", "image", "retweet", "retweet_account", "quote", "reply",
    "reply_account", "lang", "client", "followers", "created"
};

/* Scalar string fields of a pending post, in this order. */
enum { S_ID, S_ACCOUNT, S_NAME, S_TEXT, S_RT, S_RT_ACC, S_QUOTE, S_REPLY, S_REPLY_ACC,
       S_LANG, S_CLIENT, S_N };
/* List fields of a pending post. */
enum { L_URL, L_HASHTAG, L_DOMAIN, L_IMAGE, L_N };

#define M_MAX_ITEMS 256

typedef struct span { size_t off, len; } span;

/* A post being assembled from one or more consecutive rows; its strings
 * are copies in sbuf (rows' memory is reused by the CSV reader). */
typedef struct pending {
    int active;
    uint64_t line;
    ls__buf sbuf;
    span s[S_N];
    span *items[L_N];
    size_t n_items[L_N], cap_items[L_N];
    int64_t time_ms, followers, created_ms;
} pending;

typedef struct map_state {
    ls__env *e;
    int col[K_NKEYS];
    ls__buf fix, lscratch;
    ls__str tmp[M_MAX_ITEMS];
    ls__str out[L_N][M_MAX_ITEMS];
    pending pd;
    char synth[64];
    unsigned said;          /* reasons already reported for this row */
} map_state;

/* Parses e->map against the header. */
static int parse_map(map_state *st, const ls__csv_row *hdr)
{
    ls__env *e = st->e;
    const char *m = e->map;
    for (int k = 0; k < K_NKEYS; k++) st->col[k] = -1;
    if (!m || !*m)
        return ls__fail(e->ctx, LS_ERR_USAGE, "--format csv needs --map KEY=COLUMN,... "
                        "(at least account= and time=)");
    while (*m) {
        const char *comma = strchr(m, ',');
        size_t len = comma ? (size_t)(comma - m) : strlen(m);
        const char *eq = memchr(m, '=', len);
        if (!eq)
            return ls__fail(e->ctx, LS_ERR_USAGE, "--map: '%.*s' is not KEY=COLUMN", (int)len, m);
        ls__str key = { m, (size_t)(eq - m) };
        while (key.n && key.p[0] == ' ') { key.p++; key.n--; }
        while (key.n && key.p[key.n - 1] == ' ') key.n--;
        if (key.n == 0 || eq + 1 == m + len)
            return ls__fail(e->ctx, LS_ERR_USAGE, "--map: '%.*s' is not KEY=COLUMN", (int)len, m);
        int k = 0;
        while (k < K_NKEYS && !ls__str_eqc(key, key_names[k])) k++;
        if (k == K_NKEYS)
            return ls__fail(e->ctx, LS_ERR_USAGE, "--map: unknown key '%.*s' (keys: id, account, "
                            "name, time, text, object, url, urls, hashtag, hashtags, domain, image, "
                            "retweet, retweet_account, quote, reply, reply_account, lang, client, "
                            "followers, created)", (int)key.n, key.p);
        char colname[256];
        const char *cn = eq + 1;
        size_t cl = (size_t)(m + len - cn);
        while (cl && *cn == ' ') { cn++; cl--; }
        while (cl && cn[cl - 1] == ' ') cl--;
        if (cl >= sizeof colname)
            return ls__fail(e->ctx, LS_ERR_USAGE, "--map: column name for '%s' is too long", key_names[k]);
        memcpy(colname, cn, cl);
        colname[cl] = '\0';
        int c = ls__csv_col(hdr, colname);
        if (c < 0)
            return ls__fail(e->ctx, LS_ERR_USAGE, "--map: column '%s' (for %s=) is not in the "
                            "header of %s", colname, key_names[k], e->file);
        st->col[k] = c;
        m += len;
        if (*m == ',') m++;
    }
    if (st->col[K_ACCOUNT] < 0 || st->col[K_TIME] < 0)
        return ls__fail(e->ctx, LS_ERR_USAGE, "--map must name the %s column (e.g. %s=COLUMN)",
                        st->col[K_ACCOUNT] < 0 ? "account" : "time",
                        st->col[K_ACCOUNT] < 0 ? "account" : "time");
    return LS_OK;
}

static ls__str pd_str(const pending *pd, int i)
{
    return (ls__str){ pd->sbuf.p ? pd->sbuf.p + pd->s[i].off : "", pd->s[i].len };
}

static int pd_put(pending *pd, ls__str v, span *sp)
{
    sp->off = pd->sbuf.n;
    sp->len = v.n;
    return ls__buf_put(&pd->sbuf, v.p, v.n);
}

/* Adds v to list l of the pending post unless it is already there. */
static int pd_add_item(pending *pd, int l, ls__str v)
{
    if (v.n == 0 || pd->n_items[l] >= M_MAX_ITEMS) return LS_OK;
    for (size_t i = 0; i < pd->n_items[l]; i++) {
        span sp = pd->items[l][i];
        if (sp.len == v.n && memcmp(pd->sbuf.p + sp.off, v.p, v.n) == 0) return LS_OK;
    }
    int rc = ls__grow((void **)&pd->items[l], &pd->cap_items[l], pd->n_items[l] + 1, sizeof(span));
    if (rc) return rc;
    return pd_put(pd, v, &pd->items[l][pd->n_items[l]++]);
}

/* Hands the pending post to the builder. */
static int flush(map_state *st)
{
    pending *pd = &st->pd;
    if (!pd->active) return LS_OK;
    pd->active = 0;
    ls__rec r;
    ls__rec_clear(&r);
    r.post_id = pd_str(pd, S_ID);
    r.account_id = pd_str(pd, S_ACCOUNT);
    r.screen_name = pd_str(pd, S_NAME);
    r.text = pd_str(pd, S_TEXT);
    r.lang = pd_str(pd, S_LANG);
    r.client = pd_str(pd, S_CLIENT);
    r.time_ms = pd->time_ms;
    r.followers = pd->followers;
    r.created_ms = pd->created_ms;
    r.reply_post = pd_str(pd, S_REPLY);
    r.reply_account = pd_str(pd, S_REPLY_ACC);
    if (pd->s[S_RT].len) {
        r.kind = LS_KIND_RETWEET;
        r.ref_post = pd_str(pd, S_RT);
        r.ref_account = pd_str(pd, S_RT_ACC);
    } else if (pd->s[S_QUOTE].len) {
        r.kind = LS_KIND_QUOTE;
        r.ref_post = pd_str(pd, S_QUOTE);
    } else if (r.reply_post.n || r.reply_account.n) {
        r.kind = LS_KIND_REPLY;
    }
    for (int l = 0; l < L_N; l++)
        for (size_t i = 0; i < pd->n_items[l]; i++)
            st->out[l][i] = (ls__str){ pd->sbuf.p + pd->items[l][i].off, pd->items[l][i].len };
    r.urls = st->out[L_URL];         r.n_urls = pd->n_items[L_URL];
    r.hashtags = st->out[L_HASHTAG]; r.n_hashtags = pd->n_items[L_HASHTAG];
    r.domains = st->out[L_DOMAIN];   r.n_domains = pd->n_items[L_DOMAIN];
    r.images = st->out[L_IMAGE];     r.n_images = pd->n_items[L_IMAGE];
    return ls__env_post(st->e, &r, pd->line);
}

static ls__str colv(const map_state *st, const ls__str *v, int k)
{
    return st->col[k] >= 0 ? v[st->col[k]] : (ls__str){ "", 0 };
}

/* Adds the items of a list column: a "[..]" list, or a bare value split
 * at white space (URLs) or at white space, ',', ';' and '|' (hashtags). */
static int add_list(map_state *st, int l, ls__str s, uint64_t line, const char *what)
{
    size_t n = 0;
    int rc;
    st->lscratch.n = 0;
    rc = ls__list_parse_sep(s, l == L_URL ? LS__SEP_URLS : LS__SEP_TAGS, st->tmp, M_MAX_ITEMS, &n,
                            &st->lscratch);
    if (rc == LS_ERR_NOMEM) return rc;
    if (rc != LS_OK &&
        (rc = ls__row_diag(st->e, &st->said, LS_DIAG_BAD_LIST, line, "%s list '%.*s' is malformed",
                           what, (int)LS__MIN(s.n, 40), s.p)))
        return rc;
    for (size_t i = 0; i < n; i++)
        if ((rc = pd_add_item(&st->pd, l, st->tmp[i]))) return rc;
    return LS_OK;
}

static int add_objects(map_state *st, const ls__str *v, uint64_t line)
{
    int rc;
    if ((rc = pd_add_item(&st->pd, L_URL, ls__clean_id(colv(st, v, K_OBJECT)))) ||
        (rc = pd_add_item(&st->pd, L_URL, ls__clean_id(colv(st, v, K_URL)))) ||
        (rc = pd_add_item(&st->pd, L_HASHTAG, ls__clean_id(colv(st, v, K_HASHTAG)))) ||
        (rc = pd_add_item(&st->pd, L_DOMAIN, ls__clean_id(colv(st, v, K_DOMAIN)))) ||
        (rc = pd_add_item(&st->pd, L_IMAGE, ls__clean_id(colv(st, v, K_IMAGE)))))
        return rc;
    if (st->col[K_URLS] >= 0 && (rc = add_list(st, L_URL, colv(st, v, K_URLS), line, "urls")))
        return rc;
    if (st->col[K_HASHTAGS] >= 0 &&
        (rc = add_list(st, L_HASHTAG, colv(st, v, K_HASHTAGS), line, "hashtags")))
        return rc;
    return LS_OK;
}

static int map_row(map_state *st, const ls__str *v, uint64_t line)
{
    pending *pd = &st->pd;
    int rc;
    ls__str id = ls__clean_id(colv(st, v, K_ID));
    ls__str acc = ls__clean_id(colv(st, v, K_ACCOUNT));
    if (st->col[K_ID] < 0) {
        int k = snprintf(st->synth, sizeof st->synth, "%s:%llu",
                         st->e->file ? st->e->file : "-", (unsigned long long)line);
        id = (ls__str){ st->synth, (size_t)LS__MIN(k, (int)sizeof st->synth - 1) };
    }
    if (id.n == 0 || acc.n == 0)
        return ls__env_diag(st->e, LS_DIAG_MISSING_ID, line, "no %s",
                            id.n == 0 ? "post id" : "account id");
    /* Another row of the post being assembled: merge its objects. */
    if (pd->active && ls__str_eq(id, pd_str(pd, S_ID)) && ls__str_eq(acc, pd_str(pd, S_ACCOUNT)))
        return add_objects(st, v, line);

    ls__str ts = ls__clean_id(colv(st, v, K_TIME));
    int64_t t;
    if (ts.n == 0 || ls__time_parse(ts, &t) != LS_OK)
        return ls__env_diag(st->e, LS_DIAG_BAD_TIME, line, "time '%.*s' is not a time",
                            (int)LS__MIN(ts.n, 40), ts.p);
    if ((rc = flush(st)) != LS_OK) return rc;

    pd->active = 1;
    pd->line = line;
    pd->sbuf.n = 0;
    for (int l = 0; l < L_N; l++) pd->n_items[l] = 0;
    pd->time_ms = t;
    pd->followers = -1;
    pd->created_ms = LS__TIME_NONE;
    static const int skey[S_N] = { K_ID, K_ACCOUNT, K_NAME, K_TEXT, K_RETWEET, K_RETWEET_ACCOUNT,
                                   K_QUOTE, K_REPLY, K_REPLY_ACCOUNT, K_LANG, K_CLIENT };
    for (int i = 0; i < S_N; i++) {
        ls__str x = i == S_ID ? id : colv(st, v, skey[i]);
        if (i != S_ID && i != S_NAME && i != S_TEXT) x = ls__clean_id(x);
        if ((rc = pd_put(pd, x, &pd->s[i])) != LS_OK) return rc;
    }
    ls__str f = ls__clean_id(colv(st, v, K_FOLLOWERS));
    if (f.n && ls__count_parse(f, &pd->followers) != LS_OK) {
        pd->followers = -1;
        if ((rc = ls__row_diag(st->e, &st->said, LS_DIAG_BAD_NUMBER, line, "followers '%.*s' is not a count",
                               (int)LS__MIN(f.n, 40), f.p)))
            return rc;
    }
    ls__str cr = ls__clean_id(colv(st, v, K_CREATED));
    if (cr.n && ls__time_parse(cr, &pd->created_ms) != LS_OK) {
        pd->created_ms = LS__TIME_NONE;
        if ((rc = ls__row_diag(st->e, &st->said, LS_DIAG_BAD_NUMBER, line, "created '%.*s' is not a time",
                               (int)LS__MIN(cr.n, 40), cr.p)))
            return rc;
    }
    return add_objects(st, v, line);
}

static void map_free(map_state *st)
{
    if (!st) return;
    ls__buf_free(&st->fix);
    ls__buf_free(&st->lscratch);
    ls__buf_free(&st->pd.sbuf);
    for (int l = 0; l < L_N; l++) ls__free(st->pd.items[l]);
    ls__free(st);
}

int ls__csvmap_open(ls__env *e, const ls__csv_row *hdr, const char *what, ls__csvmap **out)
{
    map_state *st = ls__calloc(1, sizeof *st);
    int rc;
    *out = NULL;
    if (!st) return ls__fail(e->ctx, LS_ERR_NOMEM, "%s: out of memory", e->file);
    st->e = e;
    if (!e->map || !*e->map) {
        /* No --map: guess one from the header names (csvguess.c); the
         * caller prints it. */
        if (!ls__csv_guess_map(hdr, e->map_guess, sizeof e->map_guess)) {
            map_free(st);
            return ls__fail(e->ctx, LS_ERR_FORMAT, "%s: cannot tell the input format: not an IO-archive, "
                            "QUT, v1 or v2 file, and no account and time %s recognised; name them with "
                            "--map account=NAME,time=NAME,...", e->file, what);
        }
        e->map = e->map_guess;
    }
    if ((rc = parse_map(st, hdr)) != LS_OK) { map_free(st); return rc; }
    *out = st;
    return LS_OK;
}

int ls__csvmap_row(ls__csvmap *st, const ls__str *v, uint64_t line)
{
    st->said = 0;
    return map_row(st, v, line);
}

int ls__csvmap_close(ls__csvmap *st, int ok)
{
    int rc = ok && st ? flush(st) : LS_OK;
    map_free(st);
    return rc;
}

int ls__parse_csvmap(ls__env *e, ls__src *src)
{
    ls__csv *c = NULL;
    ls__csv_row row;
    map_state *st = NULL;
    ls__str *v = NULL;
    size_t vcap = 0, ncols = 0;
    uint64_t rows = 0;
    int rc;
    if ((rc = ls__csv_new(src, &c)) != LS_OK) { rc = ls__csv_fail(e, rc, 1); goto done; }
    if ((rc = ls__csv_next(c, &row)) != LS_OK) { rc = ls__csv_fail(e, rc, 1); goto done; }
    if (row.n == 0) {
        rc = ls__fail(e->ctx, LS_ERR_USAGE, "%s: empty file, no header for --map", e->file);
        goto done;
    }
    if ((rc = ls__csvmap_open(e, &row, "columns in its header", &st)) != LS_OK) goto done;
    ncols = row.n;
    if ((rc = ls__grow((void **)&v, &vcap, ncols, sizeof *v)) != LS_OK) goto done;
    for (;;) {
        if ((rc = ls__csv_next(c, &row)) != LS_OK) { rc = ls__csv_fail(e, rc, row.line); goto done; }
        if (row.n == 0) break;
        rows++;
        if (row.n == 1 && row.f[0].n == 0) {
            if ((rc = ls__env_diag(e, LS_DIAG_EMPTY_LINE, row.line, "empty line")) != LS_OK) goto done;
            continue;
        }
        if (row.n != ncols) {
            if ((rc = ls__env_diag(e, LS_DIAG_COLUMNS, row.line, "%zu columns, the header has %zu",
                                   row.n, ncols)) != LS_OK)
                goto done;
            continue;
        }
        memcpy(v, row.f, ncols * sizeof *v);
        if ((rc = ls__fix_fields(e, v, ncols, row.bad_quoting, ls__row_span(&row), &st->fix, row.line, NULL)) != LS_OK)
            goto done;
        if ((rc = ls__csvmap_row(st, v, row.line)) != LS_OK) goto done;
    }
done:
    {
        int rc2 = ls__csvmap_close(st, rc == LS_OK);
        if (rc == LS_OK) rc = rc2;
    }
    if (e->b) ls__builder_count_rows(e->b, rows);
    ls__csv_free(c);
    ls__free(v);
    return rc;
}
