/*
 * rng.c — distributions over the simulator's seeded xoshiro256** stream:
 * normal, log-normal (all delays), Poisson (counts per time unit) and a
 * capped Pareto (heavy-tailed activity).  Nothing here reads the clock or
 * any global state, so a world is a pure function of its seed.
 */
#include "sim.h"
#include <math.h>

double ls__rng_normal(ls__rng *r)
{
    /* Box-Muller; one of the pair is dropped to keep the stream simple. */
    double u1 = ls__rng_u(r), u2 = ls__rng_u(r);
    if (u1 < 1e-300) u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

double ls__rng_lognormal(ls__rng *r, double median, double sigma)
{
    return median * exp(sigma * ls__rng_normal(r));
}

uint32_t ls__rng_poisson(ls__rng *r, double mean)
{
    if (mean <= 0) return 0;
    if (mean > 30) {
        double x = mean + sqrt(mean) * ls__rng_normal(r) + 0.5;
        return x < 0 ? 0 : (uint32_t)x;
    }
    double l = exp(-mean), p = 1.0;
    uint32_t k = 0;
    do { k++; p *= ls__rng_u(r); } while (p > l);
    return k - 1;
}

uint32_t ls__rng_pareto(ls__rng *r, double xmin, double alpha, uint32_t cap)
{
    double u = 1.0 - ls__rng_u(r);      /* (0,1] */
    double x = ceil(xmin * pow(u, -1.0 / alpha));
    if (x > cap) x = cap;
    if (x < 1) x = 1;
    return (uint32_t)x;
}
