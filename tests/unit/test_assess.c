/*
 * test_assess.c — the assessment stage: tokenisation of mixed Chinese,
 * English, Japanese and emoji text; weighted log-odds on a hand-computed
 * case; traction on hand-built stores (followers, engagement inside and
 * outside, organic accounts, Breakout Scale); fingerprints (computed from
 * a hand store, JSON round trip) and linkage true and false cases;
 * narratives (top hashtags, distinctive terms, groups with examples).
 */
#include "test.h"
#include "hand_store.h"
#include "assess/assess.h"
#include <math.h>

#define DAY 86400000LL
#define T0 1577836800000LL   /* 2020-01-01 00:00 UTC, a Wednesday */

static int toks_are(ls__tok *t, const char *text, const char *const *want, size_t n_want)
{
    const ls__str *w;
    size_t n;
    if (ls__tok_text(t, ls__str_c(text), &w, &n) != LS_OK) return 0;
    int ok = n == n_want;
    for (size_t i = 0; ok && i < n; i++) ok = ls__str_eqc(w[i], want[i]);
    if (!ok) {
        fprintf(stderr, "  tokens of \"%s\":", text);
        for (size_t i = 0; i < n; i++) fprintf(stderr, " [%.*s]", (int)w[i].n, w[i].p);
        fprintf(stderr, "\n");
    }
    return ok;
}

TEST(tokenise_mixed)
{
    ls_ctx *ctx; ls_ctx_new(&ctx);
    ls__tok *t = NULL;
    CHECK_EQ_INT(ls__tok_new(ctx, &t), LS_OK);
    if (!t) { ls_ctx_free(ctx); return; }
    /* Retweet prefix, URL, hashtag and emoji go; Chinese is segmented by
     * ICU's dictionary; 我们 is a stop word. */
    static const char *const w1[] = { "香港", "加油", "stand", "支持", "香港", "警察" };
    CHECK(toks_are(t, "RT @abc: 香港加油！Stand with #HongKong 🇭🇰😀 https://t.co/xyz 我们支持香港警察", w1, 6));
    /* Fullwidth letters fold (NFKC + casefold); numbers, mentions and a
     * CJK hashtag are dropped; Japanese is segmented too. */
    static const char *const w2[] = { "covid", "panic", "日本語", "テキスト", "分割" };
    CHECK(toks_are(t, "ＣＯＶＩＤ－19 is Ｈｅｒｅ, don't panic!! @who #新冠病毒 日本語のテキストを分割します", w2, 5));
    /* Possessive 's goes; an unknown name split into single characters by
     * the dictionary is joined back. */
    static const char *const w3[] = { "guo", "wengui", "lies", "郭文贵", "骗子" };
    CHECK(toks_are(t, "Guo Wengui\xe2\x80\x99s lies 郭文贵是骗子 👍👍", w3, 5));
    CHECK(toks_are(t, "😀🇭🇰 👍 #tag @x https://a.b/c", NULL, 0));
    CHECK(toks_are(t, "", NULL, 0));
    /* Invalid UTF-8 is repaired, never an error. */
    static const char *const w4[] = { "bad", "bytes" };
    CHECK(toks_are(t, "bad \xff\xfe bytes", w4, 2));
    CHECK(ls__tok_is_stop(t, LS__S("the")));
    CHECK(ls__tok_is_stop(t, LS__S("的")));
    CHECK(!ls__tok_is_stop(t, LS__S("香港")));
    ls__tok_free(t);
    ls_ctx_free(ctx);
}

TEST(logodds_hand)
{
    /* y_in = (8, 2, 0), y_out = (2, 8, 10), a0 = 10: every word has 10
     * uses in all, so a_w = 10/3.  Hand computed:
     * w0: d = ln(11.333/8.667) - ln(5.333/24.667) = 1.79974, z = 3.42739
     * w1: d = ln(5.333/14.667) - ln(11.333/18.667) = -0.51261, z = -0.97620
     * w2 is not used by the group and is left out. */
    uint64_t yi[3] = { 8, 2, 0 }, yo[3] = { 2, 8, 10 };
    ls__term out[3];
    size_t n = 9;
    ls__logodds(yi, yo, 3, 10.0, 1, out, &n);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(out[0].id, 0);
    CHECK(fabs(out[0].delta - 1.79974) < 1e-4);
    CHECK(fabs(out[0].z - 3.42739) < 1e-4);
    CHECK_EQ_INT(out[1].id, 1);
    CHECK(fabs(out[1].delta + 0.51261) < 1e-4);
    CHECK(fabs(out[1].z + 0.97620) < 1e-4);
    /* min_in filters; a word that is the whole of one side stays finite. */
    ls__logodds(yi, yo, 3, 10.0, 5, out, &n);
    CHECK_EQ_INT(n, 1);
    uint64_t a[1] = { 5 }, b[1] = { 0 };
    ls__logodds(a, b, 1, 1.0, 1, out, &n);
    CHECK_EQ_INT(n, 1);
    CHECK(isfinite(out[0].z) && out[0].z > 0);
}

/* Appends an engagement count to the event just added with hs_ev. */
static void add_count(hand_store *h, uint64_t i, int type, uint32_t v)
{
    h->li_type[h->nl] = (uint8_t)type;
    h->li_id[h->nl++] = v;
    h->list[i + 1] = (uint32_t)h->nl;
}

static uint32_t *authors(const struct ls_store *st)
{
    uint32_t *a = malloc(st->ns[LS_NS_POST].n * sizeof *a);
    for (uint32_t p = 0; p < st->ns[LS_NS_POST].n; p++) a[p] = LS__NONE;
    for (uint64_t i = 0; i < st->n_events; i++) a[st->ev_post[i]] = st->ev_account[i];
    return a;
}

TEST(traction_little)
{
    hand_store *h = hs_new();
    uint64_t e = hs_ev(h, T0, "A1", "p1", 't', NULL, "hello", NULL);
    add_count(h, e, LS_LI_LIKES, 5);
    add_count(h, e, LS_LI_RETWEETS, 3);
    hs_ev(h, T0 + 1000, "A2", "r1", 'r', "p1", "RT @A1: hello", NULL);
    hs_ev(h, T0 + 2000, "A3", "r2", 'r', "p1", "RT @A1: hello", NULL);
    hs_ev(h, T0 + 3000, "O1", "r3", 'r', "p1", "RT @A1: hello", NULL);
    hs_ev(h, T0 + 4000, "O2", "c1", 'p', "p1", "no way", NULL);
    hs_ev(h, T0 + 5000, "A4", "p2", 't', NULL, "other", "d:youtube.com d:t.me d:vk.com");
    int64_t fol[4] = { 0, 0, 3, 100 };
    const char *names[4] = { "A1", "A2", "A3", "A4" };
    for (int k = 0; k < 4; k++) h->a_fol[hs_acc(h, names[k])] = fol[k];
    struct ls_store *st = hs_finish(h);
    uint32_t net_of[HS_MAXS];
    for (uint32_t a = 0; a < st->ns[LS_NS_ACCOUNT].n; a++) net_of[a] = LS__NONE;
    for (int k = 0; k < 4; k++) net_of[hs_acc(h, names[k])] = 0;
    uint32_t *au = authors(st);
    ls_ctx *ctx; ls_ctx_new(&ctx);
    ls__traction tr;
    CHECK_EQ_INT(ls__traction_compute(ctx, st, net_of, 1, au, &tr), LS_OK);
    CHECK_EQ_INT(tr.n_accounts, 4);
    CHECK_EQ_INT(tr.followers_known, 4);
    CHECK_EQ_INT(tr.zero_followers, 2);
    CHECK_EQ_INT(tr.under8, 3);
    CHECK_EQ_INT(tr.median_followers, 1);      /* (0 + 3) / 2 */
    CHECK_EQ_INT(tr.posts, 2);
    CHECK_EQ_INT(tr.cnt[0], 5);
    CHECK_EQ_INT(tr.cnt[1], 3);
    CHECK_EQ_INT(tr.ev_in[0], 2);
    CHECK_EQ_INT(tr.ev_out[0], 1);
    CHECK_EQ_INT(tr.ev_out[1], 1);
    CHECK_EQ_INT(tr.organic_accounts, 2);
    CHECK_EQ_INT(tr.platforms_linked, 3);
    CHECK_EQ_INT(tr.breakout, 1);
    CHECK_EQ_STR(tr.sentence, "little traction: 50% of accounts have no followers; "
                              "50% of engagement comes from the network itself");
    json_t *j = ls__traction_json(&tr);
    CHECK(fabs(json_number_value(json_object_get(j, "share_from_outside")) - 0.5) < 1e-9);
    CHECK_EQ_INT(json_integer_value(json_object_get(json_object_get(j, "breakout"), "category")), 1);
    json_decref(j);
    free(au);
    ls_ctx_free(ctx);
    hs_free(h);
}

TEST(traction_breakout)
{
    /* 60 organic accounts retweet the network's post, one of them with
     * 250,000 followers; the network retweets itself 10 times. */
    hand_store *h = hs_new();
    char acc[32], post[32];
    hs_ev(h, T0, "N0", "p1", 't', NULL, "look", NULL);
    for (int k = 1; k <= 10; k++) {
        snprintf(acc, sizeof acc, "N%d", k); snprintf(post, sizeof post, "n%d", k);
        hs_ev(h, T0 + k * 1000, acc, post, 'r', "p1", NULL, NULL);
    }
    for (int k = 0; k < 60; k++) {
        snprintf(acc, sizeof acc, "O%d", k); snprintf(post, sizeof post, "o%d", k);
        hs_ev(h, T0 + 20000 + k * 1000, acc, post, 'r', "p1", NULL, NULL);
    }
    h->a_fol[hs_acc(h, "O7")] = 250000;
    struct ls_store *st = hs_finish(h);
    uint32_t net_of[HS_MAXS];
    for (uint32_t a = 0; a < st->ns[LS_NS_ACCOUNT].n; a++) net_of[a] = LS__NONE;
    for (int k = 0; k <= 10; k++) { snprintf(acc, sizeof acc, "N%d", k); net_of[hs_acc(h, acc)] = 0; }
    uint32_t *au = authors(st);
    ls_ctx *ctx; ls_ctx_new(&ctx);
    ls__traction tr;
    CHECK_EQ_INT(ls__traction_compute(ctx, st, net_of, 1, au, &tr), LS_OK);
    CHECK_EQ_INT(tr.ev_in[0], 10);
    CHECK_EQ_INT(tr.ev_out[0], 60);
    CHECK_EQ_INT(tr.organic_accounts, 60);
    CHECK_EQ_INT(tr.max_organic_followers, 250000);
    CHECK_EQ_INT(tr.followers_known, 0);
    CHECK_EQ_INT(tr.median_followers, -1);
    CHECK_EQ_INT(tr.breakout, 5);
    CHECK(strstr(tr.reasons[1], "250000 followers") != NULL);
    CHECK_EQ_STR(tr.sentence, "broke out: 14% of engagement comes from the network itself");
    /* Without the big account it is category 2. */
    h->a_fol[hs_acc(h, "O7")] = -1;
    CHECK_EQ_INT(ls__traction_compute(ctx, st, net_of, 1, au, &tr), LS_OK);
    CHECK_EQ_INT(tr.breakout, 2);
    free(au);
    ls_ctx_free(ctx);
    hs_free(h);
}

/* Accounts named by a template and created on given days, each posting
 * near-duplicates of the given texts in office hours of UTC+8. */
static void populate(hand_store *h, const char *prefix, int n, const char *name_fmt, int64_t created,
                     const char *const *texts, int n_texts, int office, const char *client)
{
    char acc[48], post[48], name[48];
    for (int k = 0; k < n; k++) {
        snprintf(acc, sizeof acc, "%s%d", prefix, k);
        for (int j = 0; j < n_texts; j++) {
            snprintf(post, sizeof post, "%s%d_%d", prefix, k, j);
            /* Office: Thursday 2020-01-02 01:00-09:00 UTC = 09:00-17:00 UTC+8. */
            int64_t t = T0 + DAY + (office ? (1 + j % 8) : (13 + j % 10)) * 3600000LL + k * 1000;
            uint64_t i = hs_ev(h, t, acc, post, 't', NULL, texts[j], NULL);
            hs_meta(h, i, "zh", client);
        }
        uint32_t a = hs_acc(h, acc);
        snprintf(name, sizeof name, name_fmt, 10000000 + k * 7919);
        h->a_screen[a] = hs_str(h, LS_NS_NAME, name);
        h->a_created[a] = created + (k % 3) * DAY;
    }
}

static const char *const op_texts[] = {
    "香港警察守护香港的安全，暴徒必须受到法律的制裁，支持香港警察依法执法",
    "郭文贵是一个骗子，他的谎言已经被揭穿了，大家不要再相信他的任何说法",
    "台湾同胞都是我们的骨肉兄弟，两岸一家亲，和平统一是大势所趋",
    "新冠病毒疫情面前中国人民团结一致，科学防控，最终一定会取得胜利",
};
static const char *const op_texts2[] = {
    "香港警察守护香港的安全，暴徒必须受到法律的制裁，支持香港警察依法执法！",
    "郭文贵是一个骗子，他的谎言已经被揭穿了，大家不要再相信他的任何说法。",
    "台湾同胞都是我们的骨肉兄弟，两岸一家亲，和平统一是大势所趋啊",
    "新冠病毒疫情面前中国人民团结一致，科学防控，最终一定会取得胜利的",
};
static const char *const other_texts[] = {
    "Just finished a great run in the park this morning, feeling fantastic",
    "Our bakery has fresh sourdough today, come by before noon for a loaf",
    "The match last night went to penalties and my team lost again, sigh",
    "Reading a novel about sailors lost at sea, cannot put it down at all",
};

TEST(fingerprint_and_link)
{
    ls_ctx *ctx; ls_ctx_new(&ctx);
    /* Archive: 12 accounts "Aaaaa99999999", created 2019-05, office UTC+8. */
    hand_store *ha = hs_new();
    populate(ha, "old", 12, "Zhang%08d", 1557000000000LL, op_texts, 4, 1, "Twitter Web App");
    struct ls_store *sa = hs_finish(ha);
    ls__fp fa, fa2, fn, fu;
    CHECK_EQ_INT(ls__fp_compute(ctx, sa, NULL, &fa), LS_OK);
    CHECK_EQ_INT(fa.n_accounts, 12);
    CHECK_EQ_INT(fa.n_posts, 48);
    CHECK_EQ_INT(fa.n_texts, 4);
    CHECK_EQ_INT(fa.n_sketch, 4 * 16);            /* 16 band keys per distinct text */
    CHECK_EQ_INT(fa.n_templates, 1);
    CHECK_EQ_STR(fa.templates[0].key, "Aaaaa99999999");
    CHECK_EQ_INT(fa.utc_offset, 8);
    CHECK(fa.office_score > 0.99);
    CHECK_EQ_STR(fa.clients[0].key, "Twitter Web App");
    CHECK_EQ_STR(fa.langs[0].key, "zh");
    /* Round trip through JSON (the case database form). */
    json_t *j = ls__fp_to_json(&fa);
    char *txt = json_dumps(j, JSON_COMPACT);
    CHECK_EQ_INT(ls__fp_from_json(ctx, txt, &fa2), LS_OK);
    CHECK_EQ_INT(fa2.n_sketch, fa.n_sketch);
    CHECK(fa2.n_sketch == fa.n_sketch && memcmp(fa2.sketch, fa.sketch, fa.n_sketch * 8) == 0);
    CHECK_EQ_INT(fa2.n_cohort, fa.n_cohort);
    CHECK_EQ_STR(fa2.templates[0].key, "Aaaaa99999999");
    CHECK_EQ_INT(fa2.utc_offset, 8);
    free(txt); json_decref(j);
    CHECK_EQ_INT(ls__fp_from_json(ctx, "{\"version\": 7}", &fu), LS_ERR_FORMAT);
    CHECK_EQ_INT(ls__fp_from_json(ctx, "not json", &fu), LS_ERR_CORRUPT);

    /* The new network: same operator (near-duplicate texts, template,
     * schedule, clients), accounts created 2019-07, two months later. */
    hand_store *hn = hs_new();
    populate(hn, "new", 20, "Liuxi%08d", 1557000000000LL + 60 * DAY, op_texts2, 4, 1, "Twitter Web App");
    struct ls_store *sn = hs_finish(hn);
    CHECK_EQ_INT(ls__fp_compute(ctx, sn, NULL, &fn), LS_OK);
    ls__link L;
    ls__fp_link(&fn, &fa2, 12, &L);
    CHECK(L.score >= 0.7);
    int has_acc = 0, has_tmpl = 0, has_office = 0, has_cohort = 0, has_text = 0;
    for (int r = 0; r < L.n_reasons; r++) {
        has_acc |= strcmp(L.reasons[r], "12 shared accounts") == 0;
        has_tmpl |= strncmp(L.reasons[r], "same name template Aaaaa99999999", 32) == 0;
        has_office |= strncmp(L.reasons[r], "same office schedule (UTC+8)", 28) == 0;
        has_cohort |= strncmp(L.reasons[r], "created in cohorts 63 days apart", 32) == 0;
        has_text |= strstr(L.reasons[r], "of text sketches shared") != NULL;
    }
    CHECK(has_acc && has_tmpl && has_office && has_cohort && has_text);
    if (!(has_acc && has_tmpl && has_office && has_cohort && has_text)) for (int r = 0; r < L.n_reasons; r++) fprintf(stderr, "  reason: %s\n", L.reasons[r]);
    /* Without shared accounts it still links through content and profile. */
    ls__fp_link(&fn, &fa2, 0, &L);
    CHECK(L.score >= 0.5);
    double with_text = L.score;
    /* A sketch made by another scheme (probe differs) is not compared. */
    CHECK(fn.sketch_probe != 0 && fn.sketch_probe == fa2.sketch_probe);
    fn.sketch_probe ^= 1;
    ls__fp_link(&fn, &fa2, 0, &L);
    CHECK(L.score < with_text);
    CHECK(strncmp(L.reasons[0], "text sketches not comparable", 28) == 0);
    fn.sketch_probe ^= 1;

    /* An unrelated community: other texts, names, clients, evening hours,
     * created years apart, nobody shared. */
    hand_store *hu = hs_new();
    populate(hu, "fan", 15, "sunny_day_%d", 1300000000000LL, other_texts, 4, 0, "Twitter for iPhone");
    struct ls_store *su = hs_finish(hu);
    CHECK_EQ_INT(ls__fp_compute(ctx, su, NULL, &fu), LS_OK);
    ls__fp_link(&fu, &fa2, 0, &L);
    CHECK(L.score < 0.15);
    for (int r = 0; r < L.n_reasons; r++) {
        CHECK(strstr(L.reasons[r], "text sketches") == NULL);
        CHECK(strstr(L.reasons[r], "name template") == NULL);
        CHECK(strstr(L.reasons[r], "office schedule") == NULL);
    }
    ls__fp_free(&fa); ls__fp_free(&fa2); ls__fp_free(&fn); ls__fp_free(&fu);
    hs_free(ha); hs_free(hn); hs_free(hu);
    ls_ctx_free(ctx);
}

TEST(narratives_hand)
{
    /* Network: 8 accounts posting about Hong Kong police and Guo Wengui
     * for 6 rounds, amplified by retweets; background: 10 accounts posting
     * 40 times about food and sport (once in ten about a Hong Kong food tour). */
    hand_store *h = hs_new();
    char acc[32], post[32];
    int64_t t = T0;
    for (int d = 0; d < 6; d++)
        for (int k = 0; k < 8; k++) {
            snprintf(acc, sizeof acc, "op%d", k);
            snprintf(post, sizeof post, "a%d_%d", d, k);
            int hk = k % 2 == 0;
            hs_ev(h, t += 60000, acc, post, 't', NULL,
                  hk ? "支持香港警察 守护香港 #香港警察" : "郭文贵 骗子 谎言 #郭文贵", hk ? "#香港警察" : "#郭文贵");
        }
    /* The first police post is retweeted 5 times inside the network. */
    for (int k = 1; k < 6; k++) {
        snprintf(acc, sizeof acc, "op%d", k);
        snprintf(post, sizeof post, "rt%d", k);
        /* No hashtag entries: the retweets join the police group by their
         * words alone. */
        hs_ev(h, t += 60000, acc, post, 'r', "a0_0", "RT @op0: 支持香港警察 守护香港 #香港警察", NULL);
    }
    for (int k = 0; k < 40; k++) {
        snprintf(acc, sizeof acc, "bg%d", k % 10);
        snprintf(post, sizeof post, "b%d", k);
        hs_ev(h, t += 60000, acc, post, 't', NULL, k % 2 ? "great pizza tonight with friends" :
              k % 4 ? "football match tonight" : "香港 food tour tonight", "#food");
    }
    struct ls_store *st = hs_finish(h);
    uint32_t net_of[HS_MAXS], amp[HS_MAXS] = { 0 };
    for (uint32_t a = 0; a < st->ns[LS_NS_ACCOUNT].n; a++) net_of[a] = LS__NONE;
    for (int k = 0; k < 8; k++) { snprintf(acc, sizeof acc, "op%d", k); net_of[hs_acc(h, acc)] = 0; }
    for (uint64_t i = 0; i < st->n_events; i++)
        if (st->ev_kind[i] == LS_KIND_RETWEET) amp[st->ev_ref_post[i]]++;
    ls_ctx *ctx; ls_ctx_new(&ctx);
    json_t *out[1] = { NULL };
    CHECK_EQ_INT(ls__narratives(ctx, st, net_of, 1, amp, out), LS_OK);
    json_t *o = out[0];
    CHECK_EQ_INT(json_integer_value(json_object_get(o, "posts")), 53);
    json_t *tag0 = json_array_get(json_object_get(o, "hashtags"), 0);
    CHECK_EQ_STR(json_string_value(json_object_get(tag0, "key")), "#香港警察");
    CHECK_EQ_INT(json_integer_value(json_object_get(tag0, "posts")), 24);
    /* Distinctive terms come from the network's own words only. */
    json_t *terms = json_object_get(o, "terms");
    CHECK(json_array_size(terms) >= 3);
    if (json_array_size(terms) < 3) { char *s = json_dumps(o, JSON_INDENT(1)); fprintf(stderr, "%s\n", s); free(s); }
    size_t i;
    json_t *v;
    int seen_police = 0;
    json_array_foreach(terms, i, v) {
        const char *w = json_string_value(json_object_get(v, "term"));
        CHECK(strcmp(w, "pizza") != 0 && strcmp(w, "football") != 0);
        seen_police |= strcmp(w, "警察") == 0 || strcmp(w, "香港") == 0;
    }
    CHECK(seen_police);
    /* Two narrative groups, largest first, no "other". */
    json_t *groups = json_object_get(o, "groups");
    CHECK_EQ_INT(json_array_size(groups), 2);
    json_t *g0 = json_array_get(groups, 0), *g1 = json_array_get(groups, 1);
    CHECK_EQ_INT(json_integer_value(json_object_get(g0, "posts")), 29);
    CHECK_EQ_INT(json_integer_value(json_object_get(g1, "posts")), 24);
    CHECK(strstr(json_string_value(json_object_get(g0, "label")), "香港") != NULL);
    CHECK(strstr(json_string_value(json_object_get(g1, "label")), "#郭文贵") != NULL);
    /* The most amplified example is the retweeted post. */
    json_t *ex0 = json_array_get(json_object_get(g0, "examples"), 0);
    CHECK_EQ_STR(json_string_value(json_object_get(ex0, "post")), "a0_0");
    CHECK_EQ_INT(json_integer_value(json_object_get(ex0, "amplification")), 5);
    /* All on 2020-01-01. */
    json_t *pd = json_object_get(g0, "per_day");
    CHECK_EQ_INT(json_array_size(pd), 1);
    CHECK_EQ_STR(json_string_value(json_array_get(json_array_get(pd, 0), 0)), "2020-01-01");
    CHECK_EQ_INT(json_integer_value(json_array_get(json_array_get(pd, 0), 1)), 29);
    json_decref(o);
    ls_ctx_free(ctx);
    hs_free(h);
}

TEST(day_strings)
{
    char d[40];
    ls__day_str(0, d); CHECK_EQ_STR(d, "1970-01-01");
    ls__day_str(18262, d); CHECK_EQ_STR(d, "2020-01-01");
    ls__day_str(18321, d); CHECK_EQ_STR(d, "2020-02-29");
    ls__day_str(-1, d); CHECK_EQ_STR(d, "1969-12-31");
}

int main(void)
{
    RUN(tokenise_mixed);
    RUN(logodds_hand);
    RUN(traction_little);
    RUN(traction_breakout);
    RUN(fingerprint_and_link);
    RUN(narratives_hand);
    RUN(day_strings);
    TEST_END();
}
