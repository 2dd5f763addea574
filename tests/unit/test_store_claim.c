/*
 * test_store_claim.c — a post added in two steps (ls__builder_claim_post,
 * then ls__builder_add_claimed, as ingest's two threads do) gives the
 * same store, byte for byte, as ls__builder_add_post; the claim hands out
 * the first-seen ids of the post namespace and reports a
 * duplicate or a missing id instead of claiming.
 */
#include "test.h"
#include "store/store.h"

#include <stdlib.h>
#include <unistd.h>

#include "readfile.h"
#include "tmpdir.h"

enum { N_POSTS = 6 };

/* Post k of a small stream with a duplicate (k = 3 repeats post 1), a
 * row without an account id (k = 4) and references to posts seen and not
 * yet seen. */
static void post(int k, ls__rec *r)
{
    static const char *id[N_POSTS] = { "p1", "p2", "p3", "p2", "p5", "p6" };
    static const char *acc[N_POSTS] = { "a1", "a2", "a1", "a3", "", "a2" };
    static const char *ref[N_POSTS] = { "", "p1", "p9", "", "", "p1" };
    static const char *text[N_POSTS] = { "hello", "RT hello", "other", "copy", "lost", "RT hello" };
    static ls__str tags[] = { LS__S("tag") };
    ls__rec_clear(r);
    r->post_id = (ls__str){ id[k], strlen(id[k]) };
    r->account_id = (ls__str){ acc[k], strlen(acc[k]) };
    r->ref_post = (ls__str){ ref[k], strlen(ref[k]) };
    r->text = (ls__str){ text[k], strlen(text[k]) };
    r->kind = ref[k][0] ? LS_KIND_RETWEET : LS_KIND_TWEET;
    r->time_ms = 1000 * (int64_t)(N_POSTS - k);
    r->hashtags = tags;
    r->n_hashtags = k % 2;
}

/* Builds post k into r, hashes it into h and claims it. */
static int claim(ls__builder *b, ls_ctx *ctx, int k, ls__rec *r, uint64_t *h, ls__post_ids *ids)
{
    post(k, r);
    ls__builder_hash_post(r, h);
    return ls__builder_claim_post(b, ctx, r, h, ids);
}

TEST(claim_ids_and_skips)
{
    ls_ctx *ctx;
    ls__builder *b;
    ls__rec r;
    uint64_t h[64];
    ls__post_ids ids;
    ls_ctx_new(&ctx);
    ls__builder_new(ctx, &b);

    CHECK_EQ_INT(claim(b, ctx, 0, &r, h, &ids), LS_OK);
    CHECK_EQ_INT(ids.skip, 0);
    CHECK_EQ_INT(ids.post, 0);
    CHECK_EQ_INT(ids.ref_post, LS__NONE);   /* empty: no id */
    CHECK_EQ_INT(ls__builder_add_claimed(b, &r, h, &ids, "c.csv", 1), LS_OK);

    /* p2 retweets p1: p2 is post id 1, p1 keeps id 0. */
    CHECK_EQ_INT(claim(b, ctx, 1, &r, h, &ids), LS_OK);
    CHECK_EQ_INT(ids.skip, 0);
    CHECK_EQ_INT(ids.post, 1);
    CHECK_EQ_INT(ids.ref_post, 0);
    CHECK_EQ_INT(ls__builder_add_claimed(b, &r, h, &ids, "c.csv", 1), LS_OK);

    /* p3 shares p9, not seen yet: p3 gets 2, p9 gets 3. */
    CHECK_EQ_INT(claim(b, ctx, 2, &r, h, &ids), LS_OK);
    CHECK_EQ_INT(ids.post, 2);
    CHECK_EQ_INT(ids.ref_post, 3);
    CHECK_EQ_INT(ls__builder_add_claimed(b, &r, h, &ids, "c.csv", 1), LS_OK);

    /* p2 again: a duplicate, not skipped (add_claimed interns its
     * strings without an event: claim_same_store). */
    CHECK_EQ_INT(claim(b, ctx, 3, &r, h, &ids), LS_OK);
    CHECK_EQ_INT(ids.skip, 0);
    CHECK_EQ_INT(ids.dup, 1);
    CHECK_EQ_INT(ids.reason, LS_DIAG_DUPLICATE);
    CHECK_EQ_STR(ids.detail, "post id p2 seen before");

    /* No account id: nothing is interned, not even the post id. */
    CHECK_EQ_INT(claim(b, ctx, 4, &r, h, &ids), LS_OK);
    CHECK_EQ_INT(ids.skip, 1);
    CHECK_EQ_INT(ids.reason, LS_DIAG_MISSING_ID);
    CHECK_EQ_STR(ids.detail, "no account id");
    CHECK_EQ_INT(ids.post, LS__NONE);

    /* The next new post id is 4 (p5 was never interned); p1 is met
     * again as the shared post. */
    CHECK_EQ_INT(claim(b, ctx, 5, &r, h, &ids), LS_OK);
    CHECK_EQ_INT(ids.skip, 0);
    CHECK_EQ_INT(ids.post, 4);
    CHECK_EQ_INT(ids.ref_post, 0);
    ls__builder_free(b);
    ls_ctx_free(ctx);
}

/* The whole stream through add_post, and through claim + add_claimed with
 * the skipped posts reported by ls__builder_diag: the same bytes. */
TEST(claim_same_store)
{
    ls_ctx *ctx;
    ls__builder *b1, *b2;
    ls__rec r;
    uint64_t h[64];
    ls__post_ids ids;
    ls__buf s1 = { 0 }, s2 = { 0 };
    ls_ctx_new(&ctx);
    ls__builder_new(ctx, &b1);
    ls__builder_new(ctx, &b2);
    for (int k = 0; k < N_POSTS; k++) {
        post(k, &r);
        CHECK_EQ_INT(ls__builder_add_post(b1, &r, "c.csv", (uint64_t)k + 2), LS_OK);
        ls__builder_hash_post(&r, h);
        CHECK_EQ_INT(ls__builder_claim_post(b2, ctx, &r, h, &ids), LS_OK);
        if (ids.skip || ids.dup) ls__builder_diag(b2, ids.reason, "c.csv", (uint64_t)k + 2, ids.detail);
        if (!ids.skip) CHECK_EQ_INT(ls__builder_add_claimed(b2, &r, h, &ids, "c.csv", (uint64_t)k + 2), LS_OK);
    }
    CHECK_EQ_INT(ls__builder_write(b1, path_in("one.lss")), LS_OK);
    CHECK_EQ_INT(ls__builder_write(b2, path_in("two.lss")), LS_OK);
    ls__builder_free(b1);
    ls__builder_free(b2);
    CHECK_EQ_INT(read_file(path_in("one.lss"), &s1), 0);
    CHECK_EQ_INT(read_file(path_in("two.lss"), &s2), 0);
    CHECK(s1.n > 0 && s1.n == s2.n && memcmp(s1.p, s2.p, s1.n) == 0);
    ls_store *s = NULL;
    CHECK_EQ_INT(ls_store_open(ctx, path_in("two.lss"), &s), LS_OK);
    if (s) {
        CHECK_EQ_INT(s->n_events, 4);
        CHECK_EQ_INT(s->ns[LS_NS_POST].n, 5);      /* p1 p2 p3 p9 p6 */
        CHECK_EQ_INT(s->ns[LS_NS_TEXT].n, 4);      /* hello, RT hello, other, and the duplicate's copy */
        CHECK_EQ_INT(s->diag.count[LS_DIAG_DUPLICATE], 1);
        CHECK_EQ_STR(s->diag.example[LS_DIAG_DUPLICATE][0], "c.csv:5: post id p2 seen before");
        CHECK_EQ_INT(s->diag.count[LS_DIAG_MISSING_ID], 1);
        CHECK_EQ_STR(s->diag.example[LS_DIAG_MISSING_ID][0], "c.csv:6: no account id");
    }
    ls_store_close(s);
    ls__buf_free(&s1);
    ls__buf_free(&s2);
    unlink(path_in("one.lss"));
    unlink(path_in("two.lss"));
    ls_ctx_free(ctx);
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s/ls_test_claim.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    RUN(claim_ids_and_skips);
    RUN(claim_same_store);
    rmdir(dir);
    TEST_END();
}
