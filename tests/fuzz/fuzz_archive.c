/*
 * fuzz_archive.c — libFuzzer target for archives and the libarchive
 * decoders as inputs (src/ingest/archive.c, xdec.c): any bytes, read as
 * ingest reads an input from stdin or memory (an archive streamed entry by
 * entry when it looks like one, else the source itself, decompressed when
 * its magic says bzip2, xz, lzip or lz4), never crash, over-read or leak,
 * and every failure is a status with a message.  The seed corpus holds
 * small zip, tar, tar.gz, bzip2, xz and lz4 inputs.
 */
#include "ingest/arc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int drain(ls__src *s, uint64_t *n)
{
    static char buf[1 << 16];
    for (;;) {
        size_t k = 0;
        int st = ls__src_read(s, buf, sizeof buf, &k);
        if (st || !k) return st;
        *n += k;
        if (*n > (64u << 20)) return LS_OK;     /* a decompression bomb: enough */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ls_ctx *ctx = NULL;
    ls__src *src = NULL, *es = NULL;
    ls__arc *a = NULL;
    const char *p;
    size_t n;
    uint64_t total = 0;
    int st;
    if (ls_ctx_new(&ctx) != LS_OK) return 0;
    if ((st = ls__src_mem(ctx, "fuzz.bin", data, size, &src)) != LS_OK) goto done;
    if ((st = ls__src_peek(src, &p, &n)) != LS_OK) goto done;
    if (!ls__arc_sniff(p, n)) { st = drain(src, &total); goto done; }
    if ((st = ls__arc_open(ctx, "fuzz.bin", NULL, src, &a)) != LS_OK) goto done;
    while ((st = ls__arc_next(a, &es)) == LS_OK && es) {
        st = ls__src_peek(es, &p, &n);
        if (st == LS_OK) st = drain(es, &total);
        ls__src_close(es);
        es = NULL;
        if (st) break;
    }
    const char *first;
    (void)ls__arc_skipped(a, &first);
    if (!first) __builtin_trap();
done:
    if (st != LS_OK && !*ls_ctx_message(ctx)) __builtin_trap();    /* a failure always says why */
    ls__arc_close(a);
    ls__src_close(src);
    ls_ctx_free(ctx);
    return 0;
}
