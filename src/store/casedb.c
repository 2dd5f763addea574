/*
 * casedb.c — opening the case database safely: checks that an existing
 * file is lockstep's before SQLite may write to it, refuses schemas newer
 * than this program, switches to WAL, sets the busy timeout and migrates
 * older schemas in one BEGIN IMMEDIATE transaction.  Also the small
 * transaction helpers every other casedb_*.c file uses.
 */
#include "casedb.h"
#include <errno.h>
#include <sys/stat.h>

int ls__casedb_err(ls_ctx *ctx, ls_casedb *db, int rc, const char *what)
{
    int code = rc & 0xff;
    const char *path = db && db->path ? db->path : "case database";
    const char *msg = db && db->db ? sqlite3_errmsg(db->db) : sqlite3_errstr(rc);
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        return ls__fail(ctx, LS_ERR_BUSY, "%s: %s: the database is locked by another "
                        "writer (try again when it has finished)", path, what);
    if (code == SQLITE_NOMEM) return ls__fail(ctx, LS_ERR_NOMEM, "%s: %s: out of memory", path, what);
    if (code == SQLITE_NOTADB)
        return ls__fail(ctx, LS_ERR_FORMAT, "%s is not a lockstep case database (not an SQLite file)", path);
    if (code == SQLITE_CORRUPT)
        return ls__fail(ctx, LS_ERR_CORRUPT, "%s: %s: %s", path, what, msg);
    if (code == SQLITE_FULL || code == SQLITE_IOERR || code == SQLITE_CANTOPEN ||
        code == SQLITE_READONLY || code == SQLITE_PERM)
        return ls__fail(ctx, LS_ERR_IO, "%s: %s: %s", path, what, msg);
    if (code == SQLITE_CONSTRAINT) return ls__fail(ctx, LS_ERR_USAGE, "%s: %s: %s", path, what, msg);
    return ls__fail(ctx, LS_ERR_INTERNAL, "%s: %s: %s", path, what, msg);
}

int ls__casedb_exec(ls_ctx *ctx, ls_casedb *db, const char *sql)
{
    int rc = sqlite3_exec(db->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? LS_OK : ls__casedb_err(ctx, db, rc, "cannot update");
}

int ls__casedb_prepare(ls_ctx *ctx, ls_casedb *db, const char *sql, sqlite3_stmt **st)
{
    int rc = sqlite3_prepare_v2(db->db, sql, -1, st, NULL);
    return rc == SQLITE_OK ? LS_OK : ls__casedb_err(ctx, db, rc, "cannot prepare a query");
}

int ls__casedb_begin(ls_ctx *ctx, ls_casedb *db)
{
    int rc = sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK) return ls__casedb_err(ctx, db, rc, "cannot start a write");
    db->in_tx = 1;
    return LS_OK;
}

int ls__casedb_commit(ls_ctx *ctx, ls_casedb *db)
{
    int rc = sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        int st = ls__casedb_err(ctx, db, rc, "cannot commit");
        ls__casedb_rollback(db);
        return st;
    }
    db->in_tx = 0;
    return LS_OK;
}

void ls__casedb_rollback(ls_casedb *db)
{
    if (db && db->db && db->in_tx) sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    if (db) db->in_tx = 0;
}

/* Reads one integer pragma. */
static int pragma_int(ls_ctx *ctx, ls_casedb *db, const char *sql, int64_t *v)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) { *v = sqlite3_column_int64(st, 0); rc = SQLITE_OK; }
    else if (rc == SQLITE_DONE) { *v = 0; rc = SQLITE_OK; }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? LS_OK : ls__casedb_err(ctx, db, rc, "cannot read the schema");
}

/* Checks the first bytes of an existing non-empty file without SQLite, so
 * a text file is refused before any library touches it. */
static int check_header(ls_ctx *ctx, const char *path, int *empty)
{
    FILE *f = fopen(path, "rb");
    if (!f) return ls__fail(ctx, LS_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    char h[16];
    size_t got = fread(h, 1, sizeof h, f);
    fclose(f);
    *empty = got == 0;
    if (got == 0) return LS_OK;
    if (got < 16 || memcmp(h, "SQLite format 3", 16) != 0)
        return ls__fail(ctx, LS_ERR_FORMAT, "%s is not a lockstep case database "
                        "(not an SQLite file); choose another file with --db", path);
    return LS_OK;
}

/* Brings the schema from version `from` to LS__CASEDB_VERSION inside one
 * write transaction; the version is read again under the lock because
 * another process may have migrated in between. */
static int migrate(ls_ctx *ctx, ls_casedb *db)
{
    int st = ls__casedb_begin(ctx, db);
    if (st != LS_OK) return st;
    int64_t v = 0, app = 0;
    if ((st = pragma_int(ctx, db, "PRAGMA user_version", &v)) != LS_OK) goto done;
    if ((st = pragma_int(ctx, db, "PRAGMA application_id", &app)) != LS_OK) goto done;
    if (app != 0 && app != LS__CASEDB_APP_ID) {
        st = ls__fail(ctx, LS_ERR_FORMAT, "%s is not a lockstep case database", db->path);
        goto done;
    }
    for (int64_t k = v + 1; k <= LS__CASEDB_VERSION; k++)
        if ((st = ls__casedb_exec(ctx, db, ls__casedb_migration((int)k))) != LS_OK) goto done;
    char sql[96];
    snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d",
             LS__CASEDB_APP_ID, LS__CASEDB_VERSION);
    if ((st = ls__casedb_exec(ctx, db, sql)) != LS_OK) goto done;
    st = ls__casedb_commit(ctx, db);
done:
    if (st != LS_OK) ls__casedb_rollback(db);
    return st;
}

int ls_casedb_open(ls_ctx *ctx, const char *path, int flags, int busy_ms, ls_casedb **out)
{
    int st = LS_OK, rc, empty = 1;
    ls_casedb *db = NULL;
    struct stat sb;
    *out = NULL;
    if (!path || !*path) path = "lockstep.db";
    int exists = stat(path, &sb) == 0;
    if (!exists && (flags & LS_CASEDB_MUST_EXIST))
        return ls__fail(ctx, LS_ERR_NOTFOUND, "no case database at %s", path);
    if (exists && S_ISDIR(sb.st_mode))
        return ls__fail(ctx, LS_ERR_FORMAT, "%s is a folder, not a lockstep case database", path);
    if (exists && (st = check_header(ctx, path, &empty)) != LS_OK) return st;

    db = ls__calloc(1, sizeof *db);
    if (!db || !(db->path = ls__strdup(path))) { st = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
    rc = sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) { st = ls__casedb_err(ctx, db, rc, "cannot open"); goto done; }
    sqlite3_extended_result_codes(db->db, 0);
    sqlite3_busy_timeout(db->db, busy_ms > 0 ? busy_ms : LS__CASEDB_BUSY_MS);

    /* Validate before any write: these reads never change the file. */
    int64_t app = 0, ver = 0, pages = 0;
    if ((st = pragma_int(ctx, db, "PRAGMA application_id", &app)) != LS_OK) goto done;
    if ((st = pragma_int(ctx, db, "PRAGMA user_version", &ver)) != LS_OK) goto done;
    if ((st = pragma_int(ctx, db, "PRAGMA page_count", &pages)) != LS_OK) goto done;
    if (!empty && pages > 0 && app != LS__CASEDB_APP_ID) {
        st = ls__fail(ctx, LS_ERR_FORMAT, "%s is an SQLite database but not a lockstep case "
                      "database (application_id %lld); choose another file with --db",
                      path, (long long)app);
        goto done;
    }
    if (ver > LS__CASEDB_VERSION) {
        st = ls__fail(ctx, LS_ERR_FORMAT, "%s has case database schema version %lld, newer "
                      "than this program's %d; use a newer lockstep", path, (long long)ver,
                      LS__CASEDB_VERSION);
        goto done;
    }
    /* WAL lets readers (the console, a second analyst) work while a run
     * writes; the mode is persistent, so this is a no-op after the first
     * time. */
    sqlite3_stmt *wal = NULL;
    rc = sqlite3_prepare_v2(db->db, "PRAGMA journal_mode = WAL", -1, &wal, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(wal);
    sqlite3_finalize(wal);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) { st = ls__casedb_err(ctx, db, rc, "cannot switch to WAL"); goto done; }
    if ((st = ls__casedb_exec(ctx, db, "PRAGMA foreign_keys = ON")) != LS_OK) goto done;
    if (ver < LS__CASEDB_VERSION && (st = migrate(ctx, db)) != LS_OK) goto done;
    *out = db;
    db = NULL;
done:
    ls_casedb_close(db);
    return st;
}

void ls_casedb_close(ls_casedb *db)
{
    if (!db) return;
    ls__casedb_rollback(db);
    sqlite3_finalize(db->st_member);
    sqlite3_finalize(db->st_evidence);
    sqlite3_finalize(db->st_shared);
    if (db->db) sqlite3_close_v2(db->db);
    ls__free(db->path);
    ls__free(db);
}
