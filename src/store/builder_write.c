/*
 * builder_write.c — writes the builder's contents as a store file (layout
 * in format.h) through ls__afile: a temporary name, fsync, rename, so no
 * half-written store ever appears under its final name.
 *
 * Sections are laid out in one pass: the table is computed first (all
 * sizes are known), then every section is streamed out in store order
 * while the checksum is updated, and the fixed header with the checksum
 * is written last over its placeholder.  Event columns are permuted on
 * the fly through a small chunk buffer instead of being copied whole.
 *
 * Spilled data (builder_spill.c) is written from where it lies: a pool's
 * spilled blob is copied from its file in 1 MiB reads, and the spilled
 * columns are mapped for the write, each one's pages dropped as soon as
 * its section is out (and every 64 MiB while a column is written
 * straight), so the write holds at most a column or two.
 *
 * Up to ls__sort_run() events are put in order by one permutation
 * (builder_sort.c), gathered from the columns; more are sorted in runs
 * and merged (builder_runs.c), which bounds the memory of a write
 * whatever the number of events.  Events dropped at write time
 * (ls__builder_dropped) are left out with their list entries either way.
 */
#include "builder.h"
#include "builder_runs.h"
#include "format.h"

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the event store writer assumes a little-endian host"
#endif

#define MAX_SECTIONS (2 * LS_NS_COUNT + 32)
#define CHUNK 8192
#define COPY ((size_t)1 << 20)

typedef struct {
    FILE *f;
    XXH3_state_t *xs;
    uint64_t pos;
    int err;
    char *copy;         /* COPY bytes for reading spill files */
} writer;

static void put(writer *w, const void *p, size_t n)
{
    if (!n) return;
    if (fwrite(p, 1, n, w->f) != n) w->err = errno ? errno : EIO;
    XXH3_64bits_update(w->xs, p, n);
    w->pos += n;
}

static void pad(writer *w)
{
    static const unsigned char zeros[LS__STORE_ALIGN];
    size_t r = (size_t)(w->pos % LS__STORE_ALIGN);
    if (r) put(w, zeros, LS__STORE_ALIGN - r);
}

/* The order of the kept events: one permutation (up to ls__sort_run()
 * events), the sorted runs (more), or neither (already in store order:
 * the columns are written straight, leaving out the dropped events). */
typedef struct {
    const uint32_t *perm;
    ls__runs *runs;
    size_t n, n_li;            /* kept events and list entries */
} order;

/* Bytes of a mapped column written straight between two page drops. */
#define DROP_STEP ((size_t)64 << 20)

/* Writes col[perm[0..n)] (elements of elem bytes). */
static void put_perm(writer *w, const void *col, size_t elem, const uint32_t *perm, size_t n)
{
    unsigned char buf[CHUNK * 8];
    const unsigned char *c = col;
    for (size_t i = 0; i < n; i += CHUNK) {
        size_t m = LS__MIN((size_t)CHUNK, n - i);
        for (size_t k = 0; k < m; k++) memcpy(buf + k * elem, c + (size_t)perm[i + k] * elem, elem);
        put(w, buf, m * elem);
    }
}

/* The first event from i on (n if none) whose drop bit is `bit`. */
static size_t find_bit(const ls__builder *b, size_t i, size_t n, int bit)
{
    if (!b->ev_drop) return bit ? n : LS__MIN(i, n);
    while (i < n) {
        uint64_t v = b->ev_drop[i >> 6];
        if (!bit) v = ~v;
        v >>= i & 63;
        if (v) return LS__MIN(i + (size_t)__builtin_ctzll(v), n);
        i = (i | 63) + 1;
    }
    return n;
}

/* Drops the pages of a mapped column before byte `to` (a no-op for a
 * column in RAM): a column written straight would otherwise become
 * resident whole. */
static void drop_before(ls__builder *b, const void *col, size_t to)
{
    void **arrs[LS__N_COLS];
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    ls__builder_cols(b, arrs);
    for (int k = 0; k < LS__N_COLS; k++)
        if (col && *arrs[k] == col && b->col_map[k] && to >= page)
            (void)madvise(*arrs[k], LS__MIN(to, b->col_map[k]) / page * page, MADV_DONTNEED);
}

/* Writes elements [a, e) of col straight; *dropped: the element before
 * which the pages are dropped already. */
static void put_span(writer *w, ls__builder *b, const void *col, size_t elem, size_t a, size_t e,
                     size_t *dropped)
{
    const unsigned char *c = col;
    for (size_t i = a; i < e;) {
        size_t m = LS__MIN(e - i, DROP_STEP / elem);
        put(w, c + i * elem, m * elem);
        i += m;
        if ((i - *dropped) * elem >= DROP_STEP) {
            drop_before(b, col, i * elem);
            *dropped = i;
        }
    }
}

/* Writes an event column straight, without the dropped events. */
static void put_kept(writer *w, ls__builder *b, const void *col, size_t elem)
{
    size_t n = b->n_ev, e, dropped = 0;
    for (size_t a = find_bit(b, 0, n, 0); a < n; a = find_bit(b, e, n, 0)) {
        e = find_bit(b, a, n, 1);
        put_span(w, b, col, elem, a, e, &dropped);
    }
}

/* n copies of the elem-byte value v. */
static void put_fill(writer *w, const void *v, size_t elem, size_t n)
{
    unsigned char buf[CHUNK * 8];
    size_t per = sizeof buf / elem;
    for (size_t i = 0; i < per; i++) memcpy(buf + i * elem, v, elem);
    for (size_t i = 0; i < n; i += per) put(w, buf, LS__MIN(per, n - i) * elem);
}

/* An account profile column: its array, or, when no account has a
 * profile value (the arrays were never made), the default dflt n_acc
 * times. */
static void put_acc(writer *w, ls__builder *b, const void *col, const void *dflt, size_t elem, int c)
{
    if (b->acc_prof) put(w, col, b->n_acc * elem);
    else put_fill(w, dflt, elem, b->n_acc);
    /* Then the accounts past a frozen pool (builder_acct.c): the tail's
     * rows from its column file, then the extra accounts (synthetic, with
     * only a screen name). */
    size_t per = COPY / elem;
    for (uint64_t k = 0; k < b->n_tail && !w->err; k += per) {
        size_t m = (size_t)LS__MIN((uint64_t)per, b->n_tail - k);
        if (ls__builder_tail_read(b, c, k, m, w->copy)) { w->err = b->spill_err ? b->spill_err : EIO; break; }
        put(w, w->copy, m * elem);
    }
    if (c == LS__ACC_SCREEN) put(w, b->extra_screen, b->extra.n * elem);
    else put_fill(w, dflt, elem, b->extra.n);
}

static const uint32_t none32 = LS__NONE;
static const uint16_t none16 = 0xFFFFu;
static const int64_t time_none = LS__TIME_NONE, unknown = -1;

typedef struct {
    ls__section s[MAX_SECTIONS];
    uint32_t n;
    uint64_t end;
} table;

static void add(table *t, uint32_t id, uint32_t elem, uint64_t count)
{
    ls__section *s = &t->s[t->n++];
    s->id = id;
    s->elem_size = elem;
    s->count = count;
}

/* Assigns 64-byte aligned offsets after the header and table. */
static void layout(table *t)
{
    uint64_t off = LS__STORE_FIXED + (uint64_t)t->n * LS__STORE_ENTRY;
    for (uint32_t i = 0; i < t->n; i++) {
        off = (off + LS__STORE_ALIGN - 1) / LS__STORE_ALIGN * LS__STORE_ALIGN;
        t->s[i].offset = off;
        off += t->s[i].count * t->s[i].elem_size;
    }
    t->end = (off + LS__STORE_ALIGN - 1) / LS__STORE_ALIGN * LS__STORE_ALIGN;
}

/* The strings a frozen pool did not hold, after its own (ls__builder_xd_each). */
static int put_xd_str(void *u, ls__str s)
{
    put(u, s.p, s.n);
    return LS_OK;
}
typedef struct { writer *w; uint64_t off; } off_writer;
static int put_xd_off(void *u, uint64_t n)
{
    off_writer *o = u;
    o->off += n;
    put(o->w, &o->off, sizeof o->off);
    return LS_OK;
}

/* The strings of namespace k: the spilled part of its pool from its
 * file, then the rest, then those beyond a frozen pool. */
static int put_blob(writer *w, ls__builder *b, int k)
{
    const ls__pool *in = &b->ns[k];
    for (uint64_t o = 0; o < in->base && !w->err;) {
        size_t m = (size_t)LS__MIN((uint64_t)COPY, in->base - o);
        if (ls__spill_pread(in->fd, w->copy, m, o)) { w->err = errno ? errno : EIO; break; }
        put(w, w->copy, m);
        o += m;
    }
    put(w, in->blob.p, in->blob.n);
    int st = ls__builder_xd_each(b, k, put_xd_str, w);
    if (k == LS_NS_ACCOUNT) put(w, b->extra.blob.p, b->extra.blob.n);
    return st;
}

/* The offsets of namespace k's strings (n + 1 of them). */
static int put_offsets(writer *w, ls__builder *b, int k)
{
    static const uint64_t zero = 0;
    const ls__pool *in = &b->ns[k];
    if (in->off) put(w, in->off, (in->n + 1) * sizeof(uint64_t));
    else put(w, &zero, sizeof zero);
    off_writer o = { w, ls__pool_bytes(in) };
    int st = ls__builder_xd_each_len(b, k, put_xd_off, &o);
    for (size_t i = 0; st == LS_OK && k == LS_NS_ACCOUNT && i < b->extra.n; i++)
        put_xd_off(&o, b->extra.off[i + 1] - b->extra.off[i]);
    return st;
}

/* Writes a column section and drops the column's pages if it is mapped. */
/* Writes a column section and drops the column's pages if it is mapped;
 * a column that never left its defaults (no memory: ls__builder_col_lazy)
 * is written as n times the default, every byte 0xFF. */
static void sink(void *arg, const void *p, size_t n)
{
    put(arg, p, n);
}

/* Column k (ls__builder_cols order) from the sorted runs. */
static void put_runs(writer *w, ls__runs *rs, int k)
{
    if (ls__runs_put(rs, k, sink, w) && !w->err) w->err = errno ? errno : EIO;
}

static void put_col(writer *w, ls__builder *b, const order *o, int k)
{
    static const uint64_t ff = UINT64_MAX;    /* the default of every column width */
    void **arrs[LS__N_COLS];
    ls__builder_cols(b, arrs);
    const void *col = *arrs[k];
    size_t elem = ls__builder_col_elem(k);
    if (o->runs) { put_runs(w, o->runs, k); return; }
    if (!col) { put_fill(w, &ff, elem, o->n); return; }
    if (o->perm) put_perm(w, col, elem, o->perm, o->n);
    else put_kept(w, b, col, elem);
    ls__builder_drop_col(b, col);
}

static size_t ev_end(const ls__builder *b, size_t i)
{
    return i + 1 < b->n_ev ? b->ev_list[i + 1] : b->n_li;
}

/* List entries of the dropped events. */
static size_t dropped_entries(ls__builder *b)
{
    size_t n = b->n_ev, sum = 0;
    for (size_t i = find_bit(b, 0, n, 1); i < n; i = find_bit(b, i + 1, n, 1)) sum += ev_end(b, i) - b->ev_list[i];
    return sum;
}

/* The LS__SEC_EV_LIST section: where each kept event's entries start in
 * the store's entry sections, and their end. */
static void put_list(writer *w, ls__builder *b, const order *o)
{
    uint32_t off = 0;
    if (o->runs) { put_runs(w, o->runs, 8); return; }
    if (o->perm) {
        for (size_t i = 0; i < o->n; i++) {
            size_t k = o->perm[i];
            put(w, &off, 4);
            off += (uint32_t)(ev_end(b, k) - b->ev_list[k]);
        }
    } else {
        size_t n = b->n_ev, e, dropped = 0;
        for (size_t a = find_bit(b, 0, n, 0); a < n; a = find_bit(b, e, n, 0)) {
            e = find_bit(b, a, n, 1);
            for (size_t i = a; i < e; i++) {
                put(w, &off, 4);
                off += (uint32_t)(ev_end(b, i) - b->ev_list[i]);
                if ((i - dropped) * 4 >= DROP_STEP) { drop_before(b, b->ev_list, i * 4); dropped = i; }
            }
        }
    }
    put(w, &off, 4);
}

/* The entry section of column k (12: li_id, 13: li_type). */
static void put_entries(writer *w, ls__builder *b, const order *o, int k)
{
    void **arrs[LS__N_COLS];
    ls__builder_cols(b, arrs);
    const unsigned char *col = *arrs[k];
    size_t elem = ls__builder_col_elem(k);
    if (!o->n_li) return;
    if (o->runs) { put_runs(w, o->runs, k); return; }
    if (o->perm) {
        for (size_t i = 0; i < o->n; i++) {
            size_t a = b->ev_list[o->perm[i]], e = ev_end(b, o->perm[i]);
            if (e == a) continue;
            put(w, col + a * elem, (e - a) * elem);
        }
    } else {
        size_t n = b->n_ev, e, dropped = 0;
        for (size_t a = find_bit(b, 0, n, 0); a < n; a = find_bit(b, e, n, 0)) {
            e = find_bit(b, a, n, 1);
            put_span(w, b, col, elem, b->ev_list[a], ev_end(b, e - 1), &dropped);
        }
    }
    /* ev_list is read by the entry sections, the last of which is
     * li_type. */
    ls__builder_drop_col(b, col);
    if (k == LS__N_COLS - 1) ls__builder_drop_col(b, b->ev_list);
}

static int write_body(ls__builder *b, writer *w, const table *t, const order *o)
{
    int st;
    for (uint32_t k = 0; k < t->n; k++) {
        pad(w);
        const ls__section *s = &t->s[k];
        if (s->id < 2 * LS_NS_COUNT) {
            int ns = (int)(s->id / 2);
            if ((st = s->id % 2 == 0 ? put_blob(w, b, ns) : put_offsets(w, b, ns))) return st;
            continue;
        }
        switch (s->id) {
        case LS__SEC_EV_TIME: put_col(w, b, o, 0); break;
        case LS__SEC_EV_POST: put_col(w, b, o, 1); break;
        case LS__SEC_EV_ACCOUNT: put_col(w, b, o, 2); break;
        case LS__SEC_EV_REF_POST: put_col(w, b, o, 3); break;
        case LS__SEC_EV_REF_ACCOUNT: put_col(w, b, o, 4); break;
        case LS__SEC_EV_REPLY_POST: put_col(w, b, o, 5); break;
        case LS__SEC_EV_REPLY_ACCOUNT: put_col(w, b, o, 6); break;
        case LS__SEC_EV_TEXT: put_col(w, b, o, 7); break;
        case LS__SEC_EV_LIST: put_list(w, b, o); break;
        case LS__SEC_EV_KIND: put_col(w, b, o, 9); break;
        case LS__SEC_EV_LANG: put_col(w, b, o, 10); break;
        case LS__SEC_EV_CLIENT: put_col(w, b, o, 11); break;
        case LS__SEC_LI_ID: put_entries(w, b, o, 12); break;
        case LS__SEC_LI_TYPE: put_entries(w, b, o, 13); break;
        case LS__SEC_ACC_SCREEN: put_acc(w, b, b->acc_screen, &none32, 4, LS__ACC_SCREEN); break;
        case LS__SEC_ACC_DISPLAY: put_acc(w, b, b->acc_display, &none32, 4, LS__ACC_DISPLAY); break;
        case LS__SEC_ACC_CREATED: put_acc(w, b, b->acc_created, &time_none, 8, LS__ACC_CREATED); break;
        case LS__SEC_ACC_FOLLOWERS: put_acc(w, b, b->acc_followers, &unknown, 8, LS__ACC_FOLLOWERS); break;
        case LS__SEC_ACC_FOLLOWING: put_acc(w, b, b->acc_following, &unknown, 8, LS__ACC_FOLLOWING); break;
        case LS__SEC_ACC_LANG: put_acc(w, b, b->acc_lang, &none16, 2, LS__ACC_LANG); break;
        case LS__SEC_ACC_LOCATION: put_acc(w, b, b->acc_location, &none32, 4, LS__ACC_LOCATION); break;
        case LS__SEC_ACC_DESCRIPTION: put_acc(w, b, b->acc_description, &none32, 4, LS__ACC_DESCRIPTION); break;
        case LS__SEC_ACC_URL: put_acc(w, b, b->acc_url, &none32, 4, LS__ACC_URL); break;
        case LS__SEC_META: {
            uint64_t meta[2] = { b->rows_read, b->n_inputs };
            put(w, meta, sizeof meta);
            break;
        }
        case LS__SEC_DIAG_COUNT: put(w, b->diag.count, sizeof b->diag.count); break;
        case LS__SEC_DIAG_EXAMPLE: put(w, b->diag.example, sizeof b->diag.example); break;
        default: break;
        }
    }
    pad(w);
    return LS_OK;
}

int ls__builder_write(ls__builder *b, const char *path)
{
    ls__afile af = { 0 };
    writer w = { 0 };
    table t;
    uint32_t *perm = NULL;
    ls__runs *runs = NULL;
    order ord;
    unsigned char fixed[LS__STORE_FIXED] = { 0 };
    int st;

    /* Spilled columns are mapped whole from here on; the RT @name
     * resolution patches ev_ref_account through the mapping. */
    if ((st = ls__builder_map_cols(b))) return st;
    /* A frozen pool takes no more strings and is searched no more (the RT
     * @name resolution makes its synthetic accounts as extra accounts
     * then): its slots go before the deduplicators resolve. */
    for (int k = 0; k < LS_NS_COUNT; k++)
        if (b->ns[k].frozen) ls__pool_drop_index(&b->ns[k]);
    if ((st = ls__builder_unfreeze(b))) return st;
    if ((st = ls__builder_resolve(b))) return st;
    ls__builder_drop_col(b, b->ev_ref_account);
    ls__free(b->post_has_ev);      /* no more posts: the duplicate flags go */
    b->post_has_ev = NULL;
    b->post_cap = 0;
    /* No lookups from here on: the hash indexes go before the sort and
     * the write allocate, which lowers the peak by 16 bytes a string. */
    for (int k = 0; k < LS_NS_COUNT; k++) ls__pool_drop_index(&b->ns[k]);
    size_t run = ls__sort_run();
    if (b->n_ev > run) {
        if ((st = ls__runs_sort(b, run, &runs))) goto done;
    } else {
        if ((st = ls__builder_sort(b, &perm))) goto done;
        ls__builder_drop_col(b, b->ev_time);
        ls__builder_drop_col(b, b->ev_post);
    }
    ord.perm = perm;
    ord.runs = runs;
    ord.n = b->n_ev - b->n_drop;
    ord.n_li = runs ? ls__runs_entries(runs) : b->n_li - dropped_entries(b);
    uint64_t n_acc = ls__builder_acct_count(b);

    t.n = 0;
    for (uint32_t k = 0; k < LS_NS_COUNT; k++) {
        int acc = k == LS_NS_ACCOUNT;
        add(&t, LS__SEC_STR_BLOB + 2 * k, 1, ls__pool_bytes(&b->ns[k]) + ls__builder_xd_bytes(b, (int)k) +
                                                (acc ? b->extra.blob.n : 0));
        add(&t, LS__SEC_STR_OFF + 2 * k, 8, b->ns[k].n + ls__builder_xd_count(b, (int)k) + 1 +
                                               (acc ? b->extra.n : 0));
    }
    add(&t, LS__SEC_EV_TIME, 8, ord.n);
    add(&t, LS__SEC_EV_POST, 4, ord.n);
    add(&t, LS__SEC_EV_ACCOUNT, 4, ord.n);
    add(&t, LS__SEC_EV_REF_POST, 4, ord.n);
    add(&t, LS__SEC_EV_REF_ACCOUNT, 4, ord.n);
    add(&t, LS__SEC_EV_REPLY_POST, 4, ord.n);
    add(&t, LS__SEC_EV_REPLY_ACCOUNT, 4, ord.n);
    add(&t, LS__SEC_EV_TEXT, 4, ord.n);
    add(&t, LS__SEC_EV_LIST, 4, ord.n + 1);
    add(&t, LS__SEC_EV_KIND, 1, ord.n);
    add(&t, LS__SEC_EV_LANG, 2, ord.n);
    add(&t, LS__SEC_EV_CLIENT, 2, ord.n);
    add(&t, LS__SEC_LI_ID, 4, ord.n_li);
    add(&t, LS__SEC_LI_TYPE, 1, ord.n_li);
    add(&t, LS__SEC_ACC_SCREEN, 4, n_acc);
    add(&t, LS__SEC_ACC_DISPLAY, 4, n_acc);
    add(&t, LS__SEC_ACC_CREATED, 8, n_acc);
    add(&t, LS__SEC_ACC_FOLLOWERS, 8, n_acc);
    add(&t, LS__SEC_ACC_FOLLOWING, 8, n_acc);
    add(&t, LS__SEC_ACC_LANG, 2, n_acc);
    add(&t, LS__SEC_ACC_LOCATION, 4, n_acc);
    add(&t, LS__SEC_ACC_DESCRIPTION, 4, n_acc);
    add(&t, LS__SEC_ACC_URL, 4, n_acc);
    add(&t, LS__SEC_META, 8, 2);
    add(&t, LS__SEC_DIAG_COUNT, 8, LS_DIAG_COUNT);
    add(&t, LS__SEC_DIAG_EXAMPLE, LS__DIAG_EXAMPLE_SIZE, (uint64_t)LS_DIAG_COUNT * LS_DIAG_EXAMPLES);
    layout(&t);

    if ((st = ls__afile_open(b->ctx, &af, path))) goto done;
    af.nosync = b->ctx->ingest_temp;
    w.f = af.f;
    w.xs = XXH3_createState();
    w.copy = ls__malloc(COPY);
    if (!w.xs || !w.copy) { st = ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory writing %s", path); goto done; }
    XXH3_64bits_reset(w.xs);

    /* Placeholder for the fixed header: not part of the checksum. */
    if (fwrite(fixed, 1, sizeof fixed, w.f) != sizeof fixed) w.err = errno ? errno : EIO;
    w.pos = LS__STORE_FIXED;
    for (uint32_t k = 0; k < t.n; k++) {
        unsigned char e[LS__STORE_ENTRY];
        ls__put_u32(e, t.s[k].id);
        ls__put_u32(e + 4, t.s[k].elem_size);
        ls__put_u64(e + 8, t.s[k].offset);
        ls__put_u64(e + 16, t.s[k].count);
        put(&w, e, sizeof e);
    }
    if ((st = write_body(b, &w, &t, &ord))) goto done;
    if (w.pos != t.end) { st = ls__fail(b->ctx, LS_ERR_INTERNAL, "store layout mismatch writing %s", path); goto done; }

    memcpy(fixed, LS__STORE_MAGIC, 8);
    ls__put_u32(fixed + 8, LS__STORE_VERSION);
    ls__put_u32(fixed + 12, t.n);
    ls__put_u64(fixed + 16, t.end);
    ls__put_u64(fixed + 24, XXH3_64bits_digest(w.xs));
    if (fseek(w.f, 0, SEEK_SET) != 0 || fwrite(fixed, 1, sizeof fixed, w.f) != sizeof fixed)
        w.err = errno ? errno : EIO;
    for (int k = 0; k < LS_NS_COUNT && !w.err; k++) w.err = b->ns[k].err;
    if (w.err) { st = ls__fail(b->ctx, LS_ERR_IO, "cannot write %s: %s", path, strerror(w.err)); goto done; }
    st = ls__afile_commit(b->ctx, &af);
done:
    ls__afile_abort(&af);
    if (w.xs) XXH3_freeState(w.xs);
    ls__free(w.copy);
    ls__free(perm);
    ls__runs_free(runs);
    return st;
}
