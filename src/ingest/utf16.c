/*
 * utf16.c — UTF-16 text as input: spreadsheet and media-monitoring exports
 * ("Unicode text" from Excel, Meltwater's and Brandwatch's tab-separated
 * exports) are UTF-16 with a byte-order mark, and some without one.  The
 * source (src.c) sees the mark, or the zero bytes of UTF-16 ASCII
 * (ls__u16_sniff), and hands its raw bytes here; ICU's converters (ucnv_convertEx,
 * UTF-16LE or UTF-16BE to UTF-8, state kept across reads) turn them into
 * the UTF-8 every parser reads.  Unpaired surrogates and a dangling odd
 * byte at the end become U+FFFD (ICU's substitution); they are counted here
 * (ls__u16_bad), since the parsers then see valid UTF-8, and ingest reports
 * the count as bad_utf8 repairs of the input.
 */
#include "arc.h"

#include <unicode/ucnv.h>

#define PIVOT 4096

struct ls__u16 {
    ls_ctx *ctx;
    const char *name;
    UConverter *from, *to;
    UChar pivot[PIVOT], *ps, *pt;
    ls__xdec_pull pull;
    void *u;
    const char *in, *in_end;        /* the raw window not yet converted */
    int eof, flushed, bom_left;
    uint64_t bad;                   /* sequences replaced by U+FFFD */
};

/* ICU's substitution, counted. */
static void count_bad(const void *ctx, UConverterToUnicodeArgs *a, const char *units, int32_t n,
                      UConverterCallbackReason why, UErrorCode *e)
{
    ls__u16 *x = (ls__u16 *)(uintptr_t)ctx;
    if (why == UCNV_ILLEGAL || why == UCNV_IRREGULAR || why == UCNV_UNASSIGNED) x->bad++;
    UCNV_TO_U_CALLBACK_SUBSTITUTE(NULL, a, units, n, why, e);
}

int ls__u16_bom(const unsigned char *p, size_t n)
{
    if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE) return 1;     /* little-endian */
    if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF) return 2;     /* big-endian */
    return 0;
}

/* Pairs of bytes looked at for UTF-16 without a mark: the first ASCII
 * ones that decide, and the window checked for zero pairs. */
#define SNIFF_ASCII 16
#define SNIFF_PAIRS 256

int ls__u16_sniff(const unsigned char *p, size_t n)
{
    int bom = ls__u16_bom(p, n);
    if (bom) return bom;
    /* Without a mark: the inputs this reads start with ASCII (a header
     * row, a JSON key), which UTF-16 writes as the character and a zero
     * byte, little-endian, or the other way round.  Taken as UTF-16 only
     * when the first 16 pairs all have their zero byte on the same side
     * and no pair in the first 256 is two zero bytes (U+0000): UTF-8 text
     * never holds a zero byte, and a binary file of that shape is not
     * text either.  What follows the ASCII start may be anything
     * (Chinese text has no zero bytes in UTF-16). */
    size_t pairs = LS__MIN(n / 2, (size_t)SNIFF_PAIRS), le = 0, be = 0;
    if (pairs < SNIFF_ASCII) return 0;
    for (size_t i = 0; i < SNIFF_ASCII; i++) {
        unsigned char a = p[2 * i], b = p[2 * i + 1];
        le += a != 0 && a < 0x80 && b == 0;
        be += a == 0 && b != 0 && b < 0x80;
    }
    for (size_t i = 0; i < pairs; i++)
        if (p[2 * i] == 0 && p[2 * i + 1] == 0) return 0;
    return le == SNIFF_ASCII ? 1 : be == SNIFF_ASCII ? 2 : 0;
}

int ls__u16_open(ls_ctx *ctx, const char *name, int order, ls__xdec_pull pull, void *u, ls__u16 **out)
{
    UErrorCode e = U_ZERO_ERROR;
    ls__u16 *x = ls__calloc(1, sizeof *x);
    *out = NULL;
    if (!x) return ls__fail(ctx, LS_ERR_NOMEM, "%s: out of memory", name);
    x->ctx = ctx;
    x->name = name;
    x->pull = pull;
    x->u = u;
    x->ps = x->pt = x->pivot;
    x->bom_left = 1;
    /* The explicit-order converters do not swallow the mark: it is
     * skipped by the caller's first pull window below. */
    x->from = ucnv_open(order == 1 ? "UTF-16LE" : "UTF-16BE", &e);
    if (U_SUCCESS(e)) ucnv_setToUCallBack(x->from, count_bad, x, NULL, NULL, &e);
    if (U_SUCCESS(e)) x->to = ucnv_open("UTF-8", &e);
    if (U_FAILURE(e)) {
        ls__u16_close(x);
        return ls__fail(ctx, LS_ERR_INTERNAL, "%s: cannot start UTF-16 conversion (%s)", name, u_errorName(e));
    }
    *out = x;
    return LS_OK;
}

int ls__u16_read(ls__u16 *x, void *buf, size_t cap, size_t *got)
{
    char *t = buf, *te = (char *)buf + cap;
    *got = 0;
    while (t == (char *)buf && !x->flushed) {
        if (x->in == x->in_end && !x->eof) {
            const void *p;
            size_t n = 0;
            int st = x->pull(x->u, &p, &n);
            if (st) return st;
            if (!n) x->eof = 1;
            x->in = p;
            x->in_end = (const char *)p + n;
            if (x->bom_left && n) {
                /* The mark itself is not text (the pull's first window
                 * holds it whole: src.c reads at least 6 bytes first). */
                if (n >= 2 && ls__u16_bom(p, n)) x->in += 2;
                x->bom_left = 0;
            }
        }
        UErrorCode e = U_ZERO_ERROR;
        ucnv_convertEx(x->to, x->from, &t, te, &x->in, x->in_end, x->pivot, &x->ps, &x->pt,
                       x->pivot + PIVOT, 0, x->eof, &e);
        if (e == U_BUFFER_OVERFLOW_ERROR) break;        /* buf is full */
        if (U_FAILURE(e))
            return ls__fail(x->ctx, LS_ERR_IO, "%s: cannot convert UTF-16 (%s)", x->name, u_errorName(e));
        if (x->eof && x->in == x->in_end) x->flushed = 1;
    }
    *got = (size_t)(t - (char *)buf);
    return LS_OK;
}

uint64_t ls__u16_bad(const ls__u16 *x) { return x ? x->bad : 0; }

void ls__u16_close(ls__u16 *x)
{
    if (!x) return;
    if (x->from) ucnv_close(x->from);
    if (x->to) ucnv_close(x->to);
    ls__free(x);
}
