/*
 * fuzz_list.c — libFuzzer target for Python-style list fields: any bytes
 * parse without crash or over-read; every item lies inside the input or
 * the scratch buffer, and the count never exceeds the capacity given.
 */
#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ls__str items[16];
    size_t n = 0;
    ls__buf sc = { 0 };
    ls__str s = { (const char *)data, size };
    int rc = ls__list_parse(s, items, 16, &n, &sc);
    if (rc != LS_OK && rc != LS_ERR_PARSE && rc != LS_ERR_NOMEM) __builtin_trap();
    if (n > 16) __builtin_trap();
    for (size_t i = 0; i < n; i++) {
        const char *p = items[i].p;
        int in_input = p >= s.p && p + items[i].n <= s.p + s.n;
        int in_scratch = sc.p && p >= sc.p && p + items[i].n <= sc.p + sc.n;
        if (!in_input && !in_scratch) __builtin_trap();
    }
    ls__buf_free(&sc);
    return 0;
}
