/*
 * cmd_info.c — `lockstep info STORE [--json]`: the summary of an event
 * store (counts, time range, languages, rejected, repaired and skipped rows).
 */
#include "cli.h"

#include <string.h>

static const char help[] =
    "usage: lockstep info STORE [--json]\n"
    "\n"
    "Summarises an event store: accounts, posts (tweets, retweets, quotes,\n"
    "replies), distinct hashtags, URLs, domains, texts, images and mentioned\n"
    "accounts, the time range (UTC), languages, client apps, rows read, and\n"
    "rejected, repaired and skipped rows (stream notices) by reason with\n"
    "file:line examples.  The store's checksum is verified.\n"
    "\n"
    "options:\n"
    "  --json      one JSON object with a fixed key order (for scripts)\n"
    "  -h, --help  this text\n";

int cmd_info(int argc, char **argv)
{
    const char *path = NULL;
    int json = 0, rc;
    ls_ctx *ctx = NULL;
    ls_store *s = NULL;

    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) { fputs(help, stdout); return LS_EXIT_OK; }
        if (strcmp(argv[i], "--json") == 0) json = 1;
        else if (argv[i][0] == '-' && argv[i][1]) return cli_usage("info", "unknown option '%s'", argv[i]);
        else if (path) return cli_usage("info", "one store at a time ('%s' and '%s')", path, argv[i]);
        else path = argv[i];
    }
    if (!path) return cli_usage("info", "no store given");
    if (ls_ctx_new(&ctx)) { fprintf(stderr, "lockstep info: out of memory\n"); return LS_EXIT_NOMEM; }
    rc = ls_store_open(ctx, path, &s);
    if (rc == LS_OK) rc = ls_store_info(ctx, s, stdout, json);
    if (rc) rc = cli_fail("info", ctx, rc);
    ls_store_close(s);
    ls_ctx_free(ctx);
    return rc;
}
