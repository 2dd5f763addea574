/*
 * arc.h — how ingest gets at text packed in other ways (private to
 * src/ingest): the compressions zlib and zstd do not cover (xdec.c,
 * libarchive), UTF-16 text (utf16.c, ICU), the entries of zip, tar, 7z and
 * rar archives, each read as an input of its own (archive.c), and folders
 * (dirs.c).
 */
#ifndef LS_INGEST_ARC_H
#define LS_INGEST_ARC_H
#include "ingest.h"

/* ---- bzip2, xz, lzip, lz4 ---- */
typedef struct ls__xdec ls__xdec;
/* Hands out the next window of raw (compressed) bytes, valid until the
 * next call; *n = 0 at the end. */
typedef int (*ls__xdec_pull)(void *u, const void **p, size_t *n);
/* Bytes ls__xdec_magic needs to decide. */
#define LS__XDEC_MAGIC_MAX 6
/* The compression's name when p starts with its magic bytes, else NULL. */
const char *ls__xdec_magic(const unsigned char *p, size_t n);
int  ls__xdec_open(ls_ctx *ctx, const char *name, const char *kind, ls__xdec_pull pull, void *u,
                   ls__xdec **out);
/* Decompressed bytes; *got = 0 at the end.  Damaged or truncated data is
 * LS_ERR_IO naming the input. */
int  ls__xdec_read(ls__xdec *x, void *buf, size_t cap, size_t *got);
void ls__xdec_close(ls__xdec *x);

/* ---- UTF-16 text with a byte-order mark ---- */
typedef struct ls__u16 ls__u16;
/* 1 for a little-endian mark (FF FE), 2 for a big-endian one, else 0. */
/* 1 (little-endian) or 2 (big-endian) if p[0..n) starts UTF-16 text:
 * with a byte-order mark, or without one when it starts with 16 ASCII
 * characters in UTF-16 (utf16.c); else 0. */
int  ls__u16_sniff(const unsigned char *p, size_t n);
int  ls__u16_bom(const unsigned char *p, size_t n);
int  ls__u16_open(ls_ctx *ctx, const char *name, int order, ls__xdec_pull pull, void *u, ls__u16 **out);
/* UTF-8 text, the mark left out; *got = 0 at the end. */
int  ls__u16_read(ls__u16 *x, void *buf, size_t cap, size_t *got);
/* Sequences replaced by U+FFFD so far (unpaired surrogates, an odd byte). */
uint64_t ls__u16_bad(const ls__u16 *x);
void ls__u16_close(ls__u16 *x);

/* ---- archives ---- */
/* Whether the first decompressed bytes of an input are a zip, tar, 7z or
 * rar archive. */
int ls__arc_sniff(const char *p, size_t n);

typedef struct ls__arc ls__arc;
/* Opens the archive at path (a regular file: read by libarchive itself,
 * with seeking, and any outer compression), or, when path is NULL, the
 * archive that src streams (stdin, memory: src has undone the outer
 * compression; seekable formats such as 7z need a file).  name is used
 * in messages.  src stays the caller's. */
int ls__arc_open(ls_ctx *ctx, const char *name, const char *path, ls__src *src, ls__arc **out);
/* The next entry that holds data, as a source named "NAME:ENTRY" (control
 * characters in the entry's name shown as '?'); *entry = NULL at the end.
 * Directories, links, macOS metadata (__MACOSX/, ._*, .DS_Store) and media
 * and document files (by name: images, video, pdf...) are skipped and
 * counted.  The source must be closed before the next call.  A damaged
 * archive is LS_ERR_IO naming it. */
int ls__arc_next(ls__arc *a, ls__src **entry);
/* Whether an entry or file name is not data: macOS metadata (__MACOSX/,
 * ._*, .DS_Store), media and documents by their extension (any case), and
 * manifest.json, README*, LICENSE*. */
int ls__arc_skip_name(const char *name);
/* Entries skipped so far, and the first one's name ("" if none). */
size_t ls__arc_skipped(const ls__arc *a, const char **first);
/* Raw bytes read from the archive file so far. */
uint64_t ls__arc_raw_bytes(const ls__arc *a);
void ls__arc_close(ls__arc *a);

/* ---- folders (dirs.c) ---- */
/* The input list with each folder replaced by the files under it
 * (depth first, each folder's names in byte order; hidden, metadata and media
 * files skipped, counted on report when not NULL).  Other paths are kept
 * as they are, for the caller to open.  A folder with no input files is
 * LS_ERR_IO naming it.  Free the list with ls__free_inputs. */
int  ls__expand_inputs(ls_ctx *ctx, const char *const *files, size_t n, FILE *report, char ***out,
                       size_t *n_out);
void ls__free_inputs(char **v, size_t n);
#endif
