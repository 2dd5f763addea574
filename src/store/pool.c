/*
 * pool.c — the builder's string pool (see pool.h).  Open addressing with
 * linear probing, at most two thirds full, so a probe sequence is mostly
 * one cache line and put and find are O(1) expected.  A narrow pool's slot
 * is 8 bytes, a 32-bit tag and the id: a tag match is confirmed by
 * comparing the bytes (a false match happens about once in 2^(32 -
 * log2 slots) probes, since the tag's low bits are the home slot).
 *
 * A wide pool's slot is 16 bytes (a 64-bit key, 32 bits of meta, the id),
 * four to a cache line, and short strings are their own key.  A string of at most 8 bytes is packed
 * into the key, and a canonical decimal number of up to 19 digits (no
 * leading zero) is its value; the meta word says so (top bit) and holds
 * the length.  Two such strings are equal exactly when key and meta are,
 * so a hit costs one slot and never reads the offsets or the bytes: post
 * ids (snowflakes and the like), short account ids and most hashtags are
 * found in one cache miss where they took three (slot, offset, bytes; the
 * last two were 40% of the builder's lookup time on 1M QUT rows).  Any
 * other string's key is its XXH3-64 and its meta its length, and a match
 * is confirmed by comparing the bytes, so no two strings are ever taken
 * for one.
 *
 * A spilling pool (ls__pool_spill) moves its blob to the spill file every
 * spill_at bytes; the offsets stay absolute, so a string is in the file
 * when its offset is below base and in the blob otherwise (a string is
 * never split: the whole blob goes out at once).
 *
 * Also here: the allocation of the builder's large columns on huge pages
 * (ls__col_bytes, ls__col_resize, ls__col_grow; see pool.h).
 */
#include "pool.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#define SEED 0x6c6f636b73746570ull /* "lockstep" */

/* The cache of spilled strings read back: HOT entries, id modulo HOT,
 * strings up to HOT_MAX bytes (longer ones go through scratch).  At most
 * HOT * HOT_MAX bytes a pool, about 2-3 MB for tweet texts.  In the
 * scale-1 simulator output it turned 179,334 reads of spilled texts in
 * the first 3 million rows into 14,243 (retweets of popular posts). */
#define HOT ((size_t)1 << 14)
#define HOT_MAX ((size_t)1024)
/* Bytes read from a spilled string on (at least HOT_MAX). */
#define WIN ((size_t)16384)

struct ls__pool_hot {
    uint32_t id1;          /* id + 1, 0 = empty */
    char *p;               /* HOT_MAX bytes once used */
};

void ls__pool_init(ls__pool *p)
{
    memset(p, 0, sizeof *p);
    p->fd = -1;
}

void ls__pool_wide(ls__pool *p)
{
    if (!p->slot) p->wide = 1;
}

static inline size_t slot_size(const ls__pool *p) { return p->wide ? sizeof(ls__pslot) : sizeof(uint64_t); }

/* Stores key k (meta m) with id in slot j of table t. */
static inline void slot_set(const ls__pool *p, void *t, size_t j, uint64_t k, uint32_t m, uint32_t id)
{
    if (p->wide) ((ls__pslot *)t)[j] = (ls__pslot){ k, m, id + 1 };
    else ((uint64_t *)t)[j] = (uint64_t)ls__pool_tag(k) << 32 | ((uint64_t)id + 1);
}

void ls__pool_free(ls__pool *p)
{
    ls__buf_free(&p->blob);
    ls__buf_free(&p->scratch);
    ls__buf_free(&p->win);
    for (size_t i = 0; p->hot && i < HOT; i++) ls__free(p->hot[i].p);
    ls__free(p->hot);
    ls__free(p->off);
    ls__free(p->slot);
    if (p->fd >= 0) close(p->fd);
    ls__pool_init(p);
}

void ls__pool_spill(ls__pool *p, const char *dir, size_t at)
{
    p->spill_dir = dir;
    p->spill_at = at;
}

ls__str ls__pool_get_spilled(const ls__pool *cp, uint32_t id)
{
    /* The scratch buffer is the only state a lookup changes; pools are
     * never defined const, so dropping the qualifier here is sound. */
    ls__pool *p = (ls__pool *)(uintptr_t)cp;
    size_t n = (size_t)(p->off[id + 1] - p->off[id]);
    ls__str none = { "", 0 };
    if (n <= HOT_MAX && (p->hot || (p->hot = ls__calloc(HOT, sizeof *p->hot)))) {
        struct ls__pool_hot *e = &p->hot[id & (HOT - 1)];
        uint64_t at = p->off[id];
        if (e->id1 == id + 1) return (ls__str){ e->p, n };
        e->id1 = 0;
        if (!e->p && !(e->p = ls__malloc(HOT_MAX))) { p->err = ENOMEM; return none; }
        if (at < p->win_at || at + n > p->win_at + p->win.n) {
            /* Read WIN bytes from the string on: strings met again in
             * the order they were first seen (a file appended to the
             * store it is already in) then come one read per WIN bytes. */
            size_t m = (size_t)LS__MIN((uint64_t)WIN, p->base - at);
            if (!p->win.p && !(p->win.p = ls__malloc(WIN))) { p->err = ENOMEM; return none; }
            p->win.n = 0;
            if (ls__spill_pread(p->fd, p->win.p, m, at)) { p->err = errno ? errno : EIO; return none; }
            p->win_at = at;
            p->win.n = m;
        }
        if (n) memcpy(e->p, p->win.p + (at - p->win_at), n);
        e->id1 = id + 1;
        return (ls__str){ e->p, n };
    }
    if (n > p->scratch.cap) {
        char *q = ls__realloc(p->scratch.p, n);
        if (!q) { p->err = ENOMEM; return none; }
        p->scratch.p = q;
        p->scratch.cap = n;
    }
    if (ls__spill_pread(p->fd, p->scratch.p, n, p->off[id])) { p->err = errno ? errno : EIO; return none; }
    p->scratch.n = n;
    return (ls__str){ p->scratch.p, n };
}

/* Moves the blob to the spill file (created on the first spill). */
static int spill(ls__pool *p)
{
    if (p->fd < 0 && ls__spill_open(p->spill_dir, &p->fd)) { p->err = errno ? errno : EIO; return LS_ERR_IO; }
    if (ls__spill_write(p->fd, p->blob.p, p->blob.n)) { p->err = errno ? errno : EIO; return LS_ERR_IO; }
    p->base += p->blob.n;
    p->blob.n = 0;
    return LS_OK;
}

/* The key of s (see the top of the file). */
static uint64_t key_of(ls__str s)
{
    uint64_t k = 0;
    if (s.n <= 8) {
        memcpy(&k, s.p, s.n);
        return k;
    }
    if (ls__pool_numeric(s)) {
        for (size_t i = 0; i < s.n; i++) k = k * 10 + (uint64_t)(s.p[i] - '0');
        return k;
    }
    return XXH3_64bits_withSeed(s.p, s.n, SEED);
}

/* Columns below BIG stay on the heap (ls__col_bytes, bigmem.c). */
#define BIG ((size_t)4 << 20)
/* Bytes of old slots moved between two page releases in rehash. */
#define GIVE_BYTES ((size_t)2 << 20)

/* Id + 1 of slot i of table t, and where that entry's probe starts in a
 * table of mask + 1 slots (from the stored key or tag: no string read). */
static inline uint32_t id1_at(const ls__pool *p, const void *t, size_t i)
{
    return p->wide ? ((const ls__pslot *)t)[i].id1 : (uint32_t)((const uint64_t *)t)[i];
}
static inline size_t home_at(const ls__pool *p, const void *t, size_t i, size_t mask)
{
    return p->wide ? ls__pool_home(((const ls__pslot *)t)[i].key, mask)
                   : (size_t)(((const uint64_t *)t)[i] >> 32) & mask;
}

static int rehash(ls__pool *p, size_t n_slots)
{
    size_t ssz = slot_size(p);
    size_t bytes = ls__col_bytes(n_slots * ssz);
    char *slot = ls__calloc(bytes, 1);
    if (!slot) return LS_ERR_NOMEM;
    ls__big_hint(slot, bytes);
    size_t mask = n_slots - 1;
    /* The key gives where the probe starts, so entries move without
     * touching their strings.  Old slot i moves to new slot i or i + old
     * size (give or take a probe), so the new table's pages are touched
     * front to front as the old one is read; the old table's pages are
     * given back every 2 MiB read (madvise on a calloc'd block of at least
     * 4 MiB, which is its own mapping and is freed right after), so the
     * two tables together never hold much more than the new one.  Without
     * that, growing the post id table of the scale-1 simulator output
     * (128 -> 256 MB) set the peak of the whole ingest. */
    size_t old_bytes = p->slot ? (p->mask + 1) * ssz : 0, given = 0, give = GIVE_BYTES / ssz;
    const char *old = p->slot;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    for (size_t i = 0; old && i <= p->mask; i++) {
        if (id1_at(p, old, i)) {
            size_t j = home_at(p, old, i, mask);
            while (id1_at(p, slot, j)) j = (j + 1) & mask;
            memcpy(slot + j * ssz, old + i * ssz, ssz);
        }
        if (old_bytes >= BIG && ((i + 1) & (give - 1)) == 0) {
            uintptr_t a = ((uintptr_t)(old + given * ssz) + page - 1) & ~(page - 1);
            uintptr_t e = (uintptr_t)(old + (i + 1) * ssz) & ~(page - 1);
            if (e > a) (void)madvise((void *)a, e - a, MADV_DONTNEED);
            given = i + 1;
        }
    }
    /* After ls__pool_drop_index the strings are indexed again from
     * scratch (only if the pool is used after the store was written). */
    for (size_t id = 0; !old && id < p->n; id++) {
        ls__str str = ls__pool_get(p, (uint32_t)id);
        uint64_t k = key_of(str);
        size_t j = ls__pool_home(k, mask);
        while (id1_at(p, slot, j)) j = (j + 1) & mask;
        slot_set(p, slot, j, k, ls__pool_meta(str), (uint32_t)id);
    }
    ls__free(p->slot);
    p->slot = slot;
    p->mask = mask;
    return LS_OK;
}

static int grow_off(ls__pool *p, size_t need)
{
    return ls__col_grow((void **)&p->off, &p->off_cap, need, sizeof *p->off);
}

static int grow_blob(ls__pool *p, size_t need)
{
    return ls__col_grow((void **)&p->blob.p, &p->blob.cap, need, 1);
}

void ls__pool_freeze_at(ls__pool *p, size_t at) { p->freeze_at = at; }

/* Bytes of the index with `slots` slots once it is 2/3 full: the slots
 * and an offset per string. */
static size_t index_bytes(const ls__pool *p, size_t slots)
{
    return slots * slot_size(p) + slots / 3 * 2 * sizeof(uint64_t);
}

int ls__pool_reserve(ls__pool *p, size_t n, size_t bytes)
{
    size_t slots = 1024;
    while (slots * 2 < 3 * n) slots *= 2;     /* at most 2/3 full */
    /* A pool with a budget never reserves past it (a size hint asking
     * for more gets what fits; ls__pool_put_h freezes the pool when the
     * strings themselves need more). */
    while (p->freeze_at && slots > 1024 && slots > p->mask + 1 && index_bytes(p, slots) > p->freeze_at) {
        slots /= 2;
        if (n > slots / 3 * 2) n = slots / 3 * 2;
    }
    if (p->frozen) return LS_OK;
    if (slots > p->mask + 1 || !p->slot) {
        int st = rehash(p, slots);
        if (st) return st;
    }
    /* A spilling pool never holds much more than spill_at bytes. */
    if (p->spill_at && bytes > p->spill_at) bytes = p->spill_at;
    if (grow_off(p, n + 1) || grow_blob(p, bytes + 1)) return LS_ERR_NOMEM;
    if (p->n == 0) p->off[0] = 0;
    return LS_OK;
}

uint64_t ls__pool_hash(ls__str s) { return key_of(s); }

void ls__pool_drop_index(ls__pool *p)
{
    ls__free(p->slot);
    p->slot = NULL;
    p->mask = 0;
}

uint32_t ls__pool_find(const ls__pool *p, ls__str s)
{
    if (!p->slot) {
        /* No index (never built, or dropped): a scan, which only a pool
         * used after its store was written ever needs. */
        for (size_t id = 0; id < p->n; id++)
            if (ls__str_eq(ls__pool_get(p, (uint32_t)id), s)) return (uint32_t)id;
        return LS__NONE;
    }
    uint64_t k = key_of(s);
    uint32_t meta = ls__pool_meta(s), id1;
    for (size_t j = ls__pool_home(k, p->mask); (id1 = ls__pool_slot_id1(p, j)); j = (j + 1) & p->mask) {
        int m = ls__pool_slot_match(p, j, k, meta);
        if (m == 1 || (m == 2 && ls__str_eq(ls__pool_get(p, id1 - 1), s))) return id1 - 1;
    }
    return LS__NONE;
}

int ls__pool_put(ls__pool *p, ls__str s, uint32_t *out)
{
    return ls__pool_put_h(p, s, key_of(s), out);
}

int ls__pool_put_h(ls__pool *p, ls__str s, uint64_t h, uint32_t *out)
{
    int st;
    if (!p->frozen && (!p->slot || (p->n + 1) * 3 > (p->mask + 1) * 2)) {
        /* Room for one more string: the slots double, so a table is 1/3
         * to 2/3 full, 12-24 bytes a string (24-48 wide); a pool whose
         * doubled index would pass its budget freezes instead. */
        if (p->freeze_at && index_bytes(p, p->slot ? (p->mask + 1) * 2 : 1024) > p->freeze_at) p->frozen = 1;
        else if ((st = ls__pool_reserve(p, p->n + 1 > 512 ? p->n + 1 : 512, p->blob.n))) return st;
    }
    /* Frozen before its first string (a budget below the smallest
     * index, as tests set it): every string is provisional. */
    if (!p->slot) { *out = LS__PROV; return LS_OK; }
    uint32_t meta = ls__pool_meta(s), id1;
    size_t j = ls__pool_home(h, p->mask);
    for (; (id1 = ls__pool_slot_id1(p, j)); j = (j + 1) & p->mask) {
        int m = ls__pool_slot_match(p, j, h, meta);
        if (!m) continue;
        uint32_t id = id1 - 1;
        if (m == 1 || ls__str_eq(ls__pool_get(p, id), s)) { *out = id; return LS_OK; }
        if (p->err == ENOMEM) { p->err = 0; return LS_ERR_NOMEM; }   /* no scratch room */
        if (p->err) return LS_ERR_IO;   /* a spilled string could not be read */
    }
    if (p->frozen) { *out = LS__PROV; return LS_OK; }
    if (p->n >= (size_t)UINT32_MAX - 2) return LS_ERR_LIMIT;
    if (grow_off(p, p->n + 2) || grow_blob(p, p->blob.n + s.n + 1)) return LS_ERR_NOMEM;
    if (s.n) memcpy(p->blob.p + p->blob.n, s.p, s.n);
    p->blob.n += s.n;
    p->off[p->n + 1] = p->base + p->blob.n;
    uint32_t id = (uint32_t)p->n++;
    slot_set(p, p->slot, j, h, meta, id);
    *out = id;
    if (p->spill_at && p->blob.n >= p->spill_at) return spill(p);
    return LS_OK;
}
