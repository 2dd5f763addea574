/*
 * fuzz_simcsv.c — libFuzzer target for the evaluator's CSV reader
 * (src/sim/csvread.c), which reads accounts.csv files written by other
 * tools.  Every record must end inside the buffer, fields must be
 * NUL-terminated strings inside the data, line numbers must never go
 * backwards, and an error must carry a "name:line:" message.
 */
#include "sim/sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ls_ctx *ctx = NULL;
    ls__simcsv c;
    if (ls_ctx_new(&ctx) != LS_OK) return 0;
    if (ls__simcsv_mem(ctx, &c, "fuzz.csv", data, size) != LS_OK) goto done;
    uint64_t last = 0;
    for (size_t guard = 0; guard <= size + 1; guard++) {
        int st = ls__simcsv_next(ctx, &c);
        if (st != LS_OK) {
            if (strncmp(ls_ctx_message(ctx), "fuzz.csv:", 9) != 0) __builtin_trap();
            break;
        }
        if (c.nf == 0) break;
        if (c.line < last || c.pos > c.n) __builtin_trap();
        last = c.line;
        for (size_t i = 0; i < c.nf; i++) {
            if (c.f[i] < c.data || c.f[i] > c.data + c.n) __builtin_trap();
            if (strlen(c.f[i]) > c.n) __builtin_trap();
        }
        if (guard == size + 1) __builtin_trap();   /* every record consumes input */
    }
    ls__simcsv_close(&c);
done:
    ls_ctx_free(ctx);
    return 0;
}
