/*
 * score.c — the signals of each network, measured against the rest of the
 * data (every active account outside the network), and the network and
 * account scores in [0,1].  docs/detect.md gives each formula and why.
 *
 * Categorical concentration (name templates, client apps, creation bursts)
 * is always judged the same way: a value is over-represented in a network
 * when its count there is >= 3, at least LIFT times what the network's size
 * and the background share predict, and unlikely by chance (Poisson upper
 * tail >= 1e-3).  Nothing here looks at what posts say.
 *
 * Cost: O(events + accounts log accounts).
 */
#include "networks.h"
#include <limits.h>
#include <math.h>
#include <stdlib.h>

#define LIFT 4.0
#define MINC 3
#define MINSIG 3.0
#define BURST_HALF 1        /* creation burst: ±1 day */
#define LOCAL_HALF 30       /* compared with the network's own ±30 days */
#define BURST_LOCAL 3.0
#define RENORM_MIN 0.5     /* coverage from which scores use measurable signals only */
/* The coordination reading (docs/detect.md, "Two readings"): anomaly
 * signals below ANOM_FLOOR are background noise; each one above it is
 * independent evidence of strength ANOM_LAMBDA at full value. The audience
 * gap is on a log scale (1 = 1000x the background's engagement per
 * follower) and counts from 10x. */
#define ANOM_FLOOR 0.2
#define AUD_FLOOR (1.0 / 3.0)
#define ANOM_LAMBDA 0.7
#define QUIET_MIN_EVENTS 20 /* events for an account's own quiet-hours share */
#define QUIET_MIN_MEMBERS 5
#define DENSE_NET 0.5       /* dense_group share from which the mark is a member's part */
/* A co-action layer is how a network coordinates when at least this share
 * of its members have an edge of that layer to another member (the same
 * "the network is the group" as DENSE_NET). */
#define LAYER_NET 0.5
/* targeting from which a member's replies on the network's top targets are
 * its part (the network aims most of its outward replies at them). */
#define TARGET_NET 0.5
#define PART_FULL 10.0     /* events from which an account's part counts in full */
/* dedicated_amplification from which an author amplified by most of the
 * network's amplifiers (AMPS_MOST of them) has a part in it. */
#define DEDICATED_NET 0.5
#define AMPS_MOST 0.5

const char *const ls__sig_name[SIG_COUNT] = {
#define LS__SIGN(id, name, w, doc) name,
    LS__SIGNALS(LS__SIGN)
#undef LS__SIGN
};
const double ls__sig_weight[SIG_COUNT] = {
#define LS__SIGW(id, name, w, doc) w,
    LS__SIGNALS(LS__SIGW)
#undef LS__SIGW
};

enum { AF_COHORT = 1, AF_NAME = 2, AF_CLIENT = 4, AF_EDGE = 8, AF_NEARDUP = 16 };

static int over(double c, double expected)
{
    if (c < MINC) return 0;
    if (c < LIFT * expected) return 0;
    return ls__poisson_sf_log10((uint32_t)c, expected > 1e-9 ? expected : 1e-9) >= MINSIG;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}
static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}
/* Number of elements < x in sorted a[0..n). */
static size_t lower_i64(const int64_t *a, size_t n, int64_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) { size_t m = (lo + hi) / 2; if (a[m] < x) lo = m + 1; else hi = m; }
    return lo;
}
static size_t lower_i32(const int32_t *a, size_t n, int32_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) { size_t m = (lo + hi) / 2; if (a[m] < x) lo = m + 1; else hi = m; }
    return lo;
}

/* lower_i32 over a sorted array by table when its values span few days:
 * pre[k] = number of elements < a[0] + k, k < span.  Creation days span
 * years, not millions of days, so each count is one load instead of a
 * binary search per member (the searches were most of a scoring pass). */
typedef struct { const int32_t *a; size_t n; int64_t base, span; uint32_t *pre; } dayidx;

static int dayidx_init(dayidx *x, const int32_t *a, size_t n)
{
    x->a = a; x->n = n; x->pre = NULL; x->base = 0; x->span = 0;
    if (n == 0 || n > UINT32_MAX) return LS_OK;
    int64_t span = (int64_t)a[n - 1] - a[0] + 1;
    if (span > (1 << 22)) return LS_OK;          /* odd dates: binary search */
    x->pre = ls__malloc((size_t)span * sizeof *x->pre);
    if (!x->pre) return LS_ERR_NOMEM;
    x->base = a[0];
    x->span = span;
    size_t i = 0;
    for (int64_t k = 0; k < span; k++) {
        while (i < n && (int64_t)a[i] < x->base + k) i++;
        x->pre[k] = (uint32_t)i;
    }
    return LS_OK;
}

static size_t day_lower(const dayidx *x, int32_t v)
{
    if (!x->pre) return lower_i32(x->a, x->n, v);
    int64_t k = (int64_t)v - x->base;
    if (k <= 0) return 0;
    if (k >= x->span) return x->n;
    return x->pre[k];
}

static double ramp(double s, double floor)
{
    return LS__MAX(0.0, LS__MIN(1.0, (s - floor) / (1.0 - floor)));
}

/* The coordination of a network through links (links.c): the members
 * share the same links (co_link or co_domain edges inside), those links
 * stay among them (link_capture: the domains' posts are theirs, as
 * insularity asks of engagement), and the members write them in their own
 * words rather than relaying one feed's text. */
static double link_coord(const ls__net *N)
{
    return N->link_edges * N->sig[SIG_LINKCAP] * (1.0 - N->sig[SIG_RELAY]);
}

/* Coordination x independent anomalies, in [0,1]: the network's members
 * post the same texts, act as a dense group or amplify one another
 * (coordination) *and* that activity stays among them (insularity), and at
 * least one signal that coordination does not imply is anomalous (created
 * together, a name template, few followers, one client, an office
 * schedule, far more engagement than the members' audience earns, activity
 * that never sleeps, replies piled onto a few outside accounts).
 * Identical texts without interaction (news aggregators) or amplification
 * of accounts with a real audience (fandoms) do not reach it.  *coord gets
 * the coordination part; *link the link reading (below), which is not
 * part of the value returned. */
static double coord_reading(const ls__det *d, const ls__net *N, double *coord, double *link)
{
    static const int anom[] = { SIG_COHORT, SIG_NAME, SIG_FOLLOWERS, SIG_CLIENT, SIG_SCHEDULE, SIG_AUDIENCE, SIG_AROUND,
                                SIG_TARGETS };
    *coord = 0;
    *link = 0;
    /* Inputs that show under half of the evidence make no claim of
     * inauthenticity in either reading (docs/detect.md, "Inputs without
     * profiles"). */
    if (d->sig_coverage < RENORM_MIN) return 0;
    /* Without retweets, quotes or replies (insularity not measurable) the
     * terms below that need engagement are 0; the link term needs none. */
    double act = LS__MAX(d->sig_measurable[SIG_NEARDUP] ? N->sig[SIG_NEARDUP] : 0.0, N->sig[SIG_AMPLIFY]);
    act = LS__MAX(act, N->sig[SIG_DENSE]);
    double c = LS__MAX(act * N->sig[SIG_INSULAR], N->sig[SIG_DEDICATED]), keep = 1;
    for (size_t i = 0; i < sizeof anom / sizeof anom[0]; i++) {
        int k = anom[i];
        if (!d->sig_measurable[k]) continue;
        keep *= 1.0 - ANOM_LAMBDA * ramp(N->sig[k], k == SIG_AUDIENCE ? AUD_FLOOR : ANOM_FLOOR);
    }
    *coord = c;
    /* The link reading is a reading of its own, with its own account
     * parts: link_capture is the anomaly of the link coordination only.  A
     * copy-paste cell's captured links inside a fandom's network must not
     * lend the fans' amplification an anomaly it does not have (genworld
     * mixed_small seed 1: 922 fans reported when link_capture joined the
     * anomalies of every term). */
    double cl = link_coord(N);
    if (cl > 0 && d->sig_measurable[SIG_LINKCAP])
        *link = sqrt(cl * (1.0 - keep * (1.0 - ANOM_LAMBDA * ramp(N->sig[SIG_LINKCAP], ANOM_FLOOR))));
    return sqrt(c * (1.0 - keep));
}

/* d->aquiet, once per run (activity does not change between scoring
 * passes): each account's share of its events in its quietest six
 * consecutive hours of the (UTC) day, whatever its time zone; people sleep,
 * so this is small for them and approaches 6/24 for accounts that act at
 * every hour.  -1 for accounts with fewer than QUIET_MIN_EVENTS events. */
static int quiet_shares(ls__det *d)
{
    if (d->aquiet) return LS_OK;
    const ls_store *st = d->st;
    uint32_t A = d->n_acc;
    uint16_t (*h)[24] = ls__calloc(A ? A : 1, sizeof *h);
    d->aquiet = ls__malloc((A ? A : 1) * sizeof *d->aquiet);
    if (!h || !d->aquiet) { ls__free(h); return ls__fail(d->ctx, LS_ERR_NOMEM, "detect: out of memory"); }
    for (uint64_t i = 0; i < st->n_events; i++) {
        uint16_t *c = &h[st->ev_account[i]][d->ev_how[i] % 24];
        if (*c < UINT16_MAX) (*c)++;
    }
    for (uint32_t a = 0; a < A; a++) {
        uint32_t n = 0, w = 0, best;
        for (int k = 0; k < 24; k++) n += h[a][k];
        if (n < QUIET_MIN_EVENTS) { d->aquiet[a] = -1; continue; }
        for (int k = 0; k < 6; k++) w += h[a][k];
        best = w;
        for (int k = 0; k < 24; k++) {   /* window k..k+5, wrapping */
            if (w < best) best = w;
            w += (uint32_t)h[a][(k + 6) % 24] - h[a][k];
        }
        d->aquiet[a] = (float)best / (float)n;
    }
    ls__free(h);
    return LS_OK;
}

int ls__det_score(ls__det *d)
{
    ls_ctx *ctx = d->ctx;
    const ls_store *st = d->st;
    int rc = LS_OK;
    uint32_t A = d->n_acc, NN = d->n_net;
    uint32_t *order = NULL, *start = NULL, *tcount = NULL, *tnet = NULL, *ccount = NULL, *cnet = NULL;
    int64_t *fol_all = NULL, *fol_net = NULL;
    int32_t *day_all = NULL, *day_net = NULL;
    dayidx xall = { 0 }, xnet = { 0 };
    double (*hn)[168] = NULL, hall[168] = { 0 };
    uint64_t *in_win = NULL, *all_n = NULL;
    uint64_t *sync_fast = NULL, *sync_all = NULL;
    double *edge_w = NULL; uint64_t *edge_n = NULL;
    size_t n_fol = 0, n_day = 0, n_named = 0, n_texts = 0, n_engaged = 0;
    double fsum_all = 0;              /* followers + 1 over active accounts */
    double q_all = 0, q_all_n = 0;    /* quiet-hours shares over all accounts */
    double *ncoord = NULL;            /* coordination part of each network */
    double *pother = NULL;            /* the coordination reading without the link reading */
    uint32_t *rin = NULL;             /* amplification received from the own network */
    uint32_t *ramps = NULL;           /* the own network's amplifiers that amplify the account */
    uint8_t *beyond = NULL;           /* amplified by its network beyond its popularity (camo.c) */
    uint32_t *ownamp = NULL;          /* amplification of members that are not camouflage targets (camo.c) */
    uint16_t *alay = NULL;            /* per account: co-action layers of its in-network edges */
    uint16_t *nlay = NULL;            /* per network: the layers it coordinates through */
    uint32_t *thit = NULL, *tout = NULL; /* per member: outward replies/quotes, on the top targets */
    uint8_t targets_ok = 0;           /* the input shows reply/quote targets */
    uint32_t *acap = NULL, *alink = NULL; /* per account: authored posts on captured domains, link posts (links.c) */
    uint32_t n_tmpl = (uint32_t)d->tmpl.n, n_cli = st->ns[LS_NS_CLIENT].n;
    double active = 0;

    /* Scoring runs twice (before and after expansion): start afresh. */
    ls__free(d->aflag); ls__free(d->afol); ls__free(d->amemb); ls__free(d->aoffice); ls__free(d->ascore);
    for (uint32_t n = 0; n < NN; n++) {
        ls__net *N = &d->net[n];
        N->top_cohort_n = N->top_tmpl_n = N->top_client_n = 0;
        N->eng_in = N->eng_out = 0;
    }
    d->aflag = ls__calloc(A ? A : 1, sizeof *d->aflag);
    d->afol = ls__calloc(A ? A : 1, sizeof *d->afol);
    d->amemb = ls__calloc(A ? A : 1, sizeof *d->amemb);
    d->aoffice = ls__calloc(A ? A : 1, sizeof *d->aoffice);
    d->ascore = ls__calloc(A ? A : 1, sizeof *d->ascore);
    order = ls__malloc((A ? A : 1) * sizeof *order);
    start = ls__calloc((size_t)NN + 2, sizeof *start);
    tcount = ls__calloc(n_tmpl + 1, sizeof *tcount);
    tnet = ls__calloc(n_tmpl + 1, sizeof *tnet);
    ccount = ls__calloc((size_t)n_cli + 1, sizeof *ccount);
    cnet = ls__calloc((size_t)n_cli + 1, sizeof *cnet);
    fol_all = ls__malloc((A ? A : 1) * sizeof *fol_all);
    fol_net = ls__malloc((A ? A : 1) * sizeof *fol_net);
    day_all = ls__malloc((A ? A : 1) * sizeof *day_all);
    day_net = ls__malloc((A ? A : 1) * sizeof *day_net);
    hn = ls__calloc((size_t)NN + 1, sizeof *hn);
    in_win = ls__calloc(A ? A : 1, sizeof *in_win);
    all_n = ls__calloc(A ? A : 1, sizeof *all_n);
    sync_fast = ls__calloc((size_t)NN + 1, sizeof *sync_fast);
    sync_all = ls__calloc((size_t)NN + 1, sizeof *sync_all);
    edge_w = ls__calloc((size_t)NN + 1, sizeof *edge_w);
    edge_n = ls__calloc((size_t)NN + 1, sizeof *edge_n);
    ncoord = ls__calloc((size_t)NN + 1, sizeof *ncoord);
    pother = ls__calloc((size_t)NN + 1, sizeof *pother);
    rin = ls__calloc(A ? A : 1, sizeof *rin);
    ramps = ls__calloc(A ? A : 1, sizeof *ramps);
    beyond = ls__calloc(A ? A : 1, sizeof *beyond);
    ownamp = ls__calloc(A ? A : 1, sizeof *ownamp);
    alay = ls__calloc(A ? A : 1, sizeof *alay);
    nlay = ls__calloc((size_t)NN + 1, sizeof *nlay);
    thit = ls__calloc(A ? A : 1, sizeof *thit);
    tout = ls__calloc(A ? A : 1, sizeof *tout);
    acap = ls__calloc(A ? A : 1, sizeof *acap);
    alink = ls__calloc(A ? A : 1, sizeof *alink);
    if (!acap || !alink || !ncoord || !pother || !rin || !ramps || !beyond || !ownamp || !alay || !nlay || !thit || !tout ||
        !d->aflag || !d->afol || !d->amemb || !d->aoffice || !d->ascore || !order || !start || !tcount ||
        !tnet || !ccount || !cnet || !fol_all || !fol_net || !day_all || !day_net || !hn || !in_win ||
        !all_n || !sync_fast || !sync_all || !edge_w || !edge_n) {
        rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done;
    }
    if ((rc = quiet_shares(d)) != LS_OK) goto done;
    if ((rc = ls__det_targets(d, &targets_ok)) != LS_OK) goto done;
    if ((rc = ls__det_target_parts(d, thit, tout)) != LS_OK) goto done;
    if ((rc = ls__det_links(d, acap, alink)) != LS_OK) goto done;
    /* Background tables over active accounts. */
    for (uint32_t a = 0; a < A; a++) {
        if (d->aquiet[a] >= 0) { q_all += d->aquiet[a]; q_all_n++; }
        const ls__dacct *x = &d->acc[a];
        if (x->posts == 0) continue;
        active++;
        if (x->tmpl != LS__NONE) { tcount[x->tmpl]++; n_named++; }
        if (x->client != 0xFFFF && x->client < n_cli) ccount[x->client]++;
        if (st->acc_followers && st->acc_followers[a] >= 0) {
            fol_all[n_fol++] = st->acc_followers[a];
            fsum_all += (double)st->acc_followers[a] + 1.0;
        }
        if (x->created_day != INT32_MIN) day_all[n_day++] = x->created_day;
    }
    qsort(fol_all, n_fol, sizeof *fol_all, cmp_i64);
    qsort(day_all, n_day, sizeof *day_all, cmp_i32);
    if (dayidx_init(&xall, day_all, n_day) != LS_OK) { rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done; }
    /* Members grouped by network, in account order. */
    for (uint32_t a = 0; a < A; a++) if (d->net_of[a] != LS__NONE) start[d->net_of[a] + 1]++;
    for (uint32_t n = 0; n < NN; n++) start[n + 1] += start[n];
    {
        uint32_t *fill = ls__malloc(((size_t)NN + 1) * sizeof *fill);
        if (!fill) { rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done; }
        memcpy(fill, start, ((size_t)NN + 1) * sizeof *fill);
        for (uint32_t a = 0; a < A; a++) if (d->net_of[a] != LS__NONE) order[fill[d->net_of[a]]++] = a;
        ls__free(fill);
    }
    /* Event pass: hour-of-week histograms, engagement in/out, synchrony. */
    {
        for (uint64_t i = 0; i < st->n_events; i++) {
            uint32_t a = st->ev_account[i], n = d->net_of[a];
            int how = d->ev_how[i];
            hall[how] += 1;
            if (n != LS__NONE) hn[n][how] += 1;
            if (st->ev_kind[i] != LS_KIND_RETWEET && st->ev_text[i] != LS__NONE) n_texts++;
            uint32_t refs[2] = { LS__NONE, LS__NONE };
            if (st->ev_ref_post[i] != LS__NONE) refs[0] = st->ev_ref_post[i];
            if (st->ev_reply_post[i] != LS__NONE && st->ev_reply_post[i] != refs[0]) refs[1] = st->ev_reply_post[i];
            for (int r = 0; r < 2; r++) {
                if (refs[r] == LS__NONE) continue;
                uint32_t au = d->post_author[refs[r]];
                if (au != LS__NONE && au != a) n_engaged++;
                if (au == LS__NONE || au == a || d->net_of[au] == LS__NONE) continue;
                ls__net *N = &d->net[d->net_of[au]];
                if (n == d->net_of[au]) {
                    N->eng_in++;
                    if (r == 0 && (d->ev_bits[i] & LS__EVB_REF_TIMED)) {
                        sync_all[n]++;
                        if (d->ev_bits[i] & LS__EVB_FAST_RT) sync_fast[n]++;
                    }
                } else N->eng_out++;
            }
        }
    }
    /* What the input can show at all (see ls__det.sig_measurable). */
    {
        size_t n_cli_acc = 0;
        for (uint32_t c = 0; c < n_cli; c++) n_cli_acc += ccount[c];
        double wall = 0, wok = 0;
        for (int k = 0; k < SIG_COUNT; k++) {
            int ok = 1;
            switch (k) {
            case SIG_COHORT: ok = n_day > 0; break;
            case SIG_NAME: ok = n_named > 0; break;
            case SIG_CLIENT: ok = n_cli_acc > 0; break;
            case SIG_FOLLOWERS: ok = n_fol > 0; break;
            case SIG_NEARDUP: ok = n_texts > 0; break;
            case SIG_SYNC: case SIG_AMPLIFY: case SIG_INSULAR: case SIG_DEDICATED: ok = n_engaged > 0; break;
            case SIG_AUDIENCE: ok = n_engaged > 0 && n_fol > 0; break;
            case SIG_AROUND: ok = q_all_n > 0; break;
            case SIG_TARGETS: ok = targets_ok; break;
            case SIG_LINKCAP: case SIG_RELAY: {
                ok = 0;
                for (uint32_t a = 0; a < A && !ok; a++) ok = alink[a] > 0;
                break;
            }
            default: break;
            }
            d->sig_measurable[k] = (uint8_t)ok;
            wall += ls__sig_weight[k];
            if (ok) wok += ls__sig_weight[k];
        }
        d->sig_coverage = wall > 0 ? wok / wall : 0;
        d->renormalised = d->sig_coverage < 1.0 && d->sig_coverage >= RENORM_MIN;
    }
    for (size_t i = 0; i < d->n_e; i++) {
        const ls__fedge *e = &d->e[i];
        uint32_t n = d->net_of[e->u];
        if (n == LS__NONE || n != d->net_of[e->v]) continue;
        edge_w[n] += LS__MIN(1.0, e->w / 5.0);
        edge_n[n]++;
        d->aflag[e->u] |= AF_EDGE; d->aflag[e->v] |= AF_EDGE;
        if (e->cnt[LS_L_TWEET] || e->cnt[LS_L_SIMILAR]) { d->aflag[e->u] |= AF_NEARDUP; d->aflag[e->v] |= AF_NEARDUP; }
        /* Co-action on one object (not the amplification layer, which has
         * its own part below, nor bare synchrony, which has no object). */
        for (int l = 0; l < LS_L_COUNT; l++)
            if (e->cnt[l] && l != LS_L_POST) { alay[e->u] |= (uint16_t)(1u << l); alay[e->v] |= (uint16_t)(1u << l); }
    }

    for (uint32_t n = 0; n < NN; n++) {
        ls__net *N = &d->net[n];
        const uint32_t *m = order + start[n];
        size_t nm = start[n + 1] - start[n], nf = 0, nd = 0;
        double nact = 0;
        for (size_t i = 0; i < nm; i++) if (d->acc[m[i]].posts) nact++;
        double bg_n = active - nact;
        if (bg_n < 1) bg_n = 1;
        /* -- name templates and clients -- */
        double cli_tvd = 0; uint32_t n_cli_known = 0, bg_cli_known = 0;
        for (size_t i = 0; i < nm; i++) {
            const ls__dacct *x = &d->acc[m[i]];
            if (x->tmpl != LS__NONE) tnet[x->tmpl]++;
            if (x->client != 0xFFFF && x->client < n_cli) { cnet[x->client]++; n_cli_known++; }
        }
        for (uint32_t c = 0; c < n_cli; c++) bg_cli_known += ccount[c];
        bg_cli_known -= n_cli_known;
        for (uint32_t c = 0; c < n_cli; c++) {
            double pn = n_cli_known ? (double)cnet[c] / n_cli_known : 0;
            double pb = bg_cli_known ? (double)(ccount[c] - cnet[c]) / bg_cli_known : 0;
            cli_tvd += fabs(pn - pb);
        }
        cli_tvd *= 0.5;
        N->top_tmpl = LS__NONE;
        N->top_client = 0xFFFF;
        double s_name = 0, s_fol = 0, s_coh = 0, s_nd = 0, s_dense = 0, nd_base = 0, s_amp = 0, s_ded = 0, s_posts = 0, fsum_net = 0;
        double q_net = 0, q_net_n = 0, l_post = 0, l_edge = 0;
        for (size_t i = 0; i < nm; i++) {
            uint32_t a = m[i];
            const ls__dacct *x = &d->acc[a];
            if (x->tmpl != LS__NONE) {
                double exp_ = nact * (double)(tcount[x->tmpl] - tnet[x->tmpl]) / bg_n;
                if (over(tnet[x->tmpl], exp_)) {
                    d->aflag[a] |= AF_NAME; s_name++;
                    if (tnet[x->tmpl] > N->top_tmpl_n) { N->top_tmpl_n = tnet[x->tmpl]; N->top_tmpl = x->tmpl; }
                }
            }
            if (x->client != 0xFFFF && x->client < n_cli) {
                double exp_ = n_cli_known * (double)(ccount[x->client] - cnet[x->client]) / (bg_cli_known ? bg_cli_known : 1);
                if (cnet[x->client] >= MINC && cnet[x->client] >= 2.0 * exp_) d->aflag[a] |= AF_CLIENT;
                if (cnet[x->client] > N->top_client_n) { N->top_client_n = cnet[x->client]; N->top_client = x->client; }
            }
            if (st->acc_followers && st->acc_followers[a] >= 0) {
                fol_net[nf++] = st->acc_followers[a];
                if (x->posts) fsum_net += (double)st->acc_followers[a] + 1.0;
            }
            if (x->created_day != INT32_MIN) day_net[nd++] = x->created_day;
            if (x->orig > 0) { nd_base++; if (d->aflag[a] & AF_NEARDUP) s_nd++; }
            if (d->adense && d->adense[a]) s_dense++;
            s_amp += d->acamp[a];
            if (d->role[a] == LS_ROLE_AMP) s_ded += d->acamp[a];
            s_posts += x->posts;
            if (d->aquiet[a] >= 0) { q_net += d->aquiet[a]; q_net_n++; }
            if (alink[a]) { l_post++; if (alay[a] & ((1u << LS_L_LINK) | (1u << LS_L_DOMAIN))) l_edge++; }
        }
        N->link_edges = l_post > 0 ? l_edge / l_post : 0;
        for (int l = 0; l < LS_L_COUNT; l++) {
            size_t c = 0;
            for (size_t i = 0; i < nm; i++) c += (alay[m[i]] >> l) & 1u;
            if (nm && (double)c >= LAYER_NET * (double)nm) nlay[n] |= (uint16_t)(1u << l);
        }
        /* -- followers: mid-rank against the background without the network -- */
        qsort(fol_net, nf, sizeof *fol_net, cmp_i64);
        double fbg = (double)n_fol - (double)nf;
        for (size_t i = 0; i < nm && fbg > 0; i++) {
            uint32_t a = m[i];
            if (!st->acc_followers || st->acc_followers[a] < 0) continue;
            int64_t f = st->acc_followers[a];
            double less = (double)lower_i64(fol_all, n_fol, f) - (double)lower_i64(fol_net, nf, f);
            double leq = (double)lower_i64(fol_all, n_fol, f + 1) - (double)lower_i64(fol_net, nf, f + 1);
            double F = (less + 0.5 * (leq - less)) / fbg;
            double low = 1.0 - F;
            d->afol[a] = (float)LS__MAX(0.0, (low - 0.5) / 0.5);
            s_fol += low;
        }
        /* -- creation bursts -- */
        qsort(day_net, nd, sizeof *day_net, cmp_i32);
        ls__free(xnet.pre);
        if (dayidx_init(&xnet, day_net, nd) != LS_OK) { rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done; }
        double dbg = (double)n_day - (double)nd;
        N->top_cohort_day = INT32_MIN;
        for (size_t i = 0; i < nm && dbg > 0; i++) {
            uint32_t a = m[i];
            int32_t D = d->acc[a].created_day;
            if (D == INT32_MIN) continue;
            double cn = (double)(day_lower(&xnet, D + BURST_HALF + 1) - day_lower(&xnet, D - BURST_HALF));
            double ca = (double)(day_lower(&xall, D + BURST_HALF + 1) - day_lower(&xall, D - BURST_HALF));
            double cl = (double)(day_lower(&xnet, D + LOCAL_HALF + 1) - day_lower(&xnet, D - LOCAL_HALF));
            double exp_ = (double)nd * (ca - cn) / dbg;
            double burst = (cn / (2 * BURST_HALF + 1)) / (cl / (2 * LOCAL_HALF + 1));
            if (over(cn, exp_) && burst >= BURST_LOCAL) {
                d->aflag[a] |= AF_COHORT; s_coh++;
                if (cn > N->top_cohort_n || (cn == N->top_cohort_n && D < N->top_cohort_day)) {
                    N->top_cohort_n = (uint32_t)cn; N->top_cohort_day = D;
                }
            }
        }
        /* -- schedule: best office offset of the network vs background -- */
        double hb[168];
        for (int b = 0; b < 168; b++) hb[b] = hall[b] - hn[n][b];
        int best = 0; double bs = -1;
        for (int off = -12; off <= 14; off++) {
            double s = ls__det_office_share(hn[n], off);
            if (s > bs + 1e-12) { bs = s; best = off; }
        }
        double sb = ls__det_office_share(hb, best);
        N->utc_offset = best;
        N->office_share = bs;
        double knf = nf ? (double)nf : 1, knd = nd ? (double)nd : 1;
        N->sig[SIG_COACTION] = edge_n[n] ? edge_w[n] / (double)edge_n[n] : 0;
        N->sig[SIG_SYNC] = sync_all[n] ? (double)sync_fast[n] / (double)sync_all[n] : 0;
        N->sig[SIG_NEARDUP] = nd_base ? s_nd / nd_base : 0;
        N->sig[SIG_COHORT] = nd ? s_coh / knd : 0;
        N->sig[SIG_NAME] = nm ? s_name / (double)nm : 0;
        N->sig[SIG_SCHEDULE] = sb < 1 ? LS__MAX(0.0, (bs - sb) / (1 - sb)) : 0;
        N->sig[SIG_CLIENT] = cli_tvd;
        N->sig[SIG_FOLLOWERS] = nf ? LS__MAX(0.0, (s_fol / knf - 0.5) / 0.5) : 0;
        N->sig[SIG_AMPLIFY] = s_posts > 0 ? s_amp / s_posts : 0;
        N->sig[SIG_DEDICATED] = s_posts > 0 ? s_ded / s_posts : 0;
        N->sig[SIG_DENSE] = nm ? s_dense / (double)nm : 0;
        N->sig[SIG_INSULAR] = N->eng_in + N->eng_out ? (double)N->eng_in / (double)(N->eng_in + N->eng_out) : 0;
        /* -- audience gap: engagement the members received per follower
         *    (followers + 1, active members with a known count), against
         *    the same ratio over everyone else -- */
        {
            double r = (double)(N->eng_in + N->eng_out), rb = (double)n_engaged - r, fb = fsum_all - fsum_net;
            N->reach_ratio = r > 0 && fsum_net > 0 && rb > 0 && fb > 0 ? (r / fsum_net) / (rb / fb) : 0;
            N->sig[SIG_AUDIENCE] = N->reach_ratio > 1 ? LS__MIN(1.0, log10(N->reach_ratio) / 3.0) : 0;
        }
        /* -- around the clock: members' mean quiet-hours share against the
         *    rest's, on the way to 6/24 (activity spread evenly) -- */
        N->sig[SIG_AROUND] = 0;
        if (q_net_n >= QUIET_MIN_MEMBERS && q_all_n - q_net_n >= 1) {
            double qn = q_net / q_net_n, qb = (q_all - q_net) / (q_all_n - q_net_n);
            if (qb < 0.25) N->sig[SIG_AROUND] = LS__MAX(0.0, (qn - qb) / (0.25 - qb));
        }
        double sw = 0, ss = 0;
        for (int k = 0; k < SIG_COUNT; k++) {
            if (N->sig[k] > 1) N->sig[k] = 1;
            if (d->renormalised && !d->sig_measurable[k]) continue;
            sw += ls__sig_weight[k];
            ss += ls__sig_weight[k] * N->sig[k];
        }
        N->score_mean = sw > 0 ? ss / sw : 0;
        pother[n] = coord_reading(d, N, &ncoord[n], &N->score_link);
        N->score_coord = LS__MAX(pother[n], N->score_link);
        N->score = LS__MAX(N->score_mean, N->score_coord);
        /* -- per-account office share at the network's offset -- */
        for (size_t i = 0; i < nm; i++) in_win[m[i]] = all_n[m[i]] = 0;
        for (size_t i = 0; i < nm; i++) {
            const ls__dacct *x = &d->acc[m[i]];
            /* Membership strength: for amplifiers and accounts that joined
             * by expansion, the share of their amplification that goes to
             * the network, counted in full from PART_FULL events (two or
             * three retweets of a network with real fans are no evidence). */
            d->amemb[m[i]] = d->role[m[i]] == LS_ROLE_AMP || d->expanded[m[i]]
                ? (float)(x->amps ? LS__MIN(1.0, (double)d->acamp[m[i]] / x->amps) *
                                    LS__MIN(1.0, d->acamp[m[i]] / PART_FULL) : 0)
                : (d->aflag[m[i]] & AF_EDGE) ? 1.0f : 0.5f;
        }
        /* reset the per-network template and client counts */
        for (size_t i = 0; i < nm; i++) {
            const ls__dacct *x = &d->acc[m[i]];
            if (x->tmpl != LS__NONE) tnet[x->tmpl] = 0;
            if (x->client != 0xFFFF && x->client < n_cli) cnet[x->client] = 0;
        }
    }
    /* Account office share at its network's offset (one more event pass):
     * the local hour of week is the UTC one shifted by whole hours. */
    for (uint64_t i = 0; i < st->n_events; i++) {
        uint32_t a = st->ev_account[i], n = d->net_of[a];
        if (n == LS__NONE) continue;
        int l = ((d->ev_how[i] + d->net[n].utc_offset) % 168 + 168) % 168;
        all_n[a]++;
        if (l / 24 < 5 && l % 24 >= 9 && l % 24 < 18) in_win[a]++;
    }
    /* Amplification each member receives from its own network, and how
     * many of the network's amplifiers (role) amplify it (amp_xy is
     * sorted: an actor's events on one author are adjacent). */
    for (size_t i = 0; i < d->n_amp; i++) {
        uint32_t x = (uint32_t)(d->amp_xy[i] >> 32), y = (uint32_t)d->amp_xy[i];
        if (d->net_of[x] == LS__NONE || d->net_of[x] != d->net_of[y]) continue;
        rin[y]++;
        if (d->role[x] == LS_ROLE_AMP && (i == 0 || d->amp_xy[i - 1] != d->amp_xy[i])) ramps[y]++;
    }
    /* Members whose only tie is being amplified no more than their
     * popularity explains (camouflage targets, camo.c). */
    if ((rc = ls__det_camouflage(d, beyond, ownamp)) != LS_OK) goto done;
    for (uint32_t a = 0; a < A; a++) {
        uint32_t n = d->net_of[a];
        if (n == LS__NONE) continue;
        double s = all_n[a] ? (double)in_win[a] / (double)all_n[a] : 0;
        d->aoffice[a] = (float)s;
        double acct = ((d->aflag[a] & AF_COHORT) ? 1 : 0) + ((d->aflag[a] & AF_NAME) ? 1 : 0) +
                      ((d->aflag[a] & AF_CLIENT) ? 1 : 0) + d->afol[a] + d->amemb[a] +
                      LS__MIN(1.0, s * d->net[n].sig[SIG_SCHEDULE] / (d->net[n].office_share > 0 ? d->net[n].office_share : 1));
        double nacct = 6.0;
        if (d->renormalised)
            nacct -= !d->sig_measurable[SIG_COHORT] + !d->sig_measurable[SIG_NAME] +
                     !d->sig_measurable[SIG_CLIENT] + !d->sig_measurable[SIG_FOLLOWERS];
        /* In the coordination reading an account's own evidence is its part
         * in what makes the network coordinated: near-duplicate posts with
         * members, the share of its amplification that goes to the network,
         * or the share of the amplification it receives that comes from the
         * network (amplification counted in full from PART_FULL events,
         * received amplification only from PART_FULL events).  An edge
         * alone is not enough (members can share ordinary co-retweets of
         * the news), nor are two or three retweets (an operation's seeds
         * can have real fans). */
        const ls__dacct *x = &d->acc[a];
        /* A dense-group mark is a part in this network's coordination only
         * when the network is mostly made of such groups: a crowd's own
         * dense group (news co-retweeters) folded into an operation's
         * network is not the operation's coordination. */
        int dense = d->adense && d->adense[a] && d->net[n].sig[SIG_DENSE] >= DENSE_NET;
        /* Likewise an edge of a layer is a part when that layer is how the
         * network coordinates (most members are linked by it): the members
         * of a hashtag push that share its bursts, whether pair by pair or
         * as a dense group, are its coordination; a news crowd's co-retweets
         * folded into a reply swarm's network are not the swarm's. */
        /* Being amplified is a part only for amplifiers (whose edges
         * of the amplification layer are their own retweets) and for
         * accounts the network amplifies beyond their popularity
         * elsewhere: the popular accounts an operation's amplifiers
         * retweet as camouflage are its targets, not its members, however
         * much of their engagement the camouflage makes (camo.c). */
        int recv_part = d->role[a] == LS_ROLE_AMP || beyond[a];
        uint16_t lay = alay[a] & nlay[n];
        if (!recv_part) lay &= (uint16_t)~(1u << LS__L_AMPLIFY);
        double part = (d->aflag[a] & AF_NEARDUP) || dense || lay ? 1.0 : 0.0;
        /* In the link reading an account's part is its own link posting:
         * an edge of co_link or co_domain when the network coordinates
         * through that layer, or its own posts of the network's captured
         * domains in its own words, as a share of its link posts, counted
         * in full from PART_FULL of them (links.c).  Nothing else: not
         * being amplified or retweeting the members (ordinary followers of
         * a laundering network's accounts retweet their posts), nor
         * near-duplicate texts (a fandom's stans that the network took in
         * post the same adoring lines as one another). */
        double lpart = lay & ((1u << LS_L_LINK) | (1u << LS_L_DOMAIN)) ? 1.0 : 0.0;
        if (alink[a] && acap[a])
            lpart = LS__MAX(lpart, (double)acap[a] / alink[a] * LS__MIN(1.0, acap[a] / PART_FULL));
        /* Likewise retweets of the network's camouflage targets alone (a
         * popular account's fans) are no part of it: outside the
         * network's amplifiers (role), an account's amplification of the
         * network counts only when some of it goes to members that are
         * not camouflage targets (camo.c); its share and count keep the
         * camouflage, which an operation's amplifiers make as part of
         * their work. */
        uint32_t amp_full = d->role[a] == LS_ROLE_AMP || ownamp[a] ? d->acamp[a] : 0;
        if (x->amps)
            part = LS__MAX(part, LS__MIN(1.0, (double)d->acamp[a] / x->amps) * LS__MIN(1.0, amp_full / PART_FULL));
        if (recv_part && x->recv && rin[a] >= PART_FULL)
            part = LS__MAX(part, LS__MIN(1.0, (double)rin[a] / x->recv));
        /* In a network carried by its amplifiers (dedicated_amplification
         * >= DEDICATED_NET), an author that most of them amplify is what
         * they exist for, whatever audience it has besides: the seeds of a
         * retweet ring with organic traction get most of their engagement
         * from outside, but every ring account retweets them.  Counted in
         * full from half of the amplifiers and PART_FULL amplifications. */
        if (recv_part && ramps[a] && d->net[n].n_amp && d->net[n].sig[SIG_DEDICATED] >= DEDICATED_NET)
            part = LS__MAX(part, LS__MIN(1.0, (double)ramps[a] / (AMPS_MOST * d->net[n].n_amp)) *
                                 LS__MIN(1.0, rin[a] / PART_FULL));
        /* In a network that aims most of its outward replies and quotes at
         * a few accounts (a reply swarm), the share of the member's own
         * outward replies that land on those accounts, counted in full
         * from PART_FULL of them, as amplification is. */
        if (tout[a] && d->net[n].sig[SIG_TARGETS] >= TARGET_NET)
            part = LS__MAX(part, (double)thit[a] / tout[a] * LS__MIN(1.0, thit[a] / PART_FULL));
        /* Each reading with its own account evidence; in the coordination
         * reading the geometric mean, so that a strongly coordinated
         * network does not carry accounts with a token part in it. */
        const ls__net *N = &d->net[n];
        d->ascore[a] = (float)LS__MAX(LS__MAX(0.5 * N->score_mean + 0.5 * acct / nacct, sqrt(pother[n] * part)),
                                      sqrt(N->score_link * lpart));
    }
done:
    ls__free(order); ls__free(start); ls__free(tcount); ls__free(tnet); ls__free(ccount); ls__free(cnet);
    ls__free(fol_all); ls__free(fol_net); ls__free(day_all); ls__free(day_net); ls__free(hn);
    ls__free(xall.pre); ls__free(xnet.pre);
    ls__free(ncoord); ls__free(rin); ls__free(ramps); ls__free(beyond); ls__free(ownamp); ls__free(alay); ls__free(nlay); ls__free(thit); ls__free(tout);
    ls__free(acap); ls__free(alink); ls__free(pother);
    ls__free(in_win); ls__free(all_n); ls__free(sync_fast); ls__free(sync_all); ls__free(edge_w); ls__free(edge_n);
    return rc;
}
