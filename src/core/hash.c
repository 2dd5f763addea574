/*
 * hash.c — the library's one hash function: XXH3-64 from Debian's libxxhash,
 * with an explicit seed so that results are the same on every run.
 */
#include "core.h"
#define XXH_INLINE_ALL
#include <xxhash.h>

uint64_t ls__hash64(const void *p, size_t n, uint64_t seed)
{
    return XXH3_64bits_withSeed(p, n, seed);
}
