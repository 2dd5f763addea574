/*
 * assess.h — internal interface of the assessment stage: what a detected
 * network says (narratives), how far it got (traction), and which archived
 * takedown it resembles (fingerprints and linkage), plus removal requests.
 *
 * Content is only ever used here, after detection: nothing in this stage
 * feeds back into which accounts are flagged (behaviour, not viewpoint).
 *
 * Everything reads a struct ls_store and a membership array net_of[]
 * (per account id: network index 0..n_nets-1 or LS__NONE), the same array
 * detect builds, so `lockstep detect` and `lockstep assess` share the code.
 */
#ifndef LS_ASSESS_H
#define LS_ASSESS_H

#include "../core/core.h"
#include "../store/store.h"
#include "../store/casedb.h"
#include <jansson.h>

/* ---- tokenisation (tokens.c, stopwords.c) ----
 * NFKC + casefold (utf8proc), then URLs, @mentions, #hashtags and a leading
 * "RT @x:" removed, then ICU's word break iterator (UAX #29 for spaced
 * scripts, dictionary segmentation for Chinese and Japanese).  Kept:
 * letter, kana and ideographic words that are not stop words and not a
 * single Latin letter; numbers, punctuation and emoji are dropped. */
typedef struct ls__tok ls__tok;
int  ls__tok_new(ls_ctx *ctx, ls__tok **out);
void ls__tok_free(ls__tok *t);
/* Tokens of text; *toks points into t and stays valid until the next call. */
int  ls__tok_text(ls__tok *t, ls__str text, const ls__str **toks, size_t *n);
/* True for a stop word of any listed language (en, zh, ja, es, fr). */
bool ls__tok_is_stop(const ls__tok *t, ls__str w);

/* ---- weighted log-odds with an informative Dirichlet prior (logodds.c) ----
 * Monroe, Colaresi and Quinn (2008), "Fightin' Words": for word w with
 * counts y_in (the group) and y_out (the rest), prior a_w = a0 * (y_in +
 * y_out) / N, d_w = log((y_in+a_w)/(n_in+a0-y_in-a_w)) -
 * log((y_out+a_w)/(n_out+a0-y_out-a_w)), var ~ 1/(y_in+a_w) + 1/(y_out+a_w),
 * z = d_w / sqrt(var). */
typedef struct ls__term {
    uint32_t id;
    uint64_t y_in, y_out;
    double delta, z;
} ls__term;
/* Scores V words (ids 0..V-1) and writes those with y_in >= min_in to out
 * (caller-sized V) sorted by z descending then id; *n_out gets how many. */
void ls__logodds(const uint64_t *y_in, const uint64_t *y_out, size_t V, double a0,
                 uint64_t min_in, ls__term *out, size_t *n_out);

/* ---- traction (traction.c) ---- */
typedef struct ls__traction {
    uint64_t n_accounts, followers_known, zero_followers, under8;
    int64_t median_followers;               /* -1 unknown */
    uint64_t posts;                         /* original posts of the network */
    uint64_t cnt[4];                        /* likes, retweets, replies, quotes
                                               from the data's count columns */
    uint64_t ev_in[3], ev_out[3];           /* retweets, replies, quotes received
                                               as events, from inside / outside */
    uint64_t organic_accounts;              /* distinct outside accounts that engaged */
    int64_t max_organic_followers;          /* -1 unknown */
    uint32_t platforms_linked;              /* other platforms the posts link to */
    int breakout;                           /* estimated category 1..6 */
    char reasons[4][200];
    int n_reasons;
    char sentence[240];
} ls__traction;
/* Traction of every network in one pass; tr gets n_nets entries. */
int ls__traction_compute(ls_ctx *ctx, const ls_store *st, const uint32_t *net_of,
                         uint32_t n_nets, const uint32_t *post_author, ls__traction *tr);
json_t *ls__traction_json(const ls__traction *t);

/* ---- fingerprints and linkage (fingerprint.c, linkage.c) ---- */
#define LS__FP_SKETCH 1024    /* bottom-k size of the text sketch */
#define LS__FP_TOP 30         /* entries kept per profile */
typedef struct ls__fp_item { char key[96]; double share; } ls__fp_item;
typedef struct ls__fp {
    uint64_t n_accounts, n_posts, n_texts;
    uint64_t *sketch; size_t n_sketch;      /* sorted ascending, distinct */
    int sketch_full;                        /* more keys existed than kept */
    uint64_t sketch_probe;                  /* scheme check (fingerprint.c) */
    ls__fp_item hashtags[LS__FP_TOP]; size_t n_hashtags;
    ls__fp_item domains[LS__FP_TOP]; size_t n_domains;
    ls__fp_item templates[LS__FP_TOP]; size_t n_templates;
    ls__fp_item clients[LS__FP_TOP]; size_t n_clients;
    ls__fp_item langs[LS__FP_TOP]; size_t n_langs;
    int32_t *cohort_week; uint32_t *cohort_n; size_t n_cohort; /* weeks since
                              1970-01-05 (a Monday) with accounts created */
    uint64_t created_known;
    double hours[168];                      /* share of posts per UTC hour of week */
    int utc_offset; double office_score;
} ls__fp;
/* Fingerprint of the accounts with member[a] != 0 (NULL: all accounts). */
int  ls__fp_compute(ls_ctx *ctx, const ls_store *st, const uint8_t *member, ls__fp *out);
void ls__fp_free(ls__fp *fp);
json_t *ls__fp_to_json(const ls__fp *fp);
int  ls__fp_from_json(ls_ctx *ctx, const char *text, ls__fp *out);

#define LS__LINK_REASONS 8
#define LS__LINK_MIN 0.5      /* a score from which a network is "linked" */
typedef struct ls__link {
    double score;                           /* 0..1 */
    double part[9];                         /* component scores, see linkage.c */
    char reasons[LS__LINK_REASONS][200];
    int n_reasons;
} ls__link;
/* Scores network fingerprint n against archive fingerprint a, given the
 * number of accounts they share. */
void ls__fp_link(const ls__fp *n, const ls__fp *a, uint64_t shared, ls__link *out);

/* ---- the whole assessment of a run's networks (assess.c) ---- */
typedef struct ls__assess ls__assess;
/* Computes narratives, traction and (when db is not NULL) links for every
 * network; labels[i] names network i in examples and reasons (may be NULL:
 * "N1", "N2", ...). */
int  ls__assess_new(ls_ctx *ctx, const ls_store *st, ls_casedb *db,
                    const uint32_t *net_of, uint32_t n_nets, ls__assess **out);
/* {"narratives": ..., "traction": ..., "linked": [...], "archive_scores":
 * [...]} of network i
 * (borrowed reference, valid until ls__assess_free). */
json_t *ls__assess_get(const ls__assess *A, uint32_t i);
/* Appends `"narratives": {...}, "traction": {...}, "linked": [...],
 * "archive_scores": [...]` (no
 * braces, no leading comma) to b, for writers that build JSON by hand. */
int  ls__assess_json_members(const ls__assess *A, uint32_t i, ls__buf *b);
/* One line for a console summary: top narrative, traction sentence, link. */
int  ls__assess_line(const ls__assess *A, uint32_t i, ls__buf *b);
const ls__traction *ls__assess_traction(const ls__assess *A, uint32_t i);
void ls__assess_free(ls__assess *A);

/* ---- narratives (narratives.c) ---- */
/* Narratives of every network: top hashtags, domains, languages,
 * distinctive terms, narrative groups with examples and posts per day.
 * amp[post] = retweets + quotes received (events), post_author[post]. */
int ls__narratives(ls_ctx *ctx, const ls_store *st, const uint32_t *net_of,
                   uint32_t n_nets, const uint32_t *amp, json_t **out);

/* ---- run folders (runcsv.c) ---- */
/* Reads DIR/accounts.csv: per store account, the network index (order of
 * first appearance) or LS__NONE; labels, scores and evidence kept. */
typedef struct ls__run {
    uint32_t *net_of;                       /* n_accounts of the store */
    uint32_t n_nets;
    char **labels;                          /* n_nets network ids as written */
    float *score;                           /* per account */
    char **evidence;                        /* per account (NULL if none) */
    char **role;                            /* per account (NULL if none) */
    uint64_t rows, unknown;                 /* rows read, ids not in the store */
} ls__run;
int  ls__run_read(ls_ctx *ctx, const ls_store *st, const char *dir, ls__run *out);
void ls__run_free(ls__run *r, uint32_t n_accounts);

/* "YYYY-MM-DD" for a day number (days since 1970-01-01, proleptic
 * Gregorian); out holds at least 40 bytes. */
void ls__day_str(int64_t day, char *out);

/* JSON helpers: a real rounded to 4 decimals (stable text). */
json_t *ls__jreal(double v);

#endif /* LS_ASSESS_H */
