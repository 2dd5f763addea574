/*
 * cmd_request.c — `lockstep request`: checks a removal request (a list of
 * accounts someone wants removed) for evidence of coordinated inauthentic
 * behaviour, by the same standard as detection and by nothing else.  With
 * a RUN_DIR the verdicts come from that detect run; without one, detection
 * runs first (default options) into --run DIR or a temporary folder.
 * Option parsing only; the work is ls_detect() and ls_request().
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char help[] =
    "usage: lockstep request --accounts FILE [OPTIONS] STORE|FILE... [RUN_DIR] -o OUT.csv\n"
    "\n"
    "For each requested account (FILE: one id or @screen_name per line, or a\n"
    "CSV with a userid column) writes userid,verdict,network,score,evidence:\n"
    "  coordinated   in a detected network (with the run's score and evidence)\n"
    "  no_evidence   in the data, in no detected network\n"
    "  not_found     not in the data\n"
    "and prints one summary line.  Verdicts depend only on behaviour, never on\n"
    "what the accounts said.  RUN_DIR is a 'lockstep detect' output folder; when\n"
    "it is not given, detection runs first with default options.\n"
    "\n"
    "options:\n"
    "  --accounts FILE  the requested accounts\n"
    "  -o, --output OUT the CSV to write\n"
    "  --run DIR        where detection writes when there is no RUN_DIR\n"
    "                   (default: a temporary folder, removed afterwards)\n"
    "  --db PATH        record the request in this case database\n"
    "  --quiet          no summary\n"
    "  -h, --help       this text\n"
    "\n"
    "exit codes: 0 ok, 1 bad input, 2 usage, 3 I/O or database locked\n";

static int is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int is_store(const char *path)
{
    char m[8];
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    size_t n = fread(m, 1, 8, f);
    fclose(f);
    return n == 8 && memcmp(m, "LSSTORE", 7) == 0;
}

static void rm_run(const char *dir)
{
    static const char *const files[] = { "accounts.csv", "networks.json", "edges.csv", "network.gexf",
                                         "store.lss", "manifest.json" };
    char p[4200];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        unlink(p);
    }
    rmdir(dir);
}

int cmd_request(int argc, char **argv)
{
    const char *accounts = NULL, *out = NULL, *db_path = NULL, *run_opt = NULL, **in = NULL;
    size_t n_in = 0;
    int quiet = 0, rc = LS_EXIT_OK, st;
    ls_ctx *ctx = NULL;
    ls_casedb *db = NULL;
    ls_store *store = NULL;
    char tmp_run[600] = "", tmp_store[700] = "";
    const char *run_dir = NULL;

    in = calloc((size_t)argc + 1, sizeof *in);
    if (!in) { fprintf(stderr, "lockstep request: out of memory\n"); return LS_EXIT_NOMEM; }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (a[0] != '-' || strcmp(a, "-") == 0) { in[n_in++] = a; continue; }
        if (cli_is_help(a)) { fputs(help, stdout); goto done; }
#define NEED(name) do { if (!(v = cli_opt_value(argc, argv, &i, name))) { rc = cli_usage("request", "%s needs a value", name); goto done; } } while (0)
        if (strcmp(a, "-o") == 0) {
            if (i + 1 >= argc) { rc = cli_usage("request", "-o needs a value"); goto done; }
            out = argv[++i];
        } else if (cli_is_opt(a, "--output")) { NEED("--output"); out = v; }
        else if (cli_is_opt(a, "--accounts")) { NEED("--accounts"); accounts = v; }
        else if (cli_is_opt(a, "--db")) { NEED("--db"); db_path = v; }
        else if (cli_is_opt(a, "--run")) { NEED("--run"); run_opt = v; }
        else if (strcmp(a, "--quiet") == 0) quiet = 1;
        else { rc = cli_usage("request", "unknown option '%s'", a); goto done; }
#undef NEED
    }
    if (!accounts) { rc = cli_usage("request", "no --accounts FILE"); goto done; }
    if (!out) { rc = cli_usage("request", "no output (-o OUT.csv)"); goto done; }
    if (n_in >= 2 && is_dir(in[n_in - 1])) run_dir = in[--n_in];
    if (n_in == 0) { rc = cli_usage("request", "no STORE or input files"); goto done; }
    if ((st = ls_ctx_new(&ctx)) != LS_OK) { rc = cli_fail("request", NULL, st); goto done; }
    if (db_path && (st = ls_casedb_open(ctx, db_path, 0, 0, &db)) != LS_OK) { rc = cli_fail("request", ctx, st); goto done; }

    if (!run_dir) {
        /* Detection first, on a store (ingesting raw files into one). */
        const char *store_path = in[0];
        if (!(n_in == 1 && is_store(in[0]))) {
            snprintf(tmp_store, sizeof tmp_store, "%s/lockstep-request-%ld.store",
                     getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
            ls_ingest_opts io;
            memset(&io, 0, sizeof io);
            io.format = "auto";
            if ((st = ls_ingest(ctx, &io, in, n_in, tmp_store)) != LS_OK) { rc = cli_fail("request", ctx, st); goto done; }
            store_path = tmp_store;
        }
        if (run_opt) run_dir = run_opt;
        else {
            snprintf(tmp_run, sizeof tmp_run, "%s/lockstep-request-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
            if (!mkdtemp(tmp_run)) {
                fprintf(stderr, "lockstep request: cannot create a temporary folder: %s\n", strerror(errno));
                tmp_run[0] = 0;
                rc = LS_EXIT_IO;
                goto done;
            }
            run_dir = tmp_run;
        }
        if ((st = ls_detect(ctx, NULL, store_path, run_dir, quiet ? NULL : stderr)) != LS_OK) {
            rc = cli_fail("request", ctx, st); goto done;
        }
        if ((st = ls_store_open(ctx, store_path, &store)) != LS_OK) { rc = cli_fail("request", ctx, st); goto done; }
    } else if ((st = ls_open_inputs(ctx, in, n_in, &store)) != LS_OK) {
        rc = cli_fail("request", ctx, st); goto done;
    }
    if ((st = ls_request(ctx, store, db, run_dir, accounts, out, quiet ? NULL : stdout)) != LS_OK)
        rc = cli_fail("request", ctx, st);
done:
    ls_store_close(store);
    ls_casedb_close(db);
    ls_ctx_free(ctx);
    if (tmp_store[0]) unlink(tmp_store);
    if (tmp_run[0]) rm_run(tmp_run);
    free(in);
    return rc;
}
