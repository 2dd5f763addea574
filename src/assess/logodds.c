/*
 * logodds.c — distinctive terms by weighted log-odds with an informative
 * Dirichlet prior (Monroe, Colaresi and Quinn 2008, "Fightin' Words",
 * section 3.5).  The prior is the pooled corpus scaled to a0 pseudo-counts,
 * which shrinks rare words towards "not distinctive" and makes the z-score
 * comparable across words of very different frequency: a word a network
 * uses 3 times is not ranked above one it uses 3,000 times just because
 * nobody else used it.
 *
 * Cost: O(V log V) for the sort.
 */
#include "assess.h"
#include <math.h>
#include <stdlib.h>

static int by_z(const void *a, const void *b)
{
    const ls__term *x = a, *y = b;
    if (x->z > y->z) return -1;
    if (x->z < y->z) return 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

void ls__logodds(const uint64_t *y_in, const uint64_t *y_out, size_t V, double a0,
                 uint64_t min_in, ls__term *out, size_t *n_out)
{
    double n_in = 0, n_out_tot = 0;
    for (size_t w = 0; w < V; w++) { n_in += (double)y_in[w]; n_out_tot += (double)y_out[w]; }
    double N = n_in + n_out_tot;
    size_t k = 0;
    for (size_t w = 0; w < V && N > 0; w++) {
        if (y_in[w] < min_in || y_in[w] == 0) continue;
        double yi = (double)y_in[w], yj = (double)y_out[w];
        double a = a0 * (yi + yj) / N;
        /* A word that is the whole of one side would divide by zero; a
         * tenth of a pseudo-count keeps the odds finite. */
        double ri = LS__MAX(n_in + a0 - yi - a, 0.1), rj = LS__MAX(n_out_tot + a0 - yj - a, 0.1);
        double d = log((yi + a) / ri) - log((yj + a) / rj);
        double var = 1.0 / (yi + a) + 1.0 / (yj + a);
        out[k++] = (ls__term){ (uint32_t)w, y_in[w], y_out[w], d, d / sqrt(var) };
    }
    if (k > 1) qsort(out, k, sizeof *out, by_z);
    *n_out = k;
}
