/*
 * fuzz_jsonstream.c — libFuzzer target for large pretty-printed JSON
 * documents read row by row (src/ingest/jsonstream.c) through the
 * other-schema JSON parser: the streaming threshold is set to 0, so every
 * document that starts with an incomplete first line is streamed
 * (top-level arrays, Telegram chat and full-account exports, objects kept
 * as skeletons, damage and cut documents).  Byte 0 picks strict mode.
 * Only crashes, over-reads and leaks are checked (a first object that
 * gives no account and time is a clean LS_ERR_FORMAT).
 */
#include "fuzz_parse.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setenv("LOCKSTEP_JSON_STREAM_AT", "0", 1);
    int strict = size > 0 && (data[0] & 1);
    if (size > 0) { data++; size--; }
    return fuzz_parse(data, size, "fuzz.json", NULL, strict, 0, ls__parse_jsonmap);
}
