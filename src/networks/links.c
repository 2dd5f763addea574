/*
 * links.c — link capture: the domains a network is the only real channel
 * of, and whether its members relay a feed or post in their own words.
 *
 * A site that people read is shared by its readers, and they are not one
 * group of accounts.  An operation that launders content through sites it
 * runs (or sites nobody reads) has to give them their whole distribution
 * itself: a set of accounts carries the shares of a few domains that the
 * rest of the data barely touches.  The test is the categorical one of
 * score.c (name templates, creation days): a domain d is *captured* by
 * network N when
 *   - at least MINC members posted it (one blogger and their own site is
 *     not a network);
 *   - the members' posts of d are >= LIFT times what their link posting
 *     predicts at the rate the rest of the data posts d
 *     (lambda = L_N * (T_d - n_d) / (L - L_N), L = link entries, one per
 *     non-retweet post and distinct domain), and the Poisson upper tail
 *     of n_d at lambda is <= 1e-3;
 *   - the rest *barely* touches d: at least half of d's posts come from
 *     networks that pass the two tests above for d (each pushes it far
 *     beyond the rest's rate).  A partisan community prefers its outlets
 *     far beyond the rest's rate, but an outlet with readers is shared
 *     across the population, by accounts in no network and in networks
 *     where it is one link among many.  Counting every pushing network,
 *     not only N, keeps an operation that clustering split into shifts
 *     (each carrying a third of its sites' posts) from hiding behind its
 *     own other parts.
 * link_capture is the share of the members' link posts (non-retweets with
 * a URL) that are on captured domains.
 *
 * Honest automation captures domains too: a family of feed bots posts
 * every item of one feed, and nobody else posts that feed's domain.  What
 * it does is relay: each bot posts the item's headline and link as the
 * feed gives them, so the posts of one URL repeat one text.  A laundering
 * network presents its shares as independent people's, each in its own
 * words.  A captured post is a *relay* when another member posted the
 * same URL with the same normalised text (URLs and mentions removed, as
 * co_tweet keys texts), when it is a bare link with no words of its own
 * (it adds nothing to the source), or when its author has a near-duplicate
 * edge (co_tweet or co_similar_tweet) to another member: aggregators
 * decorate the feed's headline with their own prefix ("NewsNow: ...",
 * "📰 ..."), so their texts are near-copies, not copies (the built-in
 * simulator's news bots; real dlvr.it and IFTTT templates do the same).
 * link_relay is the share of captured posts that are relays; score.c
 * counts the capture as coordination only on the authored rest.
 *
 * Per member, acap[a] = its authored (not relayed) posts on captured
 * domains and alink[a] = its link posts, for the account's part.
 *
 * Work: O(link entries of members * log) for the sort, one text
 * normalisation per captured post.  Integer tallies in a fixed order, so
 * the result does not depend on thread count.  Reads no content beyond
 * equality of texts: what a site says never enters.
 */
#include "networks.h"
#include <math.h>
#include <stdlib.h>

#define LINK_LIFT 4.0      /* score.c's LIFT */
#define LINK_MINC 3        /* score.c's MINC, here distinct members */
#define LINK_MINSIG 3.0    /* -log10 of the Poisson tail */

/* A captured post, for the relay test: network and URL, text key, account. */
typedef struct { uint64_t key; uint64_t text; uint32_t a; uint32_t pad; } cpost;

static int cmp_cpost(const void *x, const void *y)
{
    const cpost *p = x, *q = y;
    if (p->key != q->key) return p->key < q->key ? -1 : 1;
    if (p->text != q->text) return p->text < q->text ? -1 : 1;
    return (p->a > q->a) - (p->a < q->a);
}

/* Number of entries < x in sorted a[0..n). */
static size_t lower_u64(const uint64_t *a, size_t n, uint64_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) { size_t m = (lo + hi) / 2; if (a[m] < x) lo = m + 1; else hi = m; }
    return lo;
}

/* Distinct domains of event i (the store lists each once), up to cap. */
static size_t ev_domains(const ls_store *st, uint64_t i, uint32_t *out, size_t cap)
{
    size_t k = 0;
    for (uint32_t j = st->ev_list[i]; j < st->ev_list[i + 1] && k < cap; j++)
        if (st->li_type[j] == LS_LI_DOMAIN) out[k++] = st->li_id[j];
    return k;
}

static uint32_t ev_first_url(const ls_store *st, uint64_t i)
{
    for (uint32_t j = st->ev_list[i]; j < st->ev_list[i + 1]; j++)
        if (st->li_type[j] == LS_LI_URL) return st->li_id[j];
    return LS__NONE;
}

int ls__det_links(ls__det *d, uint32_t *acap, uint32_t *alink)
{
    const ls_store *st = d->st;
    uint32_t A = d->n_acc, NN = d->n_net, ND = st->ns[LS_NS_DOMAIN].n;
    int rc = LS_OK;
    uint64_t *T = NULL, *Ln = NULL, *capk = NULL, *ncap = NULL, *nrel = NULL, *nlinks = NULL, *pushed = NULL;
    ls__kv *kv = NULL, *tmp = NULL;
    cpost *cp = NULL;
    uint8_t *nd = NULL;               /* per account: a near-duplicate edge to a member of its network */
    size_t n_kv = 0, n_capk = 0, n_cp = 0, cap_cp = 0;
    uint64_t L = 0;
    ls__buf norm = { 0 };
    ls__norm_scratch sc = { { 0 }, { 0 } };
    uint32_t dom[16];

    for (uint32_t n = 0; n < NN; n++) d->net[n].sig[SIG_LINKCAP] = d->net[n].sig[SIG_RELAY] = 0;
    memset(acap, 0, (A ? A : 1) * sizeof *acap);
    memset(alink, 0, (A ? A : 1) * sizeof *alink);
    if (ND == 0 || NN == 0) return LS_OK;
    nd = ls__calloc(A ? A : 1, 1);
    T = ls__calloc(ND, sizeof *T);
    pushed = ls__calloc(ND, sizeof *pushed);
    Ln = ls__calloc((size_t)NN + 1, sizeof *Ln);
    ncap = ls__calloc((size_t)NN + 1, sizeof *ncap);
    nrel = ls__calloc((size_t)NN + 1, sizeof *nrel);
    nlinks = ls__calloc((size_t)NN + 1, sizeof *nlinks);
    if (!nd || !T || !pushed || !Ln || !ncap || !nrel || !nlinks) goto nomem;
    for (size_t i = 0; i < d->n_e; i++) {
        const ls__fedge *e = &d->e[i];
        if ((e->cnt[LS_L_TWEET] || e->cnt[LS_L_SIMILAR]) && d->net_of[e->u] != LS__NONE &&
            d->net_of[e->u] == d->net_of[e->v])
            nd[e->u] = nd[e->v] = 1;
    }
    /* Domain totals over every non-retweet post, and the members' entries. */
    for (uint64_t i = 0; i < st->n_events; i++) {
        if (st->ev_kind[i] == LS_KIND_RETWEET) continue;
        size_t k = ev_domains(st, i, dom, sizeof dom / sizeof dom[0]);
        if (!k) continue;
        for (size_t j = 0; j < k; j++) T[dom[j]]++;
        L += k;
        uint32_t a = st->ev_account[i], n = d->net_of[a];
        alink[a]++;
        if (n == LS__NONE) continue;
        n_kv += k;
        Ln[n] += k;
        nlinks[n]++;
    }
    if (n_kv == 0) goto done;
    kv = ls__malloc(n_kv * sizeof *kv);
    tmp = ls__malloc(n_kv * sizeof *tmp);
    capk = ls__malloc(n_kv * sizeof *capk);
    if (!kv || !tmp || !capk) goto nomem;
    n_kv = 0;
    for (uint64_t i = 0; i < st->n_events; i++) {
        if (st->ev_kind[i] == LS_KIND_RETWEET) continue;
        uint32_t a = st->ev_account[i], n = d->net_of[a];
        if (n == LS__NONE) continue;
        size_t k = ev_domains(st, i, dom, sizeof dom / sizeof dom[0]);
        for (size_t j = 0; j < k; j++) {
            kv[n_kv].hi = (uint64_t)n << 32 | dom[j];
            kv[n_kv].lo = a;
            n_kv++;
        }
    }
    ls__radix_kv(kv, tmp, n_kv);
    /* Each (network, domain) run: posts n_d, distinct members m_d; a run
     * that passes the member and rate tests is a candidate (capk), and its
     * posts count as pushed posts of the domain. */
    for (size_t i = 0; i < n_kv;) {
        size_t j = i;
        uint64_t members = 0;
        while (j < n_kv && kv[j].hi == kv[i].hi) {
            if (j == i || kv[j].lo != kv[j - 1].lo) members++;
            j++;
        }
        uint32_t n = (uint32_t)(kv[i].hi >> 32), dm = (uint32_t)kv[i].hi;
        double nd = (double)(j - i), rest = (double)(T[dm] - (j - i));
        double Lrest = (double)(L - Ln[n]);
        double lam = Lrest > 0 ? (double)Ln[n] * rest / Lrest : 0;
        if (members >= LINK_MINC && nd >= LINK_LIFT * lam &&
            ls__poisson_sf_log10((uint32_t)LS__MIN(nd, 4e9), lam > 1e-9 ? lam : 1e-9) >= LINK_MINSIG) {
            capk[n_capk++] = kv[i].hi;
            pushed[dm] += j - i;
        }
        i = j;
    }
    /* Keep the candidates on domains most of whose posts are pushed. */
    {
        size_t w = 0;
        for (size_t i = 0; i < n_capk; i++)
            if (2 * pushed[(uint32_t)capk[i]] >= T[(uint32_t)capk[i]]) capk[w++] = capk[i];
        n_capk = w;
    }
    ls__free(kv); kv = NULL;
    ls__free(tmp); tmp = NULL;
    if (n_capk == 0) goto done;
    /* Captured posts of members: keyed by network and URL with the
     * normalised text's hash, so that relays sort together. */
    for (uint64_t i = 0; i < st->n_events; i++) {
        if (st->ev_kind[i] == LS_KIND_RETWEET) continue;
        uint32_t a = st->ev_account[i], n = d->net_of[a];
        if (n == LS__NONE) continue;
        size_t k = ev_domains(st, i, dom, sizeof dom / sizeof dom[0]), hit = 0;
        for (size_t j = 0; j < k && !hit; j++) {
            uint64_t key = (uint64_t)n << 32 | dom[j];
            size_t p = lower_u64(capk, n_capk, key);
            hit = p < n_capk && capk[p] == key;
        }
        if (!hit) continue;
        if (n_cp == cap_cp && ls__grow((void **)&cp, &cap_cp, n_cp + 1, sizeof *cp) != LS_OK) goto nomem;
        norm.n = 0;
        if (st->ev_text[i] != LS__NONE &&
            (rc = ls__text_norm_with(ls__strtab_get(&st->ns[LS_NS_TEXT], st->ev_text[i]), &norm, &sc)) != LS_OK)
            goto fail;
        uint32_t url = ev_first_url(st, i);
        cp[n_cp].key = (uint64_t)n << 32 | (url == LS__NONE ? 0xFFFFFFFFu : url);
        /* A post with no words of its own beside the link adds nothing to
         * the source: hash 0, the same for every such post, so it is a
         * relay whenever another member posted the URL bare too, and on
         * its own (below) whatever the others did. */
        cp[n_cp].text = norm.n ? ls__hash64(norm.p, norm.n, 0x6c696e6b) | 1 : 0;
        cp[n_cp].a = a;
        cp[n_cp].pad = 0;
        n_cp++;
    }
    qsort(cp, n_cp, sizeof *cp, cmp_cpost);
    for (size_t i = 0; i < n_cp;) {
        size_t j = i;
        int others = 0;
        while (j < n_cp && cp[j].key == cp[i].key && cp[j].text == cp[i].text) {
            if (cp[j].a != cp[i].a) others = 1;
            j++;
        }
        uint32_t n = (uint32_t)(cp[i].key >> 32);
        for (size_t q = i; q < j; q++) {
            ncap[n]++;
            if (others || cp[q].text == 0 || nd[cp[q].a]) nrel[n]++;
            else acap[cp[q].a]++;
        }
        i = j;
    }
    for (uint32_t n = 0; n < NN; n++) {
        ls__net *N = &d->net[n];
        N->sig[SIG_LINKCAP] = nlinks[n] ? (double)ncap[n] / (double)nlinks[n] : 0;
        N->sig[SIG_RELAY] = ncap[n] ? (double)nrel[n] / (double)ncap[n] : 0;
    }
    goto done;
nomem:
    rc = LS_ERR_NOMEM;
fail:
    rc = ls__fail(d->ctx, rc, "detect: link capture: %s", rc == LS_ERR_NOMEM ? "out of memory" : "text");
done:
    ls__buf_free(&norm);
    ls__norm_scratch_free(&sc);
    ls__free(nd); ls__free(T); ls__free(pushed); ls__free(Ln); ls__free(capk); ls__free(ncap); ls__free(nrel); ls__free(nlinks);
    ls__free(kv); ls__free(tmp); ls__free(cp);
    return rc;
}
