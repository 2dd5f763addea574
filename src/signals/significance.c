/*
 * significance.c — the null model's tail probability: -log10 P(X >= c)
 * for a Poisson count, used for the significance of co-action and
 * amplification edges (docs/networks.md, "Significance").
 */
#include "signals.h"
#include <math.h>

double ls__poisson_sf_log10(uint32_t c, double lambda)
{
    if (c == 0) return 0.0;
    if (lambda <= 0) return 300.0;
    /* log P(X = k) = -lambda + k ln(lambda) - lgamma(k + 1).  lgamma_r:
     * plain lgamma writes the global signgam, a data race when the
     * co-action threads call this at once (ThreadSanitizer saw it). */
    int sign;
    double lt = -lambda + c * log(lambda) - lgamma_r((double)c + 1.0, &sign);
    double p;
    if ((double)c > lambda) {
        /* Upper tail from k = c: terms shrink, sum until negligible. */
        double s = 1.0, term = 1.0;
        for (uint32_t k = c + 1; k < c + 100000; k++) {
            term *= lambda / k;
            s += term;
            if (term < s * 1e-15) break;
        }
        double l10 = -(lt + log(s)) / log(10.0);
        return l10 > 300 ? 300 : (l10 < 0 ? 0 : l10);
    }
    /* c <= lambda: P(X >= c) = 1 - P(X < c), not small. */
    double cdf = 0, term = exp(-lambda);
    for (uint32_t k = 0; k < c; k++) { cdf += term; term *= lambda / (k + 1); }
    p = 1.0 - cdf;
    if (p <= 0) return 0;
    double l10 = -log10(p);
    return l10 < 0 ? 0 : l10;
}
