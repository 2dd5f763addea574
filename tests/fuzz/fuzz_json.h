/*
 * fuzz_json.h — the harness shared by the JSON parser fuzz targets
 * (fuzz_v1.c, fuzz_v2.c): the input bytes are a source in memory, parsed
 * through a parse environment into a store builder that is freed without
 * writing anything.  Any bytes must give LS_OK (bad lines are counted, not
 * fatal) or, in strict mode, LS_ERR_PARSE, never a crash, an over-read or a
 * leak.  The first byte picks strict mode when odd, so both paths are fuzzed.
 */
#ifndef LS_FUZZ_JSON_H
#define LS_FUZZ_JSON_H
#include "ingest/ingest.h"

static int fuzz_json(const uint8_t *data, size_t size,
                     int (*parse)(ls__env *, ls__src *))
{
    ls_ctx *ctx = NULL;
    ls__src *src = NULL;
    ls__builder *b = NULL;
    ls__env e;
    int st, strict = size > 0 && (data[0] & 1);
    memset(&e, 0, sizeof e);
    if (size > 0) { data++; size--; }
    if (ls_ctx_new(&ctx) != LS_OK) return 0;
    if (ls__builder_new(ctx, &b) != LS_OK) goto done;
    if (ls__src_mem(ctx, "fuzz.json", data, size, &src) != LS_OK) goto done;
    e.ctx = ctx;
    e.b = b;
    e.file = "fuzz.json";
    e.strict = strict;
    st = parse(&e, src);
    if (st != LS_OK && st != LS_ERR_NOMEM && !(strict && st == LS_ERR_PARSE)) __builtin_trap();
done:
    ls__buf_free(&e.scratch);
    ls__src_close(src);
    ls__builder_free(b);
    ls_ctx_free(ctx);
    return 0;
}
#endif
