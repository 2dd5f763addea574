/*
 * det_fixture.h — a detect state (ls__det) over a hand-built store, for the
 * unit tests of one networks step at a time (test_detect's regroup,
 * test_targets, test_roles, test_score_part, test_score_coord): a context,
 * the default options and the accounts pass, hand-set networks and edges.
 */
#ifndef LS_DET_FIXTURE_H
#define LS_DET_FIXTURE_H
#include "hand_store.h"
#include "networks/networks.h"

/* Time of the hand-built worlds: Monday 2020-03-02 00:00 UTC, in ms. */
#define T0 1583107200000LL
#define HOUR 3600000LL
#define DAY (24 * HOUR)

/* Fills d over st; 0 on success.  The caller frees with ls__det_free(d)
 * and ls_ctx_free(*ctx) (also after a failure). */
static inline int det_open(ls__det *d, ls_detect_opts *o, ls_ctx **ctx, const struct ls_store *st)
{
    memset(d, 0, sizeof *d);
    *ctx = NULL;
    if (ls_ctx_new(ctx) != LS_OK) return -1;
    ls_detect_opts_default(o);
    d->ctx = *ctx; d->st = st; d->o = o;
    return ls__det_accounts(d) == LS_OK ? 0 : -1;
}

/* In a TEST body: declares ctx, d and o, opens d over st, and returns from
 * the test (after a failed CHECK) when that fails. */
#define DET_OPEN_OR_RETURN(st)                                              \
    ls_ctx *ctx;                                                            \
    ls__det d;                                                              \
    ls_detect_opts o;                                                       \
    int ok_open_ = det_open(&d, &o, &ctx, (st)) == 0;                       \
    CHECK(ok_open_);                                                        \
    if (!ok_open_) { ls__det_free(&d); ls_ctx_free(ctx); return; }

/* The per-account arrays of the networks stage for n_net hand-set
 * networks: net_of (all LS__NONE), role, expanded, acamp, and net.  0 on
 * success; ls__det_free frees them. */
static inline int det_nets(ls__det *d, uint32_t n_net)
{
    uint32_t A = d->n_acc ? d->n_acc : 1;
    d->net_of = ls__malloc(A * sizeof *d->net_of);
    d->role = ls__calloc(A, 1);
    d->expanded = ls__calloc(A, 1);
    d->acamp = ls__calloc(A, sizeof *d->acamp);
    d->n_net = n_net;
    d->net = ls__calloc(n_net ? n_net : 1, sizeof *d->net);
    if (!d->net_of || !d->role || !d->expanded || !d->acamp || !d->net) return -1;
    for (uint32_t a = 0; a < A; a++) d->net_of[a] = LS__NONE;
    return 0;
}

/* A fused edge u-v of one layer (count 3, sig 9, weight 1). */
static inline void det_edge(ls__fedge *e, uint32_t u, uint32_t v, int layer)
{
    memset(e, 0, sizeof *e);
    e->u = u < v ? u : v;
    e->v = u < v ? v : u;
    e->cnt[layer] = 3;
    e->sig[layer] = 9;
    e->w = 1;
}

/* Events written out of time order: collected in an array, then sorted by
 * time (post id on ties) and added to the hand store by det_evs_add.
 * kind: 't' tweet (text "text"), 'p' reply to ref (text "text"), 'r'
 * retweet of ref (no text). */
typedef struct { int64_t t; char acc[8], post[24], ref[24]; char kind; } det_ev;

/* Appends event (t, acc, post, kind, ref) to E[*n] and returns it: the
 * worlds of test_net_merge and test_net_camo are lists of these. */
static inline det_ev *det_ev_add(det_ev *E, size_t *n, int64_t t, const char *acc, const char *post,
                                 char kind, const char *ref)
{
    det_ev *e = &E[(*n)++];
    e->t = t;
    snprintf(e->acc, sizeof e->acc, "%s", acc);
    snprintf(e->post, sizeof e->post, "%s", post);
    snprintf(e->ref, sizeof e->ref, "%s", ref ? ref : "");
    e->kind = kind;
    return e;
}

static inline int det_ev_cmp(const void *a, const void *b)
{
    const det_ev *x = a, *y = b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    return strcmp(x->post, y->post);
}

static inline void det_evs_add(hand_store *h, det_ev *E, size_t n)
{
    qsort(E, n, sizeof *E, det_ev_cmp);
    for (size_t i = 0; i < n; i++)
        hs_ev(h, E[i].t, E[i].acc, E[i].post, E[i].kind, E[i].kind == 't' ? NULL : E[i].ref,
              E[i].kind == 'r' ? NULL : "text", NULL);
}

/* Plain profiles for every account of h: 100 followers each and creation
 * dates 40 days apart, before t0 (no creation burst, no follower gap). */
static inline void det_plain_profiles(hand_store *h, int64_t t0)
{
    for (uint32_t a = 0; a < h->ns[LS_NS_ACCOUNT].n; a++) {
        h->a_fol[a] = 100;
        h->a_created[a] = t0 - (int64_t)(a + 1) * 40 * 86400000LL;
    }
}

/* Account id's string, NUL-terminated in buf (cut at cap - 1 bytes). */
static inline const char *hs_acc_str(const hand_store *h, uint32_t id, char *buf, size_t cap)
{
    const hs_ns *ns = &h->ns[LS_NS_ACCOUNT];
    snprintf(buf, cap, "%.*s", (int)(ns->off[id + 1] - ns->off[id]), ns->blob + ns->off[id]);
    return buf;
}
#endif
