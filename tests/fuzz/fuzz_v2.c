/*
 * fuzz_v2.c — libFuzzer target for the API v2 JSON parser (ls__parse_v2
 * with the shared JSON reader, jsonread.c); the harness and what it
 * checks are in fuzz_parse.h.
 */
#include "fuzz_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_json(data, size, ls__parse_v2);
}
