/*
 * csvrow.h — helpers shared by the CSV-family parsers (io.c, qut.c,
 * csvmap.c): finding columns by header name, checking the fields of a row
 * (over-long fields, invalid UTF-8, bad quoting) and reporting each
 * problem once per row, and recognising "no value" markers in id fields.
 */
#ifndef LS_INGEST_CSVROW_H
#define LS_INGEST_CSVROW_H

#include "ingest.h"

/* Longest field kept; longer ones are truncated (at a UTF-8 boundary) and
 * counted as LS_DIAG_LONG_FIELD.  A tweet is at most a few KiB. */
#define LS__FIELD_MAX (1u << 20)

/* Index of the header column named name (ASCII case-insensitive, spaces
 * around the header cell ignored), or -1. */
int ls__csv_col(const ls__csv_row *hdr, const char *name);

/* A --map SPEC guessed from the header names (csvguess.c) into out; 1 when
 * it names an account and a time column, else 0. */
int ls__csv_guess_map(const ls__csv_row *hdr, char *out, size_t cap);

/* The mapped reader a row at a time (csvmap.c; jsonmap.c feeds it JSON
 * objects): open with the header names (e->map, or a map guessed from
 * them into e->map_guess; what names the names in the error when none can
 * be guessed), then rows of values in header order, then close, which
 * hands on the last post when ok. */
typedef struct map_state ls__csvmap;
int ls__csvmap_open(ls__env *e, const ls__csv_row *hdr, const char *what, ls__csvmap **out);
int ls__csvmap_row(ls__csvmap *m, const ls__str *v, uint64_t line);
int ls__csvmap_close(ls__csvmap *m, int ok);

/* Fixes the n fields in v of the row at line: truncates over-long fields,
 * replaces invalid UTF-8 (repaired copies go to scratch, which is reset
 * first and whose slices stay valid until the next call), and reports
 * LS_DIAG_BAD_QUOTING (when bad_quoting), LS_DIAG_LONG_FIELD and
 * LS_DIAG_BAD_UTF8 at most once each.  Messages name the field by
 * names[i] when names is given, else as "column i+1".  span is the
 * row's raw bytes (ls__row_span): when they are valid UTF-8 and short
 * enough, the per-field checks are skipped.  Returns LS_OK, or the status of
 * ls__env_diag in strict mode, or LS_ERR_NOMEM. */
int ls__fix_fields(ls__env *e, ls__str *v, size_t n, int bad_quoting, ls__str span,
                   ls__buf *scratch, uint64_t line, const char *const *names);
/* True when s[0..n) is all valid UTF-8 (the same answer as
 * ls__utf8_valid_prefix(s, n) == n, about three times faster on x86-64;
 * utf8scan.c). */
bool ls__utf8_all_valid(const char *s, size_t n);
/* The bytes of a CSV row from its first field's start to its last field's
 * end (the reader hands out fields as ordered slices of one buffer), for
 * ls__fix_fields' one-pass check; empty when there is nothing to check. */
ls__str ls__row_span(const ls__csv_row *row);

/* A field that means "no value" in an id/number/time column: empty,
 * "absent", "None", "nan", "NaN", "null", "NULL". */
bool ls__is_null(ls__str s);

/* An id as written by a tool that went through floats: "123.0" -> "123"
 * (only all-digit ids with a ".0" tail); anything else is returned as is,
 * with surrounding spaces trimmed, and a null marker becomes empty. */
ls__str ls__clean_id(ls__str s);

/* ls__env_diag for problems that can occur several times in one row
 * (bad numbers, bad lists): only the first of each reason is reported, so
 * the summary counts rows, not fields.  *said is a bit set of the reasons
 * reported for the current row; the caller clears it per row. */
int ls__row_diag(ls__env *e, unsigned *said, int reason, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The CSV reader's status turned into a message naming the file. */
int ls__csv_fail(ls__env *e, int status, uint64_t line);

#endif /* LS_INGEST_CSVROW_H */
