/*
 * casedb.h — the case database: one SQLite file (default ./lockstep.db)
 * that keeps detect runs (parameters, input checksums, results), the
 * networks they found with members and evidence, archived takedowns with
 * their fingerprints, and analyst decisions.
 *
 * Rules that protect an analyst's file:
 *   - the file is checked before anything is written: a file that is not
 *     SQLite, an SQLite file without lockstep's application_id, or a schema
 *     newer than this program is refused with LS_ERR_FORMAT and left
 *     byte-for-byte untouched;
 *   - WAL journal, a busy timeout, and every write in BEGIN IMMEDIATE, so a
 *     second writer waits up to the timeout and then gets LS_ERR_BUSY
 *     instead of a half-done change;
 *   - the schema version lives in PRAGMA user_version and older files are
 *     migrated step by step inside one transaction.
 */
#ifndef LS_CASEDB_H
#define LS_CASEDB_H

#include "../core/core.h"
#include <sqlite3.h>

#define LS__CASEDB_APP_ID 0x4C53544B      /* "LSTK" */
#define LS__CASEDB_VERSION 2              /* schema version this program writes */
#define LS__CASEDB_BUSY_MS 5000           /* default busy timeout */

struct ls_casedb {
    sqlite3 *db;
    char *path;
    int in_tx;
    /* statements reused for every member of a run (prepared on first use,
     * finalized by ls_casedb_close) */
    sqlite3_stmt *st_member, *st_evidence, *st_shared;
};

/* SQL that takes a database from version v-1 to version v (v >= 1);
 * NULL past LS__CASEDB_VERSION. */
const char *ls__casedb_migration(int v);

/* Maps the last SQLite error of db to a status with a message naming what
 * was being done; SQLITE_BUSY/LOCKED become LS_ERR_BUSY. */
int ls__casedb_err(ls_ctx *ctx, ls_casedb *db, int rc, const char *what);

/* BEGIN IMMEDIATE (waits up to the busy timeout, then LS_ERR_BUSY). */
int ls__casedb_begin(ls_ctx *ctx, ls_casedb *db);
int ls__casedb_commit(ls_ctx *ctx, ls_casedb *db);
/* Rolls back an open transaction; harmless when none is open. */
void ls__casedb_rollback(ls_casedb *db);
/* Runs SQL without results. */
int ls__casedb_exec(ls_ctx *ctx, ls_casedb *db, const char *sql);
/* Prepares a statement; LS_ERR_INTERNAL on SQL errors. */
int ls__casedb_prepare(ls_ctx *ctx, ls_casedb *db, const char *sql, sqlite3_stmt **st);

/* ---- archives ---- */
/* One archived takedown as stored. */
typedef struct ls__archive_row {
    int64_t id;
    char *name, *sources, *fingerprint;   /* fingerprint: JSON text */
    int64_t n_accounts, n_posts;
} ls__archive_row;
void ls__archive_rows_free(ls__archive_row *rows, size_t n);

/* Stores an archive, its fingerprint JSON and member account ids in one
 * transaction.  A name already present is LS_ERR_USAGE. */
int ls__casedb_archive_put(ls_ctx *ctx, ls_casedb *db, const char *name,
                           const char *sources, int64_t n_accounts, int64_t n_posts,
                           const char *fingerprint, const ls__str *members,
                           size_t n_members);
/* All archives ordered by name (fingerprint loaded when with_fp). */
int ls__casedb_archive_all(ls_ctx *ctx, ls_casedb *db, int with_fp,
                           ls__archive_row **rows, size_t *n);
/* Removes an archive; LS_ERR_NOTFOUND when there is none by that name. */
int ls__casedb_archive_rm(ls_ctx *ctx, ls_casedb *db, const char *name);
/* How many of the given account ids are members of archive id. */
int ls__casedb_archive_shared(ls_ctx *ctx, ls_casedb *db, int64_t archive_id,
                              const ls__str *ids, size_t n, uint64_t *shared);

/* ---- runs ---- */
/* Records a run (kind "detect", "assess", "request"); *run_id gets its id.
 * The caller holds a transaction (ls__casedb_begin). */
int ls__casedb_run_add(ls_ctx *ctx, ls_casedb *db, const char *kind,
                       const char *params, const char *inputs, const char *results,
                       int64_t *run_id);
/* Records a network of a run with its summary JSON; *net_id gets its id. */
int ls__casedb_network_add(ls_ctx *ctx, ls_casedb *db, int64_t run_id,
                           const char *label, double score, int64_t n_accounts,
                           const char *summary, int64_t *net_id);
int ls__casedb_member_add(ls_ctx *ctx, ls_casedb *db, int64_t net_id,
                          ls__str userid, const char *role, double score,
                          ls__str evidence);
int ls__casedb_link_add(ls_ctx *ctx, ls_casedb *db, int64_t net_id,
                        const char *archive, double score, const char *reasons);

#endif /* LS_CASEDB_H */
