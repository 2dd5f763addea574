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
 *
 * A pool can spill (ls__pool_spill): once its blob holds spill_at bytes,
 * they are appended to an unlinked temporary file and the blob starts
 * again empty, so only the newest strings, the offsets and the hash slots
 * stay in memory.  Ids are first-seen and the blob is append-only, so a
 * spilled byte never changes; a lookup whose tag matches a spilled string
 * reads it back with pread, and the store writer copies the file.  The
 * strings read back are kept in a small direct-mapped cache by id: the
 * strings that are hit again and again long after they were first seen
 * (the text of a popular post's retweets) then cost one read, not one
 * read a hit; and a read takes 16 KiB from the string on, so strings met
 * again in their first-seen order cost one read per 16 KiB.
 */
#ifndef LS_STORE_POOL_H
#define LS_STORE_POOL_H

#include "../core/core.h"

typedef struct ls__pool {
    ls__buf blob;          /* the strings from byte `base` on, back to back */
    uint64_t base;         /* bytes before blob: in the spill file */
    uint64_t *off;         /* n+1 offsets into the whole blob (file + blob) */
    size_t n, off_cap;
    uint64_t *slot;        /* (hash >> 32) << 32 | (id + 1); 0 = empty */
    size_t mask;           /* slots - 1 (0 before the first put) */
    /* spilling: off while spill_at is 0 */
    size_t spill_at;       /* blob bytes that make the pool spill */
    const char *spill_dir; /* where the file is created (not owned) */
    int fd;                /* the spill file, -1 before the first spill */
    int err;               /* errno of a failed spill write or read, else 0 */
    ls__buf scratch;       /* a long spilled string read back by ls__pool_get */
    struct ls__pool_hot *hot; /* spilled strings read back lately, by id */
    ls__buf win;           /* spilled bytes from win_at on, read ahead */
    uint64_t win_at;
} ls__pool;

void ls__pool_init(ls__pool *p);
void ls__pool_free(ls__pool *p);
/* Lets the pool spill to an unlinked file in dir once its blob holds at
 * bytes (0 never).  dir must outlive the pool.  From then on put and
 * put_h can fail with LS_ERR_IO (p->err holds the errno). */
void ls__pool_spill(ls__pool *p, const char *dir, size_t at);
/* Bytes of all strings, spilled or not. */
static inline uint64_t ls__pool_bytes(const ls__pool *p) { return p->base + p->blob.n; }
/* Makes room for n strings of bytes bytes in all without regrowing. */
int  ls__pool_reserve(ls__pool *p, size_t n, size_t bytes);
/* Id of s, adding it if new.  LS_ERR_NOMEM, or LS_ERR_LIMIT past 2^32-2. */
int  ls__pool_put(ls__pool *p, ls__str s, uint32_t *out);
/* The hash put and find use (32 bits of XXH3-64): callers that can
 * compute it early (on the parser thread) pass it to ls__pool_put_h and
 * prefetch the slot with ls__pool_prefetch a few records ahead, so that
 * the slot's cache miss overlaps other work. */
uint64_t ls__pool_hash(ls__str s);
int  ls__pool_put_h(ls__pool *p, ls__str s, uint64_t h, uint32_t *out);
/* Stage 0 fetches the slot of h; stage 1 (once that slot is cached) the
 * offset entry of the string whose tag matches, stage 2 (once that is
 * cached) the string's first bytes, which put compares on a hit.  A
 * pipeline runs the stages one record apart, so every miss of a lookup
 * overlaps the work on the records before it. */
static inline void ls__pool_prefetch(const ls__pool *p, uint64_t h, int stage)
{
    if (!p->slot) return;
    size_t j = (size_t)h & p->mask;
    if (stage == 0) { __builtin_prefetch(&p->slot[j]); return; }
    uint64_t tag = h << 32, v;
    for (int k = 0; k < 8 && (v = p->slot[j]); k++, j = (j + 1) & p->mask) {
        if ((v & 0xFFFFFFFF00000000ull) != tag) continue;
        uint32_t id = (uint32_t)(v & 0xFFFFFFFFu) - 1;
        if (stage == 1) __builtin_prefetch(&p->off[id]);
        else if (p->off[id] >= p->base) __builtin_prefetch(p->blob.p + (p->off[id] - p->base));
        return;
    }
}
/* Id of s or LS__NONE. */
uint32_t ls__pool_find(const ls__pool *p, ls__str s);
/* Frees the hash index (16 bytes per string) once no more lookups are
 * coming, to lower the peak memory of writing the store; a later put
 * rebuilds it, a later find scans. */
void ls__pool_drop_index(ls__pool *p);
/* String id.  A spilled string is read into the pool's cache or scratch
 * buffer: the result is valid until the next ls__pool_get of the same
 * pool (a failed read gives an empty string and sets p->err). */
ls__str ls__pool_get_spilled(const ls__pool *p, uint32_t id);
static inline ls__str ls__pool_get(const ls__pool *p, uint32_t id)
{
    if (p->off[id] < p->base) return ls__pool_get_spilled(p, id);
    ls__str r = { p->blob.p + (p->off[id] - p->base), (size_t)(p->off[id + 1] - p->off[id]) };
    return r;
}

/* Spill files (builder_spill.c): an unlinked temporary file in dir
 * (never visible under a name once this returns), whole writes and
 * reads.  They return LS_OK or LS_ERR_IO with errno set. */
int ls__spill_open(const char *dir, int *fd);
int ls__spill_write(int fd, const void *p, size_t n);
int ls__spill_pread(int fd, void *p, size_t n, uint64_t off);

/* Large columns of the builder (pool blobs, offsets, slots, event and
 * list columns) live on transparent huge pages.  On this VM every 4 KiB
 * page fault and TLB miss is expensive: writing the store from 4 KiB
 * pages alone ran at 450 MB/s against 4 GB/s from huge pages.  Huge pages
 * need 2 MiB-aligned mappings, so a column of 4 MiB or more is its own
 * glibc mapping of an exact multiple of 2 MiB (which the kernel places on
 * a 2 MiB boundary, and which mremap keeps on one as the column grows),
 * at least 34 MiB of address space (above glibc's dynamic mmap
 * threshold; untouched pages cost no memory).  ls__col_bytes gives the
 * size to allocate for bytes; ls__col_resize moves *arr (old_bytes of
 * content) to a block of at least new_bytes (*got gets its size);
 * ls__col_grow is ls__grow for such columns (*cap may exceed the
 * doubling). */
size_t ls__col_bytes(size_t bytes);
int ls__col_resize(void **arr, size_t old_bytes, size_t new_bytes, size_t *got);
int ls__col_grow(void **arr, size_t *cap, size_t need, size_t elem);

#endif /* LS_STORE_POOL_H */
