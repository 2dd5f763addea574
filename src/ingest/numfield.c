/*
 * numfield.c — counts and booleans as dumps write them.  Counts arrive as
 * "12", "12.0" (pandas wrote integer columns with missing values as
 * floats), "1e3", " 7 ", or empty (unknown, -1).  Negative and fractional
 * counts make no sense and are LS_ERR_PARSE, as is anything non-numeric;
 * values beyond 2^53 are clamped there (no platform count comes near it).
 */
#include "ingest.h"

#define LS__COUNT_MAX 9007199254740992LL   /* 2^53 */

int ls__count_parse(ls__str s, int64_t *v)
{
    const char *p = s.p, *e = s.p + s.n;
    while (p < e && (*p == ' ' || *p == '\t')) p++;
    while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) e--;
    if (p == e) { *v = -1; return LS_OK; }
    if (*p == '+') p++;
    /* Mantissa digits (integer part, then fraction), then an exponent. */
    int64_t ip = 0;
    int nd = 0, big = 0;
    while (p < e && *p >= '0' && *p <= '9') {
        if (ip > LS__COUNT_MAX) big = 1; else ip = ip * 10 + (*p - '0');
        p++; nd++;
    }
    char frac[32];
    int nf = 0;
    if (p < e && *p == '.') {
        p++;
        while (p < e && *p >= '0' && *p <= '9') {
            if (nf < (int)sizeof frac) frac[nf++] = *p;
            else if (*p != '0') frac[nf - 1] = '1';     /* keep "non-zero" */
            p++; nd++;
        }
    }
    if (nd == 0) return LS_ERR_PARSE;
    int ex = 0;
    if (p < e && (*p == 'e' || *p == 'E')) {
        p++;
        int neg = 0, ne = 0;
        if (p < e && (*p == '+' || *p == '-')) neg = *p++ == '-';
        while (p < e && *p >= '0' && *p <= '9') {
            if (ex < 1000) ex = ex * 10 + (*p - '0');
            p++; ne++;
        }
        if (ne == 0) return LS_ERR_PARSE;
        if (neg) ex = -ex;
    }
    if (p != e) return LS_ERR_PARSE;
    /* Shift fraction digits into the integer part by the exponent; what is
     * left of the fraction must be zero. */
    int used = 0;
    while (ex > 0) {
        int d = used < nf ? frac[used++] - '0' : 0;
        if (ip > LS__COUNT_MAX / 10) big = 1; else ip = ip * 10 + d;
        ex--;
    }
    for (int i = used; i < nf; i++)
        if (frac[i] != '0') return LS_ERR_PARSE;
    while (ex < 0) {                   /* "1200e-2" */
        if (ip % 10) return LS_ERR_PARSE;
        ip /= 10;
        ex++;
    }
    *v = big || ip > LS__COUNT_MAX ? LS__COUNT_MAX : ip;
    return LS_OK;
}

int ls__bool_parse(ls__str s, int *v)
{
    const char *p = s.p, *e = s.p + s.n;
    while (p < e && (*p == ' ' || *p == '\t')) p++;
    while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) e--;
    /* A switch on the length: this runs once per archive row. */
    switch (e - p) {
    case 0: *v = 0; return LS_OK;
    case 1: if (*p == '1' || *p == '0') { *v = *p == '1'; return LS_OK; } break;
    case 3: if (memcmp(p, "1.0", 3) == 0 || memcmp(p, "0.0", 3) == 0) { *v = *p == '1'; return LS_OK; } break;
    case 4: if (memcmp(p, "True", 4) == 0 || memcmp(p, "true", 4) == 0 || memcmp(p, "TRUE", 4) == 0) {
                *v = 1; return LS_OK;
            }
            break;
    case 5: if (memcmp(p, "False", 5) == 0 || memcmp(p, "false", 5) == 0 || memcmp(p, "FALSE", 5) == 0) {
                *v = 0; return LS_OK;
            }
            break;
    default: break;
    }
    return LS_ERR_PARSE;
}
