/*
 * xdedup.h — first-seen interning on disk (private to src/store): the
 * strings a frozen pool (pool.h) could not place get their final dense
 * ids here, once the input is read, with memory bounded whatever the
 * number of strings.
 *
 * The result is exactly what an in-memory first-seen interner would give:
 * the distinct strings (compared byte by byte, never by hash alone) are
 * numbered first, first + 1, ... in the order of their first occurrence,
 * and every occurrence gets its string's id.  An occurrence flagged EVENT
 * (a post's own id) whose string had an earlier EVENT occurrence comes
 * back flagged DUP; ORPHAN is passed through and counts for first-seen
 * order like any other occurrence.
 *
 * How (xdedup.c, xdedup_io.c, xdedup_resolve.c, xdedup_assign.c):
 * ls__xd_add appends each occurrence to one of P partitions chosen by its
 * hash (all occurrences of a string land in the same one) and the
 * partition's number to a tape (one byte an occurrence).  ls__xd_resolve
 * then takes one partition at a time through an in-memory hash table of
 * its distinct strings, marking each occurrence as its string's first or
 * giving the local number of its string; a partition whose distinct
 * strings do not fit the budget is split on more hash bits and done piece
 * by piece.  The ids follow without any table over all occurrences or
 * strings: a walk of the tape numbers the first occurrences in occurrence
 * order and deals the ids to their partitions' streams, and each
 * partition then rewrites its occurrences with their final ids (its own
 * strings' ids in a table, split partitions part by part).
 * ls__xd_each / ls__xd_next read the partitions back in occurrence order
 * through the tape.  All streams are blocks in two unlinked temporary
 * files (two descriptors however many partitions), read and written
 * sequentially a block at a time.
 *
 * Memory, with B the resolution budget (ls__xd_budget; by default
 * min(256 MiB, memory budget / 8)), P the partitions (by default 256),
 * K = clamp(8 MiB / P, 16 KiB, 1 MiB) the block size (at most B / 16
 * when ls__xd_budget sets a small B) and L the longest
 * string: while adding, (P + 1) * K; while resolving, the larger of
 * B + (66 + D) * K + 64 KiB + 2L (the partitions' tables) and
 * (2P + 1) * K (the ids' distribution), then B / 18 + (67 + D) * K
 * (the final streams), all freed when ls__xd_resolve returns, where D is
 * the depth of splitting (0 unless a partition's distinct strings pass
 * B; each level divides by up to 64, and at most 24 levels), plus 2.6 KB
 * per split until ls__xd_resolve returns (a split is some B / 2 of
 * distinct strings: a few KB even for billions); ls__xd_each /
 * ls__xd_next, (2P + 1) * K + L each (each has its own read position).
 * Nothing grows with the number of occurrences or distinct strings.  The
 * temporary files hold about the strings' bytes plus 5 to 19 bytes an
 * occurrence (more while a split partition is resolved, whose copies and
 * long strings stay until ls__xd_resolve returns); a decimal number of 9
 * to 19 digits without a leading zero (a post id) is kept as its 8-byte
 * value, so 20M post ids take 0.3 GB, not 0.5.
 *
 * Errors are reported through ls__fail on the context, naming the folder
 * of the temporary files; after a failure the object can only be freed.
 */
#ifndef LS_STORE_XDEDUP_H
#define LS_STORE_XDEDUP_H

#include "../core/core.h"

typedef struct ls__xd ls__xd;

#define LS__XD_EVENT  1u  /* the occurrence is a post's own id (an event) */
#define LS__XD_ORPHAN 2u  /* no column holds this occurrence (passed through to next) */
#define LS__XD_DUP    4u  /* output only: an EVENT occurrence whose string had an earlier EVENT occurrence */

/* first: the first id to give (the frozen pool's string count); dir: the
 * folder of the unlinked temporary files (must outlive nothing: it is
 * copied).  LS_ERR_IO if no file can be created there. */
int  ls__xd_new(ls_ctx *ctx, const char *dir, uint32_t first, ls__xd **out);
void ls__xd_free(ls__xd *x);
/* The context later failures are reported on (the thread's that calls). */
void ls__xd_set_ctx(ls__xd *x, ls_ctx *ctx);
/* Occurrence k (k = the number of adds before this one) of string s
 * (s.n > 0: an empty string is LS_ERR_INTERNAL and is not added); h =
 * ls__pool_hash(s), computed by the caller (any value works, but all
 * occurrences of a string must pass the same one).  flags: EVENT and/or
 * ORPHAN.  Strings of any length. */
int  ls__xd_add(ls__xd *x, ls__str s, uint64_t h, unsigned flags);
uint64_t ls__xd_count(const ls__xd *x);           /* occurrences added */
/* Once, after the last add.  LS_ERR_LIMIT (with a message) when an id
 * would pass UINT32_MAX - 3, i.e. first + distinct > UINT32_MAX - 2. */
int  ls__xd_resolve(ls__xd *x);
uint64_t ls__xd_distinct(const ls__xd *x);        /* distinct strings: ids first .. first+distinct-1 */
uint64_t ls__xd_bytes(const ls__xd *x);           /* their total bytes */
/* The distinct strings in id order (= order of first occurrence); may be
 * called several times and between calls of ls__xd_next (it has its own
 * read position).  A nonzero return of fn stops the walk and is
 * returned. */
int  ls__xd_each(ls__xd *x, int (*fn)(void *u, ls__str s), void *u);
/* The same walk giving only the strings' lengths (for an offset table):
 * it reads no string, only a few bytes an occurrence, about a tenth of
 * what ls__xd_each reads for post ids. */
int  ls__xd_each_len(ls__xd *x, int (*fn)(void *u, uint64_t n), void *u);
/* The occurrences in add order, one per call: final id, flags (EVENT /
 * ORPHAN as added, plus DUP), and, if s != NULL, the string (valid until
 * the next call).  Returns LS_OK, or LS_ERR_* on I/O failure; calling
 * past the last occurrence is LS_ERR_INTERNAL.  Calls with s == NULL do
 * not read the strings at all.  ls__xd_rewind() starts over. */
int  ls__xd_next(ls__xd *x, uint32_t *id, unsigned *flags, ls__str *s);
int  ls__xd_rewind(ls__xd *x);
/* The string of the occurrence ls__xd_next returned last (valid until the
 * next call), also when next was called with s == NULL: a caller that
 * needs the strings of a few occurrences only (the DUP ones) calls next
 * without s and this for those; the strings in between are then skipped,
 * not copied.  LS_ERR_INTERNAL before the first next. */
int  ls__xd_string(ls__xd *x, ls__str *s);
/* The in-memory budget of one partition's resolution (at least 1 KiB)
 * and the partition count (1 to 256; 0 keeps the current one).  Before
 * the first add it also sets the block size; after, only the budget
 * changes.  For tests and tuning. */
void ls__xd_budget(ls__xd *x, size_t bytes, unsigned partitions);
/* Tests only: replaces the internal 64-bit string hash by one of 4 values
 * (from the length), so that distinct strings collide all the time and
 * only the byte comparison tells them apart (a partition that needs
 * splitting then fails with LS_ERR_INTERNAL: hashes cannot split it). */
void ls__xd_weak_hash(ls__xd *x);

#endif /* LS_STORE_XDEDUP_H */
