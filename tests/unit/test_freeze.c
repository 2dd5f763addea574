/*
 * test_freeze.c — pools that freeze at a memory budget (pool.c) and the
 * builder's resolution of the strings they did not hold
 * (builder_freeze.c, builder_acct.c): a frozen pool keeps its ids and
 * gives LS__PROV for the rest; a builder whose post, text and URL pools
 * froze writes the same store as one whose pools never did, with
 * duplicates found at write time dropped and reported in row order; so
 * does one whose account, name and profile-string pools froze, with
 * profiles folded and RT @name authors found; a spill folder that cannot
 * be written is a clean LS_ERR_IO.
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

/* A context and a builder whose pools freeze at freeze_at bytes (NULL:
 * never), spilling into the test's folder. */
static int new_builder(const char *freeze_at, ls_ctx **ctx, ls__builder **b)
{
    int st;
    if (freeze_at) setenv("LOCKSTEP_FREEZE_AT", freeze_at, 1);
    else unsetenv("LOCKSTEP_FREEZE_AT");
    if ((st = ls_ctx_new(ctx)) == LS_OK && (st = ls__builder_new(*ctx, b)) == LS_OK)
        ls__builder_set_spill_dir(*b, dir);
    unsetenv("LOCKSTEP_FREEZE_AT");
    return st;
}

static int build(const char *path, const char *freeze_at, int *dups)
{
    ls_ctx *ctx = NULL;
    ls__builder *b = NULL;
    ls__rec r;
    ls__str urls[1];
    char id[32], text[64], url[64];
    int st;
    if ((st = new_builder(freeze_at, &ctx, &b))) goto done;
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

/* Row k of an account stream: 700 authors revisited with profile values
 * that change, go empty (keeping the last) and come back; retweets
 * known only by "RT @name" (some names an author has, in another case,
 * some nobody has); mentions of accounts that never post; a duplicate
 * every 10th row from 100 on; and a users row every 100th. */
static int account_row(ls__builder *b, int k)
{
    char pid[32], acc[32], screen[32], disp[32], loc[32], desc[32], rt[32], men[32], ua[32], us[32];
    int a = (k * 37) % 700;
    ls__rec r;
    ls__str mentions[1];
    ls__rec_clear(&r);
    snprintf(pid, sizeof pid, "p%d", k >= 100 && k % 10 == 0 ? k - 50 : k);
    snprintf(acc, sizeof acc, "acct-%d", a);
    snprintf(screen, sizeof screen, "name%d_%d", a, k / 500);
    snprintf(disp, sizeof disp, "Display %d", a);
    snprintf(loc, sizeof loc, "City %d", k % 13);
    snprintf(desc, sizeof desc, "desc %d", a % 50);
    /* empty on some rows: the last value stays */
    if (k % 4 == 0) screen[0] = '\0';
    if (k % 3 == 0) disp[0] = '\0';
    if (k % 5) loc[0] = '\0';
    if (k % 2 == 0) desc[0] = '\0';
    snprintf(rt, sizeof rt, "Name%d_0", k % 900);
    snprintf(men, sizeof men, "acct-%d", (k * 13) % 900);
    r.post_id = ls__str_c(pid);
    r.account_id = ls__str_c(acc);
    r.screen_name = ls__str_c(screen);
    r.display_name = ls__str_c(disp);
    r.location = ls__str_c(loc);
    r.description = ls__str_c(desc);
    r.account_lang = k % 7 == 0 ? LS__S("") : k % 2 ? LS__S("en") : LS__S("zh");
    r.followers = k % 6 == 0 ? -1 : k;
    r.created_ms = k % 9 == 0 ? (int64_t)a * 1000 : LS__TIME_NONE;
    r.time_ms = 1590969600000 + (int64_t)((k * 7919) % 1009) * 1000;
    r.kind = LS_KIND_TWEET;
    if (k % 4 == 1) {
        r.kind = LS_KIND_RETWEET;
        r.ref_post = LS__S("p0");
        r.ref_screen_name = ls__str_c(rt);
    }
    mentions[0] = ls__str_c(men);
    r.mentions = mentions;
    r.n_mentions = 1;
    int st = ls__builder_add_post(b, &r, "a.csv", (uint64_t)k + 2);
    if (st || k % 100) return st;
    ls__acct u;
    ls__acct_clear(&u);
    snprintf(ua, sizeof ua, "acct-%d", k % 1000);
    snprintf(us, sizeof us, "user%d_%d", k % 1000, k);
    u.account_id = ls__str_c(ua);
    u.screen_name = ls__str_c(us);
    return ls__builder_add_account(b, &u);
}

static int build_accounts(const char *path, const char *freeze_at)
{
    ls_ctx *ctx = NULL;
    ls__builder *b = NULL;
    int st;
    if ((st = new_builder(freeze_at, &ctx, &b))) goto done;
    for (int k = 0; k < 2000 && st == LS_OK; k++) st = account_row(b, k);
    if (st == LS_OK) st = ls__builder_write(b, path);
done:
    ls__builder_free(b);
    ls_ctx_free(ctx);
    return st;
}

TEST(frozen_accounts_same_store)
{
    /* Never, from the first string (every account, name and profile
     * string past its pool, and the fold in buckets), and after the
     * pools' first index (part held, part not). */
    const char *at[3] = { NULL, "1", "40000" };
    const char *name[3] = { "acc_never.lss", "acc_once.lss", "acc_later.lss" };
    ls__buf s[3] = { { 0 }, { 0 }, { 0 } };
    for (int i = 0; i < 3; i++) {
        CHECK_EQ_INT(build_accounts(path_in(name[i]), at[i]), LS_OK);
        CHECK(read_file(path_in(name[i]), &s[i]) == 0 && s[i].n > 0);
    }
    CHECK(s[1].n == s[0].n && memcmp(s[0].p, s[1].p, s[0].n) == 0);
    CHECK(s[2].n == s[0].n && memcmp(s[0].p, s[2].p, s[0].n) == 0);
    for (int i = 0; i < 3; i++) ls__buf_free(&s[i]);

    ls_ctx *ctx = NULL;
    ls_store *st = NULL;
    CHECK_EQ_INT(ls_ctx_new(&ctx), LS_OK);
    CHECK_EQ_INT(ls_store_open(ctx, path_in("acc_once.lss"), &st), LS_OK);
    if (st) {
        /* acct-0 writes rows 0, 700 and 1400 (37k = 0 mod 700) and has
         * users rows 0 and 1000.  Screen names: none on those rows (k % 4
         * == 0), so the users rows' last, user0_1000; display "Display 0"
         * (700, 1400); location City 9 (1400 % 13); no description (even
         * rows); language: none given (k % 7 == 0); followers 1400 (row
         * 1400; row 0 has none); created 0 ms (row 0 only). */
        uint32_t a = ls__strtab_find(&st->ns[LS_NS_ACCOUNT], LS__S("acct-0"));
        CHECK(a != LS__NONE);
        if (a != LS__NONE) {
            ls__str v = ls__strtab_get(&st->ns[LS_NS_NAME], st->acc_screen[a]);
            CHECK(ls__str_eqc(v, "user0_1000"));
            v = ls__strtab_get(&st->ns[LS_NS_NAME], st->acc_display[a]);
            CHECK(ls__str_eqc(v, "Display 0"));
            v = ls__strtab_get(&st->ns[LS_NS_MISC], st->acc_location[a]);
            CHECK(ls__str_eqc(v, "City 9"));
            CHECK_EQ_INT(st->acc_description[a], LS__NONE);
            CHECK_EQ_INT(st->acc_lang[a], 0xFFFF);
            CHECK_EQ_INT(st->acc_followers[a], 1400);
            CHECK_EQ_INT(st->acc_created[a], 0);
        }
        /* 700 authors; mentioned accounts acct-700 .. acct-899 (13k mod
         * 900 takes every value); users rows of acct-0, acct-100, ...,
         * acct-900 (k % 1000), of which only acct-900 is new: 901 real
         * accounts, the rest synthetic "@name" ones. */
        uint32_t real = 0;
        for (uint32_t i = 0; i < st->ns[LS_NS_ACCOUNT].n; i++)
            real += ls__strtab_get(&st->ns[LS_NS_ACCOUNT], i).p[0] != '@';
        CHECK_EQ_INT(real, 901);
        CHECK(st->ns[LS_NS_ACCOUNT].n > real);
    }
    ls_store_close(st);
    ls_ctx_free(ctx);
    for (int i = 0; i < 3; i++) unlink(path_in(name[i]));
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
    RUN(frozen_accounts_same_store);
    RUN(unwritable_spill_folder);
    rmdir(dir);
    TEST_END();
}
