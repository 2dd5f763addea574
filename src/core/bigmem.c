/*
 * bigmem.c — large working buffers (co-action records, pair buffers, the
 * store builder's columns and pools).  They come from
 * ls__malloc like everything else; this file adds the transparent huge
 * page hint (madvise), which cuts page faults 512-fold on kernels in
 * "madvise" THP mode (on a virtual machine the faults, not the sorting,
 * dominated the wall time of a co-action run), and growth that never
 * copies a large block (ls__col_*, core.h).
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

/* Columns below BIG_COL stay on the heap; from BIG_COL on they are blocks of at
 * least BIG_FIRST bytes (above glibc's largest dynamic mmap threshold,
 * 32 MiB, so always their own mapping), sized k * 2 MiB - 4 KiB. */
#define BIG_COL ((size_t)4 << 20)
#define PMD ((size_t)2 << 20)
#define BIG_FIRST ((size_t)34 << 20)

size_t ls__col_bytes(size_t bytes)
{
    if (bytes < BIG_COL || bytes > SIZE_MAX / 2) return bytes;
    if (bytes < BIG_FIRST) bytes = BIG_FIRST;
    return (bytes + 4096 + PMD - 1) / PMD * PMD - 4096;
}

int ls__col_resize(void **arr, size_t old_bytes, size_t new_bytes, size_t *got)
{
    size_t bytes = ls__col_bytes(new_bytes);
    void *q;
    if (bytes < BIG_COL || old_bytes >= BIG_COL || !*arr) {
        /* Heap to heap, or one big block to a bigger one: realloc moves
         * the mapping with mremap and touches no page. */
        q = ls__realloc(*arr, bytes);
        if (!q) return LS_ERR_NOMEM;
    } else {
        /* From the heap to the first big block: realloc would copy into
         * the new mapping before the huge-page hint could be given, and
         * the copied pages would stay 4 KiB pages. */
        q = ls__malloc(bytes);
        if (!q) return LS_ERR_NOMEM;
        ls__big_hint(q, bytes);
        memcpy(q, *arr, old_bytes);
        ls__free(*arr);
    }
    ls__big_hint(q, bytes);
    *arr = q;
    *got = bytes;
    return LS_OK;
}

int ls__col_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return LS_OK;
    size_t nc = *cap ? *cap : 1024, got;
    while (nc < need) {
        if (nc > SIZE_MAX / 4 / elem) return LS_ERR_NOMEM;
        nc *= 2;
    }
    if (ls__col_resize(arr, *cap * elem, nc * elem, &got)) return LS_ERR_NOMEM;
    *cap = got / elem;
    return LS_OK;
}

int ls__big_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    return ls__col_grow(arr, cap, need, elem);
}
