/*
 * xdedup_io.c — the block streams of the on-disk interner (layout in
 * xdedup_impl.h): buffered writers that append whole blocks to a shared
 * temporary file, and readers that take a stream back one block per
 * pread, with the varint and record codecs on top.
 *
 * Every transfer is a block of up to K bytes (16 KiB to 1 MiB), so the
 * streams are sequential I/O however many of them share a file; the one
 * small write is the 16-byte patch of the previous block's header.
 */
#include "xdedup_impl.h"

#include <errno.h>
#include <unistd.h>

int ls__xd_io_fail(ls__xd *x, int st, const char *what)
{
    int e = errno;
    x->state = -1;
    if (st == LS_ERR_NOMEM)
        return ls__fail(x->ctx, st, "on-disk interner (%s): out of memory to %s", x->dir, what);
    if (st == LS_ERR_CORRUPT)
        return ls__fail(x->ctx, LS_ERR_IO, "on-disk interner: cannot %s: a temporary file in %s ended early",
                        what, x->dir);
    if (st == LS_ERR_IO)
        return ls__fail(x->ctx, st, "on-disk interner: cannot %s a temporary file in %s: %s", what, x->dir,
                        strerror(e ? e : EIO));
    return st;
}

void ls__xd_w_init(ls__xd_w *w, ls__xd_file *f, size_t k)
{
    memset(w, 0, sizeof *w);
    w->f = f;
    w->k = k;
    w->last = UINT64_MAX;
}

void ls__xd_w_free(ls__xd_w *w)
{
    ls__free(w->buf);
    w->buf = NULL;
    w->n = w->cap = 0;
}

int ls__xd_w_flush(ls__xd_w *w)
{
    if (!w->n) return LS_OK;
    uint64_t off = w->f->end;
    memset(w->buf, 0, LS__XD_HDR);     /* no next block yet */
    if (ls__spill_pwrite(w->f->fd, w->buf, LS__XD_HDR + w->n, off)) return LS_ERR_IO;
    w->f->end += LS__XD_HDR + w->n;
    ls__xd_blk b = { off, w->n };
    if (w->last == UINT64_MAX) w->head = b;
    else if (ls__spill_pwrite(w->f->fd, &b, sizeof b, w->last)) return LS_ERR_IO;
    w->last = off;
    w->n = 0;
    return LS_OK;
}

int ls__xd_w_put(ls__xd_w *w, const void *p, size_t n)
{
    const char *c = p;
    int st;
    w->bytes += n;
    while (n) {
        if (w->n == w->cap && w->cap < w->k) {
            /* The buffer doubles up to a block: a stream of a few records
             * (a small split part) costs a few hundred bytes, not K. */
            size_t cap = LS__MIN(LS__MAX(w->cap * 2, (size_t)256), w->k);
            char *q = ls__realloc(w->buf, LS__XD_HDR + cap);
            if (!q) return LS_ERR_NOMEM;
            w->buf = q;
            w->cap = cap;
        }
        size_t m = LS__MIN(n, w->cap - w->n);
        memcpy(w->buf + LS__XD_HDR + w->n, c, m);
        w->n += m;
        c += m;
        n -= m;
        if (w->n == w->k && (st = ls__xd_w_flush(w))) return st;
    }
    return LS_OK;
}

int ls__xd_w_close(ls__xd_w *w)
{
    int st = w->buf ? ls__xd_w_flush(w) : LS_OK;
    ls__xd_w_free(w);
    return st;
}

/* The value of s if it is a decimal number of 9 to 19 digits without a
 * leading zero (which the value gives back exactly), else 0. */
static int packs(ls__str s, uint64_t *v)
{
    uint64_t x = 0;
    if (s.n < 9 || s.n > 19 || s.p[0] < '1' || s.p[0] > '9') return 0;
    for (size_t i = 0; i < s.n; i++) {
        unsigned d = (unsigned)(unsigned char)s.p[i] - '0';
        if (d > 9) return 0;
        x = x * 10 + d;
    }
    *v = x;
    return 1;
}

/* The 8 digits of v < 10^8 at out, two at a time (32-bit divisions by
 * constants: a digit-at-a-time loop of 64-bit divisions made reading
 * 20M post ids back 0.5 s slower). */
static void digits8(uint32_t v, char *out)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                "8081828384858687888990919293949596979899";
    for (int i = 6; i >= 0; i -= 2, v /= 100) memcpy(out + i, pairs + 2 * (v % 100), 2);
}

ls__str ls__xd_rec_str(const ls__xd_rec *rec, char *num)
{
    if (!rec->packed) return rec->s;
    uint64_t v;
    char t[24];
    memcpy(&v, rec->s.p, 8);
    /* v < 10^19: three groups of 8 digits, right-aligned in t. */
    digits8((uint32_t)(v % 100000000u), t + 16);
    v /= 100000000u;
    digits8((uint32_t)(v % 100000000u), t + 8);
    digits8((uint32_t)(v / 100000000u), t);
    memcpy(num, t + 24 - rec->len, rec->len);
    return (ls__str){ num, rec->len };
}

/* Header and payload of a record. */
static int put_rec(ls__xd_w *w, uint64_t *prev, uint64_t g, unsigned flags, unsigned packed, size_t len,
                   ls__str pay)
{
    int st;
    if ((st = ls__xd_w_varint(w, g - *prev)) ||
        (st = ls__xd_w_varint(w, (uint64_t)len << 3 | packed << 2 | flags)))
        return st;
    *prev = g;
    if (w->n + pay.n <= w->cap) {   /* the common case: one copy */
        memcpy(w->buf + LS__XD_HDR + w->n, pay.p, pay.n);
        w->n += pay.n;
        w->bytes += pay.n;
        /* The P buffers are written in turn, so each cache line of one is
         * cold when the stream reaches it (a store miss about every other
         * record): fetch the one after next for writing now.  Past the
         * buffer's end this is a no-op. */
        __builtin_prefetch(w->buf + LS__XD_HDR + w->n + 128, 1);
        return LS_OK;
    }
    return ls__xd_w_put(w, pay.p, pay.n);
}

int ls__xd_w_rec(ls__xd_w *w, uint64_t *prev, uint64_t g, unsigned flags, ls__str s)
{
    uint64_t v;
    if (packs(s, &v)) return put_rec(w, prev, g, flags, 1, s.n, (ls__str){ (const char *)&v, 8 });
    return put_rec(w, prev, g, flags, 0, s.n, s);
}

int ls__xd_w_raw(ls__xd_w *w, uint64_t *prev, const ls__xd_rec *rec)
{
    return put_rec(w, prev, rec->g, rec->flags, rec->packed, rec->len, rec->s);
}

void ls__xd_r_init(ls__xd_r *r, ls__xd_file *f, ls__xd_blk head, size_t k)
{
    memset(r, 0, sizeof *r);
    r->f = f;
    r->next = head;
    r->k = k;
}

void ls__xd_r_free(ls__xd_r *r)
{
    ls__free(r->buf);
    ls__buf_free(&r->scratch);
    r->buf = NULL;
    r->pos = r->len = r->cap = 0;
}

int ls__xd_r_fill(ls__xd_r *r)
{
    if (!r->next.len || r->next.len > r->k) return LS_ERR_CORRUPT;
    size_t n = (size_t)r->next.len;
    if (n > r->cap) {
        /* Sized by the blocks met: a short stream's one block is short. */
        size_t cap = LS__MIN(LS__MAX(n, r->cap * 2), r->k);
        ls__free(r->buf);
        r->pos = r->len = r->cap = 0;
        if (!(r->buf = ls__malloc(LS__XD_HDR + cap))) return LS_ERR_NOMEM;
        r->cap = cap;
    }
    if (ls__spill_pread(r->f->fd, r->buf, LS__XD_HDR + n, r->next.off)) {
        if (errno == EIO) return LS_ERR_CORRUPT;    /* shorter than written */
        return LS_ERR_IO;
    }
    memcpy(&r->next, r->buf, sizeof r->next);
    r->pos = LS__XD_HDR;
    r->len = LS__XD_HDR + n;
    return LS_OK;
}

int ls__xd_r_varint_slow(ls__xd_r *r, uint64_t *v)
{
    uint64_t x = 0;
    for (unsigned sh = 0; sh < 70; sh += 7) {
        unsigned c;
        int st = ls__xd_r_byte(r, &c);
        if (st) return st;
        x |= (uint64_t)(c & 0x7F) << sh;
        if (!(c & 0x80)) { *v = x; return LS_OK; }
    }
    return LS_ERR_CORRUPT;
}

int ls__xd_r_bytes(ls__xd_r *r, size_t n, const char **p)
{
    int st;
    if (r->len - r->pos >= n) {
        *p = r->buf + r->pos;
        r->pos += n;
        return LS_OK;
    }
    /* Crosses blocks: gathered in scratch (a string longer than a block
     * costs its length once, whatever its length). */
    if (n > r->scratch.cap) {
        char *q = ls__realloc(r->scratch.p, n);
        if (!q) return LS_ERR_NOMEM;
        r->scratch.p = q;
        r->scratch.cap = n;
    }
    size_t got = 0;
    while (got < n) {
        if (r->pos == r->len && (st = ls__xd_r_fill(r))) return st;
        size_t m = LS__MIN(n - got, r->len - r->pos);
        memcpy(r->scratch.p + got, r->buf + r->pos, m);
        r->pos += m;
        got += m;
    }
    *p = r->scratch.p;
    return LS_OK;
}

int ls__xd_r_skip(ls__xd_r *r, uint64_t n)
{
    int st;
    while (n) {
        if (r->pos == r->len && (st = ls__xd_r_fill(r))) return st;
        size_t m = (size_t)LS__MIN(n, (uint64_t)(r->len - r->pos));
        r->pos += m;
        n -= m;
    }
    return LS_OK;
}

/* The header of a data record from its two varints; *n gets the payload
 * bytes.  0 if they make no sense. */
static int rec_set(ls__xd_rec *rec, uint64_t d, uint64_t lf, uint64_t *n)
{
    if ((lf >> 3) > (uint64_t)SIZE_MAX) return 0;
    rec->g += d;
    rec->flags = (unsigned)(lf & 3);
    rec->packed = (unsigned)(lf >> 2) & 1;
    rec->len = (size_t)(lf >> 3);
    *n = rec->packed ? 8 : lf >> 3;
    return !rec->packed || (rec->len >= 9 && rec->len <= 19);
}

static int rec_head(ls__xd_r *r, ls__xd_rec *rec, uint64_t *n)
{
    uint64_t d, lf;
    int st;
    if ((st = ls__xd_r_varint(r, &d)) || (st = ls__xd_r_varint(r, &lf))) return st;
    return rec_set(rec, d, lf, n) ? LS_OK : LS_ERR_CORRUPT;
}

int ls__xd_r_rec(ls__xd_r *r, ls__xd_rec *rec)
{
    uint64_t n;
    const char *p;
    int st;
    if ((st = rec_head(r, rec, &n)) || (st = ls__xd_r_bytes(r, (size_t)n, &p))) return st;
    rec->s.p = p;
    rec->s.n = (size_t)n;
    return LS_OK;
}

int ls__xd_r_skip_rec(ls__xd_r *r, ls__xd_rec *rec)
{
    uint64_t n;
    int st = rec_head(r, rec, &n);
    return st ? st : ls__xd_r_skip(r, n);
}

/* A varint from *p before e, or 0 if it does not end there. */
static int varint_in(const unsigned char **p, const unsigned char *e, uint64_t *v)
{
    uint64_t x = 0;
    for (unsigned sh = 0; *p < e && sh < 70; sh += 7) {
        unsigned c = *(*p)++;
        x |= (uint64_t)(c & 0x7F) << sh;
        if (!(c & 0x80)) { *v = x; return 1; }
    }
    return 0;
}

int ls__xd_r_peek_rec(ls__xd_r *r, ls__xd_rec *rec)
{
    if (!r->buf) return 0;
    const unsigned char *p = (const unsigned char *)r->buf + r->pos, *e = (const unsigned char *)r->buf + r->len;
    uint64_t d, lf, n = (uint64_t)-1;
    ls__xd_rec t = *rec;
    /* A record that makes no sense is left to ls__xd_r_rec to report. */
    if (!varint_in(&p, e, &d) || !varint_in(&p, e, &lf) || !rec_set(&t, d, lf, &n) ||
        (uint64_t)(e - p) < n)
        return 0;
    *rec = t;
    rec->s.p = (const char *)p;
    rec->s.n = (size_t)n;
    r->pos = (size_t)((const char *)p + n - r->buf);
    return 1;
}
