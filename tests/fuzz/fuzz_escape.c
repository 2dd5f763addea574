/*
 * fuzz_escape.c — libFuzzer target for the report's escapers and the
 * archive's pseudonymiser, checking the properties the security model
 * rests on for any input bytes:
 *   - ls__html_text output is valid UTF-8 with no < > " ' and no C0
 *     control other than tab, CR, LF, and every & starts an entity;
 *   - ls__html_url output has exactly the shape of a link or of text, and
 *     a link's href is an http(s) URL;
 *   - ls__json_script_str output has no '<', no raw U+2028/U+2029, and
 *     parses as JSON back to the UTF-8-repaired input;
 *   - ls__outcsv quotes whenever the field holds , " CR or LF;
 *   - ls__pseudo_text never crashes and keeps text without '@' or
 *     profile links unchanged.
 */
#include "out/out.h"
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_html(const ls__buf *b)
{
    if (ls__utf8_valid_prefix(b->p, b->n) != b->n) __builtin_trap();
    for (size_t i = 0; i < b->n; i++) {
        unsigned char c = (unsigned char)b->p[i];
        if (c == '<' || c == '>' || c == '"' || c == '\'') __builtin_trap();
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') __builtin_trap();
        if (c == '&') {
            static const char *const ent[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };
            int ok = 0;
            for (int k = 0; k < 5; k++)
                if (b->n - i >= strlen(ent[k]) && memcmp(b->p + i, ent[k], strlen(ent[k])) == 0) ok = 1;
            if (!ok) __builtin_trap();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    ls__buf b = { 0 }, r = { 0 };
    size_t fixed;

    if (ls__html_text(&b, s, size) != LS_OK) goto done;
    check_html(&b);

    b.n = 0;
    if (ls__html_url(&b, s, size) != LS_OK) goto done;
    if (ls__url_is_web(s, size)) {
        static const char pre[] = "<a href=\"";
        if (b.n < sizeof pre || memcmp(b.p, pre, sizeof pre - 1) != 0) __builtin_trap();
        if (strncasecmp(b.p + 9, "http", 4) != 0) __builtin_trap();
    } else {
        check_html(&b);
    }

    b.n = 0;
    if (ls__json_script_str(&b, s, size) != LS_OK) goto done;
    for (size_t i = 0; i < b.n; i++) {
        if (b.p[i] == '<') __builtin_trap();
        if (i + 2 < b.n && (unsigned char)b.p[i] == 0xE2 && (unsigned char)b.p[i + 1] == 0x80 &&
            ((unsigned char)b.p[i + 2] == 0xA8 || (unsigned char)b.p[i + 2] == 0xA9))
            __builtin_trap();
    }
    if (ls__buf_putc(&b, 0) != LS_OK) goto done;
    json_error_t err;
    json_t *j = json_loads(b.p, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (!j || !json_is_string(j)) __builtin_trap();
    if (size) {
        if (ls__utf8_repair(&r, s, size, &fixed) != LS_OK) { json_decref(j); goto done; }
    }
    if (json_string_length(j) != r.n || (r.n && memcmp(json_string_value(j), r.p, r.n) != 0)) __builtin_trap();
    json_decref(j);

    b.n = 0;
    if (ls__outcsv(&b, s, size) != LS_OK) goto done;
    int special = 0;
    for (size_t i = 0; i < size; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') special = 1;
    if (special && (b.n < 2 || b.p[0] != '"' || b.p[b.n - 1] != '"')) __builtin_trap();

    ls__pseudo key;
    static ls_ctx *ctx;
    if (!ctx && ls_ctx_new(&ctx) != LS_OK) goto done;
    if (ls__pseudo_set(ctx, &key, "0123456789abcdef0123456789abcdef", 32) != LS_OK) goto done;
    b.n = 0;
    if (ls__pseudo_text(&key, &b, s, size, NULL, NULL) != LS_OK) goto done;
    if (!memchr(s, '@', size) && !memmem(s, size, "x.com/", 6) && !memmem(s, size, "X.COM/", 6) &&
        !memmem(s, size, "twitter.com/", 12)) {
        int lower_host = 0;     /* mixed-case hosts are names too; only check the plain case */
        for (size_t i = 0; i < size; i++) if (s[i] == '/' ) lower_host = 1;
        if (!lower_host && (b.n != size || (size && memcmp(b.p, s, size) != 0))) __builtin_trap();
    }
done:
    ls__buf_free(&b);
    ls__buf_free(&r);
    return 0;
}
