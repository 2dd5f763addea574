/*
 * test_src.c — byte sources and the line reader: plain, gzip (one and
 * several members), zstd (one and several frames), from memory and from
 * files; truncated and corrupt streams are LS_ERR_IO naming the input;
 * peek does not consume; lines handle CRLF, a missing final newline and
 * lines longer than the read buffer; UTF-16 with a mark becomes UTF-8.  Compressed data is made here with
 * the zlib and zstd APIs.
 */
#include "test.h"
#include "ingest/ingest.h"
#include "ingest/srcinfo.h"
#include "ingest/arc.h"
#include "slurp.h"

#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

static char dir[256];

/* gzip member of p[0..n) appended to out (windowBits 31 = gzip wrapper). */
static void gz(ls__buf *out, const char *p, size_t n)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
    size_t bound = deflateBound(&z, n) + 64;
    ls__buf_put(out, NULL, 0);
    size_t at = out->n;
    ls__grow((void **)&out->p, &out->cap, at + bound + 1, 1);
    z.next_in = (Bytef *)(uintptr_t)p;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)out->p + at;
    z.avail_out = (uInt)bound;
    deflate(&z, Z_FINISH);
    out->n = at + (size_t)z.total_out;
    deflateEnd(&z);
}

static void zst(ls__buf *out, const char *p, size_t n)
{
    size_t bound = ZSTD_compressBound(n);
    ls__buf_put(out, NULL, 0);
    size_t at = out->n;
    ls__grow((void **)&out->p, &out->cap, at + bound + 1, 1);
    out->n = at + ZSTD_compress(out->p + at, bound, p, n, 3);
}


/* A deterministic text of n bytes: numbered lines. */
static void text(ls__buf *b, size_t n)
{
    int i = 0;
    for (; b->n < n; i++) ls__buf_printf(b, "line %d, some words and numbers %d\n", i, i * 7919 % 10007);
    b->n = n;
}

static int mem_round(const char *name, const ls__buf *data, const ls__buf *want, size_t chunk)
{
    ls_ctx *ctx;
    ls__src *s = NULL;
    ls__buf got = { 0 };
    int ok;
    ls_ctx_new(&ctx);
    ok = ls__src_mem(ctx, name, data->p, data->n, &s) == LS_OK && slurp(s, &got, chunk) == LS_OK &&
         got.n == want->n && memcmp(got.p, want->p, want->n) == 0;
    ls__src_close(s);
    ls__buf_free(&got);
    ls_ctx_free(ctx);
    return ok;
}

TEST(plain_gzip_zstd)
{
    ls__buf t = { 0 }, g = { 0 }, z = { 0 };
    text(&t, 300000);
    gz(&g, t.p, t.n);
    zst(&z, t.p, t.n);
    CHECK(g.n < t.n / 2);
    CHECK(z.n < t.n / 2);
    CHECK(mem_round("t.txt", &t, &t, 65536));
    CHECK(mem_round("t.txt", &t, &t, 7));
    CHECK(mem_round("t.gz", &g, &t, 65536));
    CHECK(mem_round("t.gz", &g, &t, 1));
    CHECK(mem_round("t.zst", &z, &t, 65536));
    CHECK(mem_round("t.zst", &z, &t, 3));
    ls__buf_free(&t); ls__buf_free(&g); ls__buf_free(&z);
}

TEST(concatenated)
{
    ls__buf a = { 0 }, b = { 0 }, both = { 0 }, g = { 0 }, z = { 0 };
    text(&a, 5000);
    ls__buf_put(&b, "second member\nlast line without newline", 39);
    ls__buf_put(&both, a.p, a.n);
    ls__buf_put(&both, b.p, b.n);
    gz(&g, a.p, a.n);
    gz(&g, b.p, b.n);
    gz(&g, "", 0);            /* an empty member is legal too */
    zst(&z, a.p, a.n);
    zst(&z, b.p, b.n);
    CHECK(mem_round("ab.gz", &g, &both, 4096));
    CHECK(mem_round("ab.zst", &z, &both, 4096));
    ls__buf_free(&a); ls__buf_free(&b); ls__buf_free(&both); ls__buf_free(&g); ls__buf_free(&z);
}

static int read_status(const char *name, const char *p, size_t n, ls_ctx *ctx)
{
    ls__src *s = NULL;
    ls__buf got = { 0 };
    int st = ls__src_mem(ctx, name, p, n, &s);
    if (st == LS_OK) st = slurp(s, &got, 65536);
    ls__src_close(s);
    ls__buf_free(&got);
    return st;
}

TEST(truncated_and_corrupt)
{
    ls_ctx *ctx;
    ls__buf t = { 0 }, g = { 0 }, z = { 0 };
    ls_ctx_new(&ctx);
    text(&t, 200000);
    gz(&g, t.p, t.n);
    zst(&z, t.p, t.n);
    /* Cut anywhere: in the header, mid-data, just before the trailer. */
    size_t gcuts[] = { 5, 20, g.n / 2, g.n - 4, g.n - 1 };
    for (size_t i = 0; i < sizeof gcuts / sizeof gcuts[0]; i++) {
        CHECK_EQ_INT(read_status("cut.gz", g.p, gcuts[i], ctx), LS_ERR_IO);
        CHECK(strstr(ls_ctx_message(ctx), "cut.gz") != NULL);
    }
    CHECK(strstr(ls_ctx_message(ctx), "truncated gzip") != NULL);
    size_t zcuts[] = { 6, z.n / 3, z.n - 1 };
    for (size_t i = 0; i < sizeof zcuts / sizeof zcuts[0]; i++) {
        CHECK_EQ_INT(read_status("cut.zst", z.p, zcuts[i], ctx), LS_ERR_IO);
        CHECK(strstr(ls_ctx_message(ctx), "cut.zst") != NULL);
    }
    CHECK(strstr(ls_ctx_message(ctx), "truncated zstd") != NULL);
    /* Damaged data: gzip's CRC and zstd's checks catch a flipped byte. */
    g.p[g.n / 2] ^= 0x55;
    CHECK_EQ_INT(read_status("bad.gz", g.p, g.n, ctx), LS_ERR_IO);
    CHECK(strstr(ls_ctx_message(ctx), "corrupt gzip") != NULL);
    z.p[z.n / 2] ^= 0x55;
    CHECK_EQ_INT(read_status("bad.zst", z.p, z.n, ctx), LS_ERR_IO);
    /* Garbage after a complete gzip member is not silently ignored. */
    ls__buf g2 = { 0 };
    gz(&g2, "a\n", 2);
    ls__buf_put(&g2, "garbage!", 8);
    CHECK_EQ_INT(read_status("tail.gz", g2.p, g2.n, ctx), LS_ERR_IO);
    /* Two magic bytes alone are a truncated stream, not plain text. */
    CHECK_EQ_INT(read_status("two.gz", "\x1f\x8b", 2, ctx), LS_ERR_IO);
    ls__buf_free(&g2);
    ls__buf_free(&t); ls__buf_free(&g); ls__buf_free(&z);
    ls_ctx_free(ctx);
}

TEST(peek)
{
    ls_ctx *ctx;
    ls__src *s = NULL;
    ls__buf t = { 0 }, g = { 0 }, got = { 0 };
    const char *p;
    size_t n;
    ls_ctx_new(&ctx);
    text(&t, 100000);
    gz(&g, t.p, t.n);
    CHECK_EQ_INT(ls__src_mem(ctx, "p.gz", g.p, g.n, &s), LS_OK);
    CHECK_EQ_INT(ls__src_peek(s, &p, &n), LS_OK);
    CHECK_EQ_INT(n, 65536);
    CHECK(memcmp(p, t.p, n) == 0);
    CHECK_EQ_INT(ls__src_peek(s, &p, &n), LS_OK);   /* again: same bytes */
    CHECK_EQ_INT(n, 65536);
    CHECK_EQ_INT(slurp(s, &got, 1000), LS_OK);
    CHECK_EQ_INT(got.n, t.n);
    CHECK(got.n == t.n && memcmp(got.p, t.p, t.n) == 0);
    CHECK_EQ_STR(ls__src_name(s), "p.gz");
    ls__src_close(s);
    /* A short input peeks whole. */
    CHECK_EQ_INT(ls__src_mem(ctx, "short", "abc", 3, &s), LS_OK);
    CHECK_EQ_INT(ls__src_peek(s, &p, &n), LS_OK);
    CHECK_EQ_INT(n, 3);
    CHECK(memcmp(p, "abc", 3) == 0);
    ls__src_close(s);
    ls__buf_free(&t); ls__buf_free(&g); ls__buf_free(&got);
    ls_ctx_free(ctx);
}

static void write_file(const char *p, const void *d, size_t n)
{
    FILE *f = fopen(p, "wb");
    fwrite(d, 1, n, f);
    fclose(f);
}

TEST(files)
{
    ls_ctx *ctx;
    ls__src *s = NULL;
    ls__buf t = { 0 }, z = { 0 }, got = { 0 };
    char path[512];
    ls_ctx_new(&ctx);
    text(&t, 3000000);            /* larger than the 1 MiB read buffer */
    zst(&z, t.p, t.n);
    /* The name says .txt; the magic bytes say zstd. */
    snprintf(path, sizeof path, "%s/data.txt", dir);
    write_file(path, z.p, z.n);
    CHECK_EQ_INT(ls__src_open(ctx, path, &s), LS_OK);
    CHECK_EQ_INT(slurp(s, &got, 65536), LS_OK);
    CHECK(got.n == t.n && memcmp(got.p, t.p, t.n) == 0);
    ls__src_close(s);
    s = NULL;
    /* Truncated file on disk. */
    snprintf(path, sizeof path, "%s/cut.zst", dir);
    write_file(path, z.p, z.n - 100);
    got.n = 0;
    CHECK_EQ_INT(ls__src_open(ctx, path, &s), LS_OK);
    CHECK_EQ_INT(slurp(s, &got, 65536), LS_ERR_IO);
    CHECK(strstr(ls_ctx_message(ctx), "cut.zst: truncated zstd stream") != NULL);
    ls__src_close(s);
    s = NULL;
    /* Missing file, a folder. */
    snprintf(path, sizeof path, "%s/nope.csv", dir);
    CHECK_EQ_INT(ls__src_open(ctx, path, &s), LS_ERR_IO);
    CHECK(s == NULL);
    CHECK(strstr(ls_ctx_message(ctx), "cannot open") != NULL);
    CHECK(strstr(ls_ctx_message(ctx), "nope.csv: No such file or directory") != NULL);
    CHECK_EQ_INT(ls__src_open(ctx, dir, &s), LS_ERR_IO);
    CHECK(strstr(ls_ctx_message(ctx), "Is a directory") != NULL);
    /* An empty file is an empty plain source. */
    snprintf(path, sizeof path, "%s/empty", dir);
    write_file(path, "", 0);
    got.n = 0;
    CHECK_EQ_INT(ls__src_open(ctx, path, &s), LS_OK);
    CHECK_EQ_INT(slurp(s, &got, 100), LS_OK);
    CHECK_EQ_INT(got.n, 0);
    ls__src_close(s);
    ls__buf_free(&t); ls__buf_free(&z); ls__buf_free(&got);
    ls_ctx_free(ctx);
}

/* UTF-16 with a byte-order mark becomes UTF-8 (ICU), in both byte
 * orders and at read sizes that split characters and surrogate pairs;
 * an unpaired surrogate and an odd last byte become U+FFFD, counted. */
TEST(utf16)
{
    ls_ctx *ctx;
    ls_ctx_new(&ctx);
    /* "a,香港\n" then U+1F600 (a surrogate pair) then "\n", 2,000 times. */
    static const unsigned char unit[] = { 'a', 0, ',', 0, 0x99, 0x99, 0x2F, 0x6E, '\n', 0,
                                          0x3D, 0xD8, 0x00, 0xDE, '\n', 0 };
    static const char utf8[] = "a,\xE9\xA6\x99\xE6\xB8\xAF\n\xF0\x9F\x98\x80\n";
    ls__buf le = { 0 }, be = { 0 }, want = { 0 }, got = { 0 };
    ls__buf_put(&le, "\xFF\xFE", 2);
    ls__buf_put(&be, "\xFE\xFF", 2);
    for (int i = 0; i < 2000; i++) {
        ls__buf_put(&le, (const char *)unit, sizeof unit);
        for (size_t k = 0; k < sizeof unit; k += 2) {
            char sw[2] = { (char)unit[k + 1], (char)unit[k] };
            ls__buf_put(&be, sw, 2);
        }
        ls__buf_put(&want, utf8, sizeof utf8 - 1);
    }
    size_t chunks[] = { 1, 3, 7, 65536 };
    for (size_t c = 0; c < 4; c++) {
        for (int order = 0; order < 2; order++) {
            ls__src *s = NULL;
            const ls__buf *in = order ? &be : &le;
            got.n = 0;
            CHECK_EQ_INT(ls__src_mem(ctx, "u16.csv", in->p, in->n, &s), LS_OK);
            if (!s) continue;
            CHECK_EQ_INT(slurp(s, &got, chunks[c]), LS_OK);
            CHECK(got.n == want.n && memcmp(got.p, want.p, want.n) == 0);
            ls__src_close(s);
        }
    }
    /* Without the mark: an ASCII header in UTF-16 first (16 characters
     * decide), then the same rows; little- and big-endian. */
    static const char head[] = "message_id,user_id\n";
    ls__buf le2 = { 0 }, be2 = { 0 }, want2 = { 0 };
    for (size_t k = 0; k + 1 < sizeof head; k++) {
        char l[2] = { head[k], 0 }, b[2] = { 0, head[k] };
        ls__buf_put(&le2, l, 2);
        ls__buf_put(&be2, b, 2);
    }
    ls__buf_put(&le2, le.p + 2, le.n - 2);
    ls__buf_put(&be2, be.p + 2, be.n - 2);
    ls__buf_put(&want2, head, sizeof head - 1);
    ls__buf_put(&want2, want.p, want.n);
    for (int order = 0; order < 2; order++) {
        ls__src *s2 = NULL;
        const ls__buf *in = order ? &be2 : &le2;
        got.n = 0;
        CHECK_EQ_INT(ls__src_mem(ctx, "u16_nobom.csv", in->p, in->n, &s2), LS_OK);
        if (!s2) continue;
        CHECK_EQ_STR(ls__src_kind(s2), "utf-16");
        CHECK_EQ_INT(slurp(s2, &got, 4096), LS_OK);
        CHECK(got.n == want2.n && memcmp(got.p, want2.p, want2.n) == 0);
        ls__src_close(s2);
    }
    /* Not UTF-16: too short to tell, a zero pair, zeros on both sides. */
    CHECK_EQ_INT(ls__u16_sniff((const unsigned char *)le2.p, 30), 0);
    CHECK_EQ_INT(ls__u16_sniff((const unsigned char *)le2.p, 32), 1);
    CHECK_EQ_INT(ls__u16_sniff((const unsigned char *)be2.p, 32), 2);
    unsigned char odd[64];
    memcpy(odd, le2.p, sizeof odd);
    odd[40] = odd[41] = 0;
    CHECK_EQ_INT(ls__u16_sniff(odd, sizeof odd), 0);
    memcpy(odd, le2.p, sizeof odd);
    odd[6] = 0; odd[7] = 'x';
    CHECK_EQ_INT(ls__u16_sniff(odd, sizeof odd), 0);
    CHECK_EQ_INT(ls__u16_sniff((const unsigned char *)"message_id,user_id,username,repost_id", 37), 0);
    ls__buf_free(&le2); ls__buf_free(&be2); ls__buf_free(&want2);
    /* Damage: an unpaired high surrogate, then an odd byte at the end. */
    static const unsigned char bad[] = { 0xFF, 0xFE, 'x', 0, 0x3D, 0xD8, 'y', 0, 'z' };
    ls__src *s = NULL;
    got.n = 0;
    CHECK_EQ_INT(ls__src_mem(ctx, "bad16.csv", bad, sizeof bad, &s), LS_OK);
    if (s) {
        CHECK_EQ_INT(slurp(s, &got, 100), LS_OK);
        ls__buf_put(&got, "", 1);
        CHECK_EQ_STR(got.p, "x\xEF\xBF\xBDy\xEF\xBF\xBD");
        CHECK_EQ_INT(ls__src_replaced(s), 2);
        ls__src_close(s);
    }
    ls__buf_free(&le); ls__buf_free(&be); ls__buf_free(&want); ls__buf_free(&got);
    ls_ctx_free(ctx);
}

TEST(lines)
{
    ls_ctx *ctx;
    ls__src *s = NULL;
    ls__lines *l = NULL;
    ls__str line;
    uint64_t no = 0;
    ls__buf in = { 0 }, g = { 0 };
    ls_ctx_new(&ctx);
    /* CRLF, empty lines, a 9 MB line (longer than the 4 MiB buffer), no
     * final newline; the same through gzip. */
    ls__buf_put(&in, "first\r\n\nthird\n", 14);
    size_t big = 9u << 20;
    for (size_t i = 0; i < big; i++) ls__buf_putc(&in, (char)('a' + i % 26));
    ls__buf_put(&in, "\nlast", 5);
    gz(&g, in.p, in.n);
    for (int pass = 0; pass < 2; pass++) {
        CHECK_EQ_INT(pass ? ls__src_mem(ctx, "l.gz", g.p, g.n, &s) : ls__src_mem(ctx, "l", in.p, in.n, &s), LS_OK);
        CHECK_EQ_INT(ls__lines_new(s, &l), LS_OK);
        CHECK_EQ_INT(ls__lines_next(l, &line, &no), LS_OK);
        CHECK(line.p && ls__str_eqc(line, "first"));
        CHECK_EQ_INT(no, 1);
        CHECK_EQ_INT(ls__lines_next(l, &line, &no), LS_OK);
        CHECK(line.p != NULL);
        CHECK_EQ_INT(line.n, 0);
        CHECK_EQ_INT(ls__lines_next(l, &line, &no), LS_OK);
        CHECK(ls__str_eqc(line, "third"));
        CHECK_EQ_INT(ls__lines_next(l, &line, &no), LS_OK);
        CHECK_EQ_INT(line.n, big);
        CHECK(line.n == big && line.p[0] == 'a' && line.p[big - 1] == (char)('a' + (big - 1) % 26));
        CHECK_EQ_INT(no, 4);
        CHECK_EQ_INT(ls__lines_next(l, &line, &no), LS_OK);
        CHECK(ls__str_eqc(line, "last"));
        CHECK_EQ_INT(no, 5);
        CHECK_EQ_INT(ls__lines_next(l, &line, &no), LS_OK);
        CHECK(line.p == NULL);
        CHECK_EQ_INT(ls__lines_next(l, &line, &no), LS_OK);
        CHECK(line.p == NULL);
        ls__lines_free(l);
        ls__src_close(s);
    }
    /* A truncated gzip surfaces through the line reader. */
    CHECK_EQ_INT(ls__src_mem(ctx, "l.gz", g.p, g.n / 2, &s), LS_OK);
    CHECK_EQ_INT(ls__lines_new(s, &l), LS_OK);
    int st;
    do st = ls__lines_next(l, &line, &no); while (st == LS_OK && line.p);
    CHECK_EQ_INT(st, LS_ERR_IO);
    ls__lines_free(l);
    ls__src_close(s);
    ls__buf_free(&in); ls__buf_free(&g);
    ls_ctx_free(ctx);
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s/ls_test_src.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    RUN(plain_gzip_zstd);
    RUN(concatenated);
    RUN(truncated_and_corrupt);
    RUN(peek);
    RUN(files);
    RUN(lines);
    RUN(utf16);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) return 1;
    TEST_END();
}
