/*
 * pool.c — the builder's string pool (see pool.h).  Open addressing with
 * linear probing, at most half full; put and find are O(1) expected with
 * one cache line per probe plus the string compare on a tag match (a false
 * match needs equal 32-bit tags: about 1 in 4 billion probes).
 */
#include "pool.h"

#include <sys/mman.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#define SEED 0x6c6f636b73746570ull /* "lockstep" */
#define HUGE_MIN (4u << 20)

void ls__hugepage_hint(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    if (!p || bytes < HUGE_MIN) return;
    uintptr_t a = ((uintptr_t)p + (2u << 20) - 1) & ~(uintptr_t)((2u << 20) - 1);
    uintptr_t e = ((uintptr_t)p + bytes) & ~(uintptr_t)((2u << 20) - 1);
    if (e > a) madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
    (void)p; (void)bytes;
#endif
}

void ls__pool_init(ls__pool *p) { memset(p, 0, sizeof *p); }

void ls__pool_free(ls__pool *p)
{
    ls__buf_free(&p->blob);
    ls__free(p->off);
    ls__free(p->slot);
    memset(p, 0, sizeof *p);
}

/* The top 32 bits of XXH3-64: both the tag kept in the slot and the
 * start of the probe sequence. */
static inline uint64_t hash_hi(ls__str s) { return XXH3_64bits_withSeed(s.p, s.n, SEED) >> 32; }

static int rehash(ls__pool *p, size_t n_slots)
{
    uint64_t *slot = ls__calloc(n_slots, sizeof *slot);
    if (!slot) return LS_ERR_NOMEM;
    ls__hugepage_hint(slot, n_slots * sizeof *slot);
    size_t mask = n_slots - 1;
    /* The tag is also where the probe starts, so entries move without
     * touching their strings. */
    for (size_t i = 0; p->slot && i <= p->mask; i++) {
        uint64_t v = p->slot[i];
        if (!v) continue;
        size_t j = (size_t)(v >> 32) & mask;
        while (slot[j]) j = (j + 1) & mask;
        slot[j] = v;
    }
    ls__free(p->slot);
    p->slot = slot;
    p->mask = mask;
    return LS_OK;
}

static int grow_off(ls__pool *p, size_t need)
{
    if (need <= p->off_cap) return LS_OK;
    void *q = p->off;
    if (ls__grow(&q, &p->off_cap, need, sizeof *p->off)) return LS_ERR_NOMEM;
    p->off = q;
    ls__hugepage_hint(p->off, p->off_cap * sizeof *p->off);
    return LS_OK;
}

static int grow_blob(ls__pool *p, size_t need)
{
    if (need <= p->blob.cap) return LS_OK;
    void *q = p->blob.p;
    if (ls__grow(&q, &p->blob.cap, need, 1)) return LS_ERR_NOMEM;
    p->blob.p = q;
    ls__hugepage_hint(p->blob.p, p->blob.cap);
    return LS_OK;
}

int ls__pool_reserve(ls__pool *p, size_t n, size_t bytes)
{
    size_t slots = 1024;
    while (slots < 2 * n) slots *= 2;
    if (slots > p->mask + 1 || !p->slot) {
        int st = rehash(p, slots);
        if (st) return st;
    }
    if (grow_off(p, n + 1) || grow_blob(p, bytes + 1)) return LS_ERR_NOMEM;
    if (p->n == 0) p->off[0] = 0;
    return LS_OK;
}

uint32_t ls__pool_find(const ls__pool *p, ls__str s)
{
    if (!p->slot) return LS__NONE;
    uint64_t h = hash_hi(s), tag = h << 32;
    size_t j = (size_t)h & p->mask;
    for (uint64_t v; (v = p->slot[j]); j = (j + 1) & p->mask) {
        if ((v & 0xFFFFFFFF00000000ull) != tag) continue;
        uint32_t id = (uint32_t)(v & 0xFFFFFFFFu) - 1;
        if (ls__str_eq(ls__pool_get(p, id), s)) return id;
    }
    return LS__NONE;
}

int ls__pool_put(ls__pool *p, ls__str s, uint32_t *out)
{
    int st;
    if (!p->slot || (p->n + 1) * 2 > p->mask + 1) {
        if ((st = ls__pool_reserve(p, p->slot ? p->n * 2 + 2 : 512, p->blob.n))) return st;
    }
    uint64_t h = hash_hi(s), tag = h << 32;
    size_t j = (size_t)h & p->mask;
    for (uint64_t v; (v = p->slot[j]); j = (j + 1) & p->mask) {
        if ((v & 0xFFFFFFFF00000000ull) != tag) continue;
        uint32_t id = (uint32_t)(v & 0xFFFFFFFFu) - 1;
        if (ls__str_eq(ls__pool_get(p, id), s)) { *out = id; return LS_OK; }
    }
    if (p->n >= (size_t)UINT32_MAX - 2) return LS_ERR_LIMIT;
    if (grow_off(p, p->n + 2) || grow_blob(p, p->blob.n + s.n + 1)) return LS_ERR_NOMEM;
    if (s.n) memcpy(p->blob.p + p->blob.n, s.p, s.n);
    p->blob.n += s.n;
    p->off[p->n + 1] = p->blob.n;
    uint32_t id = (uint32_t)p->n++;
    p->slot[j] = tag | ((uint64_t)id + 1);
    *out = id;
    return LS_OK;
}
