/*
 * util.c — small helpers shared by the report and the exports: UTC date
 * formatting (no locale, no time zone database: outputs must not depend on
 * the machine), the office-schedule time zone estimate, the screen-name
 * template, and writing a whole buffer atomically.
 */
#include "out.h"

/* Howard Hinnant's civil_from_days: days since 1970-01-01 -> y, m, d. */
static void civil(int64_t z, int64_t *y, unsigned *m, unsigned *d)
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
    *y = yy + (*m <= 2);
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

void ls__fmt_day(int64_t ms, char out[16])
{
    int64_t y; unsigned m, d;
    civil(floor_div(ms, 86400000), &y, &m, &d);
    snprintf(out, 16, "%04lld-%02u-%02u", (long long)y, m, d);
}

void ls__fmt_minute(int64_t ms, char out[24])
{
    int64_t y; unsigned m, d;
    int64_t day = floor_div(ms, 86400000), rem = ms - day * 86400000;
    civil(day, &y, &m, &d);
    snprintf(out, 24, "%04lld-%02u-%02u %02d:%02d", (long long)y, m, d,
             (int)(rem / 3600000), (int)(rem / 60000 % 60));
}

int ls__office_tz(const uint64_t hours[168], double *share)
{
    uint64_t total = 0, best = 0;
    int best_off = 0;
    for (int h = 0; h < 168; h++) total += hours[h];
    /* Offsets are tried from 0 outwards so that ties go to the smallest
     * shift, which keeps the answer stable. */
    static const int order[] = { 0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6, 7, -7, 8, -8,
                                 9, -9, 10, -10, 11, -11, 12, -12, 13, 14 };
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        int off = order[k];
        uint64_t in = 0;
        for (int h = 0; h < 168; h++) {
            int local = ((h + off) % 168 + 168) % 168;
            int wd = local / 24, hr = local % 24;    /* bin 0 is Monday 00h */
            if (wd < 5 && hr >= 9 && hr < 18) in += hours[h];
        }
        if (in > best) { best = in; best_off = off; }
    }
    *share = total ? (double)best / (double)total : 0.0;
    return best_off;
}

void ls__outname_template(const char *name, size_t n, char *out, size_t cap)
{
    /* Written out in full, the way detect's evidence lines show it
     * ("Aa99999999"), so the two can be compared by eye. */
    size_t o = 0;
    if (cap == 0) return;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        unsigned char c = (unsigned char)name[i];
        out[o++] = (c >= 'A' && c <= 'Z') ? 'A' : (c >= 'a' && c <= 'z') ? 'a'
                 : (c >= '0' && c <= '9') ? '9' : '_';
    }
    out[o] = 0;
}

int ls__write_file(ls_ctx *ctx, const char *path, const ls__buf *b)
{
    ls__afile af;
    int rc = ls__afile_open(ctx, &af, path);
    if (rc != LS_OK) return rc;
    if (b->n && fwrite(b->p, 1, b->n, af.f) != b->n) {
        ls__afile_abort(&af);
        return ls__fail(ctx, LS_ERR_IO, "cannot write %s", path);
    }
    return ls__afile_commit(ctx, &af);
}
