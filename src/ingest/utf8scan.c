/*
 * utf8scan.c — is a whole CSV row valid UTF-8?  The CSV parsers ask this
 * once per row (ls__fix_fields) before they look at single fields, and
 * with tweet texts in Chinese the byte-by-byte check (ls__utf8_valid_prefix,
 * about 3.3 instructions a byte) was a tenth of all ingest instructions.
 *
 * On x86-64 CPUs with SSSE3 this is the "lookup" algorithm of Keiser and
 * Lemire ("Validating UTF-8 in less than one instruction per byte",
 * Software: Practice and Experience 2021, as in simdjson): each byte is
 * classified by three 16-entry table lookups (high nibble of the byte
 * before it, low nibble of the byte before it, high nibble of itself)
 * whose AND flags every invalid two-byte pattern (too short, too long,
 * overlong, surrogate, above U+10FFFF); the third and fourth bytes of
 * three- and four-byte sequences are checked by where a continuation must
 * be.  16 bytes at a time, about one instruction a byte.  The tail is
 * padded with zero bytes (ASCII), so a sequence cut off by the end of the
 * input shows up as "too short".  Elsewhere, or without SSSE3, the
 * scalar check answers.  Both give the same answer for every input
 * (tests/unit/test_csv_utf8.c compares them exhaustively on short
 * sequences and on random bytes).
 */
#include "csvrow.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HAVE_LOOKUP 1
#endif

#ifdef HAVE_LOOKUP
enum {
    TOO_SHORT = 1 << 0, TOO_LONG = 1 << 1, OVERLONG_3 = 1 << 2, TOO_LARGE = 1 << 3,
    SURROGATE = 1 << 4, OVERLONG_2 = 1 << 5, TOO_LARGE_1000 = 1 << 6, OVERLONG_4 = 1 << 6,
    TWO_CONTS = 1 << 7,
    CARRY = TOO_SHORT | TOO_LONG | TWO_CONTS
};

/* The three lookup tables: classes of the previous byte's high nibble,
 * of its low nibble, and of this byte's high nibble. */
static const unsigned char T1[16] = {
    TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
    TWO_CONTS, TWO_CONTS, TWO_CONTS, TWO_CONTS,
    TOO_SHORT | OVERLONG_2, TOO_SHORT, TOO_SHORT | OVERLONG_3 | SURROGATE,
    TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4
};
static const unsigned char T2[16] = {
    CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4, CARRY | OVERLONG_2, CARRY, CARRY,
    CARRY | TOO_LARGE, CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE,
    CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000
};
static const unsigned char T3[16] = {
    TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
    TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4,
    TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE,
    TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
    TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
    TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT
};

__attribute__((target("ssse3")))
static inline __m128i check_block(__m128i in, __m128i prev)
{
    const __m128i nib = _mm_set1_epi8(0x0F);
    const __m128i t1 = _mm_loadu_si128((const __m128i *)(const void *)T1);
    const __m128i t2 = _mm_loadu_si128((const __m128i *)(const void *)T2);
    const __m128i t3 = _mm_loadu_si128((const __m128i *)(const void *)T3);
    __m128i prev1 = _mm_alignr_epi8(in, prev, 15);
    __m128i b1h = _mm_shuffle_epi8(t1, _mm_and_si128(_mm_srli_epi16(prev1, 4), nib));
    __m128i b1l = _mm_shuffle_epi8(t2, _mm_and_si128(prev1, nib));
    __m128i b2h = _mm_shuffle_epi8(t3, _mm_and_si128(_mm_srli_epi16(in, 4), nib));
    __m128i special = _mm_and_si128(_mm_and_si128(b1h, b1l), b2h);
    /* A byte two after a 111xxxxx lead or three after a 1111xxxx lead must
     * be a continuation; the tables flag two continuations in a row, and
     * this flag cancels that where it is required. */
    __m128i prev2 = _mm_alignr_epi8(in, prev, 14), prev3 = _mm_alignr_epi8(in, prev, 13);
    __m128i third = _mm_subs_epu8(prev2, _mm_set1_epi8((char)(0xE0 - 0x80)));
    __m128i fourth = _mm_subs_epu8(prev3, _mm_set1_epi8((char)(0xF0 - 0x80)));
    __m128i must23 = _mm_and_si128(_mm_or_si128(third, fourth), _mm_set1_epi8((char)0x80));
    return _mm_xor_si128(must23, special);
}

__attribute__((target("ssse3")))
static bool valid_lookup(const char *s, size_t n)
{
    __m128i prev = _mm_setzero_si128(), err = _mm_setzero_si128();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m128i in = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        /* An all-ASCII block after a block that ended on a complete
         * sequence needs no lookups: it cannot hold an error. */
        if (_mm_movemask_epi8(in) == 0 && _mm_movemask_epi8(prev) == 0) { prev = in; continue; }
        err = _mm_or_si128(err, check_block(in, prev));
        prev = in;
    }
    /* The tail, padded with zeros, then a zero block that flags a
     * sequence the input cut short. */
    unsigned char last[16] = { 0 };
    memcpy(last, s + i, n - i);
    __m128i in = _mm_loadu_si128((const __m128i *)(const void *)last);
    err = _mm_or_si128(err, check_block(in, prev));
    err = _mm_or_si128(err, check_block(_mm_setzero_si128(), in));
    return _mm_movemask_epi8(_mm_cmpeq_epi8(err, _mm_setzero_si128())) == 0xFFFF;
}
#endif

bool ls__utf8_all_valid(const char *s, size_t n)
{
#ifdef HAVE_LOOKUP
    static int ssse3 = -1;
    if (ssse3 < 0) ssse3 = __builtin_cpu_supports("ssse3") ? 1 : 0;
    if (ssse3) return valid_lookup(s, n);
#endif
    return ls__utf8_valid_prefix(s, n) == n;
}
