/*
 * bigmem.c — large working buffers (co-action records, pair buffers, the
 * store builder's columns and pools).  They come from
 * ls__malloc like everything else; this file only adds the transparent
 * huge page hint (madvise), which cuts page faults 512-fold on kernels in
 * "madvise" THP mode.  On a virtual machine the faults, not the sorting,
 * dominated the wall time of a co-action run.
 */
#include "core.h"
#include <sys/mman.h>

#define BIG_MIN (4u << 20)   /* below this the hint is not worth a syscall */

void ls__big_hint(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    if (!p || n < BIG_MIN) return;
    /* The range is widened to whole pages, not narrowed: a large block is
     * its own mapping that starts one header before p, and advising only
     * its interior would split that mapping in three, after which realloc
     * can no longer move it with mremap and copies it instead (seen as a
     * third of a scale-1 detect run in perf). */
    uintptr_t a = (uintptr_t)p & ~(uintptr_t)4095;
    uintptr_t e = ((uintptr_t)p + n + 4095) & ~(uintptr_t)4095;
    if (e > a) (void)madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
    (void)p; (void)n;
#endif
}

void *ls__big_malloc(size_t n)
{
    void *p = ls__malloc(n);
    ls__big_hint(p, n);
    return p;
}

int ls__big_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return LS_OK;
    size_t c = *cap ? *cap : 1024;
    while (c < need) c *= 2;
    if (c > SIZE_MAX / elem) return LS_ERR_NOMEM;
    void *p = ls__realloc(*arr, c * elem);
    if (!p) return LS_ERR_NOMEM;
    ls__big_hint(p, c * elem);
    *arr = p;
    *cap = c;
    return LS_OK;
}
