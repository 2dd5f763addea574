/*
 * intern.c — string interner: each distinct byte string gets a dense id in
 * first-seen order.  Strings live back to back in one blob with an offset
 * table (the layout the store writes to disk); lookups go through an
 * open-addressing table of (hash, id) kept at most half full.
 * put/find are O(1) expected; rehashing is amortised O(1).
 */
#include "core.h"

#define SEED 0x6c6f636b73746570ull /* "lockstep" */

void ls__intern_init(ls__intern *in) { memset(in, 0, sizeof *in); }

void ls__intern_free(ls__intern *in)
{
    ls__buf_free(&in->blob);
    ls__free(in->off);
    ls__free(in->slots);
    ls__free(in->slot_hash);
    memset(in, 0, sizeof *in);
}

static int rehash(ls__intern *in, size_t n_slots)
{
    uint32_t *slots = ls__calloc(n_slots, sizeof *slots);
    uint64_t *hashes = ls__malloc(n_slots * sizeof *hashes);
    if (!slots || !hashes) { ls__free(slots); ls__free(hashes); return LS_ERR_NOMEM; }
    size_t mask = n_slots - 1;
    for (size_t i = 0; i < in->n_slots; i++) {
        if (!in->slots[i]) continue;
        size_t j = in->slot_hash[i] & mask;
        while (slots[j]) j = (j + 1) & mask;
        slots[j] = in->slots[i];
        hashes[j] = in->slot_hash[i];
    }
    ls__free(in->slots);
    ls__free(in->slot_hash);
    in->slots = slots;
    in->slot_hash = hashes;
    in->n_slots = n_slots;
    return LS_OK;
}

static int ensure_offsets(ls__intern *in)
{
    if (!in->off) {
        void *p = NULL;
        size_t cap = 0;
        if (ls__grow(&p, &cap, 1024, sizeof(uint64_t))) return LS_ERR_NOMEM;
        in->off = p;
        in->off_cap = cap;
        in->off[0] = 0;
    }
    return LS_OK;
}

uint32_t ls__intern_find(const ls__intern *in, ls__str s)
{
    if (!in->n_slots) return LS__NONE;
    uint64_t h = ls__hash64(s.p, s.n, SEED);
    size_t mask = in->n_slots - 1, j = h & mask;
    while (in->slots[j]) {
        if (in->slot_hash[j] == h) {
            uint32_t id = in->slots[j] - 1;
            if (ls__str_eq(ls__intern_get(in, id), s)) return id;
        }
        j = (j + 1) & mask;
    }
    return LS__NONE;
}

int ls__intern_put(ls__intern *in, ls__str s, uint32_t *out)
{
    int st;
    if ((st = ensure_offsets(in))) return st;
    if ((in->n + 1) * 2 > in->n_slots && (st = rehash(in, in->n_slots ? in->n_slots * 2 : 1024)))
        return st;
    uint64_t h = ls__hash64(s.p, s.n, SEED);
    size_t mask = in->n_slots - 1, j = h & mask;
    while (in->slots[j]) {
        if (in->slot_hash[j] == h) {
            uint32_t id = in->slots[j] - 1;
            if (ls__str_eq(ls__intern_get(in, id), s)) { *out = id; return LS_OK; }
        }
        j = (j + 1) & mask;
    }
    if (in->n >= (size_t)UINT32_MAX - 2) return LS_ERR_LIMIT;
    void *p = in->off;
    if ((st = ls__grow(&p, &in->off_cap, in->n + 2, sizeof(uint64_t)))) return st;
    in->off = p;
    if ((st = ls__buf_put(&in->blob, s.p, s.n))) return st;
    in->off[in->n + 1] = in->blob.n;
    uint32_t id = (uint32_t)in->n++;
    in->slots[j] = id + 1;
    in->slot_hash[j] = h;
    *out = id;
    return LS_OK;
}
