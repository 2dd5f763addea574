/*
 * builder_sort.c — the order of events in the store: by time, then by
 * dense post id.  Post ids are unique among the events kept, so this is
 * a total order and the result does not depend on the sort's stability,
 * on how the events are cut into runs (builder_runs.c) or on anything but
 * the data.
 *
 * LSD radix sort on 16-byte (time, post, index) records, 8-bit digits:
 * 4 passes for the post id and 8 for the time, skipping every digit that
 * is the same in all records (the high bytes of times and post ids
 * usually are), so a typical store takes 6-8 passes.  O(n) time, 32n
 * bytes of temporary memory.  Input that is already in order (common for
 * time-ordered dumps) is detected first and costs one scan.  Events
 * dropped at write time (ls__builder_dropped) take no part: they are
 * neither sorted nor looked at by the order check.
 */
#include "builder_runs.h"

#include <stdlib.h>

/* The default run: 36 bytes an event make 72 MB for the sort (keys,
 * scratch and permutation).  Runs of 2M events were also faster than one
 * sort of 4M shuffled events (write phase 1.1-1.8 s CPU against 2.6-3.9
 * s: the single sort touches 160 MB of fresh memory and gathers at
 * random from whole mapped columns; docs/store.md, "The write-time
 * sort"), so inputs of more than 2M events out of time order sort in
 * runs. */
#define SORT_RUN ((size_t)2000000)

size_t ls__sort_run(void)
{
    const char *env = getenv("LOCKSTEP_SORT_RUN");
    char *end = NULL;
    unsigned long long v = env && *env ? strtoull(env, &end, 10) : 0;
    return v >= 1 && end && !*end && v <= SIZE_MAX / 64 ? (size_t)v : SORT_RUN;
}

ls__sort_key *ls__sort_keys(ls__sort_key *a, ls__sort_key *tmp, size_t n, size_t (*hist)[256])
{
    for (int d = 0; d < 12; d++) {
        size_t sum = 0, skip = 0;
        for (int v = 0; v < 256; v++) if (hist[d][v] == n) skip = 1;
        if (skip) continue;
        for (int v = 0; v < 256; v++) { size_t c = hist[d][v]; hist[d][v] = sum; sum += c; }
        for (size_t i = 0; i < n; i++) tmp[hist[d][ls__sort_digit(&a[i], d)]++] = a[i];
        ls__sort_key *s = a; a = tmp; tmp = s;
    }
    return a;
}

/* *out: NULL when the kept events are in (time, post) order already,
 * else their n_ev - n_drop indices in that order (the caller frees
 * them). */
int ls__builder_sort(ls__builder *b, uint32_t **out)
{
    size_t n = b->n_ev, m = n - b->n_drop, i, prev = SIZE_MAX;
    int st = LS_OK;
    ls__sort_key *a = NULL, *tmp = NULL;
    size_t (*hist)[256] = NULL;
    uint32_t *perm = NULL;

    *out = NULL;
    for (i = 0; i < n; i++) {
        if (ls__builder_dropped(b, i)) continue;
        if (prev != SIZE_MAX) {
            int64_t t0 = b->ev_time[prev], t1 = b->ev_time[i];
            if (t0 > t1 || (t0 == t1 && b->ev_post[prev] > b->ev_post[i])) break;
        }
        prev = i;
    }
    /* In order: no permutation at all (its n words were a fresh 4 MB of
     * page faults for each million events, on a time-ordered dump). */
    if (i >= n) return LS_OK;

    perm = ls__malloc((m ? m : 1) * sizeof *perm);
    a = ls__malloc(m * sizeof *a);
    tmp = ls__malloc(m * sizeof *tmp);
    hist = ls__calloc(12, sizeof *hist);
    if (!perm || !a || !tmp || !hist) { st = ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory sorting events"); goto done; }
    size_t j = 0;
    for (i = 0; i < n; i++) {
        if (ls__builder_dropped(b, i)) continue;
        a[j].t = (uint64_t)b->ev_time[i] ^ (UINT64_C(1) << 63); /* signed -> unsigned order */
        a[j].post = b->ev_post[i];
        a[j].idx = (uint32_t)i;
        ls__sort_count(hist, &a[j]);
        j++;
    }
    const ls__sort_key *s = ls__sort_keys(a, tmp, m, hist);
    for (i = 0; i < m; i++) perm[i] = s[i].idx;
    *out = perm;
    perm = NULL;
done:
    ls__free(perm);
    ls__free(a);
    ls__free(tmp);
    ls__free(hist);
    return st;
}
