/*
 * pool.h — the builder's string pool (private to src/store): each distinct
 * byte string of a namespace gets a dense id in first-seen order; the
 * strings sit back to back in one blob with an offset table, the layout
 * the store writes to disk.
 *
 * It differs from core's ls__intern where ingest needs speed: a slot holds
 * a tag or key and the id, so a probe touches one cache line and a miss
 * never reads the string; in a wide pool (ls__pool_wide: post and account
 * ids and the other namespaces of short strings) a slot is 16 bytes and a
 * short string (up to 8 bytes, or a number of up to 19 digits) is its own
 * key, so that a hit never reads it either (pool.c); the table can
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

/* A slot of a wide pool: key (the string packed, or its XXH3-64), meta
 * (LS__POOL_EXACT and the length for a packed key, else the length), id + 1
 * (0 = empty).  A slot of a narrow pool is one 64-bit word: the tag (the
 * top 32 bits of the mixed key, whose low bits are also the home slot) and
 * id + 1; a tag match is confirmed by comparing the bytes. */
typedef struct { uint64_t key; uint32_t meta, id1; } ls__pslot;
#define LS__POOL_EXACT 0x80000000u

typedef struct ls__pool {
    ls__buf blob;          /* the strings from byte `base` on, back to back */
    uint64_t base;         /* bytes before blob: in the spill file */
    uint64_t *off;         /* n+1 offsets into the whole blob (file + blob) */
    size_t n, off_cap;
    void *slot;            /* the hash index: ls__pslot (wide) or uint64_t */
    int wide;              /* 16-byte slots with exact keys (ls__pool_wide) */
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
    /* freezing: off while freeze_at is 0 */
    size_t freeze_at;      /* bytes of slots and offsets the index may reach */
    int frozen;            /* 1: the index no longer grows (ls__pool_freeze) */
} ls__pool;

/* What a frozen pool gives a string it does not hold: a provisional id,
 * which the builder resolves once the input is read (builder_freeze.c).
 * Real ids stay below UINT32_MAX - 2, and LS__NONE is UINT32_MAX. */
#define LS__PROV (UINT32_MAX - 1)

void ls__pool_init(ls__pool *p);
/* Makes p a wide pool (before the first put): 16-byte slots, and short
 * strings found without reading them; worth it where most strings are
 * short and lookups mostly hit (ids), not for texts or URLs, where it
 * would only double the slots' memory. */
void ls__pool_wide(ls__pool *p);
void ls__pool_free(ls__pool *p);
/* Lets the pool spill to an unlinked file in dir once its blob holds at
 * bytes (0 never).  dir must outlive the pool.  From then on put and
 * put_h can fail with LS_ERR_IO (p->err holds the errno). */
void ls__pool_spill(ls__pool *p, const char *dir, size_t at);
/* Lets the pool's index (hash slots and string offsets) grow up to about
 * at bytes (0: no limit).  When it would grow past that, the pool
 * freezes instead: the strings it holds keep their ids, and a put of a
 * string it does not hold adds nothing and gives LS__PROV, for the
 * caller to record (xdedup.h).  So a frozen pool's memory stops growing
 * whatever the input size. */
void ls__pool_freeze_at(ls__pool *p, size_t at);
/* Bytes of all strings, spilled or not. */
static inline uint64_t ls__pool_bytes(const ls__pool *p) { return p->base + p->blob.n; }
/* Makes room for n strings of bytes bytes in all without regrowing. */
int  ls__pool_reserve(ls__pool *p, size_t n, size_t bytes);
/* Id of s, adding it if new.  LS_ERR_NOMEM, or LS_ERR_LIMIT past 2^32-2. */
int  ls__pool_put(ls__pool *p, ls__str s, uint32_t *out);
/* The key put and find use (see ls__pslot): callers that can compute it
 * early (on the parser thread) pass it to ls__pool_put_h and prefetch the
 * slot with ls__pool_prefetch a few records ahead, so that the slot's
 * cache miss overlaps other work. */
uint64_t ls__pool_hash(ls__str s);
/* 1 if s is a canonical decimal number of 9 to 19 digits (no leading
 * zero), which the key holds exactly as its value. */
static inline int ls__pool_numeric(ls__str s)
{
    if (s.n < 9 || s.n > 19 || s.p[0] < '1' || s.p[0] > '9') return 0;
    for (size_t i = 1; i < s.n; i++)
        if (s.p[i] < '0' || s.p[i] > '9') return 0;
    return 1;
}
static inline uint32_t ls__pool_meta(ls__str s)
{
    uint32_t n = (uint32_t)(s.n & 0x7FFFFFFFu);
    return s.n <= 8 || ls__pool_numeric(s) ? LS__POOL_EXACT | n : n;
}
/* The tag of key k (a multiplicative mix, because packed keys, ids that
 * count up, are far from uniform) and where its probe starts (its low
 * bits).  The high half of k is folded in before the multiplication:
 * bit i of a product depends only on bits 0..i of k, so without the fold
 * the home slot of a table of 2^L slots ignored the key's bits from
 * 32 + L on, and the 8-byte strings that differ only in their last
 * characters ("user0001" ... "user9999") all started their probes in a
 * few slots. */
static inline uint32_t ls__pool_tag(uint64_t k)
{
    return (uint32_t)(((k ^ (k >> 29)) * 0x9E3779B97F4A7C15ull) >> 32);
}
static inline size_t ls__pool_home(uint64_t k, size_t mask) { return (size_t)ls__pool_tag(k) & mask; }
/* Slot j: its id + 1 (0: empty), and whether it holds the string of key k
 * and meta m: 0 no, 1 yes, 2 if the bytes are the same. */
static inline uint32_t ls__pool_slot_id1(const ls__pool *p, size_t j)
{
    return p->wide ? ((const ls__pslot *)p->slot)[j].id1 : (uint32_t)((const uint64_t *)p->slot)[j];
}
static inline int ls__pool_slot_match(const ls__pool *p, size_t j, uint64_t k, uint32_t m)
{
    if (!p->wide) return (uint32_t)(((const uint64_t *)p->slot)[j] >> 32) == ls__pool_tag(k) ? 2 : 0;
    const ls__pslot *e = &((const ls__pslot *)p->slot)[j];
    if (e->key != k || e->meta != m) return 0;
    return (m & LS__POOL_EXACT) ? 1 : 2;
}
int  ls__pool_put_h(ls__pool *p, ls__str s, uint64_t h, uint32_t *out);
/* Stage 0 fetches the slot of h; stage 1 (once that slot is cached) the
 * offset entry of the hashed string whose key matches, stage 2 (once that is
 * cached) the string's first bytes, which put compares on a hit.  A
 * pipeline runs the stages one record apart, so every miss of a lookup
 * overlaps the work on the records before it. */
static inline void ls__pool_prefetch(const ls__pool *p, uint64_t h, int stage)
{
    if (!p->slot) return;
    size_t j = ls__pool_home(h, p->mask);
    if (stage == 0) {
        __builtin_prefetch(p->wide ? (const void *)&((const ls__pslot *)p->slot)[j]
                                   : (const void *)&((const uint64_t *)p->slot)[j]);
        return;
    }
    for (int k = 0; k < 8 && ls__pool_slot_id1(p, j); k++, j = (j + 1) & p->mask) {
        /* The meta is not known here: a packed key with other meta is rare
         * and costs only a useless prefetch. */
        int hit = p->wide ? ((const ls__pslot *)p->slot)[j].key == h
                          : ls__pool_slot_match(p, j, h, 0) != 0;
        if (!hit) continue;
        if (p->wide && (((const ls__pslot *)p->slot)[j].meta & LS__POOL_EXACT)) return;
        uint32_t id = ls__pool_slot_id1(p, j) - 1;
        if (stage == 1) __builtin_prefetch(&p->off[id]);
        else if (p->off[id] >= p->base) __builtin_prefetch(p->blob.p + (p->off[id] - p->base));
        return;
    }
}
/* Id of s or LS__NONE. */
uint32_t ls__pool_find(const ls__pool *p, ls__str s);
/* Frees the hash index (12-24 bytes per string, 24-48 wide) once no more lookups are
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

/* Spill files: ls__spill_open and the others, core.h (src/core/spill.c). */

#endif /* LS_STORE_POOL_H */
