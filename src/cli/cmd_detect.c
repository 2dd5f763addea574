/*
 * cmd_detect.c — `lockstep detect`: finds coordinated networks in a store
 * (or in raw input files, ingested first into DIR/store.lss) and writes
 * accounts.csv, networks.json, edges.csv and network.gexf under DIR.
 * Option parsing only; the work is ls_detect().
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char help[] =
    "usage: lockstep detect [OPTIONS] STORE|FILE... -o DIR\n"
    "\n"
    "Finds networks of accounts that act in lockstep: fuses the co-action\n"
    "layers into one graph of significant edges, clusters it (Leiden), gives\n"
    "each network core and amplifier roles, adds accounts whose activity is\n"
    "mostly amplification of one network, and scores networks and accounts\n"
    "against the rest of the data.  Raw input files are ingested into\n"
    "DIR/store.lss first.\n"
    "\n"
    "outputs in DIR: accounts.csv, networks.json, edges.csv, network.gexf\n"
    "\n"
    "options:\n"
    "  -o, --output DIR       output folder (created if missing)\n"
    "  --rt-window S          Δt of co_retweet, co_quote (60)\n"
    "  --text-window S        Δt of co_reply, the text, link, hashtag and image\n"
    "                         layers, and the longest amplification delay\n"
    "                         counted (3600)\n"
    "  --post-window S        Δt of co_post synchrony (0: layer off)\n"
    "  --layers LIST          comma list, e.g. co_retweet,co_similar_tweet,amplify\n"
    "  --alpha A              family-wise error rate of edge significance (0.01)\n"
    "  --cap N                per-object co-actor cap (1000)\n"
    "  --objective OBJ        modularity (default) or cpm\n"
    "  --resolution R         Leiden resolution (1.0)\n"
    "  --seed N               clustering seed (1)\n"
    "  --min-size N           smallest cluster and network kept (5)\n"
    "  --min-score X          networks and accounts below are not reported (0.5)\n"
    "  --expand-share X       expansion: share of an account's amplification\n"
    "                         that must go to one network (0.5)\n"
    "  --expand-min N         expansion: minimum amplifications (2)\n"
    "  --merge-share X        merge clusters joined by this share of\n"
    "                         amplification (0.2)\n"
"  --one-operation        the input is one operation's own activity (a\n"
    "                         takedown archive, nothing else): report every\n"
    "                         account that posted as one network, with roles,\n"
    "                         cells and evidence, whatever it scores\n"
    "  --threads N            worker threads (0 = all cores); same output\n"
    "  --db PATH              case database: link each network to the archived\n"
    "                         takedowns in it ('lockstep archive') and record the run\n"
    "  --no-assess            leave out narratives, traction and links\n"
    "  --report               also write DIR/report.html ('lockstep report')\n"
    "  --quiet                no summary and no progress\n"
    "  -h, --help             this text\n"
    "\n"
    "exit codes: 0 ok, 1 bad input, 2 usage, 3 I/O, 4 out of memory\n";

static int is_store(const char *path)
{
    char m[8];
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    size_t n = fread(m, 1, 8, f);
    fclose(f);
    return n == 8 && memcmp(m, "LSSTORE", 8) == 0;
}

int cmd_detect(int argc, char **argv)
{
    ls_detect_opts o;
    const char *dir = NULL, **files = NULL;
    size_t n_files = 0;
    int quiet = 0, rc = LS_EXIT_OK, st;
    unsigned long long threads = 0;
    ls_ctx *ctx = NULL;
    char *store = NULL;
    const char *db_path = NULL;
    int no_assess = 0, want_report = 0;
    ls_casedb *db = NULL;
    ls_store *ast = NULL;

    ls_detect_opts_default(&o);
    files = calloc((size_t)argc + 1, sizeof *files);
    if (!files) { fprintf(stderr, "lockstep detect: out of memory\n"); return LS_EXIT_NOMEM; }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        unsigned long long u;
        double x;
        if (a[0] != '-' || strcmp(a, "-") == 0) { files[n_files++] = a; continue; }
        if (cli_is_help(a)) { fputs(help, stdout); goto done; }
#define NEED(name) do { if (!(v = cli_opt_value(argc, argv, &i, name))) { rc = cli_usage("detect", "%s needs a value", name); goto done; } } while (0)
#define DBL(name, field) else if (cli_is_opt(a, name)) { NEED(name); if (cli_parse_double(v, &x)) { rc = cli_usage("detect", "bad %s '%s'", name, v); goto done; } o.field = x; }
#define U64(name, field) else if (cli_is_opt(a, name)) { NEED(name); if (cli_parse_u64(v, &u) || u > 0xFFFFFFFFull) { rc = cli_usage("detect", "bad %s '%s'", name, v); goto done; } o.field = (uint32_t)u; }
        if (strcmp(a, "-o") == 0) {
            if (i + 1 >= argc) { rc = cli_usage("detect", "-o needs a value"); goto done; }
            dir = argv[++i];
        } else if (cli_is_opt(a, "--output")) { NEED("--output"); dir = v; }
        DBL("--rt-window", rt_window_s)
        DBL("--text-window", text_window_s)
        DBL("--post-window", post_window_s)
        DBL("--alpha", alpha)
        DBL("--resolution", resolution)
        DBL("--min-score", min_score)
        DBL("--expand-share", expand_share)
        DBL("--merge-share", merge_share)
        U64("--cap", cap)
        U64("--min-size", min_size)
        U64("--expand-min", expand_min)
        else if (cli_is_opt(a, "--seed")) {
            NEED("--seed");
            if (cli_parse_u64(v, &u)) { rc = cli_usage("detect", "bad --seed '%s'", v); goto done; }
            o.seed = u;
        } else if (cli_is_opt(a, "--layers")) { NEED("--layers"); o.layers = v; }
        else if (cli_is_opt(a, "--objective")) {
            NEED("--objective");
            if (strcmp(v, "modularity") == 0) o.cpm = 0;
            else if (strcmp(v, "cpm") == 0) o.cpm = 1;
            else { rc = cli_usage("detect", "--objective is modularity or cpm, not '%s'", v); goto done; }
        } else if (cli_is_opt(a, "--threads")) {
            NEED("--threads");
            if (cli_parse_u64(v, &threads) || threads > 1024) { rc = cli_usage("detect", "bad --threads '%s'", v); goto done; }
        } else if (strcmp(a, "--quiet") == 0) quiet = 1;
        else if (cli_is_opt(a, "--db")) { NEED("--db"); db_path = v; }
        else if (strcmp(a, "--no-assess") == 0) no_assess = 1;
        else if (strcmp(a, "--one-operation") == 0) o.one_operation = 1;
        else if (strcmp(a, "--report") == 0) want_report = 1;
        else { rc = cli_usage("detect", "unknown option '%s'", a); goto done; }
#undef NEED
#undef DBL
#undef U64
    }
    if (!dir) { rc = cli_usage("detect", "no output folder (-o DIR)"); goto done; }
    if (n_files == 0) { rc = cli_usage("detect", "no input store or files"); goto done; }
    if ((st = ls_ctx_new(&ctx)) != LS_OK) { rc = cli_fail("detect", NULL, st); goto done; }
    ls_ctx_set_threads(ctx, (int)threads);
    if (!quiet) ls_ctx_set_progress(ctx, stderr);
    /* The case database is checked before any work: a foreign, newer or
     * locked file stops the run early and is left untouched. */
    if (db_path && !no_assess && (st = ls_casedb_open(ctx, db_path, 0, 0, &db)) != LS_OK) {
        rc = cli_fail("detect", ctx, st); goto done;
    }
    if (n_files == 1 && is_store(files[0])) {
        store = strdup(files[0]);
    } else {
        /* Raw input: ingest it next to the results, so the run can be
         * repeated on the store. */
        if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "lockstep detect: %s: cannot create folder: %s\n", dir, strerror(errno));
            rc = LS_EXIT_IO; goto done;
        }
        size_t n = strlen(dir) + 16;
        store = malloc(n);
        if (store) snprintf(store, n, "%s/store.lss", dir);
        ls_ingest_opts io;
        memset(&io, 0, sizeof io);
        io.format = "auto";
        io.report = quiet ? NULL : stderr;
        if (store && (st = ls_ingest(ctx, &io, files, n_files, store)) != LS_OK) { rc = cli_fail("detect", ctx, st); goto done; }
    }
    if (!store) { fprintf(stderr, "lockstep detect: out of memory\n"); rc = LS_EXIT_NOMEM; goto done; }
    if ((st = ls_detect(ctx, &o, store, dir, quiet ? NULL : stdout)) != LS_OK) { rc = cli_fail("detect", ctx, st); goto done; }
    /* Narratives, traction and archive links go into networks.json. */
    if (!no_assess && ((st = ls_store_open(ctx, store, &ast)) != LS_OK ||
                       (st = ls_assess(ctx, ast, db, dir, quiet ? NULL : stdout)) != LS_OK)) {
        rc = cli_fail("detect", ctx, st);
        goto done;
    }
    /* The report reads the finished run folder, so it comes last. */
    if (want_report) {
        ls_report_opts ro;
        memset(&ro, 0, sizeof ro);
        ro.store = store;
        if ((st = ls_report(ctx, dir, &ro)) != LS_OK) { rc = cli_fail("detect", ctx, st); goto done; }
        if (!quiet) printf("report: %s/report.html\n", dir);
    }
done:
    ls_store_close(ast);
    ls_casedb_close(db);
    free(store);
    free(files);
    ls_ctx_free(ctx);
    return rc;
}
