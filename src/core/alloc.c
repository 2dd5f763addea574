/*
 * alloc.c — the one allocation entry point of the library.  Everything
 * allocates through here so that tests can make the k-th allocation fail
 * and check that every caller cleans up and reports LS_ERR_NOMEM.
 */
#include "core.h"
#include <stdlib.h>

static uint64_t fail_after; /* 0 = never fail; test hook only */

static int should_fail(void)
{
    if (fail_after == 0) return 0;
    if (--fail_after == 0) return 1;
    return 0;
}

void ls__alloc_fail_after(uint64_t k) { fail_after = k; }

void *ls__malloc(size_t n) { return should_fail() ? NULL : malloc(n ? n : 1); }
void *ls__calloc(size_t n, size_t size) { return should_fail() ? NULL : calloc(n ? n : 1, size ? size : 1); }
void *ls__realloc(void *p, size_t n) { return should_fail() ? NULL : realloc(p, n ? n : 1); }
void  ls__free(void *p) { free(p); }

char *ls__strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = ls__malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

/* Doubling growth keeps appends amortised O(1). */
int ls__grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return LS_OK;
    size_t nc = *cap ? *cap : 16;
    while (nc < need) {
        if (nc > SIZE_MAX / 2 / elem) return LS_ERR_NOMEM;
        nc *= 2;
    }
    void *p = ls__realloc(*arr, nc * elem);
    if (!p) return LS_ERR_NOMEM;
    *arr = p;
    *cap = nc;
    return LS_OK;
}
