/*
 * timefield.c — time fields and snowflake ids.
 *
 * ls__time_parse accepts every time form the supported inputs use:
 *   - the IO archive's "YYYY-MM-DD HH:MM" (minute resolution), with
 *     optional ":SS", and a bare "YYYY-MM-DD" (account creation dates);
 *   - ISO-8601 "YYYY-MM-DDTHH:MM:SS[.fff][Z|+HH:MM|+HHMM|+HH]" (a space may
 *     stand for the T, and " UTC" for Z), or with a zone abbreviation
 *     whose meaning is not in doubt ("2020-06-01 08:26:40 EDT", as
 *     CrowdTangle exports write; zone_offset below: CST, IST, BST and
 *     the other abbreviations that name several zones are refused);
 *   - API v1.1 "Wed Oct 10 20:19:24 +0000 2018";
 *   - unix time as digits with an optional fraction: seconds, or
 *     milliseconds when the value is 10^11 or more (10^11 seconds would be
 *     the year 5138, 10^11 milliseconds is March 1973).
 * Results must fall in 1970-01-01 .. 2100-01-01 UTC; anything else is
 * LS_ERR_PARSE, so a garbage number never becomes a plausible-looking time.
 *
 * ls__snowflake_ms: a Twitter snowflake id holds milliseconds since
 * 1288834974657 (2010-11-04T01:42:54.657Z) in its bits 22 and up.  Ids
 * issued before snowflakes were sequential and stayed below 3*10^10, while
 * real snowflakes were issued from November 2010 on, when their time part
 * was already days past the epoch.  The rule: an id is a snowflake when it
 * is all digits without a leading zero, fits 64 bits, is at least
 * 2^22 * 86,400,000 = 362,387,865,600,000 (one day past the epoch, ten
 * thousand times any sequential id) and its time is before 2100.
 *
 * ls__post_time: which of the two to believe when a row has both; every
 * Twitter format uses it, so an id that only looks like a snowflake
 * (random 19-digit ids of a synthetic data set, say) never overrides the
 * row's own time.
 */
#include "ingest.h"

#define LS__SNOWFLAKE_EPOCH 1288834974657LL
#define LS__TIME_MAX_MS 4102444800000LL            /* 2100-01-01T00:00:00Z */
#define LS__SNOWFLAKE_MIN (86400000ULL << 22)      /* one day past the epoch */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* Reads exactly k digits at *p (bounded by e). */
static int digits(const char **p, const char *e, int k, int *v)
{
    int x = 0;
    if (e - *p < k) return -1;
    for (int i = 0; i < k; i++) {
        char ch = (*p)[i];
        if (ch < '0' || ch > '9') return -1;
        x = x * 10 + (ch - '0');
    }
    *p += k;
    *v = x;
    return 0;
}

/* Milliseconds of a fraction ".123456" at *p (after the dot); at least one digit. */
static int fraction_ms(const char **p, const char *e, int *ms)
{
    int v = 0, k = 0;
    while (*p < e && **p >= '0' && **p <= '9') {
        if (k < 3) v = v * 10 + (**p - '0');
        k++;
        (*p)++;
    }
    if (k == 0) return -1;
    while (k < 3) { v *= 10; k++; }
    *ms = v;
    return 0;
}

static int finish(int64_t y, int mo, int d, int h, int mi, int s, int ms,
                  int64_t off_min, int64_t *out)
{
    if (y < 1970 || y > 2100 || mo < 1 || mo > 12 || d < 1 ||
        (unsigned)d > days_in_month(y, (unsigned)mo) || h > 23 || mi > 59 || s > 60)
        return LS_ERR_PARSE;
    if (s == 60) s = 59;    /* a leap second: keep it inside its minute */
    int64_t t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400000LL +
                (int64_t)h * 3600000 + (int64_t)mi * 60000 + (int64_t)s * 1000 + ms -
                off_min * 60000;
    if (t < 0 || t > LS__TIME_MAX_MS) return LS_ERR_PARSE;
    *out = t;
    return LS_OK;
}

/* "+HH:MM", "+HHMM", "+HH", "-..." ; *p at the sign. */
static int offset(const char **p, const char *e, int64_t *off_min)
{
    int sign = **p == '-' ? -1 : 1, hh, mm = 0;
    (*p)++;
    if (digits(p, e, 2, &hh)) return -1;
    if (*p < e && **p == ':') { (*p)++; if (digits(p, e, 2, &mm)) return -1; }
    else if (e - *p >= 2 && (*p)[0] >= '0' && (*p)[0] <= '9') { if (digits(p, e, 2, &mm)) return -1; }
    if (hh > 23 || mm > 59) return -1;
    *off_min = sign * (hh * 60 + mm);
    return 0;
}

/* Minutes east of UTC of a zone abbreviation of n letters at p; -1 when
 * unknown or ambiguous ("CST" is China's and North America's Central time,
 * "IST" India's, Ireland's and Israel's: a guess could shift a post by
 * half a day, so they are bad times instead). */
static int zone_offset(const char *p, size_t n, int64_t *off)
{
    static const struct { const char *name; int min; } zones[] = {
        { "UTC", 0 }, { "GMT", 0 }, { "UT", 0 }, { "WET", 0 }, { "WEST", 60 }, { "CET", 60 },
        { "CEST", 120 }, { "MET", 60 }, { "MEST", 120 }, { "EET", 120 }, { "EEST", 180 }, { "MSK", 180 },
        { "EST", -300 }, { "EDT", -240 }, { "CDT", -300 }, { "MST", -420 }, { "MDT", -360 },
        { "PST", -480 }, { "PDT", -420 }, { "AKST", -540 }, { "AKDT", -480 }, { "HST", -600 },
        { "JST", 540 }, { "KST", 540 }, { "HKT", 480 }, { "SGT", 480 }, { "AEST", 600 }, { "AEDT", 660 },
        { "NZST", 720 }, { "NZDT", 780 },
    };
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
        if (strlen(zones[i].name) == n && memcmp(zones[i].name, p, n) == 0) {
            *off = zones[i].min;
            return 0;
        }
    return -1;
}

/* YYYY-MM-DD[( |T)HH:MM[:SS[.fff]]][Z| UTC|offset|zone], or the same with
 * YYYY/MM/DD (year first is unambiguous; "01/02/2020" is not, and stays
 * an error). */
static int parse_iso(const char *p, const char *e, int64_t *ms)
{
    int y, mo, d, h = 0, mi = 0, s = 0, frac = 0;
    int64_t off = 0;
    char sep = e - p > 4 ? p[4] : '-';
    if (digits(&p, e, 4, &y) || p >= e || *p != sep || (p++, digits(&p, e, 2, &mo)) ||
        p >= e || *p != sep || (p++, digits(&p, e, 2, &d)))
        return LS_ERR_PARSE;
    if (p < e) {
        if (*p != 'T' && *p != ' ') return LS_ERR_PARSE;
        p++;
        if (digits(&p, e, 2, &h) || p >= e || *p != ':' || (p++, digits(&p, e, 2, &mi)))
            return LS_ERR_PARSE;
        if (p < e && *p == ':') {
            p++;
            if (digits(&p, e, 2, &s)) return LS_ERR_PARSE;
            if (p < e && (*p == '.' || *p == ',')) {
                p++;
                if (fraction_ms(&p, e, &frac)) return LS_ERR_PARSE;
            }
        }
        if (p < e && *p == ' ') p++;
        if (p < e) {
            if (*p == 'Z' && p + 1 == e) p++;
            else if (*p == '+' || *p == '-') { if (offset(&p, e, &off)) return LS_ERR_PARSE; }
            else if (*p >= 'A' && *p <= 'Z') {
                if (zone_offset(p, (size_t)(e - p), &off)) return LS_ERR_PARSE;
                p = e;
            }
            if (p != e) return LS_ERR_PARSE;
        }
    }
    return finish(y, mo, d, h, mi, s, frac, off, ms);
}

static int month_of(const char *p)
{
    static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    for (int i = 0; i < 12; i++)
        if (memcmp(names + 3 * i, p, 3) == 0) return i + 1;
    return 0;
}

/* "Wed Oct 10 20:19:24 +0000 2018" */
static int parse_v1(const char *p, const char *e, int64_t *ms)
{
    int d, h, mi, s, y, mo;
    int64_t off = 0;
    if (e - p < 30 || p[3] != ' ' || p[7] != ' ') return LS_ERR_PARSE;
    if (!(mo = month_of(p + 4))) return LS_ERR_PARSE;
    p += 8;
    if (digits(&p, e, 2, &d) || *p++ != ' ' || digits(&p, e, 2, &h) || *p++ != ':' ||
        digits(&p, e, 2, &mi) || *p++ != ':' || digits(&p, e, 2, &s) || *p++ != ' ')
        return LS_ERR_PARSE;
    if (*p != '+' && *p != '-') return LS_ERR_PARSE;
    if (offset(&p, e, &off) || p >= e || *p++ != ' ' || digits(&p, e, 4, &y) || p != e)
        return LS_ERR_PARSE;
    return finish(y, mo, d, h, mi, s, 0, off, ms);
}

/* Digits with an optional fraction: unix seconds, or milliseconds from 10^11. */
static int parse_unix(const char *p, const char *e, int64_t *ms)
{
    uint64_t v = 0;
    int nd = 0, frac = 0;
    while (p < e && *p >= '0' && *p <= '9') {
        if (++nd > 16) return LS_ERR_PARSE;
        v = v * 10 + (uint64_t)(*p++ - '0');
    }
    if (nd == 0) return LS_ERR_PARSE;
    if (p < e && *p == '.') {
        p++;
        if (fraction_ms(&p, e, &frac)) return LS_ERR_PARSE;
    }
    if (p != e) return LS_ERR_PARSE;
    int64_t t;
    if (v >= 100000000000ULL) t = (int64_t)v;                  /* milliseconds */
    else t = (int64_t)v * 1000 + frac;                         /* seconds */
    if (t > LS__TIME_MAX_MS) return LS_ERR_PARSE;
    *ms = t;
    return LS_OK;
}

int ls__time_parse(ls__str str, int64_t *ms)
{
    const char *p = str.p, *e = str.p + str.n;
    while (p < e && (*p == ' ' || *p == '\t')) p++;
    while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) e--;
    if (p == e) return LS_ERR_PARSE;
    if (e - p >= 5 && (p[4] == '-' || p[4] == '/')) return parse_iso(p, e, ms);
    if ((*p >= 'A' && *p <= 'Z')) return parse_v1(p, e, ms);
    return parse_unix(p, e, ms);
}

int64_t ls__snowflake_ms(ls__str id)
{
    if (id.n == 0 || id.n > 20 || id.p[0] == '0') return LS__TIME_NONE;
    uint64_t v = 0;
    for (size_t i = 0; i < id.n; i++) {
        unsigned dg = (unsigned char)id.p[i] - '0';
        if (dg > 9) return LS__TIME_NONE;
        if (v > (UINT64_MAX - dg) / 10) return LS__TIME_NONE;   /* overflow */
        v = v * 10 + dg;
    }
    if (v < LS__SNOWFLAKE_MIN) return LS__TIME_NONE;
    int64_t t = (int64_t)(v >> 22) + LS__SNOWFLAKE_EPOCH;
    if (t > LS__TIME_MAX_MS) return LS__TIME_NONE;
    return t;
}

/* Snowflake and stated time agree when they are within this of each other. */
#define LS__SNOWFLAKE_SLACK 86400000LL

int64_t ls__post_time(ls__str id, int64_t stated_ms)
{
    int64_t snow = ls__snowflake_ms(id);
    if (snow == LS__TIME_NONE) return stated_ms;
    if (stated_ms == LS__TIME_NONE) return snow;
    return snow - stated_ms < LS__SNOWFLAKE_SLACK && stated_ms - snow < LS__SNOWFLAKE_SLACK ? snow
                                                                                       : stated_ms;
}
