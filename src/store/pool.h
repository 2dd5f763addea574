/*
 * pool.h — the builder's string pool (private to src/store): each distinct
 * byte string of a namespace gets a dense id in first-seen order; the
 * strings sit back to back in one blob with an offset table, the layout
 * the store writes to disk.
 *
 * It differs from core's ls__intern where ingest needs speed: a slot is
 * one 64-bit word holding 32 bits of the hash and the id, so a probe
 * touches one cache line and a miss never reads the string; the table can
 * be sized in advance (ls__pool_reserve) so that the big namespaces (post
 * ids, texts) do not rehash again and again; and large arrays are marked
 * for transparent huge pages, which cuts the page faults of a multi-GB
 * ingest by a factor of 512.
 */
#ifndef LS_STORE_POOL_H
#define LS_STORE_POOL_H

#include "../core/core.h"

typedef struct ls__pool {
    ls__buf blob;          /* all strings back to back */
    uint64_t *off;         /* n+1 offsets into blob */
    size_t n, off_cap;
    uint64_t *slot;        /* (hash >> 32) << 32 | (id + 1); 0 = empty */
    size_t mask;           /* slots - 1 (0 before the first put) */
} ls__pool;

void ls__pool_init(ls__pool *p);
void ls__pool_free(ls__pool *p);
/* Makes room for n strings of bytes bytes in all without regrowing. */
int  ls__pool_reserve(ls__pool *p, size_t n, size_t bytes);
/* Id of s, adding it if new.  LS_ERR_NOMEM, or LS_ERR_LIMIT past 2^32-2. */
int  ls__pool_put(ls__pool *p, ls__str s, uint32_t *out);
/* Id of s or LS__NONE. */
uint32_t ls__pool_find(const ls__pool *p, ls__str s);
static inline ls__str ls__pool_get(const ls__pool *p, uint32_t id)
{
    ls__str r = { p->blob.p + p->off[id], (size_t)(p->off[id + 1] - p->off[id]) };
    return r;
}
/* Asks the kernel for huge pages on the interior of a large allocation
 * (a hint: nothing changes when it is refused). */
void ls__hugepage_hint(void *p, size_t bytes);

#endif /* LS_STORE_POOL_H */
