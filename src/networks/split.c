/*
 * split.c — the last structural step: a merge must not hide a network.
 * Merging (groups.c), the second clustering pass (regroup.c) and
 * expansion join clusters by amplification flow.  A posting operation's
 * flow is mostly its own camouflage (retweets of idols and news), so it can
 * be folded into a large organic network and vanish in that network's low
 * score.  Here every network that scores below --min-score and was made
 * of two or more Leiden clusters is looked at part by part: each of its
 * clusters (without the accounts that joined by expansion) is scored as a
 * network of its own, against the same background.  A part that reaches
 * --min-score with at least --min-size accounts is reported on its own;
 * every other account stays where it was, and the rest of the network is
 * scored again without it.  Networks at or above the bar are never
 * touched, so this step only ever adds candidates; a world where no part
 * qualifies comes out exactly as it went in.  Deterministic: networks are
 * renumbered by smallest account, as everywhere in detect.
 */
#include "networks.h"

/* Renumbers the keys of net_of by smallest account (NONE stays NONE),
 * replaces d->net and recomputes roles and scores. */
static int repartition(ls__det *d, uint32_t *key, uint32_t nkeys)
{
    uint32_t *id = ls__malloc(((size_t)nkeys + 1) * sizeof *id);
    if (!id) return ls__fail(d->ctx, LS_ERR_NOMEM, "detect: out of memory");
    for (uint32_t k = 0; k < nkeys; k++) id[k] = LS__NONE;
    uint32_t n = 0;
    for (uint32_t a = 0; a < d->n_acc; a++) {
        uint32_t k = key[a];
        if (k == LS__NONE) { d->net_of[a] = LS__NONE; continue; }
        if (id[k] == LS__NONE) id[k] = n++;
        d->net_of[a] = id[k];
    }
    ls__free(id);
    ls__free(d->net);
    d->n_net = n;
    d->net = ls__calloc(n ? n : 1, sizeof *d->net);
    if (!d->net) return ls__fail(d->ctx, LS_ERR_NOMEM, "detect: out of memory");
    int rc = ls__det_roles(d);
    if (rc == LS_OK) rc = ls__det_score(d);
    return rc;
}

int ls__det_split(ls__det *d, uint32_t *n_split)
{
    int rc = LS_OK;
    uint32_t A = d->n_acc, NN = d->n_net, C = d->n_clusters;
    uint32_t *old = NULL, *key = NULL, *first_c = NULL, *piece_of = NULL, *size = NULL;
    uint8_t *cand = NULL, *keep = NULL;
    *n_split = 0;
    if (NN == 0 || C == 0) return LS_OK;
    old = ls__malloc((A ? A : 1) * sizeof *old);
    key = ls__malloc((A ? A : 1) * sizeof *key);
    first_c = ls__malloc((size_t)NN * sizeof *first_c);
    cand = ls__calloc(NN, 1);
    if (!old || !key || !first_c || !cand) { rc = ls__fail(d->ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done; }
    memcpy(old, d->net_of, (A ? A : 1) * sizeof *old);
    /* Candidates: below the bar, and members from two clusters or more. */
    for (uint32_t n = 0; n < NN; n++) first_c[n] = LS__NONE;
    uint32_t n_cand = 0;
    for (uint32_t a = 0; a < A; a++) {
        uint32_t n = old[a], c = d->cluster[a];
        if (n == LS__NONE || c == LS__NONE || d->net[n].score >= d->o->min_score) continue;
        if (first_c[n] == LS__NONE) first_c[n] = c;
        else if (first_c[n] != c && !cand[n]) { cand[n] = 1; n_cand++; }
    }
    if (n_cand == 0) goto done;
    /* Trial partition: a candidate's clustered members by cluster (key
     * NN + cluster), its expanded members nowhere; other networks as they
     * are. */
    for (uint32_t a = 0; a < A; a++) {
        uint32_t n = old[a];
        if (n == LS__NONE) key[a] = LS__NONE;
        else if (!cand[n]) key[a] = n;
        else key[a] = d->cluster[a] == LS__NONE ? LS__NONE : NN + d->cluster[a];
    }
    if ((rc = repartition(d, key, NN + C)) != LS_OK) goto done;
    /* Which trial networks are parts that qualify. */
    keep = ls__calloc(d->n_net ? d->n_net : 1, 1);
    size = ls__calloc(d->n_net ? d->n_net : 1, sizeof *size);
    piece_of = ls__malloc((A ? A : 1) * sizeof *piece_of);
    if (!keep || !size || !piece_of) { rc = ls__fail(d->ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done; }
    for (uint32_t a = 0; a < A; a++) {
        piece_of[a] = LS__NONE;
        if (d->net_of[a] != LS__NONE && key[a] >= NN) { piece_of[a] = d->net_of[a]; size[d->net_of[a]]++; }
    }
    for (uint32_t p = 0; p < d->n_net; p++)
        keep[p] = size[p] >= d->o->min_size && size[p] > 0 && d->net[p].score >= d->o->min_score;
    /* Final partition: kept parts on their own, everything else back. */
    for (uint32_t a = 0; a < A; a++) {
        uint32_t p = piece_of[a];
        if (p != LS__NONE && keep[p]) { key[a] = NN + d->cluster[a]; continue; }
        key[a] = old[a];
    }
    for (uint32_t p = 0; p < d->n_net; p++) *n_split += keep[p];
    if (*n_split == 0) {
        /* Nothing qualified: the partition, roles and scores as before. */
        memcpy(key, old, (A ? A : 1) * sizeof *key);
    }
    rc = repartition(d, key, NN + C);
done:
    ls__free(old); ls__free(key); ls__free(first_c); ls__free(cand); ls__free(keep); ls__free(size);
    ls__free(piece_of);
    return rc;
}
