/*
 * sink.c — the output path of the simulator's big files (tweets, users,
 * truth), which are gigabytes at scale 1.  Written through the page
 * cache, each gigabyte cost about 2.5 s of kernel time on the benchmark
 * VM (copying into freshly allocated cache pages, then writing them back
 * at fsync), more than formatting it.  The sink opens the atomic file
 * (ls__afile) with O_DIRECT where the file system allows it: blocks go
 * from an aligned user buffer to the device, about 0.3 s a gigabyte (dd on
 * the same disk).  The cost: the file is not left in the page cache, so a
 * reader that follows at once reads it from the disk (about 1.3 s of
 * kernel time a gigabyte there), and the pipeline is still cheaper; on a
 * shared machine three gigabytes of cache are not pushed out either.
 *
 * O_DIRECT wants block-aligned memory, lengths and offsets: bytes are
 * copied into an aligned block and written in whole blocks, and the last
 * one (less than a block at its end) drops O_DIRECT.  Any O_DIRECT failure
 * (a file system without it, EINVAL) falls back to ordinary writes, so the
 * bytes are the same either way.
 *
 * An O_DIRECT write returns when the device has the data, and the writing
 * of tweets.csv is bound by the disk on a quiet machine: a writer thread
 * writes one full block while the caller copies into the other, so the
 * disk does not wait for the copies (3 GB at scale 1).  The thread only
 * writes, in order; without it (it cannot start) the caller writes.
 *
 * Bytes go into the blocks with non-temporal stores (copy_stream): no
 * thread of ours reads a block again, and ordinary stores would read
 * every destination line first and push the formatters' tables out of
 * the caches.  A fence ends every put and precedes every hand-over.
 */
#include "sim.h"
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define SINK_ALIGN 4096u
#define SINK_CAP LS__SINK_CAP

/* Drops O_DIRECT: every later write goes through the page cache.  Only
 * the thread that writes calls it. */
static void sink_buffered(ls__sink *s)
{
    if (!s->direct) return;
    int fl = fcntl(s->fd, F_GETFL);
    if (fl >= 0) (void)fcntl(s->fd, F_SETFL, fl & ~O_DIRECT);
    s->direct = 0;
}

/* Writes n bytes at p; 0 or the errno of the failure. */
static int write_all(ls__sink *s, const char *p, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t k = write(s->fd, p + done, n - done);
        if (k > 0) { done += (size_t)k; continue; }
        if (k < 0 && errno == EINTR) continue;
        /* O_DIRECT refused (alignment after a short write, or a file
         * system that accepts the flag but not the write): retry through
         * the page cache. */
        if (k < 0 && errno == EINVAL && s->direct) { sink_buffered(s); continue; }
        return k < 0 ? errno : EIO;
    }
    return 0;
}

/* Writes the first n bytes of the block and keeps the rest at its front
 * (the caller's thread, with no writer thread running). */
static void sink_write(ls__sink *s, size_t n)
{
    if (!s->err) s->err = write_all(s, s->buf, n);
    if (s->err) { s->n = 0; return; }
    memmove(s->buf, s->buf + n, s->n - n);
    s->n -= n;
}

static void *sink_thread(void *arg)
{
    ls__sink *s = arg;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (!s->wbuf && !s->quit) pthread_cond_wait(&s->cv, &s->mu);
        if (!s->wbuf) break;
        char *p = s->wbuf;
        size_t n = s->wn;
        int failed = s->werr;
        pthread_mutex_unlock(&s->mu);
        int e = failed ? 0 : write_all(s, p, n);
        pthread_mutex_lock(&s->mu);
        if (e && !s->werr) s->werr = e;
        s->wbuf = NULL;
        pthread_cond_broadcast(&s->cv);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* Waits until the writer thread is idle, and takes its error. */
static void sink_idle(ls__sink *s)
{
    pthread_mutex_lock(&s->mu);
    while (s->wbuf) pthread_cond_wait(&s->cv, &s->mu);
    if (s->werr && !s->err) s->err = s->werr;
    pthread_mutex_unlock(&s->mu);
}

/* A full block goes to the writer thread; the caller fills the other. */
static void sink_hand(ls__sink *s)
{
    pthread_mutex_lock(&s->mu);
    while (s->wbuf) pthread_cond_wait(&s->cv, &s->mu);
    if (s->werr && !s->err) s->err = s->werr;
    if (!s->err) {
        s->wbuf = s->buf;
        s->wn = s->n;
        pthread_cond_broadcast(&s->cv);
    }
    pthread_mutex_unlock(&s->mu);
    s->buf = s->buf == s->blk[0] ? s->blk[1] : s->blk[0];
    s->n = 0;
}

/* Stops the writer thread once it has written what it was given. */
static void sink_stop(ls__sink *s)
{
    if (!s->threaded) return;
    sink_idle(s);
    pthread_mutex_lock(&s->mu);
    s->quit = 1;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->tid, NULL);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    s->threaded = 0;
}

static void sink_free(ls__sink *s)
{
    for (int i = 0; i < 2; i++) {
        if (!s->lent) ls__free(s->raw[i]);
        s->raw[i] = s->blk[i] = NULL;
    }
    s->buf = NULL;
}

static char *align_block(char *raw)
{
    return (char *)(((uintptr_t)raw + SINK_ALIGN - 1) & ~(uintptr_t)(SINK_ALIGN - 1));
}

int ls__sink_open_lent(ls_ctx *ctx, ls__sink *s, const char *path, char *const lent[2])
{
    int st;
    memset(s, 0, sizeof *s);
    s->fd = -1;
    if ((st = ls__afile_open(ctx, &s->af, path))) return st;
    if (lent) {
        s->lent = 1;
        s->raw[0] = lent[0];
        s->raw[1] = lent[1];
    } else if (!(s->raw[0] = ls__big_malloc(SINK_CAP + SINK_ALIGN))) {
        ls__afile_abort(&s->af);
        return ls__fail(ctx, LS_ERR_NOMEM, "out of memory");
    }
    s->blk[0] = align_block(s->raw[0]);
    s->buf = s->blk[0];
    s->cap = SINK_CAP;
    s->fd = fileno(s->af.f);
    int fl = fcntl(s->fd, F_GETFL);
    s->direct = fl >= 0 && fcntl(s->fd, F_SETFL, fl | O_DIRECT) == 0;
    return LS_OK;
}

int ls__sink_open(ls_ctx *ctx, ls__sink *s, const char *path) { return ls__sink_open_lent(ctx, s, path, NULL); }

/* When the first block is full: the second block and the writer thread
 * (a file smaller than a block needs neither).  Without them the caller
 * writes. */
static void sink_start(ls__sink *s)
{
    s->started = 1;
    if (!s->raw[1] && !(s->raw[1] = ls__big_malloc(SINK_CAP + SINK_ALIGN))) return;
    s->blk[1] = align_block(s->raw[1]);
    if (pthread_mutex_init(&s->mu, NULL) != 0) return;
    if (pthread_cond_init(&s->cv, NULL) != 0) { pthread_mutex_destroy(&s->mu); return; }
    if (pthread_create(&s->tid, NULL, sink_thread, s) == 0) { s->threaded = 1; return; }
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
}

/* Copies n bytes into a block with non-temporal stores where SSE2 exists
 * and the piece is large: the block is read next by the device (O_DIRECT)
 * or by the kernel's copy, never by this thread, so ordinary stores would
 * first read every destination line from memory (3 GB at scale 1) and push
 * out of the caches the tables the formatting threads read at random.
 * The caller fences (sink_fence) before another thread reads the block. */
static void copy_stream(char *d, const char *p, size_t n)
{
#ifdef __SSE2__
    if (n >= 1024) {
        size_t head = (size_t)(-(uintptr_t)d & 15);
        memcpy(d, p, head);
        d += head; p += head; n -= head;
        for (; n >= 64; d += 64, p += 64, n -= 64) {
            __m128i a = _mm_loadu_si128((const __m128i *)(const void *)p);
            __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
            __m128i c = _mm_loadu_si128((const __m128i *)(const void *)(p + 32));
            __m128i e = _mm_loadu_si128((const __m128i *)(const void *)(p + 48));
            _mm_stream_si128((__m128i *)(void *)d, a);
            _mm_stream_si128((__m128i *)(void *)(d + 16), b);
            _mm_stream_si128((__m128i *)(void *)(d + 32), c);
            _mm_stream_si128((__m128i *)(void *)(d + 48), e);
        }
    }
#endif
    memcpy(d, p, n);
}

/* Makes this thread's non-temporal stores visible before the block is
 * handed on: to the writer thread, or to the next thread that puts. */
static void sink_fence(void)
{
#ifdef __SSE2__
    _mm_sfence();
#endif
}

void ls__sink_put(ls__sink *s, const void *p, size_t n)
{
    const char *c = p;
    while (n && !s->err) {
        size_t k = LS__MIN(n, s->cap - s->n);
        copy_stream(s->buf + s->n, c, k);
        s->n += k; c += k; n -= k;
        if (s->n < s->cap) continue;
        sink_fence();
        /* A whole block (cap is a multiple of the alignment). */
        if (!s->started) sink_start(s);
        if (s->threaded) sink_hand(s);
        else sink_write(s, s->direct ? s->n & ~(size_t)(SINK_ALIGN - 1) : s->n);
    }
    /* Before the next caller (another thread of the chunk driver) takes
     * its turn. */
    sink_fence();
}

int ls__sink_commit(ls_ctx *ctx, ls__sink *s)
{
    sink_fence();
    sink_stop(s);
    if (s->direct && !s->err) sink_write(s, s->n & ~(size_t)(SINK_ALIGN - 1));
    sink_buffered(s);
    if (!s->err && s->n) sink_write(s, s->n);
    int err = s->err;
    sink_free(s);
    if (err) {
        int st = ls__fail(ctx, LS_ERR_IO, "cannot write %s: %s", s->af.path, strerror(err));
        ls__afile_abort(&s->af);
        return st;
    }
    return ls__afile_commit(ctx, &s->af);
}

void ls__sink_abort(ls__sink *s)
{
    sink_stop(s);
    sink_free(s);
    ls__afile_abort(&s->af);
}
