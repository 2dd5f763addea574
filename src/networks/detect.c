/*
 * detect.c — ls_detect(): the whole networks stage in order.
 *   accounts pass -> fused coordination graph -> Leiden clusters ->
 *   networks (merge, expansion, roles) -> scores -> second clustering pass
 *   over networks below the bar (regroup.c) -> expansion -> scores ->
 *   [--one-operation: everything one network, oneop.c] -> labels -> files.
 * Networks are reported when their score reaches min_score and at least
 * min_size of their accounts do; labels N1, N2, ... go by reported size
 * (largest first), ties by smallest account id, so they are stable.
 */
#include "networks.h"
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

void ls_detect_opts_default(ls_detect_opts *o)
{
    memset(o, 0, sizeof *o);
    o->rt_window_s = 60;
    o->text_window_s = 3600;
    o->post_window_s = 0;
    o->alpha = 0.01;
    o->cap = 1000;
    o->resolution = 1.0;
    o->seed = 1;
    o->min_size = 5;
    o->min_score = 0.5;
    o->expand_share = 0.5;
    o->expand_min = 2;
    o->merge_share = 0.2;
}

void ls__det_free(ls__det *d)
{
    ls__free(d->acc); ls__free(d->post_author);
    ls__free(d->amp_xy); ls__free(d->amp_yx); ls__free(d->amp_k); ls__free(d->amp_t);
    ls__free(d->ev_how); ls__free(d->ev_bits);
    ls__intern_free(&d->tmpl);
    ls__free(d->e); ls__free(d->cluster); ls__free(d->net_of); ls__free(d->role);
    ls__free(d->expanded); ls__free(d->ascore); ls__free(d->aquiet); ls__free(d->adense); ls__free(d->net);
    ls__free(d->aflag); ls__free(d->afol); ls__free(d->amemb); ls__free(d->aoffice); ls__free(d->acamp);
    ls__free(d->apart); ls__free(d->alay); ls__free(d->arecv); ls__free(d->arecv_from); ls__free(d->afast);
    ls__free(d->cell);
    memset(d, 0, sizeof *d);
}

typedef struct { uint32_t n, size, first; } lab;
static int lab_cmp(const void *x, const void *y)
{
    const lab *p = x, *q = y;
    if (p->size != q->size) return p->size > q->size ? -1 : 1;
    return (p->first > q->first) - (p->first < q->first);
}

static int label(ls__det *d)
{
    lab *L = ls__calloc(d->n_net ? d->n_net : 1, sizeof *L);
    if (!L) return ls__fail(d->ctx, LS_ERR_NOMEM, "detect: out of memory");
    for (uint32_t n = 0; n < d->n_net; n++) { L[n].n = n; L[n].first = UINT32_MAX; }
    for (uint32_t a = 0; a < d->n_acc; a++) {
        uint32_t n = d->net_of[a];
        if (n == LS__NONE || d->ascore[a] < d->report_bar) continue;
        L[n].size++;
        if (L[n].first == UINT32_MAX) L[n].first = a;
    }
    qsort(L, d->n_net, sizeof *L, lab_cmp);
    d->n_reported = 0;
    for (uint32_t i = 0; i < d->n_net; i++) {
        ls__net *N = &d->net[L[i].n];
        N->label = 0;
        /* One operation (oneop.c): its one network whatever its size. */
        if (N->score >= d->report_bar && L[i].size > 0 && (L[i].size >= d->o->min_size || d->cell))
            N->label = ++d->n_reported;
    }
    ls__free(L);
    return LS_OK;
}

/* Expansion into every network, from accounts in none (no network is
 * open to losing members). */
static int expand_into_all(ls__det *d)
{
    size_t n = d->n_net ? d->n_net : 1;
    uint8_t *all = ls__calloc(n, 1), *none = ls__calloc(n, 1);
    int rc;
    if (!all || !none) rc = ls__fail(d->ctx, LS_ERR_NOMEM, "detect: out of memory");
    else {
        memset(all, 1, n);
        rc = ls__det_expand(d, all, none);
        ls__timing("expand");
    }
    ls__free(all); ls__free(none);
    return rc;
}

/* Runs the stage on an open store; out_dir must exist. */
int ls__detect_store(ls_ctx *ctx, const ls_detect_opts *o, const ls_store *st, const char *out_dir, FILE *summary)
{
    ls__det d;
    int rc;
    memset(&d, 0, sizeof d);
    d.ctx = ctx; d.st = st; d.o = o;
    d.report_bar = o->min_score;
    ls__igraph_init();
    if (o->alpha <= 0 || o->alpha >= 1) return ls__fail(ctx, LS_ERR_USAGE, "alpha must be in (0,1)");
    if (o->min_score < 0 || o->min_score > 1) return ls__fail(ctx, LS_ERR_USAGE, "min-score must be in [0,1]");
    if (o->expand_share <= 0 || o->expand_share > 1) return ls__fail(ctx, LS_ERR_USAGE, "expand-share must be in (0,1]");
    if (o->resolution <= 0) return ls__fail(ctx, LS_ERR_USAGE, "resolution must be positive");
    if (o->rt_window_s < 0 || o->text_window_s < 0 || o->post_window_s < 0)
        return ls__fail(ctx, LS_ERR_USAGE, "windows must not be negative");
    if ((rc = ls__det_accounts(&d)) != LS_OK) goto done;
    ls__timing("accounts");
    if ((rc = ls__det_fuse(&d)) != LS_OK) goto done;
    if ((rc = ls__det_cluster(&d)) != LS_OK) goto done;
    ls__timing("cluster");
    if ((rc = ls__det_networks(&d)) != LS_OK) goto done;
    ls__timing("networks");
    /* Expansion in two stages.  First every network may take in accounts
     * that belong to none, so it is scored with its amplifiers. */
    if ((rc = expand_into_all(&d)) != LS_OK) goto done;
    if ((rc = ls__det_score(&d)) != LS_OK) goto done;
    ls__timing("score");
    /* Second clustering pass: networks that score below the bar and are
     * joined by above-chance amplification flow are grouped (Leiden over
     * the network graph) and scored as a whole; an operation run in many
     * small cells is one operation. */
    {
        uint8_t *open = ls__calloc(d.n_net ? d.n_net : 1, 1);
        uint32_t merged = 0;
        if (!open) { rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done; }
        for (uint32_t n = 0; n < d.n_net; n++) open[n] = d.net[n].score < o->min_score;
        rc = ls__det_regroup(&d, open, &merged);
        ls__timing("regroup");
        ls__free(open);
        if (rc != LS_OK) goto done;
        if (merged) {
            /* A merged group gets its amplifiers: an account that spread its
             * amplification over many cells had no majority for any one cell,
             * but has one for the group.  Then it is scored as a whole. */
            if ((rc = expand_into_all(&d)) != LS_OK) goto done;
            if ((rc = ls__det_score(&d)) != LS_OK) goto done;
            ls__timing("score");
        }
    }
    /* Then expansion into the networks that score as coordinated; accounts in
     * networks that do not may move (a giant organic cluster can hold a
     * few members of an operation), then everything is scored again. */
    {
        uint8_t *target = ls__calloc(d.n_net ? d.n_net : 1, 1), *open = ls__calloc(d.n_net ? d.n_net : 1, 1);
        if (!target || !open) { ls__free(target); ls__free(open); rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done; }
        for (uint32_t n = 0; n < d.n_net; n++) {
            target[n] = d.net[n].score >= o->min_score;
            open[n] = !target[n];
        }
        rc = ls__det_expand(&d, target, open);
        ls__timing("expand");
        ls__free(target); ls__free(open);
        if (rc != LS_OK) goto done;
    }
    if ((rc = ls__det_score(&d)) != LS_OK) goto done;
    ls__timing("score");
    /* A merge must not hide a network: parts of low-scoring merged
     * networks that reach the bar on their own are split off (split.c). */
    {
        uint32_t n_split = 0;
        if ((rc = ls__det_split(&d, &n_split)) != LS_OK) goto done;
        ls__timing("split");
    }
    if (o->one_operation) {
        if ((rc = ls__det_one_operation(&d)) != LS_OK) goto done;
        ls__timing("one operation");
    }
    if ((rc = label(&d)) != LS_OK) goto done;
    ls__timing("label");
    if ((rc = ls__det_tally(&d)) != LS_OK) goto done;
    ls__timing("tally");
    ls__progress_end(ctx);
    if ((rc = ls__det_write(&d, out_dir)) != LS_OK) goto done;
    ls__timing("write");
    if (summary) ls__det_summary(&d, summary);
done:
    ls__det_free(&d);
    return rc;
}

int ls_detect(ls_ctx *ctx, const ls_detect_opts *opts, const char *store_path, const char *out_dir, FILE *summary)
{
    ls_store *st = NULL;
    ls_detect_opts def;
    int rc;
    if (!opts) { ls_detect_opts_default(&def); opts = &def; }
    (void)ls__timing_on();   /* starts the clock of LOCKSTEP_TIMING */
    if (!out_dir || !*out_dir) return ls__fail(ctx, LS_ERR_USAGE, "no output folder");
    if (mkdir(out_dir, 0777) != 0 && errno != EEXIST)
        return ls__fail(ctx, LS_ERR_IO, "%s: cannot create folder: %s", out_dir, strerror(errno));
    if ((rc = ls_store_open(ctx, store_path, &st)) != LS_OK) return rc;
    ls__timing("open store");
    rc = ls__detect_store(ctx, opts, st, out_dir, summary);
    ls_store_close(st);
    return rc;
}
