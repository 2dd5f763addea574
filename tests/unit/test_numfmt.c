/*
 * test_numfmt.c — the graph files' number formatting (src/graph/numfmt.c)
 * against printf: hand-picked values (rounding ties, powers of ten, the
 * switch between fixed and exponent notation, the ends of the fast path)
 * and millions of random doubles and floats over every magnitude the
 * weights and significances take, plus some outside it.
 */
#include "test.h"
#include "graph/graph.h"
#include <math.h>
#include <stdint.h>

static int same_g6(double x)
{
    char want[64], got[64];
    snprintf(want, sizeof want, "%.6g", x);
    size_t n = ls__fmt_g6(got, x);
    got[n] = 0;
    if (strcmp(want, got) == 0) return 1;
    fprintf(stderr, "  %.17g: printf \"%s\", ls__fmt_g6 \"%s\"\n", x, want, got);
    return 0;
}

TEST(test_g6_hand_values)
{
    static const double v[] = {
        0.0, -0.0, 1, -1, 0.5, 2, 10, 100, 1000, 1e5, 1e6, 1e7, 999999, 999999.5, 999998.5,
        9999995, 9999985, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 3.38543, 0.0998461, 1e-4, 1e-5,
        0.000123456, 0.0001234565, 0.00001, 9.999995e-5, 0.999999, 0.9999995, 0.9999985,
        123456.5, 123457.5, 1234565, 1.5e14, 9.999995e14, 1e15, 1e-6, 1e300, 300, 299.99999,
        INFINITY, -INFINITY, NAN, 4.94e-324, 1e-320, -3.5, -0.000123
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) CHECK(same_g6(v[i]));
    char t[32];
    size_t n = ls__fmt_g6(t, 0.5);
    t[n] = 0;
    CHECK_EQ_STR(t, "0.5");
    n = ls__fmt_g6(t, 1234567.0);
    t[n] = 0;
    CHECK_EQ_STR(t, "1.23457e+06");
    n = ls__fmt_g6(t, 0.0000125);
    t[n] = 0;
    CHECK_EQ_STR(t, "1.25e-05");
}

static uint64_t s = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s; }

TEST(test_g6_random)
{
    int bad = 0;
    for (int i = 0; i < 2000000 && bad < 10; i++) {
        /* Uniform exponent over 1e-7 .. 1e17, random significand. */
        double e = -7 + 24.0 * (double)(rnd() >> 11) / 9007199254740992.0;
        double x = pow(10, e);
        if (i & 1) x = (double)(float)x;                /* the weights are floats */
        if (i % 7 == 0) x = -x;
        bad += !same_g6(x);
    }
    /* Ties: short decimals that sit exactly half way at 6 digits. */
    for (int i = 0; i < 200000 && bad < 10; i++) {
        double x = (double)(rnd() % 100000000) / 128.0;
        bad += !same_g6(x);
        bad += !same_g6(ldexp((double)(rnd() % 10000000), -(int)(rnd() % 40)));
    }
    CHECK_EQ_INT(bad, 0);
}

TEST(test_u32)
{
    char t[16];
    static const uint32_t v[] = { 0, 7, 10, 99, 100, 4294967295u, 1000000000u, 123456789 };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char want[16];
        snprintf(want, sizeof want, "%u", v[i]);
        size_t n = ls__fmt_u32(t, v[i]);
        t[n] = 0;
        CHECK_EQ_STR(t, want);
    }
}

int main(void)
{
    RUN(test_g6_hand_values);
    RUN(test_g6_random);
    RUN(test_u32);
    TEST_END();
}
