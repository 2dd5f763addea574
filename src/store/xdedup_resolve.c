/*
 * xdedup_resolve.c — the resolution of one partition of the on-disk
 * interner (see xdedup.h): which occurrences are the first of their
 * string, and, for every other occurrence, which earlier string of the
 * table pass it is (counted back in distinct strings: a small number
 * for a string seen lately), and whether it is a repeated EVENT (DUP).
 * The ids come later (xdedup_assign.c).
 *
 * A partition is read once, in occurrence order, through an open-
 * addressing table of its distinct strings (24 bytes a slot, at most two
 * thirds full): a slot holds the string's hash, its number among the
 * pass's distinct strings (with "seen as an EVENT" and "long" bits) and
 * where its bytes are.  Strings up to LONG bytes are copied into an arena; longer ones are
 * appended to the work file and compared from there a 64 KiB chunk at a
 * time, so one huge string costs a slot, not its length.  A hash match is
 * always confirmed byte by byte.  O(records + bytes) expected.
 *
 * Table and arena together stay within the budget.  When a partition's
 * distinct strings do not fit (the table stops as soon as that is clear,
 * having read no more than about a budget's worth), the partition is split
 * on other hash bits into up to 64 parts written to the work file along
 * with a tape of which record went where; each part is resolved the same
 * way (recursively, with a new hash seed per level, so a part that is
 * still too big splits again), and the parts' results are merged back
 * into the partition's order through that tape (a first occurrence stays
 * one, but a repeat's number then counts within its part: the tape, the
 * parts' results and their distinct counts stay in the work file, and a
 * small tree of the splits in memory, for the assignment of the ids).
 * All occurrences of a string stay in one part; a pass that was cut short
 * has its results thrown away.  Identical strings never need splitting (they
 * are one slot), so a part only stays too big if distinct strings keep
 * colliding in 64-bit hashes under new seeds, which MAX_DEPTH turns into
 * an error instead of a loop.
 */
#include "xdedup_impl.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <errno.h>
#include <unistd.h>

#define SEED 0x7864656475702100ull     /* "xdedup!" */
#define ENT_COST 48u                    /* bytes a distinct string costs in the table, on average */
#define MAX_FAN LS__XD_FAN                    /* parts of a split */
#define MAX_DEPTH 24u
#define CMP_CHUNK ((size_t)64 << 10)

/* A slot: the hash, the string's local number (its rank among the first
 * occurrences of this pass) with the flag bits, where its bytes are. */
typedef struct { uint64_t h, g, ref; } ent;
#define G_PACKED (1ull << 60)
#define G_USED (1ull << 61)
#define G_LONG (1ull << 62)
#define G_EV   (1ull << 63)
#define G_MASK (G_PACKED - 1)

/* The hash of a record's string at a level of splitting: of its payload,
 * with another seed for packed numbers (ls__xd_weak_hash: 4 values). */
static inline uint64_t hash_at(const ls__xd *x, const ls__xd_rec *rec, unsigned level)
{
    if (x->weak) return (uint64_t)(rec->len & 3) * 0x9E3779B97F4A7C15ull;
    return XXH3_64bits_withSeed(rec->s.p, rec->s.n, SEED + 2 * level + rec->packed);
}

/* Strings longer than this are kept in the work file, not the arena. */
static size_t long_at(const ls__xd *x)
{
    return LS__MAX(LS__MIN(x->budget / 16, (size_t)65535), (size_t)64);
}

/* 1 if the long string at work-file offset ref is s, 0 if not. */
static int same_long(ls__xd *x, uint64_t ref, ls__str s, int *st)
{
    uint64_t n;
    if ((*st = ls__spill_pread(x->work.fd, &n, sizeof n, ref))) return 0;
    if (n != s.n) return 0;
    if (!x->cmp && !(x->cmp = ls__malloc(CMP_CHUNK))) { *st = LS_ERR_NOMEM; return 0; }
    for (size_t at = 0; at < s.n;) {
        size_t m = LS__MIN(CMP_CHUNK, s.n - at);
        if ((*st = ls__spill_pread(x->work.fd, x->cmp, m, ref + 8 + at))) return 0;
        if (memcmp(x->cmp, s.p + at, m)) return 0;
        at += m;
    }
    return 1;
}

/* 1 if entry e holds the string of rec: same form (packed or not) and
 * the same payload bytes (a packed number's are its value). */
static inline int same(ls__xd *x, const ent *e, const ls__xd_rec *rec, int *st)
{
    ls__str s = rec->s;
    if (!(e->g & G_PACKED) != !rec->packed) return 0;
    if (e->g & G_LONG) return same_long(x, e->ref, s, st);
    return (e->ref & 0xFFFF) == s.n && memcmp(x->arena.p + (e->ref >> 16), s.p, s.n) == 0;
}

/* Makes the table hold slots entries and the arena up to want bytes,
 * both within the budget; *acap gets the arena bytes usable. */
static int scratch(ls__xd *x, size_t slots, uint64_t want, size_t *acap)
{
    size_t tb = slots * sizeof(ent);
    if (tb > x->tab_cap) {
        /* The arena goes first, so that the two never hold more than the
         * budget between them. */
        ls__buf_free(&x->arena);
        ls__free(x->tab);
        /* On huge pages where the kernel has them: the slots are read at
         * random, and a table of 24 MB (a partition of 100M post ids)
         * otherwise costs a TLB miss a lookup. */
        if (!(x->tab = ls__big_malloc(tb))) { x->tab_cap = 0; return LS_ERR_NOMEM; }
        x->tab_cap = tb;
    }
    size_t room = x->budget > x->tab_cap ? x->budget - x->tab_cap : 0;
    size_t a = (size_t)LS__MIN((uint64_t)room, want);
    if (a > x->arena.cap) {
        ls__buf_free(&x->arena);
        if (!(x->arena.p = ls__big_malloc(a))) return LS_ERR_NOMEM;
        x->arena.cap = a;
    }
    x->arena.n = 0;
    *acap = LS__MIN(room, x->arena.cap);
    memset(x->tab, 0, tb);
    return LS_OK;
}

/* Records decoded ahead of the one looked up, their slots prefetched. */
#define WIN 8u

/* One record through the table: its result to out; *over set (nothing
 * written) when it is new and does not fit. */
static int table_one(ls__xd *x, const ls__xd_rec *rec, uint64_t h, ls__xd_w *out,
                     size_t mask, size_t limit, size_t acap, uint64_t *d, uint64_t *b, int *over)
{
    ent *t = x->tab, *e;
    ls__str s = rec->s;
    size_t j = (size_t)h & mask, lmax = long_at(x);
    uint64_t back = 0;
    int st = LS_OK;
    for (;; j = (j + 1) & mask) {
        e = &t[j];
        if (!(e->g & G_USED)) break;
        if (e->h == h && same(x, e, rec, &st)) break;
        if (st) return st;
    }
    if (e->g & G_USED) {
        back = *d - (e->g & G_MASK);
    } else {
        if (*d + 1 > limit || (s.n <= lmax && x->arena.n + s.n > acap)) { *over = 1; return LS_OK; }
        if (s.n <= lmax) {
            memcpy(x->arena.p + x->arena.n, s.p, s.n);
            e->ref = (uint64_t)x->arena.n << 16 | s.n;
            e->g = *d | G_USED | (rec->packed ? G_PACKED : 0);
            x->arena.n += s.n;
        } else {
            uint64_t n = s.n;
            if ((st = ls__spill_pwrite(x->work.fd, &n, sizeof n, x->work.end)) ||
                (st = ls__spill_pwrite(x->work.fd, s.p, s.n, x->work.end + 8)))
                return st;
            e->ref = x->work.end;
            e->g = *d | G_USED | G_LONG;
            x->work.end += 8 + n;
        }
        e->h = h;
        ++*d;
        *b += rec->len;
    }
    unsigned dup = 0;
    if (rec->flags & LS__XD_EVENT) {
        if (e->g & G_EV) dup = LS__XD_DUP;
        e->g |= G_EV;
    }
    if ((st = ls__xd_w_varint(out, back << 3 | rec->flags | dup))) return st;
    return back ? LS_OK : ls__xd_w_varint(out, rec->len);
}

/* One pass over nrec records (bytes in all) through the table.  *over
 * is set (and the pass stops) when the distinct strings do not fit.
 * Records are decoded up to WIN ahead while they lie whole in the block
 * read, so that their slots are fetched while earlier ones are looked up
 * (a slot is a cache miss: the table of a partition of 20M post ids over
 * 256 partitions is 3 MB; resolving them took 1.65 s of CPU without, 1.1
 * with); a record across blocks waits until the window is empty, as
 * reading the next block would move the ones it holds. */
static int table_pass(ls__xd *x, ls__xd_r *in, uint64_t nrec, uint64_t bytes, unsigned level,
                      ls__xd_w *out, int *over, uint64_t *nd, uint64_t *nb)
{
    size_t max_slots = 16, slots = 16, acap;
    while (max_slots * 2 * sizeof(ent) <= x->budget / 2) max_slots *= 2;
    while (slots < max_slots && (uint64_t)slots * 2 < nrec * 3) slots *= 2;
    int st = scratch(x, slots, bytes, &acap);
    if (st) return st;
    size_t mask = slots - 1, limit = slots * 2 / 3;
    uint64_t d = 0, b = 0, read = 0, done = 0;
    ls__xd_rec rec = LS__XD_REC0, win[WIN];
    uint64_t wh[WIN];
    unsigned head = 0, n = 0;
    while (done < nrec) {
        while (n < WIN && read < nrec && ls__xd_r_peek_rec(in, &rec)) {
            unsigned k = (head + n++) % WIN;
            win[k] = rec;
            wh[k] = hash_at(x, &rec, level);
            __builtin_prefetch((const ent *)x->tab + (wh[k] & mask));
            read++;
        }
        if (n) {
            st = table_one(x, &win[head], wh[head], out, mask, limit, acap, &d, &b, over);
            head = (head + 1) % WIN;
            n--;
        } else {
            if ((st = ls__xd_r_rec(in, &rec))) return st;
            read++;
            st = table_one(x, &rec, hash_at(x, &rec, level), out, mask, limit, acap, &d, &b, over);
        }
        if (st || *over) return st;
        done++;
    }
    *nd += d;
    *nb += b;
    return LS_OK;
}

static int run(ls__xd *x, ls__xd_file *f, ls__xd_blk head, uint64_t nrec, uint64_t bytes,
               unsigned level, ls__xd_w *out, uint64_t *nd, uint64_t *nb, ls__xd_node **node);

/* The state of one split: the parts' data and result streams, the tape. */
struct split {
    ls__xd_w w[MAX_FAN], res[MAX_FAN], tape;
    ls__xd_r r[MAX_FAN];
    uint64_t prev[MAX_FAN], cnt[MAX_FAN], byt[MAX_FAN];
};

static void split_free(struct split *sp)
{
    if (!sp) return;
    for (unsigned q = 0; q < MAX_FAN; q++) {
        ls__xd_w_free(&sp->w[q]);
        ls__xd_w_free(&sp->res[q]);
        ls__xd_r_free(&sp->r[q]);
    }
    ls__xd_w_free(&sp->tape);
    ls__free(sp);
}

/* Splits the nrec records at head into parts by hash, resolves each part,
 * and merges their results into out in the records' order.  *node gets
 * what the ids' assignment (xdedup_assign.c) needs of the split: the
 * tape and each part's results, count and distinct strings, all of which
 * stay in the work file. */
static int split(ls__xd *x, ls__xd_file *f, ls__xd_blk head, uint64_t nrec, uint64_t bytes,
                 unsigned level, ls__xd_w *out, uint64_t *nd, uint64_t *nb, ls__xd_node **node)
{
    struct split *sp = ls__calloc(1, sizeof *sp);
    ls__xd_node *nd_ = ls__calloc(1, sizeof *nd_);
    ls__xd_r in, tape;
    ls__xd_rec rec = LS__XD_REC0;
    int st = LS_ERR_NOMEM;
    ls__xd_r_init(&in, f, head, x->k);
    ls__xd_r_init(&tape, &x->work, (ls__xd_blk){ 0, 0 }, x->k);
    if (!sp || !nd_) goto done;
    /* Parts of about half a budget each, by the upper bound (all records
     * distinct); repeats only make them smaller. */
    uint64_t need = nrec * ENT_COST + bytes, half = LS__MAX(x->budget / 2, (size_t)1);
    unsigned k = (unsigned)LS__MIN((need + half - 1) / half, (uint64_t)MAX_FAN);
    if (k < 2) k = 2;
    for (unsigned q = 0; q < k; q++) {
        ls__xd_w_init(&sp->w[q], &x->work, x->k);
        ls__xd_w_init(&sp->res[q], &x->work, x->k);
    }
    ls__xd_w_init(&sp->tape, &x->work, x->k);
    for (uint64_t i = 0; i < nrec; i++) {
        if ((st = ls__xd_r_rec(&in, &rec))) goto done;
        /* The high half of the level's hash: the table uses the low bits. */
        uint64_t h = hash_at(x, &rec, level);
        unsigned q = (unsigned)(((h >> 32) * k) >> 32);
        unsigned char c = (unsigned char)q;
        if ((st = ls__xd_w_raw(&sp->w[q], &sp->prev[q], &rec)) ||
            (st = ls__xd_w_put(&sp->tape, &c, 1)))
            goto done;
        sp->cnt[q]++;
        sp->byt[q] += rec.s.n;
    }
    ls__xd_r_free(&in);
    for (unsigned q = 0; q < k; q++)
        if ((st = ls__xd_w_close(&sp->w[q]))) goto done;
    if ((st = ls__xd_w_close(&sp->tape))) goto done;
    nd_->k = k;
    nd_->tape = sp->tape.head;
    for (unsigned q = 0; q < k; q++) {
        uint64_t d0 = *nd;
        if (sp->cnt[q] && (st = run(x, &x->work, sp->w[q].head, sp->cnt[q], sp->byt[q], level + 1,
                                    &sp->res[q], nd, nb, &nd_->part[q].child)))
            goto done;
        if ((st = ls__xd_w_close(&sp->res[q]))) goto done;
        nd_->part[q].res = sp->res[q].head;
        nd_->part[q].nrec = sp->cnt[q];
        nd_->part[q].nd = *nd - d0;
    }
    ls__xd_r_init(&tape, &x->work, sp->tape.head, x->k);
    for (unsigned q = 0; q < k; q++) ls__xd_r_init(&sp->r[q], &x->work, sp->res[q].head, x->k);
    for (uint64_t i = 0; i < nrec; i++) {
        unsigned q;
        uint64_t v;
        if ((st = ls__xd_r_byte(&tape, &q))) goto done;
        if (q >= k) { st = LS_ERR_CORRUPT; goto done; }
        if ((st = ls__xd_r_varint(&sp->r[q], &v)) || (st = ls__xd_w_varint(out, v))) goto done;
        if (!(v >> 3) && ((st = ls__xd_r_varint(&sp->r[q], &v)) || (st = ls__xd_w_varint(out, v)))) goto done;
    }
    *node = nd_;
    nd_ = NULL;
    st = LS_OK;
done:
    ls__xd_r_free(&in);
    ls__xd_r_free(&tape);
    split_free(sp);
    ls__xd_node_free(nd_);
    return st;
}

/* Resolves the nrec records (bytes in all) of the stream at head in f
 * into out: in memory if they fit (*node stays NULL), else split. */
static int run(ls__xd *x, ls__xd_file *f, ls__xd_blk head, uint64_t nrec, uint64_t bytes,
               unsigned level, ls__xd_w *out, uint64_t *nd, uint64_t *nb, ls__xd_node **node)
{
    ls__xd_r in;
    int over = 0;
    ls__xd_r_init(&in, f, head, x->k);
    int st = table_pass(x, &in, nrec, bytes, level, out, &over, nd, nb);
    ls__xd_r_free(&in);
    if (st || !over) return st;
    if (level + 1 >= MAX_DEPTH)
        return ls__fail(x->ctx, LS_ERR_INTERNAL, "on-disk interner (%s): a partition of %llu strings does "
                        "not split below the budget of %zu bytes", x->dir, (unsigned long long)nrec, x->budget);
    /* The cut-short pass's results go: out starts again. */
    ls__xd_file *of = out->f;
    ls__xd_w_free(out);
    ls__xd_w_init(out, of, x->k);
    return split(x, f, head, nrec, bytes, level, out, nd, nb, node);
}

int ls__xd_resolve_part(ls__xd *x, unsigned p)
{
    struct ls__xd_part *pt = &x->part[p];
    int st = LS_OK;
    ls__xd_w_init(&pt->res, &x->main, x->k);
    uint64_t d0 = x->distinct;
    if (pt->nrec)
        st = run(x, &x->main, pt->data.head, pt->nrec, pt->bytes, 0, &pt->res, &x->distinct, &x->dbytes,
                 &pt->node);
    pt->nd = x->distinct - d0;
    if (!st) st = ls__xd_w_close(&pt->res);
    /* A split's streams stay in the work file until the ids are assigned
     * (xdedup_assign.c), which truncates it. */
    if (st == LS_ERR_INTERNAL) { x->state = -1; return st; }
    return st ? ls__xd_io_fail(x, st, "resolve strings through") : LS_OK;
}
