/*
 * pseudo.c — keyed pseudonyms for the transparency archive.  Identifiers of
 * small accounts are replaced by HMAC-SHA-256 (libsodium) under a key that
 * never enters the release: the same key gives the same pseudonyms (two
 * releases by one platform line up), a different key gives unrelated ones,
 * and without the key a pseudonym cannot be checked against a guessed id
 * (a plain hash of a numeric id could be brute-forced in minutes).
 *
 * Ids and screen names are hashed under different labels ("id\0",
 * "name\0"), so a pseudonymous id never reveals the pseudonymous name.
 * Names are compared case-insensitively (Twitter's rule), hence lowercased
 * before hashing, so "@Foo" in a text and "foo" in a users file agree.
 * In text, both "@name" and profile links "twitter.com/name" (and x.com)
 * are names.
 */
#include "out.h"
#include <errno.h>
#include <sodium.h>

int ls__pseudo_set(ls_ctx *ctx, ls__pseudo *p, const void *key, size_t n)
{
    memset(p, 0, sizeof *p);
    if (n < LS__PSEUDO_MIN_KEY || n > sizeof p->key)
        return ls__fail(ctx, LS_ERR_USAGE, "the pseudonym key must hold %d to %zu bytes, not %zu",
                        LS__PSEUDO_MIN_KEY, sizeof p->key, n);
    if (sodium_init() < 0) return ls__fail(ctx, LS_ERR_INTERNAL, "libsodium failed to initialise");
    memcpy(p->key, key, n);
    p->key_len = n;
    return LS_OK;
}

int ls__pseudo_load(ls_ctx *ctx, ls__pseudo *p, const char *key_file)
{
    unsigned char buf[sizeof p->key + 1];
    FILE *f = fopen(key_file, "rb");
    if (!f) return ls__fail(ctx, LS_ERR_IO, "key file %s: %s", key_file, strerror(errno));
    size_t n = fread(buf, 1, sizeof buf, f);
    int err = ferror(f);
    fclose(f);
    if (err) return ls__fail(ctx, LS_ERR_IO, "key file %s: read error", key_file);
    int rc = ls__pseudo_set(ctx, p, buf, n);
    sodium_memzero(buf, sizeof buf);
    return rc;
}

static void mac(const ls__pseudo *p, const char *label, const char *s, size_t n, int lower,
                unsigned char out[crypto_auth_hmacsha256_BYTES])
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, p->key, p->key_len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)label, strlen(label) + 1);
    if (!lower) {
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)s, n);
    } else {
        unsigned char chunk[64];
        for (size_t i = 0; i < n;) {
            size_t k = 0;
            for (; k < sizeof chunk && i < n; k++, i++) {
                unsigned char c = (unsigned char)s[i];
                chunk[k] = (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
            }
            crypto_auth_hmacsha256_update(&st, chunk, k);
        }
    }
    crypto_auth_hmacsha256_final(&st, out);
}

void ls__pseudo_id(const ls__pseudo *p, const char *id, size_t n, char out[45])
{
    unsigned char h[crypto_auth_hmacsha256_BYTES];
    mac(p, "id", id, n, 0, h);
    sodium_bin2base64(out, 45, h, sizeof h, sodium_base64_VARIANT_ORIGINAL);
}

void ls__pseudo_name(const ls__pseudo *p, const char *name, size_t n, char out[16])
{
    static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
    unsigned char h[crypto_auth_hmacsha256_BYTES];
    mac(p, "name", name, n, 1, h);
    /* 15 characters x 5 bits = 75 bits taken from the front of the MAC. */
    for (int i = 0; i < 15; i++) {
        int bit = i * 5, byte = bit / 8, sh = bit % 8;
        unsigned v = ((unsigned)h[byte] << 8 | h[byte + 1]) >> (11 - sh);
        out[i] = b32[v & 31];
    }
    out[15] = 0;
}

static int name_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Paths of twitter.com that are not accounts. */
static bool reserved_path(const char *s, size_t n)
{
    static const char *const r[] = { "i", "intent", "hashtag", "search", "home", "share", "settings",
                                     "explore", "messages", "notifications", "login", "signup", "tos",
                                     "privacy", NULL };
    for (int k = 0; r[k]; k++)
        if (strlen(r[k]) == n && strncasecmp(r[k], s, n) == 0) return true;
    return false;
}

/* Length of a profile-URL host prefix at s[i] ("twitter.com/", "x.com/"),
 * 0 when there is none.  The host must start the string or follow a
 * character that cannot be part of a host name ("fox.com/" is not x.com). */
static size_t profile_host(const char *s, size_t n, size_t i)
{
    static const char *const hosts[] = { "twitter.com/", "x.com/", NULL };
    for (int k = 0; hosts[k]; k++) {
        size_t h = strlen(hosts[k]);
        if (n - i < h || strncasecmp(s + i, hosts[k], h) != 0) continue;
        if (i > 0) {
            unsigned char c = (unsigned char)s[i - 1];
            if (name_char(c) || c == '-') continue;
        }
        return h;
    }
    return 0;
}

int ls__pseudo_text(const ls__pseudo *p, ls__buf *b, const char *s, size_t n,
                    ls__keep_name_fn keep, void *arg)
{
    size_t start = 0;
    int rc = LS_OK;
    for (size_t i = 0; i < n && rc == LS_OK; i++) {
        /* A profile link (twitter.com/name/...) names its account too. */
        size_t h = (s[i] == 't' || s[i] == 'T' || s[i] == 'x' || s[i] == 'X') ? profile_host(s, n, i) : 0;
        if (h) {
            size_t a = i + h, j = a;
            while (j < n && j - a < 15 && name_char((unsigned char)s[j])) j++;
            size_t len = j - a;
            if (len == 0 || (j < n && name_char((unsigned char)s[j])) || reserved_path(s + a, len) ||
                (keep && keep(arg, s + a, len))) {
                i = a - 1;
                continue;
            }
            char ps[16];
            ls__pseudo_name(p, s + a, len, ps);
            if ((rc = ls__buf_put(b, s + start, a - start)) == LS_OK) rc = ls__buf_put(b, ps, 15);
            start = j;
            i = j - 1;
            continue;
        }
        /* A mention is '@' not preceded by a name character (so e-mail
         * addresses stay) or by '/' (so medium.com/@someone, a handle on
         * another site inside a URL, stays), followed by 1-15 name
         * characters. */
        if (s[i] != '@' || (i > 0 && (name_char((unsigned char)s[i - 1]) || s[i - 1] == '/'))) continue;
        size_t j = i + 1;
        while (j < n && j - i - 1 < 15 && name_char((unsigned char)s[j])) j++;
        size_t len = j - i - 1;
        if (len == 0 || (j < n && name_char((unsigned char)s[j]))) continue;
        if (keep && keep(arg, s + i + 1, len)) continue;
        char ps[16];
        ls__pseudo_name(p, s + i + 1, len, ps);
        if ((rc = ls__buf_put(b, s + start, i + 1 - start)) == LS_OK)
            rc = ls__buf_put(b, ps, 15);
        start = j;
        i = j - 1;
    }
    if (rc == LS_OK) rc = ls__buf_put(b, s + start, n - start);
    return rc;
}
