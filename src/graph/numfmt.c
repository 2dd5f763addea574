/*
 * numfmt.c — the numbers of the graph files without printf: an unsigned
 * integer, and a double exactly as printf("%.6g") writes it.
 *
 * Writing an edge list of a few hundred thousand rows spent a third of
 * its time in vsnprintf (two "%.6g" and a few "%u" per row).  %.6g is
 * done here with exact integer arithmetic: x = m * 2^e (m the 53-bit
 * significand) scaled by a power of ten and rounded half to even on the
 * exact value, which is what glibc's printf does in the default rounding
 * mode.  The fast path covers 1e-5 <= |x| < 1e15 (and zero); anything
 * else (tiny, huge, infinite, NaN) goes to snprintf, so the output is the
 * same bytes in every case.  tests/unit/test_numfmt.c compares both on
 * millions of values.
 */
#include "graph.h"
#include <math.h>
#include <stdio.h>

typedef unsigned __int128 u128;

size_t ls__fmt_u32(char *out, uint32_t v)
{
    char t[10];
    size_t n = 0;
    do { t[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    for (size_t i = 0; i < n; i++) out[i] = t[n - 1 - i];
    return n;
}

static const uint64_t pow10_u64[] = {
    1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
    100000000ULL, 1000000000ULL, 10000000000ULL
};

/* round-half-even(m * 2^e * 10^s) for the ranges the caller allows:
 * s in [-9, 10], e in [-80, -1]. */
static uint64_t scaled(uint64_t m, int e, int s)
{
    if (s >= 0) {
        u128 N = (u128)m * pow10_u64[s];
        int sh = -e;
        u128 q = N >> sh, r = N - (q << sh), half = (u128)1 << (sh - 1);
        if (r > half || (r == half && (q & 1))) q++;
        return (uint64_t)q;
    }
    u128 d = (u128)pow10_u64[-s] << -e;
    u128 q = (u128)m / d, r = (u128)m - q * d;
    if (2 * r > d || (2 * r == d && (q & 1))) q++;
    return (uint64_t)q;
}

size_t ls__fmt_g6(char *out, double x)
{
    size_t n = 0;
    if (x == 0 && !signbit(x)) { out[0] = '0'; return 1; }
    double a = fabs(x);
    if (!(a >= 1e-5 && a < 1e15)) return (size_t)snprintf(out, 32, "%.6g", x);
    if (x < 0) out[n++] = '-';
    int ex;
    double f = frexp(a, &ex);                 /* a = f * 2^ex, f in [0.5, 1) */
    uint64_t m = (uint64_t)ldexp(f, 53);      /* exact: 53 bits */
    int e = ex - 53;
    int E = (int)floor(log10(a));
    uint64_t D = 0;
    for (int tries = 0; tries < 4; tries++) {
        D = scaled(m, e, 5 - E);
        if (D >= 1000000) E++;
        else if (D < 100000) E--;
        else break;
    }
    char d[6];
    for (int i = 5; i >= 0; i--) { d[i] = (char)('0' + D % 10); D /= 10; }
    int last = 5;                             /* last digit kept */
    while (last > 0 && d[last] == '0') last--;
    if (E < -4 || E >= 6) {
        out[n++] = d[0];
        if (last > 0) {
            out[n++] = '.';
            for (int i = 1; i <= last; i++) out[n++] = d[i];
        }
        out[n++] = 'e';
        out[n++] = E < 0 ? '-' : '+';
        int ae = E < 0 ? -E : E;
        out[n++] = (char)('0' + ae / 10);
        out[n++] = (char)('0' + ae % 10);
        return n;
    }
    if (E >= 0) {
        for (int i = 0; i <= E; i++) out[n++] = d[i];
        if (last > E) {
            out[n++] = '.';
            for (int i = E + 1; i <= last; i++) out[n++] = d[i];
        }
        return n;
    }
    out[n++] = '0';
    out[n++] = '.';
    for (int i = 0; i < -E - 1; i++) out[n++] = '0';
    for (int i = 0; i <= last; i++) out[n++] = d[i];
    return n;
}
