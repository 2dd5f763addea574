/*
 * prefault.c — fresh memory faulted in on another core, ahead of the
 * thread that will write it.  On the benchmark VM the first touch of a
 * megabyte costs 2-3 ms (the kernel clears the pages), and two of the
 * build's sequential phases write large fresh arrays front to back: the
 * account thread its account table, names and profile rows (about 150 MB
 * at scale 1), the organic actions their event array (about 70 MB beyond
 * the spent pages it grows from).  Each phase runs on one thread while the
 * other core has time to spare, so a helper thread asks the kernel to
 * fault the pages in (madvise MADV_POPULATE_WRITE, which never changes
 * what a page holds: a page the writer got to first is left as it is),
 * a little ahead of the writer's published progress, so that little
 * memory is faulted in that the writer never uses.  The CPU time is the
 * same either way; it leaves the critical path.  Where the kernel lacks
 * the call, or the thread cannot start, the writer faults its pages in
 * itself, as before.  The bytes never depend on it.
 */
#include "sim.h"
#include <errno.h>
#include <sys/mman.h>
#include <time.h>

#define STEP ((size_t)2 << 20)   /* a huge page at a time */

/* Faults in [from, to) of range r, page-aligned inside the range; 0, or
 * -1 when the kernel refuses (stop trying). */
static int populate(const ls__sim_prefault_range *r, size_t from, size_t to)
{
#ifdef MADV_POPULATE_WRITE
    uintptr_t a = ((uintptr_t)r->p + from + 4095) & ~(uintptr_t)4095, b = ((uintptr_t)r->p + to) & ~(uintptr_t)4095;
    if (b <= a) return 0;
    if (madvise((void *)a, (size_t)(b - a), MADV_POPULATE_WRITE) == 0 || errno == EINTR || errno == EAGAIN) return 0;
    return -1;
#else
    LS__UNUSED(r); LS__UNUSED(from); LS__UNUSED(to);
    return -1;
#endif
}

static void *prefault_run(void *arg)
{
    ls__sim_prefault *pf = arg;
    size_t done[LS__SIM_PREFAULT_RANGES] = { 0 };
    for (;;) {
        int stop = atomic_load_explicit(&pf->stop, memory_order_acquire), idle = 1, finished = 1;
        size_t units = pf->progress ? atomic_load_explicit(pf->progress, memory_order_relaxed) + pf->lead : SIZE_MAX;
        for (int i = 0; i < pf->n_range && !stop; i++) {
            const ls__sim_prefault_range *r = &pf->range[i];
            size_t goal = units >= r->n / LS__MAX(r->unit, (size_t)1) ? r->n : units * r->unit;
            if (done[i] < r->n) finished = 0;
            if (done[i] >= goal) continue;
            size_t to = LS__MIN(goal, done[i] + STEP);
            if (populate(r, done[i], to)) return NULL;
            done[i] = to;
            idle = 0;
        }
        if (stop || finished) break;
        if (idle) {
            /* Ahead of the writer: look again in a millisecond. */
            struct timespec ms = { 0, 1000000 };
            nanosleep(&ms, NULL);
        }
    }
    return NULL;
}

void ls__sim_prefault_start(ls__sim_prefault *pf, int threads)
{
    atomic_init(&pf->stop, 0);
    pf->started = threads > 1 && pf->n_range > 0 && pthread_create(&pf->tid, NULL, prefault_run, pf) == 0;
}

void ls__sim_prefault_stop(ls__sim_prefault *pf)
{
    if (!pf->started) return;
    atomic_store_explicit(&pf->stop, 1, memory_order_release);
    pthread_join(pf->tid, NULL);
    pf->started = 0;
}
