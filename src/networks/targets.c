/*
 * targets.c — the `targeting` signal of `lockstep detect`: how far a
 * network's replies and quotes to accounts outside it pile onto a handful
 * of targets, beyond the share of everyone else's replies and quotes that
 * those same targets get.
 *
 * Why: a harassment or reply-bombing swarm coordinates *outward*.  Its
 * members barely amplify one another; most of what they write lands on a
 * few critics' posts (tests/worlds, reply_swarm: about 85% of the swarm's
 * outward replies go to four accounts).  People reply to whom they know
 * and to whatever is popular, so an organic group's outward replies spread
 * over many accounts.  Popular accounts draw a larger share of everybody's
 * replies, and the background share is subtracted for that.  A fandom's
 * idol, a brand running a giveaway and an operation's own seeds are
 * inside their networks, so replies to them are not outward.
 *
 * For network n with R_n outward replies/quotes (reply or quote events of
 * members whose target account is known, not the actor, and not a member)
 * from at least MIN_ACTORS members, and at least MIN_EVENTS of them: s_n =
 * the share of R_n that goes to n's TOPK most replied-to targets, each
 * target's count less the members' retweets of it (fans answer the idol
 * they amplify, even when the idol is not in their network); s_bg =
 * the share of all non-members' replies/quotes that those targets
 * receive; targeting = (s_n - s_bg) / (1 - s_bg), clamped to [0,1].
 */
#include "networks.h"

#define TOPK 5   /* = the length of ls__net.top_target */
#define MIN_EVENTS 20
#define MIN_ACTORS 5
#define AIM_MOST 0.5   /* share of a network's repliers that aim, from which the signal counts in full */

/* The account a reply or quote event is aimed at, or LS__NONE: the
 * replied-to account as the input names it, else the author of the
 * replied-to (or quoted) post when that post is in the data. */
static uint32_t target_of(const ls__det *d, uint64_t i)
{
    const ls_store *st = d->st;
    uint32_t p = st->ev_reply_post[i];
    if (p != LS__NONE) {
        if (st->ev_reply_account && st->ev_reply_account[i] != LS__NONE) return st->ev_reply_account[i];
        return d->post_author ? d->post_author[p] : LS__NONE;
    }
    if (st->ev_kind[i] != LS_KIND_QUOTE || (p = st->ev_ref_post[i]) == LS__NONE) return LS__NONE;
    if (st->ev_ref_account && st->ev_ref_account[i] != LS__NONE) return st->ev_ref_account[i];
    return d->post_author ? d->post_author[p] : LS__NONE;
}

int ls__det_targets(ls__det *d, uint8_t *measurable)
{
    const ls_store *st = d->st;
    uint32_t A = d->n_acc, NN = d->n_net;
    uint32_t *recv = NULL, *actors = NULL, *seen = NULL;
    uint64_t *key = NULL, *tmp = NULL, *all_n = NULL, *rtk = NULL;
    size_t nk = 0, capk = 0, nr = 0, capr = 0;
    uint64_t R = 0;
    int rc = LS_OK;
    *measurable = 0;
    for (uint32_t n = 0; n < NN; n++) {
        d->net[n].sig[SIG_TARGETS] = 0;
        for (int q = 0; q < TOPK; q++) d->net[n].top_target[q] = LS__NONE;
    }
    recv = ls__calloc(A ? A : 1, sizeof *recv);
    all_n = ls__calloc(NN ? NN : 1, sizeof *all_n);
    actors = ls__calloc(NN ? NN : 1, sizeof *actors);
    seen = ls__malloc((A ? A : 1) * sizeof *seen);
    if (!recv || !all_n || !actors || !seen) goto nomem;
    for (uint32_t a = 0; a < A; a++) seen[a] = LS__NONE;
    for (uint64_t i = 0; i < st->n_events; i++) {
        uint32_t t = target_of(d, i), a = st->ev_account[i];
        if (st->ev_kind[i] == LS_KIND_RETWEET && d->net_of[a] != LS__NONE) {
            /* Members' retweets of outside accounts: endorsement, which
             * takes those accounts out of the count below. */
            uint32_t y = st->ev_ref_post[i] == LS__NONE ? LS__NONE
                       : st->ev_ref_account && st->ev_ref_account[i] != LS__NONE ? st->ev_ref_account[i]
                       : d->post_author ? d->post_author[st->ev_ref_post[i]] : LS__NONE;
            if (y != LS__NONE && y != a && y < A && d->net_of[y] != d->net_of[a]) {
                if (nr == capr && ls__big_grow((void **)&rtk, &capr, nr + 1, sizeof *rtk)) goto nomem;
                rtk[nr++] = (uint64_t)d->net_of[a] << 32 | y;
            }
        }
        if (t == LS__NONE || t == a || t >= A) continue;
        recv[t]++;
        R++;
        uint32_t n = d->net_of[a];
        if (n == LS__NONE) continue;
        all_n[n]++;
        if (d->net_of[t] == n) continue;
        if (nk == capk && ls__big_grow((void **)&key, &capk, nk + 1, sizeof *key)) goto nomem;
        key[nk++] = (uint64_t)n << 32 | t;
        if (seen[a] != n) { seen[a] = n; actors[n]++; }
    }
    *measurable = R > 0;
    if (nk == 0) goto done;
    if (!(tmp = ls__malloc((nk > nr ? nk : nr) * sizeof *tmp))) goto nomem;
    ls__radix_u64(key, tmp, nk);
    ls__radix_u64(rtk, tmp, nr);
    size_t rp = 0;   /* cursor in rtk, which runs in step with key */
    for (size_t i = 0; i < nk;) {
        uint32_t n = (uint32_t)(key[i] >> 32);
        size_t j = i;
        while (j < nk && (uint32_t)(key[j] >> 32) == n) j++;
        /* The TOPK largest runs of one target in key[i..j): ties go to the
         * smaller account id, which comes first. */
        uint64_t top[TOPK] = { 0 }, raw[TOPK] = { 0 }, bg = 0;
        uint32_t who[TOPK];
        for (int q = 0; q < TOPK; q++) who[q] = LS__NONE;
        for (size_t p = i; p < j;) {
            size_t r = p;
            while (r < j && key[r] == key[p]) r++;
            /* Replies and quotes to a target the network also retweets
             * count only beyond the retweets: fans answer the idol they
             * amplify, a swarm answers critics it never amplifies. */
            while (rp < nr && rtk[rp] < key[p]) rp++;
            uint64_t endorsed = 0;
            while (rp < nr && rtk[rp] == key[p]) { endorsed++; rp++; }
            uint64_t c = r - p > endorsed ? r - p - endorsed : 0;
            for (int q = 0; q < TOPK; q++) {
                if (c <= top[q]) continue;
                for (int z = TOPK - 1; z > q; z--) { top[z] = top[z - 1]; raw[z] = raw[z - 1]; who[z] = who[z - 1]; }
                top[q] = c; raw[q] = r - p; who[q] = (uint32_t)key[p];
                break;
            }
            p = r;
        }
        uint64_t out = j - i, hit = 0;
        for (int q = 0; q < TOPK; q++) d->net[n].top_target[q] = top[q] ? who[q] : LS__NONE;
        for (int q = 0; q < TOPK && who[q] != LS__NONE; q++) {
            hit += top[q];
            bg += recv[who[q]] - raw[q];   /* what the rest gave the target */
        }
        if (out >= MIN_EVENTS && actors[n] >= MIN_ACTORS && R > all_n[n]) {
            double sn = (double)hit / (double)out, sb = (double)bg / (double)(R - all_n[n]);
            double v = sb < 1 ? (sn - sb) / (1 - sb) : 0;
            d->net[n].sig[SIG_TARGETS] = v < 0 ? 0 : v > 1 ? 1 : v;
        }
        i = j;
    }
    /* The signal describes the network as far as its members aim: it
     * counts in full when most of the members with outward replies or
     * quotes send at least half of them to the top targets, and in
     * proportion to that share below (AIM_MOST).  A swarm folded into a
     * large fandom by its camouflage retweets is a few dozen of the
     * fandom's repliers, and its targets are not the fandom's (genworld
     * reply_swarm seed 5 at scale 0.5: 43 swarm accounts in a network of
     * 1,400 fans, targeting 0.60 from the swarm's replies alone). */
    {
        uint32_t *hit = seen, *out = recv;   /* scratch of A entries each */
        uint64_t *aim = all_n;               /* scratch of NN entries */
        if ((rc = ls__det_target_parts(d, hit, out)) != LS_OK) goto done;
        for (uint32_t n = 0; n < NN; n++) { actors[n] = 0; aim[n] = 0; }
        for (uint32_t a = 0; a < A; a++) {
            uint32_t n = d->net_of[a];
            if (n == LS__NONE || out[a] == 0) continue;
            actors[n]++;
            if (2 * (uint64_t)hit[a] >= out[a]) aim[n]++;
        }
        for (uint32_t n = 0; n < NN; n++)
            if (actors[n]) d->net[n].sig[SIG_TARGETS] *= LS__MIN(1.0, (double)aim[n] / (AIM_MOST * (double)actors[n]));
    }
    goto done;
nomem:
    rc = ls__fail(d->ctx, LS_ERR_NOMEM, "detect: out of memory");
done:
    ls__free(recv); ls__free(all_n); ls__free(actors); ls__free(seen); ls__free(key); ls__free(tmp); ls__free(rtk);
    return rc;
}

int ls__det_target_parts(ls__det *d, uint32_t *hit, uint32_t *out)
{
    const ls_store *st = d->st;
    for (uint32_t a = 0; a < d->n_acc; a++) hit[a] = out[a] = 0;
    for (uint64_t i = 0; i < st->n_events; i++) {
        uint32_t a = st->ev_account[i], n = d->net_of[a];
        if (n == LS__NONE) continue;
        uint32_t t = target_of(d, i);
        if (t == LS__NONE || t == a || t >= d->n_acc || d->net_of[t] == n) continue;
        out[a]++;
        for (int q = 0; q < TOPK; q++)
            if (d->net[n].top_target[q] == t) { hit[a]++; break; }
    }
    return LS_OK;
}
