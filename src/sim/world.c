/*
 * world.c — builds the simulated world: every population's accounts and
 * events, then sorts events by time, gives them snowflake ids and counts
 * the engagement each post received.
 *
 * Order matters only for references: originals of every population are
 * made first, then the actions that point at them (retweets, replies,
 * quotes).  Each population draws from its own PRNG stream, so changing
 * one population's parameters leaves the others' events unchanged.
 *
 * Threads: accounts are made on the calling thread (names and ids are
 * unique across the world, so one account's draws depend on all earlier
 * ones); each population's events are a task with its own stream and
 * array, run by workers as soon as its accounts exist and merged in a
 * fixed order; the organic actions are one stream on the calling thread
 * (read ahead, see resolve_pending); the sort runs on all threads.  The
 * result never depends on the thread count.
 *
 * Cost: O(events) apart from weighted target draws (a guide slot and a
 * few entries) and the fan and bot loops, O(posts x audience), which are
 * bounded by the parameters.  Memory: 24 bytes per event in the task
 * segments, as much again for the sorted array, 4 for the sort's sequence
 * numbers (then the reply counts) and 4 for the quote counts; ids, the
 * retweet counts and the sort's map of new positions reuse the segments'
 * pages; plus the account table.
 */
#include "sim.h"
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#define DAY_MS 86400000LL
#define WEEK_MS (7 * DAY_MS)
#define HOUR_MS 3600000LL

/* ---- helpers ---- */

static uint32_t count(const ls__sim_world *w, int param, uint32_t floor_n)
{
    double x = w->p->v[param] * w->p->v[P_SCALE];
    uint32_t n = x > 4e9 ? 4000000000u : (uint32_t)(x + 0.5);
    return n < floor_n && w->p->v[param] > 0 ? floor_n : n;
}

/* ls__grow for the build's event arrays and lists, which reach
 * megabytes: past 256 KiB they move at once to one big block (huge pages,
 * grown by mremap without copying) instead of doubling on the heap up to
 * 4 MiB first, where every doubling copied and faulted in 4 KiB pages
 * (15-20 microseconds each on the benchmark VM; most of the run's page
 * faults were these). */
static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return LS_OK;
    if (need * elem <= ((size_t)256 << 10) && *cap * elem < ((size_t)4 << 20)) return ls__grow(arr, cap, need, elem);
    return ls__big_grow(arr, cap, LS__MAX(need, ((size_t)4 << 20) / elem + 1), elem);
}

/* A big block of `bytes` made from a spent one (*spare, taken) where
 * there is one: realloc moves the spent block's pages (mremap), which are
 * faulted in already, so only the rest is fresh memory, the first touch
 * of which costs 2-3 ms a megabyte on the benchmark VM (a fifth of a
 * scale-1 run's CPU time went to clearing fresh pages).  The old bytes
 * are garbage to the caller. */
static void *recycle(void **spare, size_t bytes)
{
    void *p = *spare;
    *spare = NULL;
    if (!p) return ls__big_malloc(bytes);
    void *q = ls__realloc(p, bytes);
    if (!q) { ls__free(p); return NULL; }
    ls__big_hint(q, bytes);
    return q;
}

int ls__sim_add_ev(ls__sim_world *w, int64_t ms, uint32_t user, int type, int topic, uint32_t ref,
                   uint32_t seed, uint32_t aux, int lang)
{
    /* Times are stored in 54 bits: 285,000 years either side of 1970. */
    if (w->n_ev >= UINT32_MAX - 1 || ms >= (int64_t)1 << (LS__SIM_MS_BITS - 1) ||
        ms < -((int64_t)1 << (LS__SIM_MS_BITS - 1)))
        return LS_ERR_LIMIT;
    if (w->n_ev == w->cap_ev && grow((void **)&w->ev, &w->cap_ev, w->n_ev + 1, sizeof *w->ev))
        return LS_ERR_NOMEM;
    ls__sim_ev *e = &w->ev[w->n_ev++];
    e->ms = ms; e->user = user; e->ref = ref; e->seed = seed; e->aux = aux;
    e->type = (unsigned)type & 3u; e->topic = (unsigned)topic & 15u; e->lang = (unsigned)lang & 15u;
    return LS_OK;
}

/* Event i of the sequence the segments make (while building, before
 * the sort joins them). */
static const ls__sim_ev *ev_at(const ls__sim_world *w, size_t i)
{
    int s = 0;
    while (i >= w->seg_n[s]) i -= w->seg_n[s++];
    return &w->seg[s][i];
}

/* Weighted draws by cumulative weights.  A draw finds the first entry
 * whose cumulative weight exceeds u * total.  Once a pool is complete,
 * wp_index adds a guide table (for each of n equal slices of the total,
 * the first entry past the slice's start), so a draw searches a slice, a
 * few entries, instead of the whole array: on the organic pool of ~2
 * million originals that was about 21 dependent cache misses a draw.
 * The entry found is the same either way. */
typedef struct { double *c; uint32_t *v; size_t n, cap_c, cap_v; uint32_t *guide; double step; } wpick;
static int wp_add(wpick *p, uint32_t v, double wt)
{
    if (ls__grow((void **)&p->c, &p->cap_c, p->n + 1, sizeof *p->c) ||
        ls__grow((void **)&p->v, &p->cap_v, p->n + 1, sizeof *p->v)) return LS_ERR_NOMEM;
    p->c[p->n] = (p->n ? p->c[p->n - 1] : 0) + wt;
    p->v[p->n++] = v;
    ls__free(p->guide);   /* a guide describes a complete pool */
    p->guide = NULL;
    return LS_OK;
}
static int wp_index(wpick *p)
{
    if (p->n < 64 || !(p->c[p->n - 1] > 0)) return LS_OK;   /* binary search is as good */
    ls__free(p->guide);
    if (!(p->guide = ls__big_malloc((p->n + 1) * sizeof *p->guide))) return LS_ERR_NOMEM;
    p->step = p->c[p->n - 1] / (double)p->n;
    size_t i = 0;
    for (size_t b = 0; b <= p->n; b++) {
        double lo = (double)b * p->step;
        while (i < p->n - 1 && p->c[i] <= lo) i++;
        p->guide[b] = (uint32_t)i;
    }
    return LS_OK;
}
static uint32_t wp_draw(const wpick *p, ls__rng *r)
{
    double x = ls__rng_u(r) * p->c[p->n - 1];
    size_t lo = 0, hi = p->n - 1;
    if (p->guide) {
        size_t b = (size_t)(x / p->step);
        if (b >= p->n) b = p->n - 1;
        lo = p->guide[b];
        hi = p->guide[b + 1];
        /* Rounding at a slice's edge can leave the answer just outside. */
        while (lo > 0 && p->c[lo - 1] > x) lo--;
        while (hi < p->n - 1 && p->c[hi] <= x) hi++;
    }
    while (lo < hi) { size_t m = (lo + hi) / 2; if (p->c[m] > x) hi = m; else lo = m + 1; }
    return p->v[lo];
}
static void wp_free(wpick *p) { ls__free(p->c); ls__free(p->v); ls__free(p->guide); memset(p, 0, sizeof *p); }

/* ---- schedules ---- */

static void sched_init(ls__sim_world *w)
{
    const ls_sim *p = w->p;
    double sched_w[SCHED_COUNT][168];
    static const double diurnal[24] = { 0.5, 0.3, 0.2, 0.1, 0.1, 0.15, 0.3, 0.6, 0.8, 0.9, 0.9, 1.0,
                                        1.1, 1.0, 0.95, 0.95, 1.0, 1.1, 1.2, 1.4, 1.5, 1.5, 1.3, 0.9 };
    static const double office[24] = { 0, 0, 0, 0, 0, 0, 0, 0, 0.15, 1.0, 1.0, 1.0,
                                       0.25, 0.6, 1.0, 1.0, 1.0, 1.0, 0.2, 0, 0, 0, 0, 0 };
    double ot = LS__MAX(0.0, LS__MIN(0.5, p->v[P_OP_OVERTIME]));
    double we = LS__MAX(0.0, LS__MIN(0.5, p->v[P_OP_WEEKEND]));
    for (int h = 0; h < 168; h++) {
        int day = h / 24, hr = h % 24, weekend = day >= 5;
        /* Office: weekday hours carry 1-ot-we of the weight, weekday
         * evenings ot, weekend daytime we. */
        double o = 0;
        if (!weekend) o = office[hr] / (5 * 8.2) * (1 - ot - we);
        if (!weekend && hr >= 19 && hr <= 22) o = ot / 20;
        if (weekend && hr >= 9 && hr <= 17) o = we / 18;
        sched_w[SCHED_OFFICE][h] = o;
        sched_w[SCHED_DIURNAL][h] = diurnal[(hr + (weekend ? 23 : 0)) % 24] * (weekend ? 1.1 : 1.0);
        sched_w[SCHED_FLAT][h] = 1;
        double ev = hr >= 19 ? 1.5 : hr == 18 ? 0.8 : hr < 2 ? 0.8 : hr < 7 ? 0.1 : hr < 9 ? 0.5 : 0.35;
        if (weekend && hr >= 10 && hr < 19) ev = 1.0;
        sched_w[SCHED_EVENING][h] = ev;
    }
    for (int s = 0; s < SCHED_COUNT; s++)
        for (int h = 0; h < 168; h++) w->sched_c[s][h] = (h ? w->sched_c[s][h - 1] : 0) + sched_w[s][h];
}

/* A time in [lo, hi) following the schedule in local time (tz hours). */
int64_t ls__sim_sched_time(ls__sim_world *w, ls__rng *r, int sched, int tz, int64_t lo, int64_t hi)
{
    int64_t base = w->t0;   /* a Monday 00:00 UTC */
    int64_t kmin = (lo - base) / WEEK_MS - 2, kmax = (hi - base) / WEEK_MS + 2;
    for (int tries = 0; tries < 200; tries++) {
        double x = ls__rng_u(r) * w->sched_c[sched][167];
        int lo_h = 0, hi_h = 167;
        while (lo_h < hi_h) { int m = (lo_h + hi_h) / 2; if (w->sched_c[sched][m] > x) hi_h = m; else lo_h = m + 1; }
        int64_t k = kmin + (int64_t)ls__rng_below(r, (uint64_t)(kmax - kmin + 1));
        int64_t t = base + k * WEEK_MS + (lo_h - tz) * HOUR_MS + (int64_t)ls__rng_below(r, HOUR_MS);
        if (t >= lo && t < hi) return t;
    }
    return lo + (int64_t)ls__rng_below(r, (uint64_t)(hi - lo));
}

static int64_t delay_ms(ls__rng *r, double median_s, double sigma)
{
    double d = ls__rng_lognormal(r, median_s, sigma) * 1000.0;
    if (d < 1500) d = 1500 + ls__rng_below(r, 1000);   /* nobody retweets faster than ~2 s */
    if (d > 30.0 * DAY_MS) d = 30.0 * DAY_MS;
    return (int64_t)d;
}

static uint32_t seed32(ls__rng *r) { return (uint32_t)(ls__rng_next(r) >> 32); }

/* ---- state shared by the population builders ---- */
typedef struct task_pool task_pool;
typedef struct {
    ls__sim_world *w;
    const double *v;
    /* pending organic actions: (user << 2 | type) */
    uint64_t *pend; size_t n_pend, cap_pend;
    wpick popular;          /* originals anyone may retweet, by author reach */
    uint32_t *op_orig; size_t n_op_orig, cap_op_orig;    /* operation originals */
    uint32_t *pushed; size_t n_pushed, cap_pushed;
    /* Posts for `popular` in the order they are made, with their weights:
     * a population task makes them with its own event numbers, and the
     * merge adds them to the pool in the order of the tasks. */
    uint32_t *pop_i; double *pop_w; size_t n_pop, cap_pop_i, cap_pop_w;
    task_pool *tp;          /* set for a task that may run beside the accounts */
    int threads;            /* the build's (the organic actions' prefault helper) */
} gen;

static size_t accounts_made(task_pool *tp, size_t need);

static int pop_add(gen *g, uint32_t post, double wt)
{
    if (grow((void **)&g->pop_i, &g->cap_pop_i, g->n_pop + 1, sizeof *g->pop_i) ||
        grow((void **)&g->pop_w, &g->cap_pop_w, g->n_pop + 1, sizeof *g->pop_w)) return LS_ERR_NOMEM;
    g->pop_i[g->n_pop] = post;
    g->pop_w[g->n_pop++] = wt;
    return LS_OK;
}

static void gen_free(gen *g)
{
    ls__free(g->pend);
    wp_free(&g->popular);
    ls__free(g->op_orig);
    ls__free(g->pushed);
    ls__free(g->pop_i);
    ls__free(g->pop_w);
    memset(g, 0, sizeof *g);
}

static int pend_add(gen *g, uint32_t user, int type)
{
    if (grow((void **)&g->pend, &g->cap_pend, g->n_pend + 1, sizeof *g->pend)) return LS_ERR_NOMEM;
    g->pend[g->n_pend++] = (uint64_t)user << 2 | (uint64_t)type;
    return LS_OK;
}

static int u32_add(uint32_t **a, size_t *n, size_t *cap, uint32_t v)
{
    if (grow((void **)a, cap, *n + 1, sizeof **a)) return LS_ERR_NOMEM;
    (*a)[(*n)++] = v;
    return LS_OK;
}

#define TRY(x) do { if ((st = (x)) != LS_OK) goto done; } while (0)

/* Everyday activity of organic-like accounts [a0, a1): originals now,
 * retweets/replies/quotes queued until every original exists. */
static int organic_activity(gen *g, ls__rng *r, uint32_t a0, uint32_t a1)
{
    ls__sim_world *w = g->w;
    const double *v = g->v;
    int st = LS_OK;
    size_t made = 0;
    for (uint32_t i = a0; i < a1; i++) {
        /* The task may follow the making of these very accounts. */
        if (g->tp && i >= made && (made = accounts_made(g->tp, (size_t)i + 1)) <= i) return LS_ERR_LIMIT;
        const ls__sim_acct *a = &w->acct[i];
        uint32_t n = ls__rng_pareto(r, v[P_ORG_MIN], v[P_ORG_ALPHA], 3000);
        for (uint32_t k = 0; k < n; k++) {
            double u = ls__rng_u(r);
            if (u < v[P_ORG_RT]) { TRY(pend_add(g, i, EV_RT)); continue; }
            u -= v[P_ORG_RT];
            if (u < v[P_ORG_REPLY]) { TRY(pend_add(g, i, EV_REPLY)); continue; }
            u -= v[P_ORG_REPLY];
            if (u < v[P_ORG_QUOTE]) { TRY(pend_add(g, i, EV_QUOTE)); continue; }
            int topic = T_ORG, lang = a->lang;
            uint32_t aux = 0;
            if (a->kind == K_FANDOM && ls__rng_u(r) < 0.35) { topic = T_FANCHAT; aux = a->group; }
            if (a->kind == K_OPPOSITE && ls__rng_u(r) < 0.5) topic = T_PRODEM;
            int64_t t = ls__sim_sched_time(w, r, a->sched, a->tz, w->t0, w->t1);
            /* Every organic original enters the pool of retweetable posts
             * by its author's reach. */
            TRY(pop_add(g, (uint32_t)w->n_ev, pow(a->followers + 1.0, 0.8)));
            TRY(ls__sim_add_ev(w, t, i, EV_ORIG, topic, LS__NONE, seed32(r), aux, lang));
        }
    }
done:
    return st;
}

/* k distinct members of [m0, m1) other than skip (k is clamped). */
static size_t pick_distinct(ls__rng *r, uint32_t m0, uint32_t m1, uint32_t skip, size_t k, uint32_t *out)
{
    size_t avail = m1 - m0 - (skip >= m0 && skip < m1);
    if (k > avail) k = avail;
    size_t got = 0;
    while (got < k) {
        uint32_t c = m0 + (uint32_t)ls__rng_below(r, m1 - m0);
        if (c == skip) continue;
        size_t j = 0;
        while (j < got && out[j] != c) j++;
        if (j == got) out[got++] = c;
    }
    return got;
}

/* A crowd retweeting post `post` from weighted pool: k distinct accounts. */
static int crowd(gen *g, ls__rng *r, const wpick *pool, uint32_t post, size_t k, double med, double sig)
{
    ls__sim_world *w = g->w;
    uint32_t chosen[512];
    size_t got = 0;
    int st = LS_OK;
    if (k > 512) k = 512;
    for (size_t tries = 0; got < k && tries < k * 4; tries++) {
        uint32_t c = wp_draw(pool, r);
        size_t j = 0;
        while (j < got && chosen[j] != c) j++;
        if (j < got || c == w->ev[post].user) continue;
        chosen[got++] = c;
        int64_t t = w->ev[post].ms + delay_ms(r, med, sig);
        if (t >= w->t1) continue;
        TRY(ls__sim_add_ev(w, t, c, EV_RT, 0, post, 0, 0, 0));
    }
done:
    return st;
}

/* ---- the populations ---- */

static int op_june2020(gen *g, ls__rng *r)
{
    ls__sim_world *w = g->w;
    const double *v = g->v;
    int st = LS_OK;
    uint32_t n_core = w->op_core1 - w->op_core0;
    double total = v[P_OP_CORE_TWEETS] * v[P_SCALE], rt_share = v[P_OP_CORE_RT];
    double camo = v[P_OP_CORE_CAMO];
    double *wt = ls__malloc((size_t)n_core * sizeof *wt), sum = 0;
    if (!wt) return LS_ERR_NOMEM;
    for (uint32_t i = 0; i < n_core; i++) sum += wt[i] = ls__rng_lognormal(r, 1.0, 0.9);
    uint64_t n_cell_rt = 0;
    for (uint32_t i = 0; i < n_core; i++) {
        uint32_t a = w->op_core0 + i;
        uint32_t n = ls__rng_poisson(r, total * wt[i] / sum);
        if (n == 0) n = 1;
        for (uint32_t k = 0; k < n; k++) {
            /* A core account authors: its first tweet is a narrative post. */
            double u = k == 0 ? 1.0 : ls__rng_u(r);
            if (u < rt_share) { n_cell_rt++; continue; }
            if (u < rt_share + camo) {
                if (ls__rng_below(r, 2)) { TRY(pend_add(g, a, EV_RT)); continue; }
                int64_t t = ls__sim_sched_time(w, r, SCHED_OFFICE, 8, w->t0, w->t1);
                TRY(ls__sim_add_ev(w, t, a, EV_ORIG, T_CAMO, LS__NONE, seed32(r), 0, w->acct[a].lang));
                continue;
            }
            double x = ls__rng_u(r);
            int topic = x < v[P_OP_HK] ? T_OP_HK : x < v[P_OP_HK] + v[P_OP_GUO] ? T_OP_GUO
                      : x < v[P_OP_HK] + v[P_OP_GUO] + v[P_OP_COVID] ? T_OP_COVID : T_OP_TW;
            int lang = ls__rng_u(r) < v[P_OP_EN] ? L_EN : L_ZH;
            int64_t t = ls__sim_sched_time(w, r, SCHED_OFFICE, 8, w->t0, w->t1);
            uint32_t idx = (uint32_t)w->n_ev;
            TRY(ls__sim_add_ev(w, t, a, EV_ORIG, topic, LS__NONE, seed32(r), 0, lang));
            TRY(u32_add(&g->op_orig, &g->n_op_orig, &g->cap_op_orig, idx));
            if (ls__rng_u(r) < v[P_OP_PUSH]) TRY(u32_add(&g->pushed, &g->n_pushed, &g->cap_pushed, idx));
        }
    }
    /* Cells push chosen posts: several cell-mates retweet within seconds
     * to minutes, which is what a plain co-retweet detector sees. */
    if (g->n_pushed) {
        double per = (double)n_cell_rt / (double)g->n_pushed;
        uint32_t cell = (uint32_t)LS__MAX(2.0, v[P_OP_CELL]);
        uint32_t mates[512];
        for (size_t i = 0; i < g->n_pushed; i++) {
            const ls__sim_ev *e = &w->ev[g->pushed[i]];
            uint32_t c = (e->user - w->op_core0) / cell;
            uint32_t m0 = w->op_core0 + c * cell, m1 = LS__MIN(m0 + cell, w->op_core1);
            size_t k = pick_distinct(r, m0, m1, e->user, LS__MIN(512, ls__rng_poisson(r, per)), mates);
            for (size_t j = 0; j < k; j++) {
                int64_t t = w->ev[g->pushed[i]].ms + delay_ms(r, v[P_OP_CELL_DELAY], v[P_OP_CELL_SIGMA]);
                if (t >= w->t1) continue;
                TRY(ls__sim_add_ev(w, t, mates[j], EV_RT, 0, g->pushed[i], 0, 0, 0));
            }
        }
    }
    /* Amplifiers: mostly retweets of core posts (half of them the pushed
     * ones), a share of camouflage. */
    for (uint32_t a = w->op_amp0; a < w->op_amp1 && g->n_op_orig; a++) {
        double mean = LS__MAX(2.0, v[P_OP_AMP_ACTIONS]);
        uint32_t n = 1 + ls__rng_pareto(r, (mean - 1.5) / 3.0, 1.5, 2000);
        if (n < 2) n = 2;
        for (uint32_t k = 0; k < n; k++) {
            /* The first two actions amplify the core (an account is only
             * attributed to the network on such evidence); camouflage is
             * mixed into the rest. */
            if (k >= 2 && ls__rng_u(r) < v[P_OP_AMP_CAMO]) {
                if (ls__rng_below(r, 2)) { TRY(pend_add(g, a, EV_RT)); continue; }
                int64_t t = ls__sim_sched_time(w, r, SCHED_OFFICE, 8, w->t0, w->t1);
                TRY(ls__sim_add_ev(w, t, a, EV_ORIG, T_CAMO, LS__NONE, seed32(r), 0, w->acct[a].lang));
                continue;
            }
            for (int tries = 0; tries < 4; tries++) {
                uint32_t post = (g->n_pushed && ls__rng_below(r, 2)) ? g->pushed[ls__rng_below(r, g->n_pushed)]
                                                                     : g->op_orig[ls__rng_below(r, g->n_op_orig)];
                int64_t t = w->ev[post].ms + delay_ms(r, v[P_OP_AMP_DELAY], v[P_OP_AMP_SIGMA]);
                if (t >= w->t1) continue;
                TRY(ls__sim_add_ev(w, t, a, EV_RT, 0, post, 0, 0, 0));
                break;
            }
        }
    }
done:
    ls__free(wt);
    return st;
}

static int archive_net(gen *g, ls__rng *r)
{
    ls__sim_world *w = g->w;
    int st = LS_OK;
    int64_t lo = ls__sim_days_from_civil(2019, 6, 3) * DAY_MS, hi = ls__sim_days_from_civil(2019, 8, 19) * DAY_MS;
    uint32_t *orig = NULL;
    size_t n_orig = 0, cap = 0;
    for (uint32_t a = w->arc0; a < w->arc1; a++) {
        uint32_t n = ls__rng_poisson(r, g->v[P_ARC_TWEETS]);
        for (uint32_t k = 0; k < n; k++) {
            double x = ls__rng_u(r);
            int topic = x < 0.6 ? T_OP_HK : x < 0.9 ? T_OP_GUO : T_OP_TW;
            int lang = ls__rng_u(r) < 0.12 ? L_EN : L_ZH;
            int64_t t = ls__sim_sched_time(w, r, SCHED_OFFICE, 8, lo, hi);
            uint32_t idx = (uint32_t)w->n_ev;
            TRY(ls__sim_add_ev(w, t, a, EV_ORIG, topic, LS__NONE, seed32(r), 0, lang));
            TRY(u32_add(&orig, &n_orig, &cap, idx));
        }
    }
    /* The same cell pushing as in 2020. */
    for (size_t i = 0; i < n_orig; i++) {
        if (ls__rng_u(r) >= 0.1) continue;
        uint32_t mates[16], author = w->ev[orig[i]].user;
        uint32_t c = (author - w->arc0) / 25, m0 = w->arc0 + c * 25, m1 = LS__MIN(m0 + 25, w->arc1);
        size_t k = pick_distinct(r, m0, m1, author, ls__rng_poisson(r, 4) % 16, mates);
        for (size_t j = 0; j < k; j++) {
            int64_t t = w->ev[orig[i]].ms + delay_ms(r, 40, 1.0);
            if (t < hi) TRY(ls__sim_add_ev(w, t, mates[j], EV_RT, 0, orig[i], 0, 0, 0));
        }
    }
done:
    ls__free(orig);
    return st;
}

static int op_spam(gen *g, ls__rng *r, uint32_t s0, uint32_t s1)
{
    ls__sim_world *w = g->w;
    const double *v = g->v;
    int st = LS_OK;
    uint32_t n = s1 - s0;
    uint32_t *posts = NULL;
    size_t n_posts = 0, cap = 0;
    if (!n) return LS_OK;
    double burst = LS__MAX(0.01, LS__MIN(1.0, v[P_SPAM_BURST]));
    double total = v[P_SPAM_TWEETS] * n * (1 - v[P_SPAM_RT]);
    uint32_t msgs = (uint32_t)LS__MAX(1.0, total / (burst * n));
    int64_t win = (int64_t)(LS__MAX(0.1, v[P_SPAM_WINDOW]) * 60000);
    for (uint32_t m = 0; m < msgs; m++) {
        int64_t t = w->t0 + (int64_t)ls__rng_below(r, (uint64_t)(w->t1 - w->t0 - win));
        uint32_t aux = (uint32_t)(ls__rng_next(r) >> 40) * 1024u + m;
        for (uint32_t a = s0; a < s1; a++) {
            if (ls__rng_u(r) >= burst) continue;
            uint32_t idx = (uint32_t)w->n_ev;
            /* One draw a statement: argument order is unspecified in C. */
            uint32_t sd = seed32(r);
            int64_t at = t + (int64_t)ls__rng_below(r, (uint64_t)win);
            TRY(ls__sim_add_ev(w, at, a, EV_ORIG, T_SPAM, LS__NONE, sd, aux, L_EN));
            TRY(u32_add(&posts, &n_posts, &cap, idx));
        }
    }
    for (uint32_t a = s0; a < s1 && n_posts; a++) {
        uint32_t k = ls__rng_poisson(r, v[P_SPAM_RT] * v[P_SPAM_TWEETS]);
        for (uint32_t j = 0; j < k; j++) {
            uint32_t post = posts[ls__rng_below(r, n_posts)];
            int64_t t = w->ev[post].ms + delay_ms(r, 3600, 1.5);
            if (t < w->t1 && w->ev[post].user != a) TRY(ls__sim_add_ev(w, t, a, EV_RT, 0, post, 0, 0, 0));
        }
    }
done:
    ls__free(posts);
    return st;
}

static int fandom(gen *g, ls__rng *r, uint32_t i0, uint32_t i1, uint32_t f0, uint32_t f1)
{
    ls__sim_world *w = g->w;
    const double *v = g->v;
    int st = LS_OK;
    uint32_t n_idols = i1 - i0;
    double *p = NULL;
    if (!n_idols || f1 == f0) return LS_OK;
    p = ls__malloc((size_t)(f1 - f0) * sizeof *p);
    if (!p) return LS_ERR_NOMEM;
    for (uint32_t f = f0; f < f1; f++) p[f - f0] = LS__MIN(0.95, v[P_FAN_P] * ls__rng_lognormal(r, 1, 0.7) / 1.277);
    double days = (double)(w->t1 - w->t0) / DAY_MS;
    for (uint32_t i = i0; i < i1; i++) {
        uint32_t posts = ls__rng_poisson(r, v[P_FAN_POSTS] * days);
        for (uint32_t k = 0; k < posts; k++) {
            int64_t t = ls__sim_sched_time(w, r, SCHED_DIURNAL, 9, w->t0, w->t1);
            uint32_t post = (uint32_t)w->n_ev;
            TRY(ls__sim_add_ev(w, t, i, EV_ORIG, T_IDOL, LS__NONE, seed32(r), i - i0, L_KO));
            TRY(pop_add(g, post, pow(w->acct[i].followers + 1.0, 0.8)));
            for (uint32_t f = f0; f < f1; f++) {
                if (w->acct[f].group != i - i0 || ls__rng_u(r) >= p[f - f0]) continue;
                int64_t tf = t + delay_ms(r, v[P_FAN_DELAY], v[P_FAN_SIGMA]);
                if (tf < w->t1) TRY(ls__sim_add_ev(w, tf, f, EV_RT, 0, post, 0, 0, 0));
            }
        }
    }
done:
    ls__free(p);
    return st;
}

static int news(gen *g, ls__rng *r, uint32_t o0, uint32_t o1, uint32_t p0, uint32_t p1)
{
    ls__sim_world *w = g->w;
    const double *v = g->v;
    int st = LS_OK;
    wpick pool = { 0 };
    if (o1 == o0) return LS_OK;
    double days = (double)(w->t1 - w->t0) / DAY_MS;
    /* Ordinary news posts: organic cascades reach them through `popular`. */
    for (uint32_t o = o0; o < o1; o++) {
        uint32_t n = ls__rng_poisson(r, 10 * days);
        for (uint32_t k = 0; k < n; k++) {
            int64_t t = ls__sim_sched_time(w, r, SCHED_DIURNAL, w->acct[o].tz, w->t0, w->t1);
            uint32_t post = (uint32_t)w->n_ev;
            TRY(ls__sim_add_ev(w, t, o, EV_ORIG, T_NEWS, LS__NONE, seed32(r), o - o0, L_EN));
            TRY(pop_add(g, post, pow(w->acct[o].followers + 1.0, 0.8)));
        }
    }
    /* Breaking-news moments: a share of the pool retweets one post at
     * once; news junkies (heavy propensity) show up in many moments. */
    for (uint32_t a = p0; a < p1; a++) TRY(wp_add(&pool, a, ls__rng_lognormal(r, 1, 0.8)));
    TRY(wp_index(&pool));
    uint32_t moments = (uint32_t)LS__MAX(0.0, v[P_NEWS_MOMENTS]);
    for (uint32_t m = 0; m < moments && pool.n; m++) {
        uint32_t o = o0 + (uint32_t)ls__rng_below(r, o1 - o0);
        int64_t t = w->t0 + (int64_t)ls__rng_below(r, (uint64_t)(w->t1 - w->t0 - DAY_MS));
        uint32_t post = (uint32_t)w->n_ev;
        TRY(ls__sim_add_ev(w, t, o, EV_ORIG, T_NEWS, LS__NONE, seed32(r), (o - o0) | 0x100, L_EN));
        size_t k = ls__rng_poisson(r, v[P_NEWS_SIZE] * (p1 - p0) * ls__rng_lognormal(r, 1, 0.4));
        /* Big moments need more than crowd()'s 512; add in rounds. */
        while (k) {
            size_t part = LS__MIN(k, (size_t)400);
            TRY(crowd(g, r, &pool, post, part, v[P_NEWS_DELAY], v[P_NEWS_SIGMA]));
            k -= part;
        }
    }
done:
    wp_free(&pool);
    return st;
}

static int campaign(gen *g, ls__rng *r, uint32_t c0, uint32_t c1, uint32_t n_org)
{
    ls__sim_world *w = g->w;
    int st = LS_OK;
    uint32_t storms = (uint32_t)LS__MAX(0.0, g->v[P_CAMP_STORMS]);
    int64_t span = (w->t1 - w->t0) / DAY_MS;
    for (uint32_t s = 0; s < storms && c1 > c0; s++) {
        int64_t day = (int64_t)((s + 0.5) * (double)span / storms);
        int64_t t = w->t0 + day * DAY_MS + HOUR_MS;   /* 20:00 in New York */
        uint32_t tag = s % 2 == 0 ? 0 : 1;
        uint32_t posts[8];
        uint32_t n_posts = 0;
        for (uint32_t o = c0; o < c0 + n_org && n_posts < 8; o++) {
            posts[n_posts++] = (uint32_t)w->n_ev;
            uint32_t sd = seed32(r);   /* one draw a statement (argument order) */
            int64_t at = t - (int64_t)ls__rng_below(r, 600000);
            TRY(ls__sim_add_ev(w, at, o, EV_ORIG, T_CAMPAIGN, LS__NONE, sd, tag, L_EN));
        }
        for (uint32_t a = c0 + n_org; a < c1; a++) {
            if (ls__rng_u(r) >= 0.6) continue;
            uint32_t k = 1 + ls__rng_poisson(r, 0.8);
            for (uint32_t j = 0; j < k; j++) {
                /* Two statements: operand order within one expression
                 * is unspecified (see random_time in accounts.c). */
                int64_t spread = (int64_t)(fabs(ls__rng_normal(r)) * 900000.0);
                int64_t tt = t + spread + (int64_t)ls__rng_below(r, 60000);
                if (tt < w->t1) TRY(ls__sim_add_ev(w, tt, a, EV_ORIG, T_CAMPAIGN, LS__NONE, seed32(r), tag, L_EN));
            }
            if (n_posts && ls__rng_u(r) < 0.35) {
                uint32_t post = posts[ls__rng_below(r, n_posts)];
                int64_t tt = w->ev[post].ms + delay_ms(r, 480, 1.2);
                if (tt < w->t1) TRY(ls__sim_add_ev(w, tt, a, EV_RT, 0, post, 0, 0, 0));
            }
        }
    }
done:
    return st;
}

static int newsbots(gen *g, ls__rng *r, uint32_t b0, uint32_t b1)
{
    ls__sim_world *w = g->w;
    int st = LS_OK;
    if (b1 == b0) return LS_OK;
    uint32_t articles = (uint32_t)(LS__MAX(0.0, g->v[P_BOT_ARTICLES]) * (double)(w->t1 - w->t0) / DAY_MS);
    for (uint32_t art = 0; art < articles; art++) {
        int64_t t = w->t0 + (int64_t)ls__rng_below(r, (uint64_t)(w->t1 - w->t0));
        uint32_t feed = art % 40;
        for (uint32_t b = b0; b < b1; b++) {
            /* Each bot follows 3-8 of 40 feeds and polls every 5-30 min. */
            uint64_t h = ls__hash64(&b, sizeof b, feed);
            if (h % 40 >= 3 + (uint64_t)(b % 6)) continue;
            int64_t poll = (300 + (int64_t)((h >> 8) % 1500)) * 1000;
            int64_t tb = t + 5000 + (int64_t)ls__rng_below(r, (uint64_t)poll);
            if (tb < w->t1) TRY(ls__sim_add_ev(w, tb, b, EV_ORIG, T_BOT, LS__NONE, seed32(r), art, L_EN));
        }
    }
done:
    return st;
}

static int linkshare(gen *g, ls__rng *r, uint32_t l0, uint32_t l1)
{
    ls__sim_world *w = g->w;
    int st = LS_OK;
    uint32_t size = (uint32_t)LS__MAX(5.0, g->v[P_LINK_COMM]);
    for (uint32_t c0 = l0; c0 < l1; c0 += size) {
        uint32_t c1 = LS__MIN(c0 + size, l1), comm = (c0 - l0) / size;
        for (uint32_t l = 0; l < 25; l++) {
            int64_t t = w->t0 + (int64_t)ls__rng_below(r, (uint64_t)(w->t1 - w->t0));
            for (uint32_t a = c0; a < c1; a++) {
                if (ls__rng_u(r) >= 0.12) continue;
                int64_t ta = t + delay_ms(r, 7200, 1.3);
                if (ta < w->t1)
                    TRY(ls__sim_add_ev(w, ta, a, EV_ORIG, T_LINK, LS__NONE, seed32(r), comm << 10 | l, w->acct[a].lang));
            }
        }
    }
done:
    return st;
}

static int opposite(gen *g, ls__rng *r, uint32_t l0, uint32_t l1, uint32_t m0, uint32_t m1)
{
    ls__sim_world *w = g->w;
    const double *v = g->v;
    int st = LS_OK;
    wpick pool = { 0 };
    uint32_t *posts = NULL;
    size_t n_posts = 0, cap = 0;
    double days = (double)(w->t1 - w->t0) / DAY_MS;
    for (uint32_t l = l0; l < l1; l++) {
        uint32_t n = ls__rng_poisson(r, 4 * days);
        for (uint32_t k = 0; k < n; k++) {
            int64_t t = ls__sim_sched_time(w, r, SCHED_EVENING, w->acct[l].tz, w->t0, w->t1);
            uint32_t post = (uint32_t)w->n_ev;
            TRY(ls__sim_add_ev(w, t, l, EV_ORIG, T_PRODEM, LS__NONE, seed32(r), 0, w->acct[l].lang));
            TRY(u32_add(&posts, &n_posts, &cap, post));
            TRY(pop_add(g, post, pow(w->acct[l].followers + 1.0, 0.8)));
        }
    }
    for (uint32_t a = m0; a < m1; a++) TRY(wp_add(&pool, a, ls__rng_lognormal(r, 1, 1.0)));
    TRY(wp_index(&pool));
    if (n_posts && pool.n) {
        double per = 25.0 * (m1 - m0) / (double)n_posts;
        for (size_t i = 0; i < n_posts; i++)
            TRY(crowd(g, r, &pool, posts[i], ls__rng_poisson(r, per), v[P_OPP_DELAY], v[P_OPP_SIGMA]));
    }
done:
    wp_free(&pool);
    ls__free(posts);
    return st;
}

/* Queued organic actions: retweets, replies and quotes of popular posts,
 * and now and then (op_outside_engagement) of an operation post.
 *
 * This is the largest single-stream loop of the build (a third of all
 * events) and it is bound by memory: each action draws a post from ~2
 * million originals (a guide-table slot, then the cumulative weight, then
 * the post's author and time in the event array: three dependent cache
 * misses, one after another).  The stream cannot be split, but it can be
 * read ahead: the random draws of an action do not depend on memory unless
 * the drawn post is the actor's own or too late (then the action tries
 * again), so a second copy of the stream runs LA actions ahead, assuming
 * the first try succeeds, computes each action's draws (a "plan") and
 * prefetches what the action will read.  When an action does need another
 * try, it continues from the stream state saved in its plan with the
 * plain code, and the read-ahead restarts from the true state.  The
 * events are the same as the plain loop's (resolve_one alone). */

/* A post of the popular pool with what resolving needs of it, so that one
 * cache line answers the draw. */
typedef struct { double c; uint32_t post, user; int64_t ms; } pop_rec;

typedef struct {
    const pop_rec *rec;
    const uint32_t *guide;
    size_t n;
    double step, total;
} pop_pool;

/* The entry wp_draw would find for x (same search, over pop_rec). */
static size_t pop_find(const pop_pool *p, double x, size_t b)
{
    size_t lo = p->guide[b], hi = p->guide[b + 1];
    while (lo > 0 && p->rec[lo - 1].c > x) lo--;
    while (hi < p->n - 1 && p->rec[hi].c <= x) hi++;
    while (lo < hi) { size_t m = (lo + hi) / 2; if (p->rec[m].c > x) hi = m; else lo = m + 1; }
    return lo;
}
static size_t pop_slot(const pop_pool *p, double x)
{
    size_t b = (size_t)(x / p->step);
    return b >= p->n ? p->n - 1 : b;
}

/* One queued action with the plain code, from try number `first`.  With
 * pp set the popular pool is read through it (same entries). */
static int resolve_one(gen *g, ls__sim_world *out, ls__rng *r, const pop_pool *pp, uint32_t user, int type, int first)
{
    ls__sim_world *w = g->w;
    const double *v = g->v;
    int is_op = w->acct[user].kind == K_OPERATION;
    for (int tries = first; tries < 4; tries++) {
        uint32_t post;
        if (!is_op && g->n_op_orig && ls__rng_u(r) < v[P_OP_OUTSIDE])
            post = g->op_orig[ls__rng_below(r, g->n_op_orig)];
        else if (pp) {
            double x = ls__rng_u(r) * pp->total;
            post = pp->rec[pop_find(pp, x, pop_slot(pp, x))].post;
        } else
            post = wp_draw(&g->popular, r);
        const ls__sim_ev *e = ev_at(w, post);
        if (e->user == user) continue;
        double med = v[P_ORG_DELAY] * (type == EV_REPLY ? 0.5 : type == EV_QUOTE ? 1.5 : 1.0);
        int64_t t = e->ms + delay_ms(r, med, v[P_ORG_SIGMA]);
        if (t >= w->t1) continue;
        int topic = T_ORG, lang = w->acct[user].lang;
        if (w->acct[user].kind == K_OPPOSITE && ls__rng_below(r, 2)) topic = T_PRODEM;
        if (is_op) topic = T_CAMO;
        return ls__sim_add_ev(out, t, user, type, topic, post, type == EV_RT ? 0 : seed32(r), 0, lang);
    }
    return LS_OK;
}

/* An action's draws when its first try succeeds, and the stream states a
 * second try would continue from. */
typedef struct {
    ls__rng after_target, after_delay, end;
    double x;               /* popular draw (outside == 0) */
    size_t b;               /* its guide slot */
    uint32_t post;          /* operation post (outside == 1) */
    int64_t delay;
    uint32_t seed;
    uint8_t outside, prodem;
} pend_plan;

static void plan_one(gen *g, const pop_pool *pp, ls__rng *r, uint64_t pend, pend_plan *pl)
{
    const ls__sim_world *w = g->w;
    const double *v = g->v;
    uint32_t user = (uint32_t)(pend >> 2);
    int type = (int)(pend & 3), kind = w->acct[user].kind;
    pl->outside = 0;
    if (kind != K_OPERATION && g->n_op_orig && ls__rng_u(r) < v[P_OP_OUTSIDE]) {
        pl->outside = 1;
        pl->post = g->op_orig[ls__rng_below(r, g->n_op_orig)];
        __builtin_prefetch(ev_at(w, pl->post));
    } else {
        pl->x = ls__rng_u(r) * pp->total;
        pl->b = pop_slot(pp, pl->x);
        __builtin_prefetch(&pp->guide[pl->b]);
    }
    pl->after_target = *r;
    double med = v[P_ORG_DELAY] * (type == EV_REPLY ? 0.5 : type == EV_QUOTE ? 1.5 : 1.0);
    pl->delay = delay_ms(r, med, v[P_ORG_SIGMA]);
    pl->after_delay = *r;
    pl->prodem = kind == K_OPPOSITE && ls__rng_below(r, 2);
    pl->seed = type == EV_RT ? 0 : seed32(r);
    pl->end = *r;
}

#define LA 32   /* actions planned ahead (a power of two) */

static int resolve_pending(gen *g, ls__rng *r, ls__sim_world *out)
{
    ls__sim_world *w = g->w;
    int st = LS_OK;
    pop_rec *rec = NULL;
    ls__sim_prefault pf;
    atomic_size_t made;     /* events written, published every 4,096 actions */
    memset(&pf, 0, sizeof pf);
    atomic_init(&made, 0);
    if (!g->popular.n) return LS_OK;
    TRY(wp_index(&g->popular));
    const wpick *wp = &g->popular;
    if (!wp->guide) {
        for (size_t i = 0; i < g->n_pend; i++)
            TRY(resolve_one(g, out, r, NULL, (uint32_t)(g->pend[i] >> 2), (int)(g->pend[i] & 3), 0));
        goto done;
    }
    /* From the spent unique-name set. */
    if (!(rec = recycle(&w->spare, wp->n * sizeof *rec))) { st = LS_ERR_NOMEM; goto done; }
    for (size_t k = 0; k < wp->n; k++) {
        const ls__sim_ev *e = ev_at(w, wp->v[k]);
        rec[k].c = wp->c[k]; rec[k].post = wp->v[k]; rec[k].user = e->user; rec[k].ms = e->ms;
    }
    pop_pool pp = { rec, wp->guide, wp->n, wp->step, wp->c[wp->n - 1] };
    /* The pool's weights and posts are in rec now: the actions' events
     * (at most one an action) grow from the weights' pages. */
    if (out->cap_ev < g->n_pend) {
        void *c = g->popular.c;
        g->popular.c = NULL;
        g->popular.cap_c = 0;
        ls__free(out->ev);
        out->ev = NULL;
        out->cap_ev = 0;
        if (!(out->ev = recycle(&c, g->n_pend * sizeof *out->ev))) { st = LS_ERR_NOMEM; goto done; }
        out->cap_ev = g->n_pend;
    }
    /* Most of that array is fresh memory, written front to back by this
     * thread alone: the other core faults it in a little ahead. */
    pf.range[0] = (ls__sim_prefault_range){ out->ev, out->cap_ev * sizeof *out->ev, sizeof *out->ev };
    pf.n_range = 1;
    pf.progress = &made;
    pf.lead = 65536;
    ls__sim_prefault_start(&pf, g->threads);
    pend_plan ring[LA];
    ls__rng ahead = *r;     /* the stream as of the next action to plan */
    size_t head = 0;        /* next action to plan */
    for (size_t i = 0; i < g->n_pend; i++) {
        if ((i & 4095) == 0) atomic_store_explicit(&made, out->n_ev, memory_order_relaxed);
        /* Plan up to LA actions ahead; the accounts 2 x LA ahead and, for
         * the action LA / 2 ahead, its pool entry (its slot has arrived). */
        for (; head < g->n_pend && head < i + LA; head++) {
            if (head + LA < g->n_pend) __builtin_prefetch(&w->acct[g->pend[head + LA] >> 2]);
            plan_one(g, &pp, &ahead, g->pend[head], &ring[head % LA]);
            if (head >= LA / 2) {
                const pend_plan *m = &ring[(head - LA / 2) % LA];
                if (head - LA / 2 > i && !m->outside) __builtin_prefetch(&rec[wp->guide[m->b]]);
            }
        }
        const pend_plan *pl = &ring[i % LA];
        uint32_t user = (uint32_t)(g->pend[i] >> 2), post, author;
        int type = (int)(g->pend[i] & 3);
        int64_t ms;
        if (pl->outside) {
            const ls__sim_ev *e = ev_at(w, pl->post);
            post = pl->post; author = e->user; ms = e->ms;
        } else {
            const pop_rec *e = &rec[pop_find(&pp, pl->x, pl->b)];
            post = e->post; author = e->user; ms = e->ms;
        }
        int64_t t = ms + pl->delay;
        if (author == user || t >= w->t1) {
            /* A second try: continue from the saved state with the plain
             * code, then plan again from the true stream. */
            *r = author == user ? pl->after_target : pl->after_delay;
            TRY(resolve_one(g, out, r, &pp, user, type, 1));
            ahead = *r;
            head = i + 1;
            continue;
        }
        const ls__sim_acct *a = &w->acct[user];
        int topic = a->kind == K_OPERATION ? T_CAMO : pl->prodem ? T_PRODEM : T_ORG;
        TRY(ls__sim_add_ev(out, t, user, type, topic, post, pl->seed, 0, a->lang));
        *r = pl->end;
    }
done:
    ls__sim_prefault_stop(&pf);
    /* Spent, with its pages faulted in: the sort's array grows from it. */
    ls__free(w->spare);
    w->spare = rec;
    return st;
}
#undef LA

/* ---- sort, ids, counts ---- */

/* Bits needed to hold v (0 for 0). */
static int bits_of(uint64_t v)
{
    int b = 0;
    while (v) { b++; v >>= 1; }
    return b;
}

/* A bucket's records as (time, position) pairs, for spans of time too
 * wide for the 32-bit keys of local_sort (an absurd `days`). */
typedef struct { uint64_t t, pos; } time_pos;
static int time_pos_cmp(const void *x, const void *y)
{
    const time_pos *a = x, *b = y;
    if (a->t != b->t) return a->t < b->t ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* Sorts m keys (time bits above bit 32, a position below) on bits
 * [32, 32 + bits), stable, with tmp as scratch; the result ends in k.
 * Small buckets take an insertion sort on the whole key. */
static void local_sort(uint64_t *k, uint64_t *tmp, size_t m, int bits)
{
    if (m <= 32) {
        for (size_t i = 1; i < m; i++) {
            uint64_t v = k[i];
            size_t j = i;
            while (j > 0 && k[j - 1] > v) { k[j] = k[j - 1]; j--; }
            k[j] = v;
        }
        return;
    }
    int passes = (bits + 7) / 8;
    for (int p = 0; p < passes; p++) {
        size_t cnt[257] = { 0 };
        int shift = 32 + 8 * p;
        for (size_t i = 0; i < m; i++) cnt[((k[i] >> shift) & 255) + 1]++;
        for (int b = 0; b < 256; b++) cnt[b + 1] += cnt[b];
        for (size_t i = 0; i < m; i++) tmp[cnt[(k[i] >> shift) & 255]++] = k[i];
        memcpy(k, tmp, m * sizeof *k);
    }
}

/* The sort's passes run on up to SORT_MAX_THREADS threads, each over its
 * own range of events or buckets; every pass is a fixed function of its
 * range, so the result does not depend on the thread count. */
#define SORT_MAX_THREADS 16

typedef struct {
    /* shared */
    ls__sim_ev *const *seg;     /* the input: w->seg, w->seg_n, w->seg_ref */
    const size_t *seg_n;
    const uint32_t *seg_ref;
    ls__sim_ev *b;              /* the output */
    uint32_t *src;              /* sequence number of each output record */
    uint32_t *inv;
    const size_t *start;
    size_t nb, maxb;
    int64_t tmin;
    int shift, phase;
    uint64_t low;
    /* this thread's */
    size_t i0, i1;          /* events */
    size_t k0, k1;          /* buckets */
    size_t *cnt;            /* histogram, then write positions */
    uint64_t *keys;         /* 2 x maxb scratch */
    ls__sim_ev *tmp;        /* maxb records */
    uint32_t *tmp_src;      /* maxb sequence numbers */
    int64_t lo, hi;         /* time range seen */
} sort_job;

/* Phases 0-2 over the input segments, events [i0, i1) of the sequence. */
static void sort_run_input(sort_job *j)
{
    size_t i = j->i0, k = i;
    int s = 0;
    while (i < j->i1 && k >= j->seg_n[s]) k -= j->seg_n[s++];
    for (; i < j->i1; s++, k = 0) {
        ls__sim_ev *e = j->seg[s] + k;
        size_t m = LS__MIN(j->seg_n[s] - k, j->i1 - i);
        switch (j->phase) {
        case 0:   /* time range; references into sequence numbers */
            for (size_t x = 0; x < m; x++) {
                int64_t ms = e[x].ms;
                j->lo = LS__MIN(j->lo, ms);
                j->hi = LS__MAX(j->hi, ms);
                if (e[x].ref != LS__NONE) e[x].ref += j->seg_ref[s];
            }
            break;
        case 1:   /* bucket histogram */
            for (size_t x = 0; x < m; x++) j->cnt[(uint64_t)(e[x].ms - j->tmin) >> j->shift]++;
            break;
        default:  /* stable scatter: this range's share of each bucket */
            for (size_t x = 0; x < m; x++) {
                size_t d = j->cnt[(uint64_t)(e[x].ms - j->tmin) >> j->shift]++;
                j->b[d] = e[x];
                j->src[d] = (uint32_t)(i + x);
            }
        }
        i += m;
    }
}

static void *sort_run(void *arg)
{
    sort_job *j = arg;
    ls__sim_ev *b = j->b;
    switch (j->phase) {
    case 0: case 1: case 2:
        sort_run_input(j);
        break;
    case 3:   /* each bucket sorted in place */
        for (size_t k = j->k0; k < j->k1; k++) {
            size_t s = j->start[k], m = j->start[k + 1] - s;
            uint64_t *key = j->keys;
            if (m == 0) continue;
            /* Keys: the low time bits above the position in the bucket,
             * which is sequence order (the scatter was stable). */
            if (j->shift > 32) {
                /* Spans beyond 2^43 ms: (time, position) pairs, whose
                 * sorted positions then fill the first m keys (each pair
                 * is read before its words are overwritten). */
                time_pos *tp = (time_pos *)(void *)key;
                for (size_t i = 0; i < m; i++) tp[i] = (time_pos){ (uint64_t)(b[s + i].ms - j->tmin), i };
                qsort(tp, m, sizeof *tp, time_pos_cmp);
                for (size_t i = 0; i < m; i++) key[i] = tp[i].pos;
            } else {
                for (size_t i = 0; i < m; i++) key[i] = ((uint64_t)(b[s + i].ms - j->tmin) & j->low) << 32 | i;
                local_sort(key, key + j->maxb, m, j->shift);
            }
            memcpy(j->tmp, b + s, m * sizeof *b);
            memcpy(j->tmp_src, j->src + s, m * sizeof *j->src);
            for (size_t i = 0; i < m; i++) {
                size_t p = key[i] & 0xffffffffu;
                b[s + i] = j->tmp[p];
                j->src[s + i] = j->tmp_src[p];
            }
        }
        break;
    case 4:   /* new position of each old one */
        for (size_t i = j->i0; i < j->i1; i++) j->inv[j->src[i]] = (uint32_t)i;
        break;
    default:  /* references to new positions */
        for (size_t i = j->i0; i < j->i1; i++)
            if (b[i].ref != LS__NONE) b[i].ref = j->inv[b[i].ref];
    }
    return NULL;
}

/* Runs one phase on every job: jobs 1.. in threads, job 0 here; a job
 * whose thread cannot start runs here too. */
static void sort_phase(sort_job *job, int nt, int phase)
{
    pthread_t tid[SORT_MAX_THREADS];
    int started[SORT_MAX_THREADS] = { 0 };
    for (int t = 0; t < nt; t++) job[t].phase = phase;
    for (int t = 1; t < nt; t++) started[t] = pthread_create(&tid[t], NULL, sort_run, &job[t]) == 0;
    sort_run(&job[0]);
    for (int t = 1; t < nt; t++) {
        if (started[t]) pthread_join(tid[t], NULL);
        else sort_run(&job[t]);
    }
}

/* Joins the segments into w->ev sorted by time, ties in sequence order,
 * and rewrites references to the new positions.  One stable pass
 * scatters the records from the segments into 2,048 buckets of the new
 * array by the top bits of their time (2,048 sequential write streams),
 * each with its sequence number beside it in src; each bucket, a few
 * hundred kilobytes, is then sorted in place, in cache, on the rest of
 * its time bits (keys of time and position in the bucket, radix passes of
 * 8 bits).  Every pass over the full records is sequential: an earlier
 * version that sorted keys and gathered the records from random places
 * spent most of its time waiting for memory on the benchmark VM.  Reading
 * the segments where the tasks left them saves joining them first (a
 * copy into fresh memory, which costs more than the copy on this VM).
 * Each pass is split over nt threads (the scatter with a histogram per
 * thread, so that it stays stable).  The result is the order of a stable
 * sort on time.  The segments stay for finish() to reuse, and so does
 * src (n 32-bit words), returned in *spare.  O(n). */
static int sort_events(ls__sim_world *w, int nt, uint32_t **spare)
{
    size_t n = w->n_ev, n1 = n ? n : 1;
    sort_job job[SORT_MAX_THREADS];
    size_t *start = NULL;
    ls__sim_ev *b = NULL;
    uint32_t *inv = NULL, *src = NULL;
    int st = LS_OK, inv_seg = -1;
    *spare = NULL;
    nt = LS__MAX(1, LS__MIN(nt, SORT_MAX_THREADS));
    if ((size_t)nt > n / 65536 + 1) nt = (int)(n / 65536 + 1);   /* small worlds: one thread */
    memset(job, 0, sizeof job);
    /* The sorted array grows from the actions' spent pool records, the
     * sequence numbers from the spent pending list (recycle). */
    if (!(b = recycle(&w->spare, n1 * sizeof *b)) || !(src = recycle(&w->spare2, n1 * sizeof *src))) {
        st = LS_ERR_NOMEM;
        goto done;
    }
    for (int t = 0; t < nt; t++) {
        job[t].seg = w->seg;
        job[t].seg_n = w->seg_n;
        job[t].seg_ref = w->seg_ref;
        job[t].b = b;
        job[t].src = src;
        job[t].i0 = n * (size_t)t / (size_t)nt;
        job[t].i1 = n * (size_t)(t + 1) / (size_t)nt;
        job[t].lo = INT64_MAX;
        job[t].hi = INT64_MIN;
    }
    sort_phase(job, nt, 0);
    if (n < 2) {
        if (n) b[0] = w->seg[0][0];
        goto out;
    }
    int64_t tmin = INT64_MAX, tmax = INT64_MIN;
    for (int t = 0; t < nt; t++) { tmin = LS__MIN(tmin, job[t].lo); tmax = LS__MAX(tmax, job[t].hi); }
    int tb = bits_of((uint64_t)(tmax - tmin)), hb = LS__MIN(tb, 11), shift = tb - hb;
    size_t nb = (size_t)1 << hb, maxb = 0;
    start = ls__calloc(nb + 1, sizeof *start);
    if (!start) { st = LS_ERR_NOMEM; goto done; }
    for (int t = 0; t < nt; t++) {
        job[t].start = start; job[t].nb = nb;
        job[t].tmin = tmin; job[t].shift = shift;
        job[t].low = ((uint64_t)1 << shift) - 1;   /* shift <= 44: times have 54 bits */
        if (!(job[t].cnt = ls__calloc(nb, sizeof *job[t].cnt))) { st = LS_ERR_NOMEM; goto done; }
    }
    sort_phase(job, nt, 1);
    /* Bucket k starts after the smaller buckets; within it, thread t's
     * records come after those of threads before it (stable). */
    {
        size_t sum = 0;
        for (size_t k = 0; k < nb; k++) {
            start[k] = sum;
            size_t before = sum;
            for (int t = 0; t < nt; t++) { size_t c = job[t].cnt[k]; job[t].cnt[k] = before; before += c; }
            maxb = LS__MAX(maxb, before - sum);
            sum = before;
        }
        start[nb] = sum;
    }
    sort_phase(job, nt, 2);
    /* The segments have been read: the map of new positions borrows the
     * smallest one that holds it (its pages are faulted in already, which
     * on a VM is much cheaper than fresh memory) and leaves it in place
     * for finish() to reuse again. */
    for (int s = 0; s < w->n_seg; s++)
        if (w->seg[s] && w->seg_n[s] * sizeof *w->ev >= n * sizeof *inv &&
            (inv_seg < 0 || w->seg_n[s] < w->seg_n[inv_seg])) inv_seg = s;
    inv = inv_seg >= 0 ? (uint32_t *)(void *)w->seg[inv_seg] : ls__big_malloc(n * sizeof *inv);
    if (!inv) { st = LS_ERR_NOMEM; goto done; }
    for (int t = 0; t < nt; t++) job[t].inv = inv;
    /* Buckets split into nt runs of about n / nt records. */
    for (int t = 0, k = 0; t < nt; t++) {
        job[t].k0 = (size_t)k;
        size_t goal = n * (size_t)(t + 1) / (size_t)nt;
        while ((size_t)k < nb && (t == nt - 1 || start[k + 1] <= goal)) k++;
        job[t].k1 = (size_t)k;
        job[t].maxb = maxb;
        if (!(job[t].keys = ls__malloc(2 * maxb * sizeof *job[t].keys)) ||
            !(job[t].tmp = ls__malloc(maxb * sizeof *job[t].tmp)) ||
            !(job[t].tmp_src = ls__malloc(maxb * sizeof *job[t].tmp_src))) {
            st = LS_ERR_NOMEM;
            goto done;
        }
    }
    sort_phase(job, nt, 3);
    sort_phase(job, nt, 4);
    sort_phase(job, nt, 5);
out:
    ls__free(w->ev);
    w->ev = b;
    w->cap_ev = n1;
    b = NULL;
    *spare = src;
    src = NULL;
done:
    for (int t = 0; t < nt; t++) {
        ls__free(job[t].cnt);
        ls__free(job[t].keys);
        ls__free(job[t].tmp);
        ls__free(job[t].tmp_src);
    }
    ls__free(start);
    ls__free(b);
    ls__free(src);
    if (inv_seg < 0) ls__free(inv);
    return st;
}

/* A block of at least `size` bytes for ids, counts or the writers'
 * buffers: the smallest of the event segments (no longer needed after
 * the sort) that holds it, else the largest grown into it, else a new
 * one; the caller frees it.  The
 * segments' pages are already faulted in, which on a VM is much cheaper
 * than fresh memory. */
void *ls__sim_reuse(ls__sim_world *w, size_t size)
{
    int best = -1;
    for (int s = 0; s < w->n_seg; s++)
        if (w->seg[s] && w->seg_n[s] * sizeof *w->ev >= size && (best < 0 || w->seg_n[s] < w->seg_n[best])) best = s;
    if (best < 0) {
        /* None holds it: the largest that is a block of its own (4 MiB
         * and more; realloc then moves its pages instead of copying)
         * grows into it. */
        for (int s = 0; s < w->n_seg; s++)
            if (w->seg[s] && w->seg_n[s] * sizeof *w->ev >= ((size_t)4 << 20) &&
                (best < 0 || w->seg_n[s] > w->seg_n[best])) best = s;
        if (best < 0) return ls__big_malloc(size ? size : 1);
        void *seg = w->seg[best];
        w->seg[best] = NULL;
        return recycle(&seg, size);
    }
    void *p = w->seg[best];
    w->seg[best] = NULL;
    return p;
}

int ls__sim_sink_open(ls_ctx *ctx, ls__sim_world *w, ls__sink *s, const char *path)
{
    for (int i = 0; i < 2; i++)
        if (!w->sink_blk[i] && !(w->sink_blk[i] = ls__sim_reuse(w, LS__SINK_BLOCK)))
            return ls__fail(ctx, LS_ERR_NOMEM, "out of memory");
    return ls__sink_open_lent(ctx, s, path, w->sink_blk);
}

void ls__sim_reuse_end(ls__sim_world *w)
{
    for (int s = 0; s < w->n_seg; s++) { ls__free(w->seg[s]); w->seg[s] = NULL; }
}

/* Engagement received by each post, and each account's number of events
 * (independent of the ids, so it runs beside them). */
static void *count_refs(void *arg)
{
    ls__sim_world *w = arg;
    const ls__sim_ev *a = w->ev;
    for (size_t i = 0; i < w->n_ev; i++) {
        uint32_t ref = a[i].ref;
        w->acct_ev[a[i].user]++;
        if (ref == LS__NONE) continue;
        if (a[i].type == EV_RT) w->n_rt[ref]++;
        else if (a[i].type == EV_REPLY) w->n_reply[ref]++;
        else w->n_quote[ref]++;
    }
    return NULL;
}

static int finish(ls__sim_world *w, int nt)
{
    int st;
    uint32_t *spare = NULL;
    if ((st = sort_events(w, nt, &spare))) return st;
    size_t n = w->n_ev, n1 = n ? n : 1;
    ls__sim_ev *a = w->ev;
    /* Ids, then the retweet and quote counts, each in the smallest spent
     * segment that holds it; the reply counts take the sort's sequence
     * numbers (n words, spent too). */
    w->n_reply = spare;
    if (!(w->id = ls__sim_reuse(w, n1 * sizeof *w->id)) ||
        !(w->n_rt = ls__sim_reuse(w, n1 * sizeof *w->n_rt)) ||
        !(w->n_quote = ls__sim_reuse(w, n1 * sizeof *w->n_quote)) ||
        !(w->acct_ev = ls__calloc(w->n_acct ? w->n_acct : 1, sizeof *w->acct_ev)))
        return LS_ERR_NOMEM;
    /* The other segments stay for the writers' buffers (ls__sim_reuse). */
    memset(w->n_rt, 0, n1 * sizeof *w->n_rt);
    memset(w->n_reply, 0, n1 * sizeof *w->n_reply);
    memset(w->n_quote, 0, n1 * sizeof *w->n_quote);
    pthread_t tid;
    int counting = nt > 1 && pthread_create(&tid, NULL, count_refs, w) == 0;
    /* Snowflakes: 41 bits of ms since the Twitter epoch, 10 worker bits,
     * 12 sequence bits; the sequence counts events within a millisecond,
     * so ids are unique and increase with time. */
    ls__rng r;
    ls__rng_seed(&r, w->seed, 4242);
    int64_t prev = INT64_MIN;
    uint32_t seq = 0, arc_n = w->arc1 - w->arc0;
    w->arc_ev0 = w->arc_ev1 = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t ms = a[i].ms;
        if (a[i].user - w->arc0 < arc_n) {
            /* The range the archive's writer looks at. */
            if (w->arc_ev1 == 0) w->arc_ev0 = i;
            w->arc_ev1 = i + 1;
        }
        seq = ms == prev ? seq + 1 : (uint32_t)ls__rng_below(&r, 64);
        prev = ms;
        w->id[i] = ((uint64_t)(ms - LS__SNOWFLAKE_EPOCH) << 22) | ((ls__rng_next(&r) & 1023) << 12) | (seq & 4095);
    }
    if (counting) pthread_join(tid, NULL);
    else count_refs(w);
    return LS_OK;
}

/* ---- the population tasks ---- */

/* Every population's events but the organic actions (401) are made by a
 * task of its own: its own stream, its own accounts (read only), its own
 * event array numbered from 0, its own pending actions and pool posts.
 * So tasks run side by side, on worker threads, while this thread is
 * still making the later populations' accounts (a task waits until its
 * accounts exist), and the merge then lays their events out in the fixed
 * order below, shifting references by each task's offset.  The result is
 * the same as running them one after another on one array: the bytes do
 * not depend on the thread count or on which thread ran what. */
enum { TK_ORGANIC, TK_FANDOM, TK_NEWS, TK_CAMPAIGN, TK_NEWSBOTS, TK_LINKSHARE, TK_OPPOSITE, TK_JUNE2020,
       TK_SPAM, TK_ARCHIVE };
typedef struct {
    int fn, stream;
    int need;               /* populations that must be complete first */
    uint32_t a[4];          /* the function's account ranges */
    ls__sim_world w;        /* local: shares the accounts, owns its events */
    gen g;
    int st;
} ev_task;

/* Tasks are numbered in event order, the order of the merge: the organic
 * originals (streams 101-106), the look-alikes' events (201-206), the
 * operations (301, 302), and after the organic actions the archive (501). */
#define N_TASKS 15
#define T_ARCHIVE_TASK 14

struct task_pool {
    ls__sim_world *w;
    ev_task *task;
    const int *order;       /* the order in which tasks are taken */
    int next, ready, abort;
    atomic_size_t made;     /* accounts complete (they are made in order) */
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

/* Waits until `need` accounts are complete; returns how many are (fewer
 * only when the build is abandoned). */
static size_t accounts_made(task_pool *tp, size_t need)
{
    size_t n = atomic_load_explicit(&tp->made, memory_order_acquire);
    if (n >= need) return n;
    pthread_mutex_lock(&tp->mu);
    while ((n = atomic_load_explicit(&tp->made, memory_order_acquire)) < need && !tp->abort)
        pthread_cond_wait(&tp->cv, &tp->mu);
    pthread_mutex_unlock(&tp->mu);
    return n;
}

static void run_task(task_pool *tp, ev_task *t)
{
    const ls__sim_world *w = tp->w;
    ls__sim_world *lw = &t->w;
    ls__rng r;
    /* Only what never changes once the accounts are being made. */
    memset(lw, 0, sizeof *lw);
    lw->p = w->p; lw->seed = w->seed; lw->t0 = w->t0; lw->t1 = w->t1; lw->acct = w->acct;
    memcpy(lw->sched_c, w->sched_c, sizeof lw->sched_c);
    t->g.w = lw;
    t->g.v = w->p->v;
    t->g.tp = tp;
    ls__rng_seed(&r, w->seed, (uint64_t)t->stream);
    const uint32_t *a = t->a;
    switch (t->fn) {
    case TK_ORGANIC:   t->st = organic_activity(&t->g, &r, a[0], a[1]); break;
    case TK_FANDOM:    t->st = fandom(&t->g, &r, a[0], a[1], a[1], a[2]); break;
    case TK_NEWS:      t->st = news(&t->g, &r, a[0], a[1], a[1], a[2]); break;
    case TK_CAMPAIGN:  t->st = campaign(&t->g, &r, a[0], a[1], a[2]); break;
    case TK_NEWSBOTS:  t->st = newsbots(&t->g, &r, a[0], a[1]); break;
    case TK_LINKSHARE: t->st = linkshare(&t->g, &r, a[0], a[1]); break;
    case TK_OPPOSITE:  t->st = opposite(&t->g, &r, a[0], a[1], a[1], a[2]); break;
    case TK_JUNE2020:
        lw->op_core0 = a[0]; lw->op_core1 = lw->op_amp0 = a[1]; lw->op_amp1 = a[2];
        t->st = op_june2020(&t->g, &r);
        break;
    case TK_SPAM:      t->st = op_spam(&t->g, &r, a[0], a[1]); break;
    default:
        lw->arc0 = a[0]; lw->arc1 = a[1];
        t->st = archive_net(&t->g, &r);
    }
}

/* Takes tasks in pool order until none is left; waits for a task's
 * accounts.  Run by the workers and, once the accounts are made, by the
 * building thread too. */
static void *task_worker(void *arg)
{
    task_pool *tp = arg;
    for (;;) {
        pthread_mutex_lock(&tp->mu);
        if (tp->next >= N_TASKS || tp->abort) { pthread_mutex_unlock(&tp->mu); break; }
        ev_task *t = &tp->task[tp->order[tp->next++]];
        while (tp->ready < t->need && !tp->abort) pthread_cond_wait(&tp->cv, &tp->mu);
        int stop = tp->abort;
        pthread_mutex_unlock(&tp->mu);
        if (stop) break;
        run_task(tp, t);
    }
    return NULL;
}

/* Population k's accounts are complete (or, abort, none will come). */
static void publish(task_pool *tp, int k, int abort)
{
    pthread_mutex_lock(&tp->mu);
    atomic_store_explicit(&tp->made, tp->w->n_acct, memory_order_release);
    tp->ready = k;
    tp->abort |= abort;
    pthread_cond_broadcast(&tp->cv);
    pthread_mutex_unlock(&tp->mu);
}

/* Appends n events at *ev (taken over) to the sequence as a segment;
 * their references are shifted by ref_off when the sort reads them. */
static int add_segment(ls__sim_world *w, ls__sim_ev **ev, size_t n, size_t ref_off)
{
    if (n == 0) { ls__free(*ev); *ev = NULL; return LS_OK; }
    if (n >= UINT32_MAX - 1 - w->n_ev || w->n_seg == LS__SIM_SEGS) return LS_ERR_LIMIT;
    w->seg[w->n_seg] = *ev;
    w->seg_ref[w->n_seg] = (uint32_t)ref_off;
    w->seg_n[w->n_seg++] = n;
    w->n_ev += n;
    *ev = NULL;
    return LS_OK;
}

/* Appends *src (n entries of size elem) to *dst; when *dst is still
 * empty it takes the list over, which spares copying the largest lists. */
static int append(void **dst, size_t *n, size_t *cap, void **src, size_t *src_n, size_t *src_cap, size_t elem)
{
    if (!*dst) {
        *dst = *src; *n = *src_n; *cap = *src_cap;
        *src = NULL; *src_n = *src_cap = 0;
        return LS_OK;
    }
    if (!*src_n) return LS_OK;
    if (ls__grow(dst, cap, *n + *src_n, elem)) return LS_ERR_NOMEM;
    memcpy((char *)*dst + *n * elem, *src, *src_n * elem);
    *n += *src_n;
    return LS_OK;
}

/* Appends task t's events to the sequence (its array becomes a segment)
 * and its lists to g's, event numbers shifted by the task's place.  The
 * pool's cumulative weights are summed in the same order as wp_add would,
 * in place over the appended weights. */
static int merge_task(ls__sim_world *w, gen *g, ev_task *t)
{
    gen *tg = &t->g;
    wpick *p = &g->popular;
    size_t off = w->n_ev, n0 = p->n, n_pop = tg->n_pop, n_c = p->n;
    if (t->st) return t->st;
    if (t->w.n_ev >= UINT32_MAX - 1 - off) return LS_ERR_LIMIT;
    for (size_t i = 0; i < tg->n_pop; i++) tg->pop_i[i] += (uint32_t)off;
    for (size_t i = 0; i < tg->n_op_orig; i++) tg->op_orig[i] += (uint32_t)off;
    if (append((void **)&g->pend, &g->n_pend, &g->cap_pend, (void **)&tg->pend, &tg->n_pend, &tg->cap_pend, sizeof *g->pend) ||
        append((void **)&g->op_orig, &g->n_op_orig, &g->cap_op_orig, (void **)&tg->op_orig, &tg->n_op_orig,
               &tg->cap_op_orig, sizeof *g->op_orig) ||
        append((void **)&p->c, &n_c, &p->cap_c, (void **)&tg->pop_w, &n_pop, &tg->cap_pop_w, sizeof *p->c) ||
        append((void **)&p->v, &p->n, &p->cap_v, (void **)&tg->pop_i, &tg->n_pop, &tg->cap_pop_i, sizeof *p->v))
        return LS_ERR_NOMEM;
    for (size_t i = n0; i < p->n; i++) p->c[i] = (i ? p->c[i - 1] : 0) + p->c[i];
    ls__free(p->guide);   /* a guide describes a complete pool */
    p->guide = NULL;
    return add_segment(w, &t->w.ev, t->w.n_ev, off);
}

static void task_free(ev_task *t)
{
    ls__free(t->w.ev);
    t->w.ev = NULL;
    gen_free(&t->g);
}

/* ---- the side job ---- */

typedef struct {
    ls__sim_world *w;
    ls_ctx ctx;             /* a copy: its message is the side job's own */
    int st;
} side_job;

static void *side_run(void *arg)
{
    side_job *j = arg;
    j->st = j->w->side(&j->ctx, j->w, j->w->side_arg);
    return NULL;
}

/* ---- the whole world ---- */

int ls__sim_build(ls_ctx *ctx, ls__sim_world *w)
{
    const ls_sim *p = w->p;
    const double *v = p->v;
    int st = LS_OK;
    gen g = { 0 };
    g.w = w; g.v = v;
    ls__rng r;
    uint32_t id;
    ev_task task[N_TASKS];
    ls__sim_world act = { 0 };  /* the organic actions' events */
    /* The order in which tasks are taken: as soon as their accounts exist. */
    static const int order[N_TASKS] = { 12, 13, 0, 1, 6, 2, 7, 3, 8, 9, 4, 10, 5, 11, T_ARCHIVE_TASK };
    task_pool tp = { w, task, order, 0, 0, 0, 0, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER };
    pthread_t tid[SORT_MAX_THREADS];
    int n_workers = 0, side_started = 0, side_err = 0;
    pthread_t side_tid;
    side_job side = { w, *ctx, LS_OK };
    ls__sim_prefault pf;    /* the account table, names and profile rows */
    memset(&pf, 0, sizeof pf);
    /* The populations (in the order their accounts are made) each task
     * needs, set before any worker looks; a task's other fields are set
     * before its population is published. */
    static const int need[N_TASKS] = { 2, 4, 5, 6, 8, 9, 4, 5, 6, 7, 8, 9, 1, 2, 10 };
    memset(task, 0, sizeof task);
    for (int t = 0; t < N_TASKS; t++) task[t].need = need[t];
    sched_init(w);
    w->t0 = ls__sim_days_from_civil(2020, 3, 2) * DAY_MS;
    w->t1 = w->t0 + (int64_t)(LS__MAX(7.0, v[P_DAYS]) * DAY_MS);
#define ADD(kind, net, role, grp, fol) do { \
        TRY(ls__sim_add_acct(w, &r, kind, net, role, grp, fol, &id)); \
        if ((w->n_acct & 4095) == 0) publish(&tp, tp.ready, 0); \
    } while (0)
#define STREAM(k) ls__rng_seed(&r, w->seed, k)
#define TASK(i, f, s, a0, a1, a2) \
    (task[i].fn = (f), task[i].stream = (s), task[i].a[0] = (a0), task[i].a[1] = (a1), task[i].a[2] = (a2))
    /* Accounts, one stream per population.  The hint (most of them)
     * sizes the name set once; the account table gets its exact size, as
     * the tasks read it while accounts are added (it must not move). */
    w->acct_hint = (size_t)count(w, P_OP_CORE, 25) + count(w, P_OP_AMP, 50) + count(w, P_SPAM, 20) +
                   count(w, P_ORG, 200) + count(w, P_FAN, 50) + count(w, P_NEWS_POOL, 50) + count(w, P_CAMP, 20) +
                   count(w, P_BOTS, 5) + count(w, P_LINK, 30) + count(w, P_OPP, 30) + count(w, P_ARC_CORE, 20);
    uint32_t n_idols = (uint32_t)LS__MAX(0.0, v[P_FAN_IDOLS]);
    size_t n_all = w->acct_hint - count(w, P_FAN, 50) + (n_idols ? count(w, P_FAN, 50) : 0) + n_idols + 6 +
                   count(w, P_OPP_LEADERS, 3);
    if (ls__big_grow((void **)&w->acct, &w->cap_acct, n_all, sizeof *w->acct)) { st = LS_ERR_NOMEM; goto done; }
    w->acct_fixed = 1;
    /* Profile rows and names (about 100 and 40 bytes an account) are read
     * in random order by the writers: huge pages spare the TLB misses. */
    if (!(w->prof.p = ls__big_malloc(w->acct_hint * 100 + 1)) || !(w->names.p = ls__big_malloc(w->acct_hint * 40 + 1))) {
        st = LS_ERR_NOMEM;
        goto done;
    }
    w->prof.cap = w->acct_hint * 100 + 1;
    w->names.cap = w->acct_hint * 40 + 1;
    /* This thread writes them front to back, the critical path of the
     * build; the other core faults them in ahead of the accounts made
     * (published every 4,096).  Names (screen name and id text) and
     * profile rows take about 28.6 and 84.2 bytes an account at scale 1,
     * seed 1: a little more is faulted in. */
    pf.range[0] = (ls__sim_prefault_range){ w->acct, n_all * sizeof *w->acct, sizeof *w->acct };
    pf.range[1] = (ls__sim_prefault_range){ w->names.p, w->names.cap, 29 };
    pf.range[2] = (ls__sim_prefault_range){ w->prof.p, w->prof.cap, 85 };
    pf.n_range = 3;
    pf.progress = &tp.made;
    pf.lead = 16384;
    ls__sim_prefault_start(&pf, ls__threads(ctx));
    g.threads = ls__threads(ctx);
    for (int t = 1; t < LS__MIN(ls__threads(ctx), SORT_MAX_THREADS); t++)
        if (pthread_create(&tid[n_workers], NULL, task_worker, &tp) == 0) n_workers++;
    STREAM(1);
    uint32_t n_core = count(w, P_OP_CORE, 25), cell = (uint32_t)LS__MAX(2.0, v[P_OP_CELL]);
    w->op_core0 = (uint32_t)w->n_acct;
    for (uint32_t i = 0; i < n_core; i++) ADD(K_OPERATION, NET_JUNE2020, ROLE_CORE, i / cell, -1);
    w->op_core1 = w->op_amp0 = (uint32_t)w->n_acct;
    for (uint32_t i = 0, n = count(w, P_OP_AMP, 50); i < n; i++) ADD(K_OPERATION, NET_JUNE2020, ROLE_AMP, 0, -1);
    w->op_amp1 = (uint32_t)w->n_acct;
    TASK(12, TK_JUNE2020, 301, w->op_core0, w->op_core1, w->op_amp1);
    publish(&tp, 1, 0);
    STREAM(2);
    uint32_t s0 = (uint32_t)w->n_acct;
    for (uint32_t i = 0, n = count(w, P_SPAM, 20); i < n; i++) ADD(K_OPERATION, NET_SPAM, ROLE_CORE, 0, -1);
    TASK(13, TK_SPAM, 302, s0, (uint32_t)w->n_acct, 0);
    /* The organic accounts' events follow them as they are made. */
    uint32_t org0 = (uint32_t)w->n_acct, n_org = count(w, P_ORG, 200);
    TASK(0, TK_ORGANIC, 101, org0, org0 + n_org, 0);
    publish(&tp, 2, 0);
    STREAM(3);
    for (uint32_t i = 0; i < n_org; i++) ADD(K_ORGANIC, NET_NONE, ROLE_NONE, 0, -1);
    publish(&tp, 3, 0);
    STREAM(4);
    uint32_t i0 = (uint32_t)w->n_acct;
    for (uint32_t i = 0; i < n_idols; i++)
        ADD(K_FANDOM, NET_NONE, ROLE_NONE, i, (int64_t)(2e6 + ls__rng_below(&r, 13000000)));
    uint32_t f0 = (uint32_t)w->n_acct;
    for (uint32_t i = 0, n = n_idols ? count(w, P_FAN, 50) : 0; i < n; i++) ADD(K_FANDOM, NET_NONE, ROLE_NONE, i % n_idols, -1);
    TASK(1, TK_ORGANIC, 102, f0, (uint32_t)w->n_acct, 0);
    TASK(6, TK_FANDOM, 201, i0, f0, (uint32_t)w->n_acct);
    publish(&tp, 4, 0);
    STREAM(5);
    uint32_t o0 = (uint32_t)w->n_acct;
    for (uint32_t i = 0; i < 6; i++) ADD(K_NEWS, NET_NONE, ROLE_NONE, i, (int64_t)(1e6 + ls__rng_below(&r, 19000000)));
    uint32_t np0 = (uint32_t)w->n_acct;
    for (uint32_t i = 0, n = count(w, P_NEWS_POOL, 50); i < n; i++) ADD(K_NEWS, NET_NONE, ROLE_NONE, 0, -1);
    TASK(2, TK_ORGANIC, 103, np0, (uint32_t)w->n_acct, 0);
    TASK(7, TK_NEWS, 202, o0, np0, (uint32_t)w->n_acct);
    publish(&tp, 5, 0);
    STREAM(6);
    uint32_t c0 = (uint32_t)w->n_acct, n_camp = count(w, P_CAMP, 20), n_camp_org = LS__MAX(2, n_camp / 100);
    for (uint32_t i = 0; i < n_camp; i++)
        ADD(K_CAMPAIGN, NET_NONE, ROLE_NONE, i < n_camp_org, i < n_camp_org ? (int64_t)ls__rng_lognormal(&r, 20000, 1) : -1);
    TASK(3, TK_ORGANIC, 104, c0, (uint32_t)w->n_acct, 0);
    TASK(8, TK_CAMPAIGN, 203, c0, (uint32_t)w->n_acct, n_camp_org);
    publish(&tp, 6, 0);
    STREAM(7);
    uint32_t b0 = (uint32_t)w->n_acct;
    for (uint32_t i = 0, n = count(w, P_BOTS, 5); i < n; i++) ADD(K_NEWSBOT, NET_NONE, ROLE_NONE, i, -1);
    TASK(9, TK_NEWSBOTS, 204, b0, (uint32_t)w->n_acct, 0);
    publish(&tp, 7, 0);
    STREAM(8);
    uint32_t l0 = (uint32_t)w->n_acct, lsz = (uint32_t)LS__MAX(5.0, v[P_LINK_COMM]);
    for (uint32_t i = 0, n = count(w, P_LINK, 30); i < n; i++) ADD(K_LINKSHARE, NET_NONE, ROLE_NONE, i / lsz, -1);
    TASK(4, TK_ORGANIC, 105, l0, (uint32_t)w->n_acct, 0);
    TASK(10, TK_LINKSHARE, 205, l0, (uint32_t)w->n_acct, 0);
    publish(&tp, 8, 0);
    STREAM(9);
    uint32_t ol0 = (uint32_t)w->n_acct;
    for (uint32_t i = 0, n = count(w, P_OPP_LEADERS, 3); i < n; i++)
        ADD(K_OPPOSITE, NET_NONE, ROLE_NONE, 1, (int64_t)ls__rng_lognormal(&r, 60000, 1));
    uint32_t om0 = (uint32_t)w->n_acct;
    for (uint32_t i = 0, n = count(w, P_OPP, 30); i < n; i++) ADD(K_OPPOSITE, NET_NONE, ROLE_NONE, 0, -1);
    TASK(5, TK_ORGANIC, 106, om0, (uint32_t)w->n_acct, 0);
    TASK(11, TK_OPPOSITE, 206, ol0, om0, (uint32_t)w->n_acct);
    publish(&tp, 9, 0);
    STREAM(10);
    w->arc0 = (uint32_t)w->n_acct;
    for (uint32_t i = 0, n = count(w, P_ARC_CORE, 20); i < n; i++) ADD(K_ARCHIVE, NET_AUG2019, ROLE_CORE, i / 25, -1);
    w->arc1 = (uint32_t)w->n_acct;
    TASK(T_ARCHIVE_TASK, TK_ARCHIVE, 501, w->arc0, w->arc1, 0);
    publish(&tp, 10, 0);
    ls__sim_prefault_stop(&pf);
    /* Every account exists: the unique-name set (tens of megabytes) is
     * done with; its pages become the organic actions' pool records. */
    ls__free(w->spare);
    w->spare = w->name_set;
    w->name_set = NULL;
    w->name_cap = w->name_n = 0;
    /* The side job may start (here, if alone). */
    if (w->side) {
        if (n_workers > 0 && pthread_create(&side_tid, NULL, side_run, &side) == 0) side_started = 1;
        else if ((st = w->side(ctx, w, w->side_arg))) { side_err = 1; goto done; }
    }
    /* This thread helps with what is left, then waits for the workers. */
    task_worker(&tp);
    for (int t = 0; t < n_workers; t++) pthread_join(tid[t], NULL);
    n_workers = 0;

    /* Events: originals first, then what refers to them (the organic
     * actions draw from every population's posts), then the archive. */
    for (int t = 0; t < T_ARCHIVE_TASK; t++) {
        TRY(merge_task(w, &g, &task[t]));
        task_free(&task[t]);
    }
    /* The organic actions (at most one event each) in a segment of their own. */
    /* (Its array is made by resolve_pending, from spent memory.) */
    STREAM(401); TRY(resolve_pending(&g, &r, &act));
    TRY(add_segment(w, &act.ev, act.n_ev, 0));   /* its references are numbers already */
    TRY(merge_task(w, &g, &task[T_ARCHIVE_TASK]));
    /* The pools and pending lists (tens of megabytes) are done with:
     * freed before the sort, whose arrays set the peak of memory (only
     * the pool's records and the pending list stay, for the sort's
     * arrays). */
    ls__free(w->spare2);
    w->spare2 = g.pend;
    g.pend = NULL;
    gen_free(&g);
    TRY(finish(w, ls__threads(ctx)));
#undef ADD
#undef STREAM
#undef TASK
done:
    ls__sim_prefault_stop(&pf);
    if (n_workers) {
        publish(&tp, 0, 1);
        for (int t = 0; t < n_workers; t++) pthread_join(tid[t], NULL);
    }
    if (side_started) {
        pthread_join(side_tid, NULL);
        if (side.st && st == LS_OK) {
            memcpy(ctx->message, side.ctx.message, sizeof ctx->message);
            st = side.st;
            side_err = 1;
        }
    }
    for (int t = 0; t < N_TASKS; t++) task_free(&task[t]);
    ls__free(act.ev);
    gen_free(&g);
    if (side_err) return st;   /* the side job's message is in ctx */
    if (st == LS_ERR_NOMEM) return ls__fail(ctx, st, "out of memory while building the simulated world");
    if (st) return ls__fail(ctx, st, "cannot build the simulated world (size limit)");
    return LS_OK;
}

void ls__sim_world_free(ls__sim_world *w)
{
    ls__free(w->acct);
    ls__free(w->ev);
    ls__buf_free(&w->names);
    ls__buf_free(&w->prof);
    for (int i = 0; i < 5; i++) ls__buf_free(&w->scratch[i]);
    ls__free(w->name_set);
    for (int s = 0; s < w->n_seg; s++) ls__free(w->seg[s]);
    ls__free(w->spare);
    ls__free(w->spare2);
    ls__free(w->id);
    ls__free(w->n_rt);
    ls__free(w->n_reply);
    ls__free(w->n_quote);
    ls__free(w->acct_ev);
    ls__free(w->sink_blk[0]);
    ls__free(w->sink_blk[1]);
    memset(w, 0, sizeof *w);
}
