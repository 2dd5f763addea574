/*
 * ingest.h — internal interface of the ingest stage: byte sources
 * (files, stdin, .gz, .zst), the streaming CSV record reader, field
 * parsers (times, snowflakes, Python-style lists, numbers, URLs) and one
 * parser per input format.  Parsers turn rows into ls__rec / ls__acct and
 * hand them to ls__env_post / ls__env_account, which normalise URLs and
 * hashtags and feed the store builder.
 */
#ifndef LS_INGEST_H
#define LS_INGEST_H

#include "../core/core.h"
#include "../store/store.h"

/* ---- byte sources ---- */
typedef struct ls__src ls__src;
/* Opens path ("-" = stdin).  gzip and zstd (zlib, libzstd) and bzip2, xz,
 * lzip, lz4 (libarchive) are recognised by their magic bytes
 * (not the file name) and decompressed as streams. */
int  ls__src_open(ls_ctx *ctx, const char *path, ls__src **out);
/* A source whose raw bytes come from rd (*got = 0 at the end; a failure
 * is its status, with the message set on ctx), e.g. an entry of an
 * archive.  The compressions are recognised as for files.  total is the
 * size for progress (0 if unknown). */
typedef int (*ls__src_reader)(void *u, void *buf, size_t cap, size_t *got);
int  ls__src_from(ls_ctx *ctx, const char *name, ls__src_reader rd, void *u, uint64_t total,
                  ls__src **out);
/* Wraps a memory buffer (tests, fuzzers).  name is used in messages. */
int  ls__src_mem(ls_ctx *ctx, const char *name, const void *p, size_t n, ls__src **out);
/* Reads up to cap bytes; *got = 0 means end of input.  A truncated or
 * corrupt compressed stream is LS_ERR_IO with a message naming the file. */
int  ls__src_read(ls__src *s, void *buf, size_t cap, size_t *got);
/* Looks at the first bytes without consuming them (for format detection):
 * *p and *n give up to 64 KiB of decompressed data. */
int  ls__src_peek(ls__src *s, const char **p, size_t *n);
const char *ls__src_name(const ls__src *s);
void ls__src_close(ls__src *s);

/* ---- line reader (JSON lines) ---- */
typedef struct ls__lines ls__lines;
int  ls__lines_new(ls__src *src, ls__lines **out);
/* Next line without its '\n' (and '\r').  *line_no is 1-based.  Returns
 * LS_OK with line->p == NULL at end of input. */
int  ls__lines_next(ls__lines *l, ls__str *line, uint64_t *line_no);
void ls__lines_free(ls__lines *l);

/* ---- CSV (RFC 4180 + what real dumps do) ---- */
typedef struct ls__csv ls__csv;
typedef struct ls__csv_row {
    size_t n;               /* number of fields */
    const ls__str *f;       /* fields, unquoted, "" -> " */
    uint64_t line;          /* 1-based line where the record starts */
    int bad_quoting;        /* a quote problem was repaired in this record */
} ls__csv_row;
int  ls__csv_new(ls__src *src, ls__csv **out);
/* The delimiter of a CSV whose text starts at p: of ',', '\t' and ';', the
 * one its first line holds most often outside quotes; ',' on a tie. */
char ls__csv_sniff_sep(const char *p, size_t n);
/* Next record; row->n == 0 with LS_OK at end of input.  A leading UTF-8 BOM
 * is skipped; CRLF and LF both end records; quoted fields may hold
 * newlines, commas and doubled quotes. */
int  ls__csv_next(ls__csv *c, ls__csv_row *row);
void ls__csv_free(ls__csv *c);

/* ---- field parsers ---- */
/* "YYYY-MM-DD HH:MM[:SS]", ISO-8601 ("2020-01-02T03:04:05.123Z", offsets),
 * v1 "Wed Oct 10 20:19:24 +0000 2018", unix seconds or milliseconds.
 * Returns LS_OK and *ms, or LS_ERR_PARSE. */
int  ls__time_parse(ls__str s, int64_t *ms);
/* Milliseconds encoded in a snowflake id, or LS__TIME_NONE when the id is
 * not a snowflake (not all digits, or before 2010-11-04). */
int64_t ls__snowflake_ms(ls__str id);
/* The time of a post whose id may be a snowflake and whose row may state
 * a time (LS__TIME_NONE when it states none or one that did not parse):
 * the snowflake's exact time when the id is one and agrees with the
 * stated time within a day (or no time is stated), else the stated time.
 * An id that disagrees comes from another numbering (a generator's or
 * another platform's ids that merely look like snowflakes). */
int64_t ls__post_time(ls__str id, int64_t stated_ms);
/* Python-style list: "['a', 'b']", "[a, b]", "[]", "" (empty), or a bare
 * value.  Fills up to cap items (slices of s or of scratch for unescaped
 * items); *n gets the count.  LS_ERR_PARSE on malformed input (items
 * parsed so far are still returned). */
int  ls__list_parse(ls__str s, ls__str *items, size_t cap, size_t *n, ls__buf *scratch);
/* The same, but a bare value (no '[') is split at any byte of seps (a
 * NUL-terminated set; NULL: one item), items trimmed, empty ones dropped:
 * hashtags written "a,b" or "a b", URLs "u1 u2". */
int  ls__list_parse_sep(ls__str s, const char *seps, ls__str *items, size_t cap, size_t *n,
                        ls__buf *scratch);
/* Separators of bare list values: hashtags and account lists cannot hold
 * them; URLs can hold ',' and ';' but never white space. */
#define LS__SEP_TAGS " \t,;|"
#define LS__SEP_URLS " \t"
/* Integer from "12", "12.0", "1e3", "" (-> -1).  LS_ERR_PARSE if not a number. */
int  ls__count_parse(ls__str s, int64_t *v);
/* True/False/true/false/1/0. */
int  ls__bool_parse(ls__str s, int *v);
/* URL normalisation: lowercase scheme and host, no default port, no
 * fragment, tracking parameters (utm_*, fbclid, gclid, igshid, mc_cid,
 * mc_eid, ref_src, si) dropped, bare trailing '/' dropped.  Appends the
 * normalised URL to out and reports the host (lowercase, "www." stripped)
 * as an offset/length inside out.  LS_ERR_PARSE if s has no scheme+host
 * (out then holds s trimmed and host_len = 0). */
int  ls__url_normalise(ls__str s, ls__buf *out, size_t *host_off, size_t *host_len);
/* "RT @name: ..." -> name (slice of text); n == 0 when absent. */
ls__str ls__rt_prefix_name(ls__str text);

/* ---- the parse environment shared by all parsers ---- */
typedef struct ls__env {
    ls_ctx *ctx;
    ls__builder *b;
    int strict;
    const char *file;       /* current input name for messages */
    const char *map;        /* column map for the csv format */
    char map_guess[1024];   /* the map guessed from the header when none was
                               given (csvguess.c); "" when none was guessed */
    ls__buf scratch;        /* normalisation scratch */
    struct ls__envq *q;     /* NULL: posts go straight to b; otherwise the
                               builder runs on a second thread (envq.c) */
    ls__src *src;           /* the input, for the size hint (or NULL) */
    uint64_t posts;         /* posts handed on from this input */
    size_t post_ids0;       /* distinct post ids when this input began */
} ls__env;
/* Normalises hashtags (casefold, strip '#'), URLs and domains of r, then
 * adds it to the builder.  Under strict mode the first repair/reject is
 * an error: parsers report problems through ls__env_diag, which returns
 * LS_ERR_PARSE in strict mode (with the message set) and LS_OK otherwise. */
int  ls__env_post(ls__env *e, ls__rec *r, uint64_t line);
int  ls__env_account(ls__env *e, const ls__acct *a);
int  ls__env_diag(ls__env *e, int reason, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ls_ingest into a temporary store that this process opens and deletes
 * (network, detect and archive on raw files): the same store, written
 * without the fsync (ctx->ingest_temp). */
int ls__ingest_temp(ls_ctx *ctx, const ls_ingest_opts *o, const char *const *files, size_t n,
                    const char *tmp);

/* ---- parsers: each reads a whole source ---- */
int ls__parse_io(ls__env *e, ls__src *src);      /* IO archive tweets or users CSV */
int ls__parse_qut(ls__env *e, ls__src *src);     /* QUT toolkit 8-column CSV */
int ls__parse_csvmap(ls__env *e, ls__src *src);  /* generic CSV + e->map */
int ls__parse_v1(ls__env *e, ls__src *src);      /* API v1.1 JSON lines */
int ls__parse_v2(ls__env *e, ls__src *src);      /* API v2 pages or flat rows */
int ls__parse_jsonmap(ls__env *e, ls__src *src); /* other JSON lines + e->map or a guess */

/* Detects the format from the first bytes: "io", "qut", "v1", "v2", or
 * NULL when it can't tell (a CSV then gets a guessed map, csvguess.c). */
const char *ls__detect_format(const char *p, size_t n);

#endif /* LS_INGEST_H */
