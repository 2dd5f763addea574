/*
 * test_core.c — unit tests of src/core: status table, interner, buffers,
 * arena, UTF-8 repair, atomic files and allocation-failure injection.
 */
#include "test.h"
#include "core/core.h"
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

TEST(status_table)
{
    CHECK_EQ_STR(ls_strerror(LS_OK), "ok");
    CHECK_EQ_INT(ls_status_exit_code(LS_OK), LS_EXIT_OK);
    CHECK_EQ_INT(ls_status_exit_code(LS_ERR_USAGE), LS_EXIT_USAGE);
    CHECK_EQ_INT(ls_status_exit_code(LS_ERR_IO), LS_EXIT_IO);
    CHECK_EQ_INT(ls_status_exit_code(LS_ERR_PARSE), LS_EXIT_INPUT);
    CHECK_EQ_STR(ls_strerror(-1), "unknown status");
    CHECK_EQ_STR(ls_strerror(LS_STATUS_COUNT), "unknown status");
}

TEST(ctx_message)
{
    ls_ctx *c;
    CHECK_EQ_INT(ls_ctx_new(&c), LS_OK);
    CHECK_EQ_STR(ls_ctx_message(c), "");
    CHECK_EQ_INT(ls__fail(c, LS_ERR_PARSE, "%s:%d: bad", "f.csv", 12), LS_ERR_PARSE);
    CHECK_EQ_STR(ls_ctx_message(c), "f.csv:12: bad");
    ls_ctx_set_threads(c, 3);
    CHECK_EQ_INT(ls__threads(c), 3);
    CHECK(ls__memory_budget(c) >= (256ull << 20));
    ls_ctx_free(c);
}

TEST(intern_dense_ids)
{
    ls__intern in;
    ls__intern_init(&in);
    uint32_t a, b, c, d;
    CHECK_EQ_INT(ls__intern_put(&in, LS__S("香港"), &a), LS_OK);
    CHECK_EQ_INT(ls__intern_put(&in, LS__S("hongkong"), &b), LS_OK);
    CHECK_EQ_INT(ls__intern_put(&in, LS__S("香港"), &c), LS_OK);
    CHECK_EQ_INT(ls__intern_put(&in, LS__S(""), &d), LS_OK);
    CHECK_EQ_INT(a, 0); CHECK_EQ_INT(b, 1); CHECK_EQ_INT(c, 0); CHECK_EQ_INT(d, 2);
    CHECK(ls__str_eqc(ls__intern_get(&in, 1), "hongkong"));
    CHECK_EQ_INT(ls__intern_get(&in, 2).n, 0);
    CHECK_EQ_INT(ls__intern_find(&in, LS__S("nope")), LS__NONE);
    /* many strings force several rehashes; ids stay dense and stable */
    char s[32];
    int ok = 1;
    for (int i = 0; i < 50000; i++) {
        uint32_t id;
        int k = snprintf(s, sizeof s, "user%d", i);
        if (ls__intern_put(&in, (ls__str){ s, (size_t)k }, &id) || id != (uint32_t)(i + 3)) ok = 0;
    }
    CHECK(ok);
    CHECK_EQ_INT(ls__intern_find(&in, LS__S("user49999")), 50002);
    CHECK_EQ_INT(in.n, 50003);
    ls__intern_free(&in);
}

TEST(buf_printf_long)
{
    ls__buf b = { 0 };
    CHECK_EQ_INT(ls__buf_printf(&b, "%d-%s", 7, "x"), LS_OK);
    char big[1000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = 0;
    CHECK_EQ_INT(ls__buf_printf(&b, "%s", big), LS_OK);
    CHECK_EQ_INT(b.n, 3 + 999);
    CHECK(memcmp(b.p, "7-xqq", 5) == 0);
    CHECK_EQ_INT(b.p[b.n], 0);
    ls__buf_free(&b);
}

TEST(arena_alignment)
{
    ls__arena a = { 0 };
    for (int i = 1; i < 5000; i += 37) {
        char *p = ls__arena_alloc(&a, (size_t)i);
        CHECK(p != NULL);
        CHECK(((uintptr_t)p & 7) == 0);
        memset(p, 1, (size_t)i);
    }
    void *big = ls__arena_alloc(&a, 1 << 20);
    CHECK(big != NULL);
    ls__arena_free(&a);
}

TEST(utf8_repair)
{
    ls__buf b = { 0 };
    size_t fixes = 99;
    CHECK_EQ_INT(ls__utf8_repair(&b, "ok 香港", strlen("ok 香港"), &fixes), LS_OK);
    CHECK_EQ_INT(fixes, 0);
    CHECK_EQ_STR(b.p, "ok 香港");
    b.n = 0;
    /* lone continuation, truncated 3-byte sequence, overlong '/', surrogate */
    const char bad[] = "a\x80" "b\xE9\xA6" "c\xC0\xAF" "d\xED\xA0\x80" "e";
    CHECK_EQ_INT(ls__utf8_repair(&b, bad, sizeof bad - 1, &fixes), LS_OK);
    CHECK_EQ_INT(fixes, 4);
    CHECK_EQ_STR(b.p, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD" "d\xEF\xBF\xBD" "e");
    CHECK_EQ_INT(ls__utf8_valid_prefix("abc\xFF", 4), 3);
    ls__buf_free(&b);
}

TEST(afile_atomic)
{
    ls_ctx *c;
    ls_ctx_new(&c);
    char dir[] = "/tmp/ls_test_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/out.txt", dir);
    ls__afile af;
    CHECK_EQ_INT(ls__afile_open(c, &af, path), LS_OK);
    fputs("hello", af.f);
    struct stat st;
    CHECK(stat(path, &st) != 0); /* nothing under the final name yet */
    CHECK_EQ_INT(ls__afile_commit(c, &af), LS_OK);
    CHECK(stat(path, &st) == 0 && st.st_size == 5);
    /* an aborted file leaves nothing behind */
    CHECK_EQ_INT(ls__afile_open(c, &af, path), LS_OK);
    fputs("partial", af.f);
    ls__afile_abort(&af);
    CHECK(stat(path, &st) == 0 && st.st_size == 5);
    /* a folder that does not exist is a clear I/O error */
    CHECK_EQ_INT(ls__afile_open(c, &af, "/nonexistent/dir/x"), LS_ERR_IO);
    CHECK(strstr(ls_ctx_message(c), "/nonexistent/dir/x") != NULL);
    /* a full disk shows up at commit */
    if (access("/dev/full", W_OK) == 0) {
        FILE *f = fopen("/dev/full", "wb");
        ls__afile full = { .f = f, .path = ls__strdup("/dev/full"), .tmp = NULL };
        char blob[65536] = { 0 };
        fwrite(blob, 1, sizeof blob, f);
        CHECK_EQ_INT(ls__afile_commit(c, &full), LS_ERR_IO);
    }
    unlink(path);
    rmdir(dir);
    ls_ctx_free(c);
}

TEST(alloc_failure_injection)
{
    ls__intern in;
    ls__intern_init(&in);
    uint32_t id;
    ls__alloc_fail_after(1);
    CHECK_EQ_INT(ls__intern_put(&in, LS__S("x"), &id), LS_ERR_NOMEM);
    ls__alloc_fail_after(0);
    CHECK_EQ_INT(ls__intern_put(&in, LS__S("x"), &id), LS_OK);
    CHECK_EQ_INT(id, 0);
    ls__intern_free(&in);
}

TEST(hash_is_fixed)
{
    /* the hash must not change between runs or builds: outputs depend on it */
    CHECK(ls__hash64("abc", 3, 0) == ls__hash64("abc", 3, 0));
    CHECK(ls__hash64("abc", 3, 0) != ls__hash64("abc", 3, 1));
    CHECK(ls__hash64("abc", 3, 0) == 0x78AF5F94892F3950ull);
}

int main(void)
{
    RUN(status_table);
    RUN(ctx_message);
    RUN(intern_dense_ids);
    RUN(buf_printf_long);
    RUN(arena_alignment);
    RUN(utf8_repair);
    RUN(afile_atomic);
    RUN(alloc_failure_injection);
    RUN(hash_is_fixed);
    TEST_END();
}
