/*
 * test_pool.c — the builder's string pool and large-column helpers
 * (src/store/pool.c) and the hashed builder path the ingest pipeline uses:
 * sizes of huge-page blocks, growth that keeps contents, put / put_h /
 * find agreeing with prefetching in between, a pool without its index
 * (dropped before the store is written), short strings and numbers kept
 * exactly in their keys without being confused, the slot table doubling past
 * 2/3 full, and a store built through
 * ls__builder_hash_post + ls__builder_prefetch_post + ls__builder_add_post_h
 * being byte-identical to one built through ls__builder_add_post.
 */
#include "test.h"
#include "store/pool.h"
#include "store/store.h"
#include "readfile.h"

#include <stdlib.h>
#include <unistd.h>

#define MiB ((size_t)1 << 20)

TEST(col_bytes)
{
    /* Small sizes stay as asked; from 4 MiB on: at least 34 MiB, a
     * multiple of 2 MiB minus 4 KiB. */
    CHECK_EQ_INT(ls__col_bytes(100), 100);
    CHECK_EQ_INT(ls__col_bytes(4 * MiB - 1), 4 * MiB - 1);
    CHECK_EQ_INT(ls__col_bytes(4 * MiB), 36 * MiB - 4096);
    CHECK_EQ_INT(ls__col_bytes(36 * MiB - 4096), 36 * MiB - 4096);
    CHECK_EQ_INT(ls__col_bytes(36 * MiB - 4095), 38 * MiB - 4096);
    CHECK_EQ_INT(ls__col_bytes(40 * MiB), 42 * MiB - 4096);
}

TEST(col_grow_keeps_contents)
{
    uint32_t *a = NULL;
    size_t cap = 0, n = 3 * 1000 * 1000;    /* crosses 4 MiB and 34 MiB */
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        if (ls__col_grow((void **)&a, &cap, i + 1, sizeof *a) != LS_OK) { ok = 0; break; }
        a[i] = (uint32_t)(i * 2654435761u);
    }
    CHECK(ok);
    CHECK(cap >= n);
    for (size_t i = 0; ok && i < n; i++)
        if (a[i] != (uint32_t)(i * 2654435761u)) { ok = 0; CHECK_EQ_INT(i, -1); }
    /* The last block is a huge-page block: its byte size has the form. */
    CHECK_EQ_INT(ls__col_bytes(cap * sizeof *a), cap * sizeof *a);
    ls__free(a);
}

TEST(put_h_find_prefetch)
{
    ls__pool p;
    char s[32];
    int bad = 0;
    ls__pool_init(&p);
    for (int i = 0; i < 100000; i++) {
        int n = snprintf(s, sizeof s, "string-%d", i % 70000);   /* 30,000 repeats */
        ls__str str = { s, (size_t)n };
        uint64_t h = ls__pool_hash(str);
        for (int stage = 0; stage < 3; stage++) ls__pool_prefetch(&p, h, stage);
        uint32_t id1, id2;
        if (ls__pool_put_h(&p, str, h, &id1) != LS_OK || ls__pool_put(&p, str, &id2) != LS_OK) { bad++; continue; }
        if (id1 != id2 || id1 != (uint32_t)(i % 70000)) bad++;
        if (ls__pool_find(&p, str) != id1) bad++;
        if (!ls__str_eq(ls__pool_get(&p, id1), str)) bad++;
    }
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(p.n, 70000);
    CHECK_EQ_INT(ls__pool_find(&p, LS__S("string-70000")), LS__NONE);
    CHECK_EQ_INT(ls__pool_find(&p, LS__S("")), LS__NONE);
    /* Without its index (as after writing a store) the pool still
     * answers, and a put rebuilds the index with every old string. */
    ls__pool_drop_index(&p);
    CHECK_EQ_INT(ls__pool_find(&p, LS__S("string-69999")), 69999);
    CHECK_EQ_INT(ls__pool_find(&p, LS__S("string-70000")), LS__NONE);
    uint32_t id = 0;
    CHECK(ls__pool_put(&p, LS__S("string-123"), &id) == LS_OK);
    CHECK_EQ_INT(id, 123);
    CHECK(ls__pool_put(&p, LS__S("new string"), &id) == LS_OK);
    CHECK_EQ_INT(id, 70000);
    CHECK_EQ_INT(ls__pool_find(&p, LS__S("string-5")), 5);
    CHECK(p.slot != NULL);
    ls__pool_free(&p);
}

/* The strings below in a pool, wide (16-byte slots, exact keys) or
 * narrow (tags): every one gets its own id either way. */
static void exact_keys_in(int wide)
{
    /* Short strings and canonical numbers are their own keys (pool.c):
     * strings that pack alike must still get their own ids.  Among them:
     * zero padding against embedded NULs, a number against its
     * leading-zero and signed spellings, 19 digits (the last packed
     * value) against 20 (hashed), and a 9-digit number against the
     * 8-byte string whose packed bytes have the same value. */
    static const char *const v[] = { "a", "a\0", "\0", "\0\0", "", "12345678", "123456789",
                                     "0123456789", "+123456789", "9223372036854775807",
                                     "9999999999999999999", "10000000000000000000",
                                     "18446744073709551615", "u42989", "user42989", "1" };
    static const size_t len[] = { 1, 2, 1, 2, 0, 8, 9, 10, 10, 19, 19, 20, 20, 6, 9, 1 };
    enum { N = sizeof len / sizeof len[0] };
    ls__pool p;
    uint32_t id[N];
    ls__pool_init(&p);
    if (wide) ls__pool_wide(&p);
    CHECK_EQ_INT(p.wide, wide);
    for (int i = 0; i < N; i++)
        CHECK(ls__pool_put(&p, (ls__str){ v[i], len[i] }, &id[i]) == LS_OK);
    /* The 8-byte string with the bytes of 123456789 as a little-endian
     * number: same key as "123456789", other meta. */
    uint64_t k = 123456789u;
    char raw[8];
    memcpy(raw, &k, 8);
    uint32_t raw_id, again;
    CHECK(ls__pool_put(&p, (ls__str){ raw, 8 }, &raw_id) == LS_OK);
    CHECK_EQ_INT(ls__pool_hash((ls__str){ raw, 8 }), ls__pool_hash(LS__S("123456789")));
    CHECK(raw_id != id[6]);
    for (int i = 0; i < N; i++) {
        if (!len[i]) continue;     /* the empty string is never put by the builder */
        CHECK(ls__pool_put(&p, (ls__str){ v[i], len[i] }, &again) == LS_OK);
        CHECK_EQ_INT(again, id[i]);
        CHECK_EQ_INT(ls__pool_find(&p, (ls__str){ v[i], len[i] }), id[i]);
        CHECK(ls__str_eq(ls__pool_get(&p, id[i]), (ls__str){ v[i], len[i] }));
        for (int j = 0; j < i; j++)
            if (len[j]) CHECK(id[i] != id[j]);
    }
    CHECK_EQ_INT(ls__pool_find(&p, LS__S("123456788")), LS__NONE);
    CHECK_EQ_INT(ls__pool_find(&p, LS__S("00123456789")), LS__NONE);
    /* Which are exact: at most 8 bytes, or 9-19 digits without a leading 0. */
    CHECK(ls__pool_meta(LS__S("12345678")) & LS__POOL_EXACT);
    CHECK(ls__pool_meta(LS__S("9999999999999999999")) & LS__POOL_EXACT);
    CHECK(!(ls__pool_meta(LS__S("10000000000000000000")) & LS__POOL_EXACT));
    CHECK(!(ls__pool_meta(LS__S("0123456789")) & LS__POOL_EXACT));
    CHECK(!(ls__pool_meta(LS__S("user42989")) & LS__POOL_EXACT));
    /* The same after the index is dropped and rebuilt by a put. */
    ls__pool_drop_index(&p);
    CHECK(ls__pool_put(&p, LS__S("9223372036854775807"), &again) == LS_OK);
    CHECK_EQ_INT(again, id[9]);
    CHECK(ls__pool_put(&p, (ls__str){ raw, 8 }, &again) == LS_OK);
    CHECK_EQ_INT(again, raw_id);
    ls__pool_free(&p);
}

TEST(exact_keys)
{
    exact_keys_in(1);
    exact_keys_in(0);
}

/* The table doubles once it would be over 2/3 full: 1,024 slots
 * take 682 strings, the 683rd doubles them; 3,000 strings need 4,500
 * slots, so 8,192 (it used to quadruple at half load, to 16,384); the
 * same in a wide pool, whose strings here ("s0" to "s1199999") are all
 * packed keys. */
static void slots_double_in(int wide)
{
    ls__pool p;
    char s[32];
    int bad = 0;
    ls__pool_init(&p);
    if (wide) ls__pool_wide(&p);
    for (int i = 0; i < 3000; i++) {
        uint32_t id;
        int n = snprintf(s, sizeof s, "s%d", i);
        if (ls__pool_put(&p, (ls__str){ s, (size_t)n }, &id) != LS_OK || id != (uint32_t)i) bad++;
        if (i == 681) CHECK_EQ_INT(p.mask + 1, 1024);
        if (i == 682) CHECK_EQ_INT(p.mask + 1, 2048);
    }
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(p.mask + 1, 8192);
    CHECK_EQ_INT(ls__pool_find(&p, LS__S("s2999")), 2999);
    /* From 4 MiB of slots on (2^19 narrow slots, 2^18 wide ones), the old
     * table's pages are given back while it is moved: every string must
     * still be found, and a string that was never put must not. */
    for (int i = 3000; i < 1200000; i++) {
        uint32_t id;
        int n = snprintf(s, sizeof s, "s%d", i);
        if (ls__pool_put(&p, (ls__str){ s, (size_t)n }, &id) != LS_OK || id != (uint32_t)i) bad++;
    }
    CHECK_EQ_INT(p.mask + 1, 2097152);
    for (int i = 0; i < 1200000; i++) {
        int n = snprintf(s, sizeof s, "s%d", i);
        if (ls__pool_find(&p, (ls__str){ s, (size_t)n }) != (uint32_t)i) bad++;
    }
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(ls__pool_find(&p, LS__S("s1200000")), LS__NONE);
    ls__pool_free(&p);
}

TEST(slots_double)
{
    slots_double_in(0);
    slots_double_in(1);
}

/* The longest probe of any string in p: how far each sits from its home
 * slot. */
static size_t max_displacement(const ls__pool *p)
{
    size_t worst = 0;
    for (size_t j = 0; j <= p->mask; j++) {
        uint32_t id1 = ls__pool_slot_id1(p, j);
        if (!id1) continue;
        ls__str s = ls__pool_get(p, id1 - 1);
        size_t d = (j - ls__pool_home(ls__pool_hash(s), p->mask)) & p->mask;
        if (d > worst) worst = d;
    }
    return worst;
}

/* Keys that differ only in their last bytes: 8-character names, packed
 * into their keys exactly, and numbers of 19 digits that differ only in
 * their high digits.  Every probe must stay short (with the home slot
 * taken from the key's low 44 bits only, 8,000 "user0000".."user7999"
 * piled up over 1,000 slots from their homes). */
static void short_probes_in(int wide)
{
    ls__pool p;
    char buf[32];
    uint32_t id;
    int ok = 1;
    ls__pool_init(&p);
    if (wide) ls__pool_wide(&p);
    for (int i = 0; i < 8000 && ok; i++) {
        snprintf(buf, sizeof buf, "user%04d", i);
        ok = ls__pool_put(&p, ls__str_c(buf), &id) == LS_OK && id == (uint32_t)i;
    }
    for (int i = 0; i < 8000 && ok; i++) {
        snprintf(buf, sizeof buf, "%d000000000000000%d", 1 + i % 9, 100 + i / 9);
        ok = ls__pool_put(&p, ls__str_c(buf), &id) == LS_OK;
    }
    CHECK(ok);
    CHECK_EQ_INT(p.n, 16000);
    size_t d = max_displacement(&p);
    if (d >= 64) fprintf(stderr, "  longest probe %zu slots (wide %d)\n", d, wide);
    CHECK(d < 64);
    ls__pool_free(&p);
}

TEST(short_probes)
{
    short_probes_in(0);
    short_probes_in(1);
}

/* Fills r with post k: some retweets, replies, hashtags, URLs, mentions,
 * 500 accounts and repeated texts. */
static void make_post(ls__rec *r, int k, char (*buf)[48], ls__str *tags, ls__str *urls, ls__str *ment)
{
    ls__rec_clear(r);
    snprintf(buf[0], 48, "%d", 1000000 + k);
    snprintf(buf[1], 48, "acct%d", k % 500);
    snprintf(buf[2], 48, "text %d", k % 300);
    snprintf(buf[3], 48, "%d", 1000000 + k / 2);
    snprintf(buf[4], 48, "acct%d", (k * 7) % 500);
    snprintf(buf[5], 48, "tag%d", k % 11);
    snprintf(buf[6], 48, "https://example.com/%d", k % 40);
    snprintf(buf[7], 48, "name%d", k % 500);
    r->post_id = ls__str_c(buf[0]);
    r->account_id = ls__str_c(buf[1]);
    r->screen_name = ls__str_c(buf[7]);
    r->text = ls__str_c(buf[2]);
    r->time_ms = 1600000000000LL + (int64_t)(k % 97) * 1000;
    if (k % 3 == 1) {
        r->kind = LS_KIND_RETWEET;
        r->ref_post = ls__str_c(buf[3]);
        r->ref_account = ls__str_c(buf[4]);
    } else if (k % 5 == 2) {
        r->kind = LS_KIND_REPLY;
        r->reply_post = ls__str_c(buf[3]);
        r->reply_account = ls__str_c(buf[4]);
    }
    tags[0] = ls__str_c(buf[5]);
    urls[0] = ls__str_c(buf[6]);
    ment[0] = ls__str_c(buf[4]);
    r->hashtags = tags; r->n_hashtags = k % 2;
    r->urls = urls; r->n_urls = k % 4 == 0;
    r->mentions = ment; r->n_mentions = k % 3 == 1;
    r->likes = k % 13;
}

TEST(hashed_path_same_store)
{
    ls_ctx *ctx = NULL;
    ls__builder *b1 = NULL, *b2 = NULL;
    char path1[64], path2[64];
    snprintf(path1, sizeof path1, "/tmp/ls_test_pool_%ld_1.lss", (long)getpid());
    snprintf(path2, sizeof path2, "/tmp/ls_test_pool_%ld_2.lss", (long)getpid());
    CHECK(ls_ctx_new(&ctx) == LS_OK);
    CHECK(ls__builder_new(ctx, &b1) == LS_OK && ls__builder_new(ctx, &b2) == LS_OK);
    if (!b1 || !b2) goto done;
    enum { N = 20000, AHEAD = 3 };
    static ls__rec recs[AHEAD + 1];
    static char bufs[AHEAD + 1][8][48];
    static ls__str tags[AHEAD + 1][1], urls[AHEAD + 1][1], ment[AHEAD + 1][1];
    static uint64_t h[AHEAD + 1][64];
    int bad = 0;
    /* b1: the plain call.  b2: hashes made ahead, three prefetch stages a
     * post apart, as the ingest pipeline does (a duplicate every 1,000). */
    for (int k = 0; k < N + AHEAD; k++) {
        if (k < N) {
            int s = k % (AHEAD + 1), id = k % 1000 == 999 ? k - 1 : k;
            make_post(&recs[s], id, bufs[s], tags[s], urls[s], ment[s]);
            if (ls__builder_hash_count(&recs[s]) > 64) bad++;
            else ls__builder_hash_post(&recs[s], h[s]);
        }
        /* Post k - 2 is added now: stage 2 for it, stage 1 for the
         * next, stage 0 for post k, two ahead. */
        for (int stage = 0; stage < 3; stage++) {
            int j = k - stage;
            if (j >= 0 && j < N) ls__builder_prefetch_post(b2, &recs[j % (AHEAD + 1)], h[j % (AHEAD + 1)], stage);
        }
        int j = k - 2;
        if (j >= 0 && j < N) {
            int s = j % (AHEAD + 1);
            if (ls__builder_add_post(b1, &recs[s], "t", (uint64_t)j + 1) != LS_OK) bad++;
            if (ls__builder_add_post_h(b2, &recs[s], h[s], "t", (uint64_t)j + 1) != LS_OK) bad++;
        }
    }
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(ls__builder_diag_table(b2)->count[LS_DIAG_DUPLICATE], N / 1000);
    CHECK(ls__builder_write(b1, path1) == LS_OK);
    CHECK(ls__builder_write(b2, path2) == LS_OK);
    ls__buf s1 = { 0 }, s2 = { 0 };
    CHECK(read_file(path1, &s1) == 0 && read_file(path2, &s2) == 0 && s1.n > 1000);
    CHECK_EQ_INT(s1.n, s2.n);
    CHECK(s1.n == s2.n && memcmp(s1.p, s2.p, s1.n) == 0);
    ls__buf_free(&s1);
    ls__buf_free(&s2);
    unlink(path1);
    unlink(path2);
done:
    ls__builder_free(b1);
    ls__builder_free(b2);
    ls_ctx_free(ctx);
}

int main(void)
{
    RUN(col_bytes);
    RUN(col_grow_keeps_contents);
    RUN(put_h_find_prefetch);
    RUN(exact_keys);
    RUN(slots_double);
    RUN(short_probes);
    RUN(hashed_path_same_store);
    TEST_END();
}
