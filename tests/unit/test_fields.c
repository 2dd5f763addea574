/*
 * test_fields.c — the field parsers: times in every accepted form,
 * snowflake ids (a known tweet id/time pair, the threshold rule), Python
 * list fields, counts and booleans, URL normalisation, the "RT @name:"
 * prefix, and format detection.  Expected values are computed by hand (or
 * with Python's calendar.timegm, noted where used).
 */
#include "ingest/ingest.h"
#include "ingest/csvrow.h"
#include "test.h"

static int64_t T(const char *s)
{
    int64_t ms = 12345;
    return ls__time_parse(ls__str_c(s), &ms) == LS_OK ? ms : -999;
}

TEST(times)
{
    /* calendar.timegm((2019,6,1,12,30,0)) = 1559392200 */
    CHECK_EQ_INT(T("2019-06-01 12:30"), 1559392200000LL);
    CHECK_EQ_INT(T("2019-06-01 12:30:07"), 1559392207000LL);
    CHECK_EQ_INT(T("2019-06-01"), 1559347200000LL);          /* minus 12.5 h */
    /* calendar.timegm((2020,1,2,3,4,5)) = 1577934245 */
    CHECK_EQ_INT(T("2020-01-02T03:04:05Z"), 1577934245000LL);
    /* Year first with slashes (other tools' exports); both separators the same. */
    CHECK_EQ_INT(T("2020/01/02 03:04:05"), 1577934245000LL);
    CHECK_EQ_INT(T("2020/01/02T03:04:05Z"), 1577934245000LL);
    CHECK_EQ_INT(T("2020/01-02 03:04:05"), -999);
    CHECK_EQ_INT(T("01/02/2020 03:04"), -999);            /* day or month first: ambiguous */
    CHECK_EQ_INT(T("2020-01-02T03:04:05.123Z"), 1577934245123LL);
    CHECK_EQ_INT(T("2020-01-02T03:04:05.1Z"), 1577934245100LL);
    CHECK_EQ_INT(T("2020-01-02T03:04:05.123456789Z"), 1577934245123LL);
    CHECK_EQ_INT(T("2020-01-02T03:04:05+00:00"), 1577934245000LL);
    CHECK_EQ_INT(T("2020-01-02T08:34:05+05:30"), 1577934245000LL);
    CHECK_EQ_INT(T("2020-01-02T08:34:05+0530"), 1577934245000LL);
    CHECK_EQ_INT(T("2020-01-01T22:04:05-05"), 1577934245000LL);
    CHECK_EQ_INT(T("2020-01-02 03:04:05 UTC"), 1577934245000LL);
    /* Zone abbreviations (CrowdTangle's "Post Created"): EDT is UTC-4,
     * CEST UTC+2, JST UTC+9; GMT is UTC. */
    CHECK_EQ_INT(T("2020-01-01 23:04:05 EDT"), 1577934245000LL);
    CHECK_EQ_INT(T("2020-01-02 05:04:05 CEST"), 1577934245000LL);
    CHECK_EQ_INT(T("2020-01-02 12:04:05 JST"), 1577934245000LL);
    CHECK_EQ_INT(T("2020-01-02 03:04:05 GMT"), 1577934245000LL);
    CHECK_EQ_INT(T("2020-01-01 19:04:05 PST"), 1577934245000LL);
    /* calendar.timegm((2018,10,10,20,19,24)) = 1539202764 */
    CHECK_EQ_INT(T("Wed Oct 10 20:19:24 +0000 2018"), 1539202764000LL);
    CHECK_EQ_INT(T("Wed Oct 10 22:19:24 +0200 2018"), 1539202764000LL);
    CHECK_EQ_INT(T("1539202764"), 1539202764000LL);
    CHECK_EQ_INT(T("1539202764.5"), 1539202764500LL);
    CHECK_EQ_INT(T("1539202764123"), 1539202764123LL);      /* milliseconds */
    CHECK_EQ_INT(T(" 1629589836 "), 1629589836000LL);
    CHECK_EQ_INT(T("0"), 0);
    CHECK_EQ_INT(T("2000-02-29 00:00"), 951782400000LL);    /* leap day */
    CHECK_EQ_INT(T("1970-01-01T00:00:00Z"), 0);
}

TEST(bad_times)
{
    const char *bad[] = { "", " ", "2019-13-01 00:00", "2019-02-29 00:00", "2019-06-31",
                          "2019-06-01 24:00", "2019-06-01 12:60", "2019-06-01 12", "2019-6-1",
                          "2019-06-01T12:30:00Q", "2019-06-01T12:30:00+25:00", "yesterday",
                          "Wed Foo 10 20:19:24 +0000 2018", "Wed Oct 10 20:19:24 2018",
                          "-5", "12abc", "1e9", "2101-01-01 00:00", "1969-12-31 23:59",
                          "99999999999999999999", "4102444800001", "2019-06-01T", "2019-06-01 12:30:",
                          /* zone names that stand for several zones, unknown or lower-case ones */
                          "2019-06-01 12:30 CST", "2019-06-01 12:30 IST", "2019-06-01 12:30 BST",
                          "2019-06-01 12:30 XYZ", "2019-06-01 12:30 edt", "2019-06-01 12:30 EDTX" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t ms = 7;
        int rc = ls__time_parse(ls__str_c(bad[i]), &ms);
        if (rc != LS_ERR_PARSE) fprintf(stderr, "  accepted '%s' as %lld\n", bad[i], (long long)ms);
        CHECK(rc == LS_ERR_PARSE);
    }
}

TEST(post_time)
{
    const int64_t snow = 1577820376771LL;                 /* 1212092628029698048 */
    const ls__str id = LS__S("1212092628029698048");
    /* A snowflake that agrees with the stated minute keeps its milliseconds. */
    CHECK_EQ_INT(ls__post_time(id, 1577820360000LL), snow);
    /* No stated time: the snowflake; no snowflake: the stated time. */
    CHECK_EQ_INT(ls__post_time(id, LS__TIME_NONE), snow);
    CHECK_EQ_INT(ls__post_time(LS__S("3b9f52e7a1c0d2f4"), 1577820360000LL), 1577820360000LL);
    CHECK_EQ_INT(ls__post_time(LS__S("12"), LS__TIME_NONE), LS__TIME_NONE);
    /* Within a day either way still agrees; a day or more apart does not:
     * the id is then another numbering and the stated time wins. */
    CHECK_EQ_INT(ls__post_time(id, snow - 86399999LL), snow);
    CHECK_EQ_INT(ls__post_time(id, snow + 86399999LL), snow);
    CHECK_EQ_INT(ls__post_time(id, snow - 86400000LL), snow - 86400000LL);
    CHECK_EQ_INT(ls__post_time(id, snow + 86400000LL), snow + 86400000LL);
    /* A generator's random 19-digit id (it would be 2022-03-05) against a
     * stated 2020-01-08T10:00:00Z. */
    CHECK_EQ_INT(ls__post_time(LS__S("1500000000000000001"), 1578477600000LL), 1578477600000LL);
}

TEST(snowflakes)
{
    /* (1212092628029698048 >> 22) + 1288834974657 = 1577820376771,
     * i.e. 2019-12-31T19:26:16.771Z. */
    CHECK_EQ_INT(ls__snowflake_ms(LS__S("1212092628029698048")), 1577820376771LL);
    /* The smallest snowflake: exactly one day past the epoch. */
    CHECK_EQ_INT(ls__snowflake_ms(LS__S("362387865600000")), 1288921374657LL);
    CHECK_EQ_INT(ls__snowflake_ms(LS__S("362387865599999")), LS__TIME_NONE);
    /* Sequential pre-2010 ids, hashes, user ids written oddly: not snowflakes. */
    CHECK_EQ_INT(ls__snowflake_ms(LS__S("29700859247")), LS__TIME_NONE);
    CHECK_EQ_INT(ls__snowflake_ms(LS__S("12")), LS__TIME_NONE);
    CHECK_EQ_INT(ls__snowflake_ms(LS__S("")), LS__TIME_NONE);
    CHECK_EQ_INT(ls__snowflake_ms(LS__S("01212092628029698048")), LS__TIME_NONE);
    CHECK_EQ_INT(ls__snowflake_ms(LS__S("1212092628029698048.0")), LS__TIME_NONE);
    CHECK_EQ_INT(ls__snowflake_ms(LS__S("3b9f52e7a1c0d2f4")), LS__TIME_NONE);
    CHECK_EQ_INT(ls__snowflake_ms(LS__S("QoF0dKTnqVnhB6r1HhHQZ4k3Zxm9v0Y0kC4eV1Z3p1s=")), LS__TIME_NONE);
    /* Beyond 64 bits, and past 2100 (2^64-1 >> 22 is year 2150). */
    CHECK_EQ_INT(ls__snowflake_ms(LS__S("18446744073709551616")), LS__TIME_NONE);
    CHECK_EQ_INT(ls__snowflake_ms(LS__S("18446744073709551615")), LS__TIME_NONE);
}

/* Renders the items of a list as "a|b|c" (or "ERR:..." on LS_ERR_PARSE). */
static char out_[512];
static const char *LS(const char *s, const char *seps)
{
    ls__str items[8];
    size_t n = 99;
    ls__buf sc = { 0 };
    int rc = ls__list_parse_sep(ls__str_c(s), seps, items, 8, &n, &sc);
    size_t k = 0;
    if (rc != LS_OK) k += (size_t)snprintf(out_, sizeof out_, "ERR:");
    for (size_t i = 0; i < n && k < sizeof out_ - 64; i++)
        k += (size_t)snprintf(out_ + k, sizeof out_ - k, "%s%.*s", i ? "|" : "", (int)items[i].n, items[i].p);
    out_[k] = '\0';
    ls__buf_free(&sc);
    return out_;
}
static const char *L(const char *s) { return LS(s, NULL); }

TEST(lists)
{
    CHECK_EQ_STR(L("['香港', 'HongKong']"), "香港|HongKong");
    CHECK_EQ_STR(L("[\"it's\"]"), "it's");
    CHECK_EQ_STR(L("['it\\'s', 'a\\\\b']"), "it's|a\\b");
    CHECK_EQ_STR(L("[a, b]"), "a|b");
    CHECK_EQ_STR(L("[ a b ,c]"), "a b|c");
    CHECK_EQ_STR(L("[]"), "");
    CHECK_EQ_STR(L("[ ]"), "");
    CHECK_EQ_STR(L(""), "");
    CHECK_EQ_STR(L("  "), "");
    CHECK_EQ_STR(L("bare value"), "bare value");
    CHECK_EQ_STR(L("http://a.org/x,y"), "http://a.org/x,y");
    CHECK_EQ_STR(L("['a,b', \"c]\"]"), "a,b|c]");
    CHECK_EQ_STR(L("['\\u9999\\x41\\n']"), "香A\n");
    CHECK_EQ_STR(L("['\\U0001F600']"), "\xF0\x9F\x98\x80");
    CHECK_EQ_STR(L("['\\q']"), "\\q");                      /* unknown escape kept */
    CHECK_EQ_STR(L("['a','b','c','d','e','f','g','h','i','j']"), "a|b|c|d|e|f|g|h");  /* cap 8 */
    /* Malformed: what parsed so far is returned with LS_ERR_PARSE. */
    CHECK_EQ_STR(L("['a', 'b'"), "ERR:a|b");
    CHECK_EQ_STR(L("['a', 'b"), "ERR:a");
    CHECK_EQ_STR(L("['a' 'b']"), "ERR:a");
    CHECK_EQ_STR(L("['a'] x"), "ERR:a");
    CHECK_EQ_STR(L("['a\\"), "ERR:");
    /* Bare values split the way other tools write lists; bracketed lists
     * are read as before whatever the separators. */
    CHECK_EQ_STR(LS("HongKong,香港", LS__SEP_TAGS), "HongKong|香港");
    CHECK_EQ_STR(LS(" a ; b|c  d ,, ", LS__SEP_TAGS), "a|b|c|d");
    CHECK_EQ_STR(LS("['a b', 'c']", LS__SEP_TAGS), "a b|c");
    CHECK_EQ_STR(LS("http://a.org/x,y http://b.org/;z", LS__SEP_URLS), "http://a.org/x,y|http://b.org/;z");
    CHECK_EQ_STR(LS("http://a.org/x,y", LS__SEP_URLS), "http://a.org/x,y");
    CHECK_EQ_STR(LS(" , ", LS__SEP_TAGS), "");
    CHECK_EQ_STR(LS("a,b,c,d,e,f,g,h,i,j", LS__SEP_TAGS), "a|b|c|d|e|f|g|h");   /* cap 8 */
}

/* Two lists into one scratch buffer, with escapes: the first list's items
 * must stay valid while the second list is parsed (room is reserved). */
TEST(list_scratch_stable)
{
    ls__str a[4], b[4];
    size_t na, nb;
    ls__buf sc = { 0 };
    CHECK(ls__list_parse(LS__S("['x\\'1', 'y\\'2']"), a, 4, &na, &sc) == LS_OK);
    CHECK(ls__list_parse(LS__S("['z\\'3']"), b, 4, &nb, &sc) == LS_OK);
    CHECK_EQ_INT(na, 2);
    CHECK_EQ_INT(nb, 1);
    CHECK(ls__str_eqc(b[0], "z'3"));
    ls__buf_free(&sc);
}

static int64_t C(const char *s)
{
    int64_t v = -77;
    return ls__count_parse(ls__str_c(s), &v) == LS_OK ? v : -999;
}

TEST(counts_and_bools)
{
    CHECK_EQ_INT(C("12"), 12);
    CHECK_EQ_INT(C("12.0"), 12);
    CHECK_EQ_INT(C("0.0"), 0);
    CHECK_EQ_INT(C("1e3"), 1000);
    CHECK_EQ_INT(C("1.5e1"), 15);
    CHECK_EQ_INT(C("1.25E2"), 125);
    CHECK_EQ_INT(C("1200e-2"), 12);
    CHECK_EQ_INT(C(" 7 "), 7);
    CHECK_EQ_INT(C(""), -1);
    CHECK_EQ_INT(C("1e30"), 9007199254740992LL);            /* clamped */
    CHECK_EQ_INT(C("12.5"), -999);
    CHECK_EQ_INT(C("-3"), -999);
    CHECK_EQ_INT(C("abc"), -999);
    CHECK_EQ_INT(C("1e"), -999);
    CHECK_EQ_INT(C("."), -999);
    CHECK_EQ_INT(C("1.0.0"), -999);
    int v = 9;
    CHECK(ls__bool_parse(LS__S("True"), &v) == LS_OK && v == 1);
    CHECK(ls__bool_parse(LS__S("False"), &v) == LS_OK && v == 0);
    CHECK(ls__bool_parse(LS__S("true"), &v) == LS_OK && v == 1);
    CHECK(ls__bool_parse(LS__S("0"), &v) == LS_OK && v == 0);
    CHECK(ls__bool_parse(LS__S("1.0"), &v) == LS_OK && v == 1);
    CHECK(ls__bool_parse(LS__S(""), &v) == LS_OK && v == 0);
    CHECK(ls__bool_parse(LS__S("yes"), &v) == LS_ERR_PARSE);
}

static char url_[512], host_[128];
static int U(const char *s)
{
    ls__buf b = { 0 };
    size_t ho = 0, hl = 0;
    ls__buf_put(&b, "PREFIX", 6);              /* the result is appended */
    int rc = ls__url_normalise(ls__str_c(s), &b, &ho, &hl);
    snprintf(url_, sizeof url_, "%.*s", (int)(b.n - 6), b.p + 6);
    snprintf(host_, sizeof host_, "%.*s", (int)hl, b.p + ho);
    ls__buf_free(&b);
    return rc;
}

TEST(urls)
{
    CHECK(U("HTTPS://WWW.Example.COM/Path/Page?utm_source=x&id=3&fbclid=abc#frag") == LS_OK);
    CHECK_EQ_STR(url_, "https://www.example.com/Path/Page?id=3");
    CHECK_EQ_STR(host_, "example.com");
    CHECK(U("http://example.com/") == LS_OK);
    CHECK_EQ_STR(url_, "http://example.com");
    CHECK(U("http://example.com") == LS_OK);
    CHECK_EQ_STR(url_, "http://example.com");
    CHECK(U("http://example.com:80/a/") == LS_OK);
    CHECK_EQ_STR(url_, "http://example.com/a");
    CHECK(U("https://example.com:443") == LS_OK);
    CHECK_EQ_STR(url_, "https://example.com");
    CHECK(U("https://example.com:8443/x") == LS_OK);
    CHECK_EQ_STR(url_, "https://example.com:8443/x");
    CHECK_EQ_STR(host_, "example.com");
    CHECK(U("http://a.org/?utm_medium=x&UTM_Campaign=y&gclid=1&igshid=2&si=3&mc_cid=4&mc_eid=5&ref_src=6") == LS_OK);
    CHECK_EQ_STR(url_, "http://a.org");
    CHECK(U("http://a.org/?a=1&&b=2&sim=4") == LS_OK);       /* "sim" is not "si" */
    CHECK_EQ_STR(url_, "http://a.org?a=1&b=2&sim=4");
    CHECK(U("  https://t.co/AbC123  ") == LS_OK);             /* path case kept */
    CHECK_EQ_STR(url_, "https://t.co/AbC123");
    CHECK_EQ_STR(host_, "t.co");
    CHECK(U("http://user:pw@Host.EXAMPLE./p") == LS_OK);
    CHECK_EQ_STR(url_, "http://user:pw@host.example/p");
    CHECK_EQ_STR(host_, "host.example");
    CHECK(U("http://[2001:DB8::1]:80/x") == LS_OK);
    CHECK_EQ_STR(host_, "[2001:db8::1]");
    CHECK(U("http://www./") == LS_OK);                        /* "www." alone stays */
    CHECK_EQ_STR(host_, "www");
    /* No scheme or no host: the trimmed input, no host. */
    CHECK(U(" example.com/x ") == LS_ERR_PARSE);
    CHECK_EQ_STR(url_, "example.com/x");
    CHECK_EQ_STR(host_, "");
    CHECK(U("http://") == LS_ERR_PARSE);
    CHECK(U("23678") == LS_ERR_PARSE);
    CHECK_EQ_STR(url_, "23678");
    CHECK(U("") == LS_ERR_PARSE);
}

TEST(rt_prefix)
{
    ls__str n = ls__rt_prefix_name(LS__S("RT @HKgov_News: 香港 is calm"));
    CHECK(ls__str_eqc(n, "HKgov_News"));
    n = ls__rt_prefix_name(LS__S("  RT @a1: x"));
    CHECK(ls__str_eqc(n, "a1"));
    CHECK_EQ_INT(ls__rt_prefix_name(LS__S("RT @: x")).n, 0);
    CHECK_EQ_INT(ls__rt_prefix_name(LS__S("RT @name x")).n, 0);
    CHECK_EQ_INT(ls__rt_prefix_name(LS__S("RT @name")).n, 0);
    CHECK_EQ_INT(ls__rt_prefix_name(LS__S("rt @name: x")).n, 0);
    CHECK_EQ_INT(ls__rt_prefix_name(LS__S("RT @sixteen_chars_xx: x")).n, 0);  /* > 15 */
    CHECK_EQ_INT(ls__rt_prefix_name(LS__S("hello RT @name: x")).n, 0);
    CHECK_EQ_INT(ls__rt_prefix_name(LS__S("")).n, 0);
}

#define D(s) ls__detect_format((s), sizeof(s) - 1)
TEST(detect)
{
    CHECK_EQ_STR(D("tweetid,userid,user_display_name\n1,2,3\n"), "io");
    CHECK_EQ_STR(D("\xEF\xBB\xBF\"tweetid\",\"userid\"\n"), "io");
    CHECK_EQ_STR(D("userid,user_display_name,user_screen_name,follower_count\n"), "io");
    CHECK_EQ_STR(D("message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n"), "qut");
    CHECK_EQ_STR(D("TweetID,UserID,Tweet_Time\n"), "io");             /* case does not matter */
    CHECK_EQ_STR(D("tweetid\tuserid\ttweet_time\n"), "io");           /* tab-separated */
    CHECK_EQ_STR(D("{\"created_at\":\"Wed Oct 10 20:19:24 +0000 2018\",\"id_str\":\"1\",\"user\":{}}\n"), "v1");
    CHECK_EQ_STR(D("{\"data\":[{\"id\":\"1\"}],\"includes\":{}}\n"), "v2");
    CHECK_EQ_STR(D("  {\"id\":\"1\",\"author_id\":\"2\",\"text\":\"x\"}"), "v2");
    CHECK_EQ_STR(D("{\"id\":\"1\", \"edit_history_tweet_ids\" : [\"1\"]}"), "v2");
    CHECK_EQ_STR(D("{\n  \"data\": [\n    {\"id\": \"1\"}\n  ]\n}\n"), "v2");     /* pretty-printed */
    CHECK_EQ_STR(D("{\n  \"created_at\": \"Wed Oct 10 20:19:24 +0000 2018\",\n  \"id_str\": \"1\"\n}"), "v1");
    CHECK(D("{\"text\": \"a \\\"data\\\": b\"}") == NULL);       /* escaped quotes in a value */
    CHECK(D("account_id,post_id,url_id\n") == NULL);
    CHECK(D("{\"foo\":1}") == NULL);
    /* Other schemas (jsonmap.c): names alone that v1 or v2 also use do not
     * make an API object. */
    CHECK(D("{\"user\":{\"id\":\"u1\"},\"tweet_id\":1,\"timestamp\":5,\"text\":\"x\"}") == NULL);
    CHECK(D("{\"user_id\":\"u\",\"created_at\":\"2020-01-01T00:00:00Z\"}") == NULL);
    CHECK(D("{\"author_id\":\"u\",\"post_id\":\"1\",\"time\":5}") == NULL);
    CHECK_EQ_STR(D("{\"id\":1,\"created_at\":\"Wed Oct 10 20:19:24 +0000 2018\",\"user\":{\"id\":2}}"), "v1");
    CHECK(D("") == NULL);
    CHECK(D("tweetid_x,userid2\n") == NULL);
}

/* The shared row helpers of the CSV-family parsers. */
TEST(row_helpers)
{
    CHECK(ls__is_null(LS__S("")));
    CHECK(ls__is_null(LS__S("absent")));
    CHECK(ls__is_null(LS__S("None")));
    CHECK(ls__is_null(LS__S("nan")));
    CHECK(!ls__is_null(LS__S("0")));
    CHECK(!ls__is_null(LS__S("Absent!")));
    CHECK(ls__str_eqc(ls__clean_id(LS__S(" 1212092628029698048.0 ")), "1212092628029698048"));
    CHECK(ls__str_eqc(ls__clean_id(LS__S("12.5")), "12.5"));
    CHECK(ls__str_eqc(ls__clean_id(LS__S("ab.0")), "ab.0"));           /* not all digits */
    CHECK(ls__str_eqc(ls__clean_id(LS__S(".0")), ".0"));
    CHECK_EQ_INT(ls__clean_id(LS__S("absent")).n, 0);
    CHECK(ls__str_eqc(ls__clean_id(LS__S("QoF0dKTnqVnhB6r+HhHQZ4k3Zxm9v0Y/kC4eV1Z3p1s=")),
                      "QoF0dKTnqVnhB6r+HhHQZ4k3Zxm9v0Y/kC4eV1Z3p1s="));
    ls__str hdr[3] = { LS__S("tweetid"), LS__S(" UserID "), LS__S("tweet_time") };
    ls__csv_row row = { 3, hdr, 1, 0 };
    CHECK_EQ_INT(ls__csv_col(&row, "tweetid"), 0);
    CHECK_EQ_INT(ls__csv_col(&row, "userid"), 1);
    CHECK_EQ_INT(ls__csv_col(&row, "tweet"), -1);
    static const char buf[] = "a,bb,ccc";
    ls__str f[3] = { { buf, 1 }, { buf + 2, 2 }, { buf + 5, 3 } };
    ls__csv_row r2 = { 3, f, 1, 0 };
    ls__str span = ls__row_span(&r2);
    CHECK(span.p == buf && span.n == 8);
}

/* Guessed column maps (csvguess.c). */
static const char *G(const char *const *names, size_t n)
{
    static char out[1024];
    ls__str f[32];
    for (size_t i = 0; i < n; i++) f[i] = ls__str_c(names[i]);
    ls__csv_row row = { n, f, 1, 0 };
    if (!ls__csv_guess_map(&row, out, sizeof out)) return "NONE";
    return out;
}

TEST(guess_map)
{
    /* Separators and case do not matter; the specific name wins over the
     * generic one (tweet_id over id, user_id over user); keys claim
     * columns in the order account, time, id, retweet_account, retweet,
     * quote, reply_account, reply, name, text, urls, url, ... */
    const char *const a[] = { "id", "User ID", "user", "Tweet_ID", "created_at", "Text", "retweet_of",
                              "quoted-id", "in_reply_to", "URLs", "hashtags", "followers_count" };
    CHECK_EQ_STR(G(a, 12), "account=User ID,time=created_at,id=Tweet_ID,retweet=retweet_of,"
                           "quote=quoted-id,reply=in_reply_to,text=Text,urls=URLs,hashtags=hashtags,"
                           "followers=followers_count");
    /* CooRTweet's export. */
    const char *const b[] = { "account_id", "post_id", "url_id", "hashtag_id", "domain_id", "phash_id", "timestamp" };
    CHECK_EQ_STR(G(b, 7), "account=account_id,time=timestamp,id=post_id,url=url_id,hashtag=hashtag_id,"
                          "domain=domain_id,image=phash_id");
    /* A column serves one key: "author" is the account, so the name stays unguessed. */
    const char *const c[] = { "author", "date", "retweet_user_id", "retweet_id" };
    CHECK_EQ_STR(G(c, 4), "account=author,time=date,retweet_account=retweet_user_id,retweet=retweet_id");
    /* No account or no time column: no guess. */
    const char *const d[] = { "a", "b", "c" };
    CHECK_EQ_STR(G(d, 3), "NONE");
    const char *const e[] = { "user_id", "text" };
    CHECK_EQ_STR(G(e, 2), "NONE");
    /* A name that cannot be written in a --map SPEC is never guessed. */
    const char *const f[] = { "user_id", "time=utc", "timestamp" };
    CHECK_EQ_STR(G(f, 3), "account=user_id,time=timestamp");
    const char *const g[] = { "user,id", "timestamp" };
    CHECK_EQ_STR(G(g, 2), "NONE");
    /* Nested members (jsonmap.c): whole names first ("user.id" is user_id);
     * an account object's inner names give only its own keys, never the
     * post's time ("user.created_at" is the account's creation). */
    const char *const h[] = { "id", "user.id", "user.screen_name", "user.followers_count", "user.created_at",
                              "date", "retweeted.id" };
    CHECK_EQ_STR(G(h, 7), "account=user.id,time=date,id=id,retweet=retweeted.id,name=user.screen_name,"
                          "created=user.created_at,followers=user.followers_count");
}

int main(void)
{
    RUN(times);
    RUN(bad_times);
    RUN(snowflakes);
    RUN(post_time);
    RUN(lists);
    RUN(list_scratch_stable);
    RUN(counts_and_bools);
    RUN(urls);
    RUN(rt_prefix);
    RUN(detect);
    RUN(row_helpers);
    RUN(guess_map);
    TEST_END();
}
