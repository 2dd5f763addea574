/*
 * test_store_spill.c — the builder's spill path (src/store/builder_spill.c
 * and the spilling string pool in pool.c), run on small inputs through a
 * tiny spill threshold: a spilling pool gives the same ids and strings as
 * one in RAM (also without its index), a store built with everything
 * spilling (threshold 1 byte, and 300 bytes) is byte-identical to one
 * built in RAM, also for an append with RT @name accounts moved, the spill
 * files never show up in their folder, and a spill folder that cannot be
 * written fails with LS_ERR_IO naming it.
 */
#include "test.h"
#include "store/builder.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tmpdir.h"

static int count_files(const char *d)
{
    DIR *h = opendir(d);
    struct dirent *e;
    int n = 0;
    if (!h) return -1;
    while ((e = readdir(h)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
    closedir(h);
    return n;
}

TEST(pool_spills_and_reads_back)
{
    ls__pool p;
    char s[32], spill_dir[300];
    int bad = 0;
    uint64_t bytes = 0;
    snprintf(spill_dir, sizeof spill_dir, "%s/pool", dir);
    CHECK(mkdir(spill_dir, 0700) == 0);
    ls__pool_init(&p);
    ls__pool_spill(&p, spill_dir, 100);
    for (int i = 0; i < 5000; i++) {
        uint32_t id = LS__NONE;
        int n = snprintf(s, sizeof s, "string-%d", i);
        if (ls__pool_put(&p, (ls__str){ s, (size_t)n }, &id) != LS_OK || id != (uint32_t)i) bad++;
        bytes += (uint64_t)n;
    }
    CHECK_EQ_INT(bad, 0);
    /* All but the last < 100 bytes are in the file, which has no name. */
    CHECK(p.fd >= 0);
    CHECK(p.blob.n < 100);
    CHECK_EQ_INT(p.base + p.blob.n, bytes);
    CHECK_EQ_INT(ls__pool_bytes(&p), bytes);
    CHECK_EQ_INT(count_files(spill_dir), 0);
    /* Old strings (spilled) and new ones keep their ids. */
    for (int i = 0; i < 5000; i += 7) {
        uint32_t id = LS__NONE;
        int n = snprintf(s, sizeof s, "string-%d", i);
        ls__str str = { s, (size_t)n };
        if (ls__pool_put(&p, str, &id) != LS_OK || id != (uint32_t)i) bad++;
        if (ls__pool_find(&p, str) != (uint32_t)i) bad++;
        if (!ls__str_eq(ls__pool_get(&p, (uint32_t)i), str)) bad++;
    }
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(p.n, 5000);
    /* Strings too long for the read-back cache (over 1 KiB) go through
     * the scratch buffer: three of them, read in turn between lookups
     * of cached ones, all spilled by the end. */
    static char big[3][3000];
    for (int k = 0; k < 3; k++) {
        uint32_t id = LS__NONE;
        memset(big[k], 'a' + k, sizeof big[k]);
        if (ls__pool_put(&p, (ls__str){ big[k], sizeof big[k] - k }, &id) != LS_OK || id != 5000u + (uint32_t)k) bad++;
        bytes += sizeof big[k] - (size_t)k;
    }
    for (int i = 0; i < 5000; i += 50) {
        uint32_t id = LS__NONE;
        int n = snprintf(s, sizeof s, "string-%d", i);
        for (int k = 0; k < 3; k++) {
            ls__str g = ls__pool_get(&p, 5000u + (uint32_t)k);
            if (g.n != sizeof big[k] - (size_t)k || memcmp(g.p, big[k], g.n) != 0) bad++;
        }
        if (ls__pool_put(&p, (ls__str){ big[1], sizeof big[1] - 1 }, &id) != LS_OK || id != 5001) bad++;
        if (ls__pool_put(&p, (ls__str){ s, (size_t)n }, &id) != LS_OK || id != (uint32_t)i) bad++;
    }
    CHECK(p.base >= bytes - 100);
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(p.n, 5003);
    CHECK_EQ_INT(ls__pool_find(&p, LS__S("string-5000")), LS__NONE);
    CHECK_EQ_INT(ls__pool_bytes(&p), bytes);
    /* Without the index a find scans, reading the file. */
    ls__pool_drop_index(&p);
    CHECK_EQ_INT(ls__pool_find(&p, LS__S("string-17")), 17);
    CHECK_EQ_INT(ls__pool_find(&p, LS__S("string-4999")), 4999);
    CHECK_EQ_INT(ls__pool_find(&p, LS__S("string-x")), LS__NONE);
    CHECK_EQ_INT(p.err, 0);
    ls__pool_free(&p);
    rmdir(spill_dir);
}

/* Post k of a made-up stream: retweets (some known only by "RT @name"),
 * replies, hashtags, URLs, mentions, repeated texts, times out of order,
 * a duplicate every 700 posts.  off shifts ids for a second batch. */
static int add_post(ls__builder *b, int k, int off)
{
    char post[32], acct[32], text[64], ref[32], racct[32], tag[32], url[64], name[32], rtname[32];
    ls__str tags[1], urls[1], ment[1];
    ls__rec r;
    int id = k % 700 == 699 ? k - 1 : k;
    ls__rec_clear(&r);
    snprintf(post, sizeof post, "%d", 1000000 + off + id);
    snprintf(acct, sizeof acct, "acct%d", (id + off) % 400);
    snprintf(text, sizeof text, "text number %d with some words", id % 900);
    snprintf(ref, sizeof ref, "%d", 1000000 + (off + id) / 2);
    snprintf(racct, sizeof racct, "acct%d", (id * 7) % 400);
    snprintf(tag, sizeof tag, "tag%d", id % 13);
    snprintf(url, sizeof url, "https://example.com/page/%d", id % 50);
    snprintf(name, sizeof name, "Name%d", (id * 3 + off) % 450);
    snprintf(rtname, sizeof rtname, "Rt%d", id % 20);
    r.post_id = ls__str_c(post);
    r.account_id = ls__str_c(acct);
    r.screen_name = ls__str_c(name);
    r.text = ls__str_c(text);
    r.time_ms = 1600000000000LL + (int64_t)((id * 7919) % 5003) * 1000;
    if (id % 3 == 1) {
        r.kind = LS_KIND_RETWEET;
        r.ref_post = ls__str_c(ref);
        if (id % 9 == 4) r.ref_screen_name = ls__str_c(rtname);   /* author by name only */
        else r.ref_account = ls__str_c(racct);
    } else if (id % 5 == 2) {
        r.kind = LS_KIND_REPLY;
        r.reply_post = ls__str_c(ref);
        r.reply_account = ls__str_c(racct);
    }
    tags[0] = ls__str_c(tag);
    urls[0] = ls__str_c(url);
    ment[0] = ls__str_c(racct);
    r.hashtags = tags; r.n_hashtags = id % 2;
    r.urls = urls; r.n_urls = id % 4 == 0;
    r.mentions = ment; r.n_mentions = id % 3 == 1;
    r.likes = id % 13;
    return ls__builder_add_post(b, &r, "t.csv", (uint64_t)k + 1);
}

/* Builds n posts (offset off) into a builder spilling at `at` bytes
 * (0: never), loading `load` first if given, and writes it to path. */
static int build(ls_ctx *ctx, size_t at, const char *load, int n, int off, const char *path, int *spilled)
{
    ls__builder *b = NULL;
    int before = count_files(dir);
    int st = ls__builder_new(ctx, &b);
    if (st) return st;
    ls__builder_set_spill_dir(b, dir);
    ls__builder_spill_at(b, at);
    if (load && (st = ls__builder_load(b, load))) goto done;
    for (int k = 0; k < n && !st; k++) st = add_post(b, k, off);
    if (st) goto done;
    /* A users row for a name that retweets met before only as "RT @". */
    ls__acct a;
    ls__acct_clear(&a);
    a.account_id = off ? LS__S("777") : LS__S("778");
    a.screen_name = off ? LS__S("rt3") : LS__S("RT12");
    if ((st = ls__builder_add_account(b, &a))) goto done;
    if (spilled)
        *spilled = b->col_fd[0] >= 0 && b->col_fd[LS__N_EV_COLS] >= 0 &&
                   b->ns[LS_NS_TEXT].base > 0 && b->ns[LS_NS_POST].base > 0;
    /* Spill files have no name: the folder holds what it held before. */
    if (count_files(dir) != before) { st = LS_ERR_INTERNAL; goto done; }
    st = ls__builder_write(b, path);
done:
    ls__builder_free(b);
    return st;
}

static int same_file(const char *a, const char *b)
{
    FILE *f = fopen(a, "rb"), *g = fopen(b, "rb");
    int same = f && g, c, d;
    while (same && ((c = getc(f)) != EOF || 1)) {
        d = getc(g);
        if (c != d) same = 0;
        if (c == EOF) break;
    }
    if (f) fclose(f);
    if (g) fclose(g);
    return same;
}

TEST(spilled_store_is_identical)
{
    ls_ctx *ctx = NULL;
    int spilled = 0, spilled300 = 0;
    CHECK(ls_ctx_new(&ctx) == LS_OK);
    CHECK_EQ_INT(build(ctx, 0, NULL, 6000, 0, path_in("ram.lss"), NULL), LS_OK);
    CHECK_EQ_INT(build(ctx, 1, NULL, 6000, 0, path_in("spill1.lss"), &spilled), LS_OK);
    CHECK_EQ_INT(build(ctx, 300, NULL, 6000, 0, path_in("spill300.lss"), &spilled300), LS_OK);
    CHECK(spilled);
    CHECK(spilled300);
    CHECK(same_file(path_in("ram.lss"), path_in("spill1.lss")));
    CHECK(same_file(path_in("ram.lss"), path_in("spill300.lss")));
    /* Only the three stores are left: no spill file has a name. */
    CHECK_EQ_INT(count_files(dir), 3);

    /* The store opens, has the events (6000 less 8 duplicates) and the
     * RT @name authors resolved (Rt12's retweets to account 778, whose
     * users row says "RT12"; Rt3 has no account: "@rt3"). */
    ls_store *s = NULL;
    CHECK_EQ_INT(ls_store_open(ctx, path_in("spill1.lss"), &s), LS_OK);
    if (s) {
        CHECK_EQ_INT(s->n_events, 6000 - 8);
        uint32_t a778 = ls__strtab_find(&s->ns[LS_NS_ACCOUNT], LS__S("778"));
        CHECK(a778 != LS__NONE);
        size_t to778 = 0;
        for (size_t i = 0; i < s->n_events; i++) to778 += s->ev_ref_account[i] == a778;
        CHECK(to778 > 0);
        CHECK(ls__strtab_find(&s->ns[LS_NS_ACCOUNT], LS__S("@rt3")) != LS__NONE);
        ls_store_close(s);
    }

    /* Append: both load the RAM store, add 3000 more posts; rt3's real
     * account (777) arrives and takes over the "@rt3" events. */
    CHECK_EQ_INT(build(ctx, 0, path_in("ram.lss"), 3000, 100000, path_in("app_ram.lss"), NULL), LS_OK);
    CHECK_EQ_INT(build(ctx, 64, path_in("ram.lss"), 3000, 100000, path_in("app_spill.lss"), &spilled), LS_OK);
    CHECK(spilled);
    CHECK(same_file(path_in("app_ram.lss"), path_in("app_spill.lss")));
    CHECK(!same_file(path_in("ram.lss"), path_in("app_spill.lss")));
    CHECK_EQ_INT(ls_store_open(ctx, path_in("app_spill.lss"), &s), LS_OK);
    if (s) {
        uint32_t a777 = ls__strtab_find(&s->ns[LS_NS_ACCOUNT], LS__S("777"));
        uint32_t synth = ls__strtab_find(&s->ns[LS_NS_ACCOUNT], LS__S("@rt3"));
        size_t to777 = 0, to_synth = 0;
        for (size_t i = 0; i < s->n_events; i++) {
            to777 += s->ev_ref_account[i] == a777;
            to_synth += s->ev_ref_account[i] == synth;
        }
        CHECK(a777 != LS__NONE && synth != LS__NONE);
        CHECK(to777 > 0);
        CHECK_EQ_INT(to_synth, 0);
        CHECK_EQ_INT(s->n_events, 6000 - 8 + 3000 - 4);
        ls_store_close(s);
    }
    const char *names[] = { "ram.lss", "spill1.lss", "spill300.lss", "app_ram.lss", "app_spill.lss" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) unlink(path_in(names[i]));
    ls_ctx_free(ctx);
}

TEST(unwritable_spill_folder)
{
    ls_ctx *ctx = NULL;
    ls__builder *b = NULL;
    CHECK(ls_ctx_new(&ctx) == LS_OK);
    CHECK(ls__builder_new(ctx, &b) == LS_OK);
    if (b) {
        ls__builder_set_spill_dir(b, "/nonexistent-lockstep-dir");
        ls__builder_spill_at(b, 1);
        int st = LS_OK;
        for (int k = 0; k < 10 && st == LS_OK; k++) st = add_post(b, k, 0);
        CHECK_EQ_INT(st, LS_ERR_IO);
        CHECK(strstr(ls_ctx_message(ctx), "spill file in /nonexistent-lockstep-dir") != NULL);
        CHECK(strstr(ls_ctx_message(ctx), "No such file or directory") != NULL);
    }
    ls__builder_free(b);
    ls_ctx_free(ctx);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/ls_test_spill_XXXXXX");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    RUN(pool_spills_and_reads_back);
    RUN(spilled_store_is_identical);
    RUN(unwritable_spill_folder);
    rmdir(dir);
    TEST_END();
}
