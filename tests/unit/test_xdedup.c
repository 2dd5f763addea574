/*
 * test_xdedup.c — the on-disk interner (src/store/xdedup*.c) against an
 * in-memory first-seen reference (core's ls__intern plus a "seen as an
 * EVENT" flag per string): ids, DUP / EVENT / ORPHAN flags, the distinct
 * strings in id order (each twice) and their lengths (each_len), next
 * with and without strings (and ls__xd_string after it), after a rewind
 * and around an each; on random strings with repeats (empty, one, all
 * identical, all distinct, several sizes), hash collisions forced by the
 * caller or by a weak internal hash, decimal numbers (kept packed),
 * strings over 1 MB, first > 0, tiny budgets that force splits of
 * splits, 1, 2 and 256 partitions.  Also a hand-computed
 * case, the id limit, misuse (empty string, next past the end, calls out
 * of order), a folder where no file can be created and writes that fail
 * (a file size limit) while adding and while resolving; and, under
 * ASan's allocator counters, that the live heap after resolve, during
 * next and during each is the same for 150K and 600K occurrences, with and
 * without splits (no bitmap or table over the occurrences or strings).
 */
#include "test.h"
#include "tmpdir.h"
#include "store/xdedup.h"
#include "store/pool.h"

#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static ls_ctx *ctx;

/* splitmix64: deterministic test data. */
static uint64_t rnd_of(uint64_t *st)
{
    uint64_t z = (*st += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A test input: occurrences (string, hash, flags) in add order. */
typedef struct {
    size_t n;
    ls__str *s;
    uint64_t *h;
    unsigned *fl;
    ls__buf bytes;      /* owns the strings: s[i].p is an offset until fixed */
} input;

static void in_free(input *in)
{
    free(in->s);
    free(in->h);
    free(in->fl);
    ls__buf_free(&in->bytes);
    memset(in, 0, sizeof *in);
}

static void in_alloc(input *in, size_t n)
{
    memset(in, 0, sizeof *in);
    in->n = n;
    in->s = calloc(n ? n : 1, sizeof *in->s);
    in->h = calloc(n ? n : 1, sizeof *in->h);
    in->fl = calloc(n ? n : 1, sizeof *in->fl);
}

/* Sets occurrence i to bytes p..p+n (copied) with flags; the hash is
 * ls__pool_hash unless fixed later. */
static void in_set(input *in, size_t i, const char *p, size_t n, unsigned fl)
{
    size_t at = in->bytes.n;
    ls__buf_put(&in->bytes, p, n);
    in->s[i].p = (const char *)(uintptr_t)at;
    in->s[i].n = n;
    in->fl[i] = fl;
}

static void in_fix(input *in)
{
    for (size_t i = 0; i < in->n; i++) {
        in->s[i].p = in->bytes.p + (uintptr_t)in->s[i].p;
        in->h[i] = ls__pool_hash(in->s[i]);
    }
}

/* n occurrences drawn from `kinds` distinct random strings of 1..maxlen
 * bytes (any byte values, NUL included), skewed so that some repeat
 * often; flags random. */
static void in_random(input *in, size_t n, size_t kinds, size_t maxlen, uint64_t seed)
{
    char s[256];
    uint64_t g = seed;
    in_alloc(in, n);
    for (size_t i = 0; i < n; i++) {
        /* Half the draws from a tenth of the kinds: those repeat often. */
        uint64_t r = rnd_of(&g), kind = (r & 1) ? (r >> 1) % kinds : (r >> 1) % (kinds / 10 + 1);
        uint64_t k = kind * 0x2545F4914F6CDD1Dull + seed;   /* the string is a function of kind */
        size_t len = 1 + (size_t)(rnd_of(&k) % maxlen);
        for (size_t j = 0; j < len; j++) s[j] = (char)(rnd_of(&k) & ((j & 1) ? 0xFF : 0x0F));
        in_set(in, i, s, len, (unsigned)(rnd_of(&g) & 3));
    }
    in_fix(in);
}

/* The reference result of in with first. */
typedef struct {
    uint32_t *id;
    unsigned *fl;
    ls__intern pool;
} refres;

static void ref_build(refres *r, const input *in, uint32_t first)
{
    unsigned char *ev = calloc(in->n + 1, 1);
    r->id = calloc(in->n + 1, sizeof *r->id);
    r->fl = calloc(in->n + 1, sizeof *r->fl);
    ls__intern_init(&r->pool);
    for (size_t i = 0; i < in->n; i++) {
        uint32_t id;
        ls__intern_put(&r->pool, in->s[i], &id);
        r->id[i] = first + id;
        r->fl[i] = in->fl[i];
        if (in->fl[i] & LS__XD_EVENT) {
            if (ev[id]) r->fl[i] |= LS__XD_DUP;
            ev[id] = 1;
        }
    }
    free(ev);
}

static void ref_free(refres *r)
{
    free(r->id);
    free(r->fl);
    ls__intern_free(&r->pool);
}

/* each()'s callback: checks the strings against the reference in order. */
typedef struct { const refres *r; size_t k; int bad; } each_st;
static int each_cb(void *u, ls__str s)
{
    each_st *e = u;
    if (e->k >= e->r->pool.n || !ls__str_eq(s, ls__intern_get(&e->r->pool, (uint32_t)e->k))) e->bad++;
    e->k++;
    return 0;
}

/* each_len()'s callback: checks the lengths against the reference. */
static int each_len_cb(void *u, uint64_t n)
{
    each_st *e = u;
    if (e->k >= e->r->pool.n || n != ls__intern_get(&e->r->pool, (uint32_t)e->k).n) e->bad++;
    e->k++;
    return 0;
}

/* Reads all occurrences with next (strings asked for every `every`-th
 * one, never if 0) and counts mismatches. */
static int check_next(ls__xd *x, const input *in, const refres *r, unsigned every)
{
    int bad = 0;
    for (size_t i = 0; i < in->n; i++) {
        uint32_t id = 0;
        unsigned fl = 99;
        ls__str s = { NULL, 0 };
        int want_s = every && i % every == 0;
        int st = ls__xd_next(x, &id, &fl, want_s ? &s : NULL);
        /* Some strings asked for afterwards (twice), the others skipped. */
        if (st == LS_OK && every && i % 5 == 1) {
            ls__str t = { NULL, 0 };
            if (ls__xd_string(x, &t) != LS_OK || !ls__str_eq(t, in->s[i])) bad++;
            if (ls__xd_string(x, &t) != LS_OK || !ls__str_eq(t, in->s[i])) bad++;
        }
        if (st != LS_OK || id != r->id[i] || fl != r->fl[i] || (want_s && !ls__str_eq(s, in->s[i]))) {
            if (bad++ < 3)
                fprintf(stderr, "  occurrence %zu: st %d id %u (want %u) flags %u (want %u)\n", i, st, id,
                        r->id[i], fl, r->fl[i]);
        }
    }
    return bad;
}

/* Runs in through an interner (budget 0: the default; parts 0: the
 * default) and checks everything against the reference.  Returns the
 * number of mismatches. */
static int weak;    /* run_case uses ls__xd_weak_hash */

static int run_case(const input *in, uint32_t first, size_t budget, unsigned parts)
{
    ls__xd *x = NULL;
    refres r;
    int bad = 0;
    ref_build(&r, in, first);
    if (ls__xd_new(ctx, dir, first, &x) != LS_OK) { ref_free(&r); return 1000000; }
    if (budget || parts) ls__xd_budget(x, budget ? budget : ((size_t)64 << 20), parts);
    if (weak) ls__xd_weak_hash(x);
    for (size_t i = 0; i < in->n; i++)
        if (ls__xd_add(x, in->s[i], in->h[i], in->fl[i]) != LS_OK) bad++;
    if (ls__xd_count(x) != in->n) bad++;
    if (ls__xd_resolve(x) != LS_OK) {
        fprintf(stderr, "  resolve: %s\n", ls_ctx_message(ctx));
        bad++;
        goto done;
    }
    if (ls__xd_distinct(x) != r.pool.n) bad++;
    if (ls__xd_bytes(x) != r.pool.blob.n) bad++;
    for (int t = 0; t < 2; t++) {
        each_st e = { &r, 0, 0 };
        if (ls__xd_each(x, each_cb, &e) != LS_OK) bad++;
        bad += e.bad + (e.k != r.pool.n);
        each_st l = { &r, 0, 0 };
        if (ls__xd_each_len(x, each_len_cb, &l) != LS_OK) bad++;
        bad += l.bad + (l.k != r.pool.n);
    }
    bad += check_next(x, in, &r, 1);
    uint32_t id;
    unsigned fl;
    if (ls__xd_next(x, &id, &fl, NULL) != LS_ERR_INTERNAL) bad++;    /* past the end */
    if (ls__xd_rewind(x) != LS_OK) bad++;
    ls__str t;
    if (in->n && ls__xd_string(x, &t) != LS_ERR_INTERNAL) bad++;     /* before next */
    bad += check_next(x, in, &r, 0);
    if (ls__xd_rewind(x) != LS_OK) bad++;
    bad += check_next(x, in, &r, 3);
done:
    ls__xd_free(x);
    ref_free(&r);
    return bad;
}

/* Appends n to the zero-terminated list u. */
static int collect_len(void *u, uint64_t n)
{
    uint64_t *l = u;
    while (*l) l++;
    *l = n;
    return 0;
}

TEST(hand_computed)
{
    /* a b a c b a d: with EVENT and ORPHAN flags mixed.  first = 10, so
     * a=10 b=11 c=12 d=13.  DUP: a's second EVENT (occurrence 5; 2 is
     * not an EVENT), b's second EVENT (4).  c and d occur once. */
    static const char *str[] = { "a", "b", "a", "c", "b", "a", "d" };
    static const unsigned fl[] = { 1, 3, 2, 0, 1, 1, 2 };
    static const uint32_t want_id[] = { 10, 11, 10, 12, 11, 10, 13 };
    static const unsigned want_fl[] = { 1, 3, 2, 0, 5, 5, 2 };
    ls__xd *x = NULL;
    CHECK_EQ_INT(ls__xd_new(ctx, dir, 10, &x), LS_OK);
    if (!x) return;
    ls__xd_budget(x, 4096, 2);
    for (int i = 0; i < 7; i++) {
        ls__str s = ls__str_c(str[i]);
        CHECK_EQ_INT(ls__xd_add(x, s, ls__pool_hash(s), fl[i]), LS_OK);
    }
    CHECK_EQ_INT(ls__xd_count(x), 7);
    CHECK_EQ_INT(ls__xd_resolve(x), LS_OK);
    CHECK_EQ_INT(ls__xd_distinct(x), 4);
    CHECK_EQ_INT(ls__xd_bytes(x), 4);
    uint64_t lens[8] = { 0 };
    int nl = 0;
    CHECK_EQ_INT(ls__xd_each_len(x, collect_len, lens), LS_OK);
    for (int i = 0; i < 8 && lens[i]; i++) nl++;
    CHECK_EQ_INT(nl, 4);
    for (int i = 0; i < 7; i++) {
        uint32_t id = 0;
        unsigned f = 0;
        ls__str s = { NULL, 0 };
        CHECK_EQ_INT(ls__xd_next(x, &id, &f, &s), LS_OK);
        CHECK_EQ_INT(id, want_id[i]);
        CHECK_EQ_INT(f, want_fl[i]);
        CHECK(ls__str_eqc(s, str[i]));
    }
    ls__xd_free(x);
}

TEST(empty_and_single)
{
    input in;
    ls__xd *x = NULL;
    uint32_t id;
    unsigned fl;
    /* No occurrence at all. */
    CHECK_EQ_INT(ls__xd_new(ctx, dir, 5, &x), LS_OK);
    if (!x) return;
    CHECK_EQ_INT(ls__xd_resolve(x), LS_OK);
    CHECK_EQ_INT(ls__xd_distinct(x), 0);
    CHECK_EQ_INT(ls__xd_bytes(x), 0);
    each_st e = { NULL, 0, 0 };
    CHECK_EQ_INT(ls__xd_each(x, each_cb, &e), LS_OK);
    CHECK_EQ_INT(e.k, 0);
    CHECK_EQ_INT(ls__xd_next(x, &id, &fl, NULL), LS_ERR_INTERNAL);
    ls__xd_free(x);
    /* One. */
    in_alloc(&in, 1);
    in_set(&in, 0, "x", 1, LS__XD_EVENT);
    in_fix(&in);
    CHECK_EQ_INT(run_case(&in, 0, 0, 0), 0);
    CHECK_EQ_INT(run_case(&in, 7, 1024, 1), 0);
    in_free(&in);
}

TEST(empty_string_is_refused)
{
    ls__xd *x = NULL;
    uint32_t id = 0;
    unsigned fl = 0;
    CHECK_EQ_INT(ls__xd_new(ctx, dir, 0, &x), LS_OK);
    if (!x) return;
    CHECK_EQ_INT(ls__xd_add(x, LS__S("a"), 1, 0), LS_OK);
    CHECK_EQ_INT(ls__xd_add(x, (ls__str){ "", 0 }, 0, 0), LS_ERR_INTERNAL);
    CHECK(strstr(ls_ctx_message(ctx), "empty string") != NULL);
    CHECK_EQ_INT(ls__xd_add(x, LS__S("b"), 2, 8), LS_ERR_INTERNAL);   /* unknown flag */
    CHECK_EQ_INT(ls__xd_count(x), 1);
    /* Still usable. */
    CHECK_EQ_INT(ls__xd_add(x, LS__S("a"), 1, 0), LS_OK);
    CHECK_EQ_INT(ls__xd_each(x, each_cb, NULL), LS_ERR_INTERNAL);       /* before resolve */
    CHECK_EQ_INT(ls__xd_next(x, &id, &fl, NULL), LS_ERR_INTERNAL);
    CHECK_EQ_INT(ls__xd_resolve(x), LS_OK);
    CHECK_EQ_INT(ls__xd_resolve(x), LS_ERR_INTERNAL);                   /* twice */
    CHECK_EQ_INT(ls__xd_add(x, LS__S("c"), 3, 0), LS_ERR_INTERNAL);     /* after */
    CHECK_EQ_INT(ls__xd_distinct(x), 1);
    CHECK_EQ_INT(ls__xd_next(x, &id, &fl, NULL), LS_OK);
    CHECK_EQ_INT(id, 0);
    CHECK_EQ_INT(ls__xd_next(x, &id, &fl, NULL), LS_OK);
    CHECK_EQ_INT(id, 0);
    CHECK_EQ_INT(ls__xd_next(x, &id, &fl, NULL), LS_ERR_INTERNAL);
    ls__xd_free(x);
}

TEST(identical_and_distinct)
{
    input in;
    char s[32];
    /* All identical, all EVENT: every one after the first is DUP. */
    in_alloc(&in, 3000);
    for (size_t i = 0; i < in.n; i++) in_set(&in, i, "same string", 11, LS__XD_EVENT);
    in_fix(&in);
    CHECK_EQ_INT(run_case(&in, 0, 0, 0), 0);
    CHECK_EQ_INT(run_case(&in, 0, 1024, 1), 0);
    CHECK_EQ_INT(run_case(&in, 3, 1024, 256), 0);
    in_free(&in);
    /* All distinct. */
    in_alloc(&in, 20000);
    for (size_t i = 0; i < in.n; i++) {
        int n = snprintf(s, sizeof s, "%zu", 1000000000000000000u + i * 7919u);
        in_set(&in, i, s, (size_t)n, (unsigned)(i & 3));
    }
    in_fix(&in);
    CHECK_EQ_INT(run_case(&in, 0, 0, 0), 0);
    CHECK_EQ_INT(run_case(&in, 0, 2048, 2), 0);
    CHECK_EQ_INT(run_case(&in, 100, 1024, 1), 0);
    in_free(&in);
}

TEST(random_with_repeats)
{
    static const size_t sizes[] = { 10, 1000, 50000 };
    for (size_t k = 0; k < 3; k++) {
        input in;
        in_random(&in, sizes[k], sizes[k] / 3 + 1, 40, 17 + k);
        CHECK_EQ_INT(run_case(&in, 0, 0, 0), 0);
        CHECK_EQ_INT(run_case(&in, 1, 0, 1), 0);
        CHECK_EQ_INT(run_case(&in, 2, 0, 2), 0);
        CHECK_EQ_INT(run_case(&in, 3, 0, 256), 0);
        CHECK_EQ_INT(run_case(&in, 4, 1024, 1), 0);     /* splits of splits */
        CHECK_EQ_INT(run_case(&in, 5, 4096, 2), 0);
        CHECK_EQ_INT(run_case(&in, 6, 1024, 256), 0);
        in_free(&in);
    }
}

TEST(hash_collisions)
{
    /* The caller's hash picks the partition only: strings that share it
     * (here all, or three values for all) still get exact ids. */
    input in;
    in_random(&in, 20000, 5000, 24, 99);
    for (size_t i = 0; i < in.n; i++) in.h[i] = 42;
    CHECK_EQ_INT(run_case(&in, 0, 0, 0), 0);
    CHECK_EQ_INT(run_case(&in, 0, 1024, 4), 0);
    for (size_t i = 0; i < in.n; i++) in.h[i] = in.s[i].n % 3;
    CHECK_EQ_INT(run_case(&in, 0, 0, 256), 0);
    CHECK_EQ_INT(run_case(&in, 0, 2048, 2), 0);
    in_free(&in);
    /* Strings of the same ls__pool_hash key bytes ("a" and "a\0" pack
     * to the same key). */
    in_alloc(&in, 4);
    in_set(&in, 0, "a", 1, 1);
    in_set(&in, 1, "a\0", 2, 1);
    in_set(&in, 2, "a\0", 2, 1);
    in_set(&in, 3, "a", 1, 1);
    in_fix(&in);
    CHECK(in.h[0] == in.h[1]);
    CHECK_EQ_INT(run_case(&in, 0, 0, 0), 0);
    in_free(&in);
}

TEST(internal_hash_collisions)
{
    /* The interner's own hash reduced to 4 values: every lookup meets
     * distinct strings of the same hash, which only the bytes tell apart
     * (short ones in the arena, long ones in the work file). */
    input in;
    ls__xd *x = NULL;
    in_random(&in, 3000, 800, 12, 41);
    weak = 1;
    CHECK_EQ_INT(run_case(&in, 0, 0, 0), 0);
    CHECK_EQ_INT(run_case(&in, 0, 4096, 256), 0);     /* small partitions that fit */
    weak = 0;
    /* One partition that must split: the weak hash cannot, which is an
     * error, not a loop. */
    CHECK_EQ_INT(ls__xd_new(ctx, dir, 0, &x), LS_OK);
    if (x) {
        ls__xd_budget(x, 1024, 1);
        ls__xd_weak_hash(x);
        for (size_t i = 0; i < in.n; i++) CHECK_EQ_INT(ls__xd_add(x, in.s[i], in.h[i], in.fl[i]), LS_OK);
        CHECK_EQ_INT(ls__xd_resolve(x), LS_ERR_INTERNAL);
        CHECK(strstr(ls_ctx_message(ctx), "does not split") != NULL);
        ls__xd_free(x);
    }
    in_free(&in);
}

TEST(numbers)
{
    /* Decimal numbers of 9 to 19 digits without a leading zero are kept
     * as their value: they must come back digit for digit, and never be
     * taken for another string (one with a leading zero, too long, too
     * short, not all digits, or the 8 bytes of such a value itself). */
    static const char *fixed[] = { "1000000000", "999999999", "9999999999999999999",
                                   "18446744073709551615", "0123456789", "12345678", "123456789a",
                                   "100000000", "123456789012", "01234567890123", "1234567890123 " };
    /* 12 digits: under the weak hash (length & 3) the same hash as 8 raw bytes. */
    uint64_t v = 123456789012ull;
    char raw[8], s[32];
    memcpy(raw, &v, 8);
    input in;
    size_t nf = sizeof fixed / sizeof fixed[0], n = 3 * (nf + 1) + 6000;
    in_alloc(&in, n);
    size_t k = 0;
    for (int rep = 0; rep < 3; rep++) {
        for (size_t i = 0; i < nf; i++) in_set(&in, k++, fixed[i], strlen(fixed[i]), (unsigned)(i + rep) & 3);
        in_set(&in, k++, raw, 8, 1);
    }
    uint64_t g = 7;
    while (k < n) {   /* post ids with repeats */
        int m = snprintf(s, sizeof s, "%llu", (unsigned long long)(1200000000000000000ull + rnd_of(&g) % 3000));
        in_set(&in, k++, s, (size_t)m, LS__XD_EVENT);
    }
    in_fix(&in);
    CHECK_EQ_INT(run_case(&in, 0, 0, 0), 0);
    CHECK_EQ_INT(run_case(&in, 2, 1024, 2), 0);
    for (size_t i = 0; i < in.n; i++) in.h[i] = 5;
    weak = 1;
    CHECK_EQ_INT(run_case(&in, 0, 0, 1), 0);
    weak = 0;
    in_free(&in);
}

TEST(long_strings)
{
    /* Four strings of 1.5 MB that differ only in their last byte or in
     * length, each repeated, among short ones; with the default budget
     * they sit in the table's arena only if short, so the long ones are
     * compared from the work file a chunk at a time. */
    size_t big = (size_t)3 << 19;
    char *b = malloc(big + 1);
    input in;
    for (size_t i = 0; i <= big; i++) b[i] = (char)('a' + i % 23);
    in_alloc(&in, 12);
    in_set(&in, 0, b, big, 1);
    in_set(&in, 1, "short", 5, 1);
    b[big - 1] = 'Z';
    in_set(&in, 2, b, big, 1);
    in_set(&in, 3, b, big + 1, 0);
    b[big - 1] = 'a' + (big - 1) % 23;
    in_set(&in, 4, b, big, 1);          /* = 0 */
    b[big - 1] = 'Z';
    in_set(&in, 5, b, big, 1);          /* = 2 */
    in_set(&in, 6, b, big + 1, 1);      /* = 3 */
    in_set(&in, 7, "short", 5, 1);
    b[0] = 'Q';
    in_set(&in, 8, b, big, 2);          /* differs from 2 in its first byte */
    in_set(&in, 9, b, 70000, 1);        /* a prefix */
    in_set(&in, 10, b, 70000, 1);
    in_set(&in, 11, b, big, 2);
    in_fix(&in);
    for (size_t i = 0; i < in.n; i++) in.h[i] = 7;   /* one partition */
    /* Budgets of 64 KiB make 4 KiB blocks: a long string crosses
     * hundreds (a tiny budget would only make the test slow). */
    CHECK_EQ_INT(run_case(&in, 0, 0, 0), 0);
    CHECK_EQ_INT(run_case(&in, 0, 65536, 1), 0);
    CHECK_EQ_INT(run_case(&in, 9, 65536, 2), 0);
    weak = 1;    /* same hash for same lengths: the bytes must decide */
    CHECK_EQ_INT(run_case(&in, 0, 0, 0), 0);
    CHECK_EQ_INT(run_case(&in, 0, 65536, 1), 0);
    weak = 0;
    in_free(&in);
    free(b);
}

TEST(next_each_interleaved)
{
    input in;
    refres r;
    ls__xd *x = NULL;
    in_random(&in, 5000, 1200, 30, 5);
    ref_build(&r, &in, 0);
    CHECK_EQ_INT(ls__xd_new(ctx, dir, 0, &x), LS_OK);
    if (!x) { ref_free(&r); in_free(&in); return; }
    ls__xd_budget(x, 2048, 8);
    for (size_t i = 0; i < in.n; i++) CHECK_EQ_INT(ls__xd_add(x, in.s[i], in.h[i], in.fl[i]), LS_OK);
    CHECK_EQ_INT(ls__xd_resolve(x), LS_OK);
    int bad = 0;
    for (size_t i = 0; i < in.n; i++) {
        uint32_t id;
        unsigned fl;
        ls__str s;
        if (i == 1234 || i == 4000) {   /* each() in the middle keeps next's place */
            each_st e = { &r, 0, 0 };
            CHECK_EQ_INT(ls__xd_each(x, each_cb, &e), LS_OK);
            CHECK_EQ_INT(e.bad, 0);
            CHECK_EQ_INT(e.k, r.pool.n);
            each_st l = { &r, 0, 0 };
            CHECK_EQ_INT(ls__xd_each_len(x, each_len_cb, &l), LS_OK);
            CHECK_EQ_INT(l.bad, 0);
            CHECK_EQ_INT(l.k, r.pool.n);
        }
        /* Strings asked for in bursts, so that skipped records pile up. */
        int want = (i / 97) % 2;
        if (ls__xd_next(x, &id, &fl, want ? &s : NULL) != LS_OK || id != r.id[i] || fl != r.fl[i] ||
            (want && !ls__str_eq(s, in.s[i])))
            bad++;
    }
    CHECK_EQ_INT(bad, 0);
    ref_free(&r);
    ls__xd_free(x);
    in_free(&in);
}

static int stop_at_3(void *u, ls__str s)
{
    (void)s;
    return ++*(int *)u == 3 ? 77 : 0;
}

TEST(each_stops)
{
    ls__xd *x = NULL;
    int calls = 0;
    char s[8];
    CHECK_EQ_INT(ls__xd_new(ctx, dir, 0, &x), LS_OK);
    if (!x) return;
    for (int i = 0; i < 10; i++) {
        int n = snprintf(s, sizeof s, "s%d", i);
        CHECK_EQ_INT(ls__xd_add(x, (ls__str){ s, (size_t)n }, (uint64_t)i, 0), LS_OK);
    }
    CHECK_EQ_INT(ls__xd_resolve(x), LS_OK);
    CHECK_EQ_INT(ls__xd_each(x, stop_at_3, &calls), 77);
    CHECK_EQ_INT(calls, 3);
    ls__xd_free(x);
}

TEST(id_limit)
{
    /* first = 2^32-6: three distinct strings take ids up to 2^32-4, the
     * last allowed; a fourth is LS_ERR_LIMIT. */
    uint32_t first = UINT32_MAX - 5;
    static const char *str[] = { "a", "b", "a", "c", "d" };
    for (int n = 4; n <= 5; n++) {
        ls__xd *x = NULL;
        CHECK_EQ_INT(ls__xd_new(ctx, dir, first, &x), LS_OK);
        if (!x) return;
        for (int i = 0; i < n; i++) {
            ls__str s = ls__str_c(str[i]);
            CHECK_EQ_INT(ls__xd_add(x, s, ls__pool_hash(s), 0), LS_OK);
        }
        if (n == 4) {
            uint32_t id, last = 0;
            unsigned fl;
            CHECK_EQ_INT(ls__xd_resolve(x), LS_OK);
            CHECK_EQ_INT(ls__xd_distinct(x), 3);
            for (int i = 0; i < n; i++) {
                CHECK_EQ_INT(ls__xd_next(x, &id, &fl, NULL), LS_OK);
                if (id > last) last = id;
            }
            CHECK_EQ_INT(last, UINT32_MAX - 3);
        } else {
            CHECK_EQ_INT(ls__xd_resolve(x), LS_ERR_LIMIT);
            CHECK(strstr(ls_ctx_message(ctx), "2^32") != NULL);
            CHECK_EQ_INT(ls__xd_each(x, each_cb, NULL), LS_ERR_INTERNAL);
        }
        ls__xd_free(x);
    }
}

TEST(unwritable_folder)
{
    ls__xd *x = (ls__xd *)1;
    CHECK_EQ_INT(ls__xd_new(ctx, "/nonexistent/lockstep-xd", 0, &x), LS_ERR_IO);
    CHECK(x == NULL);
    CHECK(strstr(ls_ctx_message(ctx), "/nonexistent/lockstep-xd") != NULL);
    /* A file where the folder should be. */
    const char *f = path_in("plain-file");
    FILE *fp = fopen(f, "w");
    CHECK(fp != NULL);
    if (fp) fclose(fp);
    x = (ls__xd *)1;
    CHECK_EQ_INT(ls__xd_new(ctx, f, 0, &x), LS_ERR_IO);
    CHECK(x == NULL);
    CHECK(strstr(ls_ctx_message(ctx), "plain-file") != NULL);
    unlink(f);
}

/* Writes past RLIMIT_FSIZE fail with EFBIG (SIGXFSZ ignored): a disk
 * that fills up, in add and in resolve. */
TEST(write_failures)
{
    struct rlimit old;
    char s[40];
    int st = LS_OK;
    getrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, SIG_IGN);
    for (int phase = 0; phase < 2; phase++) {
        ls__xd *x = NULL;
        CHECK_EQ_INT(ls__xd_new(ctx, dir, 0, &x), LS_OK);
        if (!x) break;
        struct rlimit lim = { 256 << 10, old.rlim_max };
        if (phase == 0) setrlimit(RLIMIT_FSIZE, &lim);
        size_t i = 0;
        for (st = LS_OK; st == LS_OK && i < 400000; i++) {
            int n = snprintf(s, sizeof s, "occurrence %zu", i % 300000);
            ls__str str = { s, (size_t)n };
            st = ls__xd_add(x, str, ls__pool_hash(str), 0);
        }
        if (phase == 0) {
            CHECK_EQ_INT(st, LS_ERR_IO);
            CHECK(i < 400000);
        } else {
            CHECK_EQ_INT(st, LS_OK);
            lim.rlim_cur = 4096;     /* the result streams go past it */
            setrlimit(RLIMIT_FSIZE, &lim);
            st = ls__xd_resolve(x);
            CHECK_EQ_INT(st, LS_ERR_IO);
        }
        CHECK(strstr(ls_ctx_message(ctx), dir) != NULL);
        setrlimit(RLIMIT_FSIZE, &old);
        /* Failed: only free is left. */
        CHECK_EQ_INT(ls__xd_resolve(x), LS_ERR_INTERNAL);
        ls__xd_free(x);
    }
    signal(SIGXFSZ, SIG_DFL);
}

/* The largest file size among the descriptors at or above from (the
 * interner's temporary files, opened after all others the test holds). */
static long long big_fd_size(int from)
{
    long long m = -1;
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        int fd = atoi(e->d_name);
        struct stat st;
        if (fd >= from && fd != dirfd(d) && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > m)
            m = st.st_size;
    }
    if (d) closedir(d);
    return m;
}

/* An interner of in (budget 16 KiB over 4 partitions: splits) resolved
 * with writes limited to lim bytes a file (0: none).  *sz gets the
 * largest temporary file's size after the adds and after resolve. */
static int resolve_limited(const input *in, rlim_t lim, long long sz[2])
{
    ls__xd *x = NULL;
    int from = dup(0), st;
    close(from);
    if (ls__xd_new(ctx, dir, 0, &x) != LS_OK) return LS_ERR_INTERNAL;
    ls__xd_budget(x, (size_t)16 << 10, 4);
    for (size_t i = 0; i < in->n; i++) ls__xd_add(x, in->s[i], in->h[i], in->fl[i]);
    sz[0] = big_fd_size(from);
    struct rlimit old, l;
    getrlimit(RLIMIT_FSIZE, &old);
    l = old;
    if (lim) { l.rlim_cur = lim; setrlimit(RLIMIT_FSIZE, &l); }
    st = ls__xd_resolve(x);
    setrlimit(RLIMIT_FSIZE, &old);
    sz[1] = big_fd_size(from);
    if (st == LS_ERR_IO && !strstr(ls_ctx_message(ctx), dir)) st = LS_ERR_INTERNAL;
    uint32_t id;
    unsigned fl;
    /* After a failure, next is refused. */
    if (st != LS_OK && ls__xd_next(x, &id, &fl, NULL) != LS_ERR_INTERNAL) st = LS_ERR_INTERNAL;
    ls__xd_free(x);
    return st;
}

/* A disk that fills up at any point of the resolution (the results, the
 * splits, the ids' distribution, the final streams): every file size
 * limit between the adds' size and the resolved size fails with an I/O
 * error naming the folder, none passes or fails otherwise. */
TEST(resolve_write_failures_everywhere)
{
    input in;
    long long sz[2], s2[2];
    in_random(&in, 20000, 6000, 12, 11);
    signal(SIGXFSZ, SIG_IGN);
    CHECK_EQ_INT(resolve_limited(&in, 0, sz), LS_OK);
    CHECK(sz[0] > 0 && sz[1] > sz[0]);
    int bad = 0;
    for (int i = 1; i < 24 && sz[1] > sz[0]; i++) {
        rlim_t lim = (rlim_t)(sz[0] + (sz[1] - sz[0]) * i / 24);
        int st = resolve_limited(&in, lim, s2);
        if (st != LS_ERR_IO && bad++ < 3) fprintf(stderr, "  limit %llu: status %d\n", (unsigned long long)lim, st);
    }
    CHECK_EQ_INT(bad, 0);
    signal(SIGXFSZ, SIG_DFL);
    in_free(&in);
}

TEST(same_input_same_bytes)
{
    /* Two interners fed the same input give the same ids (a spot check
     * of determinism beyond agreeing with the reference). */
    input in;
    in_random(&in, 3000, 900, 20, 3);
    uint32_t *a = calloc(in.n, sizeof *a);
    int bad = 0;
    for (int t = 0; t < 2; t++) {
        ls__xd *x = NULL;
        if (ls__xd_new(ctx, dir, 0, &x) != LS_OK) { bad++; break; }
        ls__xd_budget(x, 1024, 3);
        for (size_t i = 0; i < in.n; i++) ls__xd_add(x, in.s[i], in.h[i], in.fl[i]);
        if (ls__xd_resolve(x) != LS_OK) bad++;
        for (size_t i = 0; i < in.n; i++) {
            uint32_t id = 0;
            unsigned fl;
            ls__xd_next(x, &id, &fl, NULL);
            if (t == 0) a[i] = id;
            else if (a[i] != id) bad++;
        }
        ls__xd_free(x);
    }
    CHECK_EQ_INT(bad, 0);
    free(a);
    in_free(&in);
}

/* Heap bytes live now (the tests run under ASan, whose allocator counts
 * them; elsewhere the memory check is skipped). */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_LIVE 1
#endif
#endif
#if !defined(HAVE_LIVE) && defined(__SANITIZE_ADDRESS__)
#define HAVE_LIVE 1
#endif
#ifdef HAVE_LIVE
#include <sanitizer/allocator_interface.h>
static size_t live_bytes(void) { return __sanitizer_get_current_allocated_bytes(); }

typedef struct { size_t base, max; } live_st;

static int live_each(void *u, ls__str s)
{
    live_st *l = u;
    size_t b = live_bytes() - l->base;
    (void)s;
    if (b > l->max) l->max = b;
    return 0;
}

/* The interner's live heap, above what was live before it was created,
 * after resolve (m[0]), at its most during next with strings (m[1]) and
 * during each (m[2]), for n occurrences of n / 3 distinct strings (a
 * multiple of 3, and 7919 prime to n / 3, so that all of them occur). */
static int live_run(size_t n, size_t budget, size_t m[3])
{
    ls__xd *x = NULL;
    char s[40];
    size_t base = live_bytes();
    if (ls__xd_new(ctx, dir, 0, &x) != LS_OK) return 1;
    /* Blocks of 16 KiB (a 16th of the budget set before the first add),
     * which every stream fills at either size; then the budget tested. */
    ls__xd_budget(x, (size_t)256 << 10, 8);
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 1) ls__xd_budget(x, budget, 0);
        uint64_t v = (i * 7919) % (n / 3);
        int k = snprintf(s, sizeof s, "string %llu", (unsigned long long)v);
        ls__str str = { s, (size_t)k };
        if (ls__xd_add(x, str, ls__pool_hash(str), i % 7 == 0 ? LS__XD_EVENT : 0) != LS_OK) bad++;
    }
    if (ls__xd_resolve(x) != LS_OK) bad++;
    if (ls__xd_distinct(x) != n / 3) bad++;
    m[0] = live_bytes() - base;
    m[1] = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t id;
        unsigned fl;
        ls__str t;
        if (ls__xd_next(x, &id, &fl, &t) != LS_OK) bad++;
        size_t b = live_bytes() - base;
        if (b > m[1]) m[1] = b;
    }
    live_st l = { base, 0 };
    if (ls__xd_each(x, live_each, &l) != LS_OK) bad++;
    m[2] = l.max;
    ls__xd_free(x);
    return bad;
}
#endif

/* Nothing the interner holds grows with the occurrences or the distinct
 * strings: 4 times the input (all of whose partitions fill their blocks
 * either way) leaves the live heap after resolve, during next and during
 * each within a few hundred bytes (a bitmap over the occurrences, as an
 * earlier design kept, would add 56 KB here), without and with splits
 * (a budget that 200K distinct strings pass 8 times over). */
TEST(memory_does_not_grow)
{
#ifdef HAVE_LIVE
    size_t budgets[2] = { (size_t)16 << 20, (size_t)256 << 10 };
    for (int b = 0; b < 2; b++) {
        size_t small[3], big[3];
        CHECK_EQ_INT(live_run(150000, budgets[b], small), 0);
        CHECK_EQ_INT(live_run(600000, budgets[b], big), 0);
        for (int i = 0; i < 3; i++) {
            if (big[i] > small[i] + 512)
                fprintf(stderr, "  budget %zu, %s: %zu live bytes for 150K occurrences, %zu for 600K\n",
                        budgets[b], i == 0 ? "after resolve" : i == 1 ? "next" : "each", small[i], big[i]);
            CHECK(big[i] <= small[i] + 512);
            /* The read positions of ls__xd_next: 2P + 1 blocks and a few words. */
            CHECK(big[i] < (size_t)2 << 20);
        }
    }
#endif
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/ls_test_xdedup_XXXXXX");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    if (ls_ctx_new(&ctx) != LS_OK) return 1;
    RUN(hand_computed);
    RUN(empty_and_single);
    RUN(empty_string_is_refused);
    RUN(identical_and_distinct);
    RUN(random_with_repeats);
    RUN(hash_collisions);
    RUN(internal_hash_collisions);
    RUN(numbers);
    RUN(long_strings);
    RUN(next_each_interleaved);
    RUN(each_stops);
    RUN(id_limit);
    RUN(unwritable_folder);
    RUN(write_failures);
    RUN(resolve_write_failures_everywhere);
    RUN(same_input_same_bytes);
    RUN(memory_does_not_grow);
    ls_ctx_free(ctx);
    rmdir(dir);
    TEST_END();
}
