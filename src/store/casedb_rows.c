/*
 * casedb_rows.c — reading and writing the rows of the case database:
 * archives with fingerprints and members, runs, networks, members, links.
 * Archive changes open their own BEGIN IMMEDIATE transaction; run rows are
 * written inside the caller's transaction so that a run and its networks
 * appear together or not at all.
 */
#include "casedb.h"

static int bind_str(sqlite3_stmt *s, int i, ls__str v)
{
    return sqlite3_bind_text(s, i, v.n ? v.p : "", (int)v.n, SQLITE_TRANSIENT);
}

/* Steps a statement that returns no rows, then resets it for reuse. */
static int step_done(ls_ctx *ctx, ls_casedb *db, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? LS_OK : ls__casedb_err(ctx, db, rc, what);
}

int ls__casedb_archive_put(ls_ctx *ctx, ls_casedb *db, const char *name,
                           const char *sources, int64_t n_accounts, int64_t n_posts,
                           const char *fingerprint, const ls__str *members,
                           size_t n_members)
{
    sqlite3_stmt *q = NULL;
    int st = ls__casedb_begin(ctx, db);
    if (st != LS_OK) return st;
    if ((st = ls__casedb_prepare(ctx, db, "SELECT 1 FROM archives WHERE name = ?", &q)) != LS_OK) goto done;
    sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(q) == SQLITE_ROW) {
        st = ls__fail(ctx, LS_ERR_USAGE, "%s: an archive named '%s' already exists "
                      "(remove it first with 'lockstep archive rm %s')", db->path, name, name);
        goto done;
    }
    sqlite3_finalize(q); q = NULL;
    if ((st = ls__casedb_prepare(ctx, db, "INSERT INTO archives(name, sources, n_accounts, "
                                 "n_posts) VALUES(?, ?, ?, ?)", &q)) != LS_OK) goto done;
    sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, sources, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 3, n_accounts);
    sqlite3_bind_int64(q, 4, n_posts);
    if ((st = step_done(ctx, db, q, "cannot add the archive")) != LS_OK) goto done;
    int64_t id = sqlite3_last_insert_rowid(db->db);
    sqlite3_finalize(q); q = NULL;
    if ((st = ls__casedb_prepare(ctx, db, "INSERT INTO fingerprints(archive_id, version, data) "
                                 "VALUES(?, 1, ?)", &q)) != LS_OK) goto done;
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_text(q, 2, fingerprint, -1, SQLITE_TRANSIENT);
    if ((st = step_done(ctx, db, q, "cannot add the fingerprint")) != LS_OK) goto done;
    sqlite3_finalize(q); q = NULL;
    if ((st = ls__casedb_prepare(ctx, db, "INSERT OR IGNORE INTO archive_members(archive_id, "
                                 "userid) VALUES(?, ?)", &q)) != LS_OK) goto done;
    for (size_t i = 0; i < n_members; i++) {
        sqlite3_bind_int64(q, 1, id);
        bind_str(q, 2, members[i]);
        if ((st = step_done(ctx, db, q, "cannot add archive members")) != LS_OK) goto done;
    }
    sqlite3_finalize(q); q = NULL;
    st = ls__casedb_commit(ctx, db);
done:
    sqlite3_finalize(q);
    if (st != LS_OK) ls__casedb_rollback(db);
    return st;
}

void ls__archive_rows_free(ls__archive_row *rows, size_t n)
{
    if (!rows) return;
    for (size_t i = 0; i < n; i++) {
        ls__free(rows[i].name); ls__free(rows[i].sources); ls__free(rows[i].fingerprint);
    }
    ls__free(rows);
}

static char *col_dup(sqlite3_stmt *q, int i)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    return ls__strdup(t ? (const char *)t : "");
}

int ls__casedb_archive_all(ls_ctx *ctx, ls_casedb *db, int with_fp,
                           ls__archive_row **rows, size_t *n)
{
    sqlite3_stmt *q = NULL;
    ls__archive_row *r = NULL;
    size_t cap = 0, k = 0;
    int st, rc;
    *rows = NULL; *n = 0;
    st = ls__casedb_prepare(ctx, db, "SELECT a.id, a.name, a.sources, a.n_accounts, a.n_posts, "
                            "f.data FROM archives a LEFT JOIN fingerprints f ON f.archive_id = a.id "
                            "ORDER BY a.name", &q);
    if (st != LS_OK) return st;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if ((st = ls__grow((void **)&r, &cap, k + 1, sizeof *r)) != LS_OK) {
            st = ls__fail(ctx, st, "out of memory"); goto done;
        }
        ls__archive_row *a = &r[k];
        memset(a, 0, sizeof *a);
        k++;
        a->id = sqlite3_column_int64(q, 0);
        a->name = col_dup(q, 1);
        a->sources = col_dup(q, 2);
        a->n_accounts = sqlite3_column_int64(q, 3);
        a->n_posts = sqlite3_column_int64(q, 4);
        a->fingerprint = with_fp ? col_dup(q, 5) : NULL;
        if (!a->name || !a->sources || (with_fp && !a->fingerprint)) {
            st = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done;
        }
    }
    if (rc != SQLITE_DONE) { st = ls__casedb_err(ctx, db, rc, "cannot read archives"); goto done; }
    *rows = r; *n = k; r = NULL;
done:
    sqlite3_finalize(q);
    ls__archive_rows_free(r, k);
    return st;
}

int ls__casedb_archive_rm(ls_ctx *ctx, ls_casedb *db, const char *name)
{
    sqlite3_stmt *q = NULL;
    int st = ls__casedb_begin(ctx, db);
    if (st != LS_OK) return st;
    if ((st = ls__casedb_prepare(ctx, db, "DELETE FROM archives WHERE name = ?", &q)) != LS_OK) goto done;
    sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
    if ((st = step_done(ctx, db, q, "cannot remove the archive")) != LS_OK) goto done;
    if (sqlite3_changes(db->db) == 0) {
        st = ls__fail(ctx, LS_ERR_NOTFOUND, "%s: no archive named '%s'", db->path, name);
        goto done;
    }
    sqlite3_finalize(q); q = NULL;
    st = ls__casedb_commit(ctx, db);
done:
    sqlite3_finalize(q);
    if (st != LS_OK) ls__casedb_rollback(db);
    return st;
}

int ls__casedb_archive_shared(ls_ctx *ctx, ls_casedb *db, int64_t archive_id,
                              const ls__str *ids, size_t n, uint64_t *shared)
{
    int st = LS_OK;
    *shared = 0;
    if (!db->st_shared && (st = ls__casedb_prepare(ctx, db, "SELECT 1 FROM archive_members WHERE "
                                                   "archive_id = ? AND userid = ?", &db->st_shared)) != LS_OK)
        return st;
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(db->st_shared, 1, archive_id);
        bind_str(db->st_shared, 2, ids[i]);
        int rc = sqlite3_step(db->st_shared);
        sqlite3_reset(db->st_shared);
        if (rc == SQLITE_ROW) (*shared)++;
        else if (rc != SQLITE_DONE) { st = ls__casedb_err(ctx, db, rc, "cannot read archive members"); break; }
    }
    return st;
}

int ls__casedb_run_add(ls_ctx *ctx, ls_casedb *db, const char *kind,
                       const char *params, const char *inputs, const char *results,
                       int64_t *run_id)
{
    sqlite3_stmt *q = NULL;
    int st = ls__casedb_prepare(ctx, db, "INSERT INTO runs(kind, params, inputs, results) "
                                "VALUES(?, ?, ?, ?)", &q);
    if (st != LS_OK) return st;
    sqlite3_bind_text(q, 1, kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, params ? params : "{}", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 3, inputs ? inputs : "[]", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 4, results ? results : "{}", -1, SQLITE_TRANSIENT);
    st = step_done(ctx, db, q, "cannot record the run");
    if (st == LS_OK) *run_id = sqlite3_last_insert_rowid(db->db);
    sqlite3_finalize(q);
    return st;
}

int ls__casedb_network_add(ls_ctx *ctx, ls_casedb *db, int64_t run_id,
                           const char *label, double score, int64_t n_accounts,
                           const char *summary, int64_t *net_id)
{
    sqlite3_stmt *q = NULL;
    int st = ls__casedb_prepare(ctx, db, "INSERT INTO networks(run_id, label, score, n_accounts, "
                                "summary) VALUES(?, ?, ?, ?, ?)", &q);
    if (st != LS_OK) return st;
    sqlite3_bind_int64(q, 1, run_id);
    sqlite3_bind_text(q, 2, label, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(q, 3, score);
    sqlite3_bind_int64(q, 4, n_accounts);
    sqlite3_bind_text(q, 5, summary ? summary : "{}", -1, SQLITE_TRANSIENT);
    st = step_done(ctx, db, q, "cannot record a network");
    if (st == LS_OK) *net_id = sqlite3_last_insert_rowid(db->db);
    sqlite3_finalize(q);
    return st;
}

int ls__casedb_member_add(ls_ctx *ctx, ls_casedb *db, int64_t net_id,
                          ls__str userid, const char *role, double score,
                          ls__str evidence)
{
    int st;
    if (!db->st_member && (st = ls__casedb_prepare(ctx, db, "INSERT OR REPLACE INTO members(network_id, "
                                                   "userid, role, score) VALUES(?, ?, ?, ?)", &db->st_member)) != LS_OK)
        return st;
    sqlite3_bind_int64(db->st_member, 1, net_id);
    bind_str(db->st_member, 2, userid);
    sqlite3_bind_text(db->st_member, 3, role, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(db->st_member, 4, score);
    if ((st = step_done(ctx, db, db->st_member, "cannot record a member")) != LS_OK || evidence.n == 0) return st;
    if (!db->st_evidence && (st = ls__casedb_prepare(ctx, db, "INSERT INTO evidence(network_id, userid, text) "
                                                     "VALUES(?, ?, ?)", &db->st_evidence)) != LS_OK)
        return st;
    sqlite3_bind_int64(db->st_evidence, 1, net_id);
    bind_str(db->st_evidence, 2, userid);
    bind_str(db->st_evidence, 3, evidence);
    return step_done(ctx, db, db->st_evidence, "cannot record evidence");
}

int ls__casedb_link_add(ls_ctx *ctx, ls_casedb *db, int64_t net_id,
                        const char *archive, double score, const char *reasons)
{
    sqlite3_stmt *q = NULL;
    int st = ls__casedb_prepare(ctx, db, "INSERT INTO links(network_id, archive, score, reasons) "
                                "VALUES(?, ?, ?, ?)", &q);
    if (st != LS_OK) return st;
    sqlite3_bind_int64(q, 1, net_id);
    sqlite3_bind_text(q, 2, archive, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(q, 3, score);
    sqlite3_bind_text(q, 4, reasons, -1, SQLITE_TRANSIENT);
    st = step_done(ctx, db, q, "cannot record a link");
    sqlite3_finalize(q);
    return st;
}
