/*
 * test_sim.c — the simulator: determinism (same seed, same bytes), the
 * june2020 scenario's published ratios at small scale, ground truth
 * consistent with the written data, snowflake ids that decode to the
 * row's minute, parameter checking, the writers' number and time
 * formatting and CSV quoting, the O_DIRECT sink, the writers' chunk driver, the prefault
 * helper, and the parallel event sort.
 */
#include "sim/sim.h"
#include "test.h"
#include <dirent.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DAY_MS 86400000LL

static ls_ctx *ctx;

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)len + 1);
    if (p && fread(p, 1, (size_t)len, f) != (size_t)len) { free(p); p = NULL; }
    fclose(f);
    if (p) { p[len] = 0; *n = (size_t)len; }
    return p;
}

static int same_file(const char *a, const char *b)
{
    size_t na = 0, nb = 0;
    char *pa = slurp(a, &na), *pb = slurp(b, &nb);
    int same = pa && pb && na == nb && memcmp(pa, pb, na) == 0 && na > 0;
    free(pa); free(pb);
    return same;
}

static ls_sim *make(double scale, unsigned long long seed)
{
    ls_sim *s = NULL;
    char v[64];
    if (ls_sim_new(ctx, "june2020", &s)) return NULL;
    snprintf(v, sizeof v, "%g", scale);
    ls_sim_set(ctx, s, "scale", v);
    snprintf(v, sizeof v, "%llu", seed);
    ls_sim_set(ctx, s, "seed", v);
    return s;
}

static char tmp_root[256];

TEST(determinism)
{
    static const char *const files[] = { "tweets.csv", "users.csv", "truth.csv", "truth_links.csv",
                                         "archive/china_082019_tweets.csv", "archive/china_082019_users.csv" };
    char a[300], b[300], c[300], fa[400], fb[400], fc[400];
    snprintf(a, sizeof a, "%s/a", tmp_root);
    snprintf(b, sizeof b, "%s/b", tmp_root);
    snprintf(c, sizeof c, "%s/c", tmp_root);
    ls_sim *s = make(0.004, 7), *s2 = make(0.004, 8);
    CHECK(s && s2);
    if (!s || !s2) return;
    /* Different thread counts format the output in parallel chunks; the
     * bytes must not change (0.004 gives three 16384-event chunks). */
    ls_ctx_set_threads(ctx, 1);
    CHECK_EQ_INT(ls_sim_write(ctx, s, a, NULL), LS_OK);
    ls_ctx_set_threads(ctx, 3);
    CHECK_EQ_INT(ls_sim_write(ctx, s, b, NULL), LS_OK);
    ls_ctx_set_threads(ctx, 0);
    CHECK_EQ_INT(ls_sim_write(ctx, s2, c, NULL), LS_OK);
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(fa, sizeof fa, "%s/%s", a, files[i]);
        snprintf(fb, sizeof fb, "%s/%s", b, files[i]);
        if (!same_file(fa, fb)) { fprintf(stderr, "  %s differs between runs\n", files[i]); CHECK(0); }
    }
    /* Another seed gives other data. */
    snprintf(fa, sizeof fa, "%s/tweets.csv", a);
    snprintf(fc, sizeof fc, "%s/tweets.csv", c);
    CHECK(!same_file(fa, fc));
    /* v1 and v2 are deterministic too. */
    CHECK_EQ_INT(ls_sim_set(ctx, s, "format", "v2"), LS_OK);
    CHECK_EQ_INT(ls_sim_write(ctx, s, a, NULL), LS_OK);
    CHECK_EQ_INT(ls_sim_write(ctx, s, b, NULL), LS_OK);
    snprintf(fa, sizeof fa, "%s/tweets.jsonl", a);
    snprintf(fb, sizeof fb, "%s/tweets.jsonl", b);
    CHECK(same_file(fa, fb));
    ls_sim_free(s);
    ls_sim_free(s2);
}

/* Ratios of the published June 2020 figures, on the world itself. */
TEST(scenario_ratios)
{
    ls_sim *s = make(0.01, 3);
    ls__sim_world w;
    memset(&w, 0, sizeof w);
    CHECK(s != NULL);
    if (!s) return;
    w.p = s;
    w.seed = s->seed;
    CHECK_EQ_INT(ls__sim_build(ctx, &w), LS_OK);
    size_t core = 0, amp = 0, zero = 0, under8 = 0, op_acc = 0, organic = 0;
    for (size_t i = 0; i < w.n_acct; i++) {
        const ls__sim_acct *a = &w.acct[i];
        if (a->kind == K_ORGANIC) organic++;
        if (a->net != NET_JUNE2020) continue;
        op_acc++;
        core += a->role == ROLE_CORE;
        amp += a->role == ROLE_AMP;
        zero += a->followers == 0;
        under8 += a->followers < 8;
    }
    /* 23,750 core and 150,000 amplifiers at scale 1. */
    CHECK_EQ_INT(core, 238);
    CHECK_EQ_INT(amp, 1500);
    CHECK(organic > 3 * op_acc);
    double zs = (double)zero / op_acc, us = (double)under8 / op_acc;
    if (zs < 0.74 || zs > 0.82) { fprintf(stderr, "  zero-follower share %.3f\n", zs); CHECK(0); }
    if (us < 0.93 || us > 0.97) { fprintf(stderr, "  under-8 share %.3f\n", us); CHECK(0); }

    size_t narr = 0, hk = 0, office = 0, core_tweets = 0, amp_ev = 0, amp_core_rt = 0, core_orig = 0;
    for (size_t i = 0; i < w.n_ev; i++) {
        const ls__sim_ev *e = &w.ev[i];
        const ls__sim_acct *a = &w.acct[e->user];
        if (a->net != NET_JUNE2020) continue;
        if (a->role == ROLE_CORE) {
            core_tweets++;
            if (e->type == EV_ORIG && e->topic <= T_OP_TW) {
                narr++;
                hk += e->topic == T_OP_HK;
                /* Beijing office hours: weekdays 09-18 in UTC+8.  2020-03-02
                 * is a Monday, so days since t0 give the weekday. */
                int64_t local = e->ms - w.t0 + 8 * 3600000LL;
                int64_t day = local / DAY_MS, hour = local % DAY_MS / 3600000LL;
                office += day % 7 < 5 && hour >= 9 && hour < 18;
                core_orig++;
            }
        } else {
            amp_ev++;
            if (e->type == EV_RT && w.acct[w.ev[e->ref].user].role == ROLE_CORE &&
                w.acct[w.ev[e->ref].user].net == NET_JUNE2020) amp_core_rt++;
        }
    }
    double hks = (double)hk / narr, offs = (double)office / core_orig;
    if (hks < 0.30 || hks > 0.38) { fprintf(stderr, "  Hong Kong share %.3f\n", hks); CHECK(0); }
    /* Weekday office weights put 7.85 of 8.2 inside 09-18 (the rest at
     * 08:xx and 18:xx), times 1 - overtime (0.07) - weekend (0.04):
     * 0.957 * 0.89 = 0.852. */
    if (offs < 0.81 || offs > 0.89) { fprintf(stderr, "  office-hours share %.3f\n", offs); CHECK(0); }
    /* 348,608 tweets / 23,750 accounts = 14.7 per core account. */
    double per = (double)core_tweets / core;
    if (per < 12 || per > 17) { fprintf(stderr, "  tweets per core account %.2f\n", per); CHECK(0); }
    /* Amplifiers mostly retweet core posts: camouflage (15%) applies from
     * the third action on, about 0.15 * 0.6 of all actions. */
    double ampshare = (double)amp_core_rt / amp_ev;
    if (ampshare < 0.85 || ampshare > 0.95) { fprintf(stderr, "  amplifier core-retweet share %.3f\n", ampshare); CHECK(0); }
    /* Retweets follow their originals, within seconds to minutes for the
     * amplifiers (median delay 150 s). */
    size_t fast = 0, n_rt = 0;
    for (size_t i = 0; i < w.n_ev; i++) {
        const ls__sim_ev *e = &w.ev[i];
        if (e->type != EV_RT) continue;
        CHECK(e->ms > w.ev[e->ref].ms);
        if (w.acct[e->user].role != ROLE_AMP) continue;
        n_rt++;
        fast += e->ms - w.ev[e->ref].ms < 10 * 60000;
    }
    CHECK(n_rt > 0 && (double)fast / n_rt > 0.75);
    /* The lengths the writers take from the account record instead of
     * strlen: the user id text's, and the screen name's from the offsets
     * (the name, its NUL, then the id text). */
    size_t bad_len = 0;
    for (size_t i = 0; i < w.n_acct; i++) {
        bad_len += LS__SIM_UID_LEN(&w, i) != strlen(LS__SIM_UID(&w, i)) || LS__SIM_UID_LEN(&w, i) == 0;
        bad_len += LS__SIM_NAME_LEN(&w, i) != strlen(LS__SIM_NAME(&w, i)) || LS__SIM_NAME_LEN(&w, i) == 0;
    }
    CHECK_EQ_INT(bad_len, 0);
    ls__sim_world_free(&w);
    ls_sim_free(s);
}

/* The CSV quoting test scans 16 bytes a step, ends on a step that
 * overlaps the one before and takes fields under 16 bytes as two
 * overlapping 8- or 4-byte pieces: a special byte at every position of
 * fields of every length up to 70, none, and the bytes around the field
 * (which must not be read: ASan checks the exact-size copies). */
static char *naive_csv(char *d, const char *p, size_t n)
{
    int q = 0;
    for (size_t i = 0; i < n; i++) q |= p[i] == ',' || p[i] == '"' || p[i] == '\n' || p[i] == '\r';
    if (q) *d++ = '"';
    for (size_t i = 0; i < n; i++) {
        *d++ = p[i];
        if (q && p[i] == '"') *d++ = '"';
    }
    if (q) *d++ = '"';
    return d;
}

TEST(csv_quoting)
{
    static const char special[] = { ',', '"', '\n', '\r' };
    char want[160], got[160];
    size_t fails = 0, cases = 0;
    for (size_t n = 0; n <= 70; n++) {
        for (size_t at = 0; at <= n; at++) {   /* at == n: no special byte */
            for (size_t k = 0; k < (at < n ? sizeof special : 1); k++) {
                /* An exact-size heap copy, so that ASan sees any read outside it. */
                char *f = malloc(n ? n : 1);
                if (!f) { CHECK(0); return; }
                for (size_t i = 0; i < n; i++) f[i] = (char)('a' + (i * 7 + n) % 26);
                if (at < n) f[at] = special[k];
                size_t wn = (size_t)(naive_csv(want, f, n) - want);
                size_t gn = (size_t)(ls__sim_csv_raw(got, f, n) - got);
                fails += wn != gn || memcmp(want, got, wn) != 0;
                ls__buf b = { 0 };
                fails += ls__buf_csv(&b, f, n) != LS_OK || b.n != wn || (wn && memcmp(b.p, want, wn) != 0);
                ls__buf_free(&b);
                free(f);
                cases++;
            }
        }
    }
    CHECK_EQ_INT(fails, 0);
    CHECK(cases > 5000);
    /* Hand-checked: quoted only with a special byte, quotes doubled. */
    CHECK_EQ_INT(ls__sim_csv_raw(got, "abc", 3) - got, 3);
    CHECK(memcmp(got, "abc", 3) == 0);
    CHECK_EQ_INT(ls__sim_csv_raw(got, "0123456789abcdef\"", 17) - got, 20);
    CHECK(memcmp(got, "\"0123456789abcdef\"\"\"", 20) == 0);
    CHECK_EQ_INT(ls__sim_csv_raw(got, "a,b", 3) - got, 5);
    CHECK(memcmp(got, "\"a,b\"", 5) == 0);
}

/* Finds the index of column name in a header record. */
static int col(const ls__simcsv *c, const char *name)
{
    for (size_t i = 0; i < c->nf; i++) if (strcmp(c->f[i], name) == 0) return (int)i;
    return -1;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int has(const uint64_t *v, size_t n, uint64_t x)
{
    return bsearch(&x, v, n, sizeof *v, cmp_u64) != NULL;
}

/* The written files: truth accounts in users.csv, amplifiers retweet core
 * posts, snowflakes decode to tweet_time, 31 columns everywhere. */
TEST(truth_consistent_with_files)
{
    char dir[300], path[400];
    snprintf(dir, sizeof dir, "%s/t", tmp_root);
    ls_sim *s = make(0.005, 11);
    CHECK(s && ls_sim_write(ctx, s, dir, NULL) == LS_OK);
    ls_sim_free(s);
    ls__simcsv c;
    uint64_t *users = NULL, *core = NULL, *amp = NULL;
    size_t n_users = 0, n_core = 0, n_amp = 0, n_truth = 0;
    snprintf(path, sizeof path, "%s/users.csv", dir);
    CHECK_EQ_INT(ls__simcsv_open(ctx, &c, path), LS_OK);
    users = malloc(sizeof *users * 100000);
    core = malloc(sizeof *core * 100000);
    amp = malloc(sizeof *amp * 100000);
    CHECK_EQ_INT(ls__simcsv_next(ctx, &c), LS_OK);
    CHECK_EQ_INT(c.nf, 10);
    CHECK_EQ_STR(c.f[0], "userid");
    while (ls__simcsv_next(ctx, &c) == LS_OK && c.nf && n_users < 100000) {
        CHECK_EQ_INT(c.nf, 10);
        users[n_users++] = strtoull(c.f[0], NULL, 10);
    }
    ls__simcsv_close(&c);
    qsort(users, n_users, sizeof *users, cmp_u64);
    snprintf(path, sizeof path, "%s/truth.csv", dir);
    CHECK_EQ_INT(ls__simcsv_open(ctx, &c, path), LS_OK);
    CHECK_EQ_INT(ls__simcsv_next(ctx, &c), LS_OK);
    CHECK(c.nf == 4 && strcmp(c.f[1], "kind") == 0);
    size_t missing = 0, kinds_seen = 0;
    char seen[16][32];
    while (ls__simcsv_next(ctx, &c) == LS_OK && c.nf) {
        uint64_t u = strtoull(c.f[0], NULL, 10);
        n_truth++;
        missing += !has(users, n_users, u);
        if (strcmp(c.f[2], "op_june2020") == 0) {
            if (strcmp(c.f[3], "core") == 0) core[n_core++] = u;
            else if (strcmp(c.f[3], "amplifier") == 0) amp[n_amp++] = u;
            else CHECK(0);
        }
        size_t k = 0;
        while (k < kinds_seen && strcmp(seen[k], c.f[1]) != 0) k++;
        if (k == kinds_seen && kinds_seen < 16) snprintf(seen[kinds_seen++], 32, "%s", c.f[1]);
    }
    ls__simcsv_close(&c);
    CHECK_EQ_INT(missing, 0);
    CHECK_EQ_INT(n_truth, n_users);
    CHECK_EQ_INT(kinds_seen, 8);   /* operation, organic and six look-alike groups */
    qsort(core, n_core, sizeof *core, cmp_u64);
    qsort(amp, n_amp, sizeof *amp, cmp_u64);

    snprintf(path, sizeof path, "%s/tweets.csv", dir);
    CHECK_EQ_INT(ls__simcsv_open(ctx, &c, path), LS_OK);
    CHECK_EQ_INT(ls__simcsv_next(ctx, &c), LS_OK);
    CHECK_EQ_INT(c.nf, 31);
    int c_id = col(&c, "tweetid"), c_user = col(&c, "userid"), c_time = col(&c, "tweet_time"),
        c_rt = col(&c, "is_retweet"), c_rtu = col(&c, "retweet_userid"), c_poll = col(&c, "poll_choices");
    CHECK(c_id == 0 && c_user == 1 && c_time == 13 && c_rt == 18 && c_rtu == 19 && c_poll == 30);
    size_t rows = 0, bad_time = 0, bad_cols = 0, amp_rows = 0, amp_core_rt = 0, not_in_users = 0;
    uint64_t prev_id = 0;
    size_t not_increasing = 0;
    while (ls__simcsv_next(ctx, &c) == LS_OK && c.nf) {
        rows++;
        if (c.nf != 31) { bad_cols++; continue; }
        uint64_t id = strtoull(c.f[c_id], NULL, 10), u = strtoull(c.f[c_user], NULL, 10);
        not_increasing += id <= prev_id;
        prev_id = id;
        char tm[17];
        ls__sim_fmt_minute((int64_t)(id >> 22) + LS__SNOWFLAKE_EPOCH, tm);
        bad_time += strcmp(tm, c.f[c_time]) != 0;
        not_in_users += !has(users, n_users, u);
        if (has(amp, n_amp, u)) {
            amp_rows++;
            if (strcmp(c.f[c_rt], "True") == 0 && has(core, n_core, strtoull(c.f[c_rtu], NULL, 10))) amp_core_rt++;
        }
    }
    ls__simcsv_close(&c);
    CHECK(rows > 20000);
    CHECK_EQ_INT(bad_cols, 0);
    CHECK_EQ_INT(bad_time, 0);
    CHECK_EQ_INT(not_increasing, 0);
    CHECK_EQ_INT(not_in_users, 0);
    /* Camouflage 15% and one retweet in fifty without retweet_userid. */
    CHECK(amp_rows > 0 && (double)amp_core_rt / amp_rows > 0.78);
    free(users); free(core); free(amp);
}

TEST(params)
{
    ls_sim *s = NULL;
    CHECK_EQ_INT(ls_sim_new(ctx, "june2020", &s), LS_OK);
    ls_sim_free(s);
    CHECK_EQ_INT(ls_sim_new(ctx, "nope", &s), LS_ERR_USAGE);
    CHECK(strstr(ls_ctx_message(ctx), "nope") != NULL);
    CHECK(s == NULL);
    CHECK_EQ_INT(ls_sim_new(ctx, NULL, &s), LS_OK);
    CHECK_EQ_INT(ls_sim_set(ctx, s, "op_amplifiers", "1000"), LS_OK);
    CHECK(s->v[P_OP_AMP] == 1000);
    CHECK(s->v[P_OP_CORE] == 23750);
    CHECK(s->v[P_OP_CORE_TWEETS] == 348608);
    CHECK_EQ_INT(ls_sim_set(ctx, s, "op_zero_followers", "1.5"), LS_ERR_USAGE);
    CHECK_EQ_INT(ls_sim_set(ctx, s, "op_zero_followers", "abc"), LS_ERR_USAGE);
    CHECK_EQ_INT(ls_sim_set(ctx, s, "no_such_param", "1"), LS_ERR_USAGE);
    CHECK(strstr(ls_ctx_message(ctx), "no_such_param") != NULL);
    CHECK_EQ_INT(ls_sim_set(ctx, s, "scale", "0"), LS_ERR_USAGE);
    CHECK_EQ_INT(ls_sim_set(ctx, s, "seed", "-1"), LS_ERR_USAGE);
    CHECK_EQ_INT(ls_sim_set(ctx, s, "format", "xml"), LS_ERR_USAGE);
    CHECK_EQ_INT(ls_sim_set(ctx, s, "format", "v1"), LS_OK);
    CHECK_EQ_INT(s->format, 1);
    /* Every parameter is listed. */
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    ls_sim_list_params(s, f);
    fclose(f);
    CHECK(buf && strstr(buf, "op_core_accounts") && strstr(buf, "op_amplifiers") && strstr(buf, "fandom_fans"));
    size_t lines = 0;
    for (size_t i = 0; i < n; i++) lines += buf[i] == '\n';
    CHECK_EQ_INT(lines, P_COUNT + 2);
    free(buf);
    ls_sim_free(s);
}

TEST(calendar_and_snowflake)
{
    char tm[17], d[11];
    int64_t t0 = ls__sim_days_from_civil(2020, 3, 2) * DAY_MS;
    CHECK_EQ_INT(t0, 1583107200000LL);
    ls__sim_fmt_minute(t0 + 13 * 3600000LL + 5 * 60000 + 59999, tm);
    CHECK_EQ_STR(tm, "2020-03-02 13:05");
    ls__sim_fmt_date(ls__sim_days_from_civil(2016, 2, 29) * DAY_MS, d);
    CHECK_EQ_STR(d, "2016-02-29");
    /* Tweet id 1234567890123456789 decodes to 2020-03-02 19:54:56.824 UTC. */
    ls__sim_fmt_minute((int64_t)(1234567890123456789ULL >> 22) + LS__SNOWFLAKE_EPOCH, tm);
    CHECK_EQ_STR(tm, "2020-03-02 19:54");
}

/* Hand-computed digits: the writers' number formatting. */
TEST(number_formatting)
{
    char b[32];
    CHECK_EQ_INT(ls__sim_utoa(b, 0) - b, 1); CHECK_EQ_STR(b, "0");
    ls__sim_utoa(b, 9); CHECK_EQ_STR(b, "9");
    ls__sim_utoa(b, 10); CHECK_EQ_STR(b, "10");
    ls__sim_utoa(b, 99); CHECK_EQ_STR(b, "99");
    ls__sim_utoa(b, 100); CHECK_EQ_STR(b, "100");
    ls__sim_utoa(b, 1005); CHECK_EQ_STR(b, "1005");
    CHECK_EQ_INT(ls__sim_utoa(b, 1234567890123456789ULL) - b, 19); CHECK_EQ_STR(b, "1234567890123456789");
    CHECK_EQ_INT(ls__sim_utoa(b, UINT64_MAX) - b, 20); CHECK_EQ_STR(b, "18446744073709551615");
    /* The eight-digit pieces: their edges and inner zeros. */
    CHECK_EQ_INT(ls__sim_utoa(b, 99999999) - b, 8); CHECK_EQ_STR(b, "99999999");
    CHECK_EQ_INT(ls__sim_utoa(b, 100000000) - b, 9); CHECK_EQ_STR(b, "100000000");
    ls__sim_utoa(b, 100000007); CHECK_EQ_STR(b, "100000007");
    ls__sim_utoa(b, 1000000000000000ULL); CHECK_EQ_STR(b, "1000000000000000");
    ls__sim_utoa(b, 10000000000000000ULL); CHECK_EQ_STR(b, "10000000000000000");
    ls__sim_utoa(b, 1290000000000000001ULL); CHECK_EQ_STR(b, "1290000000000000001");
    ls__sim_utoa(b, 4294967296ULL); CHECK_EQ_STR(b, "4294967296");
    CHECK_EQ_INT(ls__sim_hex(b, 0, 1) - b, 1); CHECK_EQ_STR(b, "0");
    ls__sim_hex(b, 15, 2); CHECK_EQ_STR(b, "0f");
    ls__sim_hex(b, 255, 2); CHECK_EQ_STR(b, "ff");
    ls__sim_hex(b, 0x1a, 8); CHECK_EQ_STR(b, "0000001a");
    ls__sim_hex(b, 0xdeadbeefULL, 8); CHECK_EQ_STR(b, "deadbeef");
    ls__sim_hex(b, 0x123456789ULL, 8); CHECK_EQ_STR(b, "123456789");
    CHECK_EQ_INT(ls__sim_hex(b, UINT64_MAX, 1) - b, 16); CHECK_EQ_STR(b, "ffffffffffffffff");
    /* Through an output buffer, near its end too (the slow path). */
    ls__out o;
    CHECK_EQ_INT(ls__out_init(&o, NULL), LS_OK);
    size_t cap0 = o.cap;
    o.n = cap0 - 5;
    ls__out_u64(&o, 18446744073709551615ULL);   /* the buffer grows */
    CHECK(!o.err);
    CHECK_EQ_INT(o.n, cap0 - 5 + 20);
    CHECK(memcmp(o.p + (o.n - 20), "18446744073709551615", 20) == 0);
    ls__out_free(&o);
}

/* tweet_time with the day cached: crossing midnight both ways, and before
 * 1970. */
TEST(minute_cache)
{
    char tm[17];
    ls__sim_day c = { 0, 0, "" };
    int64_t mid = ls__sim_days_from_civil(2020, 3, 3) * DAY_MS;
    ls__sim_fmt_minute_c(mid - 1, tm, &c); CHECK_EQ_STR(tm, "2020-03-02 23:59");
    ls__sim_fmt_minute_c(mid, tm, &c); CHECK_EQ_STR(tm, "2020-03-03 00:00");
    ls__sim_fmt_minute_c(mid + 3723000, tm, &c); CHECK_EQ_STR(tm, "2020-03-03 01:02");
    ls__sim_fmt_minute_c(mid - 61000, tm, &c); CHECK_EQ_STR(tm, "2020-03-02 23:58");
    ls__sim_fmt_minute_c(-1, tm, &c); CHECK_EQ_STR(tm, "1969-12-31 23:59");
    ls__sim_fmt_minute_c(0, tm, &c); CHECK_EQ_STR(tm, "1970-01-01 00:00");
}

/* The O_DIRECT sink: odd sizes around its block and buffer sizes give the
 * same bytes as were put, through ls__out too, on its own blocks or on
 * blocks lent to it. */
TEST(sink_bytes)
{
    /* 1023, 1024 and 1087: around where the copy into a block takes
     * non-temporal stores (an unaligned head, 64-byte steps, a tail). */
    static const size_t sizes[] = { 1, 4095, 4096, 4097, 100000, 1023, 1024, 1087, (8u << 20) - 3, (8u << 20) + 5000, 12345 };
    char path[400];
    snprintf(path, sizeof path, "%s/sink.bin", tmp_root);
    size_t total = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) total += sizes[i];
    unsigned char *want = malloc(total + 64);
    CHECK(want != NULL);
    if (!want) return;
    for (size_t i = 0; i < total; i++) want[i] = (unsigned char)((i * 2654435761u) >> 13);
    ls__sink sk;
    CHECK_EQ_INT(ls__sink_open(ctx, &sk, path), LS_OK);
    size_t off = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        ls__sink_put(&sk, want + off, sizes[i]);
        off += sizes[i];
    }
    /* ls__out in sink mode appends a number and a tail. */
    ls__out o;
    CHECK_EQ_INT(ls__out_init(&o, NULL), LS_OK);
    o.sink = &sk;
    ls__out_u64(&o, 42);
    ls__out_s(&o, ",end\n");
    ls__out_flush(&o);
    ls__out_free(&o);
    memcpy(want + total, "42,end\n", 7);
    CHECK_EQ_INT(ls__sink_commit(ctx, &sk), LS_OK);
    size_t n = 0;
    char *got = slurp(path, &n);
    CHECK(got != NULL);
    CHECK_EQ_INT(n, total + 7);
    CHECK(got && n == total + 7 && memcmp(got, want, n) == 0);
    free(got);
    free(want);
    /* A sink that cannot be created reports it. */
    snprintf(path, sizeof path, "%s/no/such/dir/x.csv", tmp_root);
    CHECK(ls__sink_open(ctx, &sk, path) != LS_OK);
    /* Many blocks (the writer thread is handed one while the other is
     * filled, and often still busy), in pieces that straddle the blocks;
     * then a sink abandoned while its thread runs leaves no file. */
    size_t big = (41u << 20) + 777, piece = 3u << 20;
    unsigned char *b = malloc(big);
    CHECK(b != NULL);
    if (!b) return;
    for (size_t i = 0; i < big; i++) b[i] = (unsigned char)((i * 40503u) >> 7 ^ i);
    /* Then twice on two blocks lent at odd addresses (the sink aligns
     * them, and leaves them to their owner: ASan reports a double free). */
    char *lent_raw[2] = { malloc(LS__SINK_BLOCK + 1), malloc(LS__SINK_BLOCK + 1) };
    CHECK(lent_raw[0] && lent_raw[1]);
    if (!lent_raw[0] || !lent_raw[1]) return;
    char *const lent[2] = { lent_raw[0] + 1, lent_raw[1] + 1 };
    for (int round = 0; round < 3; round++) {
        snprintf(path, sizeof path, "%s/sink_big%d.bin", tmp_root, round);
        if (round == 0) CHECK_EQ_INT(ls__sink_open(ctx, &sk, path), LS_OK);
        else CHECK_EQ_INT(ls__sink_open_lent(ctx, &sk, path, lent), LS_OK);
        for (size_t k = 0; k < big; k += piece) ls__sink_put(&sk, b + k, big - k < piece ? big - k : piece);
        CHECK_EQ_INT(ls__sink_commit(ctx, &sk), LS_OK);
        got = slurp(path, &n);
        CHECK(got != NULL);
        CHECK_EQ_INT(n, big);
        CHECK(got && n == big && memcmp(got, b, n) == 0);
        free(got);
    }
    free(lent_raw[0]);
    free(lent_raw[1]);
    snprintf(path, sizeof path, "%s/sink_abort.bin", tmp_root);
    CHECK_EQ_INT(ls__sink_open(ctx, &sk, path), LS_OK);
    ls__sink_put(&sk, b, 20u << 20);
    ls__sink_abort(&sk);
    FILE *f = fopen(path, "rb");
    CHECK(f == NULL);
    if (f) fclose(f);
    /* Nor its temporary file. */
    DIR *d = opendir(tmp_root);
    CHECK(d != NULL);
    for (struct dirent *de; d && (de = readdir(d));) CHECK(strncmp(de->d_name, "sink_abort", 10) != 0);
    if (d) closedir(d);
    free(b);
}

/* Worlds large enough for the event sort to split its passes over three
 * threads give the bytes of one thread. */
TEST(parallel_sort)
{
    char a[300], b[300], fa[400], fb[400];
    snprintf(a, sizeof a, "%s/pa", tmp_root);
    snprintf(b, sizeof b, "%s/pb", tmp_root);
    ls_sim *s = make(0.015, 3);
    CHECK(s != NULL);
    if (!s) return;
    ls_ctx_set_threads(ctx, 1);
    CHECK_EQ_INT(ls_sim_write(ctx, s, a, NULL), LS_OK);
    ls_ctx_set_threads(ctx, 3);
    CHECK_EQ_INT(ls_sim_write(ctx, s, b, NULL), LS_OK);
    ls_ctx_set_threads(ctx, 0);
    snprintf(fa, sizeof fa, "%s/tweets.csv", a);
    snprintf(fb, sizeof fb, "%s/tweets.csv", b);
    CHECK(same_file(fa, fb));
    ls_sim_free(s);
}

/* JSON strings: quotes, backslashes and control bytes escaped wherever
 * they fall (the scan takes sixteen bytes a step, so inside a step, at
 * its edges and in the tail), UTF-8 and everything else as it is. */
TEST(json_escape)
{
    static const struct { const char *in; size_t n; const char *want; } cases[] = {
        { "", 0, "\"\"" },
        { "plain", 5, "\"plain\"" },
        { "a\"b\\c\nd\re\tf", 11, "\"a\\\"b\\\\c\\nd\\re\\tf\"" },
        { "\x01\x1f ", 3, "\"\\u0001\\u001f \"" },
        /* 16 clean bytes, then a quote at byte 16; a control byte at 31. */
        { "0123456789abcdef\"ghijklmnopqrst\x02", 32, "\"0123456789abcdef\\\"ghijklmnopqrst\\u0002\"" },
        /* UTF-8 (bytes >= 0x80) and DEL pass through; escapes at 17 and 19. */
        { "\xe9\xa6\x99\xe6\xb8\xaf 0123456789\\x\"yz\x7f", 23, "\"\xe9\xa6\x99\xe6\xb8\xaf 0123456789\\\\x\\\"yz\x7f\"" },
        /* A NUL inside the given length is a control byte. */
        { "a\0b", 3, "\"a\\u0000b\"" },
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        ls__out o;
        CHECK_EQ_INT(ls__out_init(&o, NULL), LS_OK);
        ls__out_json(&o, cases[k].in, cases[k].n);
        size_t wn = strlen(cases[k].want);
        if (o.n != wn || memcmp(o.p, cases[k].want, wn) != 0) {
            fprintf(stderr, "  case %zu: got %.*s, want %s\n", k, (int)o.n, o.p, cases[k].want);
            CHECK(0);
        }
        ls__out_free(&o);
    }
}

/* The JSON formats are formatted in parallel chunks too: one thread and
 * three give the same bytes, with one line per event outside the archive
 * (as many as the IO file has rows). */
TEST(json_threads)
{
    for (int v = 1; v <= 2; v++) {
        char a[300], b[300], fa[400], fb[400];
        snprintf(a, sizeof a, "%s/j%d1", tmp_root, v);
        snprintf(b, sizeof b, "%s/j%d3", tmp_root, v);
        ls_sim *s = make(0.004, 11);
        CHECK(s != NULL);
        if (!s) return;
        CHECK_EQ_INT(ls_sim_set(ctx, s, "format", v == 1 ? "v1" : "v2"), LS_OK);
        ls_ctx_set_threads(ctx, 1);
        CHECK_EQ_INT(ls_sim_write(ctx, s, a, NULL), LS_OK);
        ls_ctx_set_threads(ctx, 3);
        CHECK_EQ_INT(ls_sim_write(ctx, s, b, NULL), LS_OK);
        ls_ctx_set_threads(ctx, 0);
        CHECK_EQ_INT(ls_sim_set(ctx, s, "format", "io"), LS_OK);
        snprintf(fb, sizeof fb, "%s/io", b);
        CHECK_EQ_INT(ls_sim_write(ctx, s, fb, NULL), LS_OK);
        snprintf(fa, sizeof fa, "%s/tweets.jsonl", a);
        snprintf(fb, sizeof fb, "%s/tweets.jsonl", b);
        CHECK(same_file(fa, fb));
        size_t n = 0, lines = 0, rows = 0;
        char *j = slurp(fa, &n);
        CHECK(j != NULL && n > 0);
        for (size_t i = 0; j && i < n; i++) lines += j[i] == '\n';
        free(j);
        snprintf(fb, sizeof fb, "%s/io/tweets.csv", b);
        ls__simcsv c;
        CHECK_EQ_INT(ls__simcsv_open(ctx, &c, fb), LS_OK);
        while (ls__simcsv_next(ctx, &c) == LS_OK && c.nf) rows++;
        ls__simcsv_close(&c);
        CHECK(lines > 30000);   /* several 8192-event chunks */
        CHECK_EQ_INT((long long)lines, (long long)rows - 1);   /* the CSV has a header */
        ls_sim_free(s);
    }
}

/* The writers' chunk driver: rows of different lengths from chunks that
 * workers take in any order come out in event order, for a range that
 * starts and ends inside chunks, at one thread and three, with chunk
 * buffers that must grow; every chunk is formatted once; a chunk that
 * fails stops the others and its status comes back. */
typedef struct { size_t fail_at; } fake_arg;
static int fake_fmt(ls__sim_chunk *c)
{
    const fake_arg *a = c->arg;
    for (size_t k = c->k0; k < c->k1; k++) {
        if (k == a->fail_at) return LS_ERR_PARSE;
        char num[24];
        int n = snprintf(num, sizeof num, "%zu,", k);
        for (size_t r = 0; r < k % 7 + 1; r++) ls__out_put(&c->o, num, (size_t)n);
        ls__out_c(&c->o, '\n');
    }
    (*(size_t *)c->tls)++;
    return LS_OK;
}

TEST(chunk_driver)
{
    const size_t k0 = 12345, k1 = 167890, chunk = 5000;
    ls__buf want = { 0 };
    for (size_t k = k0; k < k1; k++) {
        for (size_t r = 0; r < k % 7 + 1; r++) CHECK_EQ_INT(ls__buf_printf(&want, "%zu,", k), LS_OK);
        CHECK_EQ_INT(ls__buf_putc(&want, '\n'), LS_OK);
    }
    for (int nt = 1; nt <= 3; nt += 2) {
        for (int fail = 0; fail <= 1; fail++) {
            ls__sim_world w;
            ls__sink sk;
            char path[400];
            size_t counts[3] = { 0, 0, 0 };
            void *tls[3] = { &counts[0], &counts[1], &counts[2] };
            fake_arg a = { fail ? 100001 : (size_t)-1 };
            memset(&w, 0, sizeof w);
            w.n_ev = 200000;
            snprintf(path, sizeof path, "%s/chunks_%d_%d.txt", tmp_root, nt, fail);
            CHECK_EQ_INT(ls__sink_open(ctx, &sk, path), LS_OK);
            int st = ls__sim_write_chunks(ctx, &w, &sk, k0, k1, chunk, 1, fake_fmt, &a, tls, nt);
            if (fail) {
                CHECK_EQ_INT(st, LS_ERR_PARSE);
                ls__sink_abort(&sk);
                CHECK(access(path, F_OK) != 0);
                continue;
            }
            CHECK_EQ_INT(st, LS_OK);
            CHECK_EQ_INT(ls__sink_commit(ctx, &sk), LS_OK);
            size_t n = 0;
            char *got = slurp(path, &n);
            CHECK(got != NULL && n == want.n && memcmp(got, want.p, n) == 0);
            free(got);
            /* (k1 - k0) / chunk chunks, the last one partial. */
            CHECK_EQ_INT((long long)(counts[0] + counts[1] + counts[2]), (long long)((k1 - k0 + chunk - 1) / chunk));
            ls__sim_world_free(&w);
        }
    }
    ls__buf_free(&want);
}

/* The prefault helper faults pages in up to (progress + lead) * unit bytes
 * and no further, follows the progress, never changes what a page holds,
 * and does nothing on one thread. */
static size_t resident_pages(const unsigned char *p, size_t n)
{
    unsigned char vec[4096];
    size_t k = 0, pages = n / 4096;
    if (pages > sizeof vec || mincore((void *)p, n, vec) != 0) return (size_t)-1;
    for (size_t i = 0; i < pages; i++) k += vec[i] & 1;
    return k;
}

static int wait_resident(const unsigned char *p, size_t n, size_t want)
{
    for (int i = 0; i < 2000; i++) {
        if (resident_pages(p, n) == want) return 1;
        struct timespec ms = { 0, 1000000 };
        nanosleep(&ms, NULL);
    }
    return 0;
}

TEST(prefault)
{
    const size_t n = (size_t)16 << 20;
#ifdef MADV_POPULATE_WRITE
    void *probe = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int have = probe != MAP_FAILED && madvise(probe, 4096, MADV_POPULATE_WRITE) == 0;
    if (probe != MAP_FAILED) munmap(probe, 4096);
    if (!have) { fprintf(stderr, "  (no MADV_POPULATE_WRITE here: prefault not checked)\n"); return; }
#else
    fprintf(stderr, "  (no MADV_POPULATE_WRITE here: prefault not checked)\n");
    return;
#endif
    unsigned char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    if (p == MAP_FAILED) return;
    (void)madvise(p, n, MADV_NOHUGEPAGE);   /* residency counted in 4 KiB pages */
    p[0] = 0x5a;
    p[5 * 4096 + 7] = 0xa5;
    atomic_size_t progress;
    atomic_init(&progress, 0);
    ls__sim_prefault pf;
    memset(&pf, 0, sizeof pf);
    pf.range[0] = (ls__sim_prefault_range){ p, n, 4096 };
    pf.n_range = 1;
    pf.progress = &progress;
    pf.lead = 256;   /* 1 MiB */
    ls__sim_prefault_start(&pf, 1);
    CHECK(!pf.started);
    CHECK_EQ_INT((long long)resident_pages(p, n), 2);
    ls__sim_prefault_start(&pf, 2);
    CHECK(pf.started);
    CHECK(wait_resident(p, n, 256));
    atomic_store(&progress, 1024);   /* 5 MiB */
    CHECK(wait_resident(p, n, 1280));
    atomic_store(&progress, 1 << 20);   /* beyond the end */
    CHECK(wait_resident(p, n, n / 4096));
    ls__sim_prefault_stop(&pf);
    CHECK(!pf.started);
    CHECK_EQ_INT(p[0], 0x5a);
    CHECK_EQ_INT(p[5 * 4096 + 7], 0xa5);
    CHECK_EQ_INT(p[5 * 4096 + 8], 0);
    ls__sim_prefault_stop(&pf);   /* twice is safe */
    munmap(p, n);
}

int main(void)
{
    if (ls_ctx_new(&ctx)) return 1;
    snprintf(tmp_root, sizeof tmp_root, "/tmp/test_sim.XXXXXX");
    if (!mkdtemp(tmp_root)) return 1;
    RUN(determinism);
    RUN(scenario_ratios);
    RUN(truth_consistent_with_files);
    RUN(params);
    RUN(calendar_and_snowflake);
    RUN(number_formatting);
    RUN(csv_quoting);
    RUN(minute_cache);
    RUN(sink_bytes);
    RUN(parallel_sort);
    RUN(json_threads);
    RUN(json_escape);
    RUN(chunk_driver);
    RUN(prefault);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_root);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", tmp_root);
    ls_ctx_free(ctx);
    TEST_END();
}
