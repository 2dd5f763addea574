/*
 * test_csv.c — the streaming CSV record reader: RFC 4180 cases, BOM, CRLF,
 * embedded newlines, doubled quotes, repairs of bad quoting, line numbers,
 * and records that straddle read chunks (a large input whose records cross
 * the 4 MiB buffer, and one record larger than the buffer).
 */
#include "ingest/ingest.h"
#include "test.h"
#include <stdlib.h>

/* Parses the whole of text and renders every record as
 * "line:field|field|...;" with "!" after the line number when the record
 * was flagged bad_quoting. */
static char *render(const char *text, size_t n)
{
    ls_ctx *ctx = NULL;
    ls__src *src = NULL;
    ls__csv *c = NULL;
    ls__buf out = { 0 };
    ls__csv_row row;
    if (ls_ctx_new(&ctx) || ls__src_mem(ctx, "t.csv", text, n, &src) || ls__csv_new(src, &c))
        return NULL;
    for (;;) {
        if (ls__csv_next(c, &row) != LS_OK) { ls__buf_put(&out, "ERR", 3); break; }
        if (row.n == 0) break;
        ls__buf_printf(&out, "%llu%s:", (unsigned long long)row.line, row.bad_quoting ? "!" : "");
        for (size_t i = 0; i < row.n; i++) {
            if (i) ls__buf_putc(&out, '|');
            ls__buf_put(&out, row.f[i].p, row.f[i].n);
        }
        ls__buf_putc(&out, ';');
    }
    ls__csv_free(c);
    ls__src_close(src);
    ls_ctx_free(ctx);
    if (!out.p) ls__buf_put(&out, "", 0);
    return out.p;
}

#define CHECK_CSV(in, want) do { char *got_ = render((in), sizeof(in) - 1); \
    CHECK_EQ_STR(got_, (want)); free(got_); } while (0)

TEST(simple_records)
{
    CHECK_CSV("a,b,c\n1,2,3\n", "1:a|b|c;2:1|2|3;");
    CHECK_CSV("a,b,c\n1,2,3", "1:a|b|c;2:1|2|3;");           /* no final newline */
    CHECK_CSV("", "");
    CHECK_CSV("x\n", "1:x;");
    CHECK_CSV(",\n,,\n", "1:|;2:||;");                         /* empty fields */
    CHECK_CSV("a,\n", "1:a|;");
    CHECK_CSV("\n\nx\n", "1:;2:;3:x;");                         /* blank lines: one empty field */
}

TEST(crlf)
{
    CHECK_CSV("a,b\r\n1,2\r\n", "1:a|b;2:1|2;");
    CHECK_CSV("\"a\",\"b\"\r\n\"1\",2\r\n", "1:a|b;2:1|2;");
    CHECK_CSV("a,\"b\r\nc\"\r\n", "1:a|b\r\nc;");             /* CRLF inside quotes is kept */
    CHECK_CSV("a\r", "1:a;");
}

TEST(bom)
{
    CHECK_CSV("\xEF\xBB\xBFtweetid,userid\n1,2\n", "1:tweetid|userid;2:1|2;");
    CHECK_CSV("\xEF\xBB\xBF", "");
    /* Only a leading BOM is skipped. */
    CHECK_CSV("a\n\xEF\xBB\xBF" "b\n", "1:a;2:\xEF\xBB\xBF" "b;");
}

/* Tab-separated: decided by the first line (more tabs than commas);
 * commas are then data, and quoting works as in CSV. */
TEST(tab_separated)
{
    CHECK_CSV("a\tb\tc\n1,5\t\"x\ty\"\t\n", "1:a|b|c;2:1,5|x\ty|;");
    CHECK_CSV("\xEF\xBB\xBFid\ttext\r\n7\thello, world\r\n", "1:id|text;2:7|hello, world;");
    /* As many commas as tabs: still CSV. */
    CHECK_CSV("a,b\tc\nx,y\tz\n", "1:a|b\tc;2:x|y\tz;");
    /* A tab in a later line does not change a CSV. */
    CHECK_CSV("a,b\nx\ty\tz,w\n", "1:a|b;2:x\ty\tz|w;");
}

TEST(semicolon_separated)
{
    /* Spreadsheets in comma-decimal locales: commas stay in the fields. */
    CHECK_CSV("id;text;score\n1;\"a;b\";0,5\n", "1:id|text|score;2:1|a;b|0,5;");
    CHECK_CSV("\xEF\xBB\xBFid;text\r\n7;hello, world\r\n", "1:id|text;2:7|hello, world;");
    /* Delimiters inside quoted header cells do not count. */
    CHECK_CSV("\"a;b;c\",d\n1,2\n", "1:a;b;c|d;2:1|2;");
    CHECK_CSV("\"a,b,c\";d;e\n1;2;3\n", "1:a,b,c|d|e;2:1|2|3;");
    /* Ties go to the comma; a tab beats a semicolon on a tie. */
    CHECK_CSV("a;b,c\n", "1:a;b|c;");
    CHECK_CSV("a;b\tc\n", "1:a;b|c;");
    CHECK(ls__csv_sniff_sep("a;b;c\nx,y,z,w,v\n", 16) == ';');
    CHECK(ls__csv_sniff_sep("", 0) == ',');
}

TEST(quoted_fields)
{
    CHECK_CSV("\"a,b\",c\n", "1:a,b|c;");
    CHECK_CSV("\"he said \"\"hi\"\"\",x\n", "1:he said \"hi\"|x;");
    CHECK_CSV("\"\",\"\"\"\"\n", "1:|\";");                    /* empty and a lone quote */
    CHECK_CSV("\"line1\nline2\",b\nnext,row\n", "1:line1\nline2|b;3:next|row;");
    CHECK_CSV("\"a\n\n\nb\"\nz\n", "1:a\n\n\nb;5:z;");
    CHECK_CSV("x,\"\"\n", "1:x|;");
    CHECK_CSV("\"a\",\n", "1:a|;");
}

TEST(bad_quoting_repaired)
{
    /* A quote inside an unquoted field is kept literally. */
    CHECK_CSV("ab\"c,d\nx,y\n", "1!:ab\"c|d;2:x|y;");
    /* Text after a closing quote is appended, as Python's csv does. */
    CHECK_CSV("\"abc\"def,g\n", "1!:abcdef|g;");
    /* An unterminated quote at end of input closes there. */
    CHECK_CSV("a,\"open", "1!:a|open;");
    /* ... and when it spans lines it costs just its own line. */
    CHECK_CSV("a,\"open\nb,c\n", "1!:a|open;2:b|c;");
    /* A stray opening quote that pairs with a later quote: the record is
     * cut back to its first line instead of swallowing the next rows. */
    CHECK_CSV("1,\"bad,x\n2,ok,\"q\"\n3,ok,y\n", "1!:1|bad,x;2:2|ok|q;3:3|ok|y;");
}

/* Builds n records "i,<name>,\"t,i\"" so each has a comma inside quotes. */
TEST(chunk_boundaries)
{
    size_t n = 700000;
    ls__buf in = { 0 };
    for (size_t i = 0; i < n; i++)
        ls__buf_printf(&in, i % 3 == 0 ? "%zu,name%zu,\"t,%zu\"\n" :
                            i % 3 == 1 ? "%zu,name%zu,\"multi\nline %zu\"\r\n" : "%zu,name%zu,plain%zu\n",
                       i, i, i);
    ls_ctx *ctx = NULL;
    ls__src *src = NULL;
    ls__csv *c = NULL;
    ls__csv_row row;
    CHECK(ls_ctx_new(&ctx) == LS_OK);
    CHECK(ls__src_mem(ctx, "big.csv", in.p, in.n, &src) == LS_OK);
    CHECK(ls__csv_new(src, &c) == LS_OK);
    size_t got = 0, bad = 0;
    uint64_t want_line = 1;
    char want[64];
    while (ls__csv_next(c, &row) == LS_OK && row.n) {
        size_t i = got++;
        if (row.n != 3 || row.line != want_line || row.bad_quoting) { bad++; continue; }
        snprintf(want, sizeof want, "%zu", i);
        if (!ls__str_eqc(row.f[0], want)) bad++;
        if (i % 3 == 0) snprintf(want, sizeof want, "t,%zu", i);
        else if (i % 3 == 1) snprintf(want, sizeof want, "multi\nline %zu", i);
        else snprintf(want, sizeof want, "plain%zu", i);
        if (!ls__str_eqc(row.f[2], want)) bad++;
        want_line += i % 3 == 1 ? 2 : 1;
    }
    CHECK_EQ_INT(got, n);
    CHECK_EQ_INT(bad, 0);
    CHECK(in.n > 40 * (256u << 10));   /* really crossed many chunks */
    ls__csv_free(c);
    ls__src_close(src);
    ls_ctx_free(ctx);
    ls__buf_free(&in);
}

/* One quoted field of 10 MiB (bigger than the read buffer) is read whole. */
TEST(record_larger_than_buffer)
{
    size_t big = 10u << 20;
    char *in = malloc(big + 16);
    size_t k = 0;
    in[k++] = 'x'; in[k++] = ','; in[k++] = '"';
    memset(in + k, 'q', big); k += big;
    memcpy(in + k, "\",y\nz\n", 6); k += 6;
    ls_ctx *ctx = NULL;
    ls__src *src = NULL;
    ls__csv *c = NULL;
    ls__csv_row row;
    CHECK(ls_ctx_new(&ctx) == LS_OK);
    CHECK(ls__src_mem(ctx, "big.csv", in, k, &src) == LS_OK);
    CHECK(ls__csv_new(src, &c) == LS_OK);
    CHECK(ls__csv_next(c, &row) == LS_OK);
    CHECK_EQ_INT(row.n, 3);
    if (row.n == 3) {
        CHECK_EQ_INT(row.f[1].n, big);
        CHECK(row.f[1].p[0] == 'q' && row.f[1].p[big - 1] == 'q');
        CHECK(ls__str_eqc(row.f[2], "y"));
    }
    CHECK(ls__csv_next(c, &row) == LS_OK);
    CHECK_EQ_INT(row.n, 1);
    CHECK_EQ_INT(row.line, 2);
    CHECK(ls__csv_next(c, &row) == LS_OK);
    CHECK_EQ_INT(row.n, 0);
    ls__csv_free(c);
    ls__src_close(src);
    ls_ctx_free(ctx);
    free(in);
}

/* A stray opening quote followed by more than 8 MiB without any quote:
 * the reader gives up on the quoted field (runaway), re-reads the record
 * up to its first newline, flags it, and every following line is a
 * record of its own again. */
TEST(runaway_quote)
{
    size_t lines = 800000;
    ls__buf in = { 0 };
    ls__buf_put(&in, "x,\"start\n", 9);
    for (size_t i = 0; i < lines; i++) ls__buf_printf(&in, "l%06zu,abc\n", i);
    CHECK(in.n > (8u << 20));
    ls_ctx *ctx = NULL;
    ls__src *src = NULL;
    ls__csv *c = NULL;
    ls__csv_row row;
    CHECK(ls_ctx_new(&ctx) == LS_OK);
    CHECK(ls__src_mem(ctx, "runaway.csv", in.p, in.n, &src) == LS_OK);
    CHECK(ls__csv_new(src, &c) == LS_OK);
    CHECK(ls__csv_next(c, &row) == LS_OK);
    CHECK_EQ_INT(row.n, 2);
    CHECK(row.bad_quoting);
    if (row.n == 2) CHECK(ls__str_eqc(row.f[1], "start"));
    size_t got = 0, bad = 0;
    char want[32];
    while (ls__csv_next(c, &row) == LS_OK && row.n) {
        snprintf(want, sizeof want, "l%06zu", got);
        if (row.n != 2 || !ls__str_eqc(row.f[0], want) || row.bad_quoting || row.line != got + 2) bad++;
        got++;
    }
    CHECK_EQ_INT(got, lines);
    CHECK_EQ_INT(bad, 0);
    ls__csv_free(c);
    ls__src_close(src);
    ls_ctx_free(ctx);
    ls__buf_free(&in);
}

/* Every split of a tricky input into a prefix gives a well-formed parse
 * (no crash, no over-read under ASan), and the full input parses right. */
TEST(every_prefix)
{
    static const char in[] = "\xEF\xBB\xBF\"a\"\"b\",\"c\nd\",e\r\n\"f\"g,\"h\n";
    for (size_t k = 0; k <= sizeof in - 1; k++) {
        char *copy = malloc(k ? k : 1);
        memcpy(copy, in, k);
        char *got = render(copy, k);
        CHECK(got != NULL);
        free(got);
        free(copy);
    }
    CHECK_CSV("\xEF\xBB\xBF\"a\"\"b\",\"c\nd\",e\r\n\"f\"g,\"h\n", "1:a\"b|c\nd|e;3!:fg|h;");
}

int main(void)
{
    RUN(simple_records);
    RUN(crlf);
    RUN(bom);
    RUN(tab_separated);
    RUN(semicolon_separated);
    RUN(quoted_fields);
    RUN(bad_quoting_repaired);
    RUN(chunk_boundaries);
    RUN(record_larger_than_buffer);
    RUN(runaway_quote);
    RUN(every_prefix);
    TEST_END();
}
