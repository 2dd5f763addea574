/*
 * builder_spill.c — keeps ingest's memory bounded by moving what the
 * builder will not look at again to temporary files (see builder.h and
 * pool.h for the layout).
 *
 * Every spill file is created in the spill folder (the store's own folder
 * when ingest sets it, so it lands on the same disk as the store) under a
 * random name and unlinked at once (src/core/spill.c): it has no name
 * while it is filled, so nothing is left behind whatever happens to the
 * process, and the store
 * itself is still written to STORE.tmp.PID and renamed (builder_write.c).
 * The files live in the page cache, which the kernel writes back and
 * frees under memory pressure; only the parts the builder maps or reads
 * count against the process.
 *
 * Event columns and list entries are append-only until the store is
 * written, so the RAM part is appended to one file per column whenever it
 * reaches spill_at bytes.  For the write, each spilled column is mapped
 * whole (shared, so that the RT @name resolution can still patch
 * ev_ref_account in place), read through the mapping, and its pages are
 * dropped again as soon as its section is out.
 */
#include "builder.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static int spill_fail(ls__builder *b, const char *what)
{
    b->spill_err = errno ? errno : EIO;
    return ls__fail(b->ctx, LS_ERR_IO, "cannot %s a spill file in %s: %s", what,
                    b->spill_dir, strerror(b->spill_err));
}

int ls__builder_spill_cols(ls__builder *b, int first)
{
    int ev = first == 0, last = ev ? LS__N_EV_COLS : LS__N_COLS;
    size_t *base = ev ? &b->ev_base : &b->li_base, n = ev ? b->n_ev : b->n_li;
    size_t *cap = ev ? &b->ev_cap : &b->li_cap, per = ev ? LS__EV_BYTES : 5;
    void **arrs[LS__N_COLS];
    ls__builder_cols(b, arrs);
    for (int k = first; k < last; k++) {
        if (b->col_dflt[k]) continue;      /* defaults only: nothing to keep */
        if (b->col_fd[k] < 0 && ls__spill_open(b->spill_dir, &b->col_fd[k])) return spill_fail(b, "create");
        if (ls__spill_write(b->col_fd[k], *arrs[k], (n - *base) * ls__builder_col_elem(k)))
            return spill_fail(b, "write");
    }
    *base = n;
    /* A RAM part that grew far beyond spill_at (a store loaded for an
     * append) starts again small. */
    if (*cap * per > 2 * b->col_spill_at + ((size_t)1 << 20)) {
        for (int k = first; k < last; k++) { ls__free(*arrs[k]); *arrs[k] = NULL; }
        *cap = 0;
    }
    return LS_OK;
}

int ls__builder_map_cols(ls__builder *b)
{
    void **arrs[LS__N_COLS];
    if (b->mapped) return LS_OK;
    ls__builder_cols(b, arrs);
    for (int g = 0; g < 2; g++) {
        int ev = g == 0, first = ev ? 0 : LS__N_EV_COLS, last = ev ? LS__N_EV_COLS : LS__N_COLS, st;
        size_t n = ev ? b->n_ev : b->n_li;
        if (b->col_fd[first] < 0) continue;  /* never spilled: all in RAM */
        if ((st = ls__builder_spill_cols(b, first))) return st;
        for (int k = first; k < last; k++) {
            size_t bytes = n * ls__builder_col_elem(k);
            ls__free(*arrs[k]);
            *arrs[k] = NULL;
            if (!bytes || b->col_dflt[k]) continue;
            void *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, b->col_fd[k], 0);
            if (m == MAP_FAILED) return spill_fail(b, "map");
            *arrs[k] = m;
            b->col_map[k] = bytes;
        }
        if (ev) { b->ev_base = 0; b->ev_cap = n; }
        else { b->li_base = 0; b->li_cap = n; }
    }
    b->mapped = 1;
    return LS_OK;
}

void ls__builder_drop_col(ls__builder *b, const void *col)
{
    void **arrs[LS__N_COLS];
    ls__builder_cols(b, arrs);
    for (int k = 0; k < LS__N_COLS; k++)
        if (col && *arrs[k] == col && b->col_map[k])
            (void)madvise(*arrs[k], b->col_map[k], MADV_DONTNEED);
}

void ls__builder_free_cols(ls__builder *b)
{
    void **arrs[LS__N_COLS];
    ls__builder_cols(b, arrs);
    for (int k = 0; k < LS__N_COLS; k++) {
        if (b->col_map[k]) munmap(*arrs[k], b->col_map[k]);
        else ls__free(*arrs[k]);
        *arrs[k] = NULL;
        b->col_map[k] = 0;
        if (b->col_fd[k] >= 0) close(b->col_fd[k]);
        b->col_fd[k] = -1;
    }
}

void ls__builder_set_spill_dir(ls__builder *b, const char *dir)
{
    snprintf(b->spill_dir, sizeof b->spill_dir, "%s", dir && *dir ? dir : ".");
}

void ls__builder_spill_at(ls__builder *b, size_t at)
{
    b->spill_at = b->col_spill_at = at;
    for (int k = 0; k < LS_NS_COUNT; k++) ls__pool_spill(&b->ns[k], b->spill_dir, at);
}
