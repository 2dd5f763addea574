/*
 * test.h — the unit-test harness: TEST() defines a case, CHECK() records a
 * failed condition without stopping the case, RUN() runs a case and prints
 * "PASS name" or "FAIL name", which tests/run.sh counts.
 */
#ifndef LS_TEST_H
#define LS_TEST_H
#include <stdio.h>
#include <string.h>

static int t_fail_, t_nfail_, t_npass_;
#define TEST(name) static void name(void)
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", \
        __FILE__, __LINE__, #c); t_fail_ = 1; } } while (0)
#define CHECK_EQ_INT(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
    if (a_ != b_) { fprintf(stderr, "  %s:%d: %s == %lld, expected %lld\n", \
        __FILE__, __LINE__, #a, a_, b_); t_fail_ = 1; } } while (0)
#define CHECK_EQ_STR(a, b) do { const char *a_ = (a), *b_ = (b); \
    if (!a_ || !b_ || strcmp(a_, b_) != 0) { fprintf(stderr, "  %s:%d: %s == \"%s\", expected \"%s\"\n", \
        __FILE__, __LINE__, #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); t_fail_ = 1; } } while (0)
#define RUN(name) do { t_fail_ = 0; name(); \
    printf("%s %s\n", t_fail_ ? "FAIL" : "PASS", #name); fflush(stdout); \
    if (t_fail_) t_nfail_++; else t_npass_++; } while (0)
#define TEST_END() return t_nfail_ ? 1 : 0
#endif
