/*
 * builder_runs.c — puts the events of a store too big to sort at once in
 * store order with bounded memory (builder_runs.h; the in-memory sort of
 * one run is builder_sort.c's).
 *
 * The events are cut into runs of consecutive events: at most R of them
 * (ls__sort_run), and fewer when their list entries would not fit in the
 * sort's scratch (4 bytes each, so at most 4R entries).  For each run:
 * its times and post ids are read (pread from the spill files, or in
 * place for columns in RAM, so no mapped column becomes resident), the
 * kept events' (time, post, index) keys are radix-sorted, and every
 * column is gathered through the run's permutation and appended to one
 * unlinked temporary file per column: all runs of a column back to back,
 * the list offsets as entry counts per event.  A k-way merge of the runs'
 * (time, post) streams (a binary heap; post ids are unique, so there are
 * no ties) then writes the tape: for each event of the store, the run it
 * comes from, in 1, 2 or 4 bytes.  Each event section is written by
 * reading the tape again and taking the next element of that run's
 * stream: all reads are sequential, through buffers of at most 16 MiB
 * per section in all.
 *
 * Memory: 36 bytes per run event (keys, scratch, permutation), reused by
 * every run; the files live in the page cache, which the kernel writes
 * back and frees under pressure.  Time O(n log k) for the merge and O(n)
 * for the rest; every byte of the event columns is written and read back
 * once more than in the in-memory path.
 */
#include "builder_runs.h"

#include <errno.h>
#include <unistd.h>

#define CHUNK ((size_t)1 << 18)            /* bytes of a write buffer */
#define READ_BUDGET ((size_t)8 << 20)      /* read buffers of all runs, per stream */
#define CHECK_STEP ((size_t)1 << 16)       /* events per read of the order check */
#define SIGN (UINT64_C(1) << 63)

enum { COUNTS = 8 };                       /* the column of the entry counts */

struct ls__runs {
    ls__builder *b;
    size_t k;                  /* runs */
    uint64_t *ev_at, *li_at;   /* k + 1: first kept event / entry of each run */
    int fd[LS__N_COLS];        /* run files by column, -1: the column is all defaults */
    int tape;                  /* the tape file */
    unsigned tw;               /* bytes per tape entry */
    size_t n, n_li;            /* kept events and entries */
    unsigned char *chunk;      /* CHUNK bytes of output */
};

/* A sequential reader of bytes [pos, end) of a file through buf. */
typedef struct {
    int fd;
    uint64_t pos, end;
    unsigned char *buf;
    size_t cap, n, i;
} reader;

static int fill(reader *r)
{
    size_t m = (size_t)LS__MIN((uint64_t)r->cap, r->end - r->pos);
    if (!m) { errno = EIO; return LS_ERR_IO; }     /* read past a run's end */
    if (ls__spill_pread(r->fd, r->buf, m, r->pos)) return LS_ERR_IO;
    r->pos += m;
    r->n = m;
    r->i = 0;
    return LS_OK;
}

/* The next e bytes (buffers hold whole elements). */
static inline const unsigned char *next(reader *r, size_t e)
{
    if (r->i == r->n && fill(r)) return NULL;
    const unsigned char *p = r->buf + r->i;
    r->i += e;
    return p;
}

/* k readers of elem-byte elements, run r's from byte at[r] * elem to
 * at[r + 1] * elem of fd, with buffers from one allocation (*mem). */
static int readers(reader *rd, size_t k, int fd, const uint64_t *at, size_t elem, unsigned char **mem)
{
    size_t cap = LS__MAX(elem, READ_BUDGET / k / elem * elem), total = 0;
    for (size_t r = 0; r < k; r++) total += (size_t)LS__MIN((uint64_t)cap, (at[r + 1] - at[r]) * elem);
    if (!(*mem = ls__malloc(total ? total : 1))) return LS_ERR_NOMEM;
    unsigned char *p = *mem;
    for (size_t r = 0; r < k; r++) {
        rd[r] = (reader){ fd, at[r] * elem, at[r + 1] * elem, p, 0, 0, 0 };
        rd[r].cap = (size_t)LS__MIN((uint64_t)cap, rd[r].end - rd[r].pos);
        p += rd[r].cap;
    }
    return LS_OK;
}

/* Elements [first, first + cnt) of builder column k: in place when the
 * column is in RAM, else read from its spill file into buf (NULL and
 * errno on a failed read). */
static const void *col_get(ls__builder *b, int k, size_t first, size_t cnt, void *buf)
{
    void **arrs[LS__N_COLS];
    size_t e = ls__builder_col_elem(k);
    if (!cnt) return buf;
    ls__builder_cols(b, arrs);
    if (!b->col_map[k]) return (const unsigned char *)*arrs[k] + first * e;
    return ls__spill_pread(b->col_fd[k], buf, cnt * e, (uint64_t)first * e) ? NULL : buf;
}

/* The first list entry of event i (n_li for i = n_ev). */
static int list_at(ls__builder *b, size_t i, size_t *v)
{
    uint32_t x;
    const uint32_t *p;
    if (i >= b->n_ev) { *v = b->n_li; return LS_OK; }
    if (!(p = col_get(b, 8, i, 1, &x))) return LS_ERR_IO;
    *v = *p;
    return LS_OK;
}

static int io_fail(ls__builder *b, const char *what)
{
    return ls__fail(b->ctx, LS_ERR_IO, "cannot %s a sort run file in %s: %s", what, b->spill_dir,
                    strerror(errno ? errno : EIO));
}

/* 1 in *ordered when the kept events are in (time, post) order; reads
 * the two columns CHECK_STEP events at a time into buf. */
static int in_order(ls__builder *b, unsigned char *buf, int *ordered)
{
    int64_t t0 = 0;
    uint32_t p0 = 0;
    int have = 0;
    *ordered = 0;
    for (size_t s = 0; s < b->n_ev; s += CHECK_STEP) {
        size_t c = LS__MIN(CHECK_STEP, b->n_ev - s);
        const int64_t *t = col_get(b, 0, s, c, buf);
        const uint32_t *p = col_get(b, 1, s, c, buf + 8 * CHECK_STEP);
        if (!t || !p) return io_fail(b, "read");
        for (size_t i = 0; i < c; i++) {
            if (ls__builder_dropped(b, s + i)) continue;
            if (have && (t0 > t[i] || (t0 == t[i] && p0 > p[i]))) return LS_OK;
            t0 = t[i];
            p0 = p[i];
            have = 1;
        }
    }
    *ordered = 1;
    return LS_OK;
}

/* Appends src[perm[0..m)] (elements of e bytes) to fd through chunk. */
static int gather(int fd, unsigned char *chunk, const unsigned char *src, size_t e, const uint32_t *perm, size_t m)
{
    size_t per = CHUNK / e;
    for (size_t i = 0; i < m; i += per) {
        size_t c = LS__MIN(per, m - i);
        const uint32_t *q = perm + i;
        switch (e) {
        case 1: for (size_t j = 0; j < c; j++) chunk[j] = src[q[j]]; break;
        case 2: for (size_t j = 0; j < c; j++) memcpy(chunk + 2 * j, src + 2 * (size_t)q[j], 2); break;
        case 4: for (size_t j = 0; j < c; j++) memcpy(chunk + 4 * j, src + 4 * (size_t)q[j], 4); break;
        default: for (size_t j = 0; j < c; j++) memcpy(chunk + e * j, src + e * (size_t)q[j], e); break;
        }
        if (ls__spill_write(fd, chunk, c * e)) return LS_ERR_IO;
    }
    return LS_OK;
}

/* A write buffer over a file. */
typedef struct { int fd; unsigned char *p; size_t n; int err; } wbuf;

static inline void wput(wbuf *w, const void *p, size_t n)
{
    if (w->n + n > CHUNK) {
        if (!w->err && ls__spill_write(w->fd, w->p, w->n)) w->err = errno ? errno : EIO;
        w->n = 0;
    }
    memcpy(w->p + w->n, p, n);
    w->n += n;
}

static int wflush(wbuf *w)
{
    if (!w->err && w->n && ls__spill_write(w->fd, w->p, w->n)) w->err = errno ? errno : EIO;
    w->n = 0;
    if (w->err) { errno = w->err; return LS_ERR_IO; }
    return LS_OK;
}

/* Sorts run [s, e) (m kept events) and appends it to the run files;
 * x and y hold 16 * (e - s) bytes at least, y also 4 bytes per list
 * entry of the run, perm e - s words.  *m_out, *li_out: kept events and
 * entries. */
static int one_run(ls__runs *rs, size_t s, size_t e, ls__sort_key *x, ls__sort_key *y, uint32_t *perm,
                   size_t (*hist)[256], size_t *m_out, size_t *li_out)
{
    ls__builder *b = rs->b;
    size_t n = e - s, m = 0, li0, li1;
    unsigned char *yb = (unsigned char *)y;
    void **arrs[LS__N_COLS];
    const int64_t *tm = col_get(b, 0, s, n, yb);
    const uint32_t *po = col_get(b, 1, s, n, yb + 8 * n);
    if (!tm || !po) return io_fail(b, "read");
    memset(hist, 0, 12 * sizeof *hist);
    for (size_t i = 0; i < n; i++) {
        if (ls__builder_dropped(b, s + i)) continue;
        x[m] = (ls__sort_key){ (uint64_t)tm[i] ^ SIGN, po[i], (uint32_t)i };
        ls__sort_count(hist, &x[m]);
        m++;
    }
    const ls__sort_key *k = ls__sort_keys(x, y, m, hist);
    wbuf w = { rs->fd[0], rs->chunk, 0, 0 };
    for (size_t i = 0; i < m; i++) {
        int64_t t = (int64_t)(k[i].t ^ SIGN);
        wput(&w, &t, 8);
    }
    if (wflush(&w)) return io_fail(b, "write");
    w.fd = rs->fd[1];
    for (size_t i = 0; i < m; i++) wput(&w, &k[i].post, 4);
    if (wflush(&w)) return io_fail(b, "write");
    for (size_t i = 0; i < m; i++) perm[i] = k[i].idx;

    /* x and y are free from here on. */
    ls__builder_cols(b, arrs);
    for (int c = 2; c < LS__N_EV_COLS; c++) {
        if (c == COUNTS || rs->fd[c] < 0) continue;
        const unsigned char *src = col_get(b, c, s, n, yb);
        if (!src) return io_fail(b, "read");
        if (gather(rs->fd[c], rs->chunk, src, ls__builder_col_elem(c), perm, m)) return io_fail(b, "write");
    }

    /* List entries: counts in run order, then the entries of each event
     * (a run's entries are consecutive: li0 .. li1). */
    const uint32_t *lst = col_get(b, 8, s, n, x);
    if (!lst || list_at(b, s, &li0) || list_at(b, e, &li1)) return io_fail(b, "read");
    size_t kept = 0;
    w.fd = rs->fd[COUNTS];
    for (size_t i = 0; i < m; i++) {
        size_t p = perm[i];
        uint32_t c = (uint32_t)((p + 1 < n ? lst[p + 1] : li1) - lst[p]);
        wput(&w, &c, 4);
        kept += c;
    }
    if (wflush(&w)) return io_fail(b, "write");
    for (int c = LS__N_EV_COLS; c < LS__N_COLS && kept; c++) {
        size_t el = ls__builder_col_elem(c);
        const unsigned char *src = col_get(b, c, li0, li1 - li0, yb);
        if (!src) return io_fail(b, "read");
        w.fd = rs->fd[c];
        for (size_t i = 0; i < m; i++) {
            size_t p = perm[i], a = lst[p] - li0, z = (p + 1 < n ? lst[p + 1] : li1) - li0;
            for (size_t j = a; j < z;) {
                size_t part = LS__MIN(z - j, CHUNK / el);
                wput(&w, src + j * el, part * el);
                j += part;
            }
        }
        if (wflush(&w)) return io_fail(b, "write");
    }
    *m_out = m;
    *li_out = kept;
    return LS_OK;
}

/* Heap entry of the merge: a run's next key. */
typedef struct { uint64_t t; uint32_t post, r; } head;

static inline int before(const head *a, const head *b)
{
    return a->t < b->t || (a->t == b->t && a->post < b->post);
}

static void sift(head *h, size_t n, size_t i)
{
    head v = h[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && before(&h[c + 1], &h[c])) c++;
        if (!before(&h[c], &v)) break;
        h[i] = h[c];
        i = c;
    }
    h[i] = v;
}

/* The k-way merge: writes the tape. */
static int merge(ls__runs *rs)
{
    ls__builder *b = rs->b;
    size_t k = rs->k, nh = 0;
    int st = LS_OK;
    reader *rt = ls__calloc(k, sizeof *rt), *rp = ls__calloc(k, sizeof *rp);
    head *h = ls__malloc(k * sizeof *h);
    unsigned char *mt = NULL, *mp = NULL;
    wbuf w = { rs->tape, rs->chunk, 0, 0 };
    if (!rt || !rp || !h || readers(rt, k, rs->fd[0], rs->ev_at, 8, &mt) ||
        readers(rp, k, rs->fd[1], rs->ev_at, 4, &mp)) {
        st = ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory merging sorted runs");
        goto done;
    }
    for (size_t r = 0; r < k; r++) {
        if (rs->ev_at[r + 1] == rs->ev_at[r]) continue;
        const unsigned char *t = next(&rt[r], 8), *p = next(&rp[r], 4);
        if (!t || !p) { st = io_fail(b, "read"); goto done; }
        int64_t tv;
        memcpy(&tv, t, 8);
        h[nh].t = (uint64_t)tv ^ SIGN;
        memcpy(&h[nh].post, p, 4);
        h[nh].r = (uint32_t)r;
        nh++;
    }
    for (size_t i = nh / 2; i-- > 0;) sift(h, nh, i);
    for (size_t i = 0; i < rs->n; i++) {
        if (!nh) { errno = EIO; st = io_fail(b, "merge"); goto done; }
        uint32_t r = h[0].r;
        if (rs->tw == 1) { uint8_t v = (uint8_t)r; wput(&w, &v, 1); }
        else if (rs->tw == 2) { uint16_t v = (uint16_t)r; wput(&w, &v, 2); }
        else wput(&w, &r, 4);
        if (rt[r].pos < rt[r].end || rt[r].i < rt[r].n) {
            const unsigned char *t = next(&rt[r], 8), *p = next(&rp[r], 4);
            if (!t || !p) { st = io_fail(b, "read"); goto done; }
            int64_t tv;
            memcpy(&tv, t, 8);
            h[0].t = (uint64_t)tv ^ SIGN;
            memcpy(&h[0].post, p, 4);
        } else {
            h[0] = h[--nh];
        }
        sift(h, nh, 0);
    }
    if (wflush(&w)) st = io_fail(b, "write");
done:
    ls__free(rt);
    ls__free(rp);
    ls__free(h);
    ls__free(mt);
    ls__free(mp);
    return st;
}

int ls__runs_sort(ls__builder *b, size_t run, ls__runs **out)
{
    ls__runs *rs = NULL;
    ls__sort_key *x = NULL, *y = NULL;
    uint32_t *perm = NULL;
    size_t (*hist)[256] = NULL, n = b->n_ev, R = LS__MIN(run, n), cap_k = 0;
    size_t ybytes = 16 * LS__MAX(R, (size_t)4096);
    int st = LS_OK, ordered;
    unsigned char *buf = NULL;

    *out = NULL;
    if (!(buf = ls__malloc(12 * CHECK_STEP))) return ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory sorting events");
    st = in_order(b, buf, &ordered);
    ls__free(buf);
    if (st || ordered) return st;

    rs = ls__calloc(1, sizeof *rs);
    if (!rs) return ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory sorting events");
    rs->b = b;
    rs->tape = -1;
    for (int c = 0; c < LS__N_COLS; c++) rs->fd[c] = -1;
    x = ls__malloc(ybytes);
    y = ls__malloc(ybytes);
    perm = ls__malloc(R * sizeof *perm);
    hist = ls__malloc(12 * sizeof *hist);
    rs->chunk = ls__malloc(CHUNK);
    if (!x || !y || !perm || !hist || !rs->chunk) { st = ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory sorting events"); goto done; }

    /* A file for every column that holds more than defaults. */
    void **arrs[LS__N_COLS];
    ls__builder_cols(b, arrs);
    for (int c = 0; c < LS__N_COLS; c++) {
        if (c < LS__N_EV_COLS && c != COUNTS && !*arrs[c]) continue;
        if (c >= LS__N_EV_COLS && !b->n_li) continue;
        if (ls__spill_open(b->spill_dir, &rs->fd[c])) { st = io_fail(b, "create"); goto done; }
    }

    for (size_t s = 0; s < n;) {
        size_t e = s + LS__MIN(R, n - s), l0, l1, cap = ybytes / 4;
        if (list_at(b, s, &l0) || list_at(b, e, &l1)) { st = io_fail(b, "read"); goto done; }
        if (l1 - l0 > cap) {
            /* Too many entries for the scratch: the longest prefix whose
             * entries fit, at least one event (and the scratch grows for
             * an event with more entries than it holds). */
            size_t lo = s + 1, hi = e, v;
            if (list_at(b, lo, &v)) { st = io_fail(b, "read"); goto done; }
            if (v - l0 > cap) {
                void *g = ls__realloc(y, (v - l0) * 4);
                if (!g) { st = ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory sorting events"); goto done; }
                y = g;
                ybytes = (v - l0) * 4;
                hi = lo;
            }
            while (lo < hi) {
                size_t mid = lo + (hi - lo + 1) / 2;
                if (list_at(b, mid, &v)) { st = io_fail(b, "read"); goto done; }
                if (v - l0 <= cap) lo = mid;
                else hi = mid - 1;
            }
            e = lo;
        }
        if (rs->k == cap_k) {
            size_t nc = cap_k ? 2 * cap_k : 64;
            uint64_t *a = ls__realloc(rs->ev_at, (nc + 1) * sizeof *a);
            if (a) rs->ev_at = a;
            uint64_t *c = ls__realloc(rs->li_at, (nc + 1) * sizeof *c);
            if (c) rs->li_at = c;
            if (!a || !c) { st = ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory sorting events"); goto done; }
            if (!cap_k) rs->ev_at[0] = rs->li_at[0] = 0;
            cap_k = nc;
        }
        size_t m = 0, li = 0;
        if ((st = one_run(rs, s, e, x, y, perm, hist, &m, &li))) goto done;
        rs->k++;
        rs->ev_at[rs->k] = rs->ev_at[rs->k - 1] + m;
        rs->li_at[rs->k] = rs->li_at[rs->k - 1] + li;
        s = e;
    }
    rs->n = (size_t)rs->ev_at[rs->k];
    rs->n_li = (size_t)rs->li_at[rs->k];
    if (rs->n != n - b->n_drop) { st = ls__fail(b->ctx, LS_ERR_INTERNAL, "sort runs lost events"); goto done; }
    /* The sort's memory goes before the merge. */
    ls__free(x);
    ls__free(y);
    ls__free(perm);
    ls__free(hist);
    x = y = NULL;
    perm = NULL;
    hist = NULL;
    rs->tw = rs->k <= 256 ? 1 : rs->k <= 65536 ? 2 : 4;
    if (ls__spill_open(b->spill_dir, &rs->tape)) { st = io_fail(b, "create"); goto done; }
    if ((st = merge(rs))) goto done;
    *out = rs;
    rs = NULL;
done:
    ls__free(x);
    ls__free(y);
    ls__free(perm);
    ls__free(hist);
    ls__runs_free(rs);
    return st;
}

size_t ls__runs_events(const ls__runs *rs) { return rs->n; }
size_t ls__runs_entries(const ls__runs *rs) { return rs->n_li; }

/* The run of entry j of a buffer of tw-byte tape entries. */
static inline uint32_t tape_at(const unsigned char *p, size_t j, unsigned tw)
{
    uint16_t v2;
    uint32_t v4;
    if (tw == 1) return p[j];
    if (tw == 2) { memcpy(&v2, p + 2 * j, 2); return v2; }
    memcpy(&v4, p + 4 * j, 4);
    return v4;
}

/* Replays the tape over the runs' streams of an event column (e-byte
 * elements).  Inlined with constant tw and e where it is called, so that
 * the loop (one tape entry, one buffer check and one fixed-size copy per
 * event) is compiled for each common pair. */
static inline __attribute__((always_inline)) int replay(ls__runs *rs, reader *tape, reader *dat, unsigned tw,
                                                        size_t e, ls__sink *sink, void *arg)
{
    unsigned char *out = rs->chunk;
    size_t o = 0;
    for (size_t i = 0; i < rs->n;) {
        if (tape->i == tape->n && fill(tape)) return LS_ERR_IO;
        size_t c = LS__MIN((tape->n - tape->i) / tw, (CHUNK - o) / e);
        const unsigned char *tp = tape->buf + tape->i;
        for (size_t j = 0; j < c; j++) {
            reader *d = &dat[tape_at(tp, j, tw)];
            if (d->i == d->n && fill(d)) return LS_ERR_IO;
            memcpy(out + o, d->buf + d->i, e);
            d->i += e;
            o += e;
        }
        tape->i += c * tw;
        i += c;
        if (o + e > CHUNK) { sink(arg, out, o); o = 0; }
    }
    if (o) sink(arg, out, o);
    return LS_OK;
}

static int put_events(ls__runs *rs, reader *tape, reader *dat, size_t e, ls__sink *sink, void *arg)
{
    if (rs->tw == 1) {
        switch (e) {
        case 1: return replay(rs, tape, dat, 1, 1, sink, arg);
        case 2: return replay(rs, tape, dat, 1, 2, sink, arg);
        case 4: return replay(rs, tape, dat, 1, 4, sink, arg);
        case 8: return replay(rs, tape, dat, 1, 8, sink, arg);
        default: break;
        }
    }
    return replay(rs, tape, dat, rs->tw, e, sink, arg);
}

/* The LS__SEC_EV_LIST offsets from the runs' entry counts. */
static int put_offsets(ls__runs *rs, reader *tape, reader *cnt, ls__sink *sink, void *arg)
{
    unsigned char *out = rs->chunk;
    size_t o = 0;
    uint32_t off = 0, c;
    for (size_t i = 0; i < rs->n;) {
        if (tape->i == tape->n && fill(tape)) return LS_ERR_IO;
        size_t m = LS__MIN((tape->n - tape->i) / rs->tw, (CHUNK - o) / 4);
        const unsigned char *tp = tape->buf + tape->i;
        for (size_t j = 0; j < m; j++) {
            reader *d = &cnt[tape_at(tp, j, rs->tw)];
            if (d->i == d->n && fill(d)) return LS_ERR_IO;
            memcpy(&c, d->buf + d->i, 4);
            d->i += 4;
            memcpy(out + o, &off, 4);
            o += 4;
            off += c;
        }
        tape->i += m * rs->tw;
        i += m;
        if (o + 4 > CHUNK) { sink(arg, out, o); o = 0; }
    }
    memcpy(out + o, &off, 4);
    sink(arg, out, o + 4);
    return LS_OK;
}

/* An entry section (e bytes an entry): each event's entries from its
 * run's stream, as many as its count says. */
static int put_entries(ls__runs *rs, reader *tape, reader *cnt, reader *dat, size_t e, ls__sink *sink, void *arg)
{
    unsigned char *out = rs->chunk;
    size_t o = 0;
    uint32_t c;
    for (size_t i = 0; i < rs->n;) {
        if (tape->i == tape->n && fill(tape)) return LS_ERR_IO;
        size_t m = (tape->n - tape->i) / rs->tw;
        const unsigned char *tp = tape->buf + tape->i;
        for (size_t j = 0; j < m; j++) {
            uint32_t r = tape_at(tp, j, rs->tw);
            reader *d = &cnt[r], *x = &dat[r];
            if (d->i == d->n && fill(d)) return LS_ERR_IO;
            memcpy(&c, d->buf + d->i, 4);
            d->i += 4;
            size_t left = (size_t)c * e;
            if (left <= x->n - x->i && left <= CHUNK - o) {
                memcpy(out + o, x->buf + x->i, left);
                x->i += left;
                o += left;
                continue;
            }
            /* Across a buffer's end: in pieces. */
            while (left) {
                if (x->i == x->n && fill(x)) return LS_ERR_IO;
                if (o == CHUNK) { sink(arg, out, o); o = 0; }
                size_t part = LS__MIN(left, LS__MIN(x->n - x->i, CHUNK - o));
                memcpy(out + o, x->buf + x->i, part);
                x->i += part;
                o += part;
                left -= part;
            }
        }
        tape->i += m * rs->tw;
        i += m;
    }
    if (o) sink(arg, out, o);
    return LS_OK;
}

int ls__runs_put(ls__runs *rs, int k, ls__sink *sink, void *arg)
{
    size_t K = rs->k, e = ls__builder_col_elem(k);
    int lists = k >= LS__N_EV_COLS, st = LS_OK;
    unsigned char *mt = NULL, *mc = NULL, *md = NULL;
    reader tape = { rs->tape, 0, (uint64_t)rs->n * rs->tw, NULL, 0, 0, 0 };
    reader *cnt = NULL, *dat = NULL;

    if (lists && !rs->n_li) return LS_OK;
    if (!lists && k != COUNTS && rs->fd[k] < 0) {
        /* A column of defaults: every byte 0xFF. */
        memset(rs->chunk, 0xFF, CHUNK);
        for (uint64_t left = (uint64_t)rs->n * e; left;) {
            size_t c = (size_t)LS__MIN((uint64_t)CHUNK, left);
            sink(arg, rs->chunk, c);
            left -= c;
        }
        return LS_OK;
    }
    tape.cap = (size_t)LS__MIN((uint64_t)CHUNK, tape.end);
    cnt = ls__calloc(K, sizeof *cnt);
    dat = ls__calloc(K, sizeof *dat);
    if (!cnt || !dat || !(tape.buf = mt = ls__malloc(tape.cap ? tape.cap : 1)) ||
        ((k == COUNTS || lists) && readers(cnt, K, rs->fd[COUNTS], rs->ev_at, 4, &mc)) ||
        (k != COUNTS && readers(dat, K, rs->fd[k], lists ? rs->li_at : rs->ev_at, e, &md))) {
        errno = ENOMEM;
        st = LS_ERR_NOMEM;
        goto done;
    }
    if (k == COUNTS) st = put_offsets(rs, &tape, cnt, sink, arg);
    else if (lists) st = put_entries(rs, &tape, cnt, dat, e, sink, arg);
    else st = put_events(rs, &tape, dat, e, sink, arg);
done:
    ls__free(cnt);
    ls__free(dat);
    ls__free(mt);
    ls__free(mc);
    ls__free(md);
    return st;
}

void ls__runs_free(ls__runs *rs)
{
    if (!rs) return;
    for (int c = 0; c < LS__N_COLS; c++)
        if (rs->fd[c] >= 0) close(rs->fd[c]);
    if (rs->tape >= 0) close(rs->tape);
    ls__free(rs->ev_at);
    ls__free(rs->li_at);
    ls__free(rs->chunk);
    ls__free(rs);
}
