/*
 * test_csv_utf8.c — the row-wide UTF-8 check of the CSV parsers
 * (ls__utf8_all_valid, src/ingest/utf8scan.c) must give exactly the
 * answer of the byte-by-byte ls__utf8_valid_prefix(s, n) == n: on hand
 * picked valid and invalid sequences, on every sequence of up to three
 * bytes and on every four-byte sequence with a lead byte of F0..F4 (each
 * at every offset around a 16-byte block boundary), and on random bytes.
 */
#include "ingest/csvrow.h"
#include "test.h"
#include <stdlib.h>

static int agree(const char *s, size_t n)
{
    return ls__utf8_all_valid(s, n) == (ls__utf8_valid_prefix(s, n) == n);
}

/* Places seq (k bytes) at offset at inside an ASCII buffer of total n
 * bytes and checks both functions agree, with and without the ASCII
 * after it (so the sequence also ends the input). */
static int agree_at(const unsigned char *seq, size_t k, size_t at, size_t n)
{
    char buf[64];
    memset(buf, 'a', sizeof buf);
    memcpy(buf + at, seq, k);
    return agree(buf, n) && agree(buf, at + k);
}

TEST(hand_picked)
{
    static const struct { const char *s; int valid; } cases[] = {
        { "", 1 }, { "plain ascii text, long enough to fill two blocks", 1 },
        { "香港 HongKong 新闻 and more Chinese 郭文贵 text here", 1 },
        { "\xC2\xA9", 1 }, { "\xDF\xBF", 1 }, { "\xE0\xA0\x80", 1 }, { "\xED\x9F\xBF", 1 },
        { "\xEF\xBF\xBD", 1 }, { "\xF0\x90\x80\x80", 1 }, { "\xF4\x8F\xBF\xBF", 1 },
        { "\xF0\x9F\x98\x80 emoji", 1 },
        { "\x80", 0 }, { "\xC0\xAF", 0 }, { "\xC1\xBF", 0 }, { "\xE0\x9F\xBF", 0 },
        { "\xED\xA0\x80", 0 }, { "\xF0\x8F\xBF\xBF", 0 }, { "\xF4\x90\x80\x80", 0 },
        { "\xF5\x80\x80\x80", 0 }, { "\xFF", 0 }, { "\xC3", 0 }, { "\xE4\xB8", 0 },
        { "\xF0\x9F\x98", 0 }, { "abc\xE4\xB8" "d", 0 }, { "\xE4\xB8\xAD\xAD", 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = strlen(cases[i].s);
        CHECK_EQ_INT(ls__utf8_all_valid(cases[i].s, n), cases[i].valid);
        CHECK(agree(cases[i].s, n));
    }
}

TEST(every_short_sequence)
{
    unsigned char q[4];
    long bad = 0, valid = 0;
    static const size_t offs[] = { 0, 14, 15 };
    for (unsigned a = 0; a < 256; a++)
        for (size_t o = 0; o < sizeof offs / sizeof offs[0]; o++) {
            q[0] = (unsigned char)a;
            if (!agree_at(q, 1, offs[o], 48)) bad++;
            for (unsigned b = 0; b < 256; b++) {
                q[1] = (unsigned char)b;
                if (!agree_at(q, 2, offs[o], 48)) bad++;
                if (a < 0xE0 || a > 0xEF) continue;   /* three bytes: E0..EF leads */
                for (unsigned c = 0; c < 256; c++) {
                    q[2] = (unsigned char)c;
                    if (!agree_at(q, 3, offs[o], 48)) bad++;
                    else valid += ls__utf8_valid_prefix((const char *)q, 3) == 3;
                }
            }
        }
    CHECK_EQ_INT(bad, 0);
    /* 16 leads x 64 x 64 continuations minus the overlong E0 80..9F and
     * surrogate ED A0..BF rows: 16 * 4096 - 2 * 32 * 64 = 61,440 three-byte
     * characters, at each of the three offsets. */
    CHECK_EQ_INT(valid, 61440L * 3);
}

TEST(four_byte_sequences)
{
    unsigned char q[4];
    long bad = 0, valid = 0;
    for (unsigned a = 0xF0; a <= 0xF7; a++)
        for (unsigned b = 0x70; b < 0xD0; b++)
            for (unsigned c = 0x70; c < 0xD0; c += 7)
                for (unsigned d = 0x70; d < 0xD0; d += 5) {
                    q[0] = (unsigned char)a; q[1] = (unsigned char)b;
                    q[2] = (unsigned char)c; q[3] = (unsigned char)d;
                    for (size_t at = 12; at <= 16; at++)
                        if (!agree_at(q, 4, at, 40)) bad++;
                    valid += ls__utf8_all_valid((const char *)q, 4);
                }
    CHECK_EQ_INT(bad, 0);
    CHECK(valid > 0);
}

TEST(random_bytes)
{
    unsigned long long x = 0x9E3779B97F4A7C15ull;
    char buf[300];
    long bad = 0, valid = 0;
    for (int round = 0; round < 200000; round++) {
        size_t n = (size_t)(round % 300);
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            /* Mostly ASCII and well-formed Chinese, sometimes one bad byte. */
            unsigned r = (unsigned)(x >> 40) % 100;
            if (r < 60) buf[i] = (char)('a' + r % 26);
            else if (r < 97 && i + 3 <= n) {
                buf[i] = (char)0xE4; buf[i + 1] = (char)(0x80 + r % 64); buf[i + 2] = (char)(0x80 + (x & 63));
                i += 2;
            } else buf[i] = (char)(x >> 8);
        }
        if (!agree(buf, n)) bad++;
        valid += ls__utf8_all_valid(buf, n);
    }
    CHECK_EQ_INT(bad, 0);
    CHECK(valid > 1000 && valid < 200000);   /* both answers occur */
}

int main(void)
{
    RUN(hand_picked);
    RUN(every_short_sequence);
    RUN(four_byte_sequences);
    RUN(random_bytes);
    TEST_END();
}
