/*
 * test_textnorm.c — the fast NFKC + casefold path of ls__text_norm must
 * give the same bytes as the reference (utf8proc_map on the whole text,
 * ls__text_norm_ref): hand cases where neighbours interact (Hangul jamo,
 * combining marks, halfwidth voiced kana), every code point below U+20000
 * alone and between neighbours of each kind, random strings from a pool of
 * troublesome code points and bytes, and scratch reuse.
 */
#include "test.h"
#include "signals/signals.h"

static ls__buf nb;
static const char *norm(const char *in)
{
    nb.n = 0;
    if (ls__text_norm(ls__str_c(in), &nb) != LS_OK) return "(error)";
    ls__buf_putc(&nb, 0);
    return nb.p;
}

/* 1 if fast and reference agree on s[0..n) (both status and bytes). */
static ls__buf fa, fr;
static ls__norm_scratch sc;
static int same(const char *s, size_t n)
{
    fa.n = fr.n = 0;
    int ra = ls__text_norm_with((ls__str){ s, n }, &fa, &sc);
    int rr = ls__text_norm_ref((ls__str){ s, n }, &fr);
    if (ra != rr) return 0;
    return fa.n == fr.n && (fa.n == 0 || memcmp(fa.p, fr.p, fa.n) == 0);
}

static size_t put_utf8(char *o, int32_t c)
{
    if (c < 0x80) { o[0] = (char)c; return 1; }
    if (c < 0x800) { o[0] = (char)(0xc0 | c >> 6); o[1] = (char)(0x80 | (c & 0x3f)); return 2; }
    if (c < 0x10000) {
        o[0] = (char)(0xe0 | c >> 12); o[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        o[2] = (char)(0x80 | (c & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | c >> 18); o[1] = (char)(0x80 | ((c >> 12) & 0x3f));
    o[2] = (char)(0x80 | ((c >> 6) & 0x3f)); o[3] = (char)(0x80 | (c & 0x3f));
    return 4;
}

TEST(hand_cases)
{
    /* Composition across code points: must reach utf8proc. */
    CHECK_EQ_STR(norm("\xe1\x84\x80\xe1\x85\xa1"), "\xea\xb0\x80");          /* L + V jamo -> 가 */
    CHECK_EQ_STR(norm("\xea\xb0\x80\xe1\x86\xa8"), "\xea\xb0\x81");          /* 가 + T jamo -> 각 */
    CHECK_EQ_STR(norm("e\xcc\x81"), "\xc3\xa9");                             /* e + acute -> é */
    CHECK_EQ_STR(norm("\xef\xbd\xb6\xef\xbe\x9e"), "\xe3\x82\xac");          /* halfwidth ｶﾞ -> ガ */
    CHECK_EQ_STR(norm("\xe3\x81\x8b\xe3\x82\x99"), "\xe3\x81\x8c");          /* か + voicing -> が */
    /* Single code points: fullwidth, ligature, sharp s, Angstrom sign. */
    CHECK_EQ_STR(norm("\xef\xbc\xa1\xef\xbd\x82\xef\xbc\x8c"), "ab,");      /* ＡｂＣ-like -> ab, */
    CHECK_EQ_STR(norm("\xef\xac\x81x"), "fix");                              /* ﬁ */
    CHECK_EQ_STR(norm("STRA\xc3\x9f" "E"), "strasse");
    CHECK_EQ_STR(norm("\xe2\x84\xab"), "\xc3\xa5");                          /* Å sign -> å */
    /* CJK, Hangul syllables, emoji pass through; ASCII is lowered. */
    CHECK_EQ_STR(norm("Hi \xe4\xb8\xad\xe6\x96\x87 \xed\x95\x9c \xf0\x9f\x98\x80"),
                 "hi \xe4\xb8\xad\xe6\x96\x87 \xed\x95\x9c \xf0\x9f\x98\x80");
    /* URLs, mentions, RT prefix and spaces (U+3000 ideographic space). */
    CHECK_EQ_STR(norm("RT @a: x\xe3\x80\x80 https://t.co/q @b_1 y"), "x y");
    CHECK_EQ_STR(norm("RT @a: RT @b: z"), "rt : z");   /* the prefix goes once */
    /* Invalid UTF-8 is repaired to U+FFFD by the reference path. */
    CHECK_EQ_STR(norm("a\xff" "b"), "a\xef\xbf\xbd" "b");
    CHECK(same("a\xe0\x80\x80", 4));     /* overlong */
    CHECK(same("\xed\xa0\x80z", 4));     /* surrogate */
    CHECK(same("\xf0\x9f\x98", 3));      /* truncated */
    CHECK(same("\xf4\x90\x80\x80", 4));  /* above U+10FFFF */
}

/* Every code point below U+20000 (and a few above) alone and next to
 * neighbours that compose, reorder or are inert. */
TEST(every_code_point)
{
    static const int32_t nbr[] = {
        'A', 0x301, 0x345, 0x3099, 0x1100, 0x1161, 0x11a8, 0x11a7, 0xac00, 0xff9e, 0xcd5, 0xb3e, 0x5b4, 0x20,
    };
    size_t bad = 0;
    char s[64];
    for (int32_t c = 1; c < 0x20400; c++) {
        if (c >= 0xd800 && c <= 0xdfff) continue;
        size_t n = put_utf8(s, c);
        if (!same(s, n)) bad++;
        for (size_t k = 0; k < sizeof nbr / sizeof nbr[0]; k++) {
            /* c, neighbour, c: the neighbour on either side of c. */
            n = put_utf8(s, c);
            n += put_utf8(s + n, nbr[k]);
            n += put_utf8(s + n, c);
            if (!same(s, n)) bad++;
        }
    }
    CHECK_EQ_INT(bad, 0);
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint32_t rnd(void)
{
    rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

/* Random strings of troublesome pieces. */
TEST(random_strings)
{
    static const char *piece[] = {
        "A", "z", " ", "\t", "@", "@x", "http://a.b/c", "https://", "RT @u: ", "h", "_", "1",
        "\xcc\x81", "\xcd\x85", "\xe3\x82\x99", "\xe1\x84\x80", "\xe1\x85\xa1", "\xe1\x86\xa8",
        "\xea\xb0\x80", "\xef\xbd\xb6", "\xef\xbe\x9e", "\xef\xbc\xa1", "\xef\xac\x81", "\xc3\x9f",
        "\xc3\x89", "\xe2\x84\xab", "\xce\xa3", "\xe4\xb8\xad", "\xe3\x80\x80", "\xc2\xa0",
        "\xf0\x9f\x98\x80", "\xf0\xa0\x80\x80", "\xe0\xb3\x95", "\xe0\xb2\xbf", "\xe0\xad\x87",
        "\xe0\xac\xbe", "\xc4\xb0", "\xe2\x80\xa8", "\xff", "\xe0\x80", "\xed\xa0\x80",
        "\xef\xb7\xba", "\xe3\x8c\x80", "\xc2\xbd", "\xe2\x91\xa0", "\xf0\x9d\x90\x80",
    };
    size_t np = sizeof piece / sizeof piece[0], bad = 0;
    char s[512];
    for (int it = 0; it < 100000; it++) {
        size_t n = 0, k = 1 + rnd() % 12;
        for (size_t j = 0; j < k; j++) {
            const char *p = piece[rnd() % np];
            size_t l = strlen(p);
            memcpy(s + n, p, l);
            n += l;
        }
        if (!same(s, n)) bad++;
    }
    CHECK_EQ_INT(bad, 0);
}

/* One scratch for many texts gives what fresh buffers give. */
TEST(scratch_reuse)
{
    static const char *t[] = { "Ｂｉｇ  TEXT ﬁ", "", "@a", "가\xe1\x86\xa8 b", "x" };
    ls__norm_scratch s2 = { { 0 }, { 0 } };
    ls__buf o = { 0 }, r = { 0 };
    for (int rep = 0; rep < 3; rep++)
        for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
            o.n = r.n = 0;
            CHECK_EQ_INT(ls__text_norm_with(ls__str_c(t[i]), &o, &s2), LS_OK);
            CHECK_EQ_INT(ls__text_norm(ls__str_c(t[i]), &r), LS_OK);
            CHECK(o.n == r.n && memcmp(o.p ? o.p : "", r.p ? r.p : "", o.n) == 0);
        }
    ls__norm_scratch_free(&s2);
    ls__buf_free(&o);
    ls__buf_free(&r);
}

int main(void)
{
    RUN(hand_cases);
    RUN(every_code_point);
    RUN(random_strings);
    RUN(scratch_reuse);
    ls__buf_free(&nb);
    ls__buf_free(&fa);
    ls__buf_free(&fr);
    ls__norm_scratch_free(&sc);
    TEST_END();
}
