/*
 * csv.c — the streaming CSV record reader (RFC 4180 plus what real dumps
 * do).  It reads its source in large chunks into one buffer and splits
 * records there in one pass: a 16-byte SSE2 scan (scan3) jumps from one
 * ',', '"' or '\n' to the next, and a quoted field is crossed with one
 * memchr for its closing quote.  Fields are slices of the read buffer,
 * stored as they are found (an earlier version kept offset triples and
 * turned them into slices in a second pass: 19% more instructions in the
 * reader); a field that needs unquoting ("" -> ", or text after a closing
 * quote) is rewritten in place, shorter, once its record is known to be
 * complete.  Nothing is copied.
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
 * The delimiter is the one of ',', '\t' and ';' that the first line holds
 * most often outside quotes, ',' on a tie (ls__csv_sniff_sep): tab-separated
 * files are other tools' .tsv exports, semicolons what spreadsheets write
 * in locales whose decimal mark is a comma.  The quoting rules are the
 * same for all three.
 *
 * Cost: O(record bytes) per record with a small constant: one scan3 call
 * per unquoted field, one or two memchr calls per quoted field.
 */
#include "ingest.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define LS__CSV_CHUNK   (256u << 10)   /* initial buffer and read size */
#define LS__CSV_RUNAWAY (8u << 20)     /* longest legitimate quoted record */
#define LS__CSV_HARDMAX (1u << 30)     /* longest record at all */

struct ls__csv {
    ls__src *src;
    char *buf;
    size_t cap, pos, end;   /* unconsumed bytes are buf[pos..end) */
    int eof;                /* the source has no more bytes */
    int bom_done;           /* the BOM and delimiter checks have been made */
    char sep;               /* field delimiter: ',', '\t' or ';' */
    uint64_t line;          /* line number of buf[pos] */
    ls__str *f;             /* fields handed out */
    size_t fcap;
    size_t *unesc;          /* indices of the fields that need unquoting */
    size_t unesccap;
};

int ls__csv_new(ls__src *src, ls__csv **out)
{
    ls__csv *c = ls__calloc(1, sizeof *c);
    if (!c) return LS_ERR_NOMEM;
    c->src = src;
    c->line = 1;
    c->sep = ',';
    c->cap = LS__CSV_CHUNK;
    c->buf = ls__malloc(c->cap);
    /* The small per-record arrays are made here, next to the reader,
     * rather than at the first record that needs them: a block malloc'd
     * half-way through an ingest lands at the top of the heap and keeps
     * the heap from shrinking below it (it cost 11 MB of peak RSS). */
    if (!c->buf || ls__grow((void **)&c->f, &c->fcap, 64, sizeof *c->f) ||
        ls__grow((void **)&c->unesc, &c->unesccap, 64, sizeof *c->unesc)) {
        ls__csv_free(c);
        return LS_ERR_NOMEM;
    }
    *out = c;
    return LS_OK;
}

void ls__csv_free(ls__csv *c)
{
    if (!c) return;
    ls__free(c->buf);
    ls__free(c->f);
    ls__free(c->unesc);
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
        c->sep = ls__csv_sniff_sep(c->buf + c->pos, c->end - c->pos);
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

/* The next sep, '"' or '\n' in [p, e), or e.  16 bytes at a time with
 * SSE2 (baseline on x86-64), byte by byte elsewhere and for the tail: this
 * is the reader's inner loop, one call per field. */
static inline char *scan3(char *p, char *e, char sep)
{
#ifdef __SSE2__
    const __m128i cc = _mm_set1_epi8(sep), cq = _mm_set1_epi8('"'), cn = _mm_set1_epi8('\n');
    while (e - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, cc), _mm_cmpeq_epi8(v, cq)),
                                 _mm_cmpeq_epi8(v, cn));
        int bits = _mm_movemask_epi8(m);
        if (bits) return p + __builtin_ctz((unsigned)bits);
        p += 16;
    }
#endif
    while (p < e && *p != sep && *p != '"' && *p != '\n') p++;
    return p;
}

/* Parse outcomes. */
enum { P_MORE = 0, P_DONE = 1, P_RUNAWAY = 2 };
/* Field flags. */
enum { F_UNESC = 1 };

/* Records field nf as a slice of the buffer, and its index among those
 * to unquote once the record is complete (*nu of them so far).  A record
 * cut short by the end of the buffer is parsed again from its start after
 * the refill, so slices of a partial record are never used. */
static inline int push_field(ls__csv *c, size_t nf, const char *p, size_t len, size_t flags,
                             size_t *nu)
{
    if (nf >= c->fcap && need_fields(c, nf + 1) != LS_OK) return -1;
    c->f[nf] = (ls__str){ p, len };
    if (flags) {
        if (*nu >= c->unesccap &&
            ls__grow((void **)&c->unesc, &c->unesccap, *nu + 1, sizeof *c->unesc) != LS_OK)
            return -1;
        c->unesc[(*nu)++] = nf;
    }
    return 0;
}

/* Unquotes a field in place: before the closing quote "" is one quote and
 * a lone quote closes; after it every byte is literal.  Returns the new
 * length.  Only ever run once the record is known to be complete, so a
 * re-parse after a refill always sees the original bytes. */
static size_t unescape(char *s, size_t n)
{
    char *r = s, *w = s, *e = s + n;
    int in_q = 1;
    while (r < e) {
        if (in_q && *r == '"') {
            if (r + 1 < e && r[1] == '"') { *w++ = '"'; r += 2; }
            else { in_q = 0; r++; }
        } else {
            *w++ = *r++;
        }
    }
    return (size_t)(w - s);
}

/* Parses the record at buf[pos].  Fields are recorded as slices of buf
 * as they are found; nothing in buf is written until the record is known
 * to be complete.  at_eof means buf[end] is the end of input; line_mode
 * means every newline ends the record (recovery from a stray quote).
 * Returns P_MORE, P_DONE, P_RUNAWAY, or -1 on allocation failure. */
static inline __attribute__((always_inline)) int
parse_record_sep(ls__csv *c, ls__csv_row *row, int at_eof, int line_mode, const char sep)
{
    char *b = c->buf, *p = b + c->pos, *e = b + c->end;
    size_t nf = 0, inner_nl = 0, nu = 0;
    int bad = line_mode;
    for (;;) {
        char *cs, *fe;
        size_t flags = 0;
        if (p < e && *p == '"') {
            cs = ++p;
            for (;;) {
                char *q = memchr(p, '"', (size_t)(e - p));
                char *lim = q ? q : e;
                if (line_mode) {
                    char *nl = memchr(p, '\n', (size_t)(lim - p));
                    if (nl) {               /* unterminated within the line */
                        fe = (nl > cs && nl[-1] == '\r') ? nl - 1 : nl;
                        p = nl;
                        bad = 1;
                        goto field_end;
                    }
                }
                if (!q) {
                    if (!at_eof)
                        return (!line_mode && (size_t)(e - (b + c->pos)) > LS__CSV_RUNAWAY)
                               ? P_RUNAWAY : P_MORE;
                    /* Unterminated quote at end of input: close it here. */
                    inner_nl += count_nl(p, (size_t)(e - p));
                    fe = p = e;
                    bad = 1;
                    goto field_end;
                }
                inner_nl += count_nl(p, (size_t)(q - p));
                if (q + 1 == e && !at_eof) return P_MORE;
                if (q + 1 < e && q[1] == '"') { flags = F_UNESC; p = q + 2; continue; }
                p = q + 1;
                break;
            }
            /* After the closing quote: a delimiter, or stray text. */
            fe = p - 1;
            if (p == e || *p == sep || *p == '\n') goto field_end;
            if (*p == '\r') {
                if (p + 1 == e && !at_eof) return P_MORE;
                if (p + 1 == e || p[1] == '\n') { p++; goto field_end; }
            }
            bad = 1;        /* `"abc"def`: keep def, like Python's csv */
            flags = F_UNESC;
        } else {
            cs = p;
        }
        /* Unquoted field, or the rest of a field after stray text: a quote
         * here is kept literally and flagged. */
        for (;;) {
            char *s = scan3(p, e, sep);
            if (s == e) {
                if (!at_eof) return P_MORE;
                fe = e;
                if (fe > cs && fe[-1] == '\r') fe--;
                p = e;
                break;
            }
            if (*s == '"') { bad = 1; p = s + 1; continue; }
            fe = s;
            if (*s == '\n' && fe > cs && fe[-1] == '\r') fe--;
            p = s;
            break;
        }
    field_end:
        if (push_field(c, nf, cs, (size_t)(fe - cs), flags, &nu)) return -1;
        nf++;
        if (p == e) break;              /* only reached at end of input */
        if (*p == sep) {
            p++;
            if (p == e) {
                if (!at_eof) return P_MORE;
                if (push_field(c, nf, p, 0, 0, &nu)) return -1;
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
    for (size_t k = 0; k < nu; k++) {
        ls__str *f = &c->f[c->unesc[k]];
        /* The field lies in buf, which is ours to write. */
        f->n = unescape(b + (f->p - b), f->n);
    }
    row->n = nf;
    row->f = c->f;
    row->line = c->line;
    row->bad_quoting = bad;
    c->line += 1 + inner_nl;
    c->pos = (size_t)(p - b);
    return P_DONE;
}

/* One copy of the parser per delimiter, each with it as a constant: the
 * comma's is the reader's hot loop, and a delimiter read from memory cost
 * it 1% more instructions. */
static int parse_record(ls__csv *c, ls__csv_row *row, int at_eof, int line_mode)
{
    if (c->sep == '\t') return parse_record_sep(c, row, at_eof, line_mode, '\t');
    if (c->sep == ';') return parse_record_sep(c, row, at_eof, line_mode, ';');
    return parse_record_sep(c, row, at_eof, line_mode, ',');
}

char ls__csv_sniff_sep(const char *p, size_t n)
{
    size_t k[3] = { 0, 0, 0 };          /* ',', '\t', ';' */
    int quoted = 0;
    for (size_t i = 0; i < n && (quoted || p[i] != '\n'); i++) {
        if (p[i] == '"') quoted = !quoted;
        else if (!quoted) k[0] += p[i] == ',', k[1] += p[i] == '\t', k[2] += p[i] == ';';
    }
    if (k[1] > k[0] && k[1] >= k[2]) return '\t';
    if (k[2] > k[0] && k[2] > k[1]) return ';';
    return ',';
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
        int r = parse_record(c, row, c->eof, line_mode);
        if (r < 0) return LS_ERR_NOMEM;
        if (r == P_DONE) return LS_OK;
        if (r == P_RUNAWAY) { line_mode = 1; continue; }
        /* P_MORE: read on and parse the record again from its start. */
        if ((rc = refill(c)) != LS_OK) return rc;
    }
}
