/*
 * test_freeze.c — pools that freeze at a memory budget (pool.c) and the
 * builder's resolution of the strings they did not hold
 * (builder_freeze.c): a frozen pool keeps its ids and gives LS__PROV for
 * the rest; a builder whose post, text and URL pools froze writes the same
 * store as one whose pools never did, with duplicates found at write time
 * dropped and reported in row order; a spill folder that cannot be
 * written is a clean LS_ERR_IO.
 */
#include "test.h"
#include "store/builder.h"

#include <stdlib.h>
#include <unistd.h>

#include "readfile.h"
#include "tmpdir.h"

TEST(pool_freezes_at_its_budget)
{
    ls__pool p;
    char s[32];
    int bad = 0;
    ls__pool_init(&p);
    ls__pool_wide(&p);
    /* The first index (1,024 wide slots and their offsets) fits in 32
     * KiB, the doubled one does not: the pool takes 682 strings (2/3 of
     * the slots), then freezes. */
    ls__pool_freeze_at(&p, 32 << 10);
    for (int i = 0; i < 2000; i++) {
        uint32_t id = 0;
        int n = snprintf(s, sizeof s, "post-%d", i);
        if (ls__pool_put(&p, (ls__str){ s, (size_t)n }, &id) != LS_OK) bad++;
        if (i < 682 && id != (uint32_t)i) bad++;
        if (i >= 682 && id != LS__PROV) bad++;
    }
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(p.frozen, 1);
    CHECK_EQ_INT(p.n, 682);
    CHECK_EQ_INT(p.mask + 1, 1024);
    /* Held strings keep their ids; find works as before. */
    for (int i = 0; i < 682; i += 31) {
        uint32_t id = 0;
        int n = snprintf(s, sizeof s, "post-%d", i);
        ls__str str = { s, (size_t)n };
        if (ls__pool_put(&p, str, &id) != LS_OK || id != (uint32_t)i) bad++;
        if (ls__pool_find(&p, str) != (uint32_t)i) bad++;
    }
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(ls__pool_find(&p, LS__S("post-1999")), LS__NONE);
    /* A size hint past the budget makes no room. */
    CHECK_EQ_INT(ls__pool_reserve(&p, 100000, 0), LS_OK);
    CHECK_EQ_INT(p.mask + 1, 1024);
    ls__pool_free(&p);

    /* A budget below the smallest index: frozen before the first string. */
    ls__pool_init(&p);
    ls__pool_freeze_at(&p, 1);
    uint32_t id = 0;
    CHECK_EQ_INT(ls__pool_put(&p, LS__S("x"), &id), LS_OK);
    CHECK_EQ_INT(id, LS__PROV);
    CHECK_EQ_INT(p.n, 0);
    CHECK_EQ_INT(ls__pool_find(&p, LS__S("x")), LS__NONE);
    ls__pool_free(&p);
}

/* Post k of the stream: ids repeat (duplicates) and texts and URLs
 * repeat, so that some strings are held and some provisional. */
static void post(int k, ls__rec *r, char *id, char *text, char *url, ls__str *urls)
{
    int pid = k < 300 ? k : (k % 3 == 0 ? k - 250 : k % 3 == 1 ? k - 30 : k);
    ls__rec_clear(r);
    snprintf(id, 32, "%d", 1000000000 + pid);
    snprintf(text, 64, "a text that comes back every 97 posts: %d", k % 97);
    snprintf(url, 64, "https://example.org/%d", k % 211);
    r->post_id = (ls__str){ id, strlen(id) };
    r->account_id = k % 5 ? LS__S("acct-a") : LS__S("acct-b");
    r->text = (ls__str){ text, strlen(text) };
    urls[0] = (ls__str){ url, strlen(url) };
    r->urls = urls;
    r->n_urls = 1;
    r->time_ms = 1590969600000 + (int64_t)((k * 7919) % 1009) * 1000;
    r->kind = LS_KIND_TWEET;
}

static int build(const char *path, const char *freeze_at, int *dups)
{
    ls_ctx *ctx = NULL;
    ls__builder *b = NULL;
    ls__rec r;
    ls__str urls[1];
    char id[32], text[64], url[64];
    int st;
    if (freeze_at) setenv("LOCKSTEP_FREEZE_AT", freeze_at, 1);
    else unsetenv("LOCKSTEP_FREEZE_AT");
    if ((st = ls_ctx_new(&ctx)) || (st = ls__builder_new(ctx, &b))) goto done;
    unsetenv("LOCKSTEP_FREEZE_AT");
    ls__builder_set_spill_dir(b, dir);
    for (int k = 0; k < 1500 && st == LS_OK; k++) {
        post(k, &r, id, text, url, urls);
        st = ls__builder_add_post(b, &r, "f.csv", (uint64_t)k + 2);
    }
    if (st == LS_OK) st = ls__builder_write(b, path);
    *dups = (int)b->diag.count[LS_DIAG_DUPLICATE];
done:
    ls__builder_free(b);
    ls_ctx_free(ctx);
    return st;
}

TEST(frozen_builder_same_store)
{
    int d0 = -1, d1 = -1, d2 = -1;
    CHECK_EQ_INT(build(path_in("never.lss"), NULL, &d0), LS_OK);
    CHECK_EQ_INT(build(path_in("at_once.lss"), "1", &d1), LS_OK);
    /* 40,000 bytes: the post pool holds its first 682 ids (the first
     * index), then freezes: duplicates of held ids are found at once,
     * those of later ids at write time. */
    CHECK_EQ_INT(build(path_in("later.lss"), "40000", &d2), LS_OK);
    /* 1,500 posts; from k = 300 on, k % 3 == 0 takes the id k - 250,
     * an event by then (post k - 250's own, or, past 300, that of post
     * k - 250, whose k % 3 == 2 keeps its own): 400 duplicates; k % 3 ==
     * 1 takes id k - 30, an earlier post's for k < 330 (10 duplicates)
     * and a new one after; k % 3 == 2 keeps its own.  So 410 duplicates
     * and 1,090 events. */
    CHECK_EQ_INT(d0, 410);
    CHECK_EQ_INT(d1, 410);
    CHECK_EQ_INT(d2, 410);
    ls__buf s0 = { 0 }, s1 = { 0 }, s2 = { 0 };
    CHECK(read_file(path_in("never.lss"), &s0) == 0 && read_file(path_in("at_once.lss"), &s1) == 0 &&
          read_file(path_in("later.lss"), &s2) == 0 && s0.n > 0);
    CHECK(s1.n == s0.n && memcmp(s0.p, s1.p, s0.n) == 0);
    CHECK(s2.n == s0.n && memcmp(s0.p, s2.p, s0.n) == 0);
    ls__buf_free(&s0);
    ls__buf_free(&s1);
    ls__buf_free(&s2);
    ls_ctx *ctx = NULL;
    ls_store *s = NULL;
    CHECK_EQ_INT(ls_ctx_new(&ctx), LS_OK);
    CHECK_EQ_INT(ls_store_open(ctx, path_in("at_once.lss"), &s), LS_OK);
    if (s) {
        CHECK_EQ_INT(s->n_events, 1090);
        CHECK_EQ_INT(s->ns[LS_NS_TEXT].n, 97);
        CHECK_EQ_INT(s->ns[LS_NS_URL].n, 211);
        /* The first duplicate is post 300 (id of post 50), on line 302,
         * then post 301 (id of post 271); with the pools frozen from the
         * first string, both are found at write time. */
        CHECK_EQ_STR(s->diag.example[LS_DIAG_DUPLICATE][0], "f.csv:302: post id 1000000050 seen before");
        CHECK_EQ_STR(s->diag.example[LS_DIAG_DUPLICATE][1], "f.csv:303: post id 1000000271 seen before");
    }
    ls_store_close(s);
    ls_ctx_free(ctx);
    unlink(path_in("never.lss"));
    unlink(path_in("at_once.lss"));
    unlink(path_in("later.lss"));
}

TEST(unwritable_spill_folder)
{
    ls_ctx *ctx = NULL;
    ls__builder *b = NULL;
    ls__rec r;
    ls__str urls[1];
    char id[32], text[64], url[64];
    setenv("LOCKSTEP_FREEZE_AT", "1", 1);
    CHECK(ls_ctx_new(&ctx) == LS_OK);
    CHECK(ls__builder_new(ctx, &b) == LS_OK);
    unsetenv("LOCKSTEP_FREEZE_AT");
    if (b) {
        ls__builder_set_spill_dir(b, "/nonexistent-lockstep-dir");
        post(0, &r, id, text, url, urls);
        CHECK_EQ_INT(ls__builder_add_post(b, &r, "f.csv", 2), LS_ERR_IO);
        CHECK(strstr(ls_ctx_message(ctx), "/nonexistent-lockstep-dir") != NULL);
    }
    ls__builder_free(b);
    ls_ctx_free(ctx);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/ls_test_freeze_XXXXXX");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    RUN(pool_freezes_at_its_budget);
    RUN(frozen_builder_same_store);
    RUN(unwritable_spill_folder);
    rmdir(dir);
    TEST_END();
}
