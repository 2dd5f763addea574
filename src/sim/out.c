/*
 * out.c — fast buffered output for the simulator's writers.  Millions of
 * rows are written, so fields go into one large buffer with hand-written
 * integer formatting and escaping, and reach the FILE in 1 MiB writes;
 * there is no per-field fprintf in the hot loops.  Also the calendar
 * helpers used for tweet_time and account_creation_date.
 */
#include "sim.h"

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

void ls__out_put(ls__out *o, const void *p, size_t n)
{
    const char *s = p;
    if (n <= o->cap - o->n) {   /* the common case: it fits */
        memcpy(o->p + o->n, s, n);
        o->n += n;
        return;
    }
    while (n) {
        if (o->n == o->cap) ls__out_flush(o);
        size_t k = LS__MIN(n, o->cap - o->n);
        memcpy(o->p + o->n, s, k);
        o->n += k; s += k; n -= k;
    }
}

void ls__out_u64(ls__out *o, uint64_t v)
{
    char tmp[24];
    int i = 24;
    do { tmp[--i] = (char)('0' + v % 10); v /= 10; } while (v);
    ls__out_put(o, tmp + i, (size_t)(24 - i));
}

void ls__out_i64(ls__out *o, int64_t v)
{
    if (v < 0) { ls__out_c(o, '-'); ls__out_u64(o, (uint64_t)0 - (uint64_t)v); }
    else ls__out_u64(o, (uint64_t)v);
}

static int csv_needs_quotes(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] == ',' || p[i] == '"' || p[i] == '\n' || p[i] == '\r') return 1;
    return 0;
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

void ls__out_json(ls__out *o, const char *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    ls__out_c(o, '"');
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        ls__out_put(o, p + start, i - start);
        start = i + 1;
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

void ls__sim_fmt_minute(int64_t ms, char out[17])
{
    ls__sim_fmt_date(ms, out);
    int64_t s = (ms / 1000) % 86400;
    if (s < 0) s += 86400;
    out[10] = ' ';
    put2(out + 11, (unsigned)(s / 3600));
    out[13] = ':';
    put2(out + 14, (unsigned)(s / 60 % 60));
    out[16] = 0;
}
