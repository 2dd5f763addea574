/*
 * reader.c — opens an event store: maps the file read-only, checks the
 * fixed header (magic, version, size), the XXH3-64 checksum and the
 * structure of every section, then points the ls_store columns into the
 * mapping.  Nothing is copied, so opening costs one checksum pass over the
 * file (or nothing beyond the header with LS_STORE_NOVERIFY).
 *
 * Failures: not a store or another version -> LS_ERR_FORMAT; a store whose
 * size, checksum or structure is wrong -> LS_ERR_CORRUPT; the message says
 * which check failed and names the file.
 */
#include "format.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

typedef struct {
    const unsigned char *base;
    uint64_t size, n;
    const unsigned char *table;
} sections;

/* Finds section id; checks its element size and that it lies in the file. */
static int section(ls_ctx *ctx, const char *path, const sections *ss, uint32_t id,
                   uint32_t elem, const void **p, uint64_t *count)
{
    for (uint64_t i = 0; i < ss->n; i++) {
        const unsigned char *e = ss->table + i * LS__STORE_ENTRY;
        if (ls__get_u32(e) != id) continue;
        uint32_t es = ls__get_u32(e + 4);
        uint64_t off = ls__get_u64(e + 8), cnt = ls__get_u64(e + 16);
        if (es != elem)
            return ls__fail(ctx, LS_ERR_CORRUPT, "%s: section %u has elements of %u bytes, expected %u",
                            path, id, es, elem);
        if (off % LS__STORE_ALIGN || off > ss->size || cnt > (ss->size - off) / elem)
            return ls__fail(ctx, LS_ERR_CORRUPT, "%s: section %u lies outside the file", path, id);
        *p = ss->base + off;
        *count = cnt;
        return LS_OK;
    }
    return ls__fail(ctx, LS_ERR_CORRUPT, "%s: section %u is missing", path, id);
}

/* Every id in col[0..n) is below limit or LS__NONE. */
static bool ids_ok(const uint32_t *col, uint64_t n, uint64_t limit)
{
    for (uint64_t i = 0; i < n; i++)
        if (col[i] != LS__NONE && col[i] >= limit) return false;
    return true;
}

static bool ids16_ok(const uint16_t *col, uint64_t n, uint64_t limit)
{
    for (uint64_t i = 0; i < n; i++)
        if (col[i] != 0xFFFF && col[i] >= limit) return false;
    return true;
}

/* Gives back the pages of a checked column: the mapping is read-only and
 * file-backed, so this loses nothing, and the check does not leave every
 * column resident at once (a command then faults back from the page cache
 * only what it reads).  Without it, opening the store set the peak of
 * `lockstep network` on a store (134.6 MB of 2M events, 71.6 MB of 1M). */
static void drop(const void *p, uint64_t bytes)
{
#ifdef MADV_DONTNEED
    uintptr_t a = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
    uintptr_t e = ((uintptr_t)p + (uintptr_t)bytes) & ~(uintptr_t)4095;
    if (p && e > a) (void)madvise((void *)a, e - a, MADV_DONTNEED);
#else
    (void)p; (void)bytes;
#endif
}

static int load_strtab(ls_ctx *ctx, const char *path, const sections *ss, int k,
                       ls__strtab *t, int deep)
{
    const void *blob, *off;
    uint64_t nb, no;
    int st;
    if ((st = section(ctx, path, ss, LS__SEC_STR_BLOB + 2 * k, 1, &blob, &nb)) ||
        (st = section(ctx, path, ss, LS__SEC_STR_OFF + 2 * k, 8, &off, &no)))
        return st;
    if (no < 1 || no - 1 >= UINT32_MAX)
        return ls__fail(ctx, LS_ERR_CORRUPT, "%s: bad string table %d", path, k);
    t->n = (uint32_t)(no - 1);
    t->blob = blob;
    t->off = off;
    if (t->off[0] != 0 || t->off[t->n] != nb)
        return ls__fail(ctx, LS_ERR_CORRUPT, "%s: string table %d does not match its blob", path, k);
    if (deep) {
        for (uint32_t i = 0; i < t->n; i++)
            if (t->off[i] > t->off[i + 1])
                return ls__fail(ctx, LS_ERR_CORRUPT, "%s: string table %d is out of order", path, k);
        drop(t->off, no * 8);
    }
    return LS_OK;
}

#define COL(id, elem, field, want)                                                    \
    do {                                                                              \
        const void *p_; uint64_t c_;                                                  \
        if ((st = section(ctx, path, &ss, (id), (elem), &p_, &c_))) goto done;        \
        if (c_ != (want)) {                                                           \
            st = ls__fail(ctx, LS_ERR_CORRUPT, "%s: section %u has %llu entries, expected %llu", \
                          path, (unsigned)(id), (unsigned long long)c_, (unsigned long long)(want)); \
            goto done;                                                                \
        }                                                                             \
        s->field = p_;                                                                \
    } while (0)

static bool ids_ok_drop(const uint32_t *col, uint64_t n, uint64_t limit)
{
    bool ok = ids_ok(col, n, limit);
    drop(col, n * sizeof *col);
    return ok;
}

static bool ids16_ok_drop(const uint16_t *col, uint64_t n, uint64_t limit)
{
    bool ok = ids16_ok(col, n, limit);
    drop(col, n * sizeof *col);
    return ok;
}

static int check_deep(ls_ctx *ctx, const char *path, ls_store *s)
{
    uint64_t n = s->n_events, na = s->ns[LS_NS_ACCOUNT].n, np = s->ns[LS_NS_POST].n;
    bool ok = ids_ok_drop(s->ev_ref_post, n, np) && ids_ok_drop(s->ev_ref_account, n, na) &&
              ids_ok_drop(s->ev_reply_post, n, np) && ids_ok_drop(s->ev_reply_account, n, na) &&
              ids_ok_drop(s->ev_text, n, s->ns[LS_NS_TEXT].n) &&
              ids16_ok_drop(s->ev_lang, n, s->ns[LS_NS_LANG].n) &&
              ids16_ok_drop(s->ev_client, n, s->ns[LS_NS_CLIENT].n) &&
              ids_ok_drop(s->acc_screen, na, s->ns[LS_NS_NAME].n) &&
              ids_ok_drop(s->acc_display, na, s->ns[LS_NS_NAME].n) &&
              ids16_ok_drop(s->acc_lang, na, s->ns[LS_NS_LANG].n) &&
              ids_ok_drop(s->acc_location, na, s->ns[LS_NS_MISC].n) &&
              ids_ok_drop(s->acc_description, na, s->ns[LS_NS_MISC].n) &&
              ids_ok_drop(s->acc_url, na, s->ns[LS_NS_MISC].n) &&
              ids_ok(s->ev_post, n, np) && ids_ok(s->ev_account, n, na);
    for (uint64_t i = 0; ok && i < n; i++) {
        if (s->ev_list[i] > s->ev_list[i + 1] || s->ev_kind[i] > LS_KIND_REPLY || s->ev_post[i] == LS__NONE ||
            s->ev_account[i] == LS__NONE)
            ok = false;
    }
    drop(s->ev_post, n * 4); drop(s->ev_account, n * 4); drop(s->ev_kind, n); drop(s->ev_list, (n + 1) * 4);
    if (ok && (s->ev_list[0] != 0 || s->ev_list[n] != s->n_list)) ok = false;
    for (uint64_t i = 0; ok && i < s->n_list; i++) {
        uint32_t id = s->li_id[i];
        switch (s->li_type[i]) {
        case LS_LI_HASHTAG: ok = id < s->ns[LS_NS_HASHTAG].n; break;
        case LS_LI_URL: ok = id < s->ns[LS_NS_URL].n; break;
        case LS_LI_DOMAIN: ok = id < s->ns[LS_NS_DOMAIN].n; break;
        case LS_LI_MENTION: ok = id < na; break;
        case LS_LI_IMAGE: ok = id < s->ns[LS_NS_IMAGE].n; break;
        case LS_LI_LIKES: case LS_LI_RETWEETS: case LS_LI_REPLIES: case LS_LI_QUOTES: break;
        default: ok = false;
        }
    }
    drop(s->li_id, s->n_list * 4); drop(s->li_type, s->n_list);
    if (!ok) return ls__fail(ctx, LS_ERR_CORRUPT, "%s: a column refers to an id that does not exist", path);
    return LS_OK;
}

/* XXH3-64 of map[from..size), read in 8 MiB pieces whose pages are
 * dropped once hashed: the mapping is read-only and file-backed, so this
 * loses nothing, and opening a store never makes the whole file resident
 * in this process (what an analysis reads faults back from the page
 * cache).  The same value as one XXH3_64bits call. */
static uint64_t checksum(const unsigned char *map, size_t from, size_t size)
{
    enum { PIECE = 8u << 20 };
    XXH3_state_t *x = XXH3_createState();
    if (!x) return XXH3_64bits(map + from, size - from);   /* no memory: hash at once */
    XXH3_64bits_reset(x);
    for (size_t at = from; at < size;) {
        size_t n = size - at < PIECE ? size - at : PIECE;
        uintptr_t a = ((uintptr_t)(map + at) + 4095) & ~(uintptr_t)4095;
        uintptr_t e = (uintptr_t)(map + at + n) & ~(uintptr_t)4095;
#ifdef MADV_POPULATE_READ
        /* The piece's page table entries in one call (Linux 5.14 on; an
         * error, as on older kernels, just leaves it to page faults): the
         * hash then reads without a fault every 64 KiB, which on a virtual
         * machine cost more than the hashing. */
        if (e > a) (void)madvise((void *)a, e - a, MADV_POPULATE_READ);
#endif
        XXH3_64bits_update(x, map + at, n);
#ifdef MADV_DONTNEED
        if (e > a) (void)madvise((void *)a, e - a, MADV_DONTNEED);
#endif
        at += n;
    }
    uint64_t v = XXH3_64bits_digest(x);
    XXH3_freeState(x);
    return v;
}

int ls__store_open_flags(ls_ctx *ctx, const char *path, int flags, ls_store **out)
{
    ls_store *s = NULL;
    sections ss;
    struct stat sb;
    int fd = -1, st = LS_OK;
    const unsigned char *h;
    uint64_t want;

    *out = NULL;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ls__fail(ctx, LS_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    if (fstat(fd, &sb) != 0) { st = ls__fail(ctx, LS_ERR_IO, "cannot stat %s: %s", path, strerror(errno)); goto done; }
    if (!S_ISREG(sb.st_mode)) { st = ls__fail(ctx, LS_ERR_FORMAT, "%s is not a lockstep event store (not a regular file)", path); goto done; }
    s = ls__calloc(1, sizeof *s);
    if (!s || !(s->path = ls__strdup(path))) { st = ls__fail(ctx, LS_ERR_NOMEM, "out of memory opening %s", path); goto done; }
    if ((uint64_t)sb.st_size < LS__STORE_FIXED) {
        /* Too short for a header: a cut-off store still starts with the magic. */
        char head[8] = { 0 };
        ssize_t got = read(fd, head, sizeof head);
        if (got > 0 && memcmp(head, LS__STORE_MAGIC, (size_t)got) == 0)
            st = ls__fail(ctx, LS_ERR_CORRUPT, "%s: truncated (%lld bytes, shorter than the header)", path, (long long)sb.st_size);
        else
            st = ls__fail(ctx, LS_ERR_FORMAT, "%s is not a lockstep event store", path);
        goto done;
    }
    s->map_size = (size_t)sb.st_size;
    s->map = mmap(NULL, s->map_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (s->map == MAP_FAILED) {
        s->map = NULL;
        st = ls__fail(ctx, LS_ERR_IO, "cannot map %s: %s", path, strerror(errno));
        goto done;
    }
    h = s->map;
    if (memcmp(h, LS__STORE_MAGIC, 8) != 0) { st = ls__fail(ctx, LS_ERR_FORMAT, "%s is not a lockstep event store", path); goto done; }
    if (ls__get_u32(h + 8) != LS__STORE_VERSION) {
        st = ls__fail(ctx, LS_ERR_FORMAT, "%s: store format version %u; this lockstep reads version %u",
                      path, ls__get_u32(h + 8), LS__STORE_VERSION);
        goto done;
    }
    want = ls__get_u64(h + 16);
    if (want != (uint64_t)sb.st_size) {
        st = ls__fail(ctx, LS_ERR_CORRUPT, "%s: %s: the header says %llu bytes, the file has %llu",
                      path, want > (uint64_t)sb.st_size ? "truncated" : "wrong size",
                      (unsigned long long)want, (unsigned long long)sb.st_size);
        goto done;
    }
    ss.base = h;
    ss.size = s->map_size;
    ss.n = ls__get_u32(h + 12);
    ss.table = h + LS__STORE_FIXED;
    if (ss.n > (ss.size - LS__STORE_FIXED) / LS__STORE_ENTRY) {
        st = ls__fail(ctx, LS_ERR_CORRUPT, "%s: section table larger than the file", path);
        goto done;
    }
    if (!(flags & LS_STORE_NOVERIFY) &&
        checksum(h, LS__STORE_FIXED, ss.size) != ls__get_u64(h + 24)) {
        st = ls__fail(ctx, LS_ERR_CORRUPT, "%s: checksum mismatch (the file is damaged)", path);
        goto done;
    }

    for (int k = 0; k < LS_NS_COUNT; k++)
        if ((st = load_strtab(ctx, path, &ss, k, &s->ns[k], !(flags & LS_STORE_NOVERIFY)))) goto done;
    {
        const void *p; uint64_t c;
        if ((st = section(ctx, path, &ss, LS__SEC_EV_TIME, 8, &p, &c))) goto done;
        s->n_events = c;
        s->ev_time = p;
        if ((st = section(ctx, path, &ss, LS__SEC_LI_ID, 4, &p, &c))) goto done;
        s->n_list = c;
        s->li_id = p;
    }
    uint64_t n = s->n_events, na = s->ns[LS_NS_ACCOUNT].n;
    COL(LS__SEC_EV_POST, 4, ev_post, n);
    COL(LS__SEC_EV_ACCOUNT, 4, ev_account, n);
    COL(LS__SEC_EV_REF_POST, 4, ev_ref_post, n);
    COL(LS__SEC_EV_REF_ACCOUNT, 4, ev_ref_account, n);
    COL(LS__SEC_EV_REPLY_POST, 4, ev_reply_post, n);
    COL(LS__SEC_EV_REPLY_ACCOUNT, 4, ev_reply_account, n);
    COL(LS__SEC_EV_TEXT, 4, ev_text, n);
    COL(LS__SEC_EV_LIST, 4, ev_list, n + 1);
    COL(LS__SEC_EV_KIND, 1, ev_kind, n);
    COL(LS__SEC_EV_LANG, 2, ev_lang, n);
    COL(LS__SEC_EV_CLIENT, 2, ev_client, n);
    COL(LS__SEC_LI_TYPE, 1, li_type, s->n_list);
    COL(LS__SEC_ACC_SCREEN, 4, acc_screen, na);
    COL(LS__SEC_ACC_DISPLAY, 4, acc_display, na);
    COL(LS__SEC_ACC_CREATED, 8, acc_created, na);
    COL(LS__SEC_ACC_FOLLOWERS, 8, acc_followers, na);
    COL(LS__SEC_ACC_FOLLOWING, 8, acc_following, na);
    COL(LS__SEC_ACC_LANG, 2, acc_lang, na);
    COL(LS__SEC_ACC_LOCATION, 4, acc_location, na);
    COL(LS__SEC_ACC_DESCRIPTION, 4, acc_description, na);
    COL(LS__SEC_ACC_URL, 4, acc_url, na);
    {
        const void *p; uint64_t c;
        if ((st = section(ctx, path, &ss, LS__SEC_META, 8, &p, &c))) goto done;
        if (c < 2) { st = ls__fail(ctx, LS_ERR_CORRUPT, "%s: metadata section too short", path); goto done; }
        s->rows_read = ((const uint64_t *)p)[0];
        s->n_inputs = (uint32_t)((const uint64_t *)p)[1];
        if ((st = section(ctx, path, &ss, LS__SEC_DIAG_COUNT, 8, &p, &c))) goto done;
        memcpy(s->diag.count, p, LS__MIN(c, (uint64_t)LS_DIAG_COUNT) * 8);
        if ((st = section(ctx, path, &ss, LS__SEC_DIAG_EXAMPLE, LS__DIAG_EXAMPLE_SIZE, &p, &c))) goto done;
        c = LS__MIN(c, (uint64_t)LS_DIAG_COUNT * LS_DIAG_EXAMPLES);
        memcpy(s->diag.example, p, c * LS__DIAG_EXAMPLE_SIZE);
        for (int r = 0; r < LS_DIAG_COUNT; r++)
            for (int k = 0; k < LS_DIAG_EXAMPLES; k++)
                s->diag.example[r][k][LS__DIAG_EXAMPLE_SIZE - 1] = '\0';
    }
    if (!(flags & LS_STORE_NOVERIFY) && (st = check_deep(ctx, path, s))) goto done;
#ifdef MADV_DONTNEED
    /* The checksum pass touched every page of the mapping, which would
     * then count as resident memory of this process although an analysis
     * reads only a few columns.  The mapping is read-only and backed by
     * the file, so dropping those pages loses nothing: what is used faults
     * back in from the page cache. */
    if (!(flags & LS_STORE_NOVERIFY)) (void)madvise(s->map, s->map_size, MADV_DONTNEED);
#endif
    *out = s;
    s = NULL;
done:
    if (fd >= 0) close(fd);
    ls_store_close(s);
    return st;
}

int ls_store_open(ls_ctx *ctx, const char *path, ls_store **out)
{
    return ls__store_open_flags(ctx, path, 0, out);
}

void ls_store_close(ls_store *s)
{
    if (!s) return;
    for (int k = 0; k < LS_NS_COUNT; k++) ls__free(s->ns[k].index);
    if (s->map) munmap(s->map, s->map_size);
    ls__free(s->path);
    ls__free(s);
}

/* Byte order of strings, shorter first on a common prefix. */
static int cmp_str(ls__str a, ls__str b)
{
    size_t m = LS__MIN(a.n, b.n);
    int c = m ? memcmp(a.p, b.p, m) : 0;
    if (c) return c;
    return a.n < b.n ? -1 : a.n > b.n;
}

static int cmp_ids(const void *x, const void *y, void *arg)
{
    const ls__strtab *t = arg;
    return cmp_str(ls__strtab_get(t, *(const uint32_t *)x), ls__strtab_get(t, *(const uint32_t *)y));
}

uint32_t ls__strtab_find(ls__strtab *t, ls__str s)
{
    if (!t->n) return LS__NONE;
    if (!t->index) {
        t->index = ls__malloc((size_t)t->n * sizeof *t->index);
        if (!t->index) {
            /* Out of memory: fall back to a linear scan rather than fail. */
            for (uint32_t i = 0; i < t->n; i++)
                if (ls__str_eq(ls__strtab_get(t, i), s)) return i;
            return LS__NONE;
        }
        for (uint32_t i = 0; i < t->n; i++) t->index[i] = i;
        qsort_r(t->index, t->n, sizeof *t->index, cmp_ids, t);
    }
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_str(ls__strtab_get(t, t->index[mid]), s);
        if (c == 0) return t->index[mid];
        if (c < 0) lo = mid + 1; else hi = mid;
    }
    return LS__NONE;
}
