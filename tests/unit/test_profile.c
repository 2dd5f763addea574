/*
 * test_profile.c — account profile signals on hand data: screen-name
 * templates and their frequency, creation-date cohorts against the
 * background rate, office-schedule detection (a Beijing 9-to-6 shows up
 * as UTC+8), retweet share, top client and language.
 */
#include "test.h"
#include "hand_store.h"

static ls_ctx *ctx;

TEST(name_templates)
{
    char t[64], s[64];
    ls__name_template(LS__S("Alice12345678"), t, sizeof t, s, sizeof s);
    CHECK_EQ_STR(t, "Aaaaa99999999");
    CHECK_EQ_STR(s, "Aa9");
    ls__name_template(LS__S("x_Y-2"), t, sizeof t, s, sizeof s);
    CHECK_EQ_STR(t, "a_A-9");
    ls__name_template(LS__S("王小明88"), t, sizeof t, s, sizeof s);
    CHECK_EQ_STR(t, "UUU99");
    CHECK_EQ_STR(s, "U9");
    ls__name_template(LS__S(""), t, sizeof t, s, sizeof s);
    CHECK_EQ_STR(t, "");
    ls__name_template(LS__S("abcdefgh"), t, 4, s, sizeof s);   /* truncated */
    CHECK_EQ_STR(t, "aaa");
}

/* 2020-06-01 (a Monday) 00:00 UTC in ms. */
#define MON 1590969600000LL
#define HOUR 3600000LL
#define DAY (24 * HOUR)

TEST(office_schedule)
{
    uint32_t h[168] = { 0 };
    /* Beijing office: Mon-Fri 09-17 local = 01-09 UTC. */
    for (int d = 0; d < 5; d++)
        for (int hr = 1; hr < 10; hr++) h[d * 24 + hr] = 5;
    double score;
    int off = ls__office_offset(h, &score);
    CHECK_EQ_INT(off, 8);
    CHECK(score > 0.99);
    /* Uniform activity: no offset fits better than ~27%. */
    for (int i = 0; i < 168; i++) h[i] = 1;
    ls__office_offset(h, &score);
    CHECK(score < 0.3);
}

TEST(profiles_on_store)
{
    hand_store *h = hs_new();
    char acc[32], post[32], name[32];
    int64_t t = MON;
    /* 30 accounts: 20 created on 2020-01-10 (a cohort), 10 spread over
     * other days; names Name + 8 digits for the cohort. */
    for (int i = 0; i < 30; i++) {
        snprintf(acc, sizeof acc, "%d", 1000 + i);
        uint32_t a = hs_str(h, LS_NS_ACCOUNT, acc);
        if (i < 20) { snprintf(name, sizeof name, "Zhang%08d", 10000000 + i * 37); h->a_created[a] = 1578614400000LL + i * 1000; }
        else { snprintf(name, sizeof name, "user_%c%c", 'a' + i % 26, 'a' + (i * 7) % 26); h->a_created[a] = 1500000000000LL + (int64_t)i * 9 * DAY; }
        h->a_screen[a] = hs_str(h, LS_NS_NAME, name);
        h->a_fol[a] = i; h->a_fing[a] = 2 * i;
    }
    /* Account 1000 posts on weekdays at 01:00 and 09:00 UTC (09:00 and
     * 17:00 in Beijing): only UTC+8 puts both inside 09-18 local. */
    for (int d = 0; d < 5; d++)
        for (int k = 0; k < 2; k++) {
            snprintf(post, sizeof post, "p%d_%d", d, k);
            uint64_t e = hs_ev(h, t + d * DAY + (k ? 9 : 1) * HOUR, "1000", post, d < 3 ? 'r' : 't', "X", "txt", NULL);
            hs_meta(h, e, "zh", d < 4 ? "Twitter Web App" : "Android");
        }
    struct ls_store *st = hs_finish(h);
    ls__profiles P;
    CHECK_EQ_INT(ls__profiles_compute(ctx, st, &P), LS_OK);
    CHECK_EQ_INT(P.n, 30);
    ls__profile *p = &P.p[hs_acc(h, "1000")];
    CHECK_EQ_INT(p->posts, 10);
    CHECK_EQ_INT(p->retweets, 6);
    CHECK(p->retweet_share > 0.59 && p->retweet_share < 0.61);
    CHECK_EQ_STR(p->name_template, "Aaaaa99999999");
    CHECK_EQ_INT(p->template_count, 20);
    CHECK_EQ_INT(p->cohort_size, 20);
    CHECK(p->cohort_ratio >= 20.0);            /* background median is 0 -> 1 */
    CHECK_EQ_INT(p->utc_offset, 8);
    CHECK(p->office_score > 0.99);
    CHECK_EQ_INT(p->hours[1], 1);              /* Monday 01 UTC */
    CHECK_EQ_INT(p->hours[24 + 9], 1);         /* Tuesday 09 UTC */
    CHECK(ls__str_eqc(ls__strtab_get(&st->ns[LS_NS_CLIENT], p->top_client[0]), "Twitter Web App"));
    CHECK(ls__str_eqc(ls__strtab_get(&st->ns[LS_NS_CLIENT], p->top_client[1]), "Android"));
    CHECK_EQ_INT(p->top_client_n[0], 8);
    CHECK_EQ_INT(p->top_client_n[1], 2);
    CHECK_EQ_INT(p->top_lang_n[0], 10);
    CHECK_EQ_INT(p->followers, 0);
    ls__profile *q = &P.p[hs_acc(h, "1025")];
    CHECK_EQ_INT(q->cohort_size, 1);
    CHECK_EQ_INT(q->template_count, 10);       /* user_aa: aaaa_aa shared by the 10 */
    CHECK_EQ_INT(q->posts, 0);
    CHECK_EQ_INT(q->following, 50);
    ls__profiles_free(&P);
    hs_free(h);
}

int main(void)
{
    ls_ctx_new(&ctx);
    RUN(name_templates);
    RUN(office_schedule);
    RUN(profiles_on_store);
    ls_ctx_free(ctx);
    TEST_END();
}
