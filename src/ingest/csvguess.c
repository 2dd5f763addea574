/*
 * csvguess.c — a column map guessed from a CSV header, for a CSV that is
 * none of the known formats and comes without --map (other tools' and
 * generators' exports: "user_id,tweet_id,created_at,text,retweet_of",
 * CooRTweet's "account_id,post_id,url_id,...,timestamp").
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
 * Without an account and a time column there is no guess (0): the caller
 * then asks for --format csv --map.  A guess never overrides --map.
 */
#include "csvrow.h"

/* Keys in the order they claim columns; aliases normalised (lowercase, no
 * separators), most specific first. */
static const struct { const char *key; const char *alias[16]; } guesses[] = {
    { "account", { "accountid", "userid", "authorid", "ownerid", "actorid", "profileid", "channelid",
                   "pageid", "uid", "account", "author", "user", "actor", "owner", NULL } },
    { "time", { "timestamp", "createdat", "tweettime", "posttime", "publishedat", "datetime", "time",
                "date", "ts", "unixtime", "epoch", NULL } },
    { "id", { "postid", "tweetid", "messageid", "statusid", "itemid", "contentid", "mid", "id", NULL } },
    { "retweet_account", { "retweetuserid", "retweeteduserid", "retweetaccountid", "retweetedaccountid",
                           "retweetaccount", "retweetedaccount", "repostuserid", "sharedaccountid", NULL } },
    { "retweet", { "retweettweetid", "retweetedtweetid", "retweetedstatusid", "retweetid", "retweetedid",
                   "retweetof", "repostid", "repostof", "sharedpostid", "rtid", NULL } },
    { "quote", { "quotedtweettweetid", "quotedtweetid", "quotedstatusid", "quotedid", "quoteid",
                 "quoteof", NULL } },
    { "reply_account", { "inreplytouserid", "replytouserid", "replyuserid", "replyaccountid",
                         "replyaccount", NULL } },
    { "reply", { "inreplytotweetid", "inreplytostatusid", "inreplytoid", "inreplyto", "replytoid",
                 "replytotweetid", "replyid", "replyto", "parentid", NULL } },
    { "name", { "userscreenname", "screenname", "username", "handle", "accountname", "login", NULL } },
    { "text", { "tweettext", "fulltext", "posttext", "text", "message", "content", "body", "caption", NULL } },
    { "urls", { "urls", "links", "expandedurls", NULL } },
    { "url", { "expandedurl", "urlid", "url", "link", NULL } },
    { "hashtags", { "hashtags", "tags", NULL } },
    { "hashtag", { "hashtagid", "hashtag", "tag", NULL } },
    { "domain", { "domainid", "domain", NULL } },
    { "image", { "phashid", "phash", "imagehash", "imageid", "image", "mediakey", "mediaid", NULL } },
    { "lang", { "tweetlanguage", "language", "lang", NULL } },
    { "client", { "tweetclientname", "clientname", "client", "source", NULL } },
    { "followers", { "followercount", "followerscount", "followers", NULL } },
    { "created", { "accountcreationdate", "accountcreatedat", "usercreatedat", "accountcreated", NULL } },
};

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

int ls__csv_guess_map(const ls__csv_row *hdr, char *out, size_t cap)
{
    enum { MAXC = 1024 };
    size_t nc = hdr->n < MAXC ? hdr->n : MAXC;
    char names[MAXC][24];
    unsigned char used[MAXC] = { 0 };
    int have_account = 0, have_time = 0;
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
        ls__str c = hdr->f[col];
        int w = snprintf(out + o, cap - o, "%s%s=%.*s", o ? "," : "", guesses[g].key, (int)c.n, c.p);
        if (w < 0 || (size_t)w >= cap - o) { out[o] = '\0'; break; }   /* no room: stop here */
        o += (size_t)w;
        used[col] = 1;
        if (strcmp(guesses[g].key, "account") == 0) have_account = 1;
        if (strcmp(guesses[g].key, "time") == 0) have_time = 1;
    }
    return have_account && have_time;
}
