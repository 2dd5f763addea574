/*
 * groups.c — from clusters to networks.  Three steps:
 *   1. Merge clusters joined by strong amplification flow: members of one
 *      cluster amplifying another's posts, or outside accounts amplifying
 *      both, at least merge_share of the smaller cluster's amplification
 *      volume.  An operation run in cells is one operation.
 *   2. Expansion: an account outside every network whose retweets and
 *      quotes go to one network's posts with share >= expand_share and
 *      count >= expand_min joins that network as an amplifier.  This is how
 *      a small coordinated core reveals a large amplifier population that
 *      co-acts too thinly to be significant pair by pair.
 *   3. Roles: an account is an amplifier when at least half of its activity
 *      amplifies the network's own posts; otherwise it is core (it authors
 *      what the network amplifies, or co-acts as a poster).
 * Work O(events log events) for the sorts; all ids in sorted order, so the
 * result is deterministic.
 */
#include "networks.h"
#include <stdlib.h>
#include <string.h>

#define EXPAND_SIG 3.0   /* expansion's chance test, -log10 of the tail */
#define POP_EXCL 0.2     /* share of an account's amplification that takes it out of a network's popularity */



typedef struct { uint64_t key; uint64_t n; } pc;
static int pc_cmp(const void *a, const void *b)
{
    const pc *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

/* Sorts k[0..n) (one actor's or author's run: the high halves are equal),
 * t: scratch of n. */
static void sort_run(uint64_t *k, size_t n, uint64_t *t)
{
    size_t i = 1;
    while (i < n && k[i - 1] <= k[i]) i++;
    if (i >= n) return;                     /* already in order */
    if (n > 32) { ls__radix_u64(k, t, n); return; }
    for (; i < n; i++) {
        uint64_t x = k[i];
        size_t j = i;
        while (j > 0 && k[j - 1] > x) { k[j] = k[j - 1]; j--; }
        k[j] = x;
    }
}

/* From the sorted index ix (hi << 32 | lo, d->amp_xy or d->amp_yx): the
 * keys hi << 32 | grp[lo] where grp[lo] != NONE, sorted.  Each hi-run is
 * sorted on its own, which gives the same array as sorting them all.  The
 * keys live in d->amp_k until the next call. */
static const uint64_t *group_keys(ls__det *d, const uint64_t *ix, const uint32_t *grp, size_t *n_out)
{
    uint64_t *k = d->amp_k;
    size_t n = 0;
    for (size_t i = 0; i < d->n_amp;) {
        uint64_t hi = ix[i] >> 32;
        size_t s = n;
        for (; i < d->n_amp && (ix[i] >> 32) == hi; i++) {
            uint32_t g = grp[(uint32_t)ix[i]];
            if (g != LS__NONE) k[n++] = hi << 32 | g;
        }
        sort_run(k + s, n - s, d->amp_t);
    }
    *n_out = n;
    return k;
}

/* Amplification events (actor, target author) as sorted keys actor<<32|
 * grp[author], only for targets that have a group. */
static const uint64_t *amp_keys(ls__det *d, const uint32_t *grp, size_t *n_out)
{
    return group_keys(d, d->amp_xy, grp, n_out);
}

/* Amplification flow between groups (grp: per account group id < G or
 * NONE).  Flow between a and b counts members of one amplifying the
 * other's posts, plus outside accounts that amplify both (the smaller of
 * their two counts, credited against their top target).  vol[G] receives
 * each group's boundary volume: amplification across its border only, so
 * a tight cell amplifying itself is no reason to stay apart from the
 * cells its amplifiers also serve.  *out holds one entry per pair
 * (a < b), sorted, summed; *V all amplification in the data. */
int ls__det_flow(ls__det *d, const uint32_t *grp, uint32_t G, ls__flow **out, size_t *n_out, uint64_t *vol, double *V)
{
    int rc = LS_OK;
    const uint64_t *k;
    size_t nk = 0, np = 0, capp = 0, nf = 0;
    pc *P = NULL;
    ls__flow *F = NULL;
    *out = NULL; *n_out = 0;
    for (uint32_t c = 0; c < G; c++) vol[c] = 0;
    k = amp_keys(d, grp, &nk);
    /* Per actor: its targets' groups with counts. */
    for (size_t i = 0; i < nk;) {
        uint32_t x = (uint32_t)(k[i] >> 32);
        size_t j = i;
        while (j < nk && (k[j] >> 32) == x) j++;
        uint32_t cx = grp[x];
        /* the actor's top target group (smallest id on ties) */
        uint32_t top = LS__NONE; uint64_t topn = 0;
        for (size_t a = i; a < j;) {
            size_t b = a;
            while (b < j && k[b] == k[a]) b++;
            uint32_t c = (uint32_t)k[a];
            if (cx != c) { vol[c] += b - a; if (cx != LS__NONE) vol[cx] += b - a; }
            if (b - a > topn) { topn = b - a; top = c; }
            a = b;
        }
        for (size_t a = i; a < j;) {
            size_t b = a;
            while (b < j && k[b] == k[a]) b++;
            uint32_t c = (uint32_t)k[a];
            uint32_t from = cx != LS__NONE ? cx : top;
            uint64_t n = cx != LS__NONE ? (uint64_t)(b - a) : LS__MIN((uint64_t)(b - a), topn);
            if (from != c) {
                if (np == capp && ls__grow((void **)&P, &capp, np + 1, sizeof *P)) {
                    rc = ls__fail(d->ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done;
                }
                P[np].key = (uint64_t)LS__MIN(from, c) << 32 | LS__MAX(from, c);
                P[np].n = n;
                np++;
            }
            a = b;
        }
        i = j;
    }
    if (np) qsort(P, np, sizeof *P, pc_cmp);
    F = ls__malloc((np ? np : 1) * sizeof *F);
    if (!F) { rc = ls__fail(d->ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done; }
    for (size_t i = 0; i < np;) {
        size_t j = i;
        uint64_t s = 0;
        while (j < np && P[j].key == P[i].key) s += P[j++].n;
        F[nf].a = (uint32_t)(P[i].key >> 32); F[nf].b = (uint32_t)P[i].key; F[nf].s = s;
        nf++;
        i = j;
    }
    *V = 0;
    for (uint32_t a = 0; a < d->n_acc; a++) *V += (double)d->acc[a].amps;
    *out = F; F = NULL; *n_out = nf;
done:
    ls__free(P); ls__free(F);
    return rc;
}

static int merge_clusters(ls__det *d, uint32_t *root)
{
    int rc = LS_OK;
    uint64_t *vol = NULL;
    ls__flow *F = NULL;
    size_t nf = 0;
    double V = 0;
    uint32_t C = d->n_clusters;
    for (uint32_t c = 0; c < C; c++) root[c] = c;
    if (C < 2) return LS_OK;
    vol = ls__calloc(C, sizeof *vol);
    if (!vol) return ls__fail(d->ctx, LS_ERR_NOMEM, "detect: out of memory");
    if ((rc = ls__det_flow(d, d->cluster, C, &F, &nf, vol, &V)) != LS_OK) goto done;
    for (size_t i = 0; i < nf; i++) {
        uint32_t a = F[i].a, b = F[i].b;
        uint64_t s = F[i].s, small = LS__MIN(vol[a], vol[b]);
        /* Two tests: the flow is a real share of the smaller cluster's
         * amplification, and it is well above what two clusters of these
         * volumes would exchange by chance (vol_a * vol_b / V, as in
         * modularity), so a giant organic cluster that everyone touches
         * does not swallow the small ones. */
        double chance = V > 0 ? (double)vol[a] * (double)vol[b] / V : 0;
        if (small > 0 && (double)s >= d->o->merge_share * (double)small && (double)s >= LS__MERGE_LIFT * chance)
            ls__uf_union(root, a, b);
    }
    for (uint32_t c = 0; c < C; c++) root[c] = ls__uf_find(root, c);
done:
    ls__free(vol); ls__free(F);
    return rc;
}

int ls__det_networks(ls__det *d)
{
    int rc = LS_OK;
    uint32_t *root = NULL, *netid = NULL;
    uint32_t A = d->n_acc, C = d->n_clusters;
    d->net_of = ls__malloc((A ? A : 1) * sizeof *d->net_of);
    d->role = ls__calloc(A ? A : 1, 1);
    d->expanded = ls__calloc(A ? A : 1, 1);
    d->acamp = ls__calloc(A ? A : 1, sizeof *d->acamp);
    root = ls__malloc((C ? C : 1) * sizeof *root);
    netid = ls__malloc((C ? C : 1) * sizeof *netid);
    if (!d->net_of || !d->role || !d->expanded || !d->acamp || !root || !netid) {
        rc = ls__fail(d->ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done;
    }
    if ((rc = merge_clusters(d, root)) != LS_OK) goto done;
    /* Networks numbered by their smallest account (clusters already are,
     * and a merged group's root is its smallest cluster). */
    d->n_net = 0;
    for (uint32_t c = 0; c < C; c++) netid[c] = LS__NONE;
    for (uint32_t a = 0; a < A; a++) {
        uint32_t c = d->cluster[a];
        d->net_of[a] = LS__NONE;
        if (c == LS__NONE) continue;
        uint32_t r = root[c];
        if (netid[r] == LS__NONE) netid[r] = d->n_net++;
        d->net_of[a] = netid[r];
    }
    d->net = ls__calloc(d->n_net ? d->n_net : 1, sizeof *d->net);
    if (!d->net) { rc = ls__fail(d->ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done; }
    if ((rc = ls__det_roles(d)) != LS_OK) goto done;
done:
    ls__free(root); ls__free(netid);
    return rc;
}

int ls__det_roles(ls__det *d)
{
    for (uint32_t n = 0; n < d->n_net; n++) d->net[n].n = d->net[n].n_core = d->net[n].n_amp = d->net[n].n_expanded = 0;
    for (uint32_t a = 0; a < d->n_acc; a++) { d->acamp[a] = 0; d->role[a] = LS_ROLE_NONE; }
    /* Amplification of the own network's posts (acamp, per actor) and
     * received from the own network (rin, per author). */
    uint32_t *rin = ls__calloc(d->n_acc ? d->n_acc : 1, sizeof *rin);
    if (!rin) return ls__fail(d->ctx, LS_ERR_NOMEM, "detect: out of memory");
    for (size_t i = 0; i < d->n_amp; i++) {
        uint32_t x = (uint32_t)(d->amp_xy[i] >> 32), y = (uint32_t)d->amp_xy[i];
        if (d->net_of[x] == LS__NONE || d->net_of[x] != d->net_of[y]) continue;
        d->acamp[x]++;
        rin[y]++;
    }
    /* Accounts that co-act with another member on the same objects (the
     * same retweeted post within seconds, the same text, hashtag burst or
     * link), not only amplify it. */
    uint8_t *coact = ls__calloc(d->n_acc ? d->n_acc : 1, 1);
    if (!coact) { ls__free(rin); return ls__fail(d->ctx, LS_ERR_NOMEM, "detect: out of memory"); }
    for (size_t i = 0; i < d->n_e; i++) {
        const ls__fedge *e = &d->e[i];
        if (d->net_of[e->u] == LS__NONE || d->net_of[e->u] != d->net_of[e->v]) continue;
        for (int l = 0; l < LS_L_COUNT; l++)
            if (e->cnt[l] && l != LS_L_POST) { coact[e->u] = coact[e->v] = 1; break; }
    }
    /* Core accounts author what the network amplifies (the network
     * amplified their posts), mostly post rather than amplify, or act
     * alongside other members on the same objects; an amplifier spends at
     * least half of its activity amplifying the network, is not itself
     * amplified by it, and is linked to it only by that amplification. */
    for (uint32_t a = 0; a < d->n_acc; a++) {
        uint32_t n = d->net_of[a];
        if (n == LS__NONE) continue;
        ls__net *N = &d->net[n];
        const ls__dacct *x = &d->acc[a];
        N->n++;
        if (d->expanded[a]) N->n_expanded++;
        if (rin[a] == 0 && !coact[a] && x->posts > 0 && 2.0 * d->acamp[a] >= (double)x->posts) { d->role[a] = LS_ROLE_AMP; N->n_amp++; }
        else { d->role[a] = LS_ROLE_CORE; N->n_core++; }
    }
    ls__free(rin); ls__free(coact);
    return LS_OK;
}

/* In the sorted run k[i..j) of (account << 32 | network) keys, the network
 * that occurs most often (the smallest id on a tie) and its count. */
static uint32_t top_network(const uint64_t *k, size_t i, size_t j, uint64_t *topn)
{
    uint32_t top = LS__NONE;
    *topn = 0;
    for (size_t a = i; a < j;) {
        size_t b = a;
        while (b < j && k[b] == k[a]) b++;
        if (b - a > *topn) { *topn = b - a; top = (uint32_t)k[a]; }
        a = b;
    }
    return top;
}

/* Received amplification as sorted keys author<<32|actor's network, for
 * actors in a network. */
static const uint64_t *recv_keys(ls__det *d, size_t *n_out)
{
    return group_keys(d, d->amp_yx, d->net_of, n_out);
}

int ls__det_expand(ls__det *d, const uint8_t *target, const uint8_t *open)
{
    int rc = LS_OK;
    const uint64_t *k;
    size_t nk = 0;
    uint32_t A = d->n_acc;
    uint32_t *join = ls__malloc((A ? A : 1) * sizeof *join);
    uint64_t *pop_out = ls__malloc(((size_t)d->n_net + 1) * sizeof *pop_out);
    uint64_t *pop_skip = ls__malloc(((size_t)d->n_net + 1) * sizeof *pop_skip);
    uint64_t *by_out = ls__malloc(((size_t)d->n_net + 1) * sizeof *by_out);
    uint64_t *tgt_in = ls__malloc(((size_t)d->n_net + 1) * sizeof *tgt_in);
    if (!join || !pop_out || !pop_skip || !by_out || !tgt_in) {
        ls__free(join); ls__free(pop_out); ls__free(pop_skip); ls__free(by_out); ls__free(tgt_in);
        return ls__fail(d->ctx, LS_ERR_NOMEM, "detect: out of memory");
    }
    /* An account may move when it has no network or its network is open
     * (scored below the bar): its own evidence then decides. */
#define MOVABLE(a) (d->net_of[a] == LS__NONE || open[d->net_of[a]])
    for (int round = 0; round < 4; round++) {
        size_t moved = 0;
        for (uint32_t a = 0; a < A; a++) join[a] = LS__NONE;
        /* Amplifiers: most of the account's amplification goes to one
         * target network's posts (the candidates), and more of it than
         * chance would send there (below). */
        k = amp_keys(d, d->net_of, &nk);
        for (size_t i = 0; i < nk;) {
            uint32_t x = (uint32_t)(k[i] >> 32);
            size_t j = i;
            while (j < nk && (k[j] >> 32) == x) j++;
            uint64_t topn;
            uint32_t top = top_network(k, i, j, &topn);
            const ls__dacct *ax = &d->acc[x];
            if (MOVABLE(x) && target[top] && d->net_of[x] != top && topn >= d->o->expand_min && ax->amps > 0 &&
                (double)topn >= d->o->expand_share * (double)ax->amps)
                join[x] = top;
            i = j;
        }
        /* How popular each network is with everyone else: the share of
         * the amplification by accounts that are not its members and give
         * it less than POP_EXCL of their own amplification that goes to
         * its posts.  (Accounts that give it more are left out: an
         * operation's own unexpanded amplifiers, candidates or camouflage-
         * heavy ones, would otherwise make it look popular.)  A candidate
         * joins only when its count is unlikely under that share (Poisson
         * tail <= 10^-EXPAND_SIG): two retweets of a network whose posts
         * everybody retweets are no evidence, two of one that nobody else
         * touches are. */
        memset(pop_out, 0, ((size_t)d->n_net + 1) * sizeof *pop_out);
        memset(pop_skip, 0, ((size_t)d->n_net + 1) * sizeof *pop_skip);
        double pop_all = 0;
        for (uint32_t a = 0; a < A; a++) {
            pop_all += d->acc[a].amps;
            if (d->net_of[a] != LS__NONE) pop_skip[d->net_of[a]] += d->acc[a].amps;
        }
        for (size_t i = 0; i < nk;) {
            uint32_t x = (uint32_t)(k[i] >> 32), t = (uint32_t)k[i];
            size_t j = i;
            while (j < nk && k[j] == k[i]) j++;
            if (d->net_of[x] != t) {
                if ((double)(j - i) >= POP_EXCL * (double)d->acc[x].amps) pop_skip[t] += d->acc[x].amps;
                else pop_out[t] += j - i;
            }
            i = j;
        }
        for (size_t i = 0; i < nk;) {
            uint32_t x = (uint32_t)(k[i] >> 32);
            size_t j = i;
            while (j < nk && (k[j] >> 32) == x) j++;
            uint32_t t = join[x];
            if (t != LS__NONE) {
                uint64_t n = 0;
                for (size_t q = i; q < j; q++) n += (uint32_t)k[q] == t;
                double others = pop_all - (double)pop_skip[t];
                double p = others > 0 ? (double)pop_out[t] / others : 0;
                double lambda = LS__MAX((double)d->acc[x].amps * p, 1e-9);
                if (ls__poisson_sf_log10((uint32_t)LS__MIN(n, (uint64_t)UINT32_MAX), lambda) < EXPAND_SIG)
                    join[x] = LS__NONE;
            }
            i = j;
        }
        /* Authors: most of the amplification the account's posts receive
         * comes from one target network. */
        memset(by_out, 0, ((size_t)d->n_net + 1) * sizeof *by_out);
        memset(tgt_in, 0, ((size_t)d->n_net + 1) * sizeof *tgt_in);
        for (size_t i = 0; i < d->n_amp; i++) {
            uint32_t nx = d->net_of[(uint32_t)(d->amp_xy[i] >> 32)], ny = d->net_of[(uint32_t)d->amp_xy[i]];
            if (ny != LS__NONE) tgt_in[ny]++;
            if (nx != LS__NONE && nx != ny) by_out[nx]++;
        }
        k = recv_keys(d, &nk);
        for (size_t i = 0; i < nk;) {
            uint32_t y = (uint32_t)(k[i] >> 32);
            size_t j = i;
            while (j < nk && (k[j] >> 32) == y) j++;
            uint64_t topn;
            uint32_t top = top_network(k, i, j, &topn);
            const ls__dacct *ay = &d->acc[y];
            if (join[y] == LS__NONE && MOVABLE(y) && target[top] && d->net_of[y] != top &&
                topn >= d->o->expand_min && ay->recv > 0 && (double)topn >= d->o->expand_share * (double)ay->recv) {
                /* The same chance test from the other side: the share of
                 * all amplification of non-members' posts that the
                 * network's members make.  An author joins when it gets
                 * more of its amplification from them than that share
                 * predicts; an operation's camouflage retweets of a few
                 * organic posts do not make their authors members. */
                double others = (double)d->n_amp - (double)tgt_in[top];
                double p = others > 0 ? (double)by_out[top] / others : 0;
                double lambda = LS__MAX((double)ay->recv * LS__MIN(1.0, p), 1e-9);
                if (ls__poisson_sf_log10((uint32_t)LS__MIN(topn, (uint64_t)UINT32_MAX), lambda) >= EXPAND_SIG)
                    join[y] = top;
            }
            i = j;
        }
        for (uint32_t a = 0; a < A; a++)
            if (join[a] != LS__NONE) { d->net_of[a] = join[a]; d->expanded[a] = 1; moved++; }
        if (!moved) break;
    }
#undef MOVABLE
    rc = ls__det_roles(d);
    ls__free(join); ls__free(pop_out); ls__free(pop_skip); ls__free(by_out); ls__free(tgt_in);
    return rc;
}
