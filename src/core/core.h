/*
 * core.h — internal foundation shared by every stage: allocation, arenas,
 * byte strings, the string interner, hashing, error reporting on the
 * context, atomic file output and progress.  Nothing here knows about
 * posts or accounts.
 */
#ifndef LS_CORE_H
#define LS_CORE_H

#include "lockstep.h"
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define LS__NONE UINT32_MAX          /* "no id" in every dense-id column */
#define LS__TIME_NONE INT64_MIN       /* unknown time */

#define LS__UNUSED(x) ((void)(x))
#define LS__MIN(a, b) ((a) < (b) ? (a) : (b))
#define LS__MAX(a, b) ((a) > (b) ? (a) : (b))

/* ---- the context (definition shared inside the library) ---- */
struct ls_ctx {
    char message[1024];
    int threads;
    uint64_t memory;
    FILE *progress;
    char tmpdir[512];
    unsigned ingest_skip;   /* LS__SKIP_* bits: post fields ingest leaves
                               out (set by `network` on raw files) */
    int ingest_temp;        /* the store ingest writes is a temporary one
                               of this process (ls__ingest_temp): no fsync */
};
/* Post fields ls__env_post may leave out when no later stage of the run
 * reads them (a projection ingest).  Ids (posts, accounts, mentions,
 * targets), times and kinds are always kept, so the dense ids of every
 * account that posts or is mentioned are those of a full ingest. */
enum {
    LS__SKIP_TEXT = 1,      /* text */
    LS__SKIP_TAGS = 2,      /* hashtags */
    LS__SKIP_LINKS = 4,     /* urls and domains */
    LS__SKIP_IMAGES = 8,    /* images */
    LS__SKIP_PROFILE = 16,  /* display name, lang, client, counts, profile */
    LS__SKIP_NAMES = 32     /* screen names (also of "RT @name" targets,
                               so no "@name" accounts are made for them) */
};
/* Records a formatted detail message on ctx and returns status, so callers
 * can write `return ls__fail(ctx, LS_ERR_PARSE, "%s:%zu: ...", f, line);`. */
int ls__fail(ls_ctx *ctx, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int ls__threads(const ls_ctx *ctx);        /* resolved thread count >= 1 */
uint64_t ls__memory_budget(const ls_ctx *ctx); /* resolved budget in bytes */
const char *ls__tmpdir(const ls_ctx *ctx);

/* ---- allocation: the one entry point (tests can inject failures) ---- */
void *ls__malloc(size_t n);
void *ls__calloc(size_t n, size_t size);
void *ls__realloc(void *p, size_t n);
void  ls__free(void *p);
char *ls__strdup(const char *s);
/* Test hook: fail the k-th allocation from now (0 = never). */
void ls__alloc_fail_after(uint64_t k);
/* Grows *arr (element size elem) so that it holds at least need elements;
 * *cap is updated.  Returns LS_OK or LS_ERR_NOMEM. */
int ls__grow(void **arr, size_t *cap, size_t need, size_t elem);

/* ---- byte strings (not NUL-terminated) ---- */
typedef struct { const char *p; size_t n; } ls__str;
#define LS__S(lit) ((ls__str){ (lit), sizeof(lit) - 1 })
static inline ls__str ls__str_c(const char *s) { ls__str r = { s, s ? strlen(s) : 0 }; return r; }
static inline bool ls__str_eq(ls__str a, ls__str b) { return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0); }
static inline bool ls__str_eqc(ls__str a, const char *b) { return ls__str_eq(a, ls__str_c(b)); }

/* Growable byte buffer. */
typedef struct { char *p; size_t n, cap; } ls__buf;
int  ls__buf_put(ls__buf *b, const void *p, size_t n);
int  ls__buf_putc(ls__buf *b, char c);
int  ls__buf_printf(ls__buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ls__buf_free(ls__buf *b);

/* ---- arena: bulk allocations freed at once ---- */
typedef struct ls__arena_block ls__arena_block;
typedef struct { ls__arena_block *head; size_t used, cap; } ls__arena;
void *ls__arena_alloc(ls__arena *a, size_t n);   /* 8-byte aligned, NULL on OOM */
void  ls__arena_free(ls__arena *a);

/* ---- hashing (xxHash, fixed seeds: results never vary between runs) ---- */
uint64_t ls__hash64(const void *p, size_t n, uint64_t seed);

/* ---- string interner: each distinct byte string gets a dense id 0..n-1 in
 *      first-seen order.  Strings are kept in one contiguous blob with an
 *      offset table, which is exactly what the store writes to disk. ---- */
typedef struct ls__intern {
    ls__buf blob;          /* all strings back to back */
    uint64_t *off;         /* off[i]..off[i+1] is string i; n+1 entries */
    size_t n, off_cap;
    uint32_t *slots;       /* open-addressing table of id+1 (0 = empty) */
    uint64_t *slot_hash;   /* cached hash per slot */
    size_t n_slots;
} ls__intern;
void ls__intern_init(ls__intern *in);
void ls__intern_free(ls__intern *in);
/* Id of s, adding it if new.  *out gets the id.  LS_ERR_LIMIT past 2^32-2. */
int  ls__intern_put(ls__intern *in, ls__str s, uint32_t *out);
/* Id of s or LS__NONE. */
uint32_t ls__intern_find(const ls__intern *in, ls__str s);
static inline ls__str ls__intern_get(const ls__intern *in, uint32_t id) {
    ls__str r = { in->blob.p + in->off[id], (size_t)(in->off[id + 1] - in->off[id]) };
    return r;
}

/* ---- spill files (spill.c): an unlinked temporary file in dir (never
 *      visible under a name once this returns), whole writes and reads.
 *      They return LS_OK or LS_ERR_IO with errno set. ---- */
int ls__spill_open(const char *dir, int *fd);
int ls__spill_write(int fd, const void *p, size_t n);
int ls__spill_pread(int fd, void *p, size_t n, uint64_t off);
/* Overwrites n bytes at off (a row of a spill file). */
int ls__spill_pwrite(int fd, const void *p, size_t n, uint64_t off);

/* ---- atomic output: write to PATH.tmp.PID, fsync, rename over PATH ---- */
typedef struct ls__afile {
    FILE *f;
    char *path, *tmp;
    int nosync;             /* set after open: commit skips the fsync (a
                               temporary file this process deletes) */
} ls__afile;
int  ls__afile_open(ls_ctx *ctx, ls__afile *af, const char *path);
/* Flushes, checks for write errors (disk full), fsyncs, renames. */
int  ls__afile_commit(ls_ctx *ctx, ls__afile *af);
/* Removes the temporary file; safe after commit or on a zeroed afile. */
void ls__afile_abort(ls__afile *af);

/* ---- UTF-8 ---- */
/* Length of the valid UTF-8 prefix of s (stops at the first bad byte). */
size_t ls__utf8_valid_prefix(const char *s, size_t n);
/* Appends s to b with every invalid sequence replaced by U+FFFD;
 * *repaired is set to the number of replacements. */
int ls__utf8_repair(ls__buf *b, const char *s, size_t n, size_t *repaired);

/* ---- progress on a terminal ---- */
void ls__progress(ls_ctx *ctx, const char *stage, uint64_t done, uint64_t total);
void ls__progress_end(ls_ctx *ctx);

/* ---- large buffers (bigmem.c) ---- */
/* Asks the kernel for transparent huge pages on a large buffer from
 * ls__malloc (a hint only: on a VM each 4 KiB page fault is expensive,
 * and the co-action buffers are touched once, sequentially). */
void ls__big_hint(void *p, size_t n);
/* ls__malloc + ls__big_hint. */
void *ls__big_malloc(size_t n);
/* ls__grow for large arrays: doubles; from 4 MiB on it is ls__col_grow
 * (below), so that growing never copies a large block. */
int ls__big_grow(void **arr, size_t *cap, size_t need, size_t elem);
/* Large growing arrays (the builder's pool blobs, offsets, slots, event
 * and list columns; co-action buffers) live on transparent huge pages.  On this VM every 4 KiB
 * page fault and TLB miss is expensive: writing the store from 4 KiB
 * pages alone ran at 450 MB/s against 4 GB/s from huge pages.  Huge pages
 * need 2 MiB-aligned mappings, so a column of 4 MiB or more is its own
 * glibc mapping of an exact multiple of 2 MiB (which the kernel places on
 * a 2 MiB boundary, and which mremap keeps on one as the column grows),
 * at least 34 MiB of address space (above glibc's dynamic mmap
 * threshold; untouched pages cost no memory).  ls__col_bytes gives the
 * size to allocate for bytes; ls__col_resize moves *arr (old_bytes of
 * content) to a block of at least new_bytes (*got gets its size);
 * ls__col_grow is ls__grow for such columns (*cap may exceed the
 * doubling). */
size_t ls__col_bytes(size_t bytes);
int ls__col_resize(void **arr, size_t old_bytes, size_t new_bytes, size_t *got);
int ls__col_grow(void **arr, size_t *cap, size_t need, size_t elem);


/* ---- disjoint sets (unionfind.c): p[i] = i to start; the root of a set is
 * its smallest id ---- */
uint32_t ls__uf_find(uint32_t *p, uint32_t x);
void ls__uf_union(uint32_t *p, uint32_t a, uint32_t b);

#endif /* LS_CORE_H */
