/*
 * builder_sort.c — the order of events in the store: by time, then by
 * dense post id.  Post ids are unique among events, so this is a total
 * order and the result does not depend on the sort's stability or on
 * anything but the data.
 *
 * LSD radix sort on 16-byte (time, post, index) records, 8-bit digits:
 * 4 passes for the post id and 8 for the time, skipping every digit that
 * is the same in all records (the high bytes of times and post ids
 * usually are), so a typical store takes 6-8 passes.  O(n) time, 32n
 * bytes of temporary memory.  Input that is already in order (common for
 * time-ordered dumps) is detected first and costs one scan.
 */
#include "builder.h"

typedef struct { uint64_t t; uint32_t post, idx; } key;

static inline unsigned digit(const key *k, int d)
{
    return d < 4 ? (k->post >> (8 * d)) & 0xFF : (unsigned)(k->t >> (8 * (d - 4))) & 0xFF;
}

/* *out: NULL when the events are in (time, post) order already, else
 * n event indices in that order (the caller frees them). */
int ls__builder_sort(ls__builder *b, uint32_t **out)
{
    size_t n = b->n_ev, i;
    int st = LS_OK;
    key *a = NULL, *tmp = NULL;
    size_t (*hist)[256] = NULL;
    uint32_t *perm = NULL;

    *out = NULL;
    for (i = 1; i < n; i++) {
        int64_t t0 = b->ev_time[i - 1], t1 = b->ev_time[i];
        if (t0 > t1 || (t0 == t1 && b->ev_post[i - 1] > b->ev_post[i])) break;
    }
    /* In order: no permutation at all (its n words were a fresh 4 MB of
     * page faults for each million events, on a time-ordered dump). */
    if (i >= n) return LS_OK;

    perm = ls__malloc(n * sizeof *perm);
    a = ls__malloc(n * sizeof *a);
    tmp = ls__malloc(n * sizeof *tmp);
    hist = ls__calloc(12, sizeof *hist);
    if (!perm || !a || !tmp || !hist) { st = ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory sorting events"); goto done; }
    for (i = 0; i < n; i++) {
        a[i].t = (uint64_t)b->ev_time[i] ^ (UINT64_C(1) << 63); /* signed -> unsigned order */
        a[i].post = b->ev_post[i];
        a[i].idx = (uint32_t)i;
        for (int d = 0; d < 12; d++) hist[d][digit(&a[i], d)]++;
    }
    for (int d = 0; d < 12; d++) {
        size_t sum = 0, skip = 0;
        for (int v = 0; v < 256; v++) if (hist[d][v] == n) skip = 1;
        if (skip) continue;
        for (int v = 0; v < 256; v++) { size_t c = hist[d][v]; hist[d][v] = sum; sum += c; }
        for (i = 0; i < n; i++) tmp[hist[d][digit(&a[i], d)]++] = a[i];
        key *s = a; a = tmp; tmp = s;
    }
    for (i = 0; i < n; i++) perm[i] = a[i].idx;
    *out = perm;
    perm = NULL;
done:
    ls__free(perm);
    ls__free(a);
    ls__free(tmp);
    ls__free(hist);
    return st;
}
