/*
 * lookup.c — user input checked against the store: layer lists (names of
 * docs/networks.md; "all" is every layer but co_post, because synchrony is
 * opt-in: on busy data every active account co-posts with every other, and
 * co_text, which is co_similar_tweet's objects without the window) and
 * accounts named by id or @screen_name.
 */
#include "lookup.h"

static ls__str screen_name(const ls_store *st, uint32_t a)
{
    uint32_t k = st->acc_screen[a];
    if (k == LS__NONE || k >= st->ns[LS_NS_NAME].n) return LS__S("");
    return ls__strtab_get(&st->ns[LS_NS_NAME], k);
}

int ls__layer_list(ls_ctx *ctx, const char *s, int allow_all, int *layers, int *n)
{
    *n = 0;
    if (!s || !*s) return ls__fail(ctx, LS_ERR_USAGE, "no layer given");
    if (allow_all && strcmp(s, "all") == 0) {
        for (int l = 0; l < LS_L_COUNT; l++) if (l != LS_L_POST && l != LS_L_TEXT) layers[(*n)++] = l;
        return LS_OK;
    }
    const char *p = s;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char name[64];
        int l = -1;
        if (len > 0 && len < sizeof name) {
            memcpy(name, p, len);
            name[len] = 0;
            l = ls__layer_parse(name);
        }
        if (l < 0) return ls__fail(ctx, LS_ERR_USAGE, "unknown layer '%.*s'", (int)(len < 64 ? len : 64), p);
        int dup = 0;
        for (int k = 0; k < *n; k++) dup |= layers[k] == l;
        if (!dup) layers[(*n)++] = l;
        if (!e) break;
        p = e + 1;
    }
    if (*n == 0) return ls__fail(ctx, LS_ERR_USAGE, "no layer given");
    return LS_OK;
}

/* By id first; "@name" then matches a screen name (first account in id
 * order, so the answer does not depend on anything but the store). */
int ls__find_account(ls_ctx *ctx, ls_store *st, const char *s, uint32_t *out)
{
    uint32_t id = ls__strtab_find(&st->ns[LS_NS_ACCOUNT], ls__str_c(s));
    if (id == LS__NONE && s[0] == '@' && st->acc_screen) {
        ls__str want = ls__str_c(s + 1);
        for (uint32_t a = 0; a < st->ns[LS_NS_ACCOUNT].n && id == LS__NONE; a++)
            if (ls__str_eq(screen_name(st, a), want)) id = a;
    }
    if (id == LS__NONE) return ls__fail(ctx, LS_ERR_NOTFOUND, "account '%s' is not in the store", s);
    *out = id;
    return LS_OK;
}

