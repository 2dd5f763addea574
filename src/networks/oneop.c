/*
 * oneop.c — `detect --one-operation`: the input holds only accounts already
 * known to belong to one operation (a platform's takedown archive, such as
 * the Twitter IO archive files), so there is no rest of the data to test
 * them against.  Every score of the normal pipeline compares a group with
 * the background; in such an input the background is the operation itself,
 * edge significance is measured against the operation's own activity, and
 * nothing stands out (a scale-0.2 simulated operation alone: 159 candidate
 * groups, none above 0.15, 0 networks).
 *
 * This stage runs after the normal pipeline and makes what it found the
 * cells of one network: every account that posted anything in the input
 * becomes a member of network 0, which is reported whatever it scores, with
 * every member whatever its own score.  Roles come from behaviour alone: an
 * amplifier spends at least half of its activity amplifying other members'
 * posts and is amplified by none of them; everyone else is core.  (The
 * normal rule also makes core any account that co-acts with another member
 * on the same objects, which inside an operation's own archive is nearly
 * every amplifier.)  Each account's cell, the network the normal pipeline
 * put it in, is kept in d->cell for the evidence.  The scores are then
 * computed as usual and written as measured: the signals that need a
 * background read low, and docs/detect.md says so.
 */
#include "networks.h"

int ls__det_one_operation(ls__det *d)
{
    size_t na = d->n_acc ? d->n_acc : 1;
    uint32_t *rin = ls__calloc(na, sizeof *rin), next = 0;
    uint32_t *cell_no = ls__malloc((d->n_net ? d->n_net : 1) * sizeof *cell_no);
    ls__net *one = ls__calloc(1, sizeof *one);
    int rc = LS_OK;
    ls__free(d->cell);
    d->cell = ls__malloc(na * sizeof *d->cell);
    if (!d->cell || !rin || !cell_no || !one) {
        ls__free(one);
        rc = ls__fail(d->ctx, LS_ERR_NOMEM, "detect: out of memory");
        goto done;
    }
    /* Cells: the normal pipeline's networks, numbered in order of their
     * first member so that the numbers do not depend on anything else. */
    for (uint32_t n = 0; n < d->n_net; n++) cell_no[n] = LS__NONE;
    for (uint32_t a = 0; a < d->n_acc; a++) {
        uint32_t n = d->net_of[a];
        if (n != LS__NONE && cell_no[n] == LS__NONE) cell_no[n] = next++;
        d->cell[a] = n == LS__NONE ? LS__NONE : cell_no[n];
    }
    d->n_cells = next;

    ls__free(d->net);
    d->net = one;
    d->n_net = 1;
    for (uint32_t a = 0; a < d->n_acc; a++) {
        d->net_of[a] = d->acc[a].posts > 0 ? 0 : LS__NONE;
        d->expanded[a] = 0;
    }
    /* ls__det_roles fills acamp and the member counts; the roles are then
     * set again by behaviour alone (see the top). */
    if ((rc = ls__det_roles(d)) != LS_OK) goto done;
    for (size_t i = 0; i < d->n_amp; i++) {
        uint32_t x = (uint32_t)(d->amp_xy[i] >> 32), y = (uint32_t)d->amp_xy[i];
        if (d->net_of[x] == 0 && d->net_of[y] == 0) rin[y]++;
    }
    one->n_core = one->n_amp = 0;
    for (uint32_t a = 0; a < d->n_acc; a++) {
        if (d->net_of[a] != 0) continue;
        const ls__dacct *x = &d->acc[a];
        if (rin[a] == 0 && 2.0 * d->acamp[a] >= (double)x->posts) { d->role[a] = LS_ROLE_AMP; one->n_amp++; }
        else { d->role[a] = LS_ROLE_CORE; one->n_core++; }
    }
    if ((rc = ls__det_score(d)) != LS_OK) goto done;
    /* Reported whatever it scores: the input says what it is. */
    d->report_bar = 0.0;
done:
    ls__free(rin);
    ls__free(cell_no);
    return rc;
}
