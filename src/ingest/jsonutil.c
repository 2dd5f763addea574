/*
 * jsonutil.c — typed member access and per-record scratch for the JSON
 * parsers (see jsonutil.h).  Nothing here reads input; jsonread.c does.
 */
#include "jsonutil.h"

#include <inttypes.h>
#include <math.h>

void ls__js_rec_reset(ls__js_rec *s)
{
    s->tags.n = s->urls.n = s->mentions.n = s->images.n = 0;
    /* The arena is only used by the odd record (integer ids, "@name"
     * mentions, escaped client names), so freeing it each time costs
     * nothing on the common path and keeps memory flat. */
    if (s->arena.head) {
        ls__arena_free(&s->arena);
        memset(&s->arena, 0, sizeof s->arena);
    }
    s->nomem = 0;
}

void ls__js_rec_free(ls__js_rec *s)
{
    ls__free(s->tags.v);
    ls__free(s->urls.v);
    ls__free(s->mentions.v);
    ls__free(s->images.v);
    if (s->arena.head) ls__arena_free(&s->arena);
    memset(s, 0, sizeof *s);
}

void ls__js_push(ls__js_rec *sc, ls__js_list *l, ls__str s)
{
    if (s.n == 0) return;
    if (ls__grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v) != LS_OK) {
        sc->nomem = 1;
        return;
    }
    l->v[l->n++] = s;
}

ls__str ls__js_dup(ls__js_rec *sc, const char *p, size_t n)
{
    ls__str r = { NULL, 0 };
    char *q;
    if (n == 0) return r;
    q = ls__arena_alloc(&sc->arena, n);
    if (!q) { sc->nomem = 1; return r; }
    memcpy(q, p, n);
    r.p = q;
    r.n = n;
    return r;
}

ls__str ls__js_id(ls__js_rec *sc, const json_t *v)
{
    char tmp[24];
    int k;
    if (json_is_string(v)) return ls__js_sv(v);
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        ls__str none = { NULL, 0 };
        return none;
    }
    k = snprintf(tmp, sizeof tmp, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    return ls__js_dup(sc, tmp, (size_t)k);
}

int64_t ls__js_count(const json_t *v)
{
    if (json_is_integer(v)) {
        json_int_t x = json_integer_value(v);
        return x < 0 ? -1 : (int64_t)x;
    }
    if (json_is_real(v)) {
        double d = json_real_value(v);
        /* 2^62 keeps the conversion defined; no real count comes close. */
        if (!(d >= 0 && d < 4611686018427387904.0) || d != floor(d)) return -1;
        return (int64_t)d;
    }
    if (json_is_string(v)) {
        int64_t x;
        if (ls__count_parse(ls__js_sv(v), &x) == LS_OK && x >= 0) return x;
    }
    return -1;
}

/* Unescapes the XML entities Twitter writes in source attributes. */
static ls__str unescape(ls__js_rec *sc, ls__str s)
{
    static const struct { const char *ent; char c; } tab[] = {
        { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
        { "&quot;", '"' }, { "&#39;", '\'' }, { "&apos;", '\'' },
    };
    char *q;
    size_t i, j = 0;
    ls__str r = { NULL, 0 };
    if (s.n == 0 || !memchr(s.p, '&', s.n)) return s;
    q = ls__arena_alloc(&sc->arena, s.n);
    if (!q) { sc->nomem = 1; return r; }
    for (i = 0; i < s.n;) {
        size_t t, matched = 0;
        if (s.p[i] == '&') {
            for (t = 0; t < sizeof tab / sizeof tab[0]; t++) {
                size_t m = strlen(tab[t].ent);
                if (m <= s.n - i && memcmp(s.p + i, tab[t].ent, m) == 0) {
                    q[j++] = tab[t].c;
                    i += m;
                    matched = 1;
                    break;
                }
            }
        }
        if (!matched) q[j++] = s.p[i++];
    }
    r.p = q;
    r.n = j;
    return r;
}

ls__str ls__js_client(ls__js_rec *sc, ls__str src)
{
    const char *gt, *lt;
    ls__str in;
    if (src.n == 0 || src.p[0] != '<') return unescape(sc, src);
    /* <a ...>NAME</a>: NAME is between the first '>' and the next '<'. */
    gt = memchr(src.p, '>', src.n);
    if (!gt) return unescape(sc, src);
    in.p = gt + 1;
    in.n = src.n - (size_t)(in.p - src.p);
    lt = memchr(in.p, '<', in.n);
    if (lt) in.n = (size_t)(lt - in.p);
    while (in.n && (in.p[0] == ' ' || in.p[0] == '\t')) { in.p++; in.n--; }
    while (in.n && (in.p[in.n - 1] == ' ' || in.p[in.n - 1] == '\t')) in.n--;
    return unescape(sc, in);
}

ls__str ls__js_at_name(ls__js_rec *sc, ls__str name)
{
    ls__str r = { NULL, 0 };
    char *q;
    if (!name.n) return r;
    q = ls__arena_alloc(&sc->arena, name.n + 1);
    if (!q) { sc->nomem = 1; return r; }
    q[0] = '@';
    for (size_t k = 0; k < name.n; k++)
        q[k + 1] = (char)(name.p[k] >= 'A' && name.p[k] <= 'Z' ? name.p[k] + 32 : name.p[k]);
    r.p = q;
    r.n = name.n + 1;
    return r;
}

void ls__js_rec_lists(ls__js_rec *sc, ls__rec *r)
{
    r->hashtags = sc->tags.v;     r->n_hashtags = sc->tags.n;
    r->urls = sc->urls.v;         r->n_urls = sc->urls.n;
    r->mentions = sc->mentions.v; r->n_mentions = sc->mentions.n;
    r->images = sc->images.v;     r->n_images = sc->images.n;
}
