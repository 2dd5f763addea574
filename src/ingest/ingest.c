/*
 * ingest.c — ls_ingest: reads every input into one store.
 *
 * For each file: open it as a source (plain or compressed, or stdin for
 * "-"), pick the format (--format, or ls__detect_format on the first
 * 64 KiB), run that parser into the builder, and count the input.  A zip,
 * tar, 7z or rar archive is opened instead, and each entry that holds
 * data is such an input (archive.c); a folder stands for the files under
 * it (dirs.c).  Only
 * when every input has been read is the store written, atomically, so a
 * missing file, a truncated .gz or a strict-mode error leaves no store
 * (and leaves an existing store untouched).  With append, the existing
 * store is loaded first (a missing store is simply created).
 *
 * Inputs are checked for readability, and the store's folder for
 * writability, before any parsing starts, so a typo in the last of many
 * file names fails at once rather than after an hour.
 * With two or more threads (ls_ctx_set_threads, default all cores) and
 * not in strict mode, the builder runs on a second thread fed in order by
 * the parser (envq.c); the store is the same byte for byte.
 *
 * The end-of-run summary (rows, posts, accounts, rejected and repaired
 * rows by reason with their first examples, time and throughput) goes to
 * opts->report; it reads the counts back from the written store.
 */
#include "arc.h"
#include "envq.h"
#include "srcinfo.h"

#include <errno.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int known_format(const char *f)
{
    static const char *const names[] = { "auto", "io", "v1", "v2", "qut", "csv", "json" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(f, names[i]) == 0) return 1;
    return 0;
}

static int run_parser(ls__env *e, const char *fmt, ls__src *src)
{
    if (strcmp(fmt, "io") == 0) return ls__parse_io(e, src);
    if (strcmp(fmt, "v1") == 0) return ls__parse_v1(e, src);
    if (strcmp(fmt, "v2") == 0) return ls__parse_v2(e, src);
    if (strcmp(fmt, "qut") == 0) return ls__parse_qut(e, src);
    if (strcmp(fmt, "csv") == 0) return ls__parse_csvmap(e, src);
    if (strcmp(fmt, "json") == 0) return ls__parse_jsonmap(e, src);
    return ls__fail(e->ctx, LS_ERR_USAGE, "unknown format '%s'", fmt);
}

/* Reads one input, an open source named file in messages, into the
 * builder.  Its first bytes have been peeked (p, n). */
static int ingest_src(ls_ctx *ctx, const ls_ingest_opts *o, ls__builder *b, ls__src *src,
                      const char *file, const char *p, size_t n)
{
    ls__env e;
    const char *fmt = o->format && *o->format ? o->format : "auto";
    int st = LS_OK;

    memset(&e, 0, sizeof e);
    if (strcmp(fmt, "auto") == 0) {
        if (n == 0) { ls__builder_count_input(b); return LS_OK; }   /* empty input: nothing to do */
        fmt = ls__detect_format(p, n);
        if (!fmt) {
            /* Neither: JSON of another schema, or a CSV, read through a
             * map guessed from its member or column names (jsonmap.c,
             * csvguess.c), which fails with a message when it finds no
             * account and time among them. */
            size_t k = 0;
            if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) k = 3;
            while (k < n && (p[k] == ' ' || p[k] == '\t' || p[k] == '\r' || p[k] == '\n')) k++;
            fmt = k < n && (p[k] == '{' || p[k] == '[') ? "json" : "csv";
        }
    }
    e.ctx = ctx;
    e.b = b;
    e.strict = o->strict;
    e.file = file;
    e.map = o->map;
    e.src = src;
    e.post_ids0 = ls__builder_post_count(b);
    /* Strict mode stays on one thread: its first error must stop the run
     * at that row, which the queue would report a batch later. */
    if (!o->strict && ls__threads(ctx) > 1 && (st = ls__envq_start(&e))) goto done;
    st = run_parser(&e, fmt, src);
    /* UTF-16 input: what its conversion replaced (utf16.c), since the
     * parsers see valid UTF-8.  Line 0: the converter does not know lines. */
    if (st == LS_OK && ls__src_replaced(src))
        st = ls__env_diag(&e, LS_DIAG_BAD_UTF8, 0, "%llu invalid UTF-16 sequence(s) replaced by U+FFFD",
                          (unsigned long long)ls__src_replaced(src));
    if (e.map_guess[0] && o->report)
        fprintf(o->report, "%s: no --map given; %s guessed: --map %s\n", e.file,
                strcmp(fmt, "json") == 0 ? "members of the first objects" : "columns of the header",
                e.map_guess);
    int st2 = ls__envq_finish(&e);
    if (st2) st = st2;      /* a builder failure is the root cause */
    if (st == LS_OK) ls__builder_count_input(b);
done:
    ls__buf_free(&e.scratch);
    return st;
}

/* A compressed source whose text is UTF-16 (after decompression: a mark,
 * or ASCII with zero bytes, ls__u16_sniff)
 * gets a second layer that converts it (src.c, utf16.c); p and n are
 * peeked again from the new source. */
static int text_layer(ls__src **src, const char **p, size_t *n)
{
    int st;
    if (strcmp(ls__src_kind(*src), "plain") == 0 || strcmp(ls__src_kind(*src), "utf-16") == 0 ||
        !ls__u16_sniff((const unsigned char *)*p, *n))
        return LS_OK;
    if ((st = ls__src_wrap(*src, src))) { *src = NULL; return st; }
    return ls__src_peek(*src, p, n);
}

/* Reads every entry of an archive (the file path, or what src streams
 * when path is NULL) as an input of its own. */
static int ingest_archive(ls_ctx *ctx, const ls_ingest_opts *o, ls__builder *b, const char *name,
                          const char *path, ls__src *src, uint64_t *raw, uint64_t *out, size_t *entries)
{
    ls__arc *a = NULL;
    ls__src *es = NULL;
    const char *p, *first;
    size_t n;
    int st = ls__arc_open(ctx, name, path, src, &a);
    while (st == LS_OK && (st = ls__arc_next(a, &es)) == LS_OK && es) {
        if ((st = ls__src_peek(es, &p, &n)) == LS_OK && (st = text_layer(&es, &p, &n)) == LS_OK) {
            if (ls__arc_sniff(p, n))
                st = ls__fail(ctx, LS_ERR_FORMAT, "%s: an archive inside an archive: extract it first",
                              ls__src_name(es));
            else
                st = ingest_src(ctx, o, b, es, ls__src_name(es), p, n);
        }
        if (es) *out += ls__src_out_bytes(es);
        (*entries)++;
        ls__src_close(es);
        es = NULL;
    }
    if (a) {
        size_t k = ls__arc_skipped(a, &first);
        if (st == LS_OK && k && o->report)
            fprintf(o->report, "%s: skipped %zu entr%s that hold no posts (links, macOS metadata, media or "
                    "documents), the first %s\n", name, k, k == 1 ? "y" : "ies", first);
        if (path) *raw += ls__arc_raw_bytes(a);
    }
    ls__arc_close(a);
    return st;
}

/* Reads one command-line input (a file, "-", or an archive of them);
 * *entries counts the archives' entries read. */
static int ingest_one(ls_ctx *ctx, const ls_ingest_opts *o, ls__builder *b, const char *path,
                      uint64_t *raw, uint64_t *out, size_t *entries)
{
    ls__src *src = NULL;
    const char *p;
    size_t n;
    int st, stdin_in = strcmp(path, "-") == 0;
    if ((st = ls__src_open(ctx, path, &src))) return st;
    if ((st = ls__src_peek(src, &p, &n)) == LS_OK && (st = text_layer(&src, &p, &n)) == LS_OK) {
        /* The source's name: "(stdin)", or the path with control bytes
         * shown as '?' (src.c); valid while src is open. */
        const char *file = ls__src_name(src);
        if (ls__arc_sniff(p, n)) {
            /* A file is handed to libarchive by name (seekable: zip by its
             * central directory, 7z); stdin is streamed through src. */
            st = ingest_archive(ctx, o, b, file, stdin_in ? NULL : path, stdin_in ? src : NULL, raw, out,
                                entries);
            if (stdin_in) *raw += ls__src_raw_bytes(src);
            ls__src_close(src);
            return st;
        }
        st = ingest_src(ctx, o, b, src, file, p, n);
    }
    if (src) {
        *raw += ls__src_raw_bytes(src);
        *out += ls__src_out_bytes(src);
    }
    ls__src_close(src);
    return st;
}

static void group(char *out, size_t n, uint64_t v)
{
    char tmp[32];
    int len = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v), k = 0;
    size_t o = 0;
    for (int i = 0; i < len && o + 2 < n; i++) {
        out[o++] = tmp[i];
        k = len - i - 1;
        if (k && k % 3 == 0) out[o++] = ',';
    }
    out[o] = '\0';
}

static void report(FILE *f, const char *path, const ls_store *s, const ls__diag *before,
                   uint64_t rows_before, size_t n_files, size_t n_entries, double secs, uint64_t raw,
                   uint64_t out)
{
    char a[32], b[32], c[32];
    uint64_t rows = s->rows_read - rows_before;
    group(a, sizeof a, rows);
    group(b, sizeof b, s->n_events);
    group(c, sizeof c, s->ns[LS_NS_ACCOUNT].n);
    fprintf(f, "ingested %zu input%s", n_files, n_files == 1 ? "" : "s");
    if (n_entries) fprintf(f, " (%zu archive entr%s)", n_entries, n_entries == 1 ? "y" : "ies");
    fprintf(f, ", %s rows -> %s: %s posts, %s accounts\n", a, path, b, c);
    for (int kind = LS_DIAG_REJECTED; kind <= LS_DIAG_SKIPPED; kind++) {
        uint64_t total = 0;
        for (int r = 0; r < LS_DIAG_COUNT; r++)
            if (ls__diag_kind(r) == kind) total += s->diag.count[r] - before->count[r];
        if (!total) continue;
        group(a, sizeof a, total);
        fprintf(f, "  %s %s row%s:\n", ls__diag_kind_name(kind), a, total == 1 ? "" : "s");
        for (int r = 0; r < LS_DIAG_COUNT; r++) {
            uint64_t d = s->diag.count[r] - before->count[r];
            if (!d || ls__diag_kind(r) != kind) continue;
            group(a, sizeof a, d);
            fprintf(f, "    %-42s %s\n", ls__diag_text(r), a);
            for (int k = 0; k < LS_DIAG_EXAMPLES; k++)
                if (s->diag.example[r][k][0] && !before->example[r][k][0] && k < 3)
                    fprintf(f, "      %s\n", s->diag.example[r][k]);
        }
    }
    double mb = (double)out / 1e6;
    group(a, sizeof a, secs > 0 ? (uint64_t)((double)rows / secs) : 0);
    fprintf(f, "  %.2f s, %.1f MB", secs, mb);
    if (raw != out) fprintf(f, " (%.1f MB %s)", (double)raw / 1e6, raw < out ? "compressed" : "read");
    fprintf(f, ", %.1f MB/s, %s rows/s\n", secs > 0 ? mb / secs : 0.0, a);
}

int ls_ingest(ls_ctx *ctx, const ls_ingest_opts *opts, const char *const *files, size_t n_files,
              const char *store_path)
{
    ls__builder *b = NULL;
    ls_store *s = NULL;
    ls_ingest_opts o = { 0 };
    ls__diag before;             /* diag counts before this run (append) */
    uint64_t rows_before = 0, raw = 0, out = 0;
    size_t n_entries = 0, n_list = 0;
    char **list = NULL;
    double t0 = now_s();
    int st;

    if (opts) o = *opts;
    if (!o.format || !*o.format) o.format = "auto";
    if (!known_format(o.format))
        return ls__fail(ctx, LS_ERR_USAGE, "unknown format '%s' (auto, io, v1, v2, qut, csv, json)", o.format);
    if (!n_files) return ls__fail(ctx, LS_ERR_USAGE, "no input files");
    if (!store_path || !*store_path) return ls__fail(ctx, LS_ERR_USAGE, "no output store (-o STORE)");
    /* Folders stand for the files under them (dirs.c). */
    if ((st = ls__expand_inputs(ctx, files, n_files, o.report, &list, &n_list))) return st;
    files = (const char *const *)list;
    n_files = n_list;
    for (size_t i = 0; i < n_files; i++)
        if (strcmp(files[i], "-") != 0 && access(files[i], R_OK) != 0) {
            st = ls__fail(ctx, LS_ERR_IO, "cannot open %s: %s", files[i], strerror(errno));
            goto done;
        }
    char dir[4096];
    {
        /* The store's folder must be writable: better to know now than
         * after reading every input.  The builder's spill files go there
         * too (same disk as the store). */
        const char *slash = strrchr(store_path, '/');
        size_t n = slash ? (size_t)(slash - store_path) : 0;
        if (n >= sizeof dir) n = sizeof dir - 1;
        if (slash && n == 0) n = 1;                 /* "/store" */
        memcpy(dir, slash ? store_path : ".", slash ? n : 1);
        dir[slash ? n : 1] = '\0';
        if (access(dir, W_OK) != 0) {
            st = ls__fail(ctx, LS_ERR_IO, "cannot create %s: %s", store_path, strerror(errno));
            goto done;
        }
    }

    if ((st = ls__builder_new(ctx, &b))) goto done;
    ls__builder_set_spill_dir(b, dir);
    if (o.append && access(store_path, F_OK) == 0) {
        if ((st = ls__builder_load(b, store_path))) goto done;
    }
    memcpy(&before, ls__builder_diag_table(b), sizeof before);
    {
        /* rows_read of the stored ingests, so the summary counts only
         * this run's rows (a header-only open: the load verified it). */
        ls_store *old = NULL;
        if (o.append && access(store_path, F_OK) == 0 &&
            ls__store_open_flags(ctx, store_path, LS_STORE_NOVERIFY, &old) == LS_OK) {
            rows_before = old->rows_read;
            ls_store_close(old);
        }
    }
    for (size_t i = 0; i < n_files; i++)
        if ((st = ingest_one(ctx, &o, b, files[i], &raw, &out, &n_entries))) goto done;
    ls__progress_end(ctx);
    if ((st = ls__builder_write(b, store_path))) goto done;
    if (o.report) {
        if ((st = ls__store_open_flags(ctx, store_path, LS_STORE_NOVERIFY, &s))) goto done;
        report(o.report, store_path, s, &before, rows_before, n_files, n_entries, now_s() - t0, raw, out);
    }
done:
    ls__progress_end(ctx);
    ls_store_close(s);
    ls__builder_free(b);
    ls__free_inputs(list, n_list);
    return st;
}

int ls__ingest_temp(ls_ctx *ctx, const ls_ingest_opts *o, const char *const *files, size_t n,
                    const char *tmp)
{
    int saved = ctx->ingest_temp;
    ctx->ingest_temp = 1;
    int rc = ls_ingest(ctx, o, files, n, tmp);
    ctx->ingest_temp = saved;
    return rc;
}
