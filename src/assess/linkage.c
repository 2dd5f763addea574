/*
 * linkage.c — how much a detected network looks like an archived takedown,
 * as a score in [0,1] with reasons a person can check against the data.
 *
 * Nine components, each in [0,1]:
 *   accounts   1 - exp(-shared/5): a dozen shared accounts is near 1
 *   text       share of the network's text-sketch keys found in the
 *              archive's (bottom-k containment), divided by 0.25 and capped
 *              at 1: unrelated sets share next to none, and a quarter of a
 *              network's keys found in an archive means a large part of
 *              its content is copied or templated from it (near-duplicates
 *              at Jaccard 0.8 share 41% of their keys)
 *   template   sum over distinctive name templates (>= 4 digits or >= 10
 *              characters) of the smaller of the two shares
 *   cohort     both created in bursts (>= 25% of accounts within 2 weeks
 *              of the peak week): exp(-gap/365 days), or the overlap of
 *              the weekly creation histograms if larger
 *   schedule   cosine of the hour-of-week histograms, halved unless both
 *              keep an office schedule (>= 60% of posts in weekday 09-18)
 *              at the same UTC offset
 *   hashtags, domains, clients, languages
 *              overlap of the two profiles (sum of the smaller shares,
 *              each profile normalised over its kept entries)
 * The distinctive components are combined as independent pieces of
 * evidence (a noisy-OR): each can take the score up to its own ceiling,
 * and agreement between them compounds,
 *   strong = 1 - (1 - 0.9 accounts)(1 - 0.7 text)(1 - 0.4 template)
 *                (1 - 0.3 cohort)(1 - 0.3 office)
 * where office is the schedule component when both keep an office
 * schedule at the same offset and 0 otherwise.  The common-place profiles
 * (hashtags, domains, clients, languages, schedule cosine) add at most 0.1
 * (a tenth of their mean): a shared language or phone client never makes
 * a link on its own.  score = min(1, strong + weak).  An operator who
 * starts over with new accounts (no shared members, new cohorts) is still
 * linked by copied text, name templates and office hours together.
 */
#include "assess.h"
#include <math.h>
#include <stdio.h>

enum { C_ACC, C_TEXT, C_TMPL, C_COHORT, C_SCHED, C_TAG, C_DOM, C_CLIENT, C_LANG };

static void add_reason(ls__link *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_reason(ls__link *L, const char *fmt, ...)
{
    if (L->n_reasons >= LS__LINK_REASONS) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(L->reasons[L->n_reasons++], sizeof L->reasons[0], fmt, ap);
    va_end(ap);
}

static double overlap(const ls__fp_item *a, size_t na, const ls__fp_item *b, size_t nb,
                      char *names, size_t cap)
{
    double ta = 0, tb = 0, s = 0;
    size_t used = 0;
    for (size_t i = 0; i < na; i++) ta += a[i].share;
    for (size_t j = 0; j < nb; j++) tb += b[j].share;
    if (ta <= 0 || tb <= 0) return 0;
    if (cap) names[0] = 0;
    int listed = 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            if (strcmp(a[i].key, b[j].key) == 0) {
                s += fmin(a[i].share / ta, b[j].share / tb);
                if (cap && listed < 3 && used + strlen(a[i].key) + 4 < cap) {
                    used += (size_t)snprintf(names + used, cap - used, "%s%s", listed ? ", " : "", a[i].key);
                    listed++;
                }
            }
    return fmin(s, 1);
}

static int distinctive_template(const char *t)
{
    int digits = 0;
    for (const char *p = t; *p; p++) digits += *p == '9';
    return digits >= 4 || strlen(t) >= 10;
}

/* Peak creation week and the share of accounts within 2 weeks of it. */
static double burst(const ls__fp *f, int32_t *peak)
{
    uint32_t best = 0;
    *peak = 0;
    if (!f->created_known) return 0;
    for (size_t i = 0; i < f->n_cohort; i++)
        if (f->cohort_n[i] > best) { best = f->cohort_n[i]; *peak = f->cohort_week[i]; }
    uint64_t near = 0;
    for (size_t i = 0; i < f->n_cohort; i++)
        if (f->cohort_week[i] >= *peak - 2 && f->cohort_week[i] <= *peak + 2) near += f->cohort_n[i];
    return (double)near / (double)f->created_known;
}

static double week_overlap(const ls__fp *a, const ls__fp *b)
{
    if (!a->created_known || !b->created_known) return 0;
    double s = 0;
    size_t i = 0, j = 0;
    while (i < a->n_cohort && j < b->n_cohort) {
        if (a->cohort_week[i] < b->cohort_week[j]) i++;
        else if (a->cohort_week[i] > b->cohort_week[j]) j++;
        else {
            s += fmin((double)a->cohort_n[i] / (double)a->created_known,
                      (double)b->cohort_n[j] / (double)b->created_known);
            i++; j++;
        }
    }
    return s;
}

/* Containment of n's sketch in a's, over the key range both sketches
 * cover completely. */
static double text_containment(const ls__fp *n, const ls__fp *a, uint64_t *both, uint64_t *dn)
{
    uint64_t tau = UINT64_MAX;
    *both = *dn = 0;
    if (!n->n_sketch || !a->n_sketch) return 0;
    if (n->sketch_full) tau = n->sketch[n->n_sketch - 1];
    if (a->sketch_full && a->sketch[a->n_sketch - 1] < tau) tau = a->sketch[a->n_sketch - 1];
    size_t j = 0;
    for (size_t i = 0; i < n->n_sketch && n->sketch[i] <= tau; i++) {
        (*dn)++;
        while (j < a->n_sketch && a->sketch[j] < n->sketch[i]) j++;
        if (j < a->n_sketch && a->sketch[j] == n->sketch[i]) (*both)++;
    }
    return *dn ? (double)*both / (double)*dn : 0;
}

static const char *item_share(const ls__fp_item *it, size_t n, const char *key, double *share)
{
    for (size_t i = 0; i < n; i++) if (strcmp(it[i].key, key) == 0) { *share = it[i].share; return it[i].key; }
    *share = 0;
    return NULL;
}

void ls__fp_link(const ls__fp *n, const ls__fp *a, uint64_t shared, ls__link *L)
{
    memset(L, 0, sizeof *L);
    double *c = L->part;
    char names[160];

    c[C_ACC] = 1 - exp(-(double)shared / 5.0);
    if (shared)
        add_reason(L, "%llu shared account%s", (unsigned long long)shared, shared == 1 ? "" : "s");

    uint64_t both = 0, dn = 0;
    double cont = 0;
    if (n->sketch_probe == a->sketch_probe) cont = text_containment(n, a, &both, &dn);
    else if (n->n_sketch && a->n_sketch)
        add_reason(L, "text sketches not comparable (the archive was made by another lockstep version; "
                   "add it again to compare texts)");
    c[C_TEXT] = fmin(1, cont / 0.25);
    if (both && cont >= 0.02)
        add_reason(L, "%.0f%% of text sketches shared (%llu of %llu)", 100 * cont,
                   (unsigned long long)both, (unsigned long long)dn);

    double best_t = 0;
    const char *best_name = NULL;
    double bs_n = 0, bs_a = 0;
    for (size_t i = 0; i < n->n_templates; i++) {
        if (!distinctive_template(n->templates[i].key)) continue;
        double sa;
        if (!item_share(a->templates, a->n_templates, n->templates[i].key, &sa)) continue;
        double m = fmin(n->templates[i].share, sa);
        c[C_TMPL] += m;
        if (m > best_t) { best_t = m; best_name = n->templates[i].key; bs_n = n->templates[i].share; bs_a = sa; }
    }
    c[C_TMPL] = fmin(1, c[C_TMPL]);
    if (best_name && best_t >= 0.05)
        add_reason(L, "same name template %s (%.0f%% of network, %.0f%% of archive)", best_name,
                   100 * bs_n, 100 * bs_a);

    int32_t pn, pa;
    double bn = burst(n, &pn), ba = burst(a, &pa);
    double wo = week_overlap(n, a);
    if (bn >= 0.25 && ba >= 0.25) {
        int64_t gap = 7 * (int64_t)(pn > pa ? pn - pa : pa - pn);
        c[C_COHORT] = exp(-(double)gap / 365.0);
        char dn_s[40], da_s[40];
        ls__day_str((int64_t)pn * 7 + 4, dn_s);
        ls__day_str((int64_t)pa * 7 + 4, da_s);
        add_reason(L, "created in cohorts %lld days apart (week of %s: %.0f%% of archive; week of %s: "
                   "%.0f%% of network)", (long long)gap, da_s, 100 * ba, dn_s, 100 * bn);
    }
    if (wo > c[C_COHORT]) {
        c[C_COHORT] = wo;
        if (wo >= 0.2) add_reason(L, "%.0f%% overlap of creation weeks", 100 * wo);
    }

    double dot = 0, nn = 0, na = 0;
    for (int h = 0; h < 168; h++) { dot += n->hours[h] * a->hours[h]; nn += n->hours[h] * n->hours[h]; na += a->hours[h] * a->hours[h]; }
    double cosv = nn > 0 && na > 0 ? dot / sqrt(nn * na) : 0;
    int office = n->office_score >= 0.6 && a->office_score >= 0.6 && n->utc_offset == a->utc_offset;
    c[C_SCHED] = office ? cosv : cosv / 2;
    if (office)
        add_reason(L, "same office schedule (UTC%+d): %.0f%% and %.0f%% of posts on weekdays 09-18 local",
                   n->utc_offset, 100 * n->office_score, 100 * a->office_score);

    c[C_TAG] = overlap(n->hashtags, n->n_hashtags, a->hashtags, a->n_hashtags, names, sizeof names);
    if (c[C_TAG] >= 0.1) add_reason(L, "hashtag profiles overlap %.0f%% (%s)", 100 * c[C_TAG], names);
    c[C_DOM] = overlap(n->domains, n->n_domains, a->domains, a->n_domains, names, sizeof names);
    if (c[C_DOM] >= 0.1) add_reason(L, "linked domains overlap %.0f%% (%s)", 100 * c[C_DOM], names);
    c[C_CLIENT] = overlap(n->clients, n->n_clients, a->clients, a->n_clients, NULL, 0);
    if (n->n_clients >= 2 && a->n_clients >= 2 && n->clients[1].share >= 0.05 && a->clients[1].share >= 0.05 &&
        ((!strcmp(n->clients[0].key, a->clients[0].key) && !strcmp(n->clients[1].key, a->clients[1].key)) ||
         (!strcmp(n->clients[0].key, a->clients[1].key) && !strcmp(n->clients[1].key, a->clients[0].key))))
        add_reason(L, "same two clients (%s, %s)", n->clients[0].key, n->clients[1].key);
    else if (n->n_clients && a->n_clients && !strcmp(n->clients[0].key, a->clients[0].key) &&
             n->clients[0].share >= 0.5 && a->clients[0].share >= 0.5)
        add_reason(L, "same main client (%s)", n->clients[0].key);
    c[C_LANG] = overlap(n->langs, n->n_langs, a->langs, a->n_langs, NULL, 0);

    double c_office = office ? c[C_SCHED] : 0;
    double strong = 1 - (1 - 0.9 * c[C_ACC]) * (1 - 0.7 * c[C_TEXT]) * (1 - 0.4 * c[C_TMPL]) *
                        (1 - 0.3 * c[C_COHORT]) * (1 - 0.3 * c_office);
    double weak = 0.1 * (c[C_TAG] + c[C_DOM] + c[C_CLIENT] + c[C_LANG] + cosv) / 5;
    L->score = fmin(1, fmax(0, strong + weak));
}
