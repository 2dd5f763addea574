/*
 * gen_io.c — writes a synthetic Twitter IO-archive tweets CSV for the
 * ingest benchmark: the 31 archive columns, realistic field sizes and the
 * archive's quirks (hashed and numeric user ids, Python-style lists,
 * "absent" coordinates, counts written "2.0", True/False, minute times,
 * retweets with the "RT @name:" prefix and some with an empty
 * retweet_userid, quoted fields with commas, quotes and newlines, Chinese
 * and English text).  Deterministic: the same arguments give the same
 * bytes.
 *
 * usage: gen_io ROWS [ACCOUNTS] > tweets.csv
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static unsigned below(unsigned n) { return (unsigned)(next() % n); }

static const char *const zh[] = { "香港", "新闻", "警察", "暴徒", "和平", "自由", "政府", "真相",
                                  "支持", "反对", "美国", "中国", "病毒", "疫情", "郭文贵", "台湾" };
static const char *const en[] = { "news", "Hong", "Kong", "police", "peace", "the", "truth", "people",
                                  "support", "against", "virus", "freedom", "today", "world", "China", "we" };
static const char *const tags[] = { "HongKong", "香港", "COVID19", "StandWithHK", "China", "Taiwan",
                                    "新冠", "GuoWengui", "Trump", "WuhanVirus" };
static const char *const clients[] = { "Twitter Web App", "Twitter for Android", "Twitter for iPhone",
                                       "TweetDeck", "Twitter Web Client", "Hootsuite Inc." };
static const char *const langs[] = { "zh", "en", "zh", "zh", "en", "ja", "und", "zh" };

typedef struct { char id[72]; char screen[24]; char display[40]; int followers, following; int year; } account;

static void put_text(char *out, size_t cap, int lang, int with_tag, int with_url, int quirky)
{
    size_t n = 0;
    int words = 8 + (int)below(20);
    for (int i = 0; i < words && n + 40 < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? (lang ? " " : "") : "",
                              lang ? en[below(16)] : zh[below(16)]);
    if (with_tag && n + 40 < cap) n += (size_t)snprintf(out + n, cap - n, " #%s", tags[below(10)]);
    if (with_url && n + 40 < cap) n += (size_t)snprintf(out + n, cap - n, " https://t.co/%08x", (unsigned)below(1u << 31));
    if (quirky && n + 40 < cap) n += (size_t)snprintf(out + n, cap - n, ", \"\"quoted\"\"\nsecond line");
    out[n] = '\0';
}

int main(int argc, char **argv)
{
    long rows = argc > 1 ? atol(argv[1]) : 1000;
    int n_acc = argc > 2 ? atoi(argv[2]) : 100000;
    account *acc = calloc((size_t)n_acc, sizeof *acc);
    static char text[1024], rtext[1200], buf[4096];
    /* 2019-06-01 00:00 UTC, advancing about 1.5 s per row */
    int64_t t0 = 1559347200;
    if (!acc) return 1;
    for (int i = 0; i < n_acc; i++) {
        account *a = &acc[i];
        if (i % 3 == 0) snprintf(a->id, sizeof a->id, "%" PRIu64, (uint64_t)(100000000u + next() % 1000000000000u));
        else if (i % 3 == 1)
            snprintf(a->id, sizeof a->id, "%016" PRIx64 "%016" PRIx64 "%016" PRIx64 "%016" PRIx64,
                     next(), next(), next(), next());
        else {
            static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            for (int k = 0; k < 43; k++) a->id[k] = b64[below(64)];
            a->id[43] = '=';
        }
        snprintf(a->screen, sizeof a->screen, "%s%08u", i % 2 ? "Anna" : "user", (unsigned)below(100000000));
        snprintf(a->display, sizeof a->display, "%s %s", zh[below(16)], en[below(16)]);
        a->followers = (int)below(5000);
        a->following = (int)below(2000);
        a->year = 2009 + (int)below(11);
    }
    long *origin = malloc(sizeof(long) * 4096);   /* recent original tweets: ring */
    int *origin_acc = malloc(sizeof(int) * 4096);
    long n_origin = 0;
    fputs("tweetid,userid,user_display_name,user_screen_name,user_reported_location,"
          "user_profile_description,user_profile_url,follower_count,following_count,"
          "account_creation_date,account_language,tweet_language,tweet_text,tweet_time,"
          "tweet_client_name,in_reply_to_userid,in_reply_to_tweetid,quoted_tweet_tweetid,"
          "is_retweet,retweet_userid,retweet_tweetid,latitude,longitude,quote_count,reply_count,"
          "like_count,retweet_count,hashtags,urls,user_mentions,poll_choices\n", stdout);
    for (long r = 0; r < rows; r++) {
        int ai = (int)(below(100) < 60 ? below((unsigned)(n_acc / 10 + 1)) : below((unsigned)n_acc));
        account *a = &acc[ai];
        int64_t t = t0 + r * 3 / 2;
        int64_t tm = t / 60 * 60;
        /* a snowflake: milliseconds since 2010-11-04 in the top bits */
        uint64_t tid = ((uint64_t)(t * 1000 + below(1000) - 1288834974657) << 22) | below(1 << 22);
        int is_rt = n_origin > 0 && below(100) < 55;
        int with_tag = below(100) < 40, with_url = below(100) < 25, quirky = below(1000) == 0;
        long rt_of = 0; int rt_acc = 0;
        if (is_rt) {
            long k = (long)below((unsigned)(n_origin < 4096 ? n_origin : 4096));
            rt_of = origin[k];
            rt_acc = origin_acc[k];
            /* The retweeted text: regenerate deterministically from the id. */
            uint64_t save = rng;
            rng = (uint64_t)rt_of * 0x9E3779B97F4A7C15ull | 1;
            put_text(text, sizeof text, (int)(rt_of & 1), 1, (int)(rt_of & 2), 0);
            rng = save;
            snprintf(rtext, sizeof rtext, "RT @%s: %s", acc[rt_acc].screen, text);
        } else {
            uint64_t save = rng;
            rng = tid * 0x9E3779B97F4A7C15ull | 1;
            put_text(rtext, sizeof rtext, (int)(tid & 1), with_tag, (int)(tid & 2), quirky);
            rng = save;
            origin[n_origin % 4096] = (long)tid;
            origin_acc[n_origin % 4096] = ai;
            n_origin++;
        }
        /* tweet_text, quoted when needed */
        size_t bn = 0;
        int needq = strpbrk(rtext, ",\"\n") != NULL;
        if (needq) buf[bn++] = '"';
        for (const char *p = rtext; *p && bn + 4 < sizeof buf; p++) {
            if (*p == '"') buf[bn++] = '"';
            buf[bn++] = *p;
        }
        if (needq) buf[bn++] = '"';
        buf[bn] = '\0';
        char tm_s[32], created[16];
        struct { int y, mo, d, h, mi; } c;
        int64_t days = tm / 86400, secs = tm % 86400;
        /* civil from days (Howard Hinnant) */
        int64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
        int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
        c.d = (int)(doy - (153 * mp + 2) / 5 + 1);
        c.mo = (int)(mp < 10 ? mp + 3 : mp - 9);
        c.y = (int)(yoe + era * 400 + (c.mo <= 2));
        c.h = (int)(secs / 3600);
        c.mi = (int)(secs % 3600 / 60);
        snprintf(tm_s, sizeof tm_s, "%04d-%02d-%02d %02d:%02d", c.y, c.mo, c.d, c.h, c.mi);
        snprintf(created, sizeof created, "%04d-%02d-%02d", a->year, 1 + ai % 12, 1 + ai % 28);
        int reply = !is_rt && below(100) < 10 && n_origin > 1;
        long reply_to = reply ? origin[below((unsigned)(n_origin < 4096 ? n_origin : 4096))] : 0;
        printf("%" PRIu64 ",%s,%s,%s,%s,%s,%s,%d,%d,%s,%s,%s,%s,%s,%s,",
               tid, a->id, a->display, a->screen, ai % 4 ? "" : "Hong Kong",
               ai % 5 ? "" : "\"爱国, 爱港 | news & views\"", ai % 7 ? "" : "https://t.co/profile",
               a->followers, a->following, created, ai % 2 ? "zh-cn" : "en", langs[below(8)], buf, tm_s,
               clients[below(6)]);
        if (reply) printf("%s,%ld,", acc[below((unsigned)n_acc)].id, reply_to);
        else printf(",,");
        printf(",%s,", is_rt ? "True" : "False");
        if (is_rt) printf("%s,%ld,", below(20) == 0 ? "" : acc[rt_acc].id, rt_of);
        else printf(",,");
        printf("absent,absent,%d.0,%d.0,%d.0,%d.0,", (int)below(3), (int)below(5), (int)below(20), (int)below(10));
        if (with_tag || is_rt) printf("\"['%s', '%s']\",", tags[below(10)], tags[below(10)]);
        else printf("[],");
        if (with_url) printf("['https://Example.com/story/%u?utm_source=twitter&id=%u'],", below(5000), below(100));
        else printf("[],");
        if (is_rt) printf("[%s],", acc[rt_acc].id);
        else printf("[],");
        printf("\n");
    }
    free(acc);
    free(origin);
    free(origin_acc);
    return 0;
}
