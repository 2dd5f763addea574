/*
 * xdec.c — decompression of the formats zlib and zstd do not cover:
 * bzip2 (.bz2: the Internet Archive's Twitter stream grabs), xz, lzip and
 * lz4.  Not compress (.Z): its streams have no end marker, so a truncated
 * file would pass for a whole one.  libarchive does the decoding (its "raw" format
 * over its filters), fed with the source's raw bytes through a pull
 * callback, so the source's own reading (file, stdin, archive entry),
 * progress and errors stay in src.c.
 *
 * Recognised by magic bytes only, like gzip and zstd.  Data that is damaged
 * or ends early is LS_ERR_IO "NAME: corrupt bzip2 data (...)": a stream
 * libarchive cannot decode must never pass for a complete input.
 */
#include "arc.h"

#include <archive.h>
#include <archive_entry.h>

struct ls__xdec {
    ls_ctx *ctx;
    const char *name, *kind;
    struct archive *a;
    ls__xdec_pull pull;
    void *u;
    int pull_st;            /* the pull's failure, reported as it was */
    int eof;
};

const char *ls__xdec_magic(const unsigned char *p, size_t n)
{
    if (n >= 4 && p[0] == 'B' && p[1] == 'Z' && p[2] == 'h' && p[3] >= '1' && p[3] <= '9') return "bzip2";
    if (n >= 6 && memcmp(p, "\xFD" "7zXZ\0", 6) == 0) return "xz";
    if (n >= 4 && memcmp(p, "LZIP", 4) == 0) return "lzip";
    if (n >= 4 && memcmp(p, "\x04\x22\x4D\x18", 4) == 0) return "lz4";
    return NULL;
}

static la_ssize_t on_read(struct archive *a, void *u, const void **buf)
{
    ls__xdec *x = u;
    size_t n = 0;
    (void)a;
    int st = x->pull(x->u, buf, &n);
    if (st) { x->pull_st = st; return -1; }
    return (la_ssize_t)n;
}

static int fail(ls__xdec *x)
{
    if (x->pull_st) return x->pull_st;
    const char *why = archive_error_string(x->a);
    return ls__fail(x->ctx, LS_ERR_IO, "%s: corrupt %s data (%s)", x->name, x->kind,
                    why && *why ? why : "cannot decode");
}

int ls__xdec_open(ls_ctx *ctx, const char *name, const char *kind, ls__xdec_pull pull, void *u,
                  ls__xdec **out)
{
    struct archive_entry *e;
    int st = LS_OK;
    ls__xdec *x = ls__calloc(1, sizeof *x);
    *out = NULL;
    if (!x || !(x->a = archive_read_new())) {
        ls__free(x);
        return ls__fail(ctx, LS_ERR_NOMEM, "%s: cannot start %s decompression", name, kind);
    }
    x->ctx = ctx;
    x->name = name;
    x->kind = kind;
    x->pull = pull;
    x->u = u;
    if (archive_read_support_filter_all(x->a) < ARCHIVE_WARN || archive_read_support_format_raw(x->a) != ARCHIVE_OK ||
        archive_read_open(x->a, x, NULL, on_read, NULL) != ARCHIVE_OK ||
        archive_read_next_header(x->a, &e) != ARCHIVE_OK) {
        st = fail(x);
        goto done;
    }
    /* The magic matched, but only a filter libarchive accepts decodes. */
    if (archive_filter_count(x->a) < 2) {
        st = ls__fail(ctx, LS_ERR_IO, "%s: corrupt %s data (not recognised by libarchive)", name, kind);
        goto done;
    }
done:
    if (st) { ls__xdec_close(x); return st; }
    *out = x;
    return LS_OK;
}

int ls__xdec_read(ls__xdec *x, void *buf, size_t cap, size_t *got)
{
    *got = 0;
    if (x->eof || !cap) return LS_OK;
    la_ssize_t k = archive_read_data(x->a, buf, cap);
    if (k < 0) return fail(x);
    if (k == 0) x->eof = 1;
    *got = (size_t)k;
    return LS_OK;
}

void ls__xdec_close(ls__xdec *x)
{
    if (!x) return;
    archive_read_free(x->a);
    ls__free(x);
}
