/*
 * v2.c — Twitter API v2 data in the two shapes collectors write:
 *   - response pages {"data": [...] | {...}, "includes": {"users": [...],
 *     "tweets": [...]}, "meta": ...}, one page per line (twarc2 search /
 *     timeline output) or a pretty-printed document (jsonread.c decides);
 *   - flattened rows (twarc2 flatten): one tweet per line with its author
 *     embedded as "author": {...} and each referenced_tweets[] entry
 *     carrying the referenced tweet's fields (author_id, author).
 * An object with "data" (or, without "id", with "includes", "meta" or
 * "errors") is a page; any other object is a tweet row; an array holds
 * pages or rows.
 *
 * Mapping of a tweet to an ls__rec:
 *   post_id       id;  account_id: author_id (author.id in flat rows)
 *   names/profile from the user object (includes.users or author):
 *                 username, name, created_at, public_metrics.
 *                 followers_count / following_count, location,
 *                 description, url (v2 users carry no language)
 *   time          from the snowflake id, else created_at (ISO-8601)
 *   kind          referenced_tweets: retweeted -> RETWEET (wins), quoted
 *                 -> QUOTE, replied_to -> reply_post (kind REPLY unless a
 *                 retweet/quote); in_reply_to_user_id -> reply_account
 *                 (kind REPLY too when no post id is given, as in IO)
 *   ref_account   author_id of the referenced tweet from includes.tweets
 *                 (pages) or from the referenced_tweets entry (flat
 *                 rows); for a retweet without it, the name in the
 *                 leading "RT @name:" (counted as rt_author_recovered)
 *   text          note_tweet.text (long posts) else text
 *   entities      hashtags[].tag, urls[].expanded_url (unwound_url, url
 *                 as fallbacks; entries with a media_key are the
 *                 pic.twitter.com links of attachments and skipped, as v1
 *                 keeps them out of urls too), mentions[].id (else
 *                 "@"+username), attachments.media_keys -> images
 *   counts        public_metrics like/retweet/reply/quote_count
 *   client        source (plain text in v2; an HTML anchor is stripped)
 * conversation_id has no column in the store and is not kept.
 *
 * Tweets in includes.tweets are NOT added as posts, for the same reason
 * v1.c does not add embedded originals: they are referenced posts, not
 * events of this collection; when they are, they appear in data too.
 * Every user in includes.users is fed to ls__env_account, and so are the
 * authors embedded in flat rows (author, in_reply_to_user, the authors of
 * referenced tweets), so both shapes describe the same accounts.
 */
#include "jsonutil.h"

#include <inttypes.h>

typedef struct v2 {
    ls__env *e;
    ls__js_rec sc;
    json_t *users, *tweets;   /* id -> object, for the current page */
} v2;

static int user_acct(ls__js_rec *sc, const json_t *u, ls__acct *a)
{
    const json_t *pm;
    ls__str c;
    int64_t ms;
    ls__acct_clear(a);
    if (!json_is_object(u)) return 0;
    a->account_id = ls__js_id(sc, json_object_get(u, "id"));
    a->screen_name = ls__js_strm(u, "username");
    a->display_name = ls__js_strm(u, "name");
    pm = json_object_get(u, "public_metrics");
    a->followers = ls__js_count(ls__js_get(pm, "followers_count"));
    a->following = ls__js_count(ls__js_get(pm, "following_count"));
    c = ls__js_strm(u, "created_at");
    if (c.n && ls__time_parse(c, &ms) == LS_OK) a->created_ms = ms;
    a->location = ls__js_strm(u, "location");
    a->description = ls__js_strm(u, "description");
    a->profile_url = ls__js_strm(u, "url");
    return a->account_id.n != 0;
}

static int feed_user(v2 *p, const json_t *u)
{
    ls__acct a;
    if (!user_acct(&p->sc, u, &a)) return LS_OK;
    return ls__env_account(p->e, &a);
}

/* Looks an id up in a page map (NULL outside pages). */
static json_t *lookup(json_t *map, ls__str id)
{
    if (!map || !id.n) return NULL;
    return json_object_getn(map, id.p, id.n);
}

/* The author id of a referenced tweet: the entry itself in flat rows, the
 * includes.tweets copy in pages. */
static ls__str ref_author(v2 *p, const json_t *ref, ls__str ref_id)
{
    ls__js_rec *sc = &p->sc;
    ls__str a = ls__js_id(sc, ls__js_get(ref, "author_id"));
    const json_t *t;
    if (!a.n) a = ls__js_id(sc, ls__js_get(ls__js_get(ref, "author"), "id"));
    if (a.n) return a;
    t = lookup(p->tweets, ref_id);
    return ls__js_id(sc, ls__js_get(t, "author_id"));
}

static void entities(ls__js_rec *sc, const json_t *t)
{
    const json_t *ent = ls__js_get(t, "entities");
    size_t i;
    json_t *x;
    json_array_foreach(ls__js_get(ent, "hashtags"), i, x)
        ls__js_push(sc, &sc->tags, ls__js_strm(x, "tag"));
    json_array_foreach(ls__js_get(ent, "urls"), i, x) {
        ls__str u;
        if (json_object_get(x, "media_key")) continue;
        u = ls__js_strm(x, "expanded_url");
        if (!u.n) u = ls__js_strm(x, "unwound_url");
        if (!u.n) u = ls__js_strm(x, "url");
        ls__js_push(sc, &sc->urls, u);
    }
    json_array_foreach(ls__js_get(ent, "mentions"), i, x) {
        ls__str id = ls__js_id(sc, json_object_get(x, "id"));
        if (!id.n) id = ls__js_at_name(sc, ls__js_strm(x, "username"));
        ls__js_push(sc, &sc->mentions, id);
    }
    json_array_foreach(ls__js_get(ls__js_get(t, "attachments"), "media_keys"), i, x)
        ls__js_push(sc, &sc->images, ls__js_sv(x));
}

static int tweet(v2 *p, const json_t *t, uint64_t line)
{
    ls__env *e = p->e;
    ls__js_rec *sc = &p->sc;
    ls__rec r;
    ls__acct a;
    const json_t *author, *refs, *pm, *x;
    size_t i;
    int st;

    ls__rec_clear(&r);
    ls__js_rec_reset(sc);
    if (!json_is_object(t))
        return ls__env_diag(e, LS_DIAG_MISSING_ID, line, "not a tweet object");
    r.post_id = ls__js_id(sc, json_object_get(t, "id"));
    if (!r.post_id.n)
        return ls__env_diag(e, LS_DIAG_MISSING_ID, line, "tweet without id");
    r.account_id = ls__js_id(sc, json_object_get(t, "author_id"));
    author = json_object_get(t, "author");
    if (!json_is_object(author)) author = lookup(p->users, r.account_id);
    if (user_acct(sc, author, &a)) {
        if (!r.account_id.n) r.account_id = a.account_id;
        /* A flat row's author is the only description of that account;
         * in a page it was fed from includes.users already. */
        if (json_is_object(json_object_get(t, "author")) && (st = ls__env_account(e, &a)) != LS_OK)
            return st;
        if (ls__str_eq(a.account_id, r.account_id)) {
            r.screen_name = a.screen_name;
            r.display_name = a.display_name;
            r.followers = a.followers;
            r.following = a.following;
            r.created_ms = a.created_ms;
            r.location = a.location;
            r.description = a.description;
            r.profile_url = a.profile_url;
        }
    }
    if (!r.account_id.n)
        return ls__env_diag(e, LS_DIAG_MISSING_ID, line, "tweet %.*s has no author_id",
                            (int)LS__MIN(r.post_id.n, 40), r.post_id.p);

    /* The snowflake when the id is one and agrees with created_at
     * (ls__post_time), else created_at. */
    {
        ls__str c = ls__js_strm(t, "created_at");
        int64_t ms = LS__TIME_NONE;
        if (c.n && ls__time_parse(c, &ms) != LS_OK) ms = LS__TIME_NONE;
        r.time_ms = ls__post_time(r.post_id, ms);
        if (r.time_ms == LS__TIME_NONE)
            return ls__env_diag(e, LS_DIAG_BAD_TIME, line, "tweet %.*s: bad created_at \"%.40s\"",
                                (int)LS__MIN(r.post_id.n, 40), r.post_id.p, c.n ? c.p : "");
    }

    r.text = ls__js_strm(ls__js_get(t, "note_tweet"), "text");
    if (!r.text.n) r.text = ls__js_strm(t, "text");
    entities(sc, t);

    r.reply_account = ls__js_id(sc, json_object_get(t, "in_reply_to_user_id"));
    if ((x = json_object_get(t, "in_reply_to_user")) && (st = feed_user(p, x)) != LS_OK)
        return st;
    refs = json_object_get(t, "referenced_tweets");
    json_array_foreach((json_t *)refs, i, x) {
        ls__str type = ls__js_strm(x, "type");
        ls__str id = ls__js_id(sc, json_object_get(x, "id"));
        const json_t *ra = ls__js_get(x, "author");
        if (!id.n) continue;
        if (json_is_object(ra) && (st = feed_user(p, ra)) != LS_OK) return st;
        if (ls__str_eqc(type, "retweeted")) {
            r.kind = LS_KIND_RETWEET;
            r.ref_post = id;
            r.ref_account = ref_author(p, x, id);
        } else if (ls__str_eqc(type, "quoted")) {
            if (r.kind == LS_KIND_RETWEET) continue;
            r.kind = LS_KIND_QUOTE;
            r.ref_post = id;
            r.ref_account = ref_author(p, x, id);
        } else if (ls__str_eqc(type, "replied_to")) {
            r.reply_post = id;
            if (r.kind == LS_KIND_TWEET) r.kind = LS_KIND_REPLY;
        }
    }
    /* A reply to an account without a post id is a reply too, as the IO
     * parser counts it. */
    if (r.kind == LS_KIND_TWEET && r.reply_account.n) r.kind = LS_KIND_REPLY;
    if (r.kind == LS_KIND_RETWEET && !r.ref_account.n && r.text.n) {
        r.ref_screen_name = ls__rt_prefix_name(r.text);
        if (r.ref_screen_name.n &&
            (st = ls__env_diag(e, LS_DIAG_RT_RECOVERED, line, "retweet %.*s: author from RT @%.*s",
                               (int)LS__MIN(r.post_id.n, 40), r.post_id.p,
                               (int)LS__MIN(r.ref_screen_name.n, 40), r.ref_screen_name.p)) != LS_OK)
            return st;
    }

    r.lang = ls__js_strm(t, "lang");
    r.client = ls__js_client(sc, ls__js_strm(t, "source"));
    pm = json_object_get(t, "public_metrics");
    r.likes = ls__js_count(ls__js_get(pm, "like_count"));
    r.retweets = ls__js_count(ls__js_get(pm, "retweet_count"));
    r.replies = ls__js_count(ls__js_get(pm, "reply_count"));
    r.quotes = ls__js_count(ls__js_get(pm, "quote_count"));

    ls__js_rec_lists(sc, &r);
    if (sc->nomem)
        return ls__fail(e->ctx, LS_ERR_NOMEM, "%s:%" PRIu64 ": out of memory", e->file, line);
    return ls__env_post(e, &r, line);
}

/* Builds an id -> object map over an includes array.  Returns NULL for an
 * empty array; sets *nomem when jansson runs out of memory. */
static json_t *index_by_id(const json_t *arr, int *nomem)
{
    json_t *map = NULL, *x;
    size_t i;
    if (!json_is_array(arr) || json_array_size(arr) == 0) return NULL;
    map = json_object();
    if (!map) { *nomem = 1; return NULL; }
    json_array_foreach((json_t *)arr, i, x) {
        json_t *id = json_object_get(x, "id");
        /* Ids are strings in v2; a key with a NUL byte cannot be a real id. */
        if (!json_is_string(id) || strlen(json_string_value(id)) != json_string_length(id)) continue;
        /* The first copy wins, as in the API's own de-duplicated includes. */
        if (json_object_getn(map, json_string_value(id), json_string_length(id))) continue;
        if (json_object_setn(map, json_string_value(id), json_string_length(id), x) != 0) {
            *nomem = 1;
            break;
        }
    }
    return map;
}

static int page(v2 *p, const json_t *pg, uint64_t line)
{
    const json_t *inc = json_object_get(pg, "includes"), *data = json_object_get(pg, "data"), *x;
    size_t i;
    int st = LS_OK, nomem = 0;

    p->users = index_by_id(ls__js_get(inc, "users"), &nomem);
    p->tweets = index_by_id(ls__js_get(inc, "tweets"), &nomem);
    if (nomem) {
        st = ls__fail(p->e->ctx, LS_ERR_NOMEM, "%s:%" PRIu64 ": out of memory", p->e->file, line);
        goto done;
    }
    json_array_foreach(ls__js_get(inc, "users"), i, x) {
        ls__js_rec_reset(&p->sc);
        if ((st = feed_user(p, x)) != LS_OK) goto done;
    }
    if (json_is_array(data)) {
        json_array_foreach((json_t *)data, i, x)
            if ((st = tweet(p, x, line)) != LS_OK) goto done;
    } else if (json_is_object(data)) {
        st = tweet(p, data, line);
    } else if (data && !json_is_null(data)) {
        st = ls__env_diag(p->e, LS_DIAG_BAD_JSON, line, "\"data\" is neither an array nor an object");
    }
    /* A page without data (only "errors" or "meta", e.g. the last page of
     * a search) holds no posts and is not a problem. */
done:
    json_decref(p->users);
    json_decref(p->tweets);
    p->users = p->tweets = NULL;
    return st;
}

/* A page is an object with "data", or, without an "id", one with any
 * other member of a response (the last page of a search has only "meta";
 * a failed lookup only "errors"). */
static int item(v2 *p, const json_t *v, uint64_t line)
{
    if (json_is_object(v) &&
        (json_object_get(v, "data") ||
         (!json_object_get(v, "id") &&
          (json_object_get(v, "includes") || json_object_get(v, "meta") || json_object_get(v, "errors")))))
        return page(p, v, line);
    return tweet(p, v, line);
}

static int value(void *user, json_t *v, uint64_t line)
{
    v2 *p = user;
    size_t i;
    json_t *x;
    int st;
    if (!json_is_array(v)) return item(p, v, line);
    json_array_foreach(v, i, x)
        if ((st = item(p, x, line)) != LS_OK) return st;
    return LS_OK;
}

int ls__parse_v2(ls__env *e, ls__src *src)
{
    v2 p;
    int st;
    memset(&p, 0, sizeof p);
    p.e = e;
    st = ls__js_read(e, src, value, &p);
    ls__js_rec_free(&p.sc);
    return st;
}
