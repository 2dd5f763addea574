/*
 * builder_acct.c — accounts, names and profile strings beyond their
 * frozen pools: what keeps ingest's memory from growing with the number
 * of distinct accounts.
 *
 * The account pool freezes like the post, text and URL pools
 * (builder_freeze.c): an account it does not hold gets LS__PROV in its
 * column or mention entry and goes to the account deduplicator.  Such an
 * account has no profile row in memory; the profile values a row gives
 * it are interned as usual (screen and display names, location,
 * description, URL, language: so every namespace gets the ids an
 * unbounded pool would give) and logged, in row order, with the number of
 * the deduplicator's occurrence they belong to (plog, on disk past 64
 * KiB).  At write time:
 *
 * - the provisional values in the author, retweeted and replied-to
 *   account columns and in the mention entries are replaced by the next
 *   id of the account stream, event by event (author, retweeted account,
 *   replied-to account, then the event's mentions: the order they were
 *   recorded in);
 * - the log is read back alongside the deduplicator's occurrences, which
 *   turns each record's occurrence into its account, and folded into one
 *   row per account past the pool (the tail), with the builder's rules: a
 *   value given overrides, an empty one leaves the row as it was, rows in
 *   input order.  Records go to up to 128 bucket files by account, so
 *   that one bucket's rows (48 bytes each, at most FOLD_AT bytes) are in
 *   memory at a time; with few accounts there is one bucket and no file.
 *   The tail's rows are written one spill file per profile column, which
 *   the writer copies after the pool's rows.
 *
 * Names and profile strings: their pools freeze too.  Once a value of a
 * row is past its frozen pool (LS__PROV), that row and every later one
 * are logged, accounts the pool holds included (plog_held), so that each
 * account's rows are applied in input order: the held ones to their rows
 * in memory during the same pass, whose strings get their ids from the
 * name and profile-string streams as it goes; a pending RT @name pair
 * whose name is provisional is logged too (R_RT) and gets its name there.
 *
 * So the store is byte for byte the one an unbounded pool gives (the
 * freeze tests ingest every fixture both ways).  Synthetic "@name"
 * accounts made by the RT @name resolution after the pool froze are the
 * extra accounts, after the tail (builder_resolve.c).
 *
 * Memory: the log's 64 KiB buffer while reading input; at write time the
 * deduplicator's (xdedup.h), one bucket's rows and 64 KiB per bucket
 * file.  Disk: 56 bytes per logged row, and the same again for buckets.
 */
#include "builder.h"
#include "xdedup.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

/* One logged profile: occ is the account deduplicator's occurrence (in
 * buckets: the account's index in the tail), or with HELD the id of an
 * account the pool holds; an RT record only marks a pending RT @name
 * pair whose name is provisional. */
typedef struct {
    uint64_t occ;
    int64_t created, followers, following;
    uint32_t str[5];          /* screen, display, location, description, url */
    uint16_t lang, flags;
} prec;
#define R_LANG 1u
#define R_HELD 2u
#define R_RT 4u

/* One account's profile row while folding. */
typedef struct {
    int64_t created, followers, following;
    uint32_t str[5];
    uint16_t lang;
} trow;

#define PLOG_BUF ((size_t)64 << 10)
#define FOLD_AT ((size_t)64 << 20)
#define MAX_BUCKETS 128u
#define BUCKET_BUF ((size_t)64 << 10)

static const unsigned char acc_elem[LS__N_ACC_COLS] = { 4, 4, 8, 8, 8, 2, 4, 4, 4 };

void ls__builder_acct_init(ls__builder *b)
{
    b->plog_fd = -1;
    for (int c = 0; c < LS__N_ACC_COLS; c++) b->tail_fd[c] = -1;
    ls__intern_init(&b->extra);
}

void ls__builder_acct_free(ls__builder *b)
{
    if (b->plog_fd >= 0) close(b->plog_fd);
    b->plog_fd = -1;
    ls__buf_free(&b->plog);
    for (int c = 0; c < LS__N_ACC_COLS; c++) {
        if (b->tail_fd[c] >= 0) close(b->tail_fd[c]);
        b->tail_fd[c] = -1;
    }
    ls__intern_free(&b->extra);
    ls__free(b->extra_screen);
    b->extra_screen = NULL;
    b->extra_cap = 0;
}

static int io_fail(ls__builder *b)
{
    b->spill_err = errno ? errno : EIO;
    return ls__fail(b->ctx, LS_ERR_IO, "cannot write or read a spill file in %s: %s", b->spill_dir,
                    strerror(b->spill_err));
}

static int plog_flush(ls__builder *b)
{
    if (!b->plog.n) return LS_OK;
    if ((b->plog_fd < 0 && ls__spill_open(b->spill_dir, &b->plog_fd)) ||
        ls__spill_write(b->plog_fd, b->plog.p, b->plog.n))
        return io_fail(b);
    b->plog.n = 0;
    return LS_OK;
}

static int plog_put(ls__builder *b, const prec *r)
{
    if (ls__buf_put(&b->plog, r, sizeof *r)) return ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory adding accounts");
    b->n_plog++;
    return b->plog.n >= PLOG_BUF ? plog_flush(b) : LS_OK;
}

static int log_rec(ls__builder *b, uint64_t occ, const uint32_t str[5], uint16_t lang, unsigned flags,
                   int64_t created, int64_t followers, int64_t following)
{
    prec r;
    memset(&r, 0, sizeof r);
    r.occ = occ;
    r.created = created;
    r.followers = followers;
    r.following = following;
    memcpy(r.str, str, sizeof r.str);
    r.lang = lang;
    r.flags = (uint16_t)flags;
    return plog_put(b, &r);
}

int ls__builder_acct_log_loaded(ls__builder *b, uint64_t k, const uint32_t str[5], uint16_t lang,
                                int64_t created, int64_t followers, int64_t following)
{
    /* A stored row is a whole state: its language, even the default,
     * replaces the default. */
    return log_rec(b, k, str, lang, R_LANG, created, followers, following);
}

int ls__builder_acct_log(ls__builder *b, uint32_t a, const uint32_t str[5], uint16_t lang, int lang_set,
                         int64_t created, int64_t followers, int64_t following)
{
    unsigned fl = lang_set ? R_LANG : 0;
    if (a != LS__PROV) return log_rec(b, a, str, lang, fl | R_HELD, created, followers, following);
    ls__xd *x = b->xd[LS_NS_ACCOUNT];
    if (!x || !ls__xd_count(x))
        return ls__fail(b->ctx, LS_ERR_INTERNAL, "a provisional account with no occurrence");
    return log_rec(b, ls__xd_count(x) - 1, str, lang, fl, created, followers, following);
}

int ls__builder_acct_log_rt(ls__builder *b)
{
    const uint32_t none[5] = { LS__PROV, LS__NONE, LS__NONE, LS__NONE, LS__NONE };
    return log_rec(b, 0, none, 0, R_RT, LS__TIME_NONE, -1, -1);
}

uint64_t ls__builder_acct_count(const ls__builder *b)
{
    return (uint64_t)b->n_acc + b->n_tail + b->extra.n;
}

int ls__builder_tail_read(ls__builder *b, int c, uint64_t k, size_t n, void *p)
{
    if (!n) return LS_OK;
    if (k + n > b->n_tail || b->tail_fd[c] < 0 ||
        ls__spill_pread(b->tail_fd[c], p, n * acc_elem[c], k * acc_elem[c]))
        return io_fail(b);
    return LS_OK;
}

int ls__builder_tail_set_screen(ls__builder *b, uint64_t k, uint32_t v)
{
    if (k >= b->n_tail || ls__spill_pwrite(b->tail_fd[LS__ACC_SCREEN], &v, sizeof v, k * 4)) return io_fail(b);
    return LS_OK;
}

int ls__builder_extra_account(ls__builder *b, ls__str s, uint32_t screen, uint32_t *out)
{
    uint64_t base = (uint64_t)b->n_acc + b->n_tail;
    uint32_t id = ls__intern_find(&b->extra, s);
    if (id == LS__NONE) {
        if (base + b->extra.n >= (uint64_t)UINT32_MAX - 3)
            return ls__fail(b->ctx, LS_ERR_LIMIT, "more than 2^32-4 accounts in one store");
        void *p = b->extra_screen;
        if (ls__intern_put(&b->extra, s, &id) ||
            ls__grow(&p, &b->extra_cap, (size_t)id + 1, sizeof *b->extra_screen))
            return ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory adding accounts");
        b->extra_screen = p;
        b->extra_screen[id] = screen;
    }
    *out = (uint32_t)(base + id);
    return LS_OK;
}

/* ---- the account columns ---- */

static int walk_columns(ls__builder *b, ls__xd *x)
{
    const int cols[3] = { 2, 4, 6 };
    uint32_t *col[3] = { b->ev_account, b->col_dflt[4] ? NULL : b->ev_ref_account,
                         b->col_dflt[6] ? NULL : b->ev_reply_account };
    size_t drop_every = ((size_t)32 << 20) / 4, dropped_to = 0, dropped_li = 0;
    uint64_t used = 0;
    int st = LS_OK;
    for (size_t i = 0; i < b->n_ev; i++) {
        uint32_t id;
        unsigned fl;
        for (int c = 0; c < 3; c++) {
            if (!col[c] || col[c][i] != LS__PROV) continue;
            if ((st = ls__builder_next_held(x, &used, &id, &fl))) goto stream;
            col[c][i] = id;
        }
        size_t lo = b->ev_list[i], hi = i + 1 < b->n_ev ? b->ev_list[i + 1] : b->n_li;
        for (size_t j = lo; j < hi; j++) {
            if (b->li_type[j] != LS_LI_MENTION || b->li_id[j] != LS__PROV) continue;
            if ((st = ls__builder_next_held(x, &used, &id, &fl))) goto stream;
            b->li_id[j] = id;
        }
        if (i + 1 - dropped_to >= drop_every || i + 1 == b->n_ev) {
            for (int c = 0; c < 3; c++) ls__builder_drop_upto(b, cols[c], i + 1);
            ls__builder_drop_upto(b, 8, i + 1);
            dropped_to = i + 1;
        }
        if (hi - dropped_li >= drop_every) {
            ls__builder_drop_upto(b, LS__N_EV_COLS, hi);
            ls__builder_drop_upto(b, LS__N_EV_COLS + 1, hi);
            dropped_li = hi;
        }
    }
    /* What is left of the stream must be occurrences no column holds. */
    for (; used < ls__xd_count(x); used++) {
        uint32_t id;
        unsigned fl;
        if ((st = ls__xd_next(x, &id, &fl, NULL))) return st;
        if (!(fl & LS__XD_ORPHAN)) goto stream;
    }
    return LS_OK;
stream:
    if (st == LS_ERR_INTERNAL || st == LS_OK)
        st = ls__fail(b->ctx, LS_ERR_INTERNAL, "the provisional ids of the account namespace do not match its columns");
    return st;
}

/* ---- folding the log ---- */

static void row_default(trow *r)
{
    r->created = LS__TIME_NONE;
    r->followers = r->following = -1;
    for (int k = 0; k < 5; k++) r->str[k] = LS__NONE;
    r->lang = 0xFFFFu;
}

static void row_apply(trow *r, const prec *p)
{
    for (int k = 0; k < 5; k++)
        if (p->str[k] != LS__NONE) r->str[k] = p->str[k];
    if (p->flags & R_LANG) r->lang = p->lang;
    if (p->followers >= 0) r->followers = p->followers;
    if (p->following >= 0) r->following = p->following;
    if (p->created != LS__TIME_NONE) r->created = p->created;
}

/* Appends rows [0, n) to the tail's column files. */
static int emit_rows(ls__builder *b, const trow *rows, size_t n, unsigned char *buf, size_t cap)
{
    for (int c = 0; c < LS__N_ACC_COLS; c++) {
        size_t per = cap / acc_elem[c];
        for (size_t i = 0; i < n; i += per) {
            size_t m = LS__MIN(per, n - i);
            for (size_t k = 0; k < m; k++) {
                const trow *r = &rows[i + k];
                unsigned char *d = buf + k * acc_elem[c];
                switch (c) {
                case LS__ACC_SCREEN: memcpy(d, &r->str[0], 4); break;
                case LS__ACC_DISPLAY: memcpy(d, &r->str[1], 4); break;
                case LS__ACC_CREATED: memcpy(d, &r->created, 8); break;
                case LS__ACC_FOLLOWERS: memcpy(d, &r->followers, 8); break;
                case LS__ACC_FOLLOWING: memcpy(d, &r->following, 8); break;
                case LS__ACC_LANG: memcpy(d, &r->lang, 2); break;
                case LS__ACC_LOCATION: memcpy(d, &r->str[2], 4); break;
                case LS__ACC_DESCRIPTION: memcpy(d, &r->str[3], 4); break;
                default: memcpy(d, &r->str[4], 4); break;
                }
            }
            if (ls__spill_write(b->tail_fd[c], buf, m * acc_elem[c])) return io_fail(b);
        }
    }
    return LS_OK;
}

/* Reads n records of a file written by ls__spill_write, a chunk at a
 * time, calling fn for each. */
typedef struct { int fd; uint64_t at, end; prec *buf; size_t i, n, cap; } rec_reader;

static int rec_next(ls__builder *b, rec_reader *r, prec *out)
{
    if (r->i == r->n) {
        size_t want = (size_t)LS__MIN((uint64_t)r->cap, (r->end - r->at) / sizeof(prec));
        if (!want || ls__spill_pread(r->fd, r->buf, want * sizeof(prec), r->at)) {
            if (!want) errno = EIO;
            return io_fail(b);
        }
        r->at += want * sizeof(prec);
        r->n = want;
        r->i = 0;
    }
    *out = r->buf[r->i++];
    return LS_OK;
}

typedef struct {
    int fd;
    ls__buf buf;
    uint64_t bytes;
} bucket;

/* The pending RT @name pairs (builder.h), walked in order to give the
 * provisional names theirs: spilled ones a chunk at a time, written back
 * when changed. */
#define RT_CHUNK ((size_t)1 << 16)
typedef struct { uint64_t k, at; size_t n; uint32_t *chunk; int dirty; } rt_cursor;

static int rt_flush(ls__builder *b, rt_cursor *c)
{
    if (c->dirty && ls__spill_pwrite(b->rt_fd, c->chunk, c->n * 8, c->at * 8)) return io_fail(b);
    c->dirty = 0;
    return LS_OK;
}

static int rt_give(ls__builder *b, rt_cursor *c, uint32_t name)
{
    int st;
    for (; c->k < b->rt_spilled + b->n_rt; c->k++) {
        uint32_t *pr;
        if (c->k < b->rt_spilled) {
            if (!c->n || c->k >= c->at + c->n) {
                if ((st = rt_flush(b, c))) return st;
                if (!c->chunk && !(c->chunk = ls__malloc(RT_CHUNK * 8)))
                    return ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory folding account profiles");
                c->at = c->k;
                c->n = (size_t)LS__MIN((uint64_t)RT_CHUNK, b->rt_spilled - c->k);
                if (ls__spill_pread(b->rt_fd, c->chunk, c->n * 8, c->at * 8)) return io_fail(b);
            }
            pr = c->chunk + 2 * (c->k - c->at);
            c->dirty |= pr[1] == LS__PROV;
        } else {
            pr = b->rt + 2 * (c->k - b->rt_spilled);
        }
        if (pr[1] == LS__PROV) {
            pr[1] = name;
            c->k++;
            return LS_OK;
        }
    }
    return ls__fail(b->ctx, LS_ERR_INTERNAL, "more provisional RT @names logged than pending");
}

/* Record r's provisional strings get the next ids of the name and
 * profile-string streams. */
static int map_strings(ls__builder *b, prec *r, uint64_t used[2])
{
    for (int k = 0; k < 5; k++) {
        if (r->str[k] != LS__PROV) continue;
        int ns = k < 2 ? LS_NS_NAME : LS_NS_MISC;
        unsigned fl;
        int st = b->xd[ns] ? ls__builder_next_held(b->xd[ns], &used[k >= 2], &r->str[k], &fl) : LS_ERR_INTERNAL;
        if (st) return st;
    }
    return LS_OK;
}

/* A record of an account the pool holds, applied to its row. */
static void held_apply(ls__builder *b, uint32_t a, const prec *p)
{
    uint32_t *col[5] = { b->acc_screen, b->acc_display, b->acc_location, b->acc_description, b->acc_url };
    for (int k = 0; k < 5; k++)
        if (p->str[k] != LS__NONE) col[k][a] = p->str[k];
    if (p->flags & R_LANG) b->acc_lang[a] = p->lang;
    if (p->followers >= 0) b->acc_followers[a] = p->followers;
    if (p->following >= 0) b->acc_following[a] = p->following;
    if (p->created != LS__TIME_NONE) b->acc_created[a] = p->created;
}

/* The rest of the name or profile-string stream must be occurrences no
 * record holds. */
static int stream_rest(ls__builder *b, int ns, uint64_t used)
{
    ls__xd *x = b->xd[ns];
    for (; x && used < ls__xd_count(x); used++) {
        uint32_t id;
        unsigned fl;
        int st = ls__xd_next(x, &id, &fl, NULL);
        if (st) return st;
        if (!(fl & LS__XD_ORPHAN)) return LS_ERR_INTERNAL;
    }
    return LS_OK;
}

static int fold(ls__builder *b, ls__xd *x)
{
    uint64_t D = x ? ls__xd_distinct(x) : 0, first = b->ns[LS_NS_ACCOUNT].n;
    size_t budget = FOLD_AT, per = 1, nb = 0;
    trow *rows = NULL;
    bucket *bk = NULL;
    unsigned char *buf = NULL;
    rec_reader rd = { -1, 0, 0, NULL, 0, 0, 0 };
    rt_cursor rc = { 0, 0, 0, NULL, 0 };
    uint64_t used = 0, last = 0, used_str[2] = { 0, 0 };
    uint32_t id = 0;
    int st = LS_OK;

    b->n_tail = D;
    if ((st = plog_flush(b))) return st;
    if (!D && !b->n_plog) return LS_OK;
    for (int c = 0; D && c < LS__N_ACC_COLS; c++)
        if (b->tail_fd[c] < 0 && ls__spill_open(b->spill_dir, &b->tail_fd[c])) return io_fail(b);
    /* Tests freeze from the first string: they get buckets too. */
    if (b->ns[LS_NS_ACCOUNT].freeze_at && b->ns[LS_NS_ACCOUNT].freeze_at < budget)
        budget = b->ns[LS_NS_ACCOUNT].freeze_at;
    if (D) {
        per = LS__MAX(budget / sizeof(trow), (size_t)1);
        if ((D + per - 1) / per > MAX_BUCKETS) per = (size_t)((D + MAX_BUCKETS - 1) / MAX_BUCKETS);
        nb = (size_t)((D + per - 1) / per);
    }
    rows = ls__malloc(LS__MAX(LS__MIN((uint64_t)per, D), (uint64_t)1) * sizeof *rows);
    buf = ls__malloc(BUCKET_BUF);
    rd.cap = BUCKET_BUF / sizeof(prec);
    rd.buf = ls__malloc(rd.cap * sizeof(prec));
    if (!rows || !buf || !rd.buf || (nb > 1 && !(bk = ls__calloc(nb, sizeof *bk)))) goto nomem;
    for (size_t k = 0; bk && k < nb; k++) bk[k].fd = -1;
    if (nb == 1)
        for (uint64_t i = 0; i < D; i++) row_default(&rows[i]);

    /* The log in row order: its provisional strings and RT @names get
     * their ids; a held account's record is applied to its row; another's
     * occurrence is turned into its account, and the record applied at
     * once (one bucket) or sent to its bucket. */
    if (x && (st = ls__xd_rewind(x))) goto done;
    rd.fd = b->plog_fd;
    rd.end = b->plog_fd >= 0 ? b->n_plog * sizeof(prec) : 0;
    for (uint64_t q = 0; q < b->n_plog; q++) {
        prec r;
        unsigned fl;
        if ((st = rec_next(b, &rd, &r))) goto done;
        if ((st = map_strings(b, &r, used_str))) goto stream;
        if (r.flags & R_RT) {
            if ((st = rt_give(b, &rc, r.str[0]))) goto done;
            continue;
        }
        if (r.flags & R_HELD) {
            if (r.occ >= b->n_acc || !b->acc_prof) goto stream;
            held_apply(b, (uint32_t)r.occ, &r);
            continue;
        }
        if (!x || (used && r.occ <= last)) {
            st = ls__fail(b->ctx, LS_ERR_INTERNAL, "the account profile log is out of order");
            goto done;
        }
        last = r.occ;
        while (used <= r.occ) {
            if (used >= ls__xd_count(x)) {
                st = ls__fail(b->ctx, LS_ERR_INTERNAL, "the account profile log passes its namespace");
                goto done;
            }
            if ((st = ls__xd_next(x, &id, &fl, NULL))) goto done;
            used++;
        }
        if (id < first || id - first >= D) {
            st = ls__fail(b->ctx, LS_ERR_INTERNAL, "a logged account outside the tail");
            goto done;
        }
        r.occ = id - first;
        if (nb == 1) { row_apply(&rows[r.occ], &r); continue; }
        bucket *k = &bk[r.occ / per];
        if (ls__buf_put(&k->buf, &r, sizeof r)) goto nomem;
        if (k->buf.n >= BUCKET_BUF) {
            if ((k->fd < 0 && ls__spill_open(b->spill_dir, &k->fd)) ||
                ls__spill_write(k->fd, k->buf.p, k->buf.n)) { st = io_fail(b); goto done; }
            k->bytes += k->buf.n;
            k->buf.n = 0;
        }
    }
    if ((st = rt_flush(b, &rc))) goto done;
    if ((st = stream_rest(b, LS_NS_NAME, used_str[0])) || (st = stream_rest(b, LS_NS_MISC, used_str[1])))
        goto stream;
    if (nb == 1) { st = emit_rows(b, rows, (size_t)D, buf, BUCKET_BUF); goto done; }

    /* One bucket at a time: its file, then what it still buffers. */
    for (size_t k = 0; k < nb; k++) {
        uint64_t lo = (uint64_t)k * per, m = LS__MIN((uint64_t)per, D - lo);
        for (uint64_t i = 0; i < m; i++) row_default(&rows[i]);
        rec_reader br = { bk[k].fd, 0, bk[k].bytes, rd.buf, 0, 0, rd.cap };
        for (uint64_t q = 0; q < bk[k].bytes / sizeof(prec); q++) {
            prec r;
            if ((st = rec_next(b, &br, &r))) goto done;
            row_apply(&rows[r.occ - lo], &r);
        }
        for (size_t q = 0; q < bk[k].buf.n / sizeof(prec); q++) {
            prec r;
            memcpy(&r, bk[k].buf.p + q * sizeof r, sizeof r);
            row_apply(&rows[r.occ - lo], &r);
        }
        if (bk[k].fd >= 0) close(bk[k].fd);
        bk[k].fd = -1;
        ls__buf_free(&bk[k].buf);
        if ((st = emit_rows(b, rows, (size_t)m, buf, BUCKET_BUF))) goto done;
    }
    goto done;
stream:
    if (st == LS_ERR_INTERNAL || st == LS_OK)
        st = ls__fail(b->ctx, LS_ERR_INTERNAL, "the provisional names or profile strings do not match their log");
    goto done;
nomem:
    st = ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory folding account profiles");
done:
    for (size_t k = 0; bk && k < nb; k++) {
        if (bk[k].fd >= 0) close(bk[k].fd);
        ls__buf_free(&bk[k].buf);
    }
    ls__free(bk);
    ls__free(rows);
    ls__free(buf);
    ls__free(rd.buf);
    ls__free(rc.chunk);
    /* The log is done with. */
    if (st == LS_OK && b->plog_fd >= 0) { close(b->plog_fd); b->plog_fd = -1; }
    if (st == LS_OK) b->n_plog = 0;
    return st;
}

int ls__builder_acct_unfreeze(ls__builder *b)
{
    ls__xd *x = b->xd[LS_NS_ACCOUNT];
    int st;
    if (!x && !b->n_plog) return LS_OK;
    if (x && b->n_acc != b->ns[LS_NS_ACCOUNT].n)
        return ls__fail(b->ctx, LS_ERR_INTERNAL, "account rows and the account pool disagree");
    if (x && (st = walk_columns(b, x))) return st;
    return fold(b, x);
}
