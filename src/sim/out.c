/*
 * out.c — fast buffered output for the simulator's writers.  Millions of
 * rows are written, so fields go into one large buffer with hand-written
 * integer formatting (two digits a step from a table) and escaping, and
 * reach the file in large writes; there is no printf in the hot loops:
 * scale 1 writes some 150 million numbers, and a printf call costs about
 * ten times the digits it produces.  Also the calendar
 * helpers used for tweet_time and account_creation_date.
 */
#include "sim.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define OUT_CAP (1u << 20)

int ls__out_init(ls__out *o, FILE *f)
{
    memset(o, 0, sizeof *o);
    o->f = f;
    o->p = ls__malloc(OUT_CAP);
    if (!o->p) return LS_ERR_NOMEM;
    o->cap = OUT_CAP;
    return LS_OK;
}

void ls__out_init_mem(ls__out *o, char *p, size_t cap)
{
    memset(o, 0, sizeof *o);
    o->p = p;
    o->cap = cap;
}

void ls__out_flush(ls__out *o)
{
    if (o->sink) {
        ls__sink_put(o->sink, o->p, o->n);
        o->n = 0;
        return;
    }
    if (!o->f) {
        /* Memory mode (a chunk formatted by a worker): grow instead. */
        if (o->n < o->cap || o->err) { if (o->err) o->n = 0; return; }
        char *q = ls__realloc(o->p, o->cap * 2);
        if (!q) { o->err = 1; o->n = 0; return; }
        o->p = q;
        o->cap *= 2;
        return;
    }
    if (o->n && fwrite(o->p, 1, o->n, o->f) != o->n) o->err = 1;
    o->n = 0;
}

void ls__out_free(ls__out *o)
{
    ls__free(o->p);
    o->p = NULL;
}

void ls__out_put_slow(ls__out *o, const void *p, size_t n)
{
    const char *s = p;
    while (n) {
        if (o->n == o->cap) ls__out_flush(o);
        size_t k = LS__MIN(n, o->cap - o->n);
        memcpy(o->p + o->n, s, k);
        o->n += k; s += k; n -= k;
    }
}

int ls__out_reserve(ls__out *o, size_t n)
{
    if (o->cap - o->n >= n) return 0;
    if (o->f || o->sink) {
        ls__out_flush(o);
        if (o->cap - o->n >= n) return 0;
    }
    if (o->err) return -1;
    size_t cap = o->cap;
    while (cap - o->n < n) cap *= 2;
    char *q = ls__realloc(o->p, cap);
    if (!q) { o->err = 1; return -1; }
    o->p = q;
    o->cap = cap;
    return 0;
}

/* Two digits at a time from a table: half the divisions of a digit loop. */
#define digits2 ls__sim_digits2
const char ls__sim_digits2[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* Large numbers (tweet and user ids have 18-19 digits) are cut into
 * eight-digit pieces first, each written with 32-bit arithmetic, which is
 * cheaper than a chain of 64-bit divisions. */
char *ls__sim_utoa(char *p, uint64_t v)
{
    char *e = ls__sim_utoa_raw(p, v);
    *e = '\0';
    return e;
}

char *ls__sim_hex(char *p, uint64_t v, int min_digits)
{
    static const char hex[] = "0123456789abcdef";
    char tmp[16];
    int i = 16;
    do { tmp[--i] = hex[v & 15]; v >>= 4; } while (v || 16 - i < min_digits);
    memcpy(p, tmp + i, (size_t)(16 - i));
    p[16 - i] = '\0';
    return p + (16 - i);
}

void ls__out_u64(ls__out *o, uint64_t v)
{
    if (o->cap - o->n >= 24) {   /* the common case: room for any number */
        o->n = (size_t)(ls__sim_utoa(o->p + o->n, v) - o->p);
        return;
    }
    char tmp[24];
    ls__out_put(o, tmp, (size_t)(ls__sim_utoa(tmp, v) - tmp));
}

void ls__out_i64(ls__out *o, int64_t v)
{
    if (v < 0) { ls__out_c(o, '-'); ls__out_u64(o, (uint64_t)0 - (uint64_t)v); }
    else ls__out_u64(o, (uint64_t)v);
}

/* Every tweet text is scanned: sixteen bytes a step where SSE2 exists
 * (all x86-64), the last step overlapping the one before (no byte loop
 * for the tail: its branches mispredicted at every field's end), and a
 * field under 16 bytes as two overlapping 8- or 4-byte pieces; a byte a
 * step without SSE2.  Never reads outside [p, p + n). */
static int csv_needs_quotes(const char *p, size_t n)
{
#ifdef __SSE2__
    const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"');
    const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
#define CSV_HIT(v) _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8((v), comma), _mm_cmpeq_epi8((v), quote)), \
                                                  _mm_or_si128(_mm_cmpeq_epi8((v), lf), _mm_cmpeq_epi8((v), cr))))
    if (n >= 16) {
        size_t i = 0;
        for (; i + 16 < n; i += 16)
            if (CSV_HIT(_mm_loadu_si128((const __m128i *)(const void *)(p + i)))) return 1;
        return CSV_HIT(_mm_loadu_si128((const __m128i *)(const void *)(p + n - 16))) != 0;
    }
    if (n >= 4) {
        /* Two overlapping pieces of 8 (or 4) bytes in one register. */
        uint64_t a, b;
        if (n >= 8) { memcpy(&a, p, 8); memcpy(&b, p + n - 8, 8); }
        else {
            uint32_t x, y;
            memcpy(&x, p, 4);
            memcpy(&y, p + n - 4, 4);
            a = x; b = y;
            /* The upper halves are zero bytes: none is a special byte. */
        }
        return CSV_HIT(_mm_set_epi64x((long long)b, (long long)a)) != 0;
    }
#undef CSV_HIT
#endif
    for (size_t i = 0; i < n; i++)
        if (p[i] == ',' || p[i] == '"' || p[i] == '\n' || p[i] == '\r') return 1;
    return 0;
}

char *ls__sim_csv_raw(char *d, const char *p, size_t n)
{
    if (!csv_needs_quotes(p, n)) return ls__sim_put(d, p, n);
    *d++ = '"';
    for (size_t i = 0; i < n; i++) {
        *d++ = p[i];
        if (p[i] == '"') *d++ = '"';
    }
    *d++ = '"';
    return d;
}

void ls__out_csv(ls__out *o, const char *p, size_t n)
{
    if (!csv_needs_quotes(p, n)) { ls__out_put(o, p, n); return; }
    ls__out_c(o, '"');
    size_t start = 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] == '"') { ls__out_put(o, p + start, i + 1 - start); ls__out_c(o, '"'); start = i + 1; }
    ls__out_put(o, p + start, n - start);
    ls__out_c(o, '"');
}

int ls__buf_csv(ls__buf *b, const char *p, size_t n)
{
    if (!csv_needs_quotes(p, n)) return ls__buf_put(b, p, n);
    int st = ls__buf_putc(b, '"');
    for (size_t i = 0; i < n && st == LS_OK; i++) {
        st = ls__buf_putc(b, p[i]);
        if (p[i] == '"' && st == LS_OK) st = ls__buf_putc(b, '"');
    }
    return st == LS_OK ? ls__buf_putc(b, '"') : st;
}

/* The first byte at or after i that a JSON string must escape (a quote,
 * a backslash or a control byte), or n: sixteen bytes a step where SSE2
 * exists, as most strings (texts, names) need no escape at all. */
static size_t json_scan(const char *p, size_t i, size_t n)
{
#ifdef __SSE2__
    const __m128i quote = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\'), ctl = _mm_set1_epi8(0x1f);
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        /* Unsigned v <= 0x1f exactly where min(v, 0x1f) == v. */
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bs)),
                                 _mm_cmpeq_epi8(_mm_min_epu8(v, ctl), v));
        int bits = _mm_movemask_epi8(m);
        if (bits) return i + (size_t)__builtin_ctz((unsigned)bits);
    }
#endif
    for (; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x20 || c == '"' || c == '\\') return i;
    }
    return n;
}

void ls__out_json(ls__out *o, const char *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    ls__out_c(o, '"');
    size_t start = 0, i = 0;
    while ((i = json_scan(p, i, n)) < n) {
        unsigned char c = (unsigned char)p[i];
        ls__out_put(o, p + start, i - start);
        start = ++i;
        ls__out_c(o, '\\');
        switch (c) {
        case '"': ls__out_c(o, '"'); break;
        case '\\': ls__out_c(o, '\\'); break;
        case '\n': ls__out_c(o, 'n'); break;
        case '\r': ls__out_c(o, 'r'); break;
        case '\t': ls__out_c(o, 't'); break;
        default:
            ls__out_put(o, "u00", 3);
            ls__out_c(o, hex[c >> 4]);
            ls__out_c(o, hex[c & 15]);
        }
    }
    ls__out_put(o, p + start, n - start);
    ls__out_c(o, '"');
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t ls__sim_days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

static void put2(char *p, unsigned v) { p[0] = (char)('0' + v / 10 % 10); p[1] = (char)('0' + v % 10); }

void ls__sim_fmt_date(int64_t ms, char out[11])
{
    int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
    int y; unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    put2(out, (unsigned)(y / 100)); put2(out + 2, (unsigned)(y % 100));
    out[4] = '-'; put2(out + 5, m); out[7] = '-'; put2(out + 8, d);
    out[10] = 0;
}

void ls__sim_fmt_minute_c(int64_t ms, char out[17], ls__sim_day *c)
{
    /* Rows come in time order: the day changes once in tens of
     * thousands of rows, so its calendar arithmetic is cached. */
    int64_t day = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
    if (!c->valid || c->day != day) {
        ls__sim_fmt_date(ms, c->date);
        c->day = day;
        c->valid = 1;
    }
    memcpy(out, c->date, 10);
    /* Floor, not truncation, so that times before 1970 keep their minute. */
    int64_t s = (ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000)) % 86400;
    if (s < 0) s += 86400;
    out[10] = ' ';
    put2(out + 11, (unsigned)(s / 3600));
    out[13] = ':';
    put2(out + 14, (unsigned)(s / 60 % 60));
    out[16] = 0;
}

void ls__sim_fmt_minute(int64_t ms, char out[17])
{
    ls__sim_day c = { 0, 0, "" };
    ls__sim_fmt_minute_c(ms, out, &c);
}
