/*
 * builder_freeze.c — namespaces beyond their memory budget: what keeps
 * ingest's memory bounded whatever the number of posts, accounts or
 * other strings.
 *
 * Post ids, texts, URLs, hashtags, domains, image hashes, accounts,
 * names and profile strings are the namespaces that grow with the input;
 * their pools' indexes (hash slots and string offsets) were the part of
 * ingest's memory that grew without bound.  Each has a budget
 * (ls__pool_freeze_at); once its index would pass it, the pool freezes:
 * strings it holds keep their ids, and a string it does not hold gets the
 * provisional value LS__PROV in its column and is recorded, with its
 * occurrence's flags, in the namespace's external deduplicator
 * (xdedup.h), which keeps it on disk.  At write time (ls__builder_unfreeze)
 * the deduplicators number those strings in first-seen order after their
 * pools', and passes in arrival order replace each provisional value by
 * the next id of its namespace's stream: per namespace, values are
 * recorded and consumed in the same order (post id, referenced post,
 * replied-to post for each post; its text; its list entries: URLs,
 * hashtags, domains, images), and the occurrences no column holds (those
 * of duplicate rows and of a store loaded for an append, flagged ORPHAN)
 * are skipped.  Accounts, names and profile strings are walked and folded
 * in builder_acct.c.  So the store is byte for byte the one unbounded
 * pools would have built.
 *
 * Duplicates: a row whose post id the frozen pool holds is checked at
 * once, as before; a row whose post id is provisional may repeat an
 * earlier provisional one, which only the deduplicator can tell (DUP):
 * such an event is added and dropped at write time (ev_drop), with its
 * diagnostic, naming the file and line recorded for it here (origins: one
 * record per event with a provisional post id, on disk).  A duplicate
 * row's strings are interned and its profile values applied, whichever
 * way it was found (builder.c), so both ways give the same store.
 *
 * Memory: the deduplicators' buffers (xdedup.h: nothing per occurrence),
 * and one bit per event for ev_drop when some event is dropped; the pass
 * over the columns drops their pages as it goes.
 */
#include "builder.h"
#include "xdedup.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* Default budgets: the index of a pool (slots and offsets) freezes before
 * it would pass these.  Together they bound the pools at about 1 GB, so
 * that ingest stays far under 2 GB with every namespace frozen
 * (docs/store.md, "Ingest memory").  The post pool's wide slots hold
 * 11.2M ids in 2^24 slots (256 MB + 90 MB of offsets); the next size
 * would pass 512 MiB: inputs of up to about ten million rows never
 * freeze it.  The text and URL pools' narrow slots hold 5.6M strings in
 * 2^23 slots (64 MB + 45 MB); the next size would pass 256 MiB. */
#define POST_FREEZE_AT ((size_t)512 << 20)
#define TEXT_FREEZE_AT ((size_t)256 << 20)
#define URL_FREEZE_AT ((size_t)256 << 20)
/* The account pool's wide slots hold 2.8M accounts in 2^22 slots (64 MB
 * + 22 MB of offsets), besides their profile rows (62 bytes each, 174
 * MB); the next size would pass 128 MiB (builder_acct.c). */
#define ACCOUNT_FREEZE_AT ((size_t)128 << 20)
/* Hashtags, domains and image hashes (wide slots) stop at 2^21 slots,
 * 1.4M strings, 43 MB; real collections of billions of posts have
 * millions of distinct hashtags. */
#define LIST_FREEZE_AT ((size_t)64 << 20)
/* Screen and display names, and the other profile strings (narrow
 * slots): 2^22 slots, 2.8M strings, 55 MB. */
#define NAME_FREEZE_AT ((size_t)64 << 20)
/* The namespaces that can freeze, with their budgets: the events' posts
 * and texts are walked here, then the list entries (URLs, hashtags,
 * domains, images); the accounts, names and profile strings in
 * builder_acct.c. */
enum { N_FROZEN = 9 };
static const int frozen_ns[N_FROZEN] = { LS_NS_POST, LS_NS_TEXT, LS_NS_URL, LS_NS_HASHTAG,
                                         LS_NS_DOMAIN, LS_NS_IMAGE, LS_NS_ACCOUNT, LS_NS_NAME, LS_NS_MISC };
static const size_t frozen_at[N_FROZEN] = { POST_FREEZE_AT, TEXT_FREEZE_AT, URL_FREEZE_AT, LIST_FREEZE_AT,
                                            LIST_FREEZE_AT, LIST_FREEZE_AT, ACCOUNT_FREEZE_AT,
                                            NAME_FREEZE_AT, NAME_FREEZE_AT };
/* The namespace of a list entry's id, for the types that can be
 * provisional here (-1: none; mentions are accounts). */
static int li_ns(int type)
{
    switch (type) {
    case LS_LI_URL: return LS_NS_URL;
    case LS_LI_HASHTAG: return LS_NS_HASHTAG;
    case LS_LI_DOMAIN: return LS_NS_DOMAIN;
    case LS_LI_IMAGE: return LS_NS_IMAGE;
    default: return -1;
    }
}
/* Origin records buffered before they are written. */
#define ORIG_BUF ((size_t)1 << 16)
/* Bytes of a mapped column walked between page drops. */
#define DROP_BYTES ((size_t)32 << 20)

typedef struct { uint64_t line; uint32_t input, pad; } origin;

void ls__builder_freeze_init(ls__builder *b)
{
    /* LOCKSTEP_FREEZE_AT=BYTES sets every budget (1: freeze at once, so
     * that tests run the whole path on small inputs; 0: never freeze). */
    const char *env = getenv("LOCKSTEP_FREEZE_AT");
    char *end = NULL;
    int set = 0;
    unsigned long long v = 0;
    if (env && *env) {
        v = strtoull(env, &end, 10);
        set = end && !*end;
    }
    b->orig_fd = -1;
    for (int k = 0; k < N_FROZEN; k++) ls__pool_freeze_at(&b->ns[frozen_ns[k]], set ? (size_t)v : frozen_at[k]);
}

void ls__builder_freeze_free(ls__builder *b)
{
    for (int k = 0; k < LS_NS_COUNT; k++) {
        ls__xd_free(b->xd[k]);
        b->xd[k] = NULL;
    }
    if (b->orig_fd >= 0) close(b->orig_fd);
    b->orig_fd = -1;
    ls__buf_free(&b->orig);
    for (size_t i = 0; i < b->n_input_names; i++) ls__free(b->input_names[i]);
    ls__free(b->input_names);
    b->input_names = NULL;
    b->n_input_names = b->input_names_cap = 0;
    ls__free(b->ev_drop);
    b->ev_drop = NULL;
    b->n_drop = 0;
}

int ls__builder_prov(ls__builder *b, ls_ctx *ctx, int ns, ls__str s, uint64_t h, unsigned flags)
{
    int st;
    if (!b->xd[ns] && (st = ls__xd_new(ctx, b->spill_dir, (uint32_t)b->ns[ns].n, &b->xd[ns])))
        return st;
    ls__xd_set_ctx(b->xd[ns], ctx);
    return ls__xd_add(b->xd[ns], s, h, flags);
}

static int orig_flush(ls__builder *b)
{
    if (!b->orig.n) return LS_OK;
    if ((b->orig_fd < 0 && ls__spill_open(b->spill_dir, &b->orig_fd)) ||
        ls__spill_write(b->orig_fd, b->orig.p, b->orig.n)) {
        b->spill_err = errno ? errno : EIO;
        return ls__fail(b->ctx, LS_ERR_IO, "cannot write a spill file in %s: %s", b->spill_dir,
                        strerror(b->spill_err));
    }
    b->orig.n = 0;
    return LS_OK;
}

int ls__builder_origin(ls__builder *b, const char *file, uint64_t line)
{
    if (!file) file = "-";
    if (!b->n_input_names || (file != b->last_file &&
                              strcmp(file, b->input_names[b->n_input_names - 1]) != 0)) {
        void *p = b->input_names;
        char *name = ls__strdup(file);
        if (!name || ls__grow(&p, &b->input_names_cap, b->n_input_names + 1, sizeof(char *))) {
            ls__free(name);
            return ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory adding posts");
        }
        b->input_names = p;
        b->input_names[b->n_input_names++] = name;
    }
    b->last_file = file;
    origin o = { line, (uint32_t)(b->n_input_names - 1), 0 };
    b->n_orig++;
    if (ls__buf_put(&b->orig, &o, sizeof o)) return ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory adding posts");
    return b->orig.n >= ORIG_BUF ? orig_flush(b) : LS_OK;
}

uint64_t ls__builder_xd_count(const ls__builder *b, int k)
{
    return b->xd[k] ? ls__xd_distinct(b->xd[k]) : 0;
}

uint64_t ls__builder_xd_bytes(const ls__builder *b, int k)
{
    return b->xd[k] ? ls__xd_bytes(b->xd[k]) : 0;
}

int ls__builder_xd_each(ls__builder *b, int k, int (*fn)(void *u, ls__str s), void *u)
{
    return b->xd[k] ? ls__xd_each(b->xd[k], fn, u) : LS_OK;
}

int ls__builder_xd_each_len(ls__builder *b, int k, int (*fn)(void *u, uint64_t n), void *u)
{
    return b->xd[k] ? ls__xd_each_len(b->xd[k], fn, u) : LS_OK;
}

/* The id of the next occurrence of x that a column holds; *used counts
 * the occurrences read (strings are not read: ls__xd_string). */
int ls__builder_next_held(ls__xd *x, uint64_t *used, uint32_t *id, unsigned *flags)
{
    int st;
    do {
        if (*used >= ls__xd_count(x)) return LS_ERR_INTERNAL;
        if ((st = ls__xd_next(x, id, flags, NULL))) return st;
        ++*used;
    } while (*flags & LS__XD_ORPHAN);
    return LS_OK;
}

/* Reads origin records back in order. */
typedef struct { int fd; uint64_t at, end; origin buf[4096]; size_t i, n; } orig_reader;

static int orig_next(ls__builder *b, orig_reader *r, origin *o)
{
    if (r->i == r->n) {
        size_t want = (size_t)LS__MIN((uint64_t)sizeof r->buf, r->end - r->at);
        if (!want || ls__spill_pread(r->fd, r->buf, want, r->at))
            return ls__fail(b->ctx, LS_ERR_IO, "cannot read a spill file in %s: %s", b->spill_dir,
                            strerror(want ? (errno ? errno : EIO) : EIO));
        r->at += want;
        r->n = want / sizeof(origin);
        r->i = 0;
    }
    *o = r->buf[r->i++];
    return LS_OK;
}

/* Drops the pages of mapped column k before event `upto` (whole pages),
 * so that walking the columns keeps only a window resident. */
void ls__builder_drop_upto(ls__builder *b, int k, size_t upto)
{
    void **arrs[LS__N_COLS];
    if (!b->col_map[k]) return;
    ls__builder_cols(b, arrs);
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    size_t bytes = upto * ls__builder_col_elem(k) & ~(size_t)(page - 1);
    if (bytes) (void)madvise(*arrs[k], bytes, MADV_DONTNEED);
}

void ls__builder_dup_later(ls__builder *b, const char *text)
{
    if (b->n_dup_ex >= LS_DIAG_EXAMPLES) return;
    b->dup_ex[b->n_dup_ex].after = b->n_orig;
    snprintf(b->dup_ex[b->n_dup_ex].text, sizeof b->dup_ex[0].text, "%s", text);
    b->n_dup_ex++;
}

/* Places the waiting examples found at once before origin q (all of
 * them when q is UINT64_MAX). */
static void dup_examples_before(ls__builder *b, int *next, uint64_t q)
{
    for (; *next < b->n_dup_ex && b->dup_ex[*next].after <= q; ++*next)
        ls__builder_diag_example(b, LS_DIAG_DUPLICATE, b->dup_ex[*next].text);
}

static int mark_dup(ls__builder *b, size_t i, const origin *o, ls__str s)
{
    if (!b->ev_drop && !(b->ev_drop = ls__calloc((b->n_ev + 63) / 64, sizeof *b->ev_drop)))
        return ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory dropping duplicates");
    b->ev_drop[i >> 6] |= UINT64_C(1) << (i & 63);
    b->n_drop++;
    b->diag.count[LS_DIAG_DUPLICATE]++;
    char detail[120], ex[sizeof b->diag.example[0][0]];
    snprintf(detail, sizeof detail, "post id %.*s seen before", (int)LS__MIN(s.n, 80), s.p);
    const char *file = o->input < b->n_input_names ? b->input_names[o->input] : "-";
    ls__builder_format_example(ex, sizeof ex, file, o->line, detail);
    ls__builder_diag_example(b, LS_DIAG_DUPLICATE, ex);
    return LS_OK;
}

int ls__builder_unfreeze(ls__builder *b)
{
    ls__xd *xp = b->xd[LS_NS_POST], *xt = b->xd[LS_NS_TEXT];
    orig_reader *rd = NULL;
    int st = LS_OK;
    int any = 0, lists = 0;
    for (int k = 0; k < N_FROZEN; k++) any |= b->xd[frozen_ns[k]] != NULL;
    lists = b->xd[LS_NS_URL] || b->xd[LS_NS_HASHTAG] || b->xd[LS_NS_DOMAIN] || b->xd[LS_NS_IMAGE];
    if (!any) return LS_OK;
    /* Their last adds may have come from the threads of an ingest that
     * is over: failures from here on are the writer's. */
    for (int k = 0; k < N_FROZEN; k++) {
        ls__xd *x = b->xd[frozen_ns[k]];
        if (!x) continue;
        ls__xd_set_ctx(x, b->ctx);
        if ((st = ls__xd_resolve(x))) return st;
    }
    if (xp) {
        if ((st = orig_flush(b))) return st;
        if (!(rd = ls__calloc(1, sizeof *rd))) return ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory");
        rd->fd = b->orig_fd;
        rd->end = b->orig_fd >= 0 ? (uint64_t)lseek(b->orig_fd, 0, SEEK_END) : 0;
    }
    /* The columns that hold values of the frozen namespaces; a column of
     * defaults holds none. */
    const int post_cols[3] = { 1, 3, 5 };
    uint32_t *pcol[3] = { b->ev_post, b->col_dflt[3] ? NULL : b->ev_ref_post,
                          b->col_dflt[5] ? NULL : b->ev_reply_post };
    uint32_t *tcol = b->col_dflt[7] ? NULL : b->ev_text;
    size_t drop_every = DROP_BYTES / 4, dropped_to = 0;
    uint64_t used[LS_NS_COUNT] = { 0 }, q = 0;   /* q: origins read */
    int next_ex = 0;
    for (size_t i = 0; i < b->n_ev; i++) {
        uint32_t id;
        unsigned fl;
        ls__str s;
        for (int c = 0; xp && c < 3; c++) {
            if (!pcol[c] || pcol[c][i] != LS__PROV) continue;
            if ((st = ls__builder_next_held(xp, &used[LS_NS_POST], &id, &fl))) goto stream;
            pcol[c][i] = id;
            if (c == 0) {
                origin o = { 0, 0, 0 };
                if ((st = orig_next(b, rd, &o))) goto done;
                dup_examples_before(b, &next_ex, q++);
                if ((fl & LS__XD_DUP) &&
                    ((st = ls__xd_string(xp, &s)) || (st = mark_dup(b, i, &o, s))))
                    goto done;
            }
        }
        if (xt && tcol && tcol[i] == LS__PROV) {
            if ((st = ls__builder_next_held(xt, &used[LS_NS_TEXT], &id, &fl))) goto stream;
            tcol[i] = id;
        }
        if (i + 1 - dropped_to >= drop_every || i + 1 == b->n_ev) {
            for (int c = 0; c < 3; c++) ls__builder_drop_upto(b, post_cols[c], i + 1);
            ls__builder_drop_upto(b, 7, i + 1);
            dropped_to = i + 1;
        }
    }
    dup_examples_before(b, &next_ex, UINT64_MAX);
    /* URLs, hashtags, domains and images are list entries, in the order
     * they were added. */
    dropped_to = 0;
    for (size_t j = 0; lists && j < b->n_li; j++) {
        uint32_t id;
        unsigned fl;
        int ns = b->li_id[j] == LS__PROV ? li_ns(b->li_type[j]) : -1;
        if (ns >= 0 && b->xd[ns]) {
            if ((st = ls__builder_next_held(b->xd[ns], &used[ns], &id, &fl))) goto stream;
            b->li_id[j] = id;
        }
        if (j + 1 - dropped_to >= drop_every || j + 1 == b->n_li) {
            ls__builder_drop_upto(b, LS__N_EV_COLS, j + 1);
            ls__builder_drop_upto(b, LS__N_EV_COLS + 1, j + 1);
            dropped_to = j + 1;
        }
    }
    /* What is left of each stream must be occurrences no column holds
     * (the accounts', names' and profile strings' are checked by their
     * own walks). */
    for (int k = 0; k < N_FROZEN; k++) {
        int ns = frozen_ns[k];
        ls__xd *x = b->xd[ns];
        if (ns == LS_NS_ACCOUNT || ns == LS_NS_NAME || ns == LS_NS_MISC) continue;
        for (; x && used[ns] < ls__xd_count(x); used[ns]++) {
            uint32_t id;
            unsigned fl;
            if ((st = ls__xd_next(x, &id, &fl, NULL))) goto done;
            if (!(fl & LS__XD_ORPHAN)) goto stream;
        }
    }
    st = ls__builder_acct_unfreeze(b);
    goto done;
stream:
    /* A failed read has its message already; a stream that does not
     * match the columns is a bug. */
    if (st == LS_ERR_INTERNAL || st == LS_OK)
        st = ls__fail(b->ctx, LS_ERR_INTERNAL, "the provisional ids of a frozen namespace do not match its columns");
done:
    ls__free(rd);
    return st;
}
