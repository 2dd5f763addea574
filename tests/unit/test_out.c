/*
 * test_out.c — the outputs stage's building blocks: escaping for each
 * context with hostile inputs (HTML body/attribute, links, JSON in a
 * script, CSV and spreadsheet-safe CSV), SHA-256 and the CSP hash against
 * known vectors, HMAC pseudonyms (stable, key-dependent, case rules,
 * mentions in text), the manifest (hashes, merge, order), the run-folder
 * reader, dates, the office-hours time zone and name templates.
 */
#include "test.h"
#include "out/out.h"
#include "readfile.h"
#include <sodium.h>
#include <stdlib.h>
#include <unistd.h>

static char *esc(int (*f)(ls__buf *, const char *, size_t), const char *s, size_t n)
{
    static ls__buf b;
    b.n = 0;
    if (f(&b, s, n) != LS_OK) return NULL;
    ls__buf_putc(&b, 0);
    return b.p;
}
#define E(f, lit) esc(f, lit, sizeof(lit) - 1)

TEST(html_text_escapes_markup)
{
    CHECK_EQ_STR(E(ls__html_text, "<script>alert(\"x\")&'</script>"),
                 "&lt;script&gt;alert(&quot;x&quot;)&amp;&#39;&lt;/script&gt;");
    CHECK_EQ_STR(E(ls__html_text, "\" onmouseover=\"x"), "&quot; onmouseover=&quot;x");
    CHECK_EQ_STR(E(ls__html_text, "plain 香港 text"), "plain 香港 text");
    CHECK_EQ_STR(E(ls__html_text, ""), "");
    /* Controls, DEL and U+FFFE become U+FFFD; tab and newline stay. */
    CHECK_EQ_STR(E(ls__html_text, "a\x01" "b\x7f" "c\td\n"), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\td\n");
    CHECK_EQ_STR(E(ls__html_text, "x\xEF\xBF\xBEy"), "x\xEF\xBF\xBDy");
    /* NUL inside the value. */
    CHECK_EQ_STR(esc(ls__html_text, "a\0<", 3), "a\xEF\xBF\xBD&lt;");
}

TEST(html_text_repairs_broken_utf8_before_escaping)
{
    /* A cut-off sequence must not swallow the quote or '<' after it. */
    char *r = E(ls__html_text, "\xE2\x80\"<");
    CHECK(r != NULL);
    CHECK(strstr(r, "&quot;&lt;") != NULL);
    CHECK(strstr(r, "\xEF\xBF\xBD") != NULL);
    CHECK_EQ_INT(ls__utf8_valid_prefix(r, strlen(r)), strlen(r));
    r = E(ls__html_text, "\xFF\xFE<b>");
    CHECK_EQ_STR(r, "\xEF\xBF\xBD\xEF\xBF\xBD&lt;b&gt;");
}

TEST(url_only_http_and_https_are_links)
{
    struct { const char *u; bool web; } cases[] = {
        { "http://example.org/a?b=1", true }, { "HTTPS://Example.org", true },
        { "https://a.b/#x", true }, { "javascript:alert(1)", false },
        { "JavaScript:alert(1)", false }, { " http://x.org", false }, { "http://", false },
        { "http:///x", false }, { "http://a b", false }, { "http://a\"onmouseover=x", false },
        { "http://a'x", false }, { "http://a<b", false }, { "data:text/html,<script>", false },
        { "vbscript:x", false }, { "//evil.org/x", false }, { "http://a\x01/", false },
        { "http:\\\\evil.org", false }, { "ftp://x.org", false }, { "http://x.org/\xFF", false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool got = ls__url_is_web(cases[i].u, strlen(cases[i].u));
        if (got != cases[i].web) fprintf(stderr, "  url case %zu: %s\n", i, cases[i].u);
        CHECK(got == cases[i].web);
    }
    CHECK_EQ_STR(E(ls__html_url, "https://x.org/?a=1&b=2"),
                 "<a href=\"https://x.org/?a=1&amp;b=2\" rel=\"noopener noreferrer nofollow\">https://x.org/?a=1&amp;b=2</a>");
    CHECK_EQ_STR(E(ls__html_url, "javascript:alert('x')"), "javascript:alert(&#39;x&#39;)");
    CHECK_EQ_STR(E(ls__html_url, "http://a\"><script>"), "http://a&quot;&gt;&lt;script&gt;");
}

TEST(json_for_script_escapes_lt_and_line_separators)
{
    char *r = E(ls__json_script_str, "</script><!--\xE2\x80\xA8x\xE2\x80\xA9\"\\\n\x01&>");
    CHECK_EQ_STR(r, "\"\\u003c/script\\u003e\\u003c!--\\u2028x\\u2029\\\"\\\\\\n\\u0001\\u0026\\u003e\"");
    CHECK(strchr(r, '<') == NULL);
    /* Broken UTF-8 comes out valid, and the result parses back. */
    r = E(ls__json_script_str, "a\xFF" "b\xE2\x80");
    CHECK(r != NULL);
    char doc[256];
    snprintf(doc, sizeof doc, "[%s]", r);
    json_error_t err;
    json_t *j = json_loads(doc, 0, &err);
    CHECK(j != NULL);
    if (j) {
        const char *s = json_string_value(json_array_get(j, 0));
        CHECK(s && s[0] == 'a' && strstr(s, "\xEF\xBF\xBD" "b") != NULL);
        json_decref(j);
    }
    /* Non-ASCII text is kept as UTF-8. */
    CHECK_EQ_STR(E(ls__json_script_str, "香港"), "\"香港\"");
}

TEST(csv_quoting_and_formula_guard)
{
    CHECK_EQ_STR(E(ls__outcsv, "plain"), "plain");
    CHECK_EQ_STR(E(ls__outcsv, "a,b"), "\"a,b\"");
    CHECK_EQ_STR(E(ls__outcsv, "say \"hi\""), "\"say \"\"hi\"\"\"");
    CHECK_EQ_STR(E(ls__outcsv, "two\nlines"), "\"two\nlines\"");
    CHECK_EQ_STR(E(ls__outcsv, "=1+1"), "=1+1");              /* data file: unchanged */
    CHECK_EQ_STR(E(ls__outcsv_safe, "=1+1"), "'=1+1");
    CHECK_EQ_STR(E(ls__outcsv_safe, "+x"), "'+x");
    CHECK_EQ_STR(E(ls__outcsv_safe, "-x"), "'-x");
    CHECK_EQ_STR(E(ls__outcsv_safe, "@SUM(A1)"), "'@SUM(A1)");
    CHECK_EQ_STR(E(ls__outcsv_safe, "=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    CHECK_EQ_STR(E(ls__outcsv_safe, "ok=1"), "ok=1");
    CHECK_EQ_STR(E(ls__outcsv, "a\xFF"), "a\xEF\xBF\xBD");
}

TEST(sha256_and_csp_hash_known_vectors)
{
    char hex[65], csp[64];
    ls__sha256_hex("abc", 3, hex);
    CHECK_EQ_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    ls__sha256_hex("", 0, hex);
    CHECK_EQ_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    ls__csp_hash("", 0, csp);
    CHECK_EQ_STR(csp, "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
    ls__csp_hash("abc", 3, csp);
    CHECK_EQ_STR(csp, "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='");
    /* Chromium's own example: the hash of the script body alert('Hello, world.'); */
    ls__csp_hash("alert('Hello, world.');", 23, csp);
    CHECK_EQ_STR(csp, "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='");
}

TEST(pseudonyms_stable_keyed_and_unlinkable)
{
    ls_ctx *ctx = NULL;
    ls__pseudo k1, k2, k1b;
    char a[45], b[45], c[45], n1[16], n2[16], n3[16];
    CHECK(ls_ctx_new(&ctx) == LS_OK);
    CHECK(ls__pseudo_set(ctx, &k1, "0123456789abcdef0123456789abcdef", 32) == LS_OK);
    CHECK(ls__pseudo_set(ctx, &k1b, "0123456789abcdef0123456789abcdef", 32) == LS_OK);
    CHECK(ls__pseudo_set(ctx, &k2, "0123456789abcdef0123456789abcdeF", 32) == LS_OK);
    CHECK(ls__pseudo_set(ctx, &k2, "short", 5) == LS_ERR_USAGE);
    CHECK(ls__pseudo_set(ctx, &k2, "0123456789abcdef0123456789abcdeF", 32) == LS_OK);

    ls__pseudo_id(&k1, "1234567890", 10, a);
    ls__pseudo_id(&k1b, "1234567890", 10, b);
    ls__pseudo_id(&k2, "1234567890", 10, c);
    CHECK_EQ_STR(a, b);                       /* same key, same pseudonym */
    CHECK(strcmp(a, c) != 0);                 /* other key, other pseudonym */
    CHECK_EQ_INT(strlen(a), 44);
    CHECK(a[43] == '=');
    /* It is HMAC-SHA-256(key, "id\0" || id), base64: recompute in one shot. */
    unsigned char mac[32], msg[16];
    char want[45];
    memcpy(msg, "id\0" "1234567890", 13);
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)"0123456789abcdef0123456789abcdef", 32);
    crypto_auth_hmacsha256_update(&st, msg, 13);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2base64(want, sizeof want, mac, 32, sodium_base64_VARIANT_ORIGINAL);
    CHECK_EQ_STR(a, want);
    /* A different id gives a different pseudonym. */
    ls__pseudo_id(&k1, "1234567891", 10, b);
    CHECK(strcmp(a, b) != 0);

    ls__pseudo_name(&k1, "FooBar_1", 8, n1);
    ls__pseudo_name(&k1, "foobar_1", 8, n2);
    ls__pseudo_name(&k2, "foobar_1", 8, n3);
    CHECK_EQ_STR(n1, n2);                     /* names are case-insensitive */
    CHECK(strcmp(n1, n3) != 0);
    CHECK_EQ_INT(strlen(n1), 15);
    CHECK_EQ_INT(strspn(n1, "abcdefghijklmnopqrstuvwxyz234567"), 15);
    /* Ids and names are hashed under different labels. */
    ls__pseudo_id(&k1, "foobar_1", 8, a);
    CHECK(strncmp(a, n1, 15) != 0);
    ls_ctx_free(ctx);
}

static bool keep_only_keep(void *arg, const char *name, size_t n)
{
    (void)arg;
    return n == 4 && strncasecmp(name, "keep", 4) == 0;
}

TEST(pseudonyms_in_text)
{
    ls_ctx *ctx = NULL;
    ls__pseudo k;
    ls__buf b = { 0 };
    char foo[16], bar[16], want[256];
    CHECK(ls_ctx_new(&ctx) == LS_OK);
    CHECK(ls__pseudo_set(ctx, &k, "0123456789abcdef0123456789abcdef", 32) == LS_OK);
    const char *t = "RT @Foo: hi @bar, mail a@b.com @toolongname1234567 @KEEP @";
    CHECK(ls__pseudo_text(&k, &b, t, strlen(t), keep_only_keep, NULL) == LS_OK);
    ls__buf_putc(&b, 0);
    ls__pseudo_name(&k, "foo", 3, foo);
    ls__pseudo_name(&k, "bar", 3, bar);
    snprintf(want, sizeof want, "RT @%s: hi @%s, mail a@b.com @toolongname1234567 @KEEP @", foo, bar);
    CHECK_EQ_STR(b.p, want);
    /* Profile links name accounts too; reserved paths and other hosts stay. */
    b.n = 0;
    t = "see https://twitter.com/Foo/status/1 and x.com/bar, fox.com/bar, twitter.com/i/web/1 twitter.com/keep medium.com/@foo";
    CHECK(ls__pseudo_text(&k, &b, t, strlen(t), keep_only_keep, NULL) == LS_OK);
    ls__buf_putc(&b, 0);
    snprintf(want, sizeof want, "see https://twitter.com/%s/status/1 and x.com/%s, fox.com/bar, "
             "twitter.com/i/web/1 twitter.com/keep medium.com/@foo", foo, bar);
    CHECK_EQ_STR(b.p, want);
    ls__buf_free(&b);
    ls_ctx_free(ctx);
}

static void write_str(const char *path, const char *s)
{
    FILE *f = fopen(path, "wb");
    if (f) { fputs(s, f); fclose(f); }
}

TEST(manifest_hashes_merges_and_sorts)
{
    ls_ctx *ctx = NULL;
    char dir[] = "/tmp/ls_test_out_XXXXXX", p[256];
    CHECK(ls_ctx_new(&ctx) == LS_OK);
    CHECK(mkdtemp(dir) != NULL);
    snprintf(p, sizeof p, "%s/b.txt", dir); write_str(p, "abc");
    snprintf(p, sizeof p, "%s/a.txt", dir); write_str(p, "");
    const char *names[2] = { "b.txt", "a.txt" };
    CHECK(ls__manifest_update(ctx, dir, names, 2) == LS_OK);
    snprintf(p, sizeof p, "%s/manifest.json", dir);
    json_t *m = json_load_file(p, 0, NULL);
    CHECK(m != NULL);
    json_t *f = json_object_get(m, "files");
    CHECK_EQ_INT(json_array_size(f), 2);
    CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(f, 0), "name")), "a.txt");
    CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(f, 0), "sha256")),
                 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(f, 1), "sha256")),
                 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK_EQ_INT(json_integer_value(json_object_get(json_array_get(f, 1), "bytes")), 3);
    json_decref(m);
    /* A later command adds c.txt and rewrites a.txt: b.txt's entry stays. */
    snprintf(p, sizeof p, "%s/a.txt", dir); write_str(p, "abc");
    snprintf(p, sizeof p, "%s/c.txt", dir); write_str(p, "x");
    const char *names2[2] = { "c.txt", "a.txt" };
    CHECK(ls__manifest_update(ctx, dir, names2, 2) == LS_OK);
    snprintf(p, sizeof p, "%s/manifest.json", dir);
    m = json_load_file(p, 0, NULL);
    f = json_object_get(m, "files");
    CHECK_EQ_INT(json_array_size(f), 3);
    CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(f, 0), "sha256")),
                 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(f, 1), "name")), "b.txt");
    CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(f, 2), "name")), "c.txt");
    json_decref(m);
    /* A missing file is an I/O error, and the old manifest is untouched. */
    const char *missing = "nope.txt";
    CHECK(ls__manifest_update(ctx, dir, &missing, 1) == LS_ERR_IO);
    m = json_load_file(p, 0, NULL);
    CHECK_EQ_INT(json_array_size(json_object_get(m, "files")), 3);
    json_decref(m);
    const char *rm[] = { "a.txt", "b.txt", "c.txt", "manifest.json" };
    for (int i = 0; i < 4; i++) { snprintf(p, sizeof p, "%s/%s", dir, rm[i]); unlink(p); }
    rmdir(dir);
    ls_ctx_free(ctx);
}

TEST(run_folder_reader)
{
    ls_ctx *ctx = NULL;
    ls__rdir run;
    char dir[] = "/tmp/ls_test_run_XXXXXX", p[256];
    CHECK(ls_ctx_new(&ctx) == LS_OK);
    CHECK(mkdtemp(dir) != NULL);
    snprintf(p, sizeof p, "%s/accounts.csv", dir);
    write_str(p, "userid,screen_name,network,role,score,evidence\n"
                 "a1,n1,N2,amplifier,0.9,\"x, y\"\n"
                 "a2,n2,N1,core,0.5,e\n"
                 "a3,n3,N1,amplifier,0.99,e\n"
                 "a4,n4,N1,core,0.8,e\n"
                 "a0,n0,N1,core,0.8,e\n");
    snprintf(p, sizeof p, "%s/networks.json", dir);
    write_str(p, "{\"run\":{\"store\":\"s.store\"},\"networks\":[{\"id\":\"N1\",\"score\":0.7},{\"id\":\"N2\",\"score\":0.6}]}");
    snprintf(p, sizeof p, "%s/edges.csv", dir);
    write_str(p, "source,target,weight,edge_type\na4,a2,2.5,co_retweet\na2,zz,1,co_retweet\n");
    CHECK(ls__rdir_load(ctx, dir, &run) == LS_OK);
    CHECK_EQ_INT(run.n_acc, 5);
    CHECK_EQ_INT(run.n_net, 2);
    CHECK_EQ_STR(run.net[0].id, "N1");                 /* networks.json order */
    CHECK_EQ_INT(run.net[0].n_core, 3);
    CHECK_EQ_INT(run.net[0].n_amp, 1);
    CHECK(run.net[0].score > 0.69 && run.net[0].score < 0.71);
    CHECK_EQ_STR(run.acc[0].evidence, "x, y");
    CHECK_EQ_STR(run.store_path, "s.store");
    CHECK_EQ_INT(run.n_edge, 1);                        /* the edge to an unknown id is dropped */
    CHECK_EQ_INT(run.edge[0].a, 1);
    CHECK_EQ_INT(run.edge[0].b, 3);
    uint32_t *m = NULL;
    size_t n = 0;
    CHECK(ls__rdir_members(&run, 0, &m, &n) == LS_OK);
    /* core first, by score, ties by userid; then amplifiers */
    CHECK_EQ_INT(n, 4);
    if (n == 4) {
        CHECK_EQ_STR(run.acc[m[0]].userid, "a0");
        CHECK_EQ_STR(run.acc[m[1]].userid, "a4");
        CHECK_EQ_STR(run.acc[m[2]].userid, "a2");
        CHECK_EQ_STR(run.acc[m[3]].userid, "a3");
    }
    ls__free(m);
    ls__rdir_free(&run);
    /* A folder without accounts.csv is an error. */
    snprintf(p, sizeof p, "%s/accounts.csv", dir); unlink(p);
    CHECK(ls__rdir_load(ctx, dir, &run) != LS_OK);
    ls__rdir_free(&run);
    snprintf(p, sizeof p, "%s/networks.json", dir); unlink(p);
    snprintf(p, sizeof p, "%s/edges.csv", dir); unlink(p);
    rmdir(dir);
    ls_ctx_free(ctx);
}

TEST(dates_timezone_templates)
{
    char d[16], m[24];
    ls__fmt_day(0, d); CHECK_EQ_STR(d, "1970-01-01");
    ls__fmt_minute(1587776400000LL, m); CHECK_EQ_STR(m, "2020-04-25 01:00");
    ls__fmt_minute(-1, m); CHECK_EQ_STR(m, "1969-12-31 23:59");
    ls__fmt_day(951782400000LL, d); CHECK_EQ_STR(d, "2000-02-29");
    /* Posts Monday-Friday 01:00-09:59 UTC are 09-18 in UTC+8. */
    uint64_t h[168] = { 0 };
    for (int wd = 0; wd < 5; wd++)
        for (int hr = 1; hr <= 9; hr++) h[wd * 24 + hr] = 10;
    double share;
    CHECK_EQ_INT(ls__office_tz(h, &share), 8);
    CHECK(share > 0.999);
    /* Posts 14:00-22:59 UTC are office hours in UTC-5. */
    memset(h, 0, sizeof h);
    for (int wd = 0; wd < 5; wd++)
        for (int hr = 14; hr <= 22; hr++) h[wd * 24 + hr] = 3;
    CHECK_EQ_INT(ls__office_tz(h, &share), -5);
    char t[64];
    ls__outname_template("Fang88641701", 12, t, sizeof t); CHECK_EQ_STR(t, "Aaaa99999999");
    ls__outname_template("a_b-1<", 6, t, sizeof t); CHECK_EQ_STR(t, "a_a_9_");
    ls__outname_template("abcdef", 6, t, 4); CHECK_EQ_STR(t, "aaa");
}


/* Every product under allocation failure: the k-th allocation fails for
 * k = 1, 2, ... until the call succeeds.  Each failing call must return an
 * error (never crash; ASan checks leaks at exit) and leave no temporary
 * file behind; the final output must equal the one made without failures. */
static int no_tmp_files(const char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "ls -a '%s' | grep -q '\\.tmp\\.'", dir);
    return system(cmd) != 0;
}

TEST(products_under_allocation_failure)
{
    ls_ctx *ctx = NULL;
    char dir[] = "/tmp/ls_test_nomem_XXXXXX", p[512], q[512];
    CHECK(ls_ctx_new(&ctx) == LS_OK);
    CHECK(mkdtemp(dir) != NULL);
    snprintf(p, sizeof p, "%s/tweets.csv", dir);
    write_str(p,
        "tweetid,userid,user_display_name,user_screen_name,user_reported_location,user_profile_description,"
        "user_profile_url,follower_count,following_count,account_creation_date,account_language,tweet_language,"
        "tweet_text,tweet_time,tweet_client_name,in_reply_to_userid,in_reply_to_tweetid,quoted_tweet_tweetid,"
        "is_retweet,retweet_userid,retweet_tweetid,latitude,longitude,quote_count,reply_count,like_count,"
        "retweet_count,hashtags,urls,user_mentions,poll_choices\n"
        "1250000000000000001,1,A,aa,,hi @bb,,0,1,2020-01-13,en,en,hello world #t https://x.org/a,2020-04-14 09:56,web,,,,False,,,absent,absent,0,0,1,2,['t'],['https://x.org/a'],['2'],\n"
        "1250000000000000002,2,B,bb,,,,9000,1,2019-01-13,en,en,RT @aa: hello world #t,2020-04-14 09:56,web,,,,True,1,1250000000000000001,absent,absent,0,0,0,0,['t'],[],[],\n"
        "1250000000000000003,3,C,cc,,,,3,1,2020-01-13,zh,zh,香港 香港 words here,2020-04-14 09:57,web,,,,False,,,absent,absent,0,0,0,0,[],[],[],\n");
    snprintf(q, sizeof q, "%s/s.store", dir);
    const char *files[1] = { p };
    ls_ingest_opts io = { 0 };
    io.format = "io";
    CHECK(ls_ingest(ctx, &io, files, 1, q) == LS_OK);
    snprintf(p, sizeof p, "%s/accounts.csv", dir);
    write_str(p, "userid,screen_name,network,role,score,evidence\n1,aa,N1,core,0.9,e1\n2,bb,N1,amplifier,0.5,e2\n3,cc,N2,core,0.7,e3\n");
    snprintf(p, sizeof p, "%s/edges.csv", dir);
    write_str(p, "source,target,weight\n1,2,1\n");
    snprintf(p, sizeof p, "%s/networks.json", dir);
    char js[600];
    snprintf(js, sizeof js, "{\"run\":{\"store\":\"%s\"},\"networks\":[{\"id\":\"N1\",\"score\":0.8,"
             "\"signals\":{\"a\":0.5,\"b\":0.25},\"traction\":{\"sentence\":\"little\"}},{\"id\":\"N2\",\"score\":0.7}]}", q);
    write_str(p, js);
    snprintf(p, sizeof p, "%s/key", dir);
    write_str(p, "0123456789abcdef0123456789abcdef");
    char rel[512], gdir[512], key[512];
    snprintf(rel, sizeof rel, "%s/rel", dir);
    snprintf(gdir, sizeof gdir, "%s/g", dir);
    snprintf(key, sizeof key, "%s/key", dir);

    ls__buf want = { 0 }, got = { 0 };
    for (int prod = 0; prod < 4; prod++) {
        const char *out = prod == 0 ? "report.html" : prod == 1 ? "takedown.csv" : prod == 2 ? "rel/tweets.csv" : "g/network_N1.gexf";
        int rc = LS_OK;
        uint64_t k;
        for (k = 0; k < 20000; k++) {
            ls__alloc_fail_after(k);
            switch (prod) {
            case 0: rc = ls_report(ctx, dir, NULL); break;
            case 1: rc = ls_export_takedown(ctx, dir, NULL); break;
            case 2: rc = ls_export_archive(ctx, dir, NULL, key, rel); break;
            default: rc = ls_export_graphs(ctx, dir, NULL, gdir); break;
            }
            ls__alloc_fail_after(0);
            if (k == 0) {                      /* the reference run */
                CHECK(rc == LS_OK);
                snprintf(p, sizeof p, "%s/%s", dir, out);
                CHECK(read_file(p, &want) == 0);
                continue;
            }
            if (rc == LS_OK) break;
            CHECK(no_tmp_files(dir));
        }
        CHECK(rc == LS_OK);
        CHECK(k > 3);                          /* allocations did fail on the way */
        snprintf(p, sizeof p, "%s/%s", dir, out);
        CHECK(read_file(p, &got) == 0);
        CHECK(got.n == want.n && memcmp(got.p, want.p, got.n) == 0);
        if (t_fail_) fprintf(stderr, "  product %d failed after k=%llu\n", prod, (unsigned long long)k);
    }
    ls__buf_free(&want);
    ls__buf_free(&got);
    snprintf(p, sizeof p, "rm -rf '%s'", dir);
    CHECK(system(p) == 0);
    ls_ctx_free(ctx);
}

int main(void)
{
    RUN(html_text_escapes_markup);
    RUN(html_text_repairs_broken_utf8_before_escaping);
    RUN(url_only_http_and_https_are_links);
    RUN(json_for_script_escapes_lt_and_line_separators);
    RUN(csv_quoting_and_formula_guard);
    RUN(sha256_and_csp_hash_known_vectors);
    RUN(pseudonyms_stable_keyed_and_unlinkable);
    RUN(pseudonyms_in_text);
    RUN(manifest_hashes_merges_and_sorts);
    RUN(run_folder_reader);
    RUN(dates_timezone_templates);
    RUN(products_under_allocation_failure);
    TEST_END();
}
