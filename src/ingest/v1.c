/*
 * v1.c — Twitter API v1.1 statuses, one JSON object per line (the streaming
 * API, twarc1, tweepy dumps).  Every line is a row, the first one too.
 *
 * Mapping of a status to an ls__rec:
 *   post_id       id_str (or the integer id printed exactly)
 *   account_id    user.id_str; the user object also gives screen and display
 *                 name and the author's profile as of this post
 *   time          from the snowflake id when it is one (exact to the ms),
 *                 else created_at ("Wed Oct 10 20:19:24 +0000 2018")
 *   kind          RETWEET if retweeted_status, else QUOTE if quoted_status
 *                 (or quoted_status_id_str), else REPLY if
 *                 in_reply_to_status_id_str or in_reply_to_user_id_str
 *                 is set (as the IO parser does); a quote that replies keeps
 *                 kind QUOTE with the reply fields set
 *   text          extended_tweet.full_text, full_text, text (first present)
 *   entities      of extended_tweet when present (they cover the full text),
 *                 else the top-level ones: hashtags[].text,
 *                 urls[].expanded_url (url when not expanded),
 *                 user_mentions[].id_str, and media from extended_entities
 *                 (entities.media as fallback) as v2-style media keys
 *   client        the text of the HTML source attribute
 *
 * The embedded retweeted_status / quoted_status are NOT added as posts.
 * They are snapshots of someone else's post, taken when this line was
 * collected: their own time is usually outside the collection window, the
 * same original is embedded again in every retweet of it (with different
 * engagement counts each time), and adding them would turn "accounts that
 * retweeted X" into "accounts that posted", inflating exactly the
 * co-action signals lockstep measures.  An original is an event of the
 * data set only when it appears as its own line.  Its author, however, is
 * real information about an account the data set refers to, so it is fed
 * to ls__env_account (profile, screen name for RT @name resolution).
 */
#include "jsonutil.h"

#include <inttypes.h>

typedef struct v1 {
    ls__env *e;
    ls__js_rec sc;
} v1;

/* Fills an account from a v1 user object; returns 0 if it has no id. */
static int user_acct(ls__js_rec *sc, const json_t *u, ls__acct *a)
{
    ls__acct_clear(a);
    if (!json_is_object(u)) return 0;
    a->account_id = ls__js_id(sc, json_object_get(u, "id_str"));
    if (!a->account_id.n) a->account_id = ls__js_id(sc, json_object_get(u, "id"));
    a->screen_name = ls__js_strm(u, "screen_name");
    a->display_name = ls__js_strm(u, "name");
    a->followers = ls__js_count(json_object_get(u, "followers_count"));
    a->following = ls__js_count(json_object_get(u, "friends_count"));
    {
        int64_t ms;
        ls__str c = ls__js_strm(u, "created_at");
        if (c.n && ls__time_parse(c, &ms) == LS_OK) a->created_ms = ms;
    }
    a->account_lang = ls__js_strm(u, "lang");
    a->location = ls__js_strm(u, "location");
    a->description = ls__js_strm(u, "description");
    a->profile_url = ls__js_strm(u, "url");
    return a->account_id.n != 0;
}

/* An id member given as "<key>_str" or as the integer "<key>". */
static ls__str id_member(ls__js_rec *sc, const json_t *o, const char *key_str, const char *key)
{
    ls__str s = ls__js_id(sc, ls__js_get(o, key_str));
    return s.n ? s : ls__js_id(sc, ls__js_get(o, key));
}

/* The media key of a v1 media entity, in v2's "<type>_<id>" form so that
 * the same image gets the same id whichever API it came from; media_url
 * when there is no id. */
static ls__str media_key(ls__js_rec *sc, const json_t *m)
{
    ls__str key = ls__js_strm(m, "media_key"), id, type;
    const char *pre = NULL;
    char tmp[48];
    if (key.n) return key;
    id = id_member(sc, m, "id_str", "id");
    type = ls__js_strm(m, "type");
    if (ls__str_eqc(type, "photo")) pre = "3_";
    else if (ls__str_eqc(type, "video")) pre = "7_";
    else if (ls__str_eqc(type, "animated_gif")) pre = "16_";
    if (id.n && pre && id.n < sizeof tmp - 4) {
        int k = snprintf(tmp, sizeof tmp, "%s%.*s", pre, (int)id.n, id.p);
        return ls__js_dup(sc, tmp, (size_t)k);
    }
    if (id.n) return id;
    key = ls__js_strm(m, "media_url_https");
    return key.n ? key : ls__js_strm(m, "media_url");
}

static void entities(ls__js_rec *sc, const json_t *ent, const json_t *ext_ent)
{
    size_t i;
    json_t *x;
    json_array_foreach(ls__js_get(ent, "hashtags"), i, x)
        ls__js_push(sc, &sc->tags, ls__js_strm(x, "text"));
    json_array_foreach(ls__js_get(ent, "urls"), i, x) {
        ls__str u = ls__js_strm(x, "expanded_url");
        ls__js_push(sc, &sc->urls, u.n ? u : ls__js_strm(x, "url"));
    }
    json_array_foreach(ls__js_get(ent, "user_mentions"), i, x) {
        ls__str id = id_member(sc, x, "id_str", "id");
        if (!id.n) id = ls__js_at_name(sc, ls__js_strm(x, "screen_name"));
        ls__js_push(sc, &sc->mentions, id);
    }
    {
        const json_t *media = ls__js_get(ext_ent, "media");
        if (!json_is_array(media)) media = ls__js_get(ent, "media");
        json_array_foreach((json_t *)media, i, x)
            ls__js_push(sc, &sc->images, media_key(sc, x));
    }
}

static int status(v1 *p, const json_t *t, uint64_t line)
{
    ls__env *e = p->e;
    ls__js_rec *sc = &p->sc;
    ls__rec r;
    ls__acct a;
    const json_t *user, *rt, *qt, *ext, *ent, *ext_ent;
    int st;

    ls__rec_clear(&r);
    ls__js_rec_reset(sc);
    if (!json_is_object(t))
        return ls__env_diag(e, LS_DIAG_MISSING_ID, line, "not a status object");
    r.post_id = id_member(sc, t, "id_str", "id");
    user = json_object_get(t, "user");
    if (!r.post_id.n) {
        /* Streaming-API notices ({"delete":...}, {"limit":...}: half the
         * lines of some stream grabs) are no statuses by design: counted
         * as skipped, not as damage.  Other objects without an id are
         * rejected, naming their first key to make the example useful.
         * An id written as a real number is refused: a double cannot hold
         * a snowflake exactly. */
        static const char *const notices[] = {
            "delete", "limit", "scrub_geo", "status_withheld", "user_withheld", "disconnect",
            "warning", "event", "friends", "control",
        };
        const char *k = json_object_size(t) ? json_object_iter_key(json_object_iter((json_t *)t)) : "";
        for (size_t i = 0; i < sizeof notices / sizeof notices[0]; i++)
            if (json_object_get(t, notices[i]))
                return ls__env_diag(e, LS_DIAG_NOTICE, line, "%s notice", notices[i]);
        if (json_is_real(json_object_get(t, "id")))
            return ls__env_diag(e, LS_DIAG_MISSING_ID, line, "id is a real number, not an exact id");
        return ls__env_diag(e, LS_DIAG_MISSING_ID, line, "no id_str (object with \"%.40s\")", k);
    }
    if (!user_acct(sc, user, &a))
        return ls__env_diag(e, LS_DIAG_MISSING_ID, line, "status %.*s has no user.id_str",
                            (int)LS__MIN(r.post_id.n, 40), r.post_id.p);
    r.account_id = a.account_id;
    r.screen_name = a.screen_name;
    r.display_name = a.display_name;
    r.followers = a.followers;
    r.following = a.following;
    r.created_ms = a.created_ms;
    r.account_lang = a.account_lang;
    r.location = a.location;
    r.description = a.description;
    r.profile_url = a.profile_url;

    /* The snowflake when the id is one and agrees with created_at
     * (ls__post_time), else created_at. */
    {
        ls__str c = ls__js_strm(t, "created_at");
        int64_t ms = LS__TIME_NONE;
        if (c.n && ls__time_parse(c, &ms) != LS_OK) ms = LS__TIME_NONE;
        r.time_ms = ls__post_time(r.post_id, ms);
        if (r.time_ms == LS__TIME_NONE)
            return ls__env_diag(e, LS_DIAG_BAD_TIME, line, "status %.*s: bad created_at \"%.40s\"",
                                (int)LS__MIN(r.post_id.n, 40), r.post_id.p, c.n ? c.p : "");
    }

    ext = ls__js_get(t, "extended_tweet");
    r.text = ls__js_strm(ext, "full_text");
    if (!r.text.n) r.text = ls__js_strm(t, "full_text");
    if (!r.text.n) r.text = ls__js_strm(t, "text");
    ent = ls__js_get(ext, "entities");
    ext_ent = ls__js_get(ext, "extended_entities");
    if (!ent) { ent = ls__js_get(t, "entities"); ext_ent = ls__js_get(t, "extended_entities"); }
    entities(sc, ent, ext_ent);

    r.reply_post = id_member(sc, t, "in_reply_to_status_id_str", "in_reply_to_status_id");
    r.reply_account = id_member(sc, t, "in_reply_to_user_id_str", "in_reply_to_user_id");
    rt = json_object_get(t, "retweeted_status");
    qt = json_object_get(t, "quoted_status");
    if (json_is_object(rt)) {
        ls__acct ra;
        r.kind = LS_KIND_RETWEET;
        r.ref_post = id_member(sc, rt, "id_str", "id");
        if (user_acct(sc, json_object_get(rt, "user"), &ra)) {
            r.ref_account = ra.account_id;
            st = ls__env_account(e, &ra);
            if (st != LS_OK) return st;
        }
    } else if (json_is_object(qt) || ls__js_strm(t, "quoted_status_id_str").n) {
        r.kind = LS_KIND_QUOTE;
        r.ref_post = id_member(sc, qt, "id_str", "id");
        if (!r.ref_post.n) r.ref_post = ls__js_strm(t, "quoted_status_id_str");
    } else if (r.reply_post.n || r.reply_account.n) {
        /* A reply to an account without a post id (a tweet that starts
         * with @name) is a reply too, as the IO parser counts it. */
        r.kind = LS_KIND_REPLY;
    }
    /* The quoted post's author is needed for a quote and useful for a
     * retweet of a quote (v1 repeats quoted_status at the top level). */
    if (json_is_object(qt)) {
        ls__acct qa;
        if (user_acct(sc, json_object_get(qt, "user"), &qa)) {
            if (r.kind == LS_KIND_QUOTE) r.ref_account = qa.account_id;
            st = ls__env_account(e, &qa);
            if (st != LS_OK) return st;
        }
    }
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
    r.likes = ls__js_count(json_object_get(t, "favorite_count"));
    r.retweets = ls__js_count(json_object_get(t, "retweet_count"));
    r.replies = ls__js_count(json_object_get(t, "reply_count"));
    r.quotes = ls__js_count(json_object_get(t, "quote_count"));

    ls__js_rec_lists(sc, &r);
    if (sc->nomem)
        return ls__fail(e->ctx, LS_ERR_NOMEM, "%s:%" PRIu64 ": out of memory", e->file, line);
    return ls__env_post(e, &r, line);
}

/* A line holds a status, an array of statuses, or a search response
 * {"statuses": [...]}. */
static int value(void *user, json_t *v, uint64_t line)
{
    v1 *p = user;
    const json_t *list = v;
    size_t i;
    json_t *x;
    int st;
    if (json_is_object(v)) {
        const json_t *s = json_object_get(v, "statuses");
        if (!json_is_array(s)) return status(p, v, line);
        list = s;
    }
    json_array_foreach((json_t *)list, i, x) {
        st = status(p, x, line);
        if (st != LS_OK) return st;
    }
    return LS_OK;
}

int ls__parse_v1(ls__env *e, ls__src *src)
{
    v1 p;
    int st;
    memset(&p, 0, sizeof p);
    p.e = e;
    st = ls__js_read(e, src, value, &p);
    ls__js_rec_free(&p.sc);
    return st;
}
