/*
 * test_archive.c — archives and the libarchive decoders as ingest inputs
 * (src/ingest/archive.c, xdec.c): zip, 7z, tar.xz and tar.gz archives made
 * here with libarchive's writer are read entry by entry, from files and
 * streamed from memory, with the right names, bytes, order and skip
 * counts; bzip2, xz, lz4 and lzip streams decode to their bytes from
 * memory, in reads of any size; truncated and damaged archives and streams
 * are LS_ERR_IO naming the input (or the entry); control characters in
 * entry names never reach a message.
 */
#include "test.h"
#include "tmpdir.h"
#include "ingest/arc.h"
#include "slurp.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <unistd.h>

/* Numbered lines, n bytes. */
static void text(ls__buf *b, size_t n, int tag)
{
    char line[64];
    for (size_t i = 0; b->n < n; i++) {
        int k = snprintf(line, sizeof line, "%d,row %zu,some text\n", tag, i);
        ls__buf_put(b, line, LS__MIN((size_t)k, n - b->n));
    }
}

struct ent { const char *name; const ls__buf *data; int dir; };

/* An archive of the entries, in memory: format and filter are libarchive's
 * codes (ARCHIVE_FORMAT_*, ARCHIVE_FILTER_*). */
static void make(ls__buf *out, int format, int filter, const struct ent *e, size_t n)
{
    struct archive *a = archive_write_new();
    archive_write_set_format(a, format);
    if (filter != ARCHIVE_FILTER_NONE) archive_write_add_filter(a, filter);
    size_t cap = 8u << 20, used = 0;
    ls__buf_put(out, NULL, 0);
    ls__grow((void **)&out->p, &out->cap, cap, 1);
    archive_write_set_bytes_in_last_block(a, 1);
    if (archive_write_open_memory(a, out->p, cap, &used) != ARCHIVE_OK)
        fprintf(stderr, "  archive_write_open_memory: %s\n", archive_error_string(a));
    for (size_t i = 0; i < n; i++) {
        struct archive_entry *ae = archive_entry_new();
        archive_entry_set_pathname(ae, e[i].name);
        archive_entry_set_filetype(ae, e[i].dir ? AE_IFDIR : AE_IFREG);
        archive_entry_set_perm(ae, 0644);
        archive_entry_set_size(ae, e[i].data ? (la_int64_t)e[i].data->n : 0);
        archive_write_header(a, ae);
        if (e[i].data && e[i].data->n) archive_write_data(a, e[i].data->p, e[i].data->n);
        archive_entry_free(ae);
    }
    archive_write_close(a);
    archive_write_free(a);
    out->n = used;
}

/* A single compressed stream (libarchive's raw writer). */
static void squeeze(ls__buf *out, int filter, const ls__buf *in)
{
    struct ent e = { "data", in, 0 };
    make(out, ARCHIVE_FORMAT_RAW, filter, &e, 1);
}

static void write_file(const char *p, const ls__buf *b)
{
    FILE *f = fopen(p, "wb");
    fwrite(b->p, 1, b->n, f);
    fclose(f);
}


/* Reads every entry; names joined by '|' into names, bytes into all. */
static int read_all(ls__arc *a, ls__buf *names, ls__buf *all, size_t chunk)
{
    ls__src *s = NULL;
    int st;
    while ((st = ls__arc_next(a, &s)) == LS_OK && s) {
        ls__buf_put(names, ls__src_name(s), strlen(ls__src_name(s)));
        ls__buf_put(names, "|", 1);
        st = slurp(s, all, chunk);
        ls__src_close(s);
        if (st) return st;
    }
    ls__buf_put(names, "", 1);
    return st;
}

TEST(decoders)
{
    ls_ctx *ctx;
    ls__buf t = { 0 }, z = { 0 }, got = { 0 };
    static const struct { int filter; const char *kind; } f[] = {
        { ARCHIVE_FILTER_BZIP2, "bzip2" }, { ARCHIVE_FILTER_XZ, "xz" },
        { ARCHIVE_FILTER_LZ4, "lz4" }, { ARCHIVE_FILTER_LZIP, "lzip" },
    };
    ls_ctx_new(&ctx);
    text(&t, 2500000, 1);           /* more than the 1 MiB read buffer */
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        ls__src *s = NULL;
        z.n = 0;
        got.n = 0;
        squeeze(&z, f[i].filter, &t);
        CHECK(z.n > 0 && z.n < t.n);
        CHECK_EQ_STR(ls__xdec_magic((const unsigned char *)z.p, z.n), f[i].kind);
        CHECK_EQ_INT(ls__src_mem(ctx, "d.bin", z.p, z.n, &s), LS_OK);
        if (!s) continue;
        CHECK_EQ_INT(slurp(s, &got, i % 2 ? 777 : 65536), LS_OK);
        CHECK(got.n == t.n && memcmp(got.p, t.p, t.n) == 0);
        ls__src_close(s);
        /* Cut short: an error naming the input, never a short success. */
        got.n = 0;
        int st = ls__src_mem(ctx, "cut.bin", z.p, z.n / 2, &s);
        if (st == LS_OK) st = slurp(s, &got, 65536);
        if (st != LS_ERR_IO) fprintf(stderr, "  %s cut short: status %d\n", f[i].kind, st);
        CHECK_EQ_INT(st, LS_ERR_IO);
        CHECK(strstr(ls_ctx_message(ctx), "cut.bin: corrupt ") != NULL);
        ls__src_close(s);
    }
    /* The magic of bzip2 without a bzip2 stream behind it. */
    ls__src *s = NULL;
    int st = ls__src_mem(ctx, "fake.bz2", "BZh9 this is not bzip2 at all\n", 30, &s);
    if (st == LS_OK) { got.n = 0; st = slurp(s, &got, 100); }
    CHECK_EQ_INT(st, LS_ERR_IO);
    CHECK(strstr(ls_ctx_message(ctx), "fake.bz2: corrupt bzip2 data") != NULL);
    ls__src_close(s);
    CHECK(ls__xdec_magic((const unsigned char *)"BZhX", 4) == NULL);
    CHECK(ls__xdec_magic((const unsigned char *)"tweetid,", 8) == NULL);
    /* compress (.Z) has no end marker, so a cut file cannot be told from a
     * whole one: it is not decoded (it reads as plain bytes). */
    CHECK(ls__xdec_magic((const unsigned char *)"\x1f\x9d\x90", 3) == NULL);
    ls__buf_free(&t); ls__buf_free(&z); ls__buf_free(&got);
    ls_ctx_free(ctx);
}

TEST(sniff)
{
    char tar[600];
    memset(tar, 0, sizeof tar);
    memcpy(tar + 257, "ustar", 5);
    CHECK(ls__arc_sniff(tar, sizeof tar));
    CHECK(!ls__arc_sniff(tar, 261));                    /* too short to tell */
    CHECK(ls__arc_sniff("PK\x03\x04rest", 8));
    CHECK(ls__arc_sniff("PK\x05\x06", 4));              /* an empty zip */
    CHECK(ls__arc_sniff("7z\xBC\xAF\x27\x1C", 6));
    CHECK(ls__arc_sniff("Rar!\x1A\x07\x00", 7));
    CHECK(!ls__arc_sniff("PK,userid,text\n", 15));       /* a CSV */
    CHECK(!ls__arc_sniff("{\"id\":1}", 8));
}

TEST(entries)
{
    ls_ctx *ctx;
    ls__buf a1 = { 0 }, a2 = { 0 }, bz = { 0 }, arc = { 0 }, names = { 0 }, all = { 0 }, want = { 0 };
    ls_ctx_new(&ctx);
    text(&a1, 1500000, 1);
    text(&a2, 3000, 2);
    squeeze(&bz, ARCHIVE_FILTER_BZIP2, &a2);
    ls__buf junk = { 0 };
    ls__buf_put(&junk, "\xFF\xD8\xFF junk", 9);
    const struct ent e[] = {
        { "release/", NULL, 1 },
        { "release/tweets_1.csv", &a1, 0 },
        { "__MACOSX/release/._tweets_1.csv", &junk, 0 },
        { "release/media/p.JPG", &junk, 0 },
        { "release/.DS_Store", &junk, 0 },
        { "release/grab.json.bz2", &bz, 0 },     /* compressed inside */
        { "release/empty.csv", NULL, 0 },
    };
    ls__buf_put(&want, a1.p, a1.n);
    ls__buf_put(&want, a2.p, a2.n);
    static const struct { int format, filter; const char *file; } kinds[] = {
        { ARCHIVE_FORMAT_ZIP, ARCHIVE_FILTER_NONE, "r.zip" },
        { ARCHIVE_FORMAT_7ZIP, ARCHIVE_FILTER_NONE, "r.7z" },
        { ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_XZ, "r.tar.xz" },
        { ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_GZIP, "r.tgz" },
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        arc.n = 0;
        make(&arc, kinds[k].format, kinds[k].filter, e, sizeof e / sizeof e[0]);
        const char *path = path_in(kinds[k].file);
        write_file(path, &arc);
        for (int streamed = 0; streamed < 2; streamed++) {
            ls__arc *a = NULL;
            ls__src *src = NULL;
            const char *first = NULL;
            char expect[512];
            names.n = all.n = 0;
            if (streamed) {
                /* 7z needs seeking: streamed, it is refused with a message. */
                CHECK_EQ_INT(ls__src_mem(ctx, kinds[k].file, arc.p, arc.n, &src), LS_OK);
                int st = ls__arc_open(ctx, kinds[k].file, NULL, src, &a);
                if (st == LS_OK) st = read_all(a, &names, &all, 4096);
                if (kinds[k].format == ARCHIVE_FORMAT_7ZIP) {
                    CHECK_EQ_INT(st, LS_ERR_IO);
                    CHECK(strstr(ls_ctx_message(ctx), "r.7z") != NULL);
                    ls__arc_close(a);
                    ls__src_close(src);
                    continue;
                }
                CHECK_EQ_INT(st, LS_OK);
            } else {
                CHECK_EQ_INT(ls__arc_open(ctx, path, path, NULL, &a), LS_OK);
                if (a) CHECK_EQ_INT(read_all(a, &names, &all, 65536), LS_OK);
            }
            const char *shown = streamed ? kinds[k].file : path;
            snprintf(expect, sizeof expect, "%s:release/tweets_1.csv|%s:release/grab.json.bz2|%s:release/empty.csv|",
                     shown, shown, shown);
            CHECK_EQ_STR(names.p, expect);
            CHECK(all.n == want.n && memcmp(all.p, want.p, want.n) == 0);
            if (a) {
                CHECK_EQ_INT(ls__arc_skipped(a, &first), 3);
                snprintf(expect, sizeof expect, "%s:__MACOSX/release/._tweets_1.csv", shown);
                CHECK_EQ_STR(first, expect);
                if (!streamed) CHECK(ls__arc_raw_bytes(a) > 0);
            }
            ls__arc_close(a);
            ls__src_close(src);
        }
    }
    ls__buf_free(&a1); ls__buf_free(&a2); ls__buf_free(&bz); ls__buf_free(&arc);
    ls__buf_free(&names); ls__buf_free(&all); ls__buf_free(&want); ls__buf_free(&junk);
    ls_ctx_free(ctx);
}

TEST(damaged)
{
    ls_ctx *ctx;
    ls__buf a1 = { 0 }, arc = { 0 }, names = { 0 }, all = { 0 }, cut = { 0 };
    ls_ctx_new(&ctx);
    text(&a1, 400000, 3);
    const struct ent e[] = { { "t\x1b[31m.csv", &a1, 0 } };
    /* A zip cut in the middle of its entry: the entry is named. */
    make(&arc, ARCHIVE_FORMAT_ZIP, ARCHIVE_FILTER_NONE, e, 1);
    ls__buf_put(&cut, arc.p, arc.n / 2);
    write_file(path_in("cut.zip"), &cut);
    ls__arc *a = NULL;
    int st = ls__arc_open(ctx, "cut.zip", path_in("cut.zip"), NULL, &a);
    if (st == LS_OK) st = read_all(a, &names, &all, 65536);
    CHECK_EQ_INT(st, LS_ERR_IO);
    CHECK(strstr(ls_ctx_message(ctx), "cut.zip") != NULL);
    CHECK(strchr(ls_ctx_message(ctx), '\x1b') == NULL);      /* escape bytes never shown */
    ls__arc_close(a);
    a = NULL;
    /* A flipped byte in the compressed data: the zip's CRC or inflate fails. */
    arc.p[arc.n / 3] ^= 0x55;
    write_file(path_in("bad.zip"), &arc);
    names.n = all.n = 0;
    st = ls__arc_open(ctx, "bad.zip", path_in("bad.zip"), NULL, &a);
    if (st == LS_OK) st = read_all(a, &names, &all, 65536);
    CHECK_EQ_INT(st, LS_ERR_IO);
    CHECK(strstr(ls_ctx_message(ctx), "bad.zip:t?[31m.csv: damaged archive entry") != NULL);
    ls__arc_close(a);
    a = NULL;
    /* A tar.gz cut short, streamed: the gzip source's own error. */
    arc.n = 0;
    make(&arc, ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_GZIP, e, 1);
    ls__src *src = NULL;
    CHECK_EQ_INT(ls__src_mem(ctx, "cut.tgz", arc.p, arc.n - 40, &src), LS_OK);
    names.n = all.n = 0;
    st = ls__arc_open(ctx, "cut.tgz", NULL, src, &a);
    if (st == LS_OK) st = read_all(a, &names, &all, 65536);
    CHECK_EQ_INT(st, LS_ERR_IO);
    CHECK(strstr(ls_ctx_message(ctx), "cut.tgz: truncated gzip stream") != NULL);
    ls__arc_close(a);
    ls__src_close(src);
    /* Not an archive at all. */
    a = NULL;
    write_file(path_in("plain.csv"), &a1);
    st = ls__arc_open(ctx, "plain.csv", path_in("plain.csv"), NULL, &a);
    if (st == LS_OK) { names.n = all.n = 0; st = read_all(a, &names, &all, 65536); }
    CHECK_EQ_INT(st, LS_ERR_IO);
    CHECK(strstr(ls_ctx_message(ctx), "plain.csv: damaged or unreadable archive") != NULL);
    ls__arc_close(a);
    ls__buf_free(&a1); ls__buf_free(&arc); ls__buf_free(&names); ls__buf_free(&all); ls__buf_free(&cut);
    ls_ctx_free(ctx);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/ls_test_archive_XXXXXX");
    if (!mkdtemp(dir)) return 1;
    RUN(decoders);
    RUN(sniff);
    RUN(entries);
    RUN(damaged);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) return 1;
    TEST_END();
}
