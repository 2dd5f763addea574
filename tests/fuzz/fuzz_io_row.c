/*
 * fuzz_io_row.c — libFuzzer target for the whole IO-archive parser (and,
 * by the first input byte, the QUT and mapped-CSV parsers, which share its
 * row checks, the latter also with its map guessed from the header): the input is a CSV file in memory fed through a parse
 * environment and a store builder that is freed without writing anything.
 * Any bytes must give LS_OK or a clean error, never a crash or leak
 * (the harness is fuzz_parse.h).
 */
#include "fuzz_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const fuzz_parser parsers[5] = { ls__parse_io, ls__parse_qut, ls__parse_csvmap, ls__parse_io,
                                            ls__parse_csvmap };
    int which = size > 0 ? data[0] % 5 : 0;
    if (size > 0) { data++; size--; }
    /* Byte 0 % 5: 0 io, 1 qut, 2 mapped CSV, 3 io in strict mode, 4 CSV
     * with the map guessed from its header (csvguess.c).  Only crashes,
     * over-reads and leaks are checked here: a non-strict CSV parse may
     * end with a clean error status. */
    return fuzz_parse(data, size, "fuzz.csv",
                      which == 4 ? NULL
                                 : "account=userid,id=tweetid,time=tweet_time,text=tweet_text,urls=urls,hashtags=hashtags",
                      which == 3, 0, parsers[which]);
}
