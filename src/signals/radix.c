/*
 * radix.c — LSD radix sort of 64-bit keys, the workhorse of the co-action
 * stage (records by object and time, pairs by account pair and evidence).
 *
 * Six passes of 11-bit digits; all six histograms are built in one read
 * of the input, and a pass whose digit is the same for every key (the
 * high bits of small ids, say) is skipped, so sorting n keys that use b
 * bits costs about ceil(b / 11) linear passes.
 */
#include "signals.h"

#define RBITS 11
#define RSIZE (1u << RBITS)
#define RPASS 6

void ls__radix_u64(uint64_t *a, uint64_t *tmp, size_t n)
{
    if (n < 2) return;
    /* Small inputs: insertion sort beats six histograms. */
    if (n <= 64) {
        for (size_t i = 1; i < n; i++) {
            uint64_t x = a[i];
            size_t j = i;
            while (j > 0 && a[j - 1] > x) { a[j] = a[j - 1]; j--; }
            a[j] = x;
        }
        return;
    }
    static _Thread_local size_t hist[RPASS][RSIZE];
    memset(hist, 0, sizeof hist);
    for (size_t i = 0; i < n; i++) {
        uint64_t k = a[i];
        for (int p = 0; p < RPASS; p++)
            hist[p][(k >> (p * RBITS)) & (RSIZE - 1)]++;
    }
    uint64_t *src = a, *dst = tmp;
    for (int p = 0; p < RPASS; p++) {
        size_t *h = hist[p];
        unsigned first = (unsigned)((a[0] >> (p * RBITS)) & (RSIZE - 1));
        if (h[first] == n) continue;    /* constant digit: nothing to do */
        size_t sum = 0;
        for (unsigned d = 0; d < RSIZE; d++) { size_t c = h[d]; h[d] = sum; sum += c; }
        int sh = p * RBITS;
        for (size_t i = 0; i < n; i++) {
            uint64_t k = src[i];
            dst[h[(k >> sh) & (RSIZE - 1)]++] = k;
        }
        uint64_t *t = src; src = dst; dst = t;
    }
    if (src != a) memcpy(a, src, n * sizeof *a);
}

/* Sorts 128-bit items by (hi, lo): the same LSD scheme over the digits of
 * lo and then of hi, skipping constant digits. */
void ls__radix_kv(ls__kv *a, ls__kv *tmp, size_t n)
{
    if (n < 2) return;
    if (n <= 64) {
        for (size_t i = 1; i < n; i++) {
            ls__kv x = a[i];
            size_t j = i;
            while (j > 0 && (a[j - 1].hi > x.hi ||
                             (a[j - 1].hi == x.hi && a[j - 1].lo > x.lo))) {
                a[j] = a[j - 1]; j--;
            }
            a[j] = x;
        }
        return;
    }
    static _Thread_local size_t hist[2 * RPASS][RSIZE];
    memset(hist, 0, sizeof hist);
    for (size_t i = 0; i < n; i++) {
        uint64_t lo = a[i].lo, hi = a[i].hi;
        for (int p = 0; p < RPASS; p++) {
            hist[p][(lo >> (p * RBITS)) & (RSIZE - 1)]++;
            hist[RPASS + p][(hi >> (p * RBITS)) & (RSIZE - 1)]++;
        }
    }
    ls__kv *src = a, *dst = tmp;
    for (int q = 0; q < 2 * RPASS; q++) {
        size_t *h = hist[q];
        int sh = (q % RPASS) * RBITS;
        uint64_t k0 = q < RPASS ? a[0].lo : a[0].hi;
        if (h[(k0 >> sh) & (RSIZE - 1)] == n) continue;
        size_t sum = 0;
        for (unsigned d = 0; d < RSIZE; d++) { size_t c = h[d]; h[d] = sum; sum += c; }
        if (q < RPASS)
            for (size_t i = 0; i < n; i++) dst[h[(src[i].lo >> sh) & (RSIZE - 1)]++] = src[i];
        else
            for (size_t i = 0; i < n; i++) dst[h[(src[i].hi >> sh) & (RSIZE - 1)]++] = src[i];
        ls__kv *t = src; src = dst; dst = t;
    }
    if (src != a) memcpy(a, src, n * sizeof *a);
}
