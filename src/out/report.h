/*
 * report.h — private to the report: the per-network figures computed from
 * the store (stats.c), the SVG chart writers (svg.c) and the HTML page
 * (report.c).  Chart writers take numbers and labels the report made up
 * itself, but still escape every label, because narrative labels and
 * hashtags come from the data.
 */
#ifndef LS_OUT_REPORT_H
#define LS_OUT_REPORT_H
#include "out.h"

#define LS__TOPK 12
#define LS__EXAMPLES 5
typedef struct ls__topn { uint32_t id; uint64_t n; } ls__topn;

/* What the report shows about one network, from one pass over the store. */
typedef struct ls__nstats {
    uint64_t posts, orig, amps;        /* events, originals, retweets */
    int64_t t_first, t_last;           /* ms; INT64_MAX / INT64_MIN if none */
    int64_t day0;                      /* first day (days since epoch) */
    size_t n_days;                     /* bins of bin_days days each */
    int bin_days;
    uint64_t *day_orig, *day_amp;      /* n_days each */
    uint64_t hours[168];               /* UTC hour-of-week, Monday 00h = 0 */
    int64_t *created; size_t n_created;/* sorted creation times (ms) */
    uint64_t fol_bins[8];              /* see ls__fol_bin_label */
    ls__topn tags[LS__TOPK]; size_t n_tags;
    ls__topn doms[LS__TOPK]; size_t n_doms;
    ls__topn terms[LS__TOPK]; size_t n_terms;   /* ids in the stats' term table */
    uint64_t example[LS__EXAMPLES]; size_t n_example;  /* event indices */
    uint32_t example_amp[LS__EXAMPLES];         /* amplifications received */
} ls__nstats;

typedef struct ls__rstats {
    ls__nstats *net; size_t n_net;
    ls__intern terms;                  /* term strings for ls__nstats.terms */
} ls__rstats;

int  ls__rstats_compute(ls_ctx *ctx, const ls__rdir *run, const ls_store *st, ls__rstats *out);
void ls__rstats_free(ls__rstats *r);
const char *ls__fol_bin_label(int i);
#define LS__FOL_BINS 8

/* ---- SVG charts ---- */
/* Stacked bars: v holds n_series rows of n_bins values; labels[i] names
 * bin i (a few are printed under the axis); cls[s] is the CSS class of
 * series s.  The SVG has a <title> and an aria-label. */
int ls__svg_bars(ls__buf *b, const char *title, size_t n_bins, const char *const *labels,
                 size_t n_series, const char *const *series_names, const char *const *cls,
                 const uint64_t *v);
/* A 7 x 24 hour-of-week heatmap of a UTC histogram shown at offset hours. */
int ls__svg_heatmap(ls__buf *b, const char *title, const uint64_t hours[168], int offset);
#endif
