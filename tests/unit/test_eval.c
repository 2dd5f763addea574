/*
 * test_eval.c — `lockstep eval` on hand-made truth and runs with answers
 * worked out by hand: precision, recall, F1, role accuracy, false
 * positives per look-alike group, the adjusted Rand index, per-operation
 * recall and linkage; the CSV reader's quoting; and bad input (missing
 * file, bad header, wrong field count, duplicates) with file:line.
 */
#include "sim/sim.h"
#include "test.h"
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static ls_ctx *ctx;
static char root[256];

static void put(const char *name, const char *text)
{
    char p[400];
    snprintf(p, sizeof p, "%s/%s", root, name);
    FILE *f = fopen(p, "wb");
    if (!f) return;
    fputs(text, f);
    fclose(f);
}

static char *run_eval(int json, int *status)
{
    char truth[400], run[400];
    char *buf = NULL;
    size_t n = 0;
    snprintf(truth, sizeof truth, "%s/truth.csv", root);
    snprintf(run, sizeof run, "%s/run", root);
    FILE *f = open_memstream(&buf, &n);
    *status = ls_eval(ctx, truth, run, f, json);
    fclose(f);
    return buf;
}

/* Truth: operation A (u1,u2 core; u3,u4 amplifiers), operation B (u5,u6
 * core), organic u7, fandom u8,u9, news u10.
 * Run: u1 A core, u2 A amplifier (wrong role), u3 A amplifier, u5 B core,
 * u8 A amplifier (a fan, false positive).
 *   TP = 4 (u1,u2,u3,u5), FP = 1 (u8), FN = 2 (u4,u6)
 *   precision 4/5 = 0.8, recall 4/6 = 0.666667, F1 = 0.727273
 *   roles right: u1,u3,u5 of 4 -> 0.75
 *   ARI over u1..u6 + u8 (7 items): truth {u1..u4} {u5,u6} {u8};
 *   detected {u1,u2,u3,u8} {u5} {u4} {u6}.  Pairs together in both: 3
 *   (u1u2,u1u3,u2u3); truth pairs 6+1 = 7; detected pairs 6; all pairs 21;
 *   expected 7*6/21 = 2; ARI = (3-2)/((7+6)/2-2) = 1/4.5 = 0.222222. */
static const char truth_csv[] =
    "userid,kind,network,role\n"
    "u1,operation,op_a,core\nu2,operation,op_a,core\nu3,operation,op_a,amplifier\nu4,operation,op_a,amplifier\n"
    "u5,operation,op_b,core\nu6,operation,op_b,core\nu7,organic,,\nu8,lookalike_fandom,,\n"
    "u9,lookalike_fandom,,\nu10,lookalike_news,,\n";
static const char accounts_csv[] =
    "userid,screen_name,network,role,score,evidence\n"
    "u1,a1,X,core,0.9,\"retweeted 31 core posts, within 60 s\"\n"
    "u2,a2,X,amplifier,0.8,\"two\nlines, \"\"quoted\"\"\"\n"
    "u3,a3,X,amplifier,0.7,x\r\n"
    "u5,a5,Y,core,0.9,y\n"
    "u8,a8,X,amplifier,0.6,z\n";

TEST(known_answers_json)
{
    int st;
    put("truth.csv", truth_csv);
    put("truth_links.csv", "network,archive\nop_a,arc_x\nop_b,\n");
    put("run/accounts.csv", accounts_csv);
    put("run/networks.json", "{\"networks\":[{\"id\":\"X\",\"linked\":[{\"archive\":\"arc_y\",\"score\":0.2},"
                             "{\"archive\":\"arc_x\",\"score\":0.9}]},{\"id\":\"Y\",\"linked\":[]}]}");
    char *out = run_eval(1, &st);
    CHECK_EQ_INT(st, LS_OK);
    CHECK(out != NULL);
    if (!out) return;
    CHECK(strstr(out, "\"tp\":4,\"fp\":1,\"fn\":2,"));
    CHECK(strstr(out, "\"precision\":0.800000,\"recall\":0.666667,\"f1\":0.727273,"));
    CHECK(strstr(out, "\"role_accuracy\":0.750000,"));
    CHECK(strstr(out, "\"ari\":0.222222,"));
    CHECK(strstr(out, "\"lookalike_fandom\":{\"accounts\":2,\"false_positives\":1,\"share\":0.500000}"));
    CHECK(strstr(out, "\"lookalike_news\":{\"accounts\":1,\"false_positives\":0,\"share\":0.000000}"));
    CHECK(strstr(out, "\"organic\":{\"accounts\":1,\"false_positives\":0,"));
    CHECK(strstr(out, "{\"network\":\"op_a\",\"accounts\":4,\"detected\":3,\"recall\":0.750000,\"detected_as\":\"X\","
                      "\"detected_as_accounts\":3,\"expected_link\":\"arc_x\",\"linkage\":\"correct\"}"));
    CHECK(strstr(out, "{\"network\":\"op_b\",\"accounts\":2,\"detected\":1,\"recall\":0.500000,\"detected_as\":\"Y\","
                      "\"detected_as_accounts\":1,\"expected_link\":null,\"linkage\":\"correct (none)\"}"));
    if (!strstr(out, "\"ari\":0.222222")) fprintf(stderr, "  output: %s\n", out);
    free(out);
}

TEST(text_and_linkage_variants)
{
    int st;
    /* Best link by score is the wrong archive; op_b gets a link it should
     * not have. */
    put("run/networks.json", "{\"networks\":[{\"id\":\"X\",\"linked\":[{\"archive\":\"arc_y\",\"score\":0.95},"
                             "{\"archive\":\"arc_x\",\"score\":0.9}]},{\"id\":\"Y\",\"linked\":[{\"name\":\"arc_z\"}]}]}");
    char *out = run_eval(0, &st);
    CHECK_EQ_INT(st, LS_OK);
    CHECK(out && strstr(out, "precision          0.8000"));
    CHECK(out && strstr(out, "F1                 0.7273"));
    CHECK(out && strstr(out, "role accuracy      0.7500 (3 of 4 true positives)"));
    CHECK(out && strstr(out, "linkage wrong [expected arc_x, got arc_y]"));
    CHECK(out && strstr(out, "linkage wrong (linked, none expected)"));
    free(out);
    /* A networks.json without "linked" keys (linkage not run): n/a. */
    put("run/networks.json", "{\"networks\":[{\"id\":\"X\"},{\"id\":\"Y\"}]}");
    out = run_eval(1, &st);
    CHECK(out && strstr(out, "\"expected_link\":\"arc_x\",\"linkage\":\"n/a\""));
    CHECK(out && strstr(out, "\"expected_link\":null,\"linkage\":\"n/a\""));
    free(out);
    /* Without networks.json linkage is n/a. */
    char p[400];
    snprintf(p, sizeof p, "%s/run/networks.json", root);
    unlink(p);
    out = run_eval(1, &st);
    CHECK(out && strstr(out, "\"linkage\":\"n/a\""));
    free(out);
}

TEST(perfect_and_empty_runs)
{
    int st;
    put("run/accounts.csv", "userid,screen_name,network,role,score,evidence\n"
                            "u1,,1,core,1,\nu2,,1,core,1,\nu3,,1,amplifier,1,\nu4,,1,amplifier,1,\n"
                            "u5,,2,core,1,\nu6,,2,core,1,\n");
    char *out = run_eval(1, &st);
    CHECK_EQ_INT(st, LS_OK);
    CHECK(out && strstr(out, "\"precision\":1.000000,\"recall\":1.000000,\"f1\":1.000000,\"role_accuracy\":1.000000,\"ari\":1.000000,"));
    free(out);
    /* Nothing detected: recall 0, F1 0, roles n/a; the ARI compares the two
     * operations against six singletons, which is 0. */
    put("run/accounts.csv", "userid,screen_name,network,role,score,evidence\n");
    out = run_eval(1, &st);
    CHECK_EQ_INT(st, LS_OK);
    CHECK(out && strstr(out, "\"precision\":0.000000,\"recall\":0.000000,\"f1\":0.000000,\"role_accuracy\":null,\"ari\":0.000000,"));
    free(out);
}

TEST(bad_input)
{
    int st;
    char *out;
    /* Missing accounts.csv: I/O error naming the file. */
    char p[400];
    snprintf(p, sizeof p, "%s/run/accounts.csv", root);
    unlink(p);
    out = run_eval(0, &st);
    free(out);
    CHECK_EQ_INT(st, LS_ERR_IO);
    CHECK(strstr(ls_ctx_message(ctx), "run/accounts.csv") != NULL);
    CHECK_EQ_INT(ls_status_exit_code(st), 3);
    /* Bad header. */
    put("run/accounts.csv", "user,screen_name,network,role,score,evidence\nu1,a,X,core,1,\n");
    out = run_eval(0, &st);
    free(out);
    CHECK_EQ_INT(st, LS_ERR_PARSE);
    CHECK(strstr(ls_ctx_message(ctx), "accounts.csv:1: bad header") != NULL);
    CHECK_EQ_INT(ls_status_exit_code(st), 1);
    /* Wrong field count on line 4 (the quoted field spans lines 2-3). */
    put("run/accounts.csv", "userid,screen_name,network,role,score,evidence\nu1,a,X,core,1,\"a\nb\"\nu2,a,X,core\n");
    out = run_eval(0, &st);
    free(out);
    CHECK_EQ_INT(st, LS_ERR_PARSE);
    CHECK(strstr(ls_ctx_message(ctx), "accounts.csv:4: 4 fields, expected 6") != NULL);
    /* Unterminated quote. */
    put("run/accounts.csv", "userid,screen_name,network,role,score,evidence\nu1,a,X,core,1,\"open\n");
    out = run_eval(0, &st);
    free(out);
    CHECK_EQ_INT(st, LS_ERR_PARSE);
    CHECK(strstr(ls_ctx_message(ctx), "accounts.csv:2: unterminated") != NULL);
    /* Duplicate account. */
    put("run/accounts.csv", "userid,screen_name,network,role,score,evidence\nu1,a,X,core,1,\nu1,a,X,core,1,\n");
    out = run_eval(0, &st);
    free(out);
    CHECK_EQ_INT(st, LS_ERR_PARSE);
    CHECK(strstr(ls_ctx_message(ctx), "accounts.csv:3: userid u1 listed twice") != NULL);
    /* Bad truth header and missing truth. */
    put("truth.csv", "userid,kind,network\nu1,operation,op_a\n");
    out = run_eval(0, &st);
    free(out);
    CHECK_EQ_INT(st, LS_ERR_PARSE);
    CHECK(strstr(ls_ctx_message(ctx), "truth.csv:1: bad header") != NULL);
    snprintf(p, sizeof p, "%s/truth.csv", root);
    unlink(p);
    out = run_eval(0, &st);
    free(out);
    CHECK_EQ_INT(st, LS_ERR_IO);
}

TEST(ari_by_hand)
{
    /* a = {0,0,1,1}, b = {0,0,1,2}: together in both 1 pair; a has 2 pairs,
     * b 1, all 6; expected 2*1/6; ARI = (1-1/3)/(1.5-1/3) = 0.571429. */
    uint32_t a[] = { 0, 0, 1, 1 }, b[] = { 0, 0, 1, 2 };
    CHECK(fabs(ls__sim_ari(a, b, 4) - 4.0 / 7.0) < 1e-9);
    CHECK(fabs(ls__sim_ari(a, a, 4) - 1.0) < 1e-12);
    /* Labels far apart (above 2^16) sort correctly too. */
    uint32_t c[] = { 70000, 70000, 5, 5, 1u << 30 }, d[] = { 3, 3, 9, 9, 4 };
    CHECK(fabs(ls__sim_ari(c, d, 5) - 1.0) < 1e-12);
}

TEST(csv_reader)
{
    ls__simcsv c;
    put("q.csv", "\xEF\xBB\xBF" "a,\"b,c\",\"d\"\"e\"\r\n\"multi\nline\",,\nlast");
    char p[400];
    snprintf(p, sizeof p, "%s/q.csv", root);
    CHECK_EQ_INT(ls__simcsv_open(ctx, &c, p), LS_OK);
    CHECK_EQ_INT(ls__simcsv_next(ctx, &c), LS_OK);
    CHECK_EQ_INT(c.nf, 3);
    if (c.nf == 3) { CHECK_EQ_STR(c.f[0], "a"); CHECK_EQ_STR(c.f[1], "b,c"); CHECK_EQ_STR(c.f[2], "d\"e"); }
    CHECK_EQ_INT(c.line, 1);
    CHECK_EQ_INT(ls__simcsv_next(ctx, &c), LS_OK);
    CHECK_EQ_INT(c.nf, 3);
    if (c.nf == 3) { CHECK_EQ_STR(c.f[0], "multi\nline"); CHECK_EQ_STR(c.f[1], ""); CHECK_EQ_STR(c.f[2], ""); }
    CHECK_EQ_INT(c.line, 2);
    CHECK_EQ_INT(ls__simcsv_next(ctx, &c), LS_OK);
    CHECK_EQ_INT(c.nf, 1);
    if (c.nf == 1) CHECK_EQ_STR(c.f[0], "last");
    CHECK_EQ_INT(c.line, 4);
    CHECK_EQ_INT(ls__simcsv_next(ctx, &c), LS_OK);
    CHECK_EQ_INT(c.nf, 0);
    ls__simcsv_close(&c);
    /* Text after a closing quote is an error with its line. */
    put("q.csv", "ok\n\"a\"b,c\n");
    CHECK_EQ_INT(ls__simcsv_open(ctx, &c, p), LS_OK);
    CHECK_EQ_INT(ls__simcsv_next(ctx, &c), LS_OK);
    CHECK_EQ_INT(ls__simcsv_next(ctx, &c), LS_ERR_PARSE);
    CHECK(strstr(ls_ctx_message(ctx), "q.csv:2:") != NULL);
    ls__simcsv_close(&c);
}

int main(void)
{
    if (ls_ctx_new(&ctx)) return 1;
    snprintf(root, sizeof root, "/tmp/test_eval.XXXXXX");
    if (!mkdtemp(root)) return 1;
    char p[400];
    snprintf(p, sizeof p, "%s/run", root);
    if (mkdir(p, 0777) != 0) return 1;
    RUN(known_answers_json);
    RUN(text_and_linkage_variants);
    RUN(perfect_and_empty_runs);
    RUN(bad_input);
    RUN(ari_by_hand);
    RUN(csv_reader);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", root);
    ls_ctx_free(ctx);
    TEST_END();
}
