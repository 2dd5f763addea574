/*
 * test_json.c — unit tests of the API v1.1 and v2 JSON parsers (v1.c,
 * v2.c, jsonread.c, jsonutil.c).  Each test parses a fixture from
 * tests/data/json (or bytes in memory) through ls__src_mem into a builder,
 * writes the store to a temporary file, opens it and checks the columns:
 * ids, kinds, references, texts, list entries, counts, profiles and the
 * rejected/repaired counts by reason, all against values worked out by
 * hand from the fixtures.
 */
#include "test.h"
#include "ingest/ingest.h"
#include "ingest/jsonutil.h"

#include <inttypes.h>
#include <stdlib.h>
#include <unistd.h>

static ls_ctx *ctx;
static char store_path[256];

/* Reads a whole fixture into memory (the caller frees it). */
static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    char *p = NULL;
    long len;
    if (!f) { fprintf(stderr, "  cannot open %s\n", path); return NULL; }
    if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        p = malloc((size_t)len + 1);
        if (p && fread(p, 1, (size_t)len, f) != (size_t)len) { free(p); p = NULL; }
        if (p) *n = (size_t)len;
    }
    fclose(f);
    return p;
}

/* Parses bytes with the v1 (fmt 1) or v2 (fmt 2) parser into a fresh
 * builder, writes the store and opens it.  *status gets the parser's
 * status.  Returns NULL (after a failed CHECK) when the store can't be
 * built. */
static ls_store *parse_mem(int fmt, const char *name, const char *p, size_t n, int strict, int *status)
{
    ls__builder *b = NULL;
    ls__src *src = NULL;
    ls_store *s = NULL;
    ls__env e;
    int st;
    memset(&e, 0, sizeof e);
    if (ls__builder_new(ctx, &b) != LS_OK) { CHECK(0); return NULL; }
    if (ls__src_mem(ctx, name, p, n, &src) != LS_OK) { CHECK(0); ls__builder_free(b); return NULL; }
    e.ctx = ctx;
    e.b = b;
    e.strict = strict;
    e.file = name;
    st = fmt == 1 ? ls__parse_v1(&e, src) : ls__parse_v2(&e, src);
    if (status) *status = st;
    ls__src_close(src);
    ls__buf_free(&e.scratch);
    if (st == LS_OK || strict) {
        if (ls__builder_write(b, store_path) != LS_OK) {
            fprintf(stderr, "  write: %s\n", ls_ctx_message(ctx));
            CHECK(0);
        } else if (ls__store_open_flags(ctx, store_path, 0, &s) != LS_OK) {
            fprintf(stderr, "  open: %s\n", ls_ctx_message(ctx));
            CHECK(0);
            s = NULL;
        }
    } else {
        fprintf(stderr, "  parse: %s\n", ls_ctx_message(ctx));
    }
    ls__builder_free(b);
    return s;
}

static ls_store *parse_file(int fmt, const char *path, int *status)
{
    size_t n = 0;
    char *p = slurp(path, &n);
    ls_store *s;
    if (!p) { CHECK(0); return NULL; }
    s = parse_mem(fmt, path, p, n, 0, status);
    free(p);
    return s;
}

/* Index of the event whose post id is id, or -1. */
static long ev_of(ls_store *s, const char *id)
{
    uint32_t pid = ls__strtab_find(&s->ns[LS_NS_POST], ls__str_c(id));
    if (pid == LS__NONE) return -1;
    for (uint64_t i = 0; i < s->n_events; i++)
        if (s->ev_post[i] == pid) return (long)i;
    return -1;
}

/* A string of namespace ns as a NUL-terminated copy in a rotating set of
 * buffers ("(none)" for LS__NONE), for CHECK_EQ_STR. */
static const char *str_of(ls_store *s, int ns, uint32_t id)
{
    static char buf[8][512];
    static int k;
    char *b = buf[k++ & 7];
    if (id == LS__NONE || id >= s->ns[ns].n) return "(none)";
    ls__str v = ls__strtab_get(&s->ns[ns], id);
    snprintf(b, 512, "%.*s", (int)v.n, v.p);
    return b;
}
static const char *str16(ls_store *s, int ns, uint16_t id)
{
    return str_of(s, ns, id == 0xFFFF ? LS__NONE : id);
}

/* The list entries of event i of one type, joined with '|'. */
static const char *list_of(ls_store *s, long i, int type)
{
    static char buf[4][1024];
    static int k;
    char *b = buf[k++ & 3];
    size_t n = 0;
    static const int ns_of[] = { LS_NS_HASHTAG, LS_NS_URL, LS_NS_DOMAIN, LS_NS_ACCOUNT, LS_NS_IMAGE };
    b[0] = '\0';
    for (uint32_t j = s->ev_list[i]; j < s->ev_list[i + 1]; j++) {
        if (s->li_type[j] != type) continue;
        if (type <= LS_LI_IMAGE)
            n += (size_t)snprintf(b + n, 1024 - n, "%s%s", n ? "|" : "", str_of(s, ns_of[type], s->li_id[j]));
        else
            n += (size_t)snprintf(b + n, 1024 - n, "%s%u", n ? "|" : "", s->li_id[j]);
        if (n >= 1000) break;
    }
    return b;
}

static uint32_t acct_id(ls_store *s, const char *id)
{
    return ls__strtab_find(&s->ns[LS_NS_ACCOUNT], ls__str_c(id));
}

#define EV(s, i, col, ns) str_of(s, ns, (s)->ev_##col[i])

TEST(v1_every_field)
{
    int st = -1;
    ls_store *s = parse_file(1, "tests/data/json/v1.jsonl", &st);
    long i;
    uint32_t a;
    CHECK_EQ_INT(st, LS_OK);
    if (!s) return;
    /* 16 lines: 11 posts (line 14 holds two), 5 rejected rows, a delete
     * notice skipped. */
    CHECK_EQ_INT(s->n_events, 11);
    CHECK_EQ_INT(s->rows_read, 16);
    CHECK_EQ_INT(s->diag.count[LS_DIAG_BAD_JSON], 1);
    CHECK_EQ_INT(s->diag.count[LS_DIAG_EMPTY_LINE], 1);
    CHECK_EQ_INT(s->diag.count[LS_DIAG_BAD_UTF8], 1);
    CHECK_EQ_INT(s->diag.count[LS_DIAG_MISSING_ID], 2);
    CHECK_EQ_INT(s->diag.count[LS_DIAG_NOTICE], 1);
    CHECK(strstr(s->diag.example[LS_DIAG_NOTICE][0], "v1.jsonl:8: delete notice") != NULL);
    CHECK_EQ_INT(s->diag.count[LS_DIAG_BAD_TIME], 1);
    CHECK_EQ_INT(s->diag.count[LS_DIAG_RT_RECOVERED], 1);
    CHECK(strstr(s->diag.example[LS_DIAG_BAD_JSON][0], "v1.jsonl:5:") != NULL);
    CHECK(strstr(s->diag.example[LS_DIAG_EMPTY_LINE][0], "v1.jsonl:6:") != NULL);
    CHECK(strstr(s->diag.example[LS_DIAG_BAD_TIME][0], "v1.jsonl:11:") != NULL);

    /* Line 1: extended_tweet wins over the truncated text and entities. */
    i = ev_of(s, "1300000000000000001");
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK_EQ_INT(s->ev_kind[i], LS_KIND_TWEET);
        /* The made-up id would be 2020-08-30T09:18:47.489Z, a day and more
         * from created_at: the stated time wins (ls__post_time). */
        CHECK_EQ_INT(s->ev_time[i], 1598868000000LL);   /* Mon Aug 31 10:00:00 2020 */
        CHECK_EQ_STR(EV(s, i, account, LS_NS_ACCOUNT), "2001");
        CHECK_EQ_STR(EV(s, i, text, LS_NS_TEXT), "Long text #Paris #Été https://t.co/a https://t.co/b @ben");
        CHECK_EQ_STR(str16(s, LS_NS_LANG, s->ev_lang[i]), "fr");
        CHECK_EQ_STR(str16(s, LS_NS_CLIENT, s->ev_client[i]), "Sprout & Co");
        CHECK_EQ_STR(list_of(s, i, LS_LI_HASHTAG), "paris|été");
        CHECK_EQ_STR(list_of(s, i, LS_LI_URL), "https://example.com/a|https://t.co/b");
        CHECK_EQ_STR(list_of(s, i, LS_LI_MENTION), "2002|@noid");
        CHECK_EQ_STR(list_of(s, i, LS_LI_IMAGE), "3_77|http://pbs.example/x.jpg");
        CHECK_EQ_STR(list_of(s, i, LS_LI_LIKES), "4");
        CHECK_EQ_STR(list_of(s, i, LS_LI_RETWEETS), "3");
        CHECK_EQ_STR(list_of(s, i, LS_LI_REPLIES), "2");
        CHECK_EQ_STR(list_of(s, i, LS_LI_QUOTES), "1");
        CHECK_EQ_INT(s->ev_ref_post[i], LS__NONE);
        CHECK_EQ_INT(s->ev_reply_post[i], LS__NONE);
    }
    a = acct_id(s, "2001");
    CHECK(a != LS__NONE);
    if (a != LS__NONE) {
        CHECK_EQ_STR(str_of(s, LS_NS_NAME, s->acc_screen[a]), "Ann_One");
        CHECK_EQ_STR(str_of(s, LS_NS_NAME, s->acc_display[a]), "Ann One");
        CHECK_EQ_INT(s->acc_followers[a], 10);
        CHECK_EQ_INT(s->acc_following[a], 20);
        CHECK_EQ_INT(s->acc_created[a], 1539202764000LL); /* 2018-10-10T20:19:24Z */
        CHECK_EQ_STR(str16(s, LS_NS_LANG, s->acc_lang[a]), "en");
        CHECK_EQ_STR(str_of(s, LS_NS_MISC, s->acc_location[a]), "Paris");
        CHECK_EQ_STR(str_of(s, LS_NS_MISC, s->acc_description[a]), "hello");
        CHECK_EQ_STR(str_of(s, LS_NS_MISC, s->acc_url[a]), "https://ann.example");
    }

    /* Line 2: a retweet; the embedded original is not an event, but its
     * author is an account with the profile it carried. */
    i = ev_of(s, "1300000000000000002");
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK_EQ_INT(s->ev_kind[i], LS_KIND_RETWEET);
        CHECK_EQ_STR(EV(s, i, ref_post, LS_NS_POST), "1299999999999999999");
        CHECK_EQ_STR(EV(s, i, ref_account, LS_NS_ACCOUNT), "2003");
        CHECK_EQ_STR(str16(s, LS_NS_CLIENT, s->ev_client[i]), "Twitter Web App");
        CHECK_EQ_STR(list_of(s, i, LS_LI_LIKES), "");
    }
    CHECK_EQ_INT(ev_of(s, "1299999999999999999"), -1);
    a = acct_id(s, "2003");
    CHECK(a != LS__NONE);
    if (a != LS__NONE) CHECK_EQ_STR(str_of(s, LS_NS_NAME, s->acc_screen[a]), "Cat");

    /* Line 3: a quote in tweet_mode=extended (full_text beats text). */
    i = ev_of(s, "1300000000000000003");
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK_EQ_INT(s->ev_kind[i], LS_KIND_QUOTE);
        CHECK_EQ_STR(EV(s, i, text, LS_NS_TEXT), "quoting this");
        CHECK_EQ_STR(EV(s, i, ref_post, LS_NS_POST), "1300000000000000001");
        CHECK_EQ_STR(EV(s, i, ref_account, LS_NS_ACCOUNT), "2001");
    }

    /* Line 4: reply fields given only as integers past 2^53 stay exact. */
    i = ev_of(s, "1300000000000000004");
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK_EQ_INT(s->ev_kind[i], LS_KIND_REPLY);
        CHECK_EQ_STR(EV(s, i, reply_post, LS_NS_POST), "1300000000000000001");
        CHECK_EQ_STR(EV(s, i, reply_account, LS_NS_ACCOUNT), "2001");
    }

    /* Line 7: invalid UTF-8 repaired, row kept. */
    i = ev_of(s, "1300000000000000007");
    CHECK(i >= 0);
    if (i >= 0) CHECK_EQ_STR(EV(s, i, text, LS_NS_TEXT), "bad \xEF\xBF\xBD byte \xEF\xBF\xBD");

    /* Line 10: an id from before snowflakes takes created_at. */
    i = ev_of(s, "12345");
    CHECK(i >= 0);
    if (i >= 0) CHECK_EQ_INT(s->ev_time[i], 1539202764000LL);

    /* Line 12: no author in the embedded original: RT @Ann_One resolves
     * to account 2001 by screen name. */
    i = ev_of(s, "1300000000000000012");
    CHECK(i >= 0);
    if (i >= 0) CHECK_EQ_STR(EV(s, i, ref_account, LS_NS_ACCOUNT), "2001");

    /* Line 13: integer ids only; line 14: a search response of two. */
    i = ev_of(s, "1300000000000000013");
    CHECK(i >= 0);
    if (i >= 0) CHECK_EQ_STR(EV(s, i, account, LS_NS_ACCOUNT), "2002");
    CHECK(ev_of(s, "1300000000000000014") >= 0);
    CHECK(ev_of(s, "1300000000000000015") >= 0);

    /* Line 16: a reply to an account with no post id is a reply. */
    i = ev_of(s, "1300000000000000016");
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK_EQ_INT(s->ev_kind[i], LS_KIND_REPLY);
        CHECK_EQ_INT(s->ev_reply_post[i], LS__NONE);
        CHECK_EQ_STR(EV(s, i, reply_account, LS_NS_ACCOUNT), "2002");
    }

    /* Rejected rows left no event. */
    CHECK_EQ_INT(ev_of(s, "1300000000000000005"), -1);
    CHECK_EQ_INT(ev_of(s, "1300000000000000009"), -1);
    CHECK_EQ_INT(ev_of(s, "12346"), -1);
    ls_store_close(s);
}

TEST(v2_pages)
{
    int st = -1;
    ls_store *s = parse_file(2, "tests/data/json/v2_pages.jsonl", &st);
    long i;
    uint32_t a;
    CHECK_EQ_INT(st, LS_OK);
    if (!s) return;
    /* Page 1: 5 tweets, page 2: 1, line 3: an empty page, line 4: bad,
     * line 5: no author, line 6: an array of two rows. */
    CHECK_EQ_INT(s->n_events, 8);
    CHECK_EQ_INT(s->rows_read, 6);
    CHECK_EQ_INT(s->diag.count[LS_DIAG_BAD_JSON], 1);
    CHECK_EQ_INT(s->diag.count[LS_DIAG_MISSING_ID], 1);
    CHECK_EQ_INT(s->diag.count[LS_DIAG_RT_RECOVERED], 1);
    CHECK(strstr(s->diag.example[LS_DIAG_BAD_JSON][0], "v2_pages.jsonl:4:") != NULL);

    i = ev_of(s, "1400000000000000001");
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK_EQ_INT(s->ev_kind[i], LS_KIND_TWEET);
        /* As in v1: the id's time is a day and more from created_at. */
        CHECK_EQ_INT(s->ev_time[i], 1622505600000LL);   /* 2021-06-01T00:00:00Z */
        CHECK_EQ_STR(EV(s, i, account, LS_NS_ACCOUNT), "3001");
        CHECK_EQ_STR(EV(s, i, text, LS_NS_TEXT), "A long note #Berlin #Ünïcode https://t.co/1 https://t.co/2 @eli @ghost");
        CHECK_EQ_STR(str16(s, LS_NS_LANG, s->ev_lang[i]), "de");
        CHECK_EQ_STR(list_of(s, i, LS_LI_HASHTAG), "berlin|ünïcode");
        /* The media link (it has a media_key) is not a URL of the post. */
        CHECK_EQ_STR(list_of(s, i, LS_LI_URL), "https://example.org/x?k=1|https://unwound.example/y");
        CHECK_EQ_STR(list_of(s, i, LS_LI_MENTION), "3002|@ghost");
        CHECK_EQ_STR(list_of(s, i, LS_LI_IMAGE), "3_99|7_100");
        CHECK_EQ_STR(list_of(s, i, LS_LI_LIKES), "9");
        CHECK_EQ_STR(list_of(s, i, LS_LI_RETWEETS), "8");
        CHECK_EQ_STR(list_of(s, i, LS_LI_REPLIES), "7");
        CHECK_EQ_STR(list_of(s, i, LS_LI_QUOTES), "6");
    }
    /* includes.users gave the profile. */
    a = acct_id(s, "3001");
    CHECK(a != LS__NONE);
    if (a != LS__NONE) {
        CHECK_EQ_STR(str_of(s, LS_NS_NAME, s->acc_screen[a]), "Dora");
        CHECK_EQ_STR(str_of(s, LS_NS_NAME, s->acc_display[a]), "Dora D");
        CHECK_EQ_INT(s->acc_followers[a], 11);
        CHECK_EQ_INT(s->acc_following[a], 22);
        CHECK_EQ_INT(s->acc_created[a], 1549166706000LL);
        CHECK_EQ_STR(str_of(s, LS_NS_MISC, s->acc_location[a]), "Berlin");
        CHECK_EQ_STR(str_of(s, LS_NS_MISC, s->acc_description[a]), "bio");
        CHECK_EQ_STR(str_of(s, LS_NS_MISC, s->acc_url[a]), "https://dora.example");
    }
    /* Retweet whose original is in includes.tweets: its author_id. */
    i = ev_of(s, "1400000000000000002");
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK_EQ_INT(s->ev_kind[i], LS_KIND_RETWEET);
        CHECK_EQ_STR(EV(s, i, ref_post, LS_NS_POST), "1399999999999999999");
        CHECK_EQ_STR(EV(s, i, ref_account, LS_NS_ACCOUNT), "3003");
    }
    CHECK_EQ_INT(ev_of(s, "1399999999999999999"), -1);
    /* Retweet whose original is missing: RT @Dora -> 3001. */
    i = ev_of(s, "1400000000000000003");
    CHECK(i >= 0);
    if (i >= 0) CHECK_EQ_STR(EV(s, i, ref_account, LS_NS_ACCOUNT), "3001");
    /* A quote that also replies keeps kind QUOTE with the reply fields. */
    i = ev_of(s, "1400000000000000004");
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK_EQ_INT(s->ev_kind[i], LS_KIND_QUOTE);
        CHECK_EQ_STR(EV(s, i, ref_post, LS_NS_POST), "1400000000000000001");
        CHECK_EQ_STR(EV(s, i, ref_account, LS_NS_ACCOUNT), "3001");
        CHECK_EQ_STR(EV(s, i, reply_post, LS_NS_POST), "1400000000000000001");
        CHECK_EQ_STR(EV(s, i, reply_account, LS_NS_ACCOUNT), "3001");
    }
    i = ev_of(s, "1400000000000000005");
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK_EQ_INT(s->ev_kind[i], LS_KIND_REPLY);
        CHECK_EQ_STR(EV(s, i, reply_post, LS_NS_POST), "1400000000000000004");
        CHECK_EQ_STR(EV(s, i, reply_account, LS_NS_ACCOUNT), "3003");
    }
    /* Page 2: "data" as a single object; an HTML source is unescaped. */
    i = ev_of(s, "1400000000000000006");
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK_EQ_STR(str16(s, LS_NS_CLIENT, s->ev_client[i]), "Bot <1>");
        CHECK_EQ_STR(str16(s, LS_NS_LANG, s->ev_lang[i]), "und");
    }
    CHECK_EQ_INT(ev_of(s, "1400000000000000007"), -1);
    CHECK_EQ_INT(ev_of(s, "1400000000000000008"), -1);
    /* Line 6: flat rows in an array; the second's author is embedded. */
    CHECK(ev_of(s, "1400000000000000009") >= 0);
    i = ev_of(s, "1400000000000000010");
    CHECK(i >= 0);
    if (i >= 0) CHECK_EQ_STR(EV(s, i, account, LS_NS_ACCOUNT), "3004");
    a = acct_id(s, "3004");
    CHECK(a != LS__NONE);
    if (a != LS__NONE) CHECK_EQ_STR(str_of(s, LS_NS_NAME, s->acc_screen[a]), "Hal");
    ls_store_close(s);
}

TEST(v2_flat_rows)
{
    int st = -1;
    ls_store *s = parse_file(2, "tests/data/json/v2_flat.jsonl", &st);
    long i;
    uint32_t a;
    CHECK_EQ_INT(st, LS_OK);
    if (!s) return;
    CHECK_EQ_INT(s->n_events, 5);
    CHECK_EQ_INT(s->rows_read, 5);
    for (int r = 0; r < LS_DIAG_COUNT; r++) CHECK_EQ_INT(s->diag.count[r], 0);
    i = ev_of(s, "1400000000000000011");
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK_EQ_INT(s->ev_kind[i], LS_KIND_RETWEET);
        CHECK_EQ_STR(EV(s, i, ref_account, LS_NS_ACCOUNT), "3001");
        CHECK_EQ_STR(str16(s, LS_NS_CLIENT, s->ev_client[i]), "Twitter for iPhone");
        CHECK_EQ_STR(list_of(s, i, LS_LI_RETWEETS), "5");
        CHECK_EQ_STR(list_of(s, i, LS_LI_LIKES), "");
    }
    /* The referenced tweet's embedded author was fed as an account. */
    a = acct_id(s, "3001");
    CHECK(a != LS__NONE);
    if (a != LS__NONE) CHECK_EQ_INT(s->acc_followers[a], 11);
    i = ev_of(s, "1400000000000000012");
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK_EQ_INT(s->ev_kind[i], LS_KIND_REPLY);
        CHECK_EQ_STR(EV(s, i, reply_post, LS_NS_POST), "1400000000000000001");
        CHECK_EQ_STR(EV(s, i, reply_account, LS_NS_ACCOUNT), "3001");
        CHECK_EQ_STR(list_of(s, i, LS_LI_MENTION), "3001");
    }
    /* Not a snowflake: time from created_at with a +02:00 offset. */
    i = ev_of(s, "999");
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK_EQ_INT(s->ev_time[i], 1622543445678LL);   /* 2021-06-01T10:30:45.678Z */
        CHECK_EQ_STR(EV(s, i, account, LS_NS_ACCOUNT), "3005");
    }
    a = acct_id(s, "3005");
    CHECK(a != LS__NONE);
    if (a != LS__NONE) CHECK_EQ_INT(s->acc_created[a], 1577836800000LL);
    /* A retweet of a quote is a retweet, whatever the order of entries. */
    i = ev_of(s, "1400000000000000014");
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK_EQ_INT(s->ev_kind[i], LS_KIND_RETWEET);
        CHECK_EQ_STR(EV(s, i, ref_post, LS_NS_POST), "1400000000000000001");
        CHECK_EQ_STR(EV(s, i, ref_account, LS_NS_ACCOUNT), "3001");
    }
    /* A reply to an account with no post id is a reply. */
    i = ev_of(s, "1400000000000000015");
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK_EQ_INT(s->ev_kind[i], LS_KIND_REPLY);
        CHECK_EQ_INT(s->ev_reply_post[i], LS__NONE);
        CHECK_EQ_STR(EV(s, i, reply_account, LS_NS_ACCOUNT), "3002");
    }
    ls_store_close(s);
}

TEST(v2_pretty_documents)
{
    int st = -1;
    ls_store *s = parse_file(2, "tests/data/json/v2_pretty.json", &st);
    CHECK_EQ_INT(st, LS_OK);
    if (!s) return;
    /* Two pretty-printed pages with a stray "}" line (27) between them. */
    CHECK_EQ_INT(s->n_events, 2);
    CHECK_EQ_INT(s->rows_read, 36);
    CHECK_EQ_INT(s->diag.count[LS_DIAG_BAD_JSON], 1);
    CHECK(strstr(s->diag.example[LS_DIAG_BAD_JSON][0], "v2_pretty.json:27:") != NULL);
    CHECK(ev_of(s, "1400000000000000021") >= 0);
    CHECK(ev_of(s, "1400000000000000022") >= 0);
    ls_store_close(s);
}

TEST(v1_cut_first_line)
{
    int st = -1;
    ls_store *s = parse_file(1, "tests/data/json/v1_cut_first.jsonl", &st);
    CHECK_EQ_INT(st, LS_OK);
    if (!s) return;
    /* The cut first line looks like the start of a document; the reader
     * must still get both good lines after it. */
    CHECK_EQ_INT(s->n_events, 2);
    CHECK_EQ_INT(s->rows_read, 3);
    CHECK_EQ_INT(s->diag.count[LS_DIAG_BAD_JSON], 1);
    CHECK(strstr(s->diag.example[LS_DIAG_BAD_JSON][0], "v1_cut_first.jsonl:1:") != NULL);
    CHECK(ev_of(s, "1300000000000000101") >= 0);
    CHECK(ev_of(s, "1300000000000000102") >= 0);
    ls_store_close(s);
}

TEST(strict_stops_at_first_problem)
{
    size_t n = 0;
    char *p = slurp("tests/data/json/v1.jsonl", &n);
    int st = -1;
    ls_store *s;
    if (!p) { CHECK(0); return; }
    s = parse_mem(1, "v1.jsonl", p, n, 1, &st);
    CHECK_EQ_INT(st, LS_ERR_PARSE);
    CHECK(strstr(ls_ctx_message(ctx), "v1.jsonl:5") != NULL);
    /* The four good lines before the bad one were read. */
    if (s) { CHECK_EQ_INT(s->n_events, 4); ls_store_close(s); }
    free(p);
}

/* Inputs that must be rejected or repaired, never crash: each with the
 * expected number of events and of rejected rows. */
TEST(hostile_inputs)
{
    static const struct { int fmt; const char *in; int events; int bad_json; int empty; int missing; } cases[] = {
        { 1, "", 0, 0, 0, 0 },
        { 1, "\n\n", 0, 0, 2, 0 },
        { 1, "{", 0, 1, 0, 0 },
        { 1, "[", 0, 1, 0, 0 },
        { 1, "null\n42\n\"x\"\n", 0, 3, 0, 0 },
        { 1, "[1,2]\n", 0, 0, 0, 2 },
        { 1, "{}\n", 0, 0, 0, 1 },
        { 1, "{\"id_str\":\"1\",\"user\":{\"id_str\":\"2\"},\"created_at\":\"Wed Oct 10 20:19:24 +0000 2018\"} trailing\n", 0, 1, 0, 0 },
        { 1, "{\"id_str\":\"1\",\"user\":{\"id_str\":\"2\"},\"created_at\":\"Wed Oct 10 20:19:24 +0000 2018\",\"text\":\"a\\u0000b\"}\n", 1, 0, 0, 0 },
        { 1, "{\"id\":99999999999999999999999,\"user\":{\"id_str\":\"2\"}}\n", 0, 1, 0, 0 },
        { 1, "{\"id_str\":\"1300000000000000001\",\"user\":{\"id_str\":\"2\"},\"retweeted_status\":\"not an object\",\"entities\":{\"hashtags\":7,\"urls\":[1,null],\"user_mentions\":[{}]}}\n", 1, 0, 0, 0 },
        { 1, "\xEF\xBB\xBF{\"id_str\":\"1300000000000000001\",\"user\":{\"id_str\":\"2\"}}\n", 1, 0, 0, 0 },
        { 2, "\xEF\xBB\xBF{\n\"data\": {\"id\":\"1400000000000000001\",\"author_id\":\"1\"}\n}\n", 1, 0, 0, 0 },
        { 2, "{\"data\":5}\n", 0, 1, 0, 0 },
        { 2, "{\"data\":[],\"includes\":{\"users\":[{\"id\":7},{\"noid\":1}],\"tweets\":[1]}}\n", 0, 0, 0, 0 },
        { 2, "{\"id\":\"1400000000000000001\",\"author_id\":\"1\",\"referenced_tweets\":[{\"type\":\"retweeted\"},{\"type\":7,\"id\":\"5\"},3]}\n", 1, 0, 0, 0 },
        { 2, "{\n\"data\": [\n{\"id\":\"1400000000000000001\",\"author_id\":\"1\"}\n]\n", 0, 1, 0, 0 },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        int st = -1;
        ls_store *s = parse_mem(cases[k].fmt, "mem", cases[k].in, strlen(cases[k].in), 0, &st);
        if (st != LS_OK || !s) {
            fprintf(stderr, "  case %zu: status %d\n", k, st);
            CHECK(0);
            if (s) ls_store_close(s);
            continue;
        }
        if ((int)s->n_events != cases[k].events || (int)s->diag.count[LS_DIAG_BAD_JSON] != cases[k].bad_json ||
            (int)s->diag.count[LS_DIAG_EMPTY_LINE] != cases[k].empty ||
            (int)s->diag.count[LS_DIAG_MISSING_ID] != cases[k].missing) {
            fprintf(stderr, "  case %zu: events %d bad_json %d empty %d missing %d\n", k, (int)s->n_events,
                    (int)s->diag.count[LS_DIAG_BAD_JSON], (int)s->diag.count[LS_DIAG_EMPTY_LINE],
                    (int)s->diag.count[LS_DIAG_MISSING_ID]);
            CHECK(0);
        }
        ls_store_close(s);
    }
}

TEST(deep_nesting)
{
    /* Far past jansson's depth limit: one bad line, no stack overflow. */
    size_t n = 200000;
    char *p = malloc(n + 1);
    int st = -1;
    ls_store *s;
    if (!p) { CHECK(0); return; }
    memset(p, '[', n);
    p[n] = '\n';
    s = parse_mem(2, "deep", p, n + 1, 0, &st);
    CHECK_EQ_INT(st, LS_OK);
    if (s) {
        CHECK_EQ_INT(s->n_events, 0);
        CHECK_EQ_INT(s->diag.count[LS_DIAG_BAD_JSON], 1);
        ls_store_close(s);
    }
    free(p);
}

/* The differential fixtures through all three JSON shapes give the same
 * events column by column (the CLI test compares `info`; this compares
 * references, counts and lists too). */
static void dump(ls_store *s, ls__buf *out)
{
    for (uint64_t i = 0; i < s->n_events; i++) {
        ls__buf_printf(out, "%" PRId64 " %d %s %s %s %s %s %s [%s] %s %s", s->ev_time[i], s->ev_kind[i],
                       EV(s, i, post, LS_NS_POST), EV(s, i, account, LS_NS_ACCOUNT),
                       EV(s, i, ref_post, LS_NS_POST), EV(s, i, ref_account, LS_NS_ACCOUNT),
                       EV(s, i, reply_post, LS_NS_POST), EV(s, i, reply_account, LS_NS_ACCOUNT),
                       EV(s, i, text, LS_NS_TEXT), str16(s, LS_NS_LANG, s->ev_lang[i]),
                       str16(s, LS_NS_CLIENT, s->ev_client[i]));
        for (int t = LS_LI_HASHTAG; t <= LS_LI_QUOTES; t++)
            ls__buf_printf(out, " %d:%s", t, list_of(s, (long)i, t));
        ls__buf_putc(out, '\n');
    }
    for (uint32_t a = 0; a < s->ns[LS_NS_ACCOUNT].n; a++)
        ls__buf_printf(out, "%s %s %s %" PRId64 " %" PRId64 " %" PRId64 " %s %s %s\n",
                       str_of(s, LS_NS_ACCOUNT, a), str_of(s, LS_NS_NAME, s->acc_screen[a]),
                       str_of(s, LS_NS_NAME, s->acc_display[a]), s->acc_created[a],
                       s->acc_followers[a], s->acc_following[a],
                       str_of(s, LS_NS_MISC, s->acc_location[a]),
                       str_of(s, LS_NS_MISC, s->acc_description[a]), str_of(s, LS_NS_MISC, s->acc_url[a]));
}

TEST(diff_fixtures_agree)
{
    static const struct { int fmt; const char *path; } in[] = {
        { 1, "tests/data/diff/tweets_v1.jsonl" },
        { 2, "tests/data/diff/tweets_v2_pages.json" },
        { 2, "tests/data/diff/tweets_v2_flat.jsonl" },
    };
    ls__buf d[3] = { { 0 } };
    for (int k = 0; k < 3; k++) {
        int st = -1;
        ls_store *s = parse_file(in[k].fmt, in[k].path, &st);
        CHECK_EQ_INT(st, LS_OK);
        if (!s) continue;
        CHECK_EQ_INT(s->n_events, 12);
        dump(s, &d[k]);
        ls_store_close(s);
    }
    for (int k = 1; k < 3; k++) {
        int same = d[k].n == d[0].n && d[0].n && memcmp(d[k].p, d[0].p, d[0].n) == 0;
        if (!same) fprintf(stderr, "  %s differs from %s:\n%.*s\n--- vs ---\n%.*s\n", in[k].path, in[0].path,
                           (int)LS__MIN(d[k].n, 3000), d[k].p ? d[k].p : "", (int)LS__MIN(d[0].n, 3000),
                           d[0].p ? d[0].p : "");
        CHECK(same);
    }
    for (int k = 0; k < 3; k++) ls__buf_free(&d[k]);
}

/* One thread or several: the same bytes in the store.  The v1 fixture
 * repeated 3,000 times (48,000 lines, 11 MB: many batches of the thread
 * pool, jsonpar.c) keeps every kind of line, and the repeats add
 * duplicate-id diagnostics whose order and examples must not depend on
 * the threads either. */
TEST(threads_same_store)
{
    size_t n = 0, m, reps = 3000;
    char *one = slurp("tests/data/json/v1.jsonl", &n), *big, *out[2] = { NULL, NULL };
    size_t out_n[2] = { 0, 0 };
    if (!one) { CHECK(0); return; }
    big = malloc(n * reps);
    if (!big) { free(one); CHECK(0); return; }
    for (size_t k = 0; k < reps; k++) memcpy(big + k * n, one, n);
    m = n * reps;
    for (int t = 0; t < 2; t++) {
        int st = -1;
        ls_store *s;
        ls_ctx_set_threads(ctx, t ? 3 : 1);
        s = parse_mem(1, "big.jsonl", big, m, 0, &st);
        CHECK_EQ_INT(st, LS_OK);
        if (!s) continue;
        CHECK_EQ_INT(s->n_events, 11);
        CHECK_EQ_INT(s->rows_read, 16 * reps);
        CHECK_EQ_INT(s->diag.count[LS_DIAG_DUPLICATE], 11 * (reps - 1));
        CHECK_EQ_INT(s->diag.count[LS_DIAG_BAD_JSON], reps);
        CHECK_EQ_INT(s->diag.count[LS_DIAG_BAD_UTF8], reps);
        ls_store_close(s);
        out[t] = slurp(store_path, &out_n[t]);
    }
    ls_ctx_set_threads(ctx, 0);
    CHECK(out[0] && out[1] && out_n[0] == out_n[1] && memcmp(out[0], out[1], out_n[0]) == 0);
    free(out[0]);
    free(out[1]);
    free(big);
    free(one);
}

/* Every allocation in turn fails once: the parsers return LS_OK (when the
 * failure hit only a diag path) or LS_ERR_NOMEM, never crash or leak
 * (ASan checks leaks at exit). */
TEST(allocation_failures)
{
    size_t n = 0;
    char *p = slurp("tests/data/json/v2_pages.jsonl", &n);
    char *q;
    size_t m = 0;
    int bad = 0;
    if (!p) { CHECK(0); return; }
    q = slurp("tests/data/json/v1.jsonl", &m);
    if (!q) { free(p); CHECK(0); return; }
    for (int fmt = 1; fmt <= 2; fmt++) {
        for (uint64_t k = 1; k < 400; k++) {
            ls__builder *b = NULL;
            ls__src *src = NULL;
            ls__env e;
            int st;
            memset(&e, 0, sizeof e);
            if (ls__builder_new(ctx, &b) != LS_OK) { bad++; break; }
            if (ls__src_mem(ctx, "mem", fmt == 1 ? q : p, fmt == 1 ? m : n, &src) != LS_OK) {
                ls__builder_free(b);
                bad++;
                break;
            }
            e.ctx = ctx;
            e.b = b;
            e.file = "mem";
            ls__alloc_fail_after(k);
            st = fmt == 1 ? ls__parse_v1(&e, src) : ls__parse_v2(&e, src);
            ls__alloc_fail_after(0);
            if (st != LS_OK && st != LS_ERR_NOMEM) {
                fprintf(stderr, "  fmt %d k=%" PRIu64 ": status %d (%s)\n", fmt, k, st, ls_ctx_message(ctx));
                bad++;
            }
            ls__src_close(src);
            ls__buf_free(&e.scratch);
            ls__builder_free(b);
        }
    }
    CHECK_EQ_INT(bad, 0);
    free(p);
    free(q);
}

TEST(value_helpers)
{
    ls__js_rec sc;
    json_t *v;
    memset(&sc, 0, sizeof sc);
    v = json_integer(1300000000000000013LL);
    CHECK(ls__str_eqc(ls__js_id(&sc, v), "1300000000000000013"));
    json_decref(v);
    v = json_real(1.3e18);
    CHECK_EQ_INT(ls__js_id(&sc, v).n, 0);
    json_decref(v);
    v = json_integer(-5);
    CHECK_EQ_INT(ls__js_id(&sc, v).n, 0);
    CHECK_EQ_INT(ls__js_count(v), -1);
    json_decref(v);
    v = json_real(12.0);
    CHECK_EQ_INT(ls__js_count(v), 12);
    json_decref(v);
    v = json_real(12.5);
    CHECK_EQ_INT(ls__js_count(v), -1);
    json_decref(v);
    v = json_string("7.0");
    CHECK_EQ_INT(ls__js_count(v), 7);
    json_decref(v);
    CHECK_EQ_INT(ls__js_count(NULL), -1);
    CHECK(ls__str_eqc(ls__js_client(&sc, LS__S("<a href=\"x\" rel=\"nofollow\">Twitter for iPhone</a>")),
                      "Twitter for iPhone"));
    CHECK(ls__str_eqc(ls__js_client(&sc, LS__S("<a href=\"x\">A &amp; B &#39;c&#39; &bogus;</a>")),
                      "A & B 'c' &bogus;"));
    CHECK(ls__str_eqc(ls__js_client(&sc, LS__S("TweetDeck")), "TweetDeck"));
    CHECK(ls__str_eqc(ls__js_client(&sc, LS__S("<a href=\"x\"")), "<a href=\"x\""));
    CHECK_EQ_INT(ls__js_client(&sc, LS__S("")).n, 0);
    CHECK(ls__str_eqc(ls__js_at_name(&sc, LS__S("Ann_One")), "@ann_one"));
    ls__js_rec_free(&sc);
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(store_path, sizeof store_path, "%s/test_json_%ld.store", tmp && *tmp ? tmp : "/tmp", (long)getpid());
    if (ls_ctx_new(&ctx) != LS_OK) return 1;
    RUN(value_helpers);
    RUN(v1_every_field);
    RUN(v2_pages);
    RUN(v2_flat_rows);
    RUN(v2_pretty_documents);
    RUN(v1_cut_first_line);
    RUN(strict_stops_at_first_problem);
    RUN(hostile_inputs);
    RUN(deep_nesting);
    RUN(diff_fixtures_agree);
    RUN(threads_same_store);
    RUN(allocation_failures);
    unlink(store_path);
    ls_ctx_free(ctx);
    TEST_END();
}
