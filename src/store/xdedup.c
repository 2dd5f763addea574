/*
 * xdedup.c — the on-disk interner's life cycle (see xdedup.h): creating
 * it, partitioning occurrences as they are added, driving the
 * resolution (xdedup_resolve.c) partition by partition, and reading the
 * results back in occurrence order for ls__xd_each and ls__xd_next.
 *
 * Reading back is a merge through the tape: its byte for occurrence g
 * names the partition, whose final stream (xdedup_assign.c) gives the
 * occurrence's id and whether it is its string's first, and whose data
 * stream holds the string.  A data stream is only read when a string is
 * wanted; the records skipped meanwhile are counted and passed over on
 * the next read.  Add and each/next are O(1) per occurrence plus the
 * bytes, and nothing in memory grows with the occurrences.
 */
#include "xdedup_impl.h"

#include <errno.h>
#include <unistd.h>

#define MiB ((size_t)1 << 20)
#define MAX_PARTS 256u
#define DEFAULT_PARTS 256u

struct ls__xd_cur {
    ls__xd_r tape;
    ls__xd_r *res, *data;
    ls__xd_rec *rec;        /* per partition: the data stream's decoder state */
    uint64_t *lag;          /* per partition: data records not read yet */
    uint64_t g, nfirst;     /* next occurrence; first occurrences before it */
    ls__xd_r *held;         /* the data reader whose scratch holds the last string */
    unsigned last;          /* partition of the occurrence next returned last */
    int state;              /* its string: 0 none yet, 1 in s, 2 not read (lag) */
    ls__str s;
    char num[20];           /* the digits of a packed number */
};

/* The block size for p partitions: about 8 MiB of buffers in all, 16 KiB
 * to 1 MiB a block, but no more than a 16th of the budget (so that the
 * tiny budgets of the tests also make records cross blocks all the
 * time). */
static size_t block_for(unsigned p, size_t budget)
{
    size_t k = LS__MAX(LS__MIN((8 * MiB) / p, MiB), (size_t)16 << 10);
    return LS__MAX(LS__MIN(k, budget / 16), (size_t)64);
}

static void parts_free(ls__xd *x)
{
    for (unsigned p = 0; x->part && p < x->nparts; p++) {
        ls__xd_w_free(&x->part[p].data);
        ls__xd_w_free(&x->part[p].res);
        ls__xd_node_free(x->part[p].node);
    }
    ls__free(x->part);
    x->part = NULL;
}

static int parts_new(ls__xd *x, unsigned n)
{
    struct ls__xd_part *pt = ls__calloc(n, sizeof *pt);
    if (!pt) return LS_ERR_NOMEM;
    parts_free(x);
    x->part = pt;
    x->nparts = n;
    x->k = block_for(n, x->budget);
    for (unsigned p = 0; p < n; p++) {
        ls__xd_w_init(&pt[p].data, &x->main, x->k);
        ls__xd_w_init(&pt[p].res, &x->main, x->k);
    }
    ls__xd_w_init(&x->tape, &x->main, x->k);
    return LS_OK;
}

static void cur_free(struct ls__xd_cur *c, unsigned n)
{
    if (!c) return;
    ls__xd_r_free(&c->tape);
    for (unsigned p = 0; p < n; p++) {
        if (c->res) ls__xd_r_free(&c->res[p]);
        if (c->data) ls__xd_r_free(&c->data[p]);
    }
    ls__free(c->res);
    ls__free(c->data);
    ls__free(c->rec);
    ls__free(c->lag);
    ls__free(c);
}

static int cur_new(ls__xd *x, struct ls__xd_cur **out)
{
    unsigned n = x->nparts;
    struct ls__xd_cur *c = ls__calloc(1, sizeof *c);
    if (!c) return LS_ERR_NOMEM;
    c->res = ls__calloc(n, sizeof *c->res);
    c->data = ls__calloc(n, sizeof *c->data);
    c->rec = ls__calloc(n, sizeof *c->rec);
    c->lag = ls__calloc(n, sizeof *c->lag);
    if (!c->res || !c->data || !c->rec || !c->lag) { cur_free(c, 0); return LS_ERR_NOMEM; }
    ls__xd_r_init(&c->tape, &x->main, x->tape.head, x->k);
    for (unsigned p = 0; p < n; p++) {
        ls__xd_r_init(&c->res[p], &x->main, x->part[p].res.head, x->k);
        ls__xd_r_init(&c->data[p], &x->main, x->part[p].data.head, x->k);
    }
    *out = c;
    return LS_OK;
}

int ls__xd_new(ls_ctx *ctx, const char *dir, uint32_t first, ls__xd **out)
{
    ls__xd *x = ls__calloc(1, sizeof *x);
    int st = LS_ERR_NOMEM;
    *out = NULL;
    if (!x) return ls__fail(ctx, st, "out of memory creating the on-disk interner");
    x->ctx = ctx;
    x->first = first;
    x->main.fd = x->work.fd = -1;
    uint64_t mem = ls__memory_budget(ctx) / 8;
    x->budget = (size_t)LS__MAX(LS__MIN(mem, (uint64_t)256 * MiB), (uint64_t)16 * MiB);
    if (!(x->dir = ls__strdup(dir && *dir ? dir : "."))) goto done;
    if ((st = parts_new(x, DEFAULT_PARTS))) goto done;
    if (ls__spill_open(x->dir, &x->main.fd) || ls__spill_open(x->dir, &x->work.fd)) {
        st = ls__fail(ctx, LS_ERR_IO, "cannot create a temporary file in %s: %s", x->dir, strerror(errno));
        goto done;
    }
    *out = x;
    x = NULL;
    st = LS_OK;
done:
    if (st == LS_ERR_NOMEM) ls__fail(ctx, st, "out of memory creating the on-disk interner");
    ls__xd_free(x);
    return st;
}

void ls__xd_free(ls__xd *x)
{
    if (!x) return;
    cur_free(x->cur, x->nparts);
    parts_free(x);
    ls__xd_w_free(&x->tape);
    ls__free(x->tab);
    ls__free(x->ids);
    ls__buf_free(&x->arena);
    ls__free(x->cmp);
    if (x->main.fd >= 0) close(x->main.fd);
    if (x->work.fd >= 0) close(x->work.fd);
    ls__free(x->dir);
    ls__free(x);
}

void ls__xd_set_ctx(ls__xd *x, ls_ctx *ctx) { x->ctx = ctx; }

void ls__xd_budget(ls__xd *x, size_t bytes, unsigned partitions)
{
    x->budget = LS__MAX(bytes, (size_t)1024);
    if (x->n == 0 && x->state == 0)   /* NOMEM keeps the old partitions */
        (void)parts_new(x, partitions ? LS__MIN(partitions, MAX_PARTS) : x->nparts);
}

void ls__xd_weak_hash(ls__xd *x) { x->weak = 1; }

uint64_t ls__xd_count(const ls__xd *x) { return x->n; }
uint64_t ls__xd_distinct(const ls__xd *x) { return x->distinct; }
uint64_t ls__xd_bytes(const ls__xd *x) { return x->dbytes; }

/* The partition of hash h: h mixed (ls__pool_hash is the string itself
 * for short strings and numbers, far from uniform), then scaled. */
static inline unsigned part_of(uint64_t h, unsigned n)
{
    uint64_t m = (h ^ (h >> 31)) * 0xD6E8FEB86659FD93ull;
    m ^= m >> 32;
    return (unsigned)(((m & 0xFFFFFFFFu) * n) >> 32);
}

int ls__xd_add(ls__xd *x, ls__str s, uint64_t h, unsigned flags)
{
    int st;
    if (x->state != 0)
        return ls__fail(x->ctx, LS_ERR_INTERNAL, "on-disk interner (%s): add after resolve or a failure", x->dir);
    if (!s.n || (flags & ~(LS__XD_EVENT | LS__XD_ORPHAN)))
        return ls__fail(x->ctx, LS_ERR_INTERNAL, "on-disk interner (%s): %s", x->dir,
                        s.n ? "unknown flags" : "empty string");
    unsigned p = part_of(h, x->nparts);
    struct ls__xd_part *pt = &x->part[p];
    unsigned char b = (unsigned char)p;
    if ((st = ls__xd_w_put(&x->tape, &b, 1)) || (st = ls__xd_w_rec(&pt->data, &pt->prev_g, x->n, flags, s)))
        return ls__xd_io_fail(x, st, "write");
    pt->nrec++;
    pt->bytes += s.n;
    x->n++;
    return LS_OK;
}

static int resolve_all(ls__xd *x)
{
    int st;
    if ((st = ls__xd_w_close(&x->tape))) return ls__xd_io_fail(x, st, "write");
    for (unsigned p = 0; p < x->nparts; p++)
        if ((st = ls__xd_w_close(&x->part[p].data))) return ls__xd_io_fail(x, st, "write");
    uint64_t room = (uint64_t)UINT32_MAX - 2 - x->first;
    if (x->first > UINT32_MAX - 2) room = 0;
    for (unsigned p = 0; p < x->nparts; p++) {
        if ((st = ls__xd_resolve_part(x, p))) return st;
        if (x->distinct > room) {
            x->state = -1;
            return ls__fail(x->ctx, LS_ERR_LIMIT, "on-disk interner (%s): more than %llu distinct strings "
                            "after the first %u: ids would pass 2^32-4", x->dir,
                            (unsigned long long)room, x->first);
        }
    }
    /* The table and arena (up to the budget) are not needed again: the
     * assignment's table takes their place. */
    ls__free(x->tab);
    x->tab = NULL;
    x->tab_cap = 0;
    ls__buf_free(&x->arena);
    if ((st = ls__xd_assign(x))) return st;
    x->state = 1;
    return LS_OK;
}

int ls__xd_resolve(ls__xd *x)
{
    if (x->state != 0)
        return ls__fail(x->ctx, LS_ERR_INTERNAL, "on-disk interner (%s): resolved twice or after a failure", x->dir);
    int st = resolve_all(x);
    /* The table and arena (up to the budget) and the work file are not
     * needed again: of several interners resolved one after another, only
     * the one resolving holds them. */
    ls__free(x->tab);
    x->tab = NULL;
    x->tab_cap = 0;
    ls__buf_free(&x->arena);
    ls__free(x->cmp);
    x->cmp = NULL;
    if (x->work.fd >= 0) close(x->work.fd);
    x->work.fd = -1;
    return st;
}

/* Occurrences the merge looks ahead on the tape. */
#define AHEAD 16

/* The next occurrence's partition and result record.  The streams are
 * 2P buffers taken in turn in the tape's order, far more than the
 * hardware prefetcher follows, so the partition AHEAD occurrences on has
 * its read positions prefetched (its record is there unless it comes up
 * again in between): without that, every new cache line of a stream was a
 * stall (two each passes over 20M post ids: 2.0 s of CPU without, 1.5
 * with; next with strings 1.3 s against 0.95). */
static int cur_step(struct ls__xd_cur *c, unsigned *p, uint64_t *v, uint64_t *len, int data)
{
    const ls__xd_r *t = &c->tape;
    if (t->pos + AHEAD < t->len) {
        unsigned q = (unsigned char)t->buf[t->pos + AHEAD];
        if (c->res[q].buf) __builtin_prefetch(c->res[q].buf + c->res[q].pos);
        if (data && c->data[q].buf) __builtin_prefetch(c->data[q].buf + c->data[q].pos);
    }
    int st = ls__xd_r_byte(&c->tape, p);
    if (st || (st = ls__xd_r_varint(&c->res[*p], v))) return st;
    return *v & 8 ? ls__xd_r_varint(&c->res[*p], len) : LS_OK;
}

/* The string of the next record of partition p, after the ones skipped. */
static int cur_string(struct ls__xd_cur *c, unsigned p, ls__str *s)
{
    int st;
    /* A string across blocks is gathered in its reader's scratch; one such
     * buffer at a time is kept (the last string returned), so P readers
     * never hold P long strings. */
    if (c->held) ls__buf_free(&c->held->scratch);
    c->held = NULL;
    for (; c->lag[p]; c->lag[p]--)
        if ((st = ls__xd_r_skip_rec(&c->data[p], &c->rec[p]))) return st;
    if ((st = ls__xd_r_rec(&c->data[p], &c->rec[p]))) return st;
    *s = ls__xd_rec_str(&c->rec[p], c->num);
    if (c->data[p].scratch.p) c->held = &c->data[p];
    return LS_OK;
}

static int not_resolved(ls__xd *x, const char *what)
{
    return ls__fail(x->ctx, LS_ERR_INTERNAL, "on-disk interner (%s): %s %s", x->dir, what,
                    x->state < 0 ? "after a failure" : "before resolve");
}

/* ls__xd_each (fn) or ls__xd_each_len (fn_len: no string is read). */
static int each(ls__xd *x, int (*fn)(void *u, ls__str s), int (*fn_len)(void *u, uint64_t n), void *u)
{
    struct ls__xd_cur *c = NULL;
    int st;
    if (x->state != 1) return not_resolved(x, "each");
    if ((st = cur_new(x, &c))) { st = ls__xd_io_fail(x, st, "read back"); goto done; }
    for (uint64_t g = 0; g < x->n; g++) {
        unsigned p;
        uint64_t v, n = 0;
        ls__str s;
        if ((st = cur_step(c, &p, &v, &n, fn != NULL))) { st = ls__xd_io_fail(x, st, "read"); goto done; }
        if (!(v & 8) || !fn) {
            c->lag[p]++;
            if ((v & 8) && (st = fn_len(u, n))) goto done;
            continue;
        }
        if ((st = cur_string(c, p, &s))) { st = ls__xd_io_fail(x, st, "read"); goto done; }
        if (s.n != n) { st = ls__xd_io_fail(x, LS_ERR_CORRUPT, "read"); goto done; }
        if ((st = fn(u, s))) goto done;
    }
    st = LS_OK;
done:
    cur_free(c, x->nparts);
    return st;
}

int ls__xd_each(ls__xd *x, int (*fn)(void *u, ls__str s), void *u) { return each(x, fn, NULL, u); }

int ls__xd_each_len(ls__xd *x, int (*fn)(void *u, uint64_t n), void *u) { return each(x, NULL, fn, u); }

int ls__xd_next(ls__xd *x, uint32_t *id, unsigned *flags, ls__str *s)
{
    int st;
    unsigned p;
    uint64_t v;
    if (x->state != 1) return not_resolved(x, "next");
    if (!x->cur && (st = cur_new(x, &x->cur))) return ls__xd_io_fail(x, st, "read back");
    struct ls__xd_cur *c = x->cur;
    if (c->g >= x->n)
        return ls__fail(x->ctx, LS_ERR_INTERNAL, "on-disk interner (%s): next past the last of %llu occurrences",
                        x->dir, (unsigned long long)x->n);
    uint64_t n;
    if ((st = cur_step(c, &p, &v, &n, s != NULL))) return ls__xd_io_fail(x, st, "read");
    uint64_t k = v >> 4;
    if ((v & 8) ? k != c->nfirst++ : k >= c->nfirst) return ls__xd_io_fail(x, LS_ERR_CORRUPT, "read");
    *id = x->first + (uint32_t)k;
    *flags = (unsigned)(v & 7);
    c->last = p;
    if (s) {
        if ((st = cur_string(c, p, s))) return ls__xd_io_fail(x, st, "read");
        c->s = *s;
        c->state = 1;
    } else {
        c->lag[p]++;
        c->state = 2;
    }
    c->g++;
    return LS_OK;
}

int ls__xd_string(ls__xd *x, ls__str *s)
{
    struct ls__xd_cur *c = x->cur;
    int st;
    if (x->state != 1) return not_resolved(x, "string");
    if (!c || !c->state)
        return ls__fail(x->ctx, LS_ERR_INTERNAL, "on-disk interner (%s): string before next", x->dir);
    if (c->state == 2) {
        /* The records of its partition not read yet end with this one. */
        c->lag[c->last]--;
        if ((st = cur_string(c, c->last, &c->s))) return ls__xd_io_fail(x, st, "read");
        c->state = 1;
    }
    *s = c->s;
    return LS_OK;
}

int ls__xd_rewind(ls__xd *x)
{
    if (x->state != 1) return not_resolved(x, "rewind");
    cur_free(x->cur, x->nparts);
    x->cur = NULL;
    return LS_OK;
}
