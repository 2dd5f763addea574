/*
 * accounts.c — simulated accounts: ids, creation dates, names, personas,
 * follower counts, clients, time zones and schedules, per kind.
 *
 * Realism is what keeps detection honest, so no single profile feature
 * separates the operation: organic users also have name+digits screen
 * names (Twitter suggests them at sign-up), live in UTC+8, use the web
 * client, and the Hong Kong pro-democracy community has its own creation
 * surge in mid-2019; some operation accounts have followers and some are
 * old repurposed accounts.  It takes the combination to see the network.
 *
 * Each account's profile is escaped once into one users.csv row, which the
 * tweets writer also copies into columns 2-11 of every tweet row.
 */
#include "sim.h"
#include <math.h>

#define N_(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(r, a) ((a)[ls__rng_below((r), N_(a))])
#define DAY_MS 86400000LL

const char *const ls__sim_kind_name[K_COUNT] = { "operation", "organic", "lookalike_fandom", "lookalike_news",
    "lookalike_campaign", "lookalike_newsbot", "lookalike_linkshare", "lookalike_opposite", "archive" };
const char *const ls__sim_net_name[4] = { "", "op_june2020", "op_spam", "china_082019" };
const char *const ls__sim_role_name[3] = { "", "core", "amplifier" };
const char *const ls__sim_client_name[] = { "Twitter Web App", "Twitter for Android", "Twitter for iPhone",
    "Twitter Web Client", "TweetDeck", "Twitter for iPad", "dlvr.it", "IFTTT", "WordPress.com", "Buffer",
    "SocialPilot.co", "Hootsuite Inc." };
const size_t ls__sim_n_clients = sizeof ls__sim_client_name / sizeof *ls__sim_client_name;

static const char *const given_en[] = { "Daisy", "Linda", "Jessica", "Kevin", "Jason", "Lucas", "Emily", "Sophia",
    "Grace", "Tony", "Helen", "Mary", "Peter", "Alice", "Jack", "Nancy", "Anna", "David", "Chris", "Amy", "Eric",
    "Ryan", "Olivia", "Mia", "Leo", "Nina", "Sam", "Zoe", "Ben", "Lily", "Noah", "Liam", "Emma", "Ava", "Ethan",
    "Mason", "Chloe", "Ella", "Jacob", "Aiden", "Harper", "Owen", "Isla", "Ruby", "Oscar", "Hugo", "Maya", "Aria",
    "Felix", "Iris", "Jonas", "Lena", "Marco", "Sofia", "Diego", "Lucia", "Yuki", "Hana", "Minji", "Jisoo" };
static const char *const family_en[] = { "Smith", "Miller", "Brown", "Lee", "Wong", "Chan", "Garcia", "Kim", "Park",
    "Tanaka", "Nguyen", "Silva", "Martin", "Walker", "Young", "Wilson", "Lopez", "Clark", "Taylor", "Moore",
    "Jackson", "White", "Harris", "Lewis", "Hall", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams",
    "Nelson", "Hill", "Rossi", "Müller", "Dubois", "Sato", "Suzuki", "Choi", "Tran", "Santos", "Costa", "Novak" };
static const char *const pinyin[] = { "Zhang", "Wang", "Li", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
    "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Luo", "Gao", "Wei", "Fang", "Jie", "Min", "Hua", "Lan" };
static const char *const han_family[] = { "张", "王", "李", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱" };
static const char *const han_given[] = { "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟",
    "涛", "明", "超", "秀英", "建华", "志强", "晓东", "海燕" };
static const char *const nick[] = { "sunny", "moon", "coffee", "pixel", "river", "tiger", "panda", "ocean", "maple",
    "star", "night", "cloud", "lemon", "blue", "happy", "wild", "little", "urban", "retro", "chill", "honey", "cosmic",
    "lazy", "salty", "quiet", "forest", "neon", "vintage", "mango", "velvet", "paper", "silver", "golden", "rainy",
    "stormy", "cozy", "frosty", "spicy", "sleepy", "mellow", "indie", "lucky", "crimson", "misty", "echo", "nova",
    "atomic", "bubble", "cherry", "dusty", "electric", "fuzzy", "glitter", "hazel", "ivory", "jolly", "kiwi" };
static const char *const nick2[] = { "walker", "lover", "fan", "days", "dreamer", "writer", "girl", "guy", "cat", "life",
    "vibes", "world", "notes", "diary", "times", "jr", "official", "hk", "tw", "sg", "fox", "bear", "owl", "wolf",
    "rider", "maker", "cook", "reads", "runs", "sketch", "beats", "films", "plays", "talks", "tales", "things",
    "corner", "space", "club", "zone" };
static const char *const loc_by_tz[][4] = {
    { "London", "UK", "Manchester", "" },          /* 0 */
    { "Paris, France", "Berlin", "Madrid", "" },   /* 1 */
    { "Nairobi", "Moscow", "Istanbul", "" },       /* 3 */
    { "Mumbai", "Karachi", "Delhi", "" },          /* 5 */
    { "Bangkok", "Jakarta", "Hanoi", "" },         /* 7 */
    { "Hong Kong", "香港", "Taipei", "Singapore" }, /* 8 */
    { "Seoul", "Tokyo", "서울", "" },               /* 9 */
    { "Sydney", "Melbourne", "Brisbane", "" },     /* 10 */
    { "New York, NY", "Toronto", "Boston", "" },   /* -5 */
    { "Los Angeles, CA", "Seattle", "Vancouver", "" }, /* -8 */
    { "São Paulo", "Buenos Aires", "Rio", "" },    /* -3 */
};
static const char *const desc_words[] = { "lover of", "coffee", "music", "dad", "mom", "student", "engineer", "writer",
    "views my own", "travel", "photography", "books", "football", "gamer", "she/her", "he/him", "dreamer", "🌸", "🎮",
    "news junkie", "teacher", "nurse", "artist", "熱愛生活", "香港人", "音乐", "写作" };

static int tz_slot(int tz)
{
    switch (tz) {
    case 0: return 0; case 1: return 1; case 3: return 2; case 5: return 3; case 7: return 4; case 8: return 5;
    case 9: return 6; case 10: return 7; case -5: return 8; case -8: return 9; default: return 10;
    }
}

/* Organic time zones: several regions, with a share in UTC+8. */
static int organic_tz(ls__rng *r, double utc8)
{
    static const int tz[] = { -5, -5, -5, -8, -8, 0, 0, 1, 1, 1, 3, 5, 7, 9, 9, 9, -3, 10 };
    if (ls__rng_u(r) < utc8) return 8;
    return PICK(r, tz);
}

static int lang_for_tz(ls__rng *r, int tz)
{
    double u = ls__rng_u(r);
    switch (tz) {
    case 8: return u < 0.35 ? L_ZH_HANT : u < 0.55 ? L_ZH : L_EN;
    case 9: return u < 0.45 ? L_KO : u < 0.8 ? L_JA : L_EN;
    case 7: return u < 0.5 ? L_TH : L_EN;
    case 1: return u < 0.35 ? L_FR : u < 0.6 ? L_ES : L_EN;
    case -3: return u < 0.6 ? L_PT : L_ES;
    default: return u < 0.9 ? L_EN : L_ES;
    }
}

/* A 64-bit open-addressing set (names, user ids) to keep both unique.
 * The table (tens of megabytes) is far larger than the caches, so every
 * lookup is a cache miss, and a run of them (a taken name and its next
 * tries) is a chain of misses on the thread that makes the accounts; the
 * callers therefore fetch the slots they will look at ahead (set_prefetch)
 * while they compute.  Prefetching changes no answer. */
static inline void set_prefetch(const ls__sim_world *w, uint64_t h)
{
    if (w->name_cap) __builtin_prefetch(&w->name_set[(h ? h : 1) & (w->name_cap - 1)]);
}

static int set_add(ls__sim_world *w, uint64_t h)
{
    if (h == 0) h = 1;
    if ((w->name_n + 1) * 2 > w->name_cap) {
        /* The first table holds what the world's account count needs (a
         * name and an id each, at most half full), so it is rarely
         * rebuilt; membership does not depend on the capacity. */
        size_t cap = w->name_cap ? w->name_cap * 2 : 1 << 16;
        while (!w->name_cap && cap < 4 * w->acct_hint) cap *= 2;
        uint64_t *t = ls__big_malloc(cap * sizeof *t);
        if (!t) return -1;
        memset(t, 0, cap * sizeof *t);
        for (size_t i = 0; i < w->name_cap; i++) {
            uint64_t v = w->name_set[i];
            if (!v) continue;
            size_t j = v & (cap - 1);
            while (t[j]) j = (j + 1) & (cap - 1);
            t[j] = v;
        }
        ls__free(w->name_set);
        w->name_set = t;
        w->name_cap = cap;
    }
    size_t j = h & (w->name_cap - 1);
    while (w->name_set[j]) {
        if (w->name_set[j] == h) return 0;
        j = (j + 1) & (w->name_cap - 1);
    }
    w->name_set[j] = h;
    w->name_n++;
    return 1;
}

/* n bytes at s appended to b, inline while it has room (names and
 * profiles are built from many short pieces, on the account thread). */
static inline int bputn(ls__buf *b, const char *s, size_t n)
{
    if (b->p && b->cap - b->n > n) {
        memcpy(b->p + b->n, s, n);
        b->n += n;
        b->p[b->n] = '\0';
        return LS_OK;
    }
    return ls__buf_put(b, s, n);
}

static void put_digits(ls__buf *b, ls__rng *r, int n, int *err)
{
    char d[16];
    ls__rng rr = *r;   /* a local stream: stores into d[] may alias *r */
    for (int i = 0; i < n; i++) d[i] = (char)('0' + ls__rng_below(&rr, 10));
    *r = rr;
    if (n > 0 && d[0] == '0' && n <= 2) d[0] = '1';
    *err |= bputn(b, d, (size_t)n);
}

static inline int bput(ls__buf *b, const char *s) { return bputn(b, s, strlen(s)); }

/* The screen name's candidates in draw order: the name, then the name
 * with one more character after each taken try.  A taken name gets an
 * underscore or letters first, digits only after a few tries, so that
 * collisions do not make every organic name end in a digit. */
static char next_char(ls__rng *r, const ls__sim_acct *a, int tries, char last)
{
    int ops = a->kind == K_OPERATION || a->kind == K_ARCHIVE;
    return tries == 0 && last != '_' && !ops ? '_'
         : tries < 6 && !ops ? (char)('a' + ls__rng_below(r, 26))
         : (char)('0' + ls__rng_below(r, 10));
}

#define NAME_SEED 0x5ca1ab1e
#define NAME_AHEAD 6    /* candidates fetched ahead once the name is taken */

/* Makes the screen name unique (see next_char).  Once the first try is
 * taken, the next NAME_AHEAD candidates are computed on a copy of the
 * stream and their slots fetched together, so a chain of taken names
 * costs about two cache misses, not one a try; the tries themselves then
 * run as before. */
static int names_unique(ls__sim_world *w, ls__rng *r, const ls__sim_acct *a, ls__buf *sn)
{
    for (int tries = 0;; tries++) {
        int k = set_add(w, ls__hash64(sn->p, sn->n, NAME_SEED));
        if (k < 0) return LS_ERR_NOMEM;
        if (k > 0) return LS_OK;
        if (tries == 0 && sn->n + NAME_AHEAD <= 120) {
            char cand[128];
            ls__rng r2 = *r;
            memcpy(cand, sn->p, sn->n);
            for (int t = 0; t < NAME_AHEAD; t++) {
                cand[sn->n + (size_t)t] = next_char(&r2, a, t, cand[sn->n + (size_t)t - 1]);
                set_prefetch(w, ls__hash64(cand, sn->n + (size_t)t + 1, NAME_SEED));
            }
        }
        if (ls__buf_putc(sn, next_char(r, a, tries, sn->p[sn->n - 1]))) return LS_ERR_NOMEM;
    }
}

/* The names' draws (screen name before it is made unique). */
static int names_draw(ls__sim_world *w, ls__rng *r, ls__sim_acct *a, ls__buf *sn, ls__buf *dn)
{
    int err = 0;
    /* The buffers are reused: empty them, NUL-terminated. */
    sn->n = dn->n = 0;
    if (sn->p) sn->p[0] = '\0';
    if (dn->p) dn->p[0] = '\0';
    double u = ls__rng_u(r);
    const ls_sim *p = w->p;
    /* Functions, not macros over strlen: an argument like PICK(...) must
     * be evaluated once. */
#define P(s) (err |= bput(sn, (s)))
#define D(s) (err |= bput(dn, (s)))
    if (a->kind == K_OPERATION && a->net == NET_SPAM) {
        const char *g = PICK(r, given_en), *f = PICK(r, family_en);
        char low[32];
        if (strlen(g) + strlen(f) + 2 > sizeof low) return LS_ERR_LIMIT;   /* the lists hold short names */
        stpcpy(stpcpy(stpcpy(low, g), "_"), f);
        for (char *c = low; *c; c++) if (*c >= 'A' && *c <= 'Z') *c = (char)(*c + 32);
        P(low); put_digits(sn, r, 2 + (int)ls__rng_below(r, 3), &err);
        D(g); D(" "); D(f);
    } else if (a->kind == K_OPERATION || a->kind == K_ARCHIVE) {
        /* Name + 8 digits (Twitter's default suggestion), or a random
         * lowercase string, or two pinyin syllables. */
        if (u < p->v[P_OP_DIGITS]) {
            P(ls__rng_below(r, 2) ? PICK(r, given_en) : PICK(r, pinyin));
            put_digits(sn, r, 8, &err);
        } else if (u < p->v[P_OP_DIGITS] + (1 - p->v[P_OP_DIGITS]) / 2) {
            char s[16];
            int n = 8 + (int)ls__rng_below(r, 5);
            for (int i = 0; i < n; i++) s[i] = (char)('a' + ls__rng_below(r, 26));
            err |= ls__buf_put(sn, s, (size_t)n);
        } else {
            P(PICK(r, pinyin)); P(PICK(r, pinyin));
            put_digits(sn, r, (int)ls__rng_below(r, 4), &err);
        }
        if (ls__rng_below(r, 3)) { D(PICK(r, han_family)); D(PICK(r, han_given)); }
        else { D(PICK(r, given_en)); if (ls__rng_below(r, 2)) { D(" "); D(PICK(r, family_en)); } }
    } else if (a->kind == K_NEWSBOT) {
        static const char *const a1[] = { "World", "Biz", "Tech", "Daily", "Global", "Breaking", "Local", "Health", "Asia", "Euro" };
        static const char *const a2[] = { "News", "Feed", "Updates", "Wire", "Headlines", "Digest", "Bot", "Now" };
        const char *x = PICK(r, a1), *y = PICK(r, a2);
        P(x); P(y);
        if (ls__rng_below(r, 3) == 0) put_digits(sn, r, 2, &err);
        D(x); D(" "); D(y);
    } else {
        /* Organic naming: nicknames, real names, name + year, and the
         * default name + 8 digits for a share of (often new) accounts. */
        double digits = p->v[P_ORG_DIGITS];
        if (a->kind == K_OPPOSITE && a->created_ms >= ls__sim_days_from_civil(2019, 6, 1) * DAY_MS) digits = 0.45;
        const char *g = PICK(r, given_en);
        if (u < digits * 0.6) {
            P(ls__rng_below(r, 3) ? g : PICK(r, pinyin));
            put_digits(sn, r, 8, &err);
        } else if (u < digits) {
            P(PICK(r, nick)); P(PICK(r, nick2)); put_digits(sn, r, 2 + (int)ls__rng_below(r, 3), &err);
        } else if (u < digits + 0.35) {
            P(PICK(r, nick)); if (ls__rng_below(r, 2)) P("_"); P(PICK(r, nick2));
        } else if (u < digits + 0.65) {
            P(g); if (ls__rng_below(r, 2)) P("_"); P(PICK(r, family_en));
        } else {
            P(PICK(r, nick)); P(g);
            if (ls__rng_below(r, 2)) put_digits(sn, r, 1 + (int)ls__rng_below(r, 3), &err);
        }
        if (a->lang == L_ZH || a->lang == L_ZH_HANT) { D(PICK(r, han_family)); D(PICK(r, han_given)); }
        else if (ls__rng_below(r, 2)) { D(g); D(" "); D(PICK(r, family_en)); }
        else { D(PICK(r, nick)); if (ls__rng_below(r, 3) == 0) D(" 🌙"); }
    }
#undef P
#undef D
    return err ? LS_ERR_NOMEM : LS_OK;
}

/* Screen names are unique, as on the platform. */
int ls__sim_make_names(ls__sim_world *w, ls__rng *r, ls__sim_acct *a, ls__buf *sn, ls__buf *dn)
{
    int st = names_draw(w, r, a, sn, dn);
    return st ? st : names_unique(w, r, a, sn);
}

int ls__sim_make_profile(ls__sim_world *w, ls__rng *r, ls__sim_acct *a, ls__buf *loc, ls__buf *desc, ls__buf *url)
{
    int err = 0;
    loc->n = desc->n = url->n = 0;
    int thin = a->kind == K_OPERATION || a->kind == K_ARCHIVE;
    LS__UNUSED(w);
    /* Thin personas: most operation accounts have no bio, place or link. */
    if (ls__rng_u(r) < (thin ? 0.12 : 0.55)) {
        const char *l = loc_by_tz[tz_slot(a->tz)][ls__rng_below(r, 4)];
        if (thin) l = ls__rng_below(r, 2) ? "中国" : "Beijing";
        err |= bput(loc, l);
    }
    if (ls__rng_u(r) < (thin ? 0.15 : 0.65)) {
        int n = thin ? 1 : 2 + (int)ls__rng_below(r, 5);
        for (int i = 0; i < n; i++) {
            const char *d = thin ? (ls__rng_below(r, 2) ? "热爱生活" : "Love life") : PICK(r, desc_words);
            if (i) {
                const char *sep = i == n - 1 && ls__rng_below(r, 3) == 0 ? ", " : " ";
                err |= bput(desc, sep);
            }
            err |= bput(desc, d);
        }
    }
    if (!thin && ls__rng_u(r) < 0.12) {
        /* Cut at 95 bytes, as a fixed buffer once did (names are shorter). */
        const char *name = w->names.p + a->name_off;
        err |= ls__buf_put(url, "https://www.instagram.com/", 26);
        err |= ls__buf_put(url, name, LS__MIN(strlen(name), (size_t)95 - 26));
    }
    return err ? LS_ERR_NOMEM : LS_OK;
}

/* Follower counts.  The operation: 78% zero, 95% under eight, a thin tail
 * of a few dozen (bought or organic) followers. */
static uint32_t followers(const ls_sim *p, ls__rng *r, const ls__sim_acct *a)
{
    double u = ls__rng_u(r), x;
    switch (a->kind) {
    case K_OPERATION:
    case K_ARCHIVE:
        if (a->net == NET_SPAM) return u < 0.4 ? 0 : (uint32_t)ls__rng_lognormal(r, 30, 1.0);
        if (u < p->v[P_OP_ZERO_FOL]) return 0;
        if (u < p->v[P_OP_UNDER8]) return 1 + (uint32_t)ls__rng_below(r, 7);
        return 8 + (uint32_t)ls__rng_lognormal(r, 12, 1.2);
    case K_NEWSBOT:
        return (uint32_t)ls__rng_lognormal(r, 800, 1.3);
    default:
        if (u < p->v[P_ORG_ZERO_FOL]) return 0;
        x = ls__rng_lognormal(r, 120, 1.9);
        return x > 4e7 ? 40000000u : (uint32_t)x;
    }
}

/* A random millisecond in days [lo, hi).  The day is drawn before the time
 * of day, in two statements: the order in which the operands of one
 * expression are evaluated is unspecified in C, and gcc and clang differ,
 * which made the two builds generate different worlds for one seed. */
static int64_t random_time(ls__rng *r, int64_t lo, int64_t hi)
{
    int64_t day = lo + (int64_t)ls__rng_below(r, (uint64_t)(hi - lo));
    int64_t ms = (int64_t)ls__rng_below(r, DAY_MS);
    return day * DAY_MS + ms;
}

static int64_t created(ls__sim_world *w, ls__rng *r, const ls__sim_acct *a)
{
    const ls_sim *p = w->p;
    int64_t lo, hi;
    if (a->kind == K_OPERATION && a->net == NET_JUNE2020) {
        if (ls__rng_u(r) < p->v[P_OP_OLD]) {
            lo = ls__sim_days_from_civil(2010, 1, 1); hi = ls__sim_days_from_civil(2018, 12, 31);
            return random_time(r, lo, hi);
        }
        /* Creation cohorts between June 2019 and three weeks before the
         * window; cohorts are shared by core and amplifiers. */
        int nc = (int)LS__MAX(1, p->v[P_OP_COHORTS]);
        uint64_t c = ls__rng_below(r, (uint64_t)nc);
        lo = ls__sim_days_from_civil(2019, 6, 1);
        hi = w->t0 / DAY_MS - 21;
        int64_t day = lo + (int64_t)((hi - lo) * (c + 0.5) / nc);
        int64_t spread = (int64_t)(LS__MAX(0.0, p->v[P_OP_COHORT_DAYS]) * DAY_MS);
        int64_t off = spread ? (int64_t)ls__rng_below(r, (uint64_t)spread) : 0;
        return day * DAY_MS + off + (int64_t)ls__rng_below(r, 9 * 3600000LL);   /* UTC 0-9 = 8-17 in Beijing */
    }
    if (a->kind == K_ARCHIVE) {
        static const int cohort[][3] = { { 2017, 3, 14 }, { 2017, 9, 2 }, { 2018, 4, 20 }, { 2018, 11, 8 }, { 2019, 2, 26 } };
        const int *c = cohort[ls__rng_below(r, 5)];
        int64_t day = ls__sim_days_from_civil(c[0], (unsigned)c[1], (unsigned)c[2]) + (int64_t)ls__rng_below(r, 3);
        return day * DAY_MS + (int64_t)ls__rng_below(r, 9 * 3600000LL);
    }
    if (a->net == NET_SPAM) {
        int64_t d = ls__rng_below(r, 2) ? ls__sim_days_from_civil(2019, 11, 19) : ls__sim_days_from_civil(2020, 1, 7);
        return d * DAY_MS + (int64_t)ls__rng_below(r, 2 * DAY_MS);
    }
    hi = w->t0 / DAY_MS - 1;
    if (a->kind == K_OPPOSITE && ls__rng_u(r) < 0.45) {
        /* Many Hongkongers joined Twitter during the 2019 protests. */
        lo = ls__sim_days_from_civil(2019, 6, 9);
        int64_t d = lo + (int64_t)(fabs(ls__rng_normal(r)) * 40);
        return LS__MIN(d, hi) * DAY_MS + (int64_t)ls__rng_below(r, DAY_MS);
    }
    if (a->kind == K_FANDOM && ls__rng_u(r) < 0.4) lo = ls__sim_days_from_civil(2018, 1, 1);
    else lo = ls__sim_days_from_civil(ls__rng_below(r, 4) == 0 ? 2008 : 2011, 1, 1);
    return random_time(r, lo, hi);
}

/* Numeric user ids: after 2016 they are snowflakes of the creation time,
 * before that they grew roughly linearly with time.  A taken id is drawn
 * again a millisecond later (see ls__sim_add_acct). */
static uint64_t user_id_draw(ls__rng *r, int64_t created_ms)
{
    if (created_ms >= 1462060800000LL)   /* 2016-05-01 */
        return ((uint64_t)(created_ms - LS__SNOWFLAKE_EPOCH) << 22) | (ls__rng_next(r) & 0x3fffff);
    return (uint64_t)((created_ms - 1142899200000LL) / 1000) * 16 + ls__rng_below(r, 16) + 12;
}
#define ID_KEY(id) ((id) * 0x9e3779b97f4a7c15ULL + 1)

int ls__sim_add_acct(ls__sim_world *w, ls__rng *r, int kind, int net, int role, uint32_t group,
                     int64_t fol, uint32_t *out)
{
    const ls_sim *p = w->p;
    int st = LS_OK;
    /* Scratch buffers live in the world: allocated once, not per account. */
    ls__buf *sn = &w->scratch[0], *dn = &w->scratch[1], *loc = &w->scratch[2], *desc = &w->scratch[3],
            *url = &w->scratch[4];
    if (w->n_acct >= UINT32_MAX - 1) return LS_ERR_LIMIT;
    if (w->acct_fixed && w->n_acct == w->cap_acct) return LS_ERR_LIMIT;   /* never: the size is exact */
    if (ls__grow((void **)&w->acct, &w->cap_acct, w->n_acct + 1, sizeof *w->acct)) return LS_ERR_NOMEM;
    ls__sim_acct *a = &w->acct[w->n_acct];
    memset(a, 0, sizeof *a);
    a->kind = (uint8_t)kind; a->net = (uint8_t)net; a->role = (uint8_t)role; a->group = group;
    double u = ls__rng_u(r);
    switch (kind) {
    case K_OPERATION:
    case K_ARCHIVE:
        if (net == NET_SPAM) {
            a->sched = SCHED_FLAT; a->tz = 0; a->lang = L_EN;
            a->client = u < 0.5 ? 0 : 10;
        } else {
            a->sched = SCHED_OFFICE; a->tz = 8;
            a->lang = ls__rng_u(r) < 0.72 ? L_ZH : L_EN;
            a->client = u < 0.55 ? 0 : u < 0.85 ? 1 : 2;   /* few client apps */
        }
        break;
    case K_NEWSBOT:
        a->sched = SCHED_FLAT; a->tz = (int8_t)organic_tz(r, 0.1); a->lang = L_EN;
        a->client = (uint8_t)(6 + ls__rng_below(r, 4));
        break;
    case K_OPPOSITE:
        a->sched = SCHED_EVENING;
        a->tz = (int8_t)(u < 0.8 ? 8 : ls__rng_below(r, 3) == 0 ? 0 : ls__rng_below(r, 2) ? -5 : 10);
        a->lang = ls__rng_u(r) < 0.6 ? L_ZH_HANT : L_EN;
        a->client = ls__rng_u(r) < 0.6 ? 2 : ls__rng_below(r, 2) ? 1 : 0;
        break;
    default:
        a->sched = SCHED_DIURNAL;
        if (kind == K_FANDOM) a->tz = (int8_t)(u < 0.45 ? 9 : u < 0.65 ? 7 : u < 0.75 ? 8 : organic_tz(r, 0));
        else if (kind == K_CAMPAIGN) a->tz = (int8_t)(u < 0.6 ? -5 : u < 0.8 ? 0 : organic_tz(r, 0.05));
        else a->tz = (int8_t)organic_tz(r, p->v[P_ORG_UTC8]);
        a->lang = (uint8_t)lang_for_tz(r, a->tz);
        if (kind == K_CAMPAIGN) a->lang = L_EN;
        u = ls__rng_u(r);
        a->client = u < 0.38 ? 2 : u < 0.72 ? 1 : u < 0.9 ? 0 : u < 0.94 ? 4 : u < 0.97 ? 5 : 3;
    }
    a->created_ms = created(w, r, a);
    /* The id's slot is fetched while the follower counts and the names
     * are drawn, on the assumption that the id is free; when it is taken
     * (rarely) the stream goes back to just after the id's draw and the
     * next id is tried, as a plain loop would.  The ids and names are
     * checked in the same order as ever. */
    for (int64_t cms = a->created_ms;; cms++) {
        uint64_t id = user_id_draw(r, cms);
        set_prefetch(w, ID_KEY(id));
        ls__rng after_id = *r;
        a->followers = fol >= 0 ? (uint32_t)LS__MIN(fol, (int64_t)UINT32_MAX) : followers(p, r, a);
        a->following = (kind == K_OPERATION || kind == K_ARCHIVE) ? (uint32_t)ls__rng_lognormal(r, 12, 1.1)
                                                                  : (uint32_t)ls__rng_lognormal(r, 250, 1.2);
        if ((st = names_draw(w, r, a, sn, dn))) goto done;
        int k = set_add(w, ID_KEY(id));
        if (k < 0) { st = LS_ERR_NOMEM; goto done; }
        if (k > 0) { a->uid = id; break; }
        *r = after_id;
    }
    if (!a->uid) return LS_ERR_NOMEM;
    if ((st = names_unique(w, r, a, sn))) goto done;
    a->name_off = (uint32_t)w->names.n;
    if ((st = ls__buf_put(&w->names, sn->p, sn->n + 1))) goto done;   /* with its NUL */
    /* The id as the IO files write it.  The published archives hash the
     * ids of accounts with fewer than 5,000 followers: 44-character base64
     * in the 2020 releases, 64 hex digits in older ones. */
    {
        char idtxt[72];
        int mode = (int)p->v[P_HASHED];
        if (mode && a->followers < 5000) {
            unsigned char h[32];
            for (int k = 0; k < 4; k++) {
                uint64_t x = ls__hash64(&a->uid, sizeof a->uid, 0x1d5 + (uint64_t)k);
                memcpy(h + 8 * k, &x, 8);
            }
            if (mode == 2) {
                for (int k = 0; k < 32; k++) ls__sim_hex(idtxt + 2 * k, h[k], 2);
            } else {
                static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
                int o = 0;
                for (int k = 0; k < 30; k += 3) {
                    uint32_t v = (uint32_t)h[k] << 16 | (uint32_t)h[k + 1] << 8 | h[k + 2];
                    idtxt[o++] = b64[v >> 18]; idtxt[o++] = b64[(v >> 12) & 63];
                    idtxt[o++] = b64[(v >> 6) & 63]; idtxt[o++] = b64[v & 63];
                }
                uint32_t v = (uint32_t)h[30] << 16 | (uint32_t)h[31] << 8;
                idtxt[o++] = b64[v >> 18]; idtxt[o++] = b64[(v >> 12) & 63]; idtxt[o++] = b64[(v >> 6) & 63];
                idtxt[o++] = '=';
                idtxt[o] = 0;
            }
        } else ls__sim_utoa(idtxt, a->uid);
        /* The id text right after the name and its NUL: LS__SIM_NAME_LEN
         * depends on it. */
        size_t idn = strlen(idtxt);
        a->uid_off = (uint32_t)w->names.n;
        a->uid_len = (uint8_t)idn;   /* at most 64 (hex digits) */
        if ((st = ls__buf_put(&w->names, idtxt, idn + 1))) goto done;
    }
    if ((st = ls__sim_make_profile(w, r, a, loc, desc, url))) goto done;
    /* The users.csv row: userid,display,screen,location,description,url,
     * followers,following,creation date,account language.  Assembled with
     * raw stores in one reserved stretch (each field at most doubles when
     * quoted, plus its quotes), then appended once: the account thread is
     * the build's critical path, and a buffer call a field cost more than
     * the bytes. */
    {
        static const char *const acct_lang[L_COUNT] = { "zh-cn", "en", "ja", "ko", "es", "fr", "pt", "zh-tw", "th" };
        const char *f[5] = { dn->p ? dn->p : "", sn->p, loc->p ? loc->p : "", desc->p ? desc->p : "", url->p ? url->p : "" };
        size_t fn[5] = { dn->n, sn->n, loc->n, desc->n, url->n }, need = a->uid_len + 128;
        for (int i = 0; i < 5; i++) need += 2 * fn[i] + 3;
        size_t start = w->prof.n;
        if (start + need + 1 > w->prof.cap) {
            void *q = w->prof.p;
            size_t cap = w->prof.cap;
            if (ls__grow(&q, &cap, start + need + 1, 1)) { st = LS_ERR_NOMEM; goto done; }
            w->prof.p = q;
            w->prof.cap = cap;
        }
        char *q = w->prof.p + start;
        q = ls__sim_put(q, w->names.p + a->uid_off, a->uid_len);
        for (int i = 0; i < 5; i++) {
            *q++ = ',';
            q = ls__sim_csv_raw(q, f[i], fn[i]);
        }
        *q++ = ',';
        q = ls__sim_utoa_raw(q, a->followers);
        *q++ = ',';
        q = ls__sim_utoa_raw(q, a->following);
        *q++ = ',';
        ls__sim_fmt_date(a->created_ms, q);
        q += 10;
        *q++ = ',';
        q = ls__sim_puts(q, acct_lang[a->lang]);
        *q = '\0';
        w->prof.n = (size_t)(q - w->prof.p);
        if (w->prof.n - start > UINT32_MAX || w->prof.n > UINT32_MAX) { st = LS_ERR_LIMIT; goto done; }
        a->prof_off = (uint32_t)start;
        a->prof_len = (uint32_t)(w->prof.n - start);
    }
    *out = (uint32_t)w->n_acct++;
done:
    return st;
}
