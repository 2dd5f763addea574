/*
 * src.c — byte sources for ingest: a file, stdin ("-") or a memory buffer,
 * decompressed on the fly when it is gzip (zlib, concatenated members
 * included) or zstd (ZSTD_decompressStream, several frames included).
 * The compression is recognised by its magic bytes, never by the file
 * name, so a .gz file that is really plain text (or a gzip stream on
 * stdin) is read correctly.  bzip2, xz, lzip and lz4 are recognised
 * the same way and decoded by libarchive (xdec.c); UTF-16 text with a
 * byte-order mark is turned into UTF-8 by ICU (utf16.c).  A source's
 * raw bytes come from a file descriptor, a memory buffer or a reader
 * callback (ls__src_from: an entry of a zip or tar archive, archive.c).
 *
 * A stream that ends before its last member/frame is complete is
 * LS_ERR_IO "FILE: truncated gzip stream"; damaged data is LS_ERR_IO
 * "FILE: corrupt gzip data (...)": a half-decompressed input must never
 * look like a complete one.  Progress (bytes of the file consumed) is
 * reported on the context every 64 MiB.
 */
#include "arc.h"
#include "srcinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define IN_CAP (1u << 20)           /* compressed read buffer */
#define PEEK_MAX (64u << 10)        /* ls__src_peek window */
#define PROGRESS_STEP (64ull << 20)

enum { K_PLAIN, K_GZIP, K_ZSTD, K_XDEC, K_U16 };

struct ls__src {
    ls_ctx *ctx;
    char *name;
    int fd, own_fd;
    ls__src_reader rd;              /* raw bytes from a callback, not fd */
    void *rd_u;
    int kind;
    /* raw input: in[in_pos..in_end); for memory sources in points at the
     * caller's bytes and in_eof is set from the start */
    unsigned char *in;
    size_t in_pos, in_end, in_cap;
    int in_eof, own_in;
    /* decoders */
    z_stream z;
    int z_live, z_end;
    ZSTD_DStream *zs;
    size_t z_hint;                  /* last ZSTD_decompressStream result */
    ls__xdec *xd;                   /* K_XDEC: bzip2, xz, ... */
    ls__u16 *u16;                   /* K_U16: UTF-16 text */
    ls__src *inner;                 /* ls__src_wrap: the source read, owned */
    const char *xd_name;
    /* peeked, not yet consumed output */
    char *peek;
    size_t peek_pos, peek_n;
    int done;
    uint64_t raw_bytes, out_bytes, total, next_progress;
};

static int fail_io(ls__src *s, const char *what, const char *detail)
{
    return ls__fail(s->ctx, LS_ERR_IO, "%s: %s%s%s", s->name, what, detail ? ": " : "", detail ? detail : "");
}

static void progress(ls__src *s)
{
    if (s->raw_bytes >= s->next_progress) {
        s->next_progress = s->raw_bytes + PROGRESS_STEP;
        ls__progress(s->ctx, s->name, s->raw_bytes, s->total);
    }
}

/* Reads up to cap raw bytes, from the callback or the descriptor. */
static int raw_read(ls__src *s, void *buf, size_t cap, size_t *got)
{
    if (s->rd) return s->rd(s->rd_u, buf, cap, got);
    for (;;) {
        ssize_t k = read(s->fd, buf, cap);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return ls__fail(s->ctx, LS_ERR_IO, "cannot read %s: %s", s->name, strerror(errno));
        *got = (size_t)k;
        return LS_OK;
    }
}

/* Reads more raw bytes into in[]; sets in_eof at end of file. */
static int fill(ls__src *s)
{
    if (s->in_eof) return LS_OK;
    if (s->in_pos == s->in_end) s->in_pos = s->in_end = 0;
    if (s->in_end == s->in_cap) {
        /* Keep the unread tail; it is short, as decoders consume greedily. */
        memmove(s->in, s->in + s->in_pos, s->in_end - s->in_pos);
        s->in_end -= s->in_pos;
        s->in_pos = 0;
    }
    size_t k = 0;
    int st = raw_read(s, s->in + s->in_end, s->in_cap - s->in_end, &k);
    if (st) return st;
    if (k == 0) s->in_eof = 1;
    s->in_end += k;
    s->raw_bytes += (uint64_t)k;
    progress(s);
    return LS_OK;
}

static int read_plain(ls__src *s, char *buf, size_t cap, size_t *got)
{
    if (s->in_pos < s->in_end) {
        size_t k = LS__MIN(cap, s->in_end - s->in_pos);
        memcpy(buf, s->in + s->in_pos, k);
        s->in_pos += k;
        *got = k;
        return LS_OK;
    }
    if (s->in_eof) { *got = 0; return LS_OK; }
    /* Large reads go straight into the caller's buffer: no copy. */
    size_t k = 0;
    int st = raw_read(s, buf, cap, &k);
    if (st) return st;
    if (k == 0) s->in_eof = 1;
    s->raw_bytes += (uint64_t)k;
    progress(s);
    *got = k;
    return LS_OK;
}

/* The raw bytes at hand for the libarchive decoder (xdec.c): a window of
 * in[] that stays valid until the next call; *n = 0 at end of input. */
static int pull_raw(void *u, const void **p, size_t *n)
{
    ls__src *s = u;
    int st;
    if (s->in_pos == s->in_end && (st = fill(s))) return st;
    *p = s->in + s->in_pos;
    *n = s->in_end - s->in_pos;
    s->in_pos = s->in_end;
    return LS_OK;
}

static int read_gzip(ls__src *s, char *buf, size_t cap, size_t *got)
{
    int st;
    *got = 0;
    for (;;) {
        if (s->in_pos == s->in_end && (st = fill(s))) return st;
        if (s->z_end) {
            /* A member ended: another one may follow (gzip -c a b > ab). */
            if (s->in_pos == s->in_end) { s->done = 1; return LS_OK; }
            if (inflateReset(&s->z) != Z_OK) return fail_io(s, "corrupt gzip data", s->z.msg);
            s->z_end = 0;
        }
        s->z.next_in = s->in + s->in_pos;
        s->z.avail_in = (uInt)LS__MIN(s->in_end - s->in_pos, (size_t)UINT32_MAX);
        s->z.next_out = (Bytef *)buf;
        s->z.avail_out = (uInt)LS__MIN(cap, (size_t)UINT32_MAX);
        int ret = inflate(&s->z, Z_NO_FLUSH);
        size_t used = (size_t)(s->z.next_in - (s->in + s->in_pos));
        s->in_pos += used;
        *got = (size_t)((char *)s->z.next_out - buf);
        if (ret == Z_STREAM_END) s->z_end = 1;
        else if (ret != Z_OK && ret != Z_BUF_ERROR)
            return fail_io(s, "corrupt gzip data", s->z.msg ? s->z.msg : "inflate failed");
        if (*got) return LS_OK;
        if (!used && !s->z_end && s->in_pos == s->in_end && s->in_eof)
            return fail_io(s, "truncated gzip stream (unexpected end of file)", NULL);
        /* No progress with input at hand would loop for ever. */
        if (!used && !s->z_end && s->in_pos < s->in_end)
            return fail_io(s, "corrupt gzip data", "no progress");
    }
}

static int read_zstd(ls__src *s, char *buf, size_t cap, size_t *got)
{
    int st;
    *got = 0;
    for (;;) {
        if (s->in_pos == s->in_end && (st = fill(s))) return st;
        ZSTD_inBuffer ib = { s->in, s->in_end, s->in_pos };
        ZSTD_outBuffer ob = { buf, cap, 0 };
        size_t r = ZSTD_decompressStream(s->zs, &ob, &ib);
        if (ZSTD_isError(r)) return fail_io(s, "corrupt zstd data", ZSTD_getErrorName(r));
        size_t used = ib.pos - s->in_pos;
        s->in_pos = ib.pos;
        *got = ob.pos;
        /* r == 0 means a frame is complete and flushed; a call without
         * progress afterwards only asks for the next frame's header. */
        if (used || *got) s->z_hint = r;
        if (*got) return LS_OK;
        if (!used && s->in_pos == s->in_end && s->in_eof) {
            if (s->z_hint != 0) return fail_io(s, "truncated zstd stream (unexpected end of file)", NULL);
            s->done = 1;
            return LS_OK;
        }
        if (!used && s->in_pos < s->in_end)
            return fail_io(s, "corrupt zstd data", "no progress");
    }
}

static int decode(ls__src *s, char *buf, size_t cap, size_t *got)
{
    int st;
    *got = 0;
    if (s->done || !cap) return LS_OK;
    switch (s->kind) {
    case K_GZIP: st = read_gzip(s, buf, cap, got); break;
    case K_ZSTD: st = read_zstd(s, buf, cap, got); break;
    case K_XDEC: st = ls__xdec_read(s->xd, buf, cap, got); break;
    case K_U16: st = ls__u16_read(s->u16, buf, cap, got); break;
    default: st = read_plain(s, buf, cap, got); break;
    }
    if (st == LS_OK && *got == 0) s->done = 1;
    s->out_bytes += *got;
    return st;
}

/* Looks at the first bytes and sets up the decoder. */
static int start(ls__src *s)
{
    int st;
    while (s->in_end - s->in_pos < LS__XDEC_MAGIC_MAX && !s->in_eof)
        if ((st = fill(s))) return st;
    const unsigned char *p = s->in + s->in_pos;
    size_t n = s->in_end - s->in_pos;
    if (n >= 2 && p[0] == 0x1F && p[1] == 0x8B) {
        s->kind = K_GZIP;
        if (inflateInit2(&s->z, 15 + 16) != Z_OK)
            return ls__fail(s->ctx, LS_ERR_NOMEM, "%s: cannot start gzip decompression", s->name);
        s->z_live = 1;
    } else if (n >= 4 && p[0] == 0x28 && p[1] == 0xB5 && p[2] == 0x2F && p[3] == 0xFD) {
        s->kind = K_ZSTD;
        s->z_hint = 1;
        s->zs = ZSTD_createDStream();
        if (!s->zs || ZSTD_isError(ZSTD_initDStream(s->zs)))
            return ls__fail(s->ctx, LS_ERR_NOMEM, "%s: cannot start zstd decompression", s->name);
    } else if ((s->xd_name = ls__xdec_magic(p, n))) {
        s->kind = K_XDEC;
        return ls__xdec_open(s->ctx, s->name, s->xd_name, pull_raw, s, &s->xd);
    } else if (ls__u16_sniff(p, n)) {
        s->kind = K_U16;
        return ls__u16_open(s->ctx, s->name, ls__u16_sniff(p, n), pull_raw, s, &s->u16);
    } else {
        s->kind = K_PLAIN;
    }
    return LS_OK;
}

static int new_src(ls_ctx *ctx, const char *name, ls__src **out)
{
    ls__src *s = ls__calloc(1, sizeof *s);
    *out = NULL;
    if (!s || !(s->name = ls__strdup(name))) {
        ls__free(s);
        return ls__fail(ctx, LS_ERR_NOMEM, "out of memory opening %s", name);
    }
    /* The name goes to messages, terminals and the store's examples: a
     * file name is text the files' author chose, so control bytes are
     * shown as '?' (opening uses the caller's path, not this). */
    for (char *c = s->name; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7F) *c = '?';
    s->ctx = ctx;
    s->fd = -1;
    *out = s;
    return LS_OK;
}

int ls__src_open(ls_ctx *ctx, const char *path, ls__src **out)
{
    ls__src *s;
    struct stat sb;
    int st = new_src(ctx, strcmp(path, "-") == 0 ? "(stdin)" : path, &s);
    *out = NULL;
    if (st) return st;
    if (strcmp(path, "-") == 0) {
        s->fd = STDIN_FILENO;
    } else {
        s->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (s->fd < 0) {
            st = ls__fail(ctx, LS_ERR_IO, "cannot open %s: %s", path, strerror(errno));
            goto done;
        }
        s->own_fd = 1;
        if (fstat(s->fd, &sb) == 0) {
            if (S_ISDIR(sb.st_mode)) { st = ls__fail(ctx, LS_ERR_IO, "cannot read %s: Is a directory", path); goto done; }
            if (S_ISREG(sb.st_mode)) s->total = (uint64_t)sb.st_size;
        }
#ifdef POSIX_FADV_SEQUENTIAL
        posix_fadvise(s->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    }
    s->next_progress = PROGRESS_STEP;
    s->in_cap = IN_CAP;
    s->in = ls__malloc(s->in_cap);
    s->own_in = 1;
    if (!s->in) { st = ls__fail(ctx, LS_ERR_NOMEM, "out of memory opening %s", path); goto done; }
    st = start(s);
done:
    if (st) { ls__src_close(s); return st; }
    *out = s;
    return LS_OK;
}

int ls__src_from(ls_ctx *ctx, const char *name, ls__src_reader rd, void *u, uint64_t total,
                 ls__src **out)
{
    ls__src *s;
    int st = new_src(ctx, name, &s);
    *out = NULL;
    if (st) return st;
    s->rd = rd;
    s->rd_u = u;
    s->total = total;
    s->next_progress = PROGRESS_STEP;
    s->in_cap = IN_CAP;
    s->own_in = 1;
    if (!(s->in = ls__malloc(s->in_cap))) st = ls__fail(ctx, LS_ERR_NOMEM, "out of memory opening %s", name);
    if (st == LS_OK) st = start(s);
    if (st) { ls__src_close(s); return st; }
    *out = s;
    return LS_OK;
}

static int read_inner(void *u, void *buf, size_t cap, size_t *got)
{
    return ls__src_read(u, buf, cap, got);
}

int ls__src_wrap(ls__src *inner, ls__src **out)
{
    int st = ls__src_from(inner->ctx, inner->name, read_inner, inner, inner->total, out);
    if (st == LS_OK) (*out)->inner = inner;
    else ls__src_close(inner);
    return st;
}

int ls__src_mem(ls_ctx *ctx, const char *name, const void *p, size_t n, ls__src **out)
{
    ls__src *s;
    int st = new_src(ctx, name, &s);
    *out = NULL;
    if (st) return st;
    s->in = (unsigned char *)(uintptr_t)p;   /* never written: in_eof is set */
    s->in_end = s->in_cap = n;
    s->in_eof = 1;
    s->raw_bytes = n;
    s->next_progress = UINT64_MAX;
    if ((st = start(s))) { ls__src_close(s); return st; }
    *out = s;
    return LS_OK;
}

int ls__src_read(ls__src *s, void *buf, size_t cap, size_t *got)
{
    if (s->peek_pos < s->peek_n) {
        size_t k = LS__MIN(cap, s->peek_n - s->peek_pos);
        memcpy(buf, s->peek + s->peek_pos, k);
        s->peek_pos += k;
        *got = k;
        return LS_OK;
    }
    return decode(s, buf, cap, got);
}

int ls__src_peek(ls__src *s, const char **p, size_t *n)
{
    int st;
    if (!s->peek) {
        s->peek = ls__malloc(PEEK_MAX);
        if (!s->peek) return ls__fail(s->ctx, LS_ERR_NOMEM, "out of memory reading %s", s->name);
        while (s->peek_n < PEEK_MAX && !s->done) {
            size_t got;
            if ((st = decode(s, s->peek + s->peek_n, PEEK_MAX - s->peek_n, &got))) return st;
            s->peek_n += got;
        }
    }
    *p = s->peek + s->peek_pos;
    *n = s->peek_n - s->peek_pos;
    return LS_OK;
}

const char *ls__src_name(const ls__src *s) { return s->name; }
uint64_t ls__src_raw_bytes(const ls__src *s) { return s->inner ? ls__src_raw_bytes(s->inner) : s->raw_bytes; }
uint64_t ls__src_total_bytes(const ls__src *s) { return s->total; }
uint64_t ls__src_out_bytes(const ls__src *s) { return s->out_bytes; }
uint64_t ls__src_replaced(const ls__src *s) { return ls__u16_bad(s->u16); }
const char *ls__src_kind(const ls__src *s)
{
    return s->kind == K_GZIP ? "gzip" : s->kind == K_ZSTD ? "zstd" : s->kind == K_XDEC ? s->xd_name
         : s->kind == K_U16 ? "utf-16" : "plain";
}

void ls__src_close(ls__src *s)
{
    if (!s) return;
    if (s->z_live) inflateEnd(&s->z);
    if (s->zs) ZSTD_freeDStream(s->zs);
    ls__xdec_close(s->xd);
    ls__u16_close(s->u16);
    ls__src_close(s->inner);
    if (s->own_fd && s->fd >= 0) close(s->fd);
    if (s->own_in) ls__free(s->in);
    ls__free(s->peek);
    ls__free(s->name);
    ls__free(s);
}
