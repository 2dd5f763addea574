/*
 * jsonutil.h — helpers shared by the two JSON parsers (v1.c, v2.c):
 * reading a source as a sequence of JSON values (one per line, or
 * pretty-printed documents), typed member access over jansson values,
 * and the per-record scratch that turns JSON members into an ls__rec.
 *
 * Why jansson: it is maintained, packaged in Debian (libjansson-dev),
 * fuzzed upstream (OSS-Fuzz), keeps integers as 64-bit json_int_t (so
 * numeric ids never pass through a double) and limits nesting depth, so a
 * hostile line cannot overflow the stack.  docs/ingest.md has figures.
 */
#ifndef LS_INGEST_JSONUTIL_H
#define LS_INGEST_JSONUTIL_H

#include <jansson.h>
#include "ingest.h"

/* ---- reading values ---- */

/* Called once per top-level JSON value.  line is the 1-based line where
 * the value starts.  The value is freed by the reader after the call. */
typedef int (*ls__js_fn)(void *user, json_t *v, uint64_t line);

/* Reads src as JSON lines and calls fn for each value.  Empty lines are
 * counted as LS_DIAG_EMPTY_LINE, lines jansson rejects as LS_DIAG_BAD_JSON,
 * lines that parse only after invalid UTF-8 was replaced by U+FFFD as
 * LS_DIAG_BAD_UTF8 (the row is kept).  When the first non-empty line is
 * an incomplete value (a pretty-printed document starts with "{" or
 * "["), the rest of the source is read into memory and parsed as a
 * sequence of whitespace-separated documents instead; see jsonread.c.
 * Every line read is added to the builder's row count.  Returns LS_OK,
 * the first non-OK status of fn, or a read/strict-mode error. */
int ls__js_read(ls__env *e, ls__src *src, ls__js_fn fn, void *user);

/* Where the rows of a large pretty-printed document are, for a parser
 * that reads them one by one (jsonmap.c): row gets each element of a
 * top-level array or of a top-level object's "messages" array; chat_row
 * each message of a Telegram full-account export's chats (chat: the
 * chat's id, or "chat" + its place in the list when it has no integer
 * id).  Values are freed by the reader after the call. */
typedef struct ls__js_rows {
    int (*row)(void *user, json_t *v, uint64_t line);
    int (*chat_row)(void *user, json_t *v, uint64_t line, const char *chat);
} ls__js_rows;
/* As ls__js_read, but a pretty-printed document past LS__JS_STREAM_AT
 * bytes (LOCKSTEP_JSON_STREAM_AT overrides it, for tests) is read row by
 * row (jsonstream.c) instead of whole: its memory no longer follows its
 * size, and it has no size limit. */
int ls__js_read_rows(ls__env *e, ls__src *src, ls__js_fn fn, const ls__js_rows *rows, void *user);

/* ---- typed access (all NULL-safe) ---- */

/* Member key of object o, or NULL when o is not an object. */
static inline json_t *ls__js_get(const json_t *o, const char *key) {
    return json_is_object(o) ? json_object_get(o, key) : NULL;
}
/* The bytes of a JSON string (NUL bytes included); n == 0 otherwise. */
static inline ls__str ls__js_sv(const json_t *v) {
    ls__str r = { NULL, 0 };
    if (json_is_string(v)) { r.p = json_string_value(v); r.n = json_string_length(v); }
    return r;
}
static inline ls__str ls__js_strm(const json_t *o, const char *key) {
    return ls__js_sv(ls__js_get(o, key));
}

/* Per-record scratch: growable arrays of slices for list fields and an
 * arena for strings made while reading (ids printed from integers,
 * "@name" mentions, unescaped client names).  ls__js_rec_reset empties it
 * between records without giving memory back, except the arena. */
typedef struct ls__js_list { ls__str *v; size_t n, cap; } ls__js_list;
typedef struct ls__js_rec {
    ls__js_list tags, urls, mentions, images;
    ls__arena arena;
    int nomem;              /* an allocation failed while filling */
} ls__js_rec;
void ls__js_rec_reset(ls__js_rec *s);
void ls__js_rec_free(ls__js_rec *s);
/* Appends s (if non-empty) to l; sets sc->nomem on failure. */
void ls__js_push(ls__js_rec *sc, ls__js_list *l, ls__str s);
/* A copy of p[0..n) in the record arena; empty slice on failure. */
ls__str ls__js_dup(ls__js_rec *sc, const char *p, size_t n);

/* An id as text: a JSON string as given, a non-negative JSON integer
 * printed in decimal (exact: jansson keeps integers as 64-bit ints), and
 * nothing for reals, negatives and other types, since a double cannot
 * hold a snowflake exactly. */
ls__str ls__js_id(ls__js_rec *sc, const json_t *v);
/* A count from an integer, an integral real, or a numeric string; -1 when
 * absent or not a count. */
int64_t ls__js_count(const json_t *v);
/* The visible text of an HTML "source" attribute such as
 * <a href="..." rel="nofollow">Twitter for iPhone</a>, with the five XML
 * entities unescaped; plain text is returned unchanged. */
ls__str ls__js_client(ls__js_rec *sc, ls__str src);

/* "@" + the ASCII-lowercased name: how an account known only by its
 * screen name is written in the account namespace (builder_resolve.c
 * makes the same ids for RT @name authors).  Empty for an empty name. */
ls__str ls__js_at_name(ls__js_rec *sc, ls__str name);

/* Fills r's list fields from the scratch lists. */
void ls__js_rec_lists(ls__js_rec *sc, ls__rec *r);

#endif /* LS_INGEST_JSONUTIL_H */
