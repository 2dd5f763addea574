/*
 * test_store.c — the event store: builder -> write -> open round trip of
 * every column, append, duplicate post ids, "RT @name" attribution,
 * damaged files (flipped byte, truncation, not a store), and that no
 * temporary file is left behind.
 */
#include "test.h"
#include "store/store.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tmpdir.h"

static int count_files(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.') n++;
    if (d) closedir(d);
    return n;
}

static int has_tmp(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strstr(e->d_name, ".tmp.")) n++;
    if (d) closedir(d);
    return n;
}

static int str_is(const ls__strtab *t, uint32_t id, const char *want)
{
    if (id == LS__NONE || id >= t->n) return 0;
    return ls__str_eqc(ls__strtab_get(t, id), want);
}

/* Two posts and a users row, written in reverse time order. */
static int build_basic(ls_ctx *ctx, const char *path)
{
    ls__builder *b;
    ls__rec r;
    ls__acct a;
    int st = ls__builder_new(ctx, &b);
    if (st) return st;

    ls__str tags[] = { LS__S("hongkong"), LS__S("香港") };
    ls__str urls[] = { LS__S("https://example.com/a") };
    ls__str doms[] = { LS__S("example.com") };
    ls__str ments[] = { LS__S("u9") };
    ls__str imgs[] = { LS__S("img1") };

    ls__rec_clear(&r);
    r.post_id = LS__S("p2");
    r.account_id = LS__S("u1");
    r.screen_name = LS__S("alice");
    r.display_name = LS__S("Alice A");
    r.time_ms = 2000;
    r.kind = LS_KIND_QUOTE;
    r.ref_post = LS__S("p0");
    r.ref_account = LS__S("u2");
    r.reply_post = LS__S("p00");
    r.reply_account = LS__S("u3");
    r.text = LS__S("hello world");
    r.lang = LS__S("en");
    r.client = LS__S("Twitter Web App");
    r.hashtags = tags; r.n_hashtags = 2;
    r.urls = urls; r.n_urls = 1;
    r.domains = doms; r.n_domains = 1;
    r.mentions = ments; r.n_mentions = 1;
    r.images = imgs; r.n_images = 1;
    r.likes = 5; r.retweets = 0; r.replies = 7; r.quotes = -1;
    r.followers = 100; r.following = 50; r.created_ms = 12345;
    r.account_lang = LS__S("zh-cn");
    r.location = LS__S("HK");
    r.description = LS__S("desc");
    r.profile_url = LS__S("http://alice.example");
    if ((st = ls__builder_add_post(b, &r, "in.csv", 2))) goto done;

    ls__rec_clear(&r);
    r.post_id = LS__S("p1");
    r.account_id = LS__S("u2");
    r.time_ms = 1000;
    r.kind = LS_KIND_TWEET;
    r.text = LS__S("first");
    r.lang = LS__S("zh");
    if ((st = ls__builder_add_post(b, &r, "in.csv", 3))) goto done;

    ls__acct_clear(&a);
    a.account_id = LS__S("u2");
    a.screen_name = LS__S("bob");
    a.followers = 7;
    if ((st = ls__builder_add_account(b, &a))) goto done;
    ls__builder_count_rows(b, 3);
    ls__builder_count_input(b);
    ls__builder_diag(b, LS_DIAG_BAD_UTF8, "in.csv", 4, "field 3");
    st = ls__builder_write(b, path);
done:
    ls__builder_free(b);
    return st;
}

TEST(round_trip)
{
    ls_ctx *ctx;
    ls_store *s = NULL;
    ls_ctx_new(&ctx);
    const char *p = path_in("basic.lss");
    CHECK_EQ_INT(build_basic(ctx, p), LS_OK);
    CHECK_EQ_INT(ls_store_open(ctx, p, &s), LS_OK);
    if (!s) goto done;
    CHECK_EQ_INT(s->n_events, 2);
    /* Sorted by time: p1 (1000) before p2 (2000). */
    CHECK_EQ_INT(s->ev_time[0], 1000);
    CHECK_EQ_INT(s->ev_time[1], 2000);
    CHECK(str_is(&s->ns[LS_NS_POST], s->ev_post[0], "p1"));
    CHECK(str_is(&s->ns[LS_NS_POST], s->ev_post[1], "p2"));
    CHECK(str_is(&s->ns[LS_NS_ACCOUNT], s->ev_account[0], "u2"));
    CHECK(str_is(&s->ns[LS_NS_ACCOUNT], s->ev_account[1], "u1"));
    CHECK_EQ_INT(s->ev_kind[0], LS_KIND_TWEET);
    CHECK_EQ_INT(s->ev_kind[1], LS_KIND_QUOTE);
    CHECK_EQ_INT(s->ev_ref_post[0], LS__NONE);
    CHECK_EQ_INT(s->ev_ref_account[0], LS__NONE);
    CHECK(str_is(&s->ns[LS_NS_POST], s->ev_ref_post[1], "p0"));
    CHECK(str_is(&s->ns[LS_NS_ACCOUNT], s->ev_ref_account[1], "u2"));
    CHECK(str_is(&s->ns[LS_NS_POST], s->ev_reply_post[1], "p00"));
    CHECK(str_is(&s->ns[LS_NS_ACCOUNT], s->ev_reply_account[1], "u3"));
    CHECK(str_is(&s->ns[LS_NS_TEXT], s->ev_text[0], "first"));
    CHECK(str_is(&s->ns[LS_NS_TEXT], s->ev_text[1], "hello world"));
    CHECK(ls__str_eqc(ls__strtab_get(&s->ns[LS_NS_LANG], s->ev_lang[0]), "zh"));
    CHECK(ls__str_eqc(ls__strtab_get(&s->ns[LS_NS_LANG], s->ev_lang[1]), "en"));
    CHECK_EQ_INT(s->ev_client[0], 0xFFFF);
    CHECK(ls__str_eqc(ls__strtab_get(&s->ns[LS_NS_CLIENT], s->ev_client[1]), "Twitter Web App"));
    /* Lists: p1 has none; p2 has 2 hashtags, url, domain, mention, image,
     * likes 5 and replies 7 (retweets 0 and unknown quotes are not stored). */
    CHECK_EQ_INT(s->ev_list[0], 0);
    CHECK_EQ_INT(s->ev_list[1], 0);
    CHECK_EQ_INT(s->ev_list[2], 8);
    CHECK_EQ_INT(s->n_list, 8);
    if (s->n_list == 8) {
        int types[8] = { LS_LI_HASHTAG, LS_LI_HASHTAG, LS_LI_URL, LS_LI_DOMAIN, LS_LI_MENTION,
                         LS_LI_IMAGE, LS_LI_LIKES, LS_LI_REPLIES };
        for (int i = 0; i < 8; i++) CHECK_EQ_INT(s->li_type[i], types[i]);
        CHECK(str_is(&s->ns[LS_NS_HASHTAG], s->li_id[0], "hongkong"));
        CHECK(str_is(&s->ns[LS_NS_HASHTAG], s->li_id[1], "香港"));
        CHECK(str_is(&s->ns[LS_NS_URL], s->li_id[2], "https://example.com/a"));
        CHECK(str_is(&s->ns[LS_NS_DOMAIN], s->li_id[3], "example.com"));
        CHECK(str_is(&s->ns[LS_NS_ACCOUNT], s->li_id[4], "u9"));
        CHECK(str_is(&s->ns[LS_NS_IMAGE], s->li_id[5], "img1"));
        CHECK_EQ_INT(s->li_id[6], 5);
        CHECK_EQ_INT(s->li_id[7], 7);
    }
    /* Accounts: u1, u2, u3, u9 in first-seen order. */
    CHECK_EQ_INT(s->ns[LS_NS_ACCOUNT].n, 4);
    uint32_t u1 = ls__strtab_find(&s->ns[LS_NS_ACCOUNT], LS__S("u1"));
    uint32_t u2 = ls__strtab_find(&s->ns[LS_NS_ACCOUNT], LS__S("u2"));
    uint32_t u9 = ls__strtab_find(&s->ns[LS_NS_ACCOUNT], LS__S("u9"));
    CHECK_EQ_INT(u1, 0);
    CHECK_EQ_INT(u2, 1);
    CHECK_EQ_INT(u9, 3);
    CHECK_EQ_INT(ls__strtab_find(&s->ns[LS_NS_ACCOUNT], LS__S("nobody")), LS__NONE);
    CHECK_EQ_INT(ls__strtab_find(&s->ns[LS_NS_ACCOUNT], LS__S("u")), LS__NONE);
    CHECK(str_is(&s->ns[LS_NS_NAME], s->acc_screen[0], "alice"));
    CHECK(str_is(&s->ns[LS_NS_NAME], s->acc_display[0], "Alice A"));
    CHECK_EQ_INT(s->acc_created[0], 12345);
    CHECK_EQ_INT(s->acc_followers[0], 100);
    CHECK_EQ_INT(s->acc_following[0], 50);
    CHECK(ls__str_eqc(ls__strtab_get(&s->ns[LS_NS_LANG], s->acc_lang[0]), "zh-cn"));
    CHECK(str_is(&s->ns[LS_NS_MISC], s->acc_location[0], "HK"));
    CHECK(str_is(&s->ns[LS_NS_MISC], s->acc_description[0], "desc"));
    CHECK(str_is(&s->ns[LS_NS_MISC], s->acc_url[0], "http://alice.example"));
    CHECK(str_is(&s->ns[LS_NS_NAME], s->acc_screen[1], "bob"));
    CHECK_EQ_INT(s->acc_followers[1], 7);
    CHECK_EQ_INT(s->acc_following[1], -1);
    CHECK_EQ_INT(s->acc_created[1], LS__TIME_NONE);
    CHECK_EQ_INT(s->acc_screen[3], LS__NONE);
    CHECK_EQ_INT(s->acc_lang[3], 0xFFFF);
    CHECK_EQ_INT(s->rows_read, 3);
    CHECK_EQ_INT(s->n_inputs, 1);
    CHECK_EQ_INT(s->diag.count[LS_DIAG_BAD_UTF8], 1);
    CHECK_EQ_STR(s->diag.example[LS_DIAG_BAD_UTF8][0], "in.csv:4: field 3");
    CHECK_EQ_INT(s->diag.example[LS_DIAG_BAD_UTF8][1][0], 0);
done:
    ls_store_close(s);
    CHECK_EQ_INT(has_tmp(), 0);
    ls_ctx_free(ctx);
}

TEST(info_json)
{
    ls_ctx *ctx;
    ls_store *s = NULL;
    char *buf = NULL;
    size_t n = 0;
    ls_ctx_new(&ctx);
    const char *p = path_in("info.lss");
    CHECK_EQ_INT(build_basic(ctx, p), LS_OK);
    CHECK_EQ_INT(ls_store_open(ctx, p, &s), LS_OK);
    FILE *f = open_memstream(&buf, &n);
    CHECK_EQ_INT(ls_store_info(ctx, s, f, 1), LS_OK);
    fclose(f);
    const char *want =
        "{\n"
        "  \"accounts\": 4,\n"
        "  \"posts\": 2,\n"
        "  \"tweets\": 1,\n"
        "  \"retweets\": 0,\n"
        "  \"quotes\": 1,\n"
        "  \"replies\": 0,\n"
        "  \"hashtags\": 2,\n"
        "  \"urls\": 1,\n"
        "  \"domains\": 1,\n"
        "  \"texts\": 2,\n"
        "  \"images\": 1,\n"
        "  \"mentions\": 1,\n"
        "  \"time_range\": {\"first\": \"1970-01-01T00:00:01Z\", \"last\": \"1970-01-01T00:00:02Z\"},\n"
        "  \"languages\": {\"en\": 1, \"zh\": 1},\n"
        "  \"clients\": 1,\n"
        "  \"rows_read\": 3,\n"
        "  \"inputs\": 1,\n"
        "  \"rejected\": 0,\n"
        "  \"repaired\": 1,\n"
        "  \"skipped\": 0,\n"
        "  \"reasons\": {\n"
        "    \"bad_utf8\": {\"kind\": \"repaired\", \"count\": 1, \"examples\": [\"in.csv:4: field 3\"]}\n"
        "  }\n"
        "}\n";
    CHECK_EQ_STR(buf, want);
    free(buf);
    ls_store_close(s);
    ls_ctx_free(ctx);
}

TEST(duplicates)
{
    ls_ctx *ctx;
    ls__builder *b;
    ls_store *s = NULL;
    ls__rec r;
    ls_ctx_new(&ctx);
    ls__builder_new(ctx, &b);
    for (int i = 0; i < 3; i++) {
        ls__rec_clear(&r);
        r.post_id = i == 1 ? LS__S("x2") : LS__S("x1");
        r.account_id = LS__S("a");
        r.time_ms = 10 * i;
        r.text = i == 2 ? LS__S("second copy") : LS__S("t");
        CHECK_EQ_INT(ls__builder_add_post(b, &r, "d.jsonl", (uint64_t)i + 1), LS_OK);
    }
    /* A post that was only referenced before is not a duplicate. */
    ls__rec_clear(&r);
    r.post_id = LS__S("x3"); r.account_id = LS__S("a"); r.time_ms = 5; r.kind = LS_KIND_RETWEET;
    r.ref_post = LS__S("x4");
    CHECK_EQ_INT(ls__builder_add_post(b, &r, "d.jsonl", 4), LS_OK);
    ls__rec_clear(&r);
    r.post_id = LS__S("x4"); r.account_id = LS__S("b"); r.time_ms = 1;
    CHECK_EQ_INT(ls__builder_add_post(b, &r, "d.jsonl", 5), LS_OK);
    /* Missing ids are rejected, not stored. */
    ls__rec_clear(&r);
    r.account_id = LS__S("b"); r.time_ms = 1;
    CHECK_EQ_INT(ls__builder_add_post(b, &r, "d.jsonl", 6), LS_OK);
    CHECK_EQ_INT(ls__builder_write(b, path_in("dup.lss")), LS_OK);
    ls__builder_free(b);
    CHECK_EQ_INT(ls_store_open(ctx, path_in("dup.lss"), &s), LS_OK);
    if (s) {
        CHECK_EQ_INT(s->n_events, 4);
        CHECK_EQ_INT(s->diag.count[LS_DIAG_DUPLICATE], 1);
        CHECK_EQ_STR(s->diag.example[LS_DIAG_DUPLICATE][0], "d.jsonl:3: post id x1 seen before");
        CHECK_EQ_INT(s->diag.count[LS_DIAG_MISSING_ID], 1);
        CHECK_EQ_STR(s->diag.example[LS_DIAG_MISSING_ID][0], "d.jsonl:6: no post id");
        /* The first x1 (text "t") won; the copy's text is interned (a
         * duplicate's strings are, docs/store.md) but no event has it. */
        CHECK_EQ_INT(s->ns[LS_NS_TEXT].n, 2);
        for (uint64_t i = 0; i < s->n_events; i++) CHECK(s->ev_text[i] != 1);
        /* Order by time: x4 (1), x3 (5), x1 (0)... x1 has time 0: x1, x4, x3, x2. */
        CHECK(str_is(&s->ns[LS_NS_POST], s->ev_post[0], "x1"));
        CHECK(str_is(&s->ns[LS_NS_POST], s->ev_post[1], "x4"));
        CHECK(str_is(&s->ns[LS_NS_POST], s->ev_post[2], "x3"));
        CHECK(str_is(&s->ns[LS_NS_POST], s->ev_post[3], "x2"));
    }
    ls_store_close(s);
    ls_ctx_free(ctx);
}

/* Equal times order by dense post id (first-seen order), and negative
 * times sort before positive ones. */
TEST(sort_order)
{
    ls_ctx *ctx;
    ls__builder *b;
    ls_store *s = NULL;
    ls__rec r;
    const char *ids[] = { "c", "a", "b", "d", "e" };
    int64_t times[] = { 7, 7, -3, 1LL << 40, 7 };
    ls_ctx_new(&ctx);
    ls__builder_new(ctx, &b);
    for (int i = 0; i < 5; i++) {
        ls__rec_clear(&r);
        r.post_id = ls__str_c(ids[i]);
        r.account_id = LS__S("a");
        r.time_ms = times[i];
        ls__builder_add_post(b, &r, "f", 1);
    }
    CHECK_EQ_INT(ls__builder_write(b, path_in("sort.lss")), LS_OK);
    ls__builder_free(b);
    CHECK_EQ_INT(ls_store_open(ctx, path_in("sort.lss"), &s), LS_OK);
    if (s) {
        const char *want[] = { "b", "c", "a", "e", "d" };
        for (int i = 0; i < 5; i++) CHECK(str_is(&s->ns[LS_NS_POST], s->ev_post[i], want[i]));
        CHECK_EQ_INT(s->ev_time[0], -3);
        CHECK_EQ_INT(s->ev_time[4], 1LL << 40);
    }
    ls_store_close(s);
    ls_ctx_free(ctx);
}

static int add_rt(ls__builder *b, const char *id, const char *author, const char *rt_name, int64_t t)
{
    ls__rec r;
    ls__rec_clear(&r);
    r.post_id = ls__str_c(id);
    r.account_id = ls__str_c(author);
    r.kind = LS_KIND_RETWEET;
    r.time_ms = t;
    r.ref_screen_name = ls__str_c(rt_name);
    return ls__builder_add_post(b, &r, "rt.csv", 1);
}

TEST(rt_name_resolution)
{
    ls_ctx *ctx;
    ls__builder *b;
    ls_store *s = NULL;
    ls__acct a;
    ls_ctx_new(&ctx);
    ls__builder_new(ctx, &b);
    CHECK_EQ_INT(add_rt(b, "r1", "u1", "Carol", 1), LS_OK);   /* known later, other case */
    CHECK_EQ_INT(add_rt(b, "r2", "u1", "Dave", 2), LS_OK);    /* never known */
    CHECK_EQ_INT(add_rt(b, "r3", "u2", "dave", 3), LS_OK);
    ls__acct_clear(&a);
    a.account_id = LS__S("1234");
    a.screen_name = LS__S("carol");
    ls__builder_add_account(b, &a);
    CHECK_EQ_INT(ls__builder_write(b, path_in("rt.lss")), LS_OK);
    ls__builder_free(b);
    CHECK_EQ_INT(ls_store_open(ctx, path_in("rt.lss"), &s), LS_OK);
    if (s) {
        CHECK(str_is(&s->ns[LS_NS_ACCOUNT], s->ev_ref_account[0], "1234"));
        CHECK(str_is(&s->ns[LS_NS_ACCOUNT], s->ev_ref_account[1], "@dave"));
        CHECK(str_is(&s->ns[LS_NS_ACCOUNT], s->ev_ref_account[2], "@dave"));
        uint32_t d = s->ev_ref_account[1];
        if (d < s->ns[LS_NS_ACCOUNT].n) CHECK(str_is(&s->ns[LS_NS_NAME], s->acc_screen[d], "Dave"));
        CHECK_EQ_INT(s->ns[LS_NS_ACCOUNT].n, 4);  /* u1 u2 1234 @dave */
    }
    ls_store_close(s);

    /* Append: dave's real account arrives; old events move to it. */
    ls__builder_new(ctx, &b);
    CHECK_EQ_INT(ls__builder_load(b, path_in("rt.lss")), LS_OK);
    ls__acct_clear(&a);
    a.account_id = LS__S("999");
    a.screen_name = LS__S("DAVE");
    ls__builder_add_account(b, &a);
    CHECK_EQ_INT(ls__builder_write(b, path_in("rt.lss")), LS_OK);
    ls__builder_free(b);
    CHECK_EQ_INT(ls_store_open(ctx, path_in("rt.lss"), &s), LS_OK);
    if (s) {
        CHECK(str_is(&s->ns[LS_NS_ACCOUNT], s->ev_ref_account[0], "1234"));
        CHECK(str_is(&s->ns[LS_NS_ACCOUNT], s->ev_ref_account[1], "999"));
        CHECK(str_is(&s->ns[LS_NS_ACCOUNT], s->ev_ref_account[2], "999"));
    }
    ls_store_close(s);
    ls_ctx_free(ctx);
}

TEST(append)
{
    ls_ctx *ctx;
    ls__builder *b;
    ls_store *s = NULL;
    ls__rec r;
    ls_ctx_new(&ctx);
    const char *p = path_in("app.lss");
    CHECK_EQ_INT(build_basic(ctx, p), LS_OK);
    ls__builder_new(ctx, &b);
    CHECK_EQ_INT(ls__builder_load(b, p), LS_OK);
    ls__rec_clear(&r);
    r.post_id = LS__S("p3"); r.account_id = LS__S("u1"); r.time_ms = 1500;
    r.text = LS__S("first");   /* same text as p1: interned once */
    ls__str tags[] = { LS__S("hongkong"), LS__S("new") };
    r.hashtags = tags; r.n_hashtags = 2;
    CHECK_EQ_INT(ls__builder_add_post(b, &r, "more.csv", 2), LS_OK);
    ls__rec_clear(&r);
    r.post_id = LS__S("p1"); r.account_id = LS__S("u1"); r.time_ms = 1;
    CHECK_EQ_INT(ls__builder_add_post(b, &r, "more.csv", 3), LS_OK);  /* duplicate */
    ls__builder_count_rows(b, 2);
    ls__builder_count_input(b);
    ls__builder_diag(b, LS_DIAG_BAD_UTF8, "more.csv", 9, "again");
    CHECK_EQ_INT(ls__builder_write(b, p), LS_OK);
    ls__builder_free(b);
    CHECK_EQ_INT(ls_store_open(ctx, p, &s), LS_OK);
    if (s) {
        CHECK_EQ_INT(s->n_events, 3);
        CHECK(str_is(&s->ns[LS_NS_POST], s->ev_post[0], "p1"));
        CHECK(str_is(&s->ns[LS_NS_POST], s->ev_post[1], "p3"));
        CHECK(str_is(&s->ns[LS_NS_POST], s->ev_post[2], "p2"));
        CHECK_EQ_INT(s->ev_text[0], s->ev_text[1]);
        CHECK_EQ_INT(s->ns[LS_NS_HASHTAG].n, 3);
        CHECK_EQ_INT(s->ev_list[1], 0);
        CHECK_EQ_INT(s->ev_list[2], 2);
        CHECK_EQ_INT(s->ev_list[3], 10);
        CHECK(str_is(&s->ns[LS_NS_HASHTAG], s->li_id[1], "new"));
        CHECK(str_is(&s->ns[LS_NS_HASHTAG], s->li_id[2], "hongkong"));
        CHECK_EQ_INT(s->rows_read, 5);
        CHECK_EQ_INT(s->n_inputs, 2);
        CHECK_EQ_INT(s->diag.count[LS_DIAG_BAD_UTF8], 2);
        CHECK_EQ_INT(s->diag.count[LS_DIAG_DUPLICATE], 1);
        CHECK_EQ_STR(s->diag.example[LS_DIAG_BAD_UTF8][1], "more.csv:9: again");
        /* Profiles survive the reload. */
        CHECK(str_is(&s->ns[LS_NS_NAME], s->acc_screen[1], "bob"));
        CHECK_EQ_INT(s->acc_followers[0], 100);
    }
    ls_store_close(s);
    CHECK_EQ_INT(has_tmp(), 0);
    ls_ctx_free(ctx);
}

static int read_file(const char *p, unsigned char **out, size_t *n)
{
    FILE *f = fopen(p, "rb");
    if (!f) return -1;
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    *out = malloc(*n ? *n : 1);
    size_t got = fread(*out, 1, *n, f);
    fclose(f);
    return got == *n ? 0 : -1;
}

static void write_file(const char *p, const void *d, size_t n)
{
    FILE *f = fopen(p, "wb");
    fwrite(d, 1, n, f);
    fclose(f);
}

TEST(damaged_files)
{
    ls_ctx *ctx;
    ls_store *s = NULL;
    unsigned char *d = NULL;
    size_t n = 0;
    ls_ctx_new(&ctx);
    const char *p = path_in("good.lss"), *q = path_in("bad.lss");
    CHECK_EQ_INT(build_basic(ctx, p), LS_OK);
    CHECK_EQ_INT(read_file(p, &d, &n), 0);
    CHECK(n % 64 == 0);
    CHECK(n > 1000);
    if (n < 1000) { free(d); ls_ctx_free(ctx); return; }

    /* A flipped byte in the middle, at the end, in the section table. */
    size_t spots[] = { n / 2, n - 1, 40, 33 };
    for (size_t k = 0; k < sizeof spots / sizeof spots[0]; k++) {
        d[spots[k]] ^= 0x10;
        write_file(q, d, n);
        d[spots[k]] ^= 0x10;
        CHECK_EQ_INT(ls_store_open(ctx, q, &s), LS_ERR_CORRUPT);
        CHECK(strstr(ls_ctx_message(ctx), "bad.lss") != NULL);
        CHECK(s == NULL);
    }
    CHECK(strstr(ls_ctx_message(ctx), "checksum") != NULL);
    /* Without verification a flipped data byte goes unnoticed... */
    d[n / 2] ^= 0x10;
    write_file(q, d, n);
    d[n / 2] ^= 0x10;
    CHECK_EQ_INT(ls__store_open_flags(ctx, q, LS_STORE_NOVERIFY, &s), LS_OK);
    ls_store_close(s);
    s = NULL;
    /* ...but a wrong checksum field is caught when verifying. */
    d[24] ^= 1;
    write_file(q, d, n);
    d[24] ^= 1;
    CHECK_EQ_INT(ls_store_open(ctx, q, &s), LS_ERR_CORRUPT);

    /* Truncated: at a section boundary, mid-header, nearly empty. */
    write_file(q, d, n - 64);
    CHECK_EQ_INT(ls_store_open(ctx, q, &s), LS_ERR_CORRUPT);
    CHECK(strstr(ls_ctx_message(ctx), "truncated") != NULL);
    write_file(q, d, 20);
    CHECK_EQ_INT(ls_store_open(ctx, q, &s), LS_ERR_CORRUPT);
    write_file(q, d, 0);
    CHECK_EQ_INT(ls_store_open(ctx, q, &s), LS_ERR_FORMAT);

    /* Not a store, another version. */
    write_file(q, "tweetid,userid\n1,2\n3,4\n5,6\n7,8\n9,10\n", 36);
    CHECK_EQ_INT(ls_store_open(ctx, q, &s), LS_ERR_FORMAT);
    CHECK(strstr(ls_ctx_message(ctx), "not a lockstep event store") != NULL);
    d[8] = 99;
    write_file(q, d, n);
    CHECK_EQ_INT(ls_store_open(ctx, q, &s), LS_ERR_FORMAT);
    CHECK(strstr(ls_ctx_message(ctx), "version 99") != NULL);
    CHECK_EQ_INT(ls_store_open(ctx, path_in("missing.lss"), &s), LS_ERR_IO);
    CHECK_EQ_INT(ls_store_open(ctx, dir, &s), LS_ERR_FORMAT);
    free(d);
    ls_ctx_free(ctx);
}

TEST(write_errors)
{
    ls_ctx *ctx;
    ls_ctx_new(&ctx);
    int before = count_files();
    /* A folder that does not exist: nothing is created. */
    CHECK_EQ_INT(build_basic(ctx, path_in("nodir/x.lss")), LS_ERR_IO);
    CHECK_EQ_INT(count_files(), before);
    /* Append to something that is not a store. */
    ls__builder *b;
    write_file(path_in("junk.lss"), "junk", 4);
    ls__builder_new(ctx, &b);
    CHECK_EQ_INT(ls__builder_load(b, path_in("junk.lss")), LS_ERR_FORMAT);
    ls__builder_free(b);
    /* A full disk: /dev/full fails every write; the rename never happens,
     * so no store appears under the final name. */
    if (access("/dev/full", W_OK) == 0) {
        ls__afile af;
        CHECK_EQ_INT(ls__afile_open(ctx, &af, path_in("full.lss")), LS_OK);
        FILE *full = fopen("/dev/full", "wb");
        if (full) {
            fclose(af.f);
            af.f = full;
            fputs("data", af.f);
            CHECK_EQ_INT(ls__afile_commit(ctx, &af), LS_ERR_IO);
            CHECK(access(path_in("full.lss"), F_OK) != 0);
            CHECK(strstr(ls_ctx_message(ctx), "No space left") != NULL);
        } else {
            ls__afile_abort(&af);
        }
    }
    CHECK_EQ_INT(has_tmp(), 0);
    ls_ctx_free(ctx);
}

TEST(empty_store)
{
    ls_ctx *ctx;
    ls__builder *b;
    ls_store *s = NULL;
    ls_ctx_new(&ctx);
    ls__builder_new(ctx, &b);
    CHECK_EQ_INT(ls__builder_write(b, path_in("empty.lss")), LS_OK);
    ls__builder_free(b);
    CHECK_EQ_INT(ls_store_open(ctx, path_in("empty.lss"), &s), LS_OK);
    if (s) {
        CHECK_EQ_INT(s->n_events, 0);
        CHECK_EQ_INT(s->ev_list[0], 0);
        CHECK_EQ_INT(s->ns[LS_NS_ACCOUNT].n, 0);
        CHECK_EQ_INT(ls__strtab_find(&s->ns[LS_NS_ACCOUNT], LS__S("x")), LS__NONE);
    }
    ls_store_close(s);
    /* An empty store can be appended to. */
    ls__builder_new(ctx, &b);
    CHECK_EQ_INT(ls__builder_load(b, path_in("empty.lss")), LS_OK);
    ls__builder_free(b);
    ls_ctx_free(ctx);
}

/* Many events in random order come out sorted, lists follow their event. */
TEST(many_events)
{
    ls_ctx *ctx;
    ls__builder *b;
    ls_store *s = NULL;
    ls__rec r;
    char id[32], tag[32];
    uint64_t x = 88172645463325252ull;
    const int N = 20000;
    ls_ctx_new(&ctx);
    ls__builder_new(ctx, &b);
    for (int i = 0; i < N; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        snprintf(id, sizeof id, "%d", i);
        snprintf(tag, sizeof tag, "t%d", i % 97);
        ls__str tags[1] = { ls__str_c(tag) };
        ls__rec_clear(&r);
        r.post_id = ls__str_c(id);
        r.account_id = LS__S("a");
        r.time_ms = (int64_t)(x % 100000) * 1000 + (i % 1000);
        r.hashtags = tags;
        r.n_hashtags = (size_t)(i % 2);
        ls__builder_add_post(b, &r, "f", 1);
    }
    CHECK_EQ_INT(ls__builder_write(b, path_in("many.lss")), LS_OK);
    ls__builder_free(b);
    CHECK_EQ_INT(ls_store_open(ctx, path_in("many.lss"), &s), LS_OK);
    if (s) {
        int ok = 1;
        CHECK_EQ_INT(s->n_events, N);
        for (uint64_t i = 1; i < s->n_events; i++)
            if (s->ev_time[i - 1] > s->ev_time[i] ||
                (s->ev_time[i - 1] == s->ev_time[i] && s->ev_post[i - 1] >= s->ev_post[i])) ok = 0;
        for (uint64_t i = 0; i < s->n_events; i++) {
            ls__str p = ls__strtab_get(&s->ns[LS_NS_POST], s->ev_post[i]);
            char tmp[32];
            memcpy(tmp, p.p, p.n);
            tmp[p.n] = 0;
            int num = atoi(tmp);
            uint32_t k = s->ev_list[i + 1] - s->ev_list[i];
            if ((int)k != num % 2) ok = 0;
            if (k) {
                snprintf(tag, sizeof tag, "t%d", num % 97);
                if (!str_is(&s->ns[LS_NS_HASHTAG], s->li_id[s->ev_list[i]], tag)) ok = 0;
            }
        }
        CHECK(ok);
        CHECK_EQ_INT(s->n_list, N / 2);
    }
    ls_store_close(s);
    ls_ctx_free(ctx);
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s/ls_test_store.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    RUN(round_trip);
    RUN(info_json);
    RUN(duplicates);
    RUN(sort_order);
    RUN(rt_name_resolution);
    RUN(append);
    RUN(damaged_files);
    RUN(write_errors);
    RUN(empty_store);
    RUN(many_events);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) return 1;
    TEST_END();
}
