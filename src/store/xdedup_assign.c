/*
 * xdedup_assign.c — the ids of the on-disk interner (see xdedup.h), once
 * every partition is resolved, with memory that does not grow with the
 * occurrences or the distinct strings.
 *
 * The resolution (xdedup_resolve.c) leaves, per partition, a result
 * stream in the partition's order that marks first occurrences and, for a
 * repeat, how many distinct strings of its table pass (the partition, or
 * a part of a split one) are newer than its string.  Ids follow from two
 * sequential steps:
 *
 *  1. Distribution: the tape is walked in occurrence order alongside the
 *     result streams; the k-th first occurrence met gets id k, which is
 *     appended to its partition's ids stream.  Each partition's ids then
 *     come in the order of its own first occurrences.  (This is the k-way
 *     merge of the partitions' first occurrences by occurrence number,
 *     done through the tape: one byte an occurrence instead of a heap.)
 *  2. Per partition, the result stream is rewritten into the final stream
 *     (id, first, flags, and the length of a first occurrence) with the
 *     partition's ids in a table: an unsplit partition's distinct strings
 *     passed through one in-memory table within the budget B (at most
 *     B / 72 of them: two thirds of the slots, of 24 bytes, in half the
 *     budget), so 4 bytes each stay below B / 18.  A split one is
 *     done part by part down its split tree: its ids are dealt to its parts
 *     through the split's tape, each part is rewritten the same way
 *     (recursively), and the parts' final streams are merged back through
 *     the tape.
 *
 * ls__xd_next then reads an occurrence's id from its partition's final
 * stream, and ls__xd_each its first occurrences: no bitmap, no rank
 * index.  Memory: the 2P + 1 blocks of step 1, then the table (up to
 * B / 18) plus at most 67 + D blocks and D split states of 15 KB (D the
 * split depth).  Time: one more walk of the tape and two more passes
 * over the result streams than reading ranks from a bitmap, a few bytes
 * an occurrence each, sequential.
 */
#include "xdedup_impl.h"

#include <unistd.h>

void ls__xd_node_free(ls__xd_node *n)
{
    if (!n) return;
    for (unsigned q = 0; q < n->k; q++) ls__xd_node_free(n->part[q].child);
    ls__free(n);
}

static int assign(ls__xd *x, ls__xd_file *rf, ls__xd_blk res, uint64_t nrec, uint64_t nd,
                  const ls__xd_node *node, ls__xd_file *idf, ls__xd_blk ids, ls__xd_w *out);

/* An unsplit table pass: its nd ids into the table, then its nrec
 * results rewritten. */
static int leaf(ls__xd *x, ls__xd_file *rf, ls__xd_blk res, uint64_t nrec, uint64_t nd,
                ls__xd_file *idf, ls__xd_blk ids, ls__xd_w *out)
{
    ls__xd_r in, r;
    int st;
    ls__xd_r_init(&in, idf, ids, x->k);
    ls__xd_r_init(&r, rf, res, x->k);
    if (nd > SIZE_MAX / sizeof *x->ids) { st = LS_ERR_NOMEM; goto done; }
    if (nd > x->ids_cap) {
        /* Just what this pass needs (not doubled): at most B / 72 ids. */
        uint32_t *t = ls__realloc(x->ids, (size_t)nd * sizeof *t);
        if (!t) { st = LS_ERR_NOMEM; goto done; }
        x->ids = t;
        x->ids_cap = (size_t)nd;
    }
    uint64_t id = 0, v, len, nloc = 0;
    for (uint64_t j = 0; j < nd; j++) {
        if ((st = ls__xd_r_varint(&in, &v))) goto done;
        id += v;
        if (id > UINT32_MAX) { st = LS_ERR_CORRUPT; goto done; }
        x->ids[j] = (uint32_t)id;
    }
    for (uint64_t i = 0; i < nrec; i++) {
        if ((st = ls__xd_r_varint(&r, &v))) goto done;
        uint64_t b = v >> 3;
        if (!b) {
            if (nloc >= nd) { st = LS_ERR_CORRUPT; goto done; }
            if ((st = ls__xd_r_varint(&r, &len)) ||
                (st = ls__xd_w_varint(out, (uint64_t)x->ids[nloc++] << 4 | 8 | (v & 7))) ||
                (st = ls__xd_w_varint(out, len)))
                goto done;
        } else {
            if (b > nloc) { st = LS_ERR_CORRUPT; goto done; }
            if ((st = ls__xd_w_varint(out, (uint64_t)x->ids[nloc - b] << 4 | (v & 7)))) goto done;
        }
    }
    st = nloc == nd ? LS_OK : LS_ERR_CORRUPT;
done:
    ls__xd_r_free(&in);
    ls__xd_r_free(&r);
    return st;
}

/* The state of one split's assignment. */
struct deal {
    ls__xd_w ids[LS__XD_FAN], fin[LS__XD_FAN];
    ls__xd_r r[LS__XD_FAN];
    uint64_t prev[LS__XD_FAN];
};

static void deal_free(struct deal *dl)
{
    if (!dl) return;
    for (unsigned q = 0; q < LS__XD_FAN; q++) {
        ls__xd_w_free(&dl->ids[q]);
        ls__xd_w_free(&dl->fin[q]);
        ls__xd_r_free(&dl->r[q]);
    }
    ls__free(dl);
}

/* A split table pass: its ids dealt to its parts in the order of the
 * split's tape, each part assigned, the parts' final streams merged. */
static int split(ls__xd *x, ls__xd_file *rf, ls__xd_blk res, uint64_t nrec, const ls__xd_node *node,
                 ls__xd_file *idf, ls__xd_blk ids, ls__xd_w *out)
{
    struct deal *dl = ls__calloc(1, sizeof *dl);
    ls__xd_r tape, r, in;
    unsigned k = node->k;
    int st = LS_ERR_NOMEM;
    ls__xd_r_init(&tape, &x->work, node->tape, x->k);
    ls__xd_r_init(&r, rf, res, x->k);
    ls__xd_r_init(&in, idf, ids, x->k);
    if (!dl) goto done;
    for (unsigned q = 0; q < k; q++) {
        ls__xd_w_init(&dl->ids[q], &x->work, x->k);
        ls__xd_w_init(&dl->fin[q], &x->work, x->k);
    }
    uint64_t id = 0, v, len;
    for (uint64_t i = 0; i < nrec; i++) {
        unsigned q;
        if ((st = ls__xd_r_byte(&tape, &q)) || (st = ls__xd_r_varint(&r, &v))) goto done;
        if (q >= k) { st = LS_ERR_CORRUPT; goto done; }
        if (v >> 3) continue;
        if ((st = ls__xd_r_varint(&r, &len)) || (st = ls__xd_r_varint(&in, &v))) goto done;
        id += v;
        if ((st = ls__xd_w_varint(&dl->ids[q], id - dl->prev[q]))) goto done;
        dl->prev[q] = id;
    }
    ls__xd_r_free(&r);
    ls__xd_r_free(&in);
    ls__xd_r_free(&tape);
    for (unsigned q = 0; q < k; q++)
        if ((st = ls__xd_w_close(&dl->ids[q]))) goto done;
    for (unsigned q = 0; q < k; q++) {
        if ((st = assign(x, &x->work, node->part[q].res, node->part[q].nrec, node->part[q].nd,
                         node->part[q].child, &x->work, dl->ids[q].head, &dl->fin[q])) ||
            (st = ls__xd_w_close(&dl->fin[q])))
            goto done;
        ls__xd_r_init(&dl->r[q], &x->work, dl->fin[q].head, x->k);
    }
    ls__xd_r_init(&tape, &x->work, node->tape, x->k);
    for (uint64_t i = 0; i < nrec; i++) {
        unsigned q;
        if ((st = ls__xd_r_byte(&tape, &q))) goto done;
        if (q >= k) { st = LS_ERR_CORRUPT; goto done; }
        if ((st = ls__xd_r_varint(&dl->r[q], &v)) || (st = ls__xd_w_varint(out, v))) goto done;
        if ((v & 8) && ((st = ls__xd_r_varint(&dl->r[q], &v)) || (st = ls__xd_w_varint(out, v)))) goto done;
    }
    st = LS_OK;
done:
    ls__xd_r_free(&tape);
    ls__xd_r_free(&r);
    ls__xd_r_free(&in);
    deal_free(dl);
    return st;
}

/* The final stream of the nrec results at res (nd distinct strings, split
 * as node says) into out, given their ids at ids. */
static int assign(ls__xd *x, ls__xd_file *rf, ls__xd_blk res, uint64_t nrec, uint64_t nd,
                  const ls__xd_node *node, ls__xd_file *idf, ls__xd_blk ids, ls__xd_w *out)
{
    if (!nrec) return LS_OK;
    return node ? split(x, rf, res, nrec, node, idf, ids, out) : leaf(x, rf, res, nrec, nd, idf, ids, out);
}

/* Step 1: the ids dealt to the partitions' ids streams (w, in the main
 * file) through the tape. */
static int distribute(ls__xd *x, ls__xd_w *w, uint64_t *prev)
{
    unsigned P = x->nparts;
    ls__xd_r tape, *r = ls__calloc(P, sizeof *r);
    int st = LS_ERR_NOMEM;
    ls__xd_r_init(&tape, &x->main, x->tape.head, x->k);
    if (!r) goto done;
    for (unsigned p = 0; p < P; p++) ls__xd_r_init(&r[p], &x->main, x->part[p].res.head, x->k);
    uint64_t id = 0, v, len;
    for (uint64_t g = 0; g < x->n; g++) {
        unsigned p;
        if ((st = ls__xd_r_byte(&tape, &p))) goto done;
        if (p >= P) { st = LS_ERR_CORRUPT; goto done; }
        if ((st = ls__xd_r_varint(&r[p], &v))) goto done;
        if (v >> 3) continue;
        if ((st = ls__xd_r_varint(&r[p], &len)) || (st = ls__xd_w_varint(&w[p], id - prev[p]))) goto done;
        prev[p] = id++;
    }
    st = id == x->distinct ? LS_OK : LS_ERR_CORRUPT;
    for (unsigned p = 0; !st && p < P; p++) st = ls__xd_w_close(&w[p]);
done:
    ls__xd_r_free(&tape);
    for (unsigned p = 0; r && p < P; p++) ls__xd_r_free(&r[p]);
    ls__free(r);
    return st;
}

int ls__xd_assign(ls__xd *x)
{
    unsigned P = x->nparts;
    ls__xd_w *w = ls__calloc(P, sizeof *w);
    uint64_t *prev = ls__calloc(P, sizeof *prev);
    int st = LS_ERR_NOMEM;
    if (!w || !prev) goto done;
    for (unsigned p = 0; p < P; p++) ls__xd_w_init(&w[p], &x->main, x->k);
    if ((st = distribute(x, w, prev))) goto done;
    for (unsigned p = 0; p < P; p++) {
        struct ls__xd_part *pt = &x->part[p];
        ls__xd_w fin;
        ls__xd_w_init(&fin, &x->main, x->k);
        st = assign(x, &x->main, pt->res.head, pt->nrec, pt->nd, pt->node, &x->main, w[p].head, &fin);
        if (!st) st = ls__xd_w_close(&fin);
        ls__xd_w_free(&fin);
        if (st) goto done;
        pt->res.head = fin.head;
        ls__xd_node_free(pt->node);
        pt->node = NULL;
    }
    /* The splits and long strings are not needed again. */
    if (x->work.end && ftruncate(x->work.fd, 0) != 0) st = LS_ERR_IO;
    x->work.end = 0;
done:
    for (unsigned p = 0; w && p < P; p++) ls__xd_w_free(&w[p]);
    ls__free(w);
    ls__free(prev);
    ls__free(x->ids);
    x->ids = NULL;
    x->ids_cap = 0;
    return st ? ls__xd_io_fail(x, st, "resolve strings through") : LS_OK;
}
