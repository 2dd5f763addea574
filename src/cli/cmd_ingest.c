/*
 * cmd_ingest.c — `lockstep ingest`: reads platform data into an event
 * store.  Option parsing only; the work is ls_ingest().
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: lockstep ingest [OPTIONS] -o STORE FILE...\n"
    "\n"
    "Reads platform activity into an event store.  FILE may be '-' for\n"
    "stdin; gzip, zstd, bzip2, xz, lzip and lz4 input is decompressed as a\n"
    "stream, recognised by its first bytes.  A zip, tar (.tar.gz ...), 7z or\n"
    "rar archive is read entry by entry, each entry an input; media and\n"
    "metadata entries are skipped and reported.  A folder stands for the\n"
    "files under it (depth first, names in byte order).  Several files go\n"
    "into one store.\n"
    "\n"
    "options:\n"
    "  -o, --output STORE   the store to write (atomically: a failed run\n"
    "                       leaves no store and an existing one untouched)\n"
    "  --format FMT         auto (default), io (Twitter IO archive tweets or\n"
    "                       users CSV), v1 (API v1.1 JSON lines), v2 (API v2\n"
    "                       pages or flat rows), qut (QUT coordination toolkit\n"
    "                       CSV), csv (any CSV or TSV with a header, read\n"
    "                       through --map), json (JSON lines of any other\n"
    "                       schema, members named in --map; \"user.id\" for a\n"
    "                       nested one).  Without --map, and for files auto\n"
    "                       does not know, the map is guessed from the names\n"
    "                       and printed\n"
    "  --map SPEC           columns for --format csv (implied by --map), e.g.\n"
    "                       account=account_id,id=post_id,time=timestamp,object=url\n"
    "  --strict             the first rejected or repaired row is an error\n"
    "                       naming file and line (exit 1)\n"
    "  --append             add to an existing STORE instead of replacing it\n"
    "  --quiet              no summary and no progress\n"
    "  --threads N          0 (default) uses every core: the store builder then\n"
    "                       runs beside the parser; 1 keeps to one thread.  The\n"
    "                       store is the same either way\n"
    "  -h, --help           this text\n"
    "\n"
    "Bad rows are counted by reason with their first file:line examples and\n"
    "summarised at the end; see 'lockstep info STORE'.\n"
    "exit codes: 0 ok, 1 bad input, 2 usage, 3 I/O (missing file, truncated\n"
    "archive, full disk), 4 out of memory\n";

int cmd_ingest(int argc, char **argv)
{
    ls_ingest_opts o = { 0 };
    const char *store = NULL;
    const char **files = NULL;
    size_t n_files = 0;
    int quiet = 0, only_files = 0, rc, threads = 0;
    ls_ctx *ctx = NULL;

    files = calloc((size_t)argc + 1, sizeof *files);
    if (!files) { fprintf(stderr, "lockstep ingest: out of memory\n"); return LS_EXIT_NOMEM; }
    o.format = "auto";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_files || a[0] != '-' || strcmp(a, "-") == 0) { files[n_files++] = a; continue; }
        if (strcmp(a, "--") == 0) { only_files = 1; continue; }
        if (cli_is_help(a)) { fputs(help, stdout); free(files); return LS_EXIT_OK; }
        if (strcmp(a, "-o") == 0 || cli_is_opt(a, "--output")) {
            if (!(store = strcmp(a, "-o") == 0 ? (i + 1 < argc ? argv[++i] : NULL) : cli_opt_value(argc, argv, &i, "--output")))
                { free(files); return cli_usage("ingest", "%s needs a value", a); }
        } else if (cli_is_opt(a, "--format")) {
            if (!(o.format = cli_opt_value(argc, argv, &i, "--format")))
                { free(files); return cli_usage("ingest", "--format needs a value"); }
        } else if (cli_is_opt(a, "--map")) {
            if (!(o.map = cli_opt_value(argc, argv, &i, "--map")))
                { free(files); return cli_usage("ingest", "--map needs a value"); }
        } else if (cli_is_opt(a, "--threads")) {
            const char *v = cli_opt_value(argc, argv, &i, "--threads");
            unsigned long long t;
            if (!v || cli_parse_u64(v, &t) || t > 1024)
                { free(files); return cli_usage("ingest", "--threads needs a number (0 = all cores)"); }
            threads = (int)t;
        } else if (strcmp(a, "--strict") == 0) {
            o.strict = 1;
        } else if (strcmp(a, "--append") == 0) {
            o.append = 1;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            quiet = 1;
        } else {
            free(files);
            return cli_usage("ingest", "unknown option '%s'", a);
        }
    }
    if (!store) { free(files); return cli_usage("ingest", "no output store: give -o STORE"); }
    if (!n_files) { free(files); return cli_usage("ingest", "no input files"); }
    if (o.map && strcmp(o.format, "csv") != 0 && strcmp(o.format, "json") != 0 && strcmp(o.format, "auto") != 0)
        { free(files); return cli_usage("ingest", "--map is only for --format csv or json"); }
    if (o.map && strcmp(o.format, "auto") == 0) o.format = "csv";

    if (ls_ctx_new(&ctx)) { free(files); fprintf(stderr, "lockstep ingest: out of memory\n"); return LS_EXIT_NOMEM; }
    ls_ctx_set_progress(ctx, quiet ? NULL : stderr);
    ls_ctx_set_threads(ctx, threads);
    o.report = quiet ? NULL : stdout;
    rc = ls_ingest(ctx, &o, files, n_files, store);
    if (rc == LS_ERR_USAGE) rc = cli_usage("ingest", "%s", ls_ctx_message(ctx));
    else if (rc) rc = cli_fail("ingest", ctx, rc);
    ls_ctx_free(ctx);
    free(files);
    return rc;
}
