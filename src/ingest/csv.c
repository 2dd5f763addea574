/*
 * csv.c — the streaming CSV record reader (RFC 4180 plus what real dumps
 * do).  It reads its source in large chunks into one buffer and splits
 * records there:
 *
 *   - A record whose line holds no '"' at all takes the fast path: one
 *     memchr for the newline, one for a quote, then memchr for each comma.
 *     Its fields are slices of the read buffer; nothing is copied.
 *   - A record with quotes takes the general path, a state machine that
 *     jumps from quote to quote with memchr and copies field contents
 *     (unquoted, "" -> ") into a scratch buffer.
 *
 * A record that runs past the end of the buffer is re-parsed from its start
 * after a refill (the buffer doubles when one record fills it), so parsing
 * never needs to resume mid-field.  Repairs, each flagged in
 * row->bad_quoting: a quote inside an unquoted field is kept literally; text
 * after a closing quote is appended to the field (as Python's csv module
 * does); an unterminated quote at end of input closes there; and a quoted
 * field that runs on for more than LS__CSV_RUNAWAY bytes is taken to be a
 * stray quote, and the record is re-read with every newline ending it, so one
 * bad quote costs one record rather than the rest of the file.  A record
 * that spans lines and also shows a quoting problem is re-read the same way:
 * well-formed multi-line fields never trip it, and a stray opening quote
 * then costs one line instead of gluing lines together.
 *
 * Cost: O(record bytes) per record, with per-byte work only inside unquoted
 * fields of records that contain quotes.
 */
#include "ingest.h"

#define LS__CSV_CHUNK   (256u << 10)   /* initial buffer and read size */
#define LS__CSV_RUNAWAY (8u << 20)     /* longest legitimate quoted record */
#define LS__CSV_HARDMAX (1u << 30)     /* longest record at all */

struct ls__csv {
    ls__src *src;
    char *buf;
    size_t cap, pos, end;   /* unconsumed bytes are buf[pos..end) */
    int eof;                /* the source has no more bytes */
    int bom_done;           /* the BOM check has been made */
    uint64_t line;          /* line number of buf[pos] */
    ls__str *f;             /* fields handed out */
    size_t fcap;
    size_t *off;            /* general path: start/length pairs in out */
    size_t offcap;
    ls__buf out;            /* general path: unquoted field bytes */
};

int ls__csv_new(ls__src *src, ls__csv **out)
{
    ls__csv *c = ls__calloc(1, sizeof *c);
    if (!c) return LS_ERR_NOMEM;
    c->src = src;
    c->line = 1;
    c->cap = LS__CSV_CHUNK;
    c->buf = ls__malloc(c->cap);
    if (!c->buf) { ls__free(c); return LS_ERR_NOMEM; }
    *out = c;
    return LS_OK;
}

void ls__csv_free(ls__csv *c)
{
    if (!c) return;
    ls__free(c->buf);
    ls__free(c->f);
    ls__free(c->off);
    ls__buf_free(&c->out);
    ls__free(c);
}

/* Moves the unconsumed bytes to the front, grows the buffer when a single
 * record fills it, and reads more.  Sets eof when the source is done. */
static int refill(ls__csv *c)
{
    if (c->pos > 0) {
        memmove(c->buf, c->buf + c->pos, c->end - c->pos);
        c->end -= c->pos;
        c->pos = 0;
    }
    if (c->end == c->cap) {
        if (c->cap >= LS__CSV_HARDMAX)
            return LS_ERR_LIMIT;
        char *nb = ls__realloc(c->buf, c->cap * 2);
        if (!nb) return LS_ERR_NOMEM;
        c->buf = nb;
        c->cap *= 2;
    }
    size_t got = 0;
    int rc = ls__src_read(c->src, c->buf + c->end, c->cap - c->end, &got);
    if (rc != LS_OK) return rc;
    if (got == 0) c->eof = 1;
    c->end += got;
    if (!c->bom_done && (c->end >= 3 || c->eof)) {
        c->bom_done = 1;
        if (c->end >= 3 && memcmp(c->buf, "\xEF\xBB\xBF", 3) == 0)
            c->pos = 3;
    }
    return LS_OK;
}

static int need_fields(ls__csv *c, size_t n)
{
    if (n <= c->fcap) return LS_OK;
    return ls__grow((void **)&c->f, &c->fcap, n, sizeof *c->f);
}

static size_t count_nl(const char *p, size_t n)
{
    size_t k = 0;
    const char *e = p + n;
    while (p < e && (p = memchr(p, '\n', (size_t)(e - p))) != NULL) { k++; p++; }
    return k;
}

/* Parse outcomes. */
enum { P_MORE = 0, P_DONE = 1, P_QUOTES = 2, P_RUNAWAY = 3 };

/* The fast path: a line without quotes.  Returns P_MORE when the line is
 * not complete yet, P_QUOTES when it holds a quote. */
static int parse_fast(ls__csv *c, ls__csv_row *row, int at_eof)
{
    char *p = c->buf + c->pos, *e = c->buf + c->end;
    char *nl = memchr(p, '\n', (size_t)(e - p));
    char *le = nl ? nl : e;
    if (!nl && !at_eof) return P_MORE;
    if (memchr(p, '"', (size_t)(le - p))) return P_QUOTES;
    char *fe = le;
    if (fe > p && fe[-1] == '\r') fe--;
    size_t n = 0;
    for (char *s = p;;) {
        char *comma = memchr(s, ',', (size_t)(fe - s));
        if (n + 1 > c->fcap && need_fields(c, n + 1) != LS_OK) return -1;
        if (!comma) { c->f[n++] = (ls__str){ s, (size_t)(fe - s) }; break; }
        c->f[n++] = (ls__str){ s, (size_t)(comma - s) };
        s = comma + 1;
    }
    row->n = n;
    row->f = c->f;
    row->line = c->line;
    row->bad_quoting = 0;
    c->pos = (size_t)((nl ? nl + 1 : e) - c->buf);
    c->line++;
    return P_DONE;
}

static int push_field(ls__csv *c, size_t nf, size_t start)
{
    if (2 * (nf + 1) > c->offcap &&
        ls__grow((void **)&c->off, &c->offcap, 2 * (nf + 1), sizeof *c->off) != LS_OK)
        return -1;
    c->off[2 * nf] = start;
    c->off[2 * nf + 1] = c->out.n - start;
    return 0;
}

/* The general path: a state machine over a record with quotes.  at_eof
 * means buf[end] is the end of input; line_mode means every newline ends
 * the record (recovery from a runaway quote).  Returns P_MORE, P_DONE,
 * P_RUNAWAY or -1 on allocation failure. */
static int parse_general(ls__csv *c, ls__csv_row *row, int at_eof, int line_mode)
{
    char *p = c->buf + c->pos, *e = c->buf + c->end;
    size_t nf = 0, inner_nl = 0;
    int bad = line_mode;
    c->out.n = 0;
    for (;;) {
        size_t start = c->out.n;
        if (p < e && *p == '"') {
            p++;
            for (;;) {
                char *q = memchr(p, '"', (size_t)(e - p));
                char *lim = q ? q : e;
                if (line_mode) {
                    char *nl = memchr(p, '\n', (size_t)(lim - p));
                    if (nl) {           /* unterminated within the line */
                        char *cut = (nl > p && nl[-1] == '\r') ? nl - 1 : nl;
                        if (ls__buf_put(&c->out, p, (size_t)(cut - p))) return -1;
                        p = nl;
                        bad = 1;
                        goto field_end;
                    }
                }
                if (!q) {
                    if (!at_eof)
                        return (!line_mode && (size_t)(e - (c->buf + c->pos)) > LS__CSV_RUNAWAY)
                               ? P_RUNAWAY : P_MORE;
                    /* Unterminated quote at end of input: close it here. */
                    if (ls__buf_put(&c->out, p, (size_t)(e - p))) return -1;
                    inner_nl += count_nl(p, (size_t)(e - p));
                    p = e;
                    bad = 1;
                    goto field_end;
                }
                if (ls__buf_put(&c->out, p, (size_t)(q - p))) return -1;
                inner_nl += count_nl(p, (size_t)(q - p));
                if (q + 1 == e && !at_eof) return P_MORE;
                if (q + 1 < e && q[1] == '"') {
                    if (ls__buf_putc(&c->out, '"')) return -1;
                    p = q + 2;
                    continue;
                }
                p = q + 1;
                break;
            }
            /* After the closing quote: a delimiter, or stray text. */
            if (p == e || *p == ',' || *p == '\n') goto field_end;
            if (*p == '\r') {
                if (p + 1 == e && !at_eof) return P_MORE;
                if (p + 1 == e || p[1] == '\n') { p++; goto field_end; }
            }
            bad = 1;    /* `"abc"def`: keep def, like Python's csv */
        }
        /* Unquoted field (or the rest of a field after stray text). */
        {
            char *s = p;
            while (s < e && *s != ',' && *s != '\n') {
                if (*s == '"') bad = 1;
                s++;
            }
            if (s == e && !at_eof) return P_MORE;
            char *fe = s;
            if (s < e && *s == '\n' && fe > p && fe[-1] == '\r') fe--;
            else if (s == e && fe > p && fe[-1] == '\r') fe--;
            if (ls__buf_put(&c->out, p, (size_t)(fe - p))) return -1;
            p = s;
        }
    field_end:
        if (push_field(c, nf, start)) return -1;
        nf++;
        if (p == e) break;              /* only reached at end of input */
        if (*p == ',') {
            p++;
            if (p == e) {
                if (!at_eof) return P_MORE;
                if (push_field(c, nf, c->out.n)) return -1;
                nf++;
                break;
            }
            continue;
        }
        if (*p == '\r') p++;
        if (p < e && *p == '\n') { p++; break; }
        if (p == e) break;
    }
    /* A multi-line record with a quoting problem is most likely a stray
     * quote that swallowed the newline: read just its first line instead. */
    if (bad && inner_nl > 0 && !line_mode) return P_RUNAWAY;
    if (need_fields(c, nf) != LS_OK) return -1;
    for (size_t i = 0; i < nf; i++)
        c->f[i] = (ls__str){ c->out.p ? c->out.p + c->off[2 * i] : "",
                             c->off[2 * i + 1] };
    row->n = nf;
    row->f = c->f;
    row->line = c->line;
    row->bad_quoting = bad;
    c->line += 1 + inner_nl;
    c->pos = (size_t)(p - c->buf);
    return P_DONE;
}

int ls__csv_next(ls__csv *c, ls__csv_row *row)
{
    int line_mode = 0, rc;
    row->n = 0;
    row->f = c->f;
    row->bad_quoting = 0;
    row->line = c->line;
    for (;;) {
        if (!c->bom_done || (c->pos == c->end && !c->eof)) {
            if ((rc = refill(c)) != LS_OK) return rc;
            continue;
        }
        if (c->pos == c->end) return LS_OK;     /* end of input */
        int r = line_mode ? P_QUOTES : parse_fast(c, row, c->eof);
        if (r == P_QUOTES) r = parse_general(c, row, c->eof, line_mode);
        if (r < 0) return LS_ERR_NOMEM;
        if (r == P_DONE) return LS_OK;
        if (r == P_RUNAWAY) { line_mode = 1; continue; }
        /* P_MORE: read on and parse the record again from its start. */
        if ((rc = refill(c)) != LS_OK) return rc;
    }
}
