/*
 * cmd_archive.c — `lockstep archive add|list|rm`: earlier takedowns kept
 * as fingerprints in the case database, for `detect --db` to link new
 * networks to.  Option parsing only; the work is ls_archive_*().
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: lockstep archive add NAME FILE... [OPTIONS]\n"
    "       lockstep archive list [--db PATH] [--json]\n"
    "       lockstep archive rm NAME [--db PATH]\n"
    "\n"
    "Keeps earlier takedowns (IO-archive files or any input 'lockstep ingest'\n"
    "reads) in the case database as fingerprints: text sketches, hashtag and\n"
    "domain profiles, creation cohorts, name templates, clients, hour-of-week\n"
    "schedule, languages and member account ids.  'lockstep detect --db'\n"
    "scores every network it finds against each archive.\n"
    "\n"
    "options:\n"
    "  --db PATH       the case database (default ./lockstep.db; created by add)\n"
    "  --wait MS       how long to wait for another writer (default 5000)\n"
    "  --format FMT    input format for add (auto, io, v1, v2, qut, csv)\n"
    "  --map SPEC      column map for --format csv\n"
    "  --strict        the first bad input row is an error\n"
    "  --json          list as JSON\n"
    "  --quiet         no summary\n"
    "  -h, --help      this text\n"
    "\n"
    "exit codes: 0 ok, 1 bad input or a file that is not a lockstep case\n"
    "database (never modified), 2 usage, 3 I/O or database locked\n";

int cmd_archive(int argc, char **argv)
{
    const char *db_path = "lockstep.db", *verb = NULL, **pos = NULL;
    size_t n_pos = 0;
    int json = 0, quiet = 0, rc = LS_EXIT_OK, st, only_pos = 0;
    unsigned long long wait = 0;
    ls_ingest_opts io;
    ls_ctx *ctx = NULL;
    ls_casedb *db = NULL;

    memset(&io, 0, sizeof io);
    io.format = "auto";
    pos = calloc((size_t)argc + 1, sizeof *pos);
    if (!pos) { fprintf(stderr, "lockstep archive: out of memory\n"); return LS_EXIT_NOMEM; }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (only_pos || a[0] != '-' || strcmp(a, "-") == 0) {
            if (!verb) verb = a; else pos[n_pos++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) { only_pos = 1; continue; }
        if (cli_is_help(a)) { fputs(help, stdout); goto done; }
#define NEED(name) do { if (!(v = cli_opt_value(argc, argv, &i, name))) { rc = cli_usage("archive", "%s needs a value", name); goto done; } } while (0)
        if (cli_is_opt(a, "--db")) { NEED("--db"); db_path = v; }
        else if (cli_is_opt(a, "--wait")) {
            NEED("--wait");
            if (cli_parse_u64(v, &wait) || wait > 3600000) { rc = cli_usage("archive", "bad --wait '%s'", v); goto done; }
        }
        else if (cli_is_opt(a, "--format")) { NEED("--format"); io.format = v; }
        else if (cli_is_opt(a, "--map")) { NEED("--map"); io.map = v; }
        else if (strcmp(a, "--strict") == 0) io.strict = 1;
        else if (strcmp(a, "--json") == 0) json = 1;
        else if (strcmp(a, "--quiet") == 0) quiet = 1;
        else { rc = cli_usage("archive", "unknown option '%s'", a); goto done; }
#undef NEED
    }
    if (!verb) { rc = cli_usage("archive", "missing add, list or rm"); goto done; }
    int add = strcmp(verb, "add") == 0, list = strcmp(verb, "list") == 0, rm = strcmp(verb, "rm") == 0;
    if (!add && !list && !rm) { rc = cli_usage("archive", "unknown action '%s' (add, list or rm)", verb); goto done; }
    if (add && n_pos < 2) { rc = cli_usage("archive", "add needs NAME and at least one FILE"); goto done; }
    if (rm && n_pos != 1) { rc = cli_usage("archive", "rm needs exactly one NAME"); goto done; }
    if (list && n_pos != 0) { rc = cli_usage("archive", "list takes no arguments"); goto done; }
    if ((st = ls_ctx_new(&ctx)) != LS_OK) { rc = cli_fail("archive", NULL, st); goto done; }

    st = ls_casedb_open(ctx, db_path, add ? 0 : LS_CASEDB_MUST_EXIST, (int)wait, &db);
    if (st == LS_ERR_NOTFOUND && list) {
        if (json) puts("[]"); else printf("no archives (no case database at %s)\n", db_path);
        goto done;
    }
    if (st != LS_OK) { rc = cli_fail("archive", ctx, st); goto done; }
    if (add) {
        io.report = quiet ? NULL : stderr;
        st = ls_archive_add(ctx, db, pos[0], &io, pos + 1, n_pos - 1, quiet ? NULL : stdout);
    } else if (list) {
        st = ls_archive_list(ctx, db, stdout, json);
    } else {
        st = ls_archive_rm(ctx, db, pos[0]);
        if (st == LS_OK && !quiet) printf("removed archive '%s'\n", pos[0]);
    }
    if (st != LS_OK) rc = cli_fail("archive", ctx, st);
done:
    ls_casedb_close(db);
    ls_ctx_free(ctx);
    free(pos);
    return rc;
}
