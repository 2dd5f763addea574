/*
 * test_env.c — the parse environment between parsers and the builder:
 * hashtag normalisation (leading '#'/'＃' dropped, NFKC + casefold), URL
 * normalisation and distinct domains (parser-given domains kept), strict
 * mode (first problem is an error naming file:line; rt_author_recovered
 * exempt; duplicates are errors), and the builder-less mode fuzzers use.
 */
#include "test.h"
#include "ingest/ingest.h"

#include <stdlib.h>
#include <unistd.h>

static char path[512];

static int str_is(const ls__strtab *t, uint32_t id, const char *want)
{
    return id != LS__NONE && id < t->n && ls__str_eqc(ls__strtab_get(t, id), want);
}

TEST(normalise)
{
    ls_ctx *ctx;
    ls__env e;
    ls_store *s = NULL;
    ls__rec r;
    ls_ctx_new(&ctx);
    memset(&e, 0, sizeof e);
    e.ctx = ctx;
    e.file = "n.csv";
    ls__builder_new(ctx, &e.b);
    ls__str tags[] = { LS__S("#HongKong"), LS__S("＃ＨＫ"), LS__S("ÉTÉ"), LS__S("##"), LS__S("Straße") };
    ls__str urls[] = { LS__S("HTTPS://WWW.Example.COM/a?utm_source=x&id=1#frag"),
                       LS__S("http://example.com:80/b/"), LS__S("  "), LS__S("t.co/xyz") };
    ls__str doms[] = { LS__S("given.org"), LS__S("example.com") };
    ls__rec_clear(&r);
    r.post_id = LS__S("1");
    r.account_id = LS__S("a");
    r.time_ms = 5;
    r.hashtags = tags; r.n_hashtags = 5;
    r.urls = urls; r.n_urls = 4;
    r.domains = doms; r.n_domains = 2;
    CHECK_EQ_INT(ls__env_post(&e, &r, 2), LS_OK);
    char p[600];
    snprintf(p, sizeof p, "%s/env.lss", path);
    CHECK_EQ_INT(ls__builder_write(e.b, p), LS_OK);
    CHECK_EQ_INT(ls_store_open(ctx, p, &s), LS_OK);
    if (s) {
        const ls__strtab *h = &s->ns[LS_NS_HASHTAG], *u = &s->ns[LS_NS_URL], *d = &s->ns[LS_NS_DOMAIN];
        /* "##" normalises to nothing and is dropped; "ß" casefolds to "ss". */
        CHECK_EQ_INT(h->n, 4);
        CHECK(str_is(h, 0, "hongkong"));
        CHECK(str_is(h, 1, "hk"));
        CHECK(str_is(h, 2, "été"));
        CHECK(str_is(h, 3, "strasse"));
        CHECK_EQ_INT(u->n, 3);
        CHECK(str_is(u, 0, "https://www.example.com/a?id=1"));
        CHECK(str_is(u, 1, "http://example.com/b"));
        CHECK(str_is(u, 2, "t.co/xyz"));
        /* given.org, example.com (given, and the host of both URLs) once. */
        CHECK_EQ_INT(d->n, 2);
        CHECK(str_is(d, 0, "given.org"));
        CHECK(str_is(d, 1, "example.com"));
        CHECK_EQ_INT(s->n_list, 4 + 3 + 2);
    }
    ls_store_close(s);
    ls__builder_free(e.b);
    ls__buf_free(&e.scratch);
    ls_ctx_free(ctx);
}

TEST(strict_mode)
{
    ls_ctx *ctx;
    ls__env e;
    ls__rec r;
    ls_ctx_new(&ctx);
    memset(&e, 0, sizeof e);
    e.ctx = ctx;
    e.file = "s.csv";
    ls__builder_new(ctx, &e.b);
    /* Lenient: counted, LS_OK. */
    CHECK_EQ_INT(ls__env_diag(&e, LS_DIAG_BAD_UTF8, 3, "field %d", 7), LS_OK);
    CHECK_EQ_INT(ls__builder_diag_table(e.b)->count[LS_DIAG_BAD_UTF8], 1);
    CHECK_EQ_STR(ls__builder_diag_table(e.b)->example[LS_DIAG_BAD_UTF8][0], "s.csv:3: field 7");
    e.strict = 1;
    CHECK_EQ_INT(ls__env_diag(&e, LS_DIAG_COLUMNS, 9, "3 columns, the header has 31"), LS_ERR_PARSE);
    CHECK_EQ_STR(ls_ctx_message(ctx), "s.csv:9: wrong number of columns: 3 columns, the header has 31");
    CHECK_EQ_INT(ls__env_diag(&e, LS_DIAG_RT_RECOVERED, 10, "retweet of @x"), LS_OK);
    ls__rec_clear(&r);
    r.post_id = LS__S("p"); r.account_id = LS__S("a"); r.time_ms = 1;
    CHECK_EQ_INT(ls__env_post(&e, &r, 11), LS_OK);
    CHECK_EQ_INT(ls__env_post(&e, &r, 12), LS_ERR_PARSE);
    CHECK_EQ_STR(ls_ctx_message(ctx), "s.csv:12: duplicate post id skipped: post id p");
    r.post_id = LS__S("");
    CHECK_EQ_INT(ls__env_post(&e, &r, 13), LS_ERR_PARSE);
    CHECK(strstr(ls_ctx_message(ctx), "s.csv:13: missing post or account id") != NULL);
    ls__builder_free(e.b);
    ls__buf_free(&e.scratch);
    ls_ctx_free(ctx);
}

/* Without a builder (fuzz targets) everything is checked, nothing kept. */
TEST(no_builder)
{
    ls__env e;
    ls__rec r;
    ls__acct a;
    memset(&e, 0, sizeof e);
    ls__str tags[70];
    for (int i = 0; i < 70; i++) tags[i] = i % 2 ? LS__S("#Ａｂｃ") : LS__S("x");
    ls__str bad[] = { { "\xff\xfe#", 3 } };
    ls__rec_clear(&r);
    r.post_id = LS__S("1");
    r.hashtags = tags; r.n_hashtags = 70;   /* more than the on-stack arrays */
    CHECK_EQ_INT(ls__env_post(&e, &r, 1), LS_OK);
    r.hashtags = bad; r.n_hashtags = 1;     /* invalid UTF-8 is kept as is */
    CHECK_EQ_INT(ls__env_post(&e, &r, 2), LS_OK);
    ls__acct_clear(&a);
    CHECK_EQ_INT(ls__env_account(&e, &a), LS_OK);
    CHECK_EQ_INT(ls__env_diag(&e, LS_DIAG_BAD_LIST, 3, "x"), LS_OK);
    ls__buf_free(&e.scratch);
}

int main(void)
{
    snprintf(path, sizeof path, "%s/ls_test_env.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(path)) { perror("mkdtemp"); return 1; }
    RUN(normalise);
    RUN(strict_mode);
    RUN(no_builder);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0) return 1;
    TEST_END();
}
