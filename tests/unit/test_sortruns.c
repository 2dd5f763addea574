/*
 * test_sortruns.c — the write-time order of events (src/store/builder_sort.c
 * and builder_runs.c): posts added out of time order (with ties in time)
 * are written in (time, post id) order whether they are sorted at once or
 * in runs of 1, 7 or 500 events (LOCKSTEP_SORT_RUN), with the columns in
 * RAM or spilled, giving the same bytes; events marked dropped (ev_drop)
 * are left out with their list entries, in one run, in several, and in
 * input already in order (the straight write), and what is read back is
 * exactly the kept events, in order, each with its own entries.
 */
#include "test.h"
#include "store/builder.h"

#include <stdlib.h>
#include <unistd.h>

#include "tmpdir.h"

#define N 3000
#define BASE_ID 100000
#define T0 1600000000000LL

/* The time of post k: shuffled (7919 is coprime to 1009, so every time
 * comes up about three times: ties broken by post id), or in order. */
static int64_t time_of(int k, int sorted)
{
    return T0 + (sorted ? k / 3 : (k * 7919) % 1009) * 1000LL;
}

/* Which posts a test drops: every fifth from the fourth on, the first,
 * the last and a block of 100 (several runs of 7 in a row). */
static int is_dropped(int k)
{
    return k % 5 == 3 || k == 0 || k == N - 1 || (k >= 1000 && k < 1100);
}

/* Post k: k % 4 hashtags "tag<(k + j) % 11>" and a like count of k + 1
 * (an LS_LI_LIKES entry whose id is the count). */
static int add(ls__builder *b, int k, int sorted)
{
    char post[32], acct[32], tag[4][16];
    ls__str tags[4];
    ls__rec r;
    ls__rec_clear(&r);
    snprintf(post, sizeof post, "%d", BASE_ID + k);
    snprintf(acct, sizeof acct, "a%d", k % 37);
    for (int j = 0; j < k % 4; j++) {
        snprintf(tag[j], sizeof tag[j], "tag%d", (k + j) % 11);
        tags[j] = ls__str_c(tag[j]);
    }
    r.post_id = ls__str_c(post);
    r.account_id = ls__str_c(acct);
    r.time_ms = time_of(k, sorted);
    r.hashtags = tags;
    r.n_hashtags = (size_t)(k % 4);
    r.likes = k + 1;
    return ls__builder_add_post(b, &r, "t.csv", (uint64_t)k + 1);
}

/* Builds the N posts, drops some if `drop`, writes path with
 * LOCKSTEP_SORT_RUN=run (NULL: unset) and spilling at `at` bytes. */
static int build(ls_ctx *ctx, int sorted, int drop, const char *run, size_t at, const char *path)
{
    ls__builder *b = NULL;
    int st = ls__builder_new(ctx, &b);
    if (st) return st;
    ls__builder_set_spill_dir(b, dir);
    ls__builder_spill_at(b, at);
    for (int k = 0; k < N && !st; k++) st = add(b, k, sorted);
    if (!st && drop) {
        if (!(b->ev_drop = ls__calloc((b->n_ev + 63) / 64, sizeof *b->ev_drop))) st = LS_ERR_NOMEM;
        for (size_t i = 0; !st && i < b->n_ev; i++)
            if (is_dropped((int)i)) {
                b->ev_drop[i >> 6] |= UINT64_C(1) << (i & 63);
                b->n_drop++;
            }
    }
    if (run) setenv("LOCKSTEP_SORT_RUN", run, 1);
    else unsetenv("LOCKSTEP_SORT_RUN");
    if (!st) st = ls__builder_write(b, path);
    unsetenv("LOCKSTEP_SORT_RUN");
    ls__builder_free(b);
    return st;
}

/* 1 if the files at a and b hold the same bytes. */
static int same_file(const char *a, const char *b)
{
    FILE *f[2] = { fopen(a, "rb"), fopen(b, "rb") };
    static char buf[2][65536];
    int same = f[0] && f[1];
    for (size_t n[2]; same;) {
        for (int i = 0; i < 2; i++) n[i] = fread(buf[i], 1, sizeof buf[i], f[i]);
        same = n[0] == n[1] && memcmp(buf[0], buf[1], n[0]) == 0;
        if (!n[0]) break;
    }
    for (int i = 0; i < 2; i++)
        if (f[i]) fclose(f[i]);
    return same;
}

/* Checks the store at path: exactly the kept posts (all if !drop), in
 * (time, post id) order, each with its time, its hashtags and its like
 * count, and nothing else in the list entries. */
static void check_store(ls_ctx *ctx, const char *path, int sorted, int drop)
{
    ls_store *s = NULL;
    static int seen[N];
    size_t kept = 0, entries = 0;
    int bad_id = 0, bad_order = 0, bad_time = 0, bad_list = 0, dup = 0;
    for (int k = 0; k < N; k++) {
        if (drop && is_dropped(k)) continue;
        kept++;
        entries += (size_t)(k % 4) + 1;
    }
    CHECK_EQ_INT(ls_store_open(ctx, path, &s), LS_OK);
    if (!s) return;
    CHECK_EQ_INT(s->n_events, kept);
    CHECK_EQ_INT(s->n_list, entries);
    CHECK_EQ_INT(s->ev_list[0], 0);
    CHECK_EQ_INT(s->ev_list[s->n_events], s->n_list);
    memset(seen, 0, sizeof seen);
    for (size_t i = 0; i < s->n_events; i++) {
        ls__str p = ls__strtab_get(&s->ns[LS_NS_POST], s->ev_post[i]);
        char num[32];
        snprintf(num, sizeof num, "%.*s", (int)p.n, p.p);
        int k = atoi(num) - BASE_ID;
        if (k < 0 || k >= N || (drop && is_dropped(k))) { bad_id++; continue; }
        if (seen[k]++) dup++;
        if (s->ev_time[i] != time_of(k, sorted)) bad_time++;
        if (i && (s->ev_time[i - 1] > s->ev_time[i] ||
                  (s->ev_time[i - 1] == s->ev_time[i] && s->ev_post[i - 1] >= s->ev_post[i])))
            bad_order++;
        uint32_t a = s->ev_list[i], e = s->ev_list[i + 1];
        if (e - a != (uint32_t)(k % 4) + 1) { bad_list++; continue; }
        for (int j = 0; j < k % 4; j++) {
            char want[16];
            snprintf(want, sizeof want, "tag%d", (k + j) % 11);
            ls__str t = ls__strtab_get(&s->ns[LS_NS_HASHTAG], s->li_id[a + (uint32_t)j]);
            if (s->li_type[a + (uint32_t)j] != LS_LI_HASHTAG || !ls__str_eq(t, ls__str_c(want))) bad_list++;
        }
        if (s->li_type[e - 1] != LS_LI_LIKES || s->li_id[e - 1] != (uint32_t)k + 1) bad_list++;
    }
    CHECK_EQ_INT(bad_id, 0);
    CHECK_EQ_INT(dup, 0);
    CHECK_EQ_INT(bad_time, 0);
    CHECK_EQ_INT(bad_order, 0);
    CHECK_EQ_INT(bad_list, 0);
    ls_store_close(s);
}

/* The same posts, every way of sorting and spilling: one store's bytes. */
static void check_all(int sorted, int drop)
{
    ls_ctx *ctx = NULL;
    static const char *runs[] = { "1", "7", "500", "2999" };
    char name[64];
    CHECK(ls_ctx_new(&ctx) == LS_OK);
    CHECK_EQ_INT(build(ctx, sorted, drop, NULL, 0, path_in("one.lss")), LS_OK);
    check_store(ctx, path_in("one.lss"), sorted, drop);
    for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
        for (int spill = 0; spill < 2; spill++) {
            snprintf(name, sizeof name, "run%s_%d.lss", runs[r], spill);
            CHECK_EQ_INT(build(ctx, sorted, drop, runs[r], spill ? 300 : 0, path_in(name)), LS_OK);
            if (!same_file(path_in("one.lss"), path_in(name))) {
                fprintf(stderr, "  %s differs (sorted %d, drop %d)\n", name, sorted, drop);
                CHECK(0);
                check_store(ctx, path_in(name), sorted, drop);
            }
            unlink(path_in(name));
        }
    }
    unlink(path_in("one.lss"));
    ls_ctx_free(ctx);
}

TEST(shuffled_all_kept) { check_all(0, 0); }
TEST(shuffled_with_drops) { check_all(0, 1); }
TEST(in_order_with_drops) { check_all(1, 1); }

/* Dropping changes the store: the bytes differ from the store of all
 * posts (the test above could not see a writer that ignores ev_drop
 * but still passes the counts). */
TEST(drops_change_the_store)
{
    ls_ctx *ctx = NULL;
    CHECK(ls_ctx_new(&ctx) == LS_OK);
    CHECK_EQ_INT(build(ctx, 0, 0, "7", 0, path_in("all.lss")), LS_OK);
    CHECK_EQ_INT(build(ctx, 0, 1, "7", 0, path_in("kept.lss")), LS_OK);
    CHECK(!same_file(path_in("all.lss"), path_in("kept.lss")));
    check_store(ctx, path_in("all.lss"), 0, 0);
    check_store(ctx, path_in("kept.lss"), 0, 1);
    unlink(path_in("all.lss"));
    unlink(path_in("kept.lss"));
    ls_ctx_free(ctx);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/ls_test_sortruns_XXXXXX");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    RUN(shuffled_all_kept);
    RUN(shuffled_with_drops);
    RUN(in_order_with_drops);
    RUN(drops_change_the_store);
    rmdir(dir);
    TEST_END();
}
