/*
 * fuzz_time.c — libFuzzer target for time fields and snowflake ids: any
 * bytes parse without crash; an accepted time lies in 1970..2100, and a
 * snowflake time, when there is one, lies in 2010-11-05..2100.
 */
#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ls__str s = { (const char *)data, size };
    int64_t ms = 0;
    if (ls__time_parse(s, &ms) == LS_OK && (ms < 0 || ms > 4102444800000LL)) __builtin_trap();
    int64_t sf = ls__snowflake_ms(s);
    if (sf != LS__TIME_NONE && (sf < 1288921374657LL || sf > 4102444800000LL)) __builtin_trap();
    int v;
    (void)ls__bool_parse(s, &v);
    int64_t c;
    if (ls__count_parse(s, &c) == LS_OK && c < -1) __builtin_trap();
    return 0;
}
