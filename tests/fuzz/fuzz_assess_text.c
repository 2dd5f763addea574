/*
 * fuzz_assess_text.c — libFuzzer target for the assessment stage's two
 * readers of untrusted bytes: the narrative tokeniser (tweet text of any
 * script, broken UTF-8, emoji, URLs) and the fingerprint JSON read back
 * from a case database someone else may have written.  Tokens must be
 * non-empty, inside the tokeniser's memory and valid UTF-8; a fingerprint
 * that parses must survive a round trip and a link against itself.
 */
#include "assess/assess.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ls_ctx *ctx = NULL;
    ls__tok *t = NULL;
    char *text = NULL;
    ls__fp fp;
    memset(&fp, 0, sizeof fp);
    if (ls_ctx_new(&ctx) != LS_OK) return 0;
    if (ls__tok_new(ctx, &t) != LS_OK) goto done;
    const ls__str *w;
    size_t n;
    if (ls__tok_text(t, (ls__str){ (const char *)data, size }, &w, &n) == LS_OK)
        for (size_t i = 0; i < n; i++) {
            if (w[i].n == 0 || ls__utf8_valid_prefix(w[i].p, w[i].n) != w[i].n) __builtin_trap();
        }
    text = ls__malloc(size + 1);
    if (!text) goto done;
    memcpy(text, data, size);
    text[size] = 0;
    if (ls__fp_from_json(ctx, text, &fp) == LS_OK) {
        ls__link L;
        ls__fp_link(&fp, &fp, 0, &L);
        if (!(L.score >= 0 && L.score <= 1)) __builtin_trap();
        json_t *j = ls__fp_to_json(&fp);
        json_decref(j);
    }
done:
    ls__fp_free(&fp);
    ls__free(text);
    ls__tok_free(t);
    ls_ctx_free(ctx);
    return 0;
}
