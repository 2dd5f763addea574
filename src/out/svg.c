/*
 * svg.c — the report's charts as inline SVG: stacked bars (posts per day,
 * account creation, followers) and the hour-of-week heatmap.  Colours are
 * SVG presentation attributes or CSS classes from the page's one hashed
 * stylesheet, never style="" attributes, which the page's CSP forbids.
 * Coordinates are printed with one decimal so the bytes never depend on
 * anything but the numbers.
 */
#include "report.h"
#include <math.h>

#define W 760.0
#define H 220.0
#define PL 48.0   /* left padding (axis labels) */
#define PB 36.0   /* bottom padding */
#define PT 12.0

static int text_at(ls__buf *b, double x, double y, const char *anchor, const char *cls, const char *s)
{
    int rc = ls__buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"%s\">", x, y, anchor, cls);
    if (rc == LS_OK) rc = ls__html_textc(b, s);
    if (rc == LS_OK) rc = ls__buf_printf(b, "</text>");
    return rc;
}

int ls__svg_bars(ls__buf *b, const char *title, size_t n_bins, const char *const *labels,
                 size_t n_series, const char *const *series_names, const char *const *cls,
                 const uint64_t *v)
{
    uint64_t max = 0;
    int rc;
    for (size_t i = 0; i < n_bins; i++) {
        uint64_t t = 0;
        for (size_t s = 0; s < n_series; s++) t += v[s * n_bins + i];
        if (t > max) max = t;
    }
    double legend = n_series > 1 ? 18.0 * (double)((n_series + 3) / 4) : 0;
    if ((rc = ls__buf_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
                             "role=\"img\" aria-label=\"", W, H + legend, W, H + legend)) != LS_OK ||
        (rc = ls__html_textc(b, title)) != LS_OK ||
        (rc = ls__buf_printf(b, "\"><title>")) != LS_OK ||
        (rc = ls__html_textc(b, title)) != LS_OK ||
        (rc = ls__buf_printf(b, "</title>")) != LS_OK)
        return rc;
    double pw = W - PL - 8, ph = H - PB - PT;
    /* y axis: 0 and max */
    char num[32];
    snprintf(num, sizeof num, "%llu", (unsigned long long)max);
    if ((rc = ls__buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"axis\"/>",
                             PL, PT + ph, PL + pw, PT + ph)) != LS_OK ||
        (rc = text_at(b, PL - 4, PT + 10, "end", "lab", num)) != LS_OK ||
        (rc = text_at(b, PL - 4, PT + ph, "end", "lab", "0")) != LS_OK)
        return rc;
    if (n_bins == 0 || max == 0)
        rc = text_at(b, PL + pw / 2, PT + ph / 2, "middle", "lab", "no data");
    double bw = n_bins ? pw / (double)n_bins : 0;
    for (size_t i = 0; rc == LS_OK && i < n_bins && max; i++) {
        double y = PT + ph;
        for (size_t s = 0; rc == LS_OK && s < n_series; s++) {
            uint64_t x = v[s * n_bins + i];
            if (!x) continue;
            double h = ph * (double)x / (double)max;
            y -= h;
            rc = ls__buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"%s\">"
                                "<title>", PL + bw * (double)i, y, bw > 2 ? bw - 0.5 : bw, h, cls[s]);
            if (rc == LS_OK && labels) rc = ls__html_textc(b, labels[i]);
            if (rc == LS_OK) rc = ls__buf_printf(b, " ");
            if (rc == LS_OK) rc = ls__html_textc(b, series_names[s]);
            if (rc == LS_OK) rc = ls__buf_printf(b, ": %llu</title></rect>", (unsigned long long)x);
        }
    }
    /* A handful of x labels, evenly spaced, always the first and last. */
    if (labels && n_bins) {
        size_t step = n_bins <= 12 ? 1 : (n_bins + 5) / 6;
        for (size_t i = 0; rc == LS_OK && i < n_bins; i += step) {
            const char *anchor = n_bins == 1 ? "middle" : i == 0 ? "start" : "middle";
            rc = text_at(b, PL + bw * ((double)i + (n_bins <= 12 ? 0.5 : 0)), H - PB + 16, n_bins <= 12 ? "middle" : anchor, "lab", labels[i]);
        }
        if (rc == LS_OK && n_bins > 12 && (n_bins - 1) % step)
            rc = text_at(b, PL + pw, H - PB + 30, "end", "lab", labels[n_bins - 1]);
    }
    for (size_t s = 0; rc == LS_OK && n_series > 1 && s < n_series; s++) {
        double lx = PL + (double)(s % 4) * 175, ly = H + 4 + (double)(s / 4) * 18;
        rc = ls__buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" class=\"%s\"/>", lx, ly, cls[s]);
        if (rc == LS_OK) rc = text_at(b, lx + 14, ly + 9, "start", "lab", series_names[s]);
    }
    if (rc == LS_OK) rc = ls__buf_printf(b, "</svg>\n");
    return rc;
}

int ls__svg_heatmap(ls__buf *b, const char *title, const uint64_t hours[168], int offset)
{
    static const char *const days[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
    uint64_t local[168] = { 0 }, max = 0;
    const double cw = 26, ch = 18, x0 = 40, y0 = 18;
    int rc;
    /* UTC bin h is local bin h + offset. */
    for (int h = 0; h < 168; h++) {
        int l = ((h + offset) % 168 + 168) % 168;
        local[l] += hours[h];
    }
    for (int h = 0; h < 168; h++) if (local[h] > max) max = local[h];
    if ((rc = ls__buf_printf(b, "<svg class=\"chart heat\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
                             "role=\"img\" aria-label=\"", x0 + 24 * cw + 4, y0 + 7 * ch + 4,
                             x0 + 24 * cw + 4, y0 + 7 * ch + 4)) != LS_OK ||
        (rc = ls__html_textc(b, title)) != LS_OK ||
        (rc = ls__buf_printf(b, "\"><title>")) != LS_OK ||
        (rc = ls__html_textc(b, title)) != LS_OK ||
        (rc = ls__buf_printf(b, "</title>")) != LS_OK)
        return rc;
    for (int hr = 0; rc == LS_OK && hr < 24; hr += 3) {
        char t[8];
        snprintf(t, sizeof t, "%02d", hr);
        rc = text_at(b, x0 + cw * hr + cw / 2, y0 - 6, "middle", "lab", t);
    }
    for (int d = 0; rc == LS_OK && d < 7; d++) {
        rc = text_at(b, x0 - 6, y0 + ch * d + 13, "end", "lab", days[d]);
        for (int hr = 0; rc == LS_OK && hr < 24; hr++) {
            uint64_t x = local[d * 24 + hr];
            /* White to dark red on a square-root scale, so quiet hours
             * remain visible next to the peak. */
            double f = max ? sqrt((double)x / (double)max) : 0;
            int r = (int)(255 - f * (255 - 153)), g = (int)(255 - f * 255), bl = (int)(255 - f * 255);
            rc = ls__buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                                "fill=\"rgb(%d,%d,%d)\" class=\"cell\"><title>%s %02d:00 %llu</title></rect>",
                                x0 + cw * hr, y0 + ch * d, cw - 1, ch - 1, r, g, bl, days[d], hr,
                                (unsigned long long)x);
        }
    }
    if (rc == LS_OK) rc = ls__buf_printf(b, "</svg>\n");
    return rc;
}
