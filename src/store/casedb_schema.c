/*
 * casedb_schema.c — the case database schema as a list of migrations.
 * Migration v takes a database from schema version v-1 to v; a new file
 * runs all of them in order, an older file only the missing ones, so
 * there is exactly one definition of every table.  Never edit a shipped
 * step: add a new one and raise LS__CASEDB_VERSION.
 */
#include "casedb.h"

static const char *const steps[] = {
    NULL,
    /* v1: runs, the networks they found, members, evidence, archives. */
    "CREATE TABLE runs("
    "  id INTEGER PRIMARY KEY,"
    "  params TEXT NOT NULL,"            /* JSON: options of the run */
    "  inputs TEXT NOT NULL,"            /* JSON: input files and checksums */
    "  results TEXT NOT NULL);"          /* JSON: counts and summary */
    "CREATE TABLE networks("
    "  id INTEGER PRIMARY KEY,"
    "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    "  label TEXT NOT NULL,"             /* N1, N2, ... within the run */
    "  score REAL NOT NULL,"
    "  n_accounts INTEGER NOT NULL,"
    "  summary TEXT NOT NULL);"          /* JSON: signals, narratives, traction */
    "CREATE TABLE members("
    "  network_id INTEGER NOT NULL REFERENCES networks(id) ON DELETE CASCADE,"
    "  userid TEXT NOT NULL,"
    "  role TEXT NOT NULL,"
    "  score REAL NOT NULL,"
    "  PRIMARY KEY(network_id, userid)) WITHOUT ROWID;"
    "CREATE TABLE evidence("
    "  network_id INTEGER NOT NULL REFERENCES networks(id) ON DELETE CASCADE,"
    "  userid TEXT,"                     /* NULL: evidence about the network */
    "  text TEXT NOT NULL);"
    "CREATE TABLE archives("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  sources TEXT NOT NULL,"           /* file names given to archive add */
    "  n_accounts INTEGER NOT NULL,"
    "  n_posts INTEGER NOT NULL);"
    "CREATE TABLE fingerprints("
    "  archive_id INTEGER PRIMARY KEY REFERENCES archives(id) ON DELETE CASCADE,"
    "  version INTEGER NOT NULL,"
    "  data TEXT NOT NULL);"             /* JSON, see docs/assess.md */
    "CREATE TABLE archive_members("
    "  archive_id INTEGER NOT NULL REFERENCES archives(id) ON DELETE CASCADE,"
    "  userid TEXT NOT NULL,"
    "  PRIMARY KEY(archive_id, userid)) WITHOUT ROWID;",

    /* v2: the kind of a run, links to archives, analyst decisions, and
     * indexes for "which networks was this account in". */
    "ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'detect';"
    "CREATE TABLE links("
    "  network_id INTEGER NOT NULL REFERENCES networks(id) ON DELETE CASCADE,"
    "  archive TEXT NOT NULL,"
    "  score REAL NOT NULL,"
    "  reasons TEXT NOT NULL);"          /* JSON array of sentences */
    "CREATE TABLE decisions("
    "  id INTEGER PRIMARY KEY,"
    "  network_id INTEGER REFERENCES networks(id) ON DELETE SET NULL,"
    "  userid TEXT,"
    "  decision TEXT NOT NULL CHECK(decision IN ('confirm','reject','escalate','note')),"
    "  analyst TEXT NOT NULL,"
    "  note TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX members_userid ON members(userid);"
    "CREATE INDEX archive_members_userid ON archive_members(userid);",
};

const char *ls__casedb_migration(int v)
{
    if (v < 1 || v > LS__CASEDB_VERSION || v >= (int)(sizeof steps / sizeof steps[0])) return NULL;
    return steps[v];
}
