/*
 * test_casedb.c — the case database: schema creation, migration from a
 * version-1 file written here by hand, refusal (and no modification) of a
 * text file, of a foreign SQLite database and of a newer schema, a second
 * writer holding the lock (LS_ERR_BUSY), and archive rows.
 */
#include "test.h"
#include "store/casedb.h"
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

static void path_in(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

/* Reads a whole file into a malloc'd buffer (test helper). */
static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)len + 1);
    *n = fread(b, 1, (size_t)len, f);
    fclose(f);
    return b;
}

static int64_t q_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    int64_t v = -999;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static int64_t db_int(ls_casedb *db, const char *sql) { return q_int(db->db, sql); }

TEST(creates_schema)
{
    ls_ctx *ctx; ls_ctx_new(&ctx);
    char p[300]; path_in(p, sizeof p, "new.db");
    ls_casedb *db = NULL;
    CHECK_EQ_INT(ls_casedb_open(ctx, p, LS_CASEDB_MUST_EXIST, 0, &db), LS_ERR_NOTFOUND);
    CHECK(access(p, F_OK) != 0);
    CHECK_EQ_INT(ls_casedb_open(ctx, p, 0, 0, &db), LS_OK);
    if (db) {
        CHECK_EQ_INT(db_int(db, "PRAGMA user_version"), LS__CASEDB_VERSION);
        CHECK_EQ_INT(db_int(db, "PRAGMA application_id"), LS__CASEDB_APP_ID);
        CHECK_EQ_INT(db_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                                "('runs','networks','members','evidence','archives','fingerprints',"
                                "'archive_members','links','decisions')"), 9);
        sqlite3_stmt *s = NULL;
        sqlite3_prepare_v2(db->db, "PRAGMA journal_mode", -1, &s, NULL);
        CHECK(sqlite3_step(s) == SQLITE_ROW);
        CHECK_EQ_STR((const char *)sqlite3_column_text(s, 0), "wal");
        sqlite3_finalize(s);
        ls_casedb_close(db);
    }
    /* Opening again is a no-op on the schema. */
    db = NULL;
    CHECK_EQ_INT(ls_casedb_open(ctx, p, LS_CASEDB_MUST_EXIST, 0, &db), LS_OK);
    if (db) CHECK_EQ_INT(db_int(db, "PRAGMA user_version"), LS__CASEDB_VERSION);
    ls_casedb_close(db);
    ls_ctx_free(ctx);
}

TEST(migrates_v1)
{
    char p[300]; path_in(p, sizeof p, "v1.db");
    sqlite3 *raw = NULL;
    CHECK(sqlite3_open(p, &raw) == SQLITE_OK);
    /* A version-1 file as lockstep 0.1 wrote it, with some content. */
    const char *v1 =
        "CREATE TABLE runs(id INTEGER PRIMARY KEY, params TEXT NOT NULL, inputs TEXT NOT NULL, results TEXT NOT NULL);"
        "CREATE TABLE networks(id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
        " label TEXT NOT NULL, score REAL NOT NULL, n_accounts INTEGER NOT NULL, summary TEXT NOT NULL);"
        "CREATE TABLE members(network_id INTEGER NOT NULL REFERENCES networks(id) ON DELETE CASCADE,"
        " userid TEXT NOT NULL, role TEXT NOT NULL, score REAL NOT NULL, PRIMARY KEY(network_id, userid)) WITHOUT ROWID;"
        "CREATE TABLE evidence(network_id INTEGER NOT NULL REFERENCES networks(id) ON DELETE CASCADE, userid TEXT, text TEXT NOT NULL);"
        "CREATE TABLE archives(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, sources TEXT NOT NULL,"
        " n_accounts INTEGER NOT NULL, n_posts INTEGER NOT NULL);"
        "CREATE TABLE fingerprints(archive_id INTEGER PRIMARY KEY REFERENCES archives(id) ON DELETE CASCADE,"
        " version INTEGER NOT NULL, data TEXT NOT NULL);"
        "CREATE TABLE archive_members(archive_id INTEGER NOT NULL REFERENCES archives(id) ON DELETE CASCADE,"
        " userid TEXT NOT NULL, PRIMARY KEY(archive_id, userid)) WITHOUT ROWID;"
        "INSERT INTO runs VALUES(1, '{}', '[]', '{\"networks\":2}');"
        "INSERT INTO networks VALUES(1, 1, 'N1', 0.9, 3, '{}');"
        "INSERT INTO members VALUES(1, '42', 'core', 0.8);"
        "INSERT INTO archives VALUES(1, 'aug2019', 'a.csv', 3, 10);"
        "INSERT INTO fingerprints VALUES(1, 1, '{}');"
        "INSERT INTO archive_members VALUES(1, '42');"
        "PRAGMA application_id = 1280529483; PRAGMA user_version = 1;";
    CHECK(LS__CASEDB_APP_ID == 1280529483);
    CHECK(sqlite3_exec(raw, v1, NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(raw);

    ls_ctx *ctx; ls_ctx_new(&ctx);
    ls_casedb *db = NULL;
    CHECK_EQ_INT(ls_casedb_open(ctx, p, LS_CASEDB_MUST_EXIST, 0, &db), LS_OK);
    if (db) {
        CHECK_EQ_INT(db_int(db, "PRAGMA user_version"), 2);
        /* Old rows kept; the new column got its default. */
        CHECK_EQ_INT(db_int(db, "SELECT count(*) FROM runs WHERE kind = 'detect'"), 1);
        CHECK_EQ_INT(db_int(db, "SELECT count(*) FROM members WHERE userid = '42'"), 1);
        CHECK_EQ_INT(db_int(db, "SELECT count(*) FROM decisions"), 0);
        CHECK_EQ_INT(db_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'members_userid'"), 1);
        ls__archive_row *rows = NULL; size_t n = 0;
        CHECK_EQ_INT(ls__casedb_archive_all(ctx, db, 1, &rows, &n), LS_OK);
        CHECK_EQ_INT(n, 1);
        if (n == 1) { CHECK_EQ_STR(rows[0].name, "aug2019"); CHECK_EQ_INT(rows[0].n_posts, 10); }
        ls__archive_rows_free(rows, n);
        ls_casedb_close(db);
    }
    ls_ctx_free(ctx);
}

/* Opening must fail with status want and leave the file's bytes as they were. */
static void refused_unmodified(const char *p, int want, const char *msg_part)
{
    size_t n0 = 0, n1 = 0;
    char *before = slurp(p, &n0);
    ls_ctx *ctx; ls_ctx_new(&ctx);
    ls_casedb *db = NULL;
    CHECK_EQ_INT(ls_casedb_open(ctx, p, 0, 100, &db), want);
    CHECK(db == NULL);
    CHECK(strstr(ls_ctx_message(ctx), msg_part) != NULL);
    char *after = slurp(p, &n1);
    CHECK(before && after && n0 == n1 && memcmp(before, after, n0) == 0);
    char wal[320]; snprintf(wal, sizeof wal, "%s-wal", p);
    struct stat sb;
    CHECK(stat(wal, &sb) != 0 || sb.st_size == 0);
    free(before); free(after);
    ls_ctx_free(ctx);
}

TEST(refuses_foreign_files)
{
    char p[300]; path_in(p, sizeof p, "notes.txt");
    FILE *f = fopen(p, "w");
    fputs("these are my notes, not a database\n", f);
    fclose(f);
    refused_unmodified(p, LS_ERR_FORMAT, "not an SQLite file");

    path_in(p, sizeof p, "other.db");
    sqlite3 *raw = NULL;
    sqlite3_open(p, &raw);
    CHECK(sqlite3_exec(raw, "CREATE TABLE t(x); INSERT INTO t VALUES(1);", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(raw);
    refused_unmodified(p, LS_ERR_FORMAT, "not a lockstep case database");

    path_in(p, sizeof p, "newer.db");
    raw = NULL;
    sqlite3_open(p, &raw);
    CHECK(sqlite3_exec(raw, "CREATE TABLE future(x); PRAGMA application_id = 1280529483; "
                            "PRAGMA user_version = 99;", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(raw);
    refused_unmodified(p, LS_ERR_FORMAT, "newer than this program");
}

TEST(second_writer_busy)
{
    char p[300]; path_in(p, sizeof p, "busy.db");
    ls_ctx *ctx; ls_ctx_new(&ctx);
    ls_casedb *a = NULL, *b = NULL;
    CHECK_EQ_INT(ls_casedb_open(ctx, p, 0, 100, &a), LS_OK);
    CHECK_EQ_INT(ls_casedb_open(ctx, p, 0, 100, &b), LS_OK);
    if (a && b) {
        CHECK_EQ_INT(ls__casedb_begin(ctx, a), LS_OK);
        ls__str m = LS__S("7");
        CHECK_EQ_INT(ls__casedb_archive_put(ctx, b, "x", "f.csv", 1, 1, "{}", &m, 1), LS_ERR_BUSY);
        CHECK(strstr(ls_ctx_message(ctx), "locked by another writer") != NULL);
        /* Reads still work while the writer holds the lock (WAL). */
        ls__archive_row *rows = NULL; size_t n = 9;
        CHECK_EQ_INT(ls__casedb_archive_all(ctx, b, 0, &rows, &n), LS_OK);
        CHECK_EQ_INT(n, 0);
        ls__archive_rows_free(rows, n);
        ls__casedb_rollback(a);
        CHECK_EQ_INT(ls__casedb_archive_put(ctx, b, "x", "f.csv", 1, 1, "{}", &m, 1), LS_OK);
    }
    ls_casedb_close(a);
    ls_casedb_close(b);
    /* A fresh open while another process-like connection writes: the
     * migration of a new file needs the lock too. */
    char p2[300]; path_in(p2, sizeof p2, "busy2.db");
    sqlite3 *raw = NULL;
    sqlite3_open(p2, &raw);
    sqlite3_exec(raw, "PRAGMA journal_mode = WAL; PRAGMA application_id = 1280529483; "
                      "CREATE TABLE x(y); BEGIN IMMEDIATE; INSERT INTO x VALUES(1);", NULL, NULL, NULL);
    ls_casedb *c = NULL;
    CHECK_EQ_INT(ls_casedb_open(ctx, p2, 0, 100, &c), LS_ERR_BUSY);
    CHECK(c == NULL);
    sqlite3_exec(raw, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(raw);
    ls_ctx_free(ctx);
}

TEST(archive_rows)
{
    char p[300]; path_in(p, sizeof p, "arch.db");
    ls_ctx *ctx; ls_ctx_new(&ctx);
    ls_casedb *db = NULL;
    CHECK_EQ_INT(ls_casedb_open(ctx, p, 0, 0, &db), LS_OK);
    if (!db) { ls_ctx_free(ctx); return; }
    ls__str m[3] = { LS__S("1"), LS__S("2"), LS__S("3") };
    CHECK_EQ_INT(ls__casedb_archive_put(ctx, db, "b", "b.csv", 3, 30, "{\"k\":1}", m, 3), LS_OK);
    CHECK_EQ_INT(ls__casedb_archive_put(ctx, db, "a", "a.csv", 2, 20, "{}", m, 2), LS_OK);
    CHECK_EQ_INT(ls__casedb_archive_put(ctx, db, "a", "a.csv", 2, 20, "{}", m, 2), LS_ERR_USAGE);
    ls__archive_row *rows = NULL; size_t n = 0;
    CHECK_EQ_INT(ls__casedb_archive_all(ctx, db, 1, &rows, &n), LS_OK);
    CHECK_EQ_INT(n, 2);
    if (n == 2) {
        CHECK_EQ_STR(rows[0].name, "a");
        CHECK_EQ_STR(rows[1].fingerprint, "{\"k\":1}");
        uint64_t sh = 0;
        ls__str ask[3] = { LS__S("3"), LS__S("9"), LS__S("1") };
        CHECK_EQ_INT(ls__casedb_archive_shared(ctx, db, rows[1].id, ask, 3, &sh), LS_OK);
        CHECK_EQ_INT(sh, 2);
        CHECK_EQ_INT(ls__casedb_archive_shared(ctx, db, rows[0].id, ask, 3, &sh), LS_OK);
        CHECK_EQ_INT(sh, 1);
    }
    ls__archive_rows_free(rows, n);
    CHECK_EQ_INT(ls__casedb_archive_rm(ctx, db, "b"), LS_OK);
    CHECK_EQ_INT(ls__casedb_archive_rm(ctx, db, "b"), LS_ERR_NOTFOUND);
    /* Members and fingerprint went with it (ON DELETE CASCADE). */
    CHECK_EQ_INT(db_int(db, "SELECT count(*) FROM archive_members"), 2);
    CHECK_EQ_INT(db_int(db, "SELECT count(*) FROM fingerprints"), 1);
    int64_t run = 0, net = 0;
    CHECK_EQ_INT(ls__casedb_begin(ctx, db), LS_OK);
    CHECK_EQ_INT(ls__casedb_run_add(ctx, db, "detect", "{}", "[]", "{}", &run), LS_OK);
    CHECK_EQ_INT(ls__casedb_network_add(ctx, db, run, "N1", 0.9, 2, "{}", &net), LS_OK);
    CHECK_EQ_INT(ls__casedb_member_add(ctx, db, net, LS__S("1"), "core", 0.5, LS__S("why")), LS_OK);
    CHECK_EQ_INT(ls__casedb_link_add(ctx, db, net, "a", 0.7, "[]"), LS_OK);
    CHECK_EQ_INT(ls__casedb_commit(ctx, db), LS_OK);
    CHECK_EQ_INT(db_int(db, "SELECT count(*) FROM evidence WHERE text = 'why'"), 1);
    ls_casedb_close(db);
    ls_ctx_free(ctx);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/ls_test_casedb_%ld", (long)getpid());
    mkdir(dir, 0700);
    RUN(creates_schema);
    RUN(migrates_v1);
    RUN(refuses_foreign_files);
    RUN(second_writer_busy);
    RUN(archive_rows);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    TEST_END();
}
