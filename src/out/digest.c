/*
 * digest.c — SHA-256 (libsodium) for the manifest and for the hashes in the
 * report's Content-Security-Policy, which allow exactly the inline script
 * and style the report was written with and nothing an attacker injects.
 */
#include "out.h"
#include <errno.h>
#include <sodium.h>

void ls__sha256_hex(const void *p, size_t n, char hex[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    if (sodium_init() < 0) { memset(hex, '0', 64); hex[64] = 0; return; }
    crypto_hash_sha256(h, p, n);
    sodium_bin2hex(hex, 65, h, sizeof h);
}

void ls__csp_hash(const void *p, size_t n, char out[64])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    if (sodium_init() < 0) { snprintf(out, 64, "'none'"); return; }
    crypto_hash_sha256(h, p, n);
    sodium_bin2base64(b64, sizeof b64, h, sizeof h, sodium_base64_VARIANT_ORIGINAL);
    snprintf(out, 64, "'sha256-%s'", b64);
}

int ls__sha256_file(ls_ctx *ctx, const char *path, char hex[65], uint64_t *bytes)
{
    crypto_hash_sha256_state st;
    unsigned char h[crypto_hash_sha256_BYTES];
    char *buf = NULL;
    int rc = LS_OK;
    FILE *f = NULL;
    *bytes = 0;
    if (sodium_init() < 0) return ls__fail(ctx, LS_ERR_INTERNAL, "libsodium failed to initialise");
    if (!(f = fopen(path, "rb")))
        return ls__fail(ctx, LS_ERR_IO, "%s: %s", path, strerror(errno));
    if (!(buf = ls__malloc(1 << 16))) { rc = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
    crypto_hash_sha256_init(&st);
    for (;;) {
        size_t got = fread(buf, 1, 1 << 16, f);
        if (got) { crypto_hash_sha256_update(&st, (unsigned char *)buf, got); *bytes += got; }
        if (got < (1 << 16)) break;
    }
    if (ferror(f)) { rc = ls__fail(ctx, LS_ERR_IO, "%s: read error", path); goto done; }
    crypto_hash_sha256_final(&st, h);
    sodium_bin2hex(hex, 65, h, sizeof h);
done:
    ls__free(buf);
    fclose(f);
    return rc;
}
