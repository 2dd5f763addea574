/*
 * sink.c — the output path of the simulator's tweets files, which are
 * gigabytes at scale 1.  Written through the page cache, each gigabyte cost
 * about 2.5 s of kernel time on the benchmark VM (copying into freshly
 * allocated cache pages, then writing them back at fsync), more than
 * formatting it.  The sink opens the atomic file (ls__afile) with O_DIRECT
 * where the file system allows it: blocks go from an aligned user buffer
 * to the device, about 0.3 s a gigabyte (dd on the same disk).  The cost:
 * the file is not left in the page cache, so a reader that follows at once
 * reads it from the disk (about 1.3 s of kernel time a gigabyte there), and
 * the pipeline is still cheaper; on a shared machine three gigabytes of
 * cache are not pushed out either.
 *
 * O_DIRECT wants block-aligned memory, lengths and offsets: bytes are
 * copied into an aligned buffer and written in whole blocks, the tail of
 * less than a block is kept for the next write, and the last one drops
 * O_DIRECT.  Any O_DIRECT failure (a file system without it, EINVAL)
 * falls back to ordinary writes, so the bytes are the same either way.
 */
#include "sim.h"
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#define SINK_ALIGN 4096u
#define SINK_CAP (8u << 20)

/* Drops O_DIRECT: every later write goes through the page cache. */
static void sink_buffered(ls__sink *s)
{
    if (!s->direct) return;
    int fl = fcntl(s->fd, F_GETFL);
    if (fl >= 0) (void)fcntl(s->fd, F_SETFL, fl & ~O_DIRECT);
    s->direct = 0;
}

/* Writes the first n bytes of the buffer and keeps the rest at its front. */
static void sink_write(ls__sink *s, size_t n)
{
    size_t done = 0;
    while (done < n && !s->err) {
        ssize_t k = write(s->fd, s->buf + done, n - done);
        if (k > 0) { done += (size_t)k; continue; }
        if (k < 0 && errno == EINTR) continue;
        /* O_DIRECT refused (alignment after a short write, or a file
         * system that accepts the flag but not the write): retry through
         * the page cache. */
        if (k < 0 && errno == EINVAL && s->direct) { sink_buffered(s); continue; }
        s->err = k < 0 ? errno : EIO;
    }
    if (s->err) { s->n = 0; return; }
    memmove(s->buf, s->buf + n, s->n - n);
    s->n -= n;
}

int ls__sink_open(ls_ctx *ctx, ls__sink *s, const char *path)
{
    int st;
    memset(s, 0, sizeof *s);
    s->fd = -1;
    if ((st = ls__afile_open(ctx, &s->af, path))) return st;
    s->raw = ls__big_malloc(SINK_CAP + SINK_ALIGN);
    if (!s->raw) { ls__afile_abort(&s->af); return ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); }
    s->buf = (char *)(((uintptr_t)s->raw + SINK_ALIGN - 1) & ~(uintptr_t)(SINK_ALIGN - 1));
    s->cap = SINK_CAP;
    s->fd = fileno(s->af.f);
    int fl = fcntl(s->fd, F_GETFL);
    s->direct = fl >= 0 && fcntl(s->fd, F_SETFL, fl | O_DIRECT) == 0;
    return LS_OK;
}

void ls__sink_put(ls__sink *s, const void *p, size_t n)
{
    const char *c = p;
    while (n && !s->err) {
        size_t k = LS__MIN(n, s->cap - s->n);
        memcpy(s->buf + s->n, c, k);
        s->n += k; c += k; n -= k;
        if (s->n == s->cap) sink_write(s, s->direct ? s->n & ~(size_t)(SINK_ALIGN - 1) : s->n);
    }
}

int ls__sink_commit(ls_ctx *ctx, ls__sink *s)
{
    if (s->direct && !s->err) sink_write(s, s->n & ~(size_t)(SINK_ALIGN - 1));
    sink_buffered(s);
    if (!s->err && s->n) sink_write(s, s->n);
    int err = s->err;
    ls__free(s->raw);
    s->raw = s->buf = NULL;
    if (err) {
        int st = ls__fail(ctx, LS_ERR_IO, "cannot write %s: %s", s->af.path, strerror(err));
        ls__afile_abort(&s->af);
        return st;
    }
    return ls__afile_commit(ctx, &s->af);
}

void ls__sink_abort(ls__sink *s)
{
    ls__free(s->raw);
    s->raw = s->buf = NULL;
    ls__afile_abort(&s->af);
}
