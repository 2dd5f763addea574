/*
 * unionfind.c — disjoint sets over dense ids with path halving; the root
 * of a set is always its smallest id, so results never depend on the
 * order of the unions (LSH clusters, cluster merging).
 */
#include "core.h"

uint32_t ls__uf_find(uint32_t *p, uint32_t x)
{
    while (p[x] != x) { p[x] = p[p[x]]; x = p[x]; }
    return x;
}

void ls__uf_union(uint32_t *p, uint32_t a, uint32_t b)
{
    a = ls__uf_find(p, a); b = ls__uf_find(p, b);
    if (a == b) return;
    if (a < b) p[b] = a; else p[a] = b;
}
