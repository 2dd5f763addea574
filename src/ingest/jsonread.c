/*
 * jsonread.c — reads a source as a sequence of JSON values for the v1 and
 * v2 parsers, counting every line and every problem.
 *
 * Two layouts occur in practice:
 *   - JSON lines (twarc, tweepy, the streaming API, most collectors): one
 *     value per line.  Each line is parsed on its own with json_loadb, so
 *     a bad line costs exactly that line (LS_DIAG_BAD_JSON) and the next
 *     line parses normally.
 *   - One pretty-printed document (an API response saved from a browser
 *     or `curl | jq .`), or several of them back to back.  Its first line
 *     is "{" or "[" alone, which jansson reports as premature end of
 *     input.  The decision rule is: if the FIRST non-empty line is an
 *     incomplete value, the rest of the source is read into memory (at
 *     most LS__JS_DOC_MAX bytes) and parsed as whitespace-separated
 *     documents with JSON_DISABLE_EOF_CHECK.  Any later incomplete line is
 *     simply a bad line, so a truncated line in the middle of a JSON-lines
 *     file never makes the reader swallow the rest of the file.  In
 *     document mode, after a bad document the reader resumes at the line
 *     where jansson found the error (when the error is that line's first
 *     token) or at the line after it, so good lines that follow a
 *     truncated first line are still read.
 *   - Past LS__JS_STREAM_AT bytes, a document of a parser that says where
 *     its rows are (ls__js_read_rows: jsonmap.c) is read row by row
 *     instead of whole (jsonstream.c).
 *
 * A UTF-8 byte-order mark before the first line is skipped.
 *
 * Invalid UTF-8: jansson rejects it.  A line that fails to parse and holds
 * invalid UTF-8 is repaired (each bad sequence becomes U+FFFD) and parsed
 * again; if that works the row is kept and counted as LS_DIAG_BAD_UTF8.
 * The check runs only after a failed parse, so valid input pays nothing.
 *
 * Threads: parsing with jansson is nearly all of the cost of JSON ingest
 * (docs/ingest.md) and lines are independent, so with more than one
 * thread (ls__threads) the lines after the first value are read in
 * batches of LS__JS_BATCH_BYTES and parsed by a pool of threads
 * (jsonpar.c); the calling thread then handles every line in input order
 * exactly as the one-thread loop does (diagnostics, UTF-8 repair,
 * delivery), so the store is byte-identical for any thread count.
 *
 * Complexity: O(bytes); each value is parsed once (twice for a repaired
 * line).  Memory: one line plus its parsed tree (two batches and their
 * trees with threads), or the whole document in document mode (one row
 * when it is streamed).
 */
#include "jsonpar.h"
#include "jsonstream.h"

#include <stdlib.h>

#include <inttypes.h>

/* Largest pretty-printed input held in memory; JSON-lines input has no
 * such limit because it streams. */
#define LS__JS_DOC_MAX ((size_t)1 << 30)
/* Past this a document of a parser that reads rows one by one is
 * streamed (jsonstream.c); below it the whole document is parsed, as
 * always. */
#define LS__JS_STREAM_AT ((size_t)64 << 20)
/* Text per batch with threads: a few ms of parsing per share, and trees
 * of a few MB. */
#define LS__JS_BATCH_BYTES ((size_t)512 << 10)

/* jansson keeps its default allocator (malloc) on purpose.  Pointing it
 * at ls__malloc would let the tests' injected allocation failures reach
 * jansson 2.14, whose lexer drops a failed strbuffer_append_byte() in
 * lex_save() and then writes past a heap buffer or asserts
 * (akheron/jansson issue #362, fixes proposed in PRs #735/#747, not
 * released).  Our own allocations all go through ls__malloc, and a real
 * out-of-memory inside jansson is reported as out of memory when jansson
 * says so (json_error_out_of_memory). */

typedef struct reader {
    ls__env *e;
    ls__js_fn fn;
    const ls__js_rows *rowsfn;   /* NULL: documents are read whole */
    void *user;
    ls__buf fix;          /* a repaired copy of the current line */
    uint64_t rows;        /* lines read */
} reader;

static int is_blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n') return 0;
    return 1;
}

/* Parses one line.  *v gets the value or NULL; *err holds jansson's error
 * when *v is NULL; *repaired is the number of U+FFFD replacements made. */
static int parse_one(reader *r, const char *p, size_t n, json_t **v,
                     json_error_t *err, size_t *repaired)
{
    *repaired = 0;
    *v = json_loadb(p, n, JSON_ALLOW_NUL, err);
    if (*v) return LS_OK;
    if (json_error_code(err) == json_error_out_of_memory) return LS_ERR_NOMEM;
    if (ls__utf8_valid_prefix(p, n) == n) return LS_OK;
    r->fix.n = 0;
    if (ls__utf8_repair(&r->fix, p, n, repaired) != LS_OK) return LS_ERR_NOMEM;
    *v = json_loadb(r->fix.p, r->fix.n, JSON_ALLOW_NUL, err);
    if (!*v && json_error_code(err) == json_error_out_of_memory) return LS_ERR_NOMEM;
    return LS_OK;
}

static int nomem(reader *r, uint64_t line)
{
    return ls__fail(r->e->ctx, LS_ERR_NOMEM, "%s:%" PRIu64 ": out of memory parsing JSON",
                    r->e->file, line);
}

/* Hands a parsed value to the format's handler, then frees it unless the
 * pool thread that parsed it will (keep). */
static int deliver(reader *r, json_t *v, uint64_t line, size_t repaired, int keep)
{
    int st = LS_OK;
    if (repaired)
        st = ls__env_diag(r->e, LS_DIAG_BAD_UTF8, line, "%zu invalid UTF-8 sequence(s) replaced", repaired);
    if (st == LS_OK) st = r->fn(r->user, v, line);
    if (!keep) json_decref(v);
    return st;
}

/* Line number (1-based, counted from line0 at offset 0) of offset off. */
static uint64_t line_of(const char *p, size_t off, uint64_t line0)
{
    uint64_t l = line0;
    const char *q = p, *end = p + off;
    while ((q = memchr(q, '\n', (size_t)(end - q))) != NULL) { l++; q++; }
    return l;
}

/* Where to resume after a bad document that started at pos and failed at
 * byte eoff (see the file comment). */
static size_t resync(const char *p, size_t n, size_t pos, size_t eoff)
{
    size_t ls = eoff, nl;
    const char *q;
    if (eoff > n) eoff = n;
    while (ls > 0 && p[ls - 1] != '\n') ls--;
    if (ls > pos && is_blank(p + ls, eoff - ls)) return ls;
    q = memchr(p + eoff, '\n', n - eoff);
    nl = q ? (size_t)(q - p) + 1 : n;
    if (nl <= pos) {
        q = memchr(p + pos, '\n', n - pos);
        nl = q ? (size_t)(q - p) + 1 : n;
    }
    return nl;
}

/* Document mode: doc holds the rest of the input from line line0 on. */
static int read_documents(reader *r, const char *p, size_t n, uint64_t line0)
{
    size_t pos = 0, counted = 0;
    uint64_t line = line0;
    int st = LS_OK;
    for (;;) {
        json_t *v;
        json_error_t err;
        while (pos < n && (p[pos] == ' ' || p[pos] == '\t' || p[pos] == '\r' || p[pos] == '\n')) pos++;
        if (pos >= n) break;
        line = line_of(p + counted, pos - counted, line);
        counted = pos;
        v = json_loadb(p + pos, n - pos, JSON_ALLOW_NUL | JSON_DISABLE_EOF_CHECK, &err);
        if (v) {
            size_t used = err.position;
            if (used == 0 || used > n - pos) used = n - pos; /* defensive */
            st = deliver(r, v, line, 0, 0);
            if (st != LS_OK) return st;
            pos += used;
            continue;
        }
        if (json_error_code(&err) == json_error_out_of_memory) return nomem(r, line);
        st = ls__env_diag(r->e, LS_DIAG_BAD_JSON, line, "%s", err.text);
        if (st != LS_OK) return st;
        pos = resync(p, n, pos, pos + (err.position ? (size_t)err.position - 1 : 0));
    }
    return st;
}

static size_t stream_at(void)
{
    const char *env = getenv("LOCKSTEP_JSON_STREAM_AT");
    char *end = NULL;
    if (env && *env) {
        unsigned long long v = strtoull(env, &end, 10);
        if (end && !*end) return (size_t)v;
    }
    return LS__JS_STREAM_AT;
}

/* Appends line (number no) to doc with its newline, invalid UTF-8
 * repaired and counted. */
static int put_line(reader *r, ls__buf *doc, ls__str line, uint64_t no)
{
    size_t rep = 0;
    int st;
    if (ls__utf8_valid_prefix(line.p, line.n) == line.n) {
        st = ls__buf_put(doc, line.p, line.n);
    } else {
        st = ls__utf8_repair(doc, line.p, line.n, &rep);
        if (st == LS_OK && rep)
            st = ls__env_diag(r->e, LS_DIAG_BAD_UTF8, no, "%zu invalid UTF-8 sequence(s) replaced", rep);
    }
    if (st == LS_OK) st = ls__buf_putc(doc, '\n');
    if (st == LS_ERR_NOMEM) st = nomem(r, no);
    return st;
}

/* The rest of a document too large to parse whole, row by row: the
 * lines read so far (doc, from line0 on), then the others. */
static int stream_rest(reader *r, ls__lines *lines, ls__buf *doc, uint64_t line0)
{
    ls__jstream *js = NULL;
    int st = ls__jstream_new(r->e, r->rowsfn, r->fn, r->user, &js);
    if (st != LS_OK) return st;
    ls__jstream_at(js, line0);
    st = ls__jstream_feed(js, doc->p, doc->n);
    while (st == LS_OK) {
        ls__str line;
        uint64_t no;
        if ((st = ls__lines_next(lines, &line, &no)) != LS_OK || !line.p) break;
        r->rows++;
        doc->n = 0;
        if ((st = put_line(r, doc, line, no)) == LS_OK) st = ls__jstream_feed(js, doc->p, doc->n);
    }
    if (st == LS_OK) st = ls__jstream_end(js);
    ls__jstream_free(js);
    return st;
}

/* Reads the rest of the input (the current line first) into doc, repairing
 * invalid UTF-8 line by line, then parses it as documents (or streams it
 * past stream_at bytes, for a parser that reads rows one by one). */
static int document_mode(reader *r, ls__lines *lines, ls__str first, uint64_t line0)
{
    ls__buf doc = { 0 };
    ls__str line = first;
    uint64_t no = line0;
    size_t at = r->rowsfn ? stream_at() : SIZE_MAX;
    int st = LS_OK;
    for (;;) {
        if (doc.n + line.n + 1 > LS__JS_DOC_MAX && at == SIZE_MAX) {
            st = ls__fail(r->e->ctx, LS_ERR_LIMIT,
                          "%s:%" PRIu64 ": a pretty-printed JSON document larger than %zu MiB; "
                          "convert it to JSON lines first (e.g. jq -c '.data[]')",
                          r->e->file, line0, LS__JS_DOC_MAX >> 20);
            goto done;
        }
        if ((st = put_line(r, &doc, line, no)) != LS_OK) goto done;
        if (doc.n >= at) {
            st = stream_rest(r, lines, &doc, line0);
            goto done;
        }
        st = ls__lines_next(lines, &line, &no);
        if (st != LS_OK) goto done;
        if (!line.p) break;
        r->rows++;
    }
    st = read_documents(r, doc.p, doc.n, line0);
done:
    ls__buf_free(&doc);
    return st;
}

/* Handles one line in input order: empty-line and bad-JSON diagnostics,
 * UTF-8 repair, delivery.  With have_pre, pre/pre_err is what a pool
 * thread made of the line (that thread frees pre later); else the line is
 * parsed here.  *premature is set, and nothing else done, when the line is
 * an incomplete value and first_value asks for that check. */
static int handle_line(reader *r, const char *p, size_t n, uint64_t no, int have_pre,
                       json_t *pre, const json_error_t *pre_err, int first_value, int *premature)
{
    json_t *v = NULL;
    json_error_t err;
    size_t rep = 0;
    int st = LS_OK;
    if (is_blank(p, n)) return ls__env_diag(r->e, LS_DIAG_EMPTY_LINE, no, "empty line");
    if (have_pre && pre) return deliver(r, pre, no, 0, 1);
    if (!have_pre) {
        st = parse_one(r, p, n, &v, &err, &rep);
    } else {
        /* The pool's failure is final unless it was out of memory or the
         * line can be repaired: redo those here, as one thread would. */
        err = *pre_err;
        if (json_error_code(&err) == json_error_out_of_memory || ls__utf8_valid_prefix(p, n) != n)
            st = parse_one(r, p, n, &v, &err, &rep);
    }
    if (st == LS_ERR_NOMEM) return nomem(r, no);
    if (!v && first_value && json_error_code(&err) == json_error_premature_end_of_input) {
        *premature = 1;
        return LS_OK;
    }
    if (!v) return ls__env_diag(r->e, LS_DIAG_BAD_JSON, no, "%s (column %d)", err.text, err.column);
    return deliver(r, v, no, rep, 0);
}

/* The rest of the input in batches parsed by a pool of nt threads, once
 * the first value has settled the layout (JSON lines).  Two batches
 * alternate so that each pool thread frees, with the next batch, the trees
 * it built in this one. */
static int read_batched(reader *r, ls__lines *lines, int nt)
{
    ls__jsbatch bb[2];
    ls__jspool *pool = NULL;
    int st, eof = 0, cur = 0, used = 0;
    memset(bb, 0, sizeof bb);
    /* jansson seeds its hash function on first use; doing it here, before
     * a pool thread starts, keeps that one-time step off the threads. */
    json_object_seed(0);
    st = ls__jspool_start(nt, &pool);
    if (st != LS_OK) return nomem(r, 0);
    while (!eof && st == LS_OK) {
        ls__jsbatch *b = &bb[cur];
        b->text.n = 0;
        b->n = 0;
        while (b->text.n < LS__JS_BATCH_BYTES) {
            ls__str line;
            uint64_t no;
            st = ls__lines_next(lines, &line, &no);
            if (st != LS_OK) break;
            if (!line.p) { eof = 1; break; }
            r->rows++;
            if (ls__grow((void **)&b->ln, &b->cap, b->n + 1, sizeof *b->ln) != LS_OK ||
                ls__buf_put(&b->text, line.p, line.n) != LS_OK) {
                st = nomem(r, no);
                break;
            }
            b->ln[b->n].off = b->text.n - line.n;
            b->ln[b->n].n = line.n;
            b->ln[b->n].no = no;
            b->ln[b->n].v = NULL;
            b->n++;
        }
        if (st != LS_OK) break;
        ls__jspool_parse(pool, b, used ? &bb[cur ^ 1] : NULL);
        used = 1;
        for (size_t i = 0; i < b->n && st == LS_OK; i++) {
            ls__jsline *l = &b->ln[i];
            int premature = 0;
            st = handle_line(r, b->text.p + l->off, l->n, l->no, 1, l->v, &l->err, 0, &premature);
        }
        cur ^= 1;
    }
    ls__jspool_stop(pool);
    for (int k = 0; k < 2; k++) {
        ls__jsbatch_release(&bb[k], 0, bb[k].n);
        ls__buf_free(&bb[k].text);
        ls__free(bb[k].ln);
    }
    return st;
}

int ls__js_read(ls__env *e, ls__src *src, ls__js_fn fn, void *user)
{
    return ls__js_read_rows(e, src, fn, NULL, user);
}

int ls__js_read_rows(ls__env *e, ls__src *src, ls__js_fn fn, const ls__js_rows *rows, void *user)
{
    reader r = { 0 };
    ls__lines *lines = NULL;
    int st, seen_value = 0, nt = ls__threads(e->ctx);

    r.e = e;
    r.fn = fn;
    r.rowsfn = rows;
    r.user = user;
    st = ls__lines_new(src, &lines);
    if (st != LS_OK) goto done;
    for (;;) {
        ls__str line;
        uint64_t no;
        int premature = 0;
        if (seen_value && nt > 1) {
            st = read_batched(&r, lines, nt);
            break;
        }
        st = ls__lines_next(lines, &line, &no);
        if (st != LS_OK || !line.p) break;
        r.rows++;
        /* Windows tools start files with a UTF-8 byte-order mark, which is
         * not JSON; without this the first row would be lost. */
        if (no == 1 && line.n >= 3 && memcmp(line.p, "\xEF\xBB\xBF", 3) == 0) {
            line.p += 3;
            line.n -= 3;
        }
        st = handle_line(&r, line.p, line.n, no, 0, NULL, NULL, !seen_value, &premature);
        if (st != LS_OK) break;
        if (premature) {
            st = document_mode(&r, lines, line, no);
            break;
        }
        if (!is_blank(line.p, line.n)) seen_value = 1;
    }
done:
    if (e->b) ls__builder_count_rows(e->b, r.rows);
    ls__lines_free(lines);
    ls__buf_free(&r.fix);
    return st;
}
