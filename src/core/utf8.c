/*
 * utf8.c — UTF-8 validation and repair.  Input text is hostile: every
 * invalid sequence (bad lead byte, truncated sequence, overlong form,
 * surrogate, code point above U+10FFFF) becomes U+FFFD and is counted.
 */
#include "core.h"

/* Length of the valid sequence at s[0..n), or 0 if invalid. */
static size_t seq_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return (n >= 2 && (s[1] & 0xC0) == 0x80) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80) return 0;
        if (c == 0xE0 && s[1] < 0xA0) return 0;   /* overlong */
        if (c == 0xED && s[1] >= 0xA0) return 0;  /* surrogate */
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80) return 0;
        if (c == 0xF0 && s[1] < 0x90) return 0;   /* overlong */
        if (c == 0xF4 && s[1] >= 0x90) return 0;  /* above U+10FFFF */
        return 4;
    }
    return 0;
}

size_t ls__utf8_valid_prefix(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        /* fast path over ASCII, 8 bytes at a time */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, u + i, 8);
            if (w & 0x8080808080808080ull) break;
            i += 8;
        }
        if (i >= n) break;
        size_t k = seq_len(u + i, n - i);
        if (!k) return i;
        i += k;
    }
    return n;
}

int ls__utf8_repair(ls__buf *b, const char *s, size_t n, size_t *repaired)
{
    size_t fixes = 0, i = 0;
    const unsigned char *u = (const unsigned char *)s;
    while (i < n) {
        size_t good = ls__utf8_valid_prefix(s + i, n - i);
        if (good && ls__buf_put(b, s + i, good)) return LS_ERR_NOMEM;
        i += good;
        if (i >= n) break;
        if (ls__buf_put(b, "\xEF\xBF\xBD", 3)) return LS_ERR_NOMEM;
        fixes++;
        /* skip the bad lead byte and any continuation bytes after it */
        i++;
        while (i < n && (u[i] & 0xC0) == 0x80) i++;
    }
    if (repaired) *repaired = fixes;
    return LS_OK;
}
