/*
 * fuzz_parse.h — the harness shared by the parser fuzz targets (fuzz_v1.c,
 * fuzz_v2.c, fuzz_io_row.c): the input bytes are a source in memory,
 * parsed through a parse environment into a store builder that is freed
 * without writing anything.  Never a crash, an over-read or a leak; with
 * check set, any bytes must also give LS_OK (bad rows are counted, not
 * fatal) or, in strict mode, LS_ERR_PARSE.
 */
#ifndef LS_FUZZ_PARSE_H
#define LS_FUZZ_PARSE_H
#include "ingest/ingest.h"

typedef int (*fuzz_parser)(ls__env *, ls__src *);

static inline int fuzz_parse(const uint8_t *data, size_t size, const char *file, const char *map,
                             int strict, int check, fuzz_parser parse)
{
    ls_ctx *ctx = NULL;
    ls__src *src = NULL;
    ls__builder *b = NULL;
    ls__env e;
    memset(&e, 0, sizeof e);
    if (ls_ctx_new(&ctx) != LS_OK) return 0;
    if (ls__builder_new(ctx, &b) != LS_OK) goto done;
    if (ls__src_mem(ctx, file, data, size, &src) != LS_OK) goto done;
    e.ctx = ctx;
    e.b = b;
    e.file = file;
    e.strict = strict;
    e.map = map;
    int st = parse(&e, src);
    if (check && st != LS_OK && st != LS_ERR_NOMEM && !(strict && st == LS_ERR_PARSE)) __builtin_trap();
done:
    ls__buf_free(&e.scratch);
    ls__src_close(src);
    ls__builder_free(b);
    ls_ctx_free(ctx);
    return 0;
}

/* The JSON targets: the first byte picks strict mode when odd, so both
 * paths are fuzzed. */
static inline int fuzz_json(const uint8_t *data, size_t size, fuzz_parser parse)
{
    int strict = size > 0 && (data[0] & 1);
    if (size > 0) { data++; size--; }
    return fuzz_parse(data, size, "fuzz.json", NULL, strict, 1, parse);
}
#endif
