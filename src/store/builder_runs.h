/*
 * builder_runs.h — the write-time sort of a big store in runs, private to
 * src/store/builder*.c (builder_runs.c; the design is in docs/store.md,
 * "The write-time sort").
 *
 * Up to R events (ls__sort_run) are sorted in memory at once
 * (builder_sort.c).  A store with more events is cut into runs of at most
 * R events; each run is sorted and written out, in its order and column
 * by column, to unlinked temporary files; a k-way merge on (time, post)
 * then records once which run each event of the store comes from (the
 * tape), and every event section is written by replaying the tape over
 * the runs' files, read sequentially through small buffers.  Memory stays
 * at about 36 bytes per run event plus the buffers, whatever the number
 * of events.
 */
#ifndef LS_STORE_BUILDER_RUNS_H
#define LS_STORE_BUILDER_RUNS_H

#include "builder.h"

/* A sort record: the time with its sign bit flipped (so unsigned order is
 * signed order), the dense post id and the event's index. */
typedef struct { uint64_t t; uint32_t post, idx; } ls__sort_key;

/* Byte d of a key's sort order: 0-3 the post id, 4-11 the time. */
static inline unsigned ls__sort_digit(const ls__sort_key *k, int d)
{
    return d < 4 ? (k->post >> (8 * d)) & 0xFF : (unsigned)(k->t >> (8 * (d - 4))) & 0xFF;
}
/* Counts key k in hist (12 x 256 counters, zeroed first): done while the
 * keys are made, so that the sort needs no pass of its own for it. */
static inline void ls__sort_count(size_t (*hist)[256], const ls__sort_key *k)
{
    for (int d = 0; d < 12; d++) hist[d][ls__sort_digit(k, d)]++;
}
/* LSD radix sort of a[0..n) by (t, post) with tmp (n records) as scratch
 * and hist the counts of the n keys (ls__sort_count; the sort consumes
 * them); returns a or tmp, whichever holds the result.  Digits that are
 * the same in all records are skipped. */
ls__sort_key *ls__sort_keys(ls__sort_key *a, ls__sort_key *tmp, size_t n, size_t (*hist)[256]);

/* Events sorted in memory at once: LOCKSTEP_SORT_RUN=N (N >= 1) or the
 * default. */
size_t ls__sort_run(void);

/* Where a section's bytes go (the store writer's checksummed output). */
typedef void ls__sink(void *arg, const void *p, size_t n);

typedef struct ls__runs ls__runs;

/* Sorts the builder's events in runs of at most `run` events (used when
 * n_ev > run).  *out: NULL when the kept events are in store order
 * already (the caller writes the columns straight), else the runs, for
 * ls__runs_put and ls__runs_free.  Columns are read through pread (or in
 * place when in RAM), so no mapped column becomes resident. */
int ls__runs_sort(ls__builder *b, size_t run, ls__runs **out);
/* Kept events and list entries of the runs. */
size_t ls__runs_events(const ls__runs *rs);
size_t ls__runs_entries(const ls__runs *rs);
/* Writes column k (ls__builder_cols order; k = 8 gives the LS__SEC_EV_LIST
 * offsets, n + 1 of them) in store order to sink.  LS_OK or LS_ERR_IO
 * (errno set). */
int ls__runs_put(ls__runs *rs, int k, ls__sink *sink, void *arg);
void ls__runs_free(ls__runs *rs);

#endif /* LS_STORE_BUILDER_RUNS_H */
