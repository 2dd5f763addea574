/*
 * csvguess.c — a column map guessed from a CSV header, for a CSV that is
 * none of the known formats and comes without --map (other tools' and
 * generators' exports: "user_id,tweet_id,created_at,text,retweet_of",
 * CooRTweet's "account_id,post_id,url_id,...,timestamp"; and, through
 * jsonmap.c, the JSON of Reddit (Pushshift: author, created_utc, parent_id,
 * body), Mastodon (account.id, created_at, reblog.id, in_reply_to_id,
 * content, tags) and Telegram chat exports (from_id, date_unixtime,
 * reply_to_message_id, text)); CrowdTangle's CSV ("Facebook Id", "Post Created" with
 * its zone abbreviation, "Final Link" as the shared link, "Message").
 *
 * Header names are compared without case, '_', '-', '.' and spaces against
 * a short list of the names exports use for each --map key (below).  Each
 * key takes the header column of its first alias present, in the order of
 * the list, so "tweet_id" beats "id" and "user_id" beats "user"; a column
 * serves one key only.  The result is a --map SPEC, parsed by csvmap.c like
 * one a user wrote, and ingest prints it so that a wrong guess is seen and
 * can be corrected with --map.  Columns whose names hold ',' or '=' cannot
 * be written in a SPEC and are never guessed.
 *
 * Names "outer.inner" (jsonmap.c's members of a nested object) are
 * compared whole ("user.id" reads as user_id); when the outer name is an
 * account object (user, author, account, owner, actor, profile) and the
 * whole name matches nothing, the inner name alone may give the account's
 * own keys: name, followers and created ("user.followers_count",
 * "author.created_at"), never the post's time or id.
 *
 * Without an account and a time column there is no guess (0): the caller
 * then asks for --format csv --map.  A guess never overrides --map.
 */
#include "csvrow.h"

#include <strings.h>

/* Keys in the order they claim columns; aliases normalised (lowercase, no
 * separators), most specific first. */
static const struct { const char *key; const char *alias[20]; } guesses[] = {
    { "account", { "accountid", "userid", "authorid", "ownerid", "actorid", "profileid", "channelid",
                   "pageid", "facebookid", "fromid", "uid", "account", "author", "user", "actor", "owner",
                   NULL } },
    { "time", { "timestamp", "createdat", "createdutc", "createdtime", "postcreated", "dateunixtime",
                "tweettime", "posttime", "publishedat", "datetime", "time", "date", "ts", "unixtime", "epoch",
                NULL } },
    { "id", { "postid", "tweetid", "messageid", "statusid", "itemid", "contentid", "mid", "id", NULL } },
    { "retweet_account", { "retweetuserid", "retweeteduserid", "retweetaccountid", "retweetedaccountid",
                           "retweetaccount", "retweetedaccount", "repostuserid", "sharedaccountid", NULL } },
    { "retweet", { "retweettweetid", "retweetedtweetid", "retweetedstatusid", "retweetid", "retweetedid",
                   "retweetof", "repostid", "repostof", "sharedpostid", "reblogid", "reblogof", "rtid", NULL } },
    { "quote", { "quotedtweettweetid", "quotedtweetid", "quotedstatusid", "quotedid", "quoteid",
                 "quoteof", NULL } },
    { "reply_account", { "inreplytouserid", "inreplytoaccountid", "replytouserid", "replyuserid",
                         "replyaccountid", "replyaccount", NULL } },
    { "reply", { "inreplytotweetid", "inreplytostatusid", "inreplytoid", "inreplyto", "replytoid",
                 "replytotweetid", "replytomessageid", "replyid", "replyto", "parentid", NULL } },
    { "name", { "userscreenname", "screenname", "acct", "username", "handle", "accountname", "login", NULL } },
    { "text", { "tweettext", "fulltext", "posttext", "text", "message", "content", "body", "caption", NULL } },
    { "urls", { "urls", "links", "expandedurls", NULL } },
    { "url", { "finallink", "expandedurl", "urlid", "url", "link", NULL } },
    { "hashtags", { "hashtags", "tags", NULL } },
    { "hashtag", { "hashtagid", "hashtag", "tag", NULL } },
    { "domain", { "domainid", "domain", NULL } },
    { "image", { "phashid", "phash", "imagehash", "imageid", "image", "mediakey", "mediaid", NULL } },
    { "lang", { "tweetlanguage", "language", "lang", NULL } },
    { "client", { "tweetclientname", "clientname", "client", "source", NULL } },
    { "followers", { "followercount", "followerscount", "followers", NULL } },
    { "created", { "accountcreationdate", "accountcreatedat", "usercreatedat", "accountcreated", NULL } },
};

/* Keys an account object's inner names may give, with their aliases. */
static const struct { const char *key; const char *alias[8]; } inner_guesses[] = {
    { "name", { "screenname", "acct", "username", "handle", "login", NULL } },
    { "followers", { "followerscount", "followercount", "followers", NULL } },
    { "created", { "createdat", "created", "creationdate", NULL } },
};
static const char *const account_objects[] = { "user", "author", "account", "owner", "actor", "profile" };

/* The inner name of "outer.inner" normalised into out when outer is an
 * account object; 0 otherwise. */
static int inner_name(ls__str s, char *out, size_t cap);

/* The header name s normalised into out (lowercase ASCII, no '_', '-', '.'
 * or spaces); 0 when it holds ',' or '=' or is too long to be an alias. */
static int norm(ls__str s, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (c == ',' || c == '=') return 0;
        if (c == '_' || c == '-' || c == '.' || c == ' ' || c == '\t') continue;
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (k + 1 >= cap) return 0;
        out[k++] = c;
    }
    out[k] = '\0';
    return k > 0;
}

static int inner_name(ls__str s, char *out, size_t cap)
{
    const char *dot = memchr(s.p, '.', s.n);
    if (!dot) return 0;
    size_t on = (size_t)(dot - s.p);
    int ok = 0;
    for (size_t i = 0; i < sizeof account_objects / sizeof account_objects[0]; i++)
        if (strlen(account_objects[i]) == on && strncasecmp(s.p, account_objects[i], on) == 0) ok = 1;
    return ok && norm((ls__str){ dot + 1, s.n - on - 1 }, out, cap);
}

/* Appends key=column to out at *o; 0 when there is no room. */
static int put_pair(char *out, size_t cap, size_t *o, const char *key, ls__str c)
{
    int w = snprintf(out + *o, cap - *o, "%s%s=%.*s", *o ? "," : "", key, (int)c.n, c.p);
    if (w < 0 || (size_t)w >= cap - *o) { out[*o] = '\0'; return 0; }
    *o += (size_t)w;
    return 1;
}

int ls__csv_guess_map(const ls__csv_row *hdr, char *out, size_t cap)
{
    enum { MAXC = 1024 };
    size_t nc = hdr->n < MAXC ? hdr->n : MAXC;
    char names[MAXC][24];
    unsigned char used[MAXC] = { 0 };
    int have_account = 0, have_time = 0, have_name = 0, have_followers = 0, have_created = 0;
    size_t o = 0;
    for (size_t j = 0; j < nc; j++)
        if (!norm(hdr->f[j], names[j], sizeof names[j])) names[j][0] = '\0';
    if (cap) out[0] = '\0';
    for (size_t g = 0; g < sizeof guesses / sizeof guesses[0]; g++) {
        size_t col = SIZE_MAX;
        for (int a = 0; guesses[g].alias[a] && col == SIZE_MAX; a++)
            for (size_t j = 0; j < nc; j++)
                if (!used[j] && names[j][0] && strcmp(names[j], guesses[g].alias[a]) == 0) { col = j; break; }
        if (col == SIZE_MAX) continue;
        if (!put_pair(out, cap, &o, guesses[g].key, hdr->f[col])) goto done;   /* no room: stop */
        used[col] = 1;
        if (strcmp(guesses[g].key, "account") == 0) have_account = 1;
        if (strcmp(guesses[g].key, "time") == 0) have_time = 1;
        if (strcmp(guesses[g].key, "name") == 0) have_name = 1;
        if (strcmp(guesses[g].key, "followers") == 0) have_followers = 1;
        if (strcmp(guesses[g].key, "created") == 0) have_created = 1;
    }
    /* Account objects' own keys by their inner names. */
    for (size_t g = 0; g < sizeof inner_guesses / sizeof inner_guesses[0]; g++) {
        const char *key = inner_guesses[g].key;
        if ((g == 0 && have_name) || (g == 1 && have_followers) || (g == 2 && have_created)) continue;
        size_t col = SIZE_MAX;
        char in[24];
        for (int a = 0; inner_guesses[g].alias[a] && col == SIZE_MAX; a++)
            for (size_t j = 0; j < nc; j++)
                if (!used[j] && inner_name(hdr->f[j], in, sizeof in) && strcmp(in, inner_guesses[g].alias[a]) == 0) {
                    col = j;
                    break;
                }
        if (col == SIZE_MAX) continue;
        if (!put_pair(out, cap, &o, key, hdr->f[col])) goto done;
        used[col] = 1;
    }
done:
    return have_account && have_time;
}
