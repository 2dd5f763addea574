/*
 * det_fixture.h — a detect state (ls__det) over a hand-built store, for the
 * unit tests of one networks step at a time (test_detect's regroup,
 * test_targets): a context, the default options and the accounts pass.
 */
#ifndef LS_DET_FIXTURE_H
#define LS_DET_FIXTURE_H
#include "hand_store.h"
#include "networks/networks.h"

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

/* Account id's string, NUL-terminated in buf (cut at cap - 1 bytes). */
static inline const char *hs_acc_str(const hand_store *h, uint32_t id, char *buf, size_t cap)
{
    const hs_ns *ns = &h->ns[LS_NS_ACCOUNT];
    snprintf(buf, cap, "%.*s", (int)(ns->off[id + 1] - ns->off[id]), ns->blob + ns->off[id]);
    return buf;
}
#endif
