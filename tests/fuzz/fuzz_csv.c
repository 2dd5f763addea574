/*
 * fuzz_csv.c — libFuzzer target for the streaming CSV record reader: any
 * bytes must parse without crash, over-read or leak, every record must
 * have at least one field, fields must lie inside the reader's memory
 * (ASan checks the reads below), and line numbers must never go back.
 */
#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ls_ctx *ctx = NULL;
    ls__src *src = NULL;
    ls__csv *c = NULL;
    ls__csv_row row;
    uint64_t last = 0, sum = 0;
    if (ls_ctx_new(&ctx) != LS_OK) return 0;
    if (ls__src_mem(ctx, "fuzz.csv", data, size, &src) != LS_OK) goto done;
    if (ls__csv_new(src, &c) != LS_OK) goto done;
    while (ls__csv_next(c, &row) == LS_OK && row.n > 0) {
        if (row.line < last) __builtin_trap();
        last = row.line;
        for (size_t i = 0; i < row.n; i++)
            for (size_t j = 0; j < row.f[i].n; j++) sum += (unsigned char)row.f[i].p[j];
    }
    (void)sum;
done:
    ls__csv_free(c);
    ls__src_close(src);
    ls_ctx_free(ctx);
    return 0;
}
