/*
 * camo.c — camouflage targets: members whose only tie to their network is
 * that its amplifiers retweet them, no more than their popularity explains.
 *
 * An operation's amplifiers hide their purpose by retweeting popular
 * ordinary accounts too (camouflage).  When they do it heavily, such an
 * account can get most of its amplification from the network and is
 * retweeted by most of its amplifiers, which is what the seeds of a
 * retweet ring look like.  What sets the two apart is popularity: the
 * network amplifies a camouflage target at the rate it amplifies every
 * account it picks for its audience, while it amplifies a seed far beyond
 * the audience the seed has elsewhere.
 *
 * For each network n this file measures the network's camouflage rate
 *   c_n = sum fa(y) / sum (fo(y) + 1)
 * over the accounts y that n's amplifiers (role) amplify and that have no
 * part of their own in n: non-members, and members other than amplifiers
 * that amplify n fewer than CAMO_OWN times (a popular account that heavy
 * camouflage made a member is still part of what the network amplifies
 * of the world).  A network whose amplifiers amplify nobody outside it has
 * no camouflage: c_n = 0 and every member they amplify passes.  fa(y)
 * counts the
 * amplification y receives from n's amplifiers, fo(y) the amplification it
 * receives from accounts outside n.  A member (other than an amplifier)
 * has received amplification beyond popularity when
 *   fa(y) >= CAMO_FACTOR * c_n * (fo(y) + 1),
 * CAMO_FACTOR being the same "3x chance" that cluster merging asks for.
 * score.c counts the parts an account gets from being amplified (an
 * amplification edge, the share of its engagement from the network, being
 * retweeted by most amplifiers) only for amplifiers and members that pass.
 * ownamp counts an account's amplification of members that are not
 * camouflage targets (amplifiers, members amplifying the network
 * CAMO_OWN times, members that pass): a popular account's fans, whose
 * retweets of it count as amplification of the network, have none.  Other
 * own activity (near-duplicates, co-action, targeted replies) counts as
 * before.  docs/detect.md, "Camouflage targets".
 *
 * Work O(amplification events + networks); integer tallies in a fixed
 * order, so the result does not depend on thread count.
 */
#include "networks.h"

#define CAMO_FACTOR 3.0
#define CAMO_OWN 10      /* PART_FULL of score.c: own amplification that is a part */

int ls__det_camouflage(ls__det *d, uint8_t *beyond, uint32_t *ownamp)
{
    int rc = LS_OK;
    uint32_t A = d->n_acc, NN = d->n_net;
    uint32_t *cnt_a = ls__calloc((size_t)NN + 1, sizeof *cnt_a);   /* per network, in one author's run */
    uint32_t *cnt_m = ls__calloc((size_t)NN + 1, sizeof *cnt_m);
    uint32_t *touched = ls__malloc(((size_t)NN + 1) * sizeof *touched);
    uint64_t *sum_a = ls__calloc((size_t)NN + 1, sizeof *sum_a);
    uint64_t *sum_o = ls__calloc((size_t)NN + 1, sizeof *sum_o);
    uint32_t *fa = ls__calloc(A ? A : 1, sizeof *fa);                /* from the own network's amplifiers */
    uint32_t *fo = ls__calloc(A ? A : 1, sizeof *fo);                /* from outside the own network */
    uint8_t *outside = ls__calloc((size_t)NN + 1, 1);
    if (!cnt_a || !cnt_m || !touched || !sum_a || !sum_o || !fa || !fo || !outside) {
        rc = ls__fail(d->ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done;
    }
    /* amp_yx is sorted by author: one run per author y. */
    for (size_t i = 0; i < d->n_amp;) {
        uint32_t y = (uint32_t)(d->amp_yx[i] >> 32), nt = 0;
        size_t j = i;
        for (; j < d->n_amp && (uint32_t)(d->amp_yx[j] >> 32) == y; j++) {
            uint32_t x = (uint32_t)d->amp_yx[j], n = d->net_of[x];
            if (n == LS__NONE) continue;
            if (!cnt_m[n]) touched[nt++] = n;
            cnt_m[n]++;
            if (d->role[x] == LS_ROLE_AMP) cnt_a[n]++;
        }
        uint64_t total = j - i;
        uint32_t ny = d->net_of[y];
        for (uint32_t k = 0; k < nt; k++) {
            uint32_t n = touched[k];
            uint64_t out = total - cnt_m[n];
            int own = ny == n && (d->role[y] == LS_ROLE_AMP || d->acamp[y] >= CAMO_OWN);
            if (ny == n) { fa[y] = cnt_a[n]; fo[y] = (uint32_t)LS__MIN(out, (uint64_t)UINT32_MAX); }
            if (cnt_a[n] && !own) { sum_a[n] += cnt_a[n]; sum_o[n] += out + 1; }
            if (cnt_a[n] && ny != n) outside[n] = 1;
            cnt_a[n] = cnt_m[n] = 0;
        }
        i = j;
    }
    for (uint32_t a = 0; a < A; a++) {
        uint32_t n = d->net_of[a];
        beyond[a] = 0;
        ownamp[a] = 0;
        if (n == LS__NONE) continue;
        double c = sum_o[n] && outside[n] ? (double)sum_a[n] / (double)sum_o[n] : 0;
        beyond[a] = (double)fa[a] >= CAMO_FACTOR * c * ((double)fo[a] + 1.0) && fa[a] > 0;
    }
    /* Amplification of the own network's members that have a part of
     * their own or are amplified beyond their popularity. */
    for (size_t i = 0; i < d->n_amp; i++) {
        uint32_t x = (uint32_t)(d->amp_xy[i] >> 32), y = (uint32_t)d->amp_xy[i];
        if (d->net_of[x] == LS__NONE || d->net_of[x] != d->net_of[y]) continue;
        if (beyond[y] || d->role[y] == LS_ROLE_AMP || d->acamp[y] >= CAMO_OWN) ownamp[x]++;
    }
done:
    ls__free(cnt_a); ls__free(cnt_m); ls__free(touched); ls__free(sum_a); ls__free(sum_o);
    ls__free(fa); ls__free(fo); ls__free(outside);
    return rc;
}
