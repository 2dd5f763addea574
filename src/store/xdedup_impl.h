/*
 * xdedup_impl.h — what the three files of the on-disk interner share
 * (see xdedup.h): the object itself, and the block streams of
 * xdedup_io.c.
 *
 * A stream is a chain of blocks in one temporary file; many streams share
 * a file.  A block is a 16-byte header (where the stream's next block
 * starts and how many payload bytes it holds, 0 at the end) and up to K
 * payload bytes.  The writer appends a block at the file's end when its
 * buffer is full and patches the previous block's header to point there,
 * so a stream costs its owner one buffer and a few words, never a list of
 * blocks.  Readers read one whole block per pread.
 *
 * Records, all of variable length (little-endian base-128 varints):
 *   partition data:  varint(g - previous g of this stream), varint(len << 3 | packed << 2 | flags),
 *                    then the len bytes, or if packed (a decimal number of 9 to 19 digits without
 *                    a leading zero: post ids) its value in 8 bytes, which is less than half the
 *                    bytes to write, read back and hash for the biggest namespace
 *   results:         varint(b << 3 | flags | DUP), where b is how many distinct strings of the
 *                    same table pass (a partition, or a part of a split one) came after this
 *                    occurrence's string (0: a first occurrence), and for a first occurrence
 *                    varint(len) (ls__xd_each_len)
 *   ids:             per partition (or part), the ids of its distinct strings in its order of
 *                    first occurrence, as varint(id - previous id) (the first from 0)
 *   final:           varint(id << 4 | first << 3 | flags | DUP), id counted from 0, and for a
 *                    first occurrence varint(len): what ls__xd_each and ls__xd_next read
 *   tape:            one byte, the partition (or split part) of the next record
 * where g is the occurrence number (its add order).
 */
#ifndef LS_STORE_XDEDUP_IMPL_H
#define LS_STORE_XDEDUP_IMPL_H

#include "xdedup.h"
#include "pool.h"

#define LS__XD_HDR 16u          /* block header bytes */

/* A temporary file of blocks: its descriptor and where the next block goes. */
typedef struct { int fd; uint64_t end; } ls__xd_file;
/* Where a block starts and its payload bytes (0: no block). */
typedef struct { uint64_t off, len; } ls__xd_blk;

typedef struct {
    ls__xd_file *f;
    ls__xd_blk head;            /* the first block (len 0 while none) */
    uint64_t last;              /* offset of the last block written (UINT64_MAX: none) */
    char *buf;                  /* LS__XD_HDR + cap bytes once written to */
    size_t n, cap, k;           /* payload bytes in buf; room; the block size
                                   (cap grows to k, so short streams stay small) */
    uint64_t bytes;             /* payload bytes written in all */
} ls__xd_w;

typedef struct {
    ls__xd_file *f;
    ls__xd_blk next;            /* the block after the one in buf */
    char *buf;                  /* LS__XD_HDR + cap bytes once read into */
    size_t pos, len, cap, k;    /* read position and end in buf; room; block size */
    ls__buf scratch;            /* a record that crosses blocks */
} ls__xd_r;

/* A decoded partition data record: occurrence number, flags, whether it
 * is packed, its payload (the bytes, or the 8 bytes of a packed number;
 * valid until the next read from the same reader) and the string's
 * length.  ls__xd_rec_str gives the string itself. */
typedef struct { uint64_t g; unsigned flags, packed; ls__str s; size_t len; } ls__xd_rec;
#define LS__XD_REC0 { 0, 0, 0, { NULL, 0 }, 0 }

/* A split partition or part (xdedup_resolve.c): its tape, and for each
 * of its k parts the result stream (in the work file), the records, the
 * distinct strings and, if the part was split again, its own node. */
#define LS__XD_FAN 64u
typedef struct ls__xd_node ls__xd_node;
struct ls__xd_node {
    unsigned k;
    ls__xd_blk tape;
    struct { ls__xd_blk res; uint64_t nrec, nd; ls__xd_node *child; } part[LS__XD_FAN];
};

struct ls__xd_part {
    ls__xd_w data, res;         /* res: the results, then (from ls__xd_resolve on) the final stream */
    uint64_t prev_g, nrec, bytes;
    uint64_t nd;                /* distinct strings */
    ls__xd_node *node;          /* how it was split (NULL: not), until the ids are assigned */
};

struct ls__xd_cur;

struct ls__xd {
    ls_ctx *ctx;
    char *dir;
    uint32_t first;
    unsigned nparts;
    size_t budget, k;           /* resolution budget; block size */
    int state;                  /* 0 adding, 1 resolved, -1 failed */
    int weak;                   /* ls__xd_weak_hash (tests) */
    ls__xd_file main, work;     /* streams; split parts and long strings */
    uint64_t n;                 /* occurrences */
    ls__xd_w tape;
    struct ls__xd_part *part;
    /* from ls__xd_resolve on */
    uint64_t distinct, dbytes;
    struct ls__xd_cur *cur;     /* ls__xd_next's position */
    /* resolution scratch, reused from partition to partition */
    void *tab;
    size_t tab_cap;             /* bytes */
    ls__buf arena;
    char *cmp;                  /* compare buffer of long strings */
    uint32_t *ids;              /* assignment: the ids of one unsplit table pass's strings */
    size_t ids_cap;             /* (elements) */
};

/* ---- xdedup_io.c: block streams.  They return LS_OK, LS_ERR_NOMEM,
 * LS_ERR_IO (errno set) or LS_ERR_CORRUPT (a stream shorter than its
 * records say); ls__xd_io_fail turns that into a message on the context. */
int  ls__xd_io_fail(ls__xd *x, int st, const char *what);
void ls__xd_w_init(ls__xd_w *w, ls__xd_file *f, size_t k);
int  ls__xd_w_put(ls__xd_w *w, const void *p, size_t n);
int  ls__xd_w_flush(ls__xd_w *w);
/* Flushes and frees the buffer; head stays for readers. */
int  ls__xd_w_close(ls__xd_w *w);
void ls__xd_w_free(ls__xd_w *w);
static inline int ls__xd_w_varint(ls__xd_w *w, uint64_t v)
{
    unsigned char b[10];
    size_t n = 0;
    while (v >= 0x80) { b[n++] = (unsigned char)(v | 0x80); v >>= 7; }
    b[n++] = (unsigned char)v;
    if (w->n + n <= w->cap) {
        memcpy(w->buf + LS__XD_HDR + w->n, b, n);
        w->n += n;
        w->bytes += n;
        return LS_OK;
    }
    return ls__xd_w_put(w, b, n);
}
/* A data record: occurrence g after prev (updated), flags, string s
 * (packed if it is a number that packs). */
int  ls__xd_w_rec(ls__xd_w *w, uint64_t *prev, uint64_t g, unsigned flags, ls__str s);
/* A decoded record written again as it is (after prev, updated). */
int  ls__xd_w_raw(ls__xd_w *w, uint64_t *prev, const ls__xd_rec *rec);
/* The string of rec: its payload, or a packed number's digits written to
 * num (20 bytes). */
ls__str ls__xd_rec_str(const ls__xd_rec *rec, char *num);

void ls__xd_r_init(ls__xd_r *r, ls__xd_file *f, ls__xd_blk head, size_t k);
void ls__xd_r_free(ls__xd_r *r);
/* Reads the next block; LS_ERR_CORRUPT at the end of the stream. */
int  ls__xd_r_fill(ls__xd_r *r);
int  ls__xd_r_varint_slow(ls__xd_r *r, uint64_t *v);
static inline int ls__xd_r_varint(ls__xd_r *r, uint64_t *v)
{
    if (r->len - r->pos >= 10) {
        const unsigned char *p = (const unsigned char *)r->buf + r->pos;
        uint64_t x = 0;
        for (unsigned sh = 0, i = 0; i < 10; i++, sh += 7) {
            x |= (uint64_t)(p[i] & 0x7F) << sh;
            if (!(p[i] & 0x80)) { r->pos += i + 1; *v = x; return LS_OK; }
        }
        return LS_ERR_CORRUPT;
    }
    return ls__xd_r_varint_slow(r, v);
}
static inline int ls__xd_r_byte(ls__xd_r *r, unsigned *c)
{
    int st;
    if (r->pos == r->len && (st = ls__xd_r_fill(r))) return st;
    *c = (unsigned char)r->buf[r->pos++];
    return LS_OK;
}
/* n bytes: *p points into the block, or into scratch if they cross one. */
int  ls__xd_r_bytes(ls__xd_r *r, size_t n, const char **p);
int  ls__xd_r_skip(ls__xd_r *r, uint64_t n);
/* A data record; rec->g accumulates (start it at 0). */
int  ls__xd_r_rec(ls__xd_r *r, ls__xd_rec *rec);
int  ls__xd_r_skip_rec(ls__xd_r *r, ls__xd_rec *rec);
/* The next data record if it lies whole in the block read (1), leaving
 * the reader as it was otherwise (0): what the caller holds from earlier
 * such records then stays valid, since no block is read. */
int  ls__xd_r_peek_rec(ls__xd_r *r, ls__xd_rec *rec);

/* ---- xdedup_resolve.c ---- */
/* Resolves partition p into its result stream, adding to distinct and
 * dbytes, and sets its nd and node. */
int  ls__xd_resolve_part(ls__xd *x, unsigned p);

/* ---- xdedup_assign.c ---- */
/* Once every partition is resolved: gives every distinct string its id
 * and every partition its final stream (in place of its results).
 * Reports failures on the context. */
int  ls__xd_assign(ls__xd *x);
void ls__xd_node_free(ls__xd_node *n);

#endif /* LS_STORE_XDEDUP_IMPL_H */
