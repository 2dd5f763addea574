/*
 * fuzz_jsonmap.c — libFuzzer target for JSON lines of other schemas
 * (ls__parse_jsonmap: the header from the first object, the map guessed
 * from its member names, each object through the mapped-CSV reader); the
 * harness is fuzz_parse.h (byte 0: strict mode).  A first object whose
 * names give no account and time is a clean LS_ERR_FORMAT here, so only
 * crashes, over-reads and leaks are checked, not the status.
 */
#include "fuzz_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int strict = size > 0 && (data[0] & 1);
    if (size > 0) { data++; size--; }
    return fuzz_parse(data, size, "fuzz.json", NULL, strict, 0, ls__parse_jsonmap);
}
