/*
 * url.c — URL normalisation for the co-link layers, and the "RT @name:"
 * prefix of old-style retweet texts.
 *
 * Two shares of the same page should give the same string, so
 * ls__url_normalise: trims spaces; lowercases the scheme and the host;
 * drops a trailing '.' of the host, the default port (:80 for http, :443
 * for https) and the fragment; drops tracking parameters (utm_*, fbclid,
 * gclid, igshid, mc_cid, mc_eid, ref_src, si; names compared
 * case-insensitively) and the '?' when none remain; and drops one trailing
 * '/' of the path, so "http://a.org/", "http://a.org" and "http://a.org/x/"
 * vs "http://a.org/x" compare equal.  Path and remaining query are kept
 * byte for byte (no percent-decoding: that would merge distinct URLs).
 * The host is reported lowercase without "www." as the domain.  O(n).
 */
#include "ingest.h"

static char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c; }

static int ieq_prefix(const char *p, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    if (n < k) return 0;
    for (size_t i = 0; i < k; i++)
        if (lower(p[i]) != lit[i]) return 0;
    return 1;
}

/* Is the query parameter name p[0..n) a tracking parameter? */
static int is_tracking(const char *p, size_t n)
{
    static const char *const names[] = { "fbclid", "gclid", "igshid", "mc_cid",
                                         "mc_eid", "ref_src", "si" };
    if (ieq_prefix(p, n, "utm_")) return 1;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == n && ieq_prefix(p, n, names[i])) return 1;
    return 0;
}

int ls__url_normalise(ls__str s, ls__buf *out, size_t *host_off, size_t *host_len)
{
    const char *p = s.p, *e = s.p + s.n;
    int rc;
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) p++;
    while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n')) e--;
    *host_off = out->n;
    *host_len = 0;
    /* scheme "://" */
    const char *q = p;
    if (q < e && ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'))) {
        while (q < e && ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
                         (*q >= '0' && *q <= '9') || *q == '+' || *q == '-' || *q == '.'))
            q++;
    }
    const char *auth = q + 3;
    const char *hend = auth;
    if (q == p || e - q < 3 || memcmp(q, "://", 3) != 0) goto plain;
    while (hend < e && *hend != '/' && *hend != '?' && *hend != '#') hend++;
    /* Host without user info and port. */
    const char *h = auth;
    for (const char *t = auth; t < hend; t++) if (*t == '@') h = t + 1;
    const char *hp = hend;          /* end of host name, start of ":port" */
    if (h < hend && *h == '[') {    /* IPv6 literal */
        const char *rb = memchr(h, ']', (size_t)(hend - h));
        hp = rb ? rb + 1 : hend;
    } else {
        const char *colon = memchr(h, ':', (size_t)(hend - h));
        if (colon) hp = colon;
    }
    const char *he = hp;
    while (he > h && he[-1] == '.') he--;
    if (he == h) goto plain;

    size_t slen = (size_t)(q - p);
    /* Reserve room once (the result is never longer than the input), so
     * the writes below need no checks. */
    if ((rc = ls__grow((void **)&out->p, &out->cap, out->n + (size_t)(e - p) + 1, 1)) != LS_OK)
        return rc;
    char *o = out->p + out->n;
    for (size_t i = 0; i < slen; i++) *o++ = lower(p[i]);
    memcpy(o, "://", 3); o += 3;
    memcpy(o, auth, (size_t)(h - auth)); o += h - auth;     /* user info as is */
    size_t hoff = (size_t)(o - out->p);
    for (const char *t = h; t < he; t++) *o++ = lower(*t);
    size_t hlen = (size_t)(he - h);
    /* Port, unless it is the scheme's default. */
    if (hp < hend) {
        ls__str port = { hp, (size_t)(hend - hp) };
        int dflt = (slen == 4 && ieq_prefix(p, 4, "http") && ls__str_eqc(port, ":80")) ||
                   (slen == 5 && ieq_prefix(p, 5, "https") && ls__str_eqc(port, ":443")) ||
                   ls__str_eqc(port, ":");
        if (!dflt) { memcpy(o, hp, (size_t)(hend - hp)); o += hend - hp; }
    }
    /* Path up to '?' or '#', minus one trailing '/'. */
    const char *path = hend, *pe = path;
    while (pe < e && *pe != '?' && *pe != '#') pe++;
    size_t plen = (size_t)(pe - path);
    if (plen > 0 && path[plen - 1] == '/') plen--;
    memcpy(o, path, plen); o += plen;
    /* Query without tracking parameters; the fragment goes. */
    if (pe < e && *pe == '?') {
        const char *qs = pe + 1, *qe = qs;
        while (qe < e && *qe != '#') qe++;
        int first = 1;
        for (const char *a = qs; a <= qe;) {
            const char *amp = memchr(a, '&', (size_t)(qe - a));
            const char *ae = amp ? amp : qe;
            const char *eq = memchr(a, '=', (size_t)(ae - a));
            size_t klen = (size_t)((eq ? eq : ae) - a);
            if (ae > a && !is_tracking(a, klen)) {
                *o++ = first ? '?' : '&';
                memcpy(o, a, (size_t)(ae - a)); o += ae - a;
                first = 0;
            }
            if (!amp) break;
            a = amp + 1;
        }
    }
    out->n = (size_t)(o - out->p);
    out->p[out->n] = '\0';
    /* The domain: the host without a leading "www.". */
    if (hlen > 4 && memcmp(out->p + hoff, "www.", 4) == 0) { hoff += 4; hlen -= 4; }
    *host_off = hoff;
    *host_len = hlen;
    return LS_OK;

plain:
    if ((rc = ls__buf_put(out, p, (size_t)(e - p))) != LS_OK) return rc;
    *host_off = out->n;
    return LS_ERR_PARSE;
}

ls__str ls__rt_prefix_name(ls__str text)
{
    ls__str none = { text.p, 0 };
    if (!text.p || text.n < 5) return none; /* no arithmetic on an absent text */
    const char *p = text.p, *e = text.p + text.n;
    while (p < e && (*p == ' ' || *p == '\t')) p++;
    if (e - p < 5 || memcmp(p, "RT @", 4) != 0) return none;
    const char *n0 = p + 4, *q = n0;
    while (q < e && q - n0 < 16 && ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
                                    (*q >= '0' && *q <= '9') || *q == '_'))
        q++;
    if (q == n0 || q - n0 > 15 || q == e || *q != ':') return none;
    return (ls__str){ n0, (size_t)(q - n0) };
}
