/*
 * fuzz_io_row.c — libFuzzer target for the whole IO-archive parser (and,
 * by the first input byte, the QUT and mapped-CSV parsers, which share its
 * row checks): the input is a CSV file in memory fed through a parse
 * environment and a store builder that is freed without writing anything.
 * Any bytes must give LS_OK or a clean error, never a crash or leak.
 */
#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ls_ctx *ctx = NULL;
    ls__src *src = NULL;
    ls__builder *b = NULL;
    ls__env e;
    memset(&e, 0, sizeof e);
    int which = size > 0 ? data[0] % 4 : 0;
    if (size > 0) { data++; size--; }
    if (ls_ctx_new(&ctx) != LS_OK) return 0;
    if (ls__builder_new(ctx, &b) != LS_OK) goto done;
    if (ls__src_mem(ctx, "fuzz.csv", data, size, &src) != LS_OK) goto done;
    e.ctx = ctx;
    e.b = b;
    e.file = "fuzz.csv";
    e.strict = which == 3;
    e.map = "account=userid,id=tweetid,time=tweet_time,text=tweet_text,urls=urls,hashtags=hashtags";
    if (which == 1) (void)ls__parse_qut(&e, src);
    else if (which == 2) (void)ls__parse_csvmap(&e, src);
    else (void)ls__parse_io(&e, src);
done:
    ls__buf_free(&e.scratch);
    ls__src_close(src);
    ls__builder_free(b);
    ls_ctx_free(ctx);
    return 0;
}
