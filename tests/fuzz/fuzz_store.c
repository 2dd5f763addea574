/*
 * fuzz_store.c — libFuzzer target for the event store reader: any bytes
 * given as a store file must open cleanly or fail with LS_ERR_FORMAT /
 * LS_ERR_CORRUPT, and a store that opens must be safe to summarise and
 * search (ls_store_info, ls__strtab_find).  The checksum would reject
 * almost every mutation, so the target fixes the checksum up first: the
 * structure checks behind it are what is being fuzzed.
 *
 * The seed corpus (tests/fuzz/corpus/fuzz_store/) holds small real stores.
 */
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    static FILE *devnull;
    ls_ctx *ctx = NULL;
    ls_store *s = NULL;
    unsigned char *copy;

    if (!path[0]) snprintf(path, sizeof path, "/tmp/fuzz_store.%ld", (long)getpid());
    if (!devnull) devnull = fopen("/dev/null", "w");
    copy = malloc(size ? size : 1);
    if (!copy) return 0;
    memcpy(copy, data, size);
    if (size >= 32) {
        uint64_t h = XXH3_64bits(copy + 32, size - 32);
        for (int i = 0; i < 8; i++) copy[24 + i] = (unsigned char)(h >> (8 * i));
    }
    FILE *f = fopen(path, "wb");
    if (!f) { free(copy); return 0; }
    fwrite(copy, 1, size, f);
    fclose(f);
    free(copy);
    if (ls_ctx_new(&ctx)) return 0;
    int st = ls_store_open(ctx, path, &s);
    if (st == LS_OK) {
        ls_store_info(ctx, s, devnull, 1);
        ls_store_info(ctx, s, devnull, 0);
        for (int k = 0; k < LS_NS_COUNT; k++) {
            ls__strtab *t = &s->ns[k];
            if (t->n) {
                ls__str first = ls__strtab_get(t, 0);
                if (ls__strtab_find(t, first) == LS__NONE) abort();
            }
            ls__strtab_find(t, LS__S("x"));
        }
        ls_store_close(s);
    } else if (st != LS_ERR_FORMAT && st != LS_ERR_CORRUPT && st != LS_ERR_IO && st != LS_ERR_NOMEM) {
        abort();
    }
    ls_ctx_free(ctx);
    unlink(path);
    return 0;
}
