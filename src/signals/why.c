/*
 * why.c — the evidence behind an edge: every object on which two given
 * accounts co-acted within the window, with the two posts and times.
 * Recomputed on demand from the layer's records (O(records)), so evidence
 * is complete, not only the sample an edge carries.
 */
#include "signals.h"
#include <stdlib.h>

static int cmp_ev(const void *x, const void *y)
{
    const ls__evid *a = x, *b = y;
    int64_t ta = a->t_u < a->t_v ? a->t_u : a->t_v, tb = b->t_u < b->t_v ? b->t_u : b->t_v;
    if (ta != tb) return ta < tb ? -1 : 1;
    return a->obj < b->obj ? -1 : a->obj > b->obj;
}

int ls__why(ls_ctx *ctx, const ls_store *st, int layer, const ls__co_opts *o,
            uint32_t a, uint32_t b, ls__evid *ev, size_t max, size_t *n, size_t *total)
{
    ls__recs R;
    uint64_t *tmp = NULL;
    ls__evid *all = NULL;
    size_t na = 0, cap = 0;
    int rc = ls__records_emit(ctx, st, layer, o, &R);
    *n = 0; *total = 0;
    if (rc != LS_OK) return rc;
    /* Keep only the two accounts' records, then sort by (object, time). */
    size_t m = 0;
    for (size_t i = 0; i < R.n; i++) {
        uint32_t e = (uint32_t)(R.r[i] >> 1) & 0x7fffffffu;
        uint32_t acc = st->ev_account[e];
        if (acc == a || acc == b) R.r[m++] = R.r[i];
    }
    tmp = ls__malloc((m ? m : 1) * sizeof *tmp);
    if (!tmp) { rc = ls__fail(ctx, LS_ERR_NOMEM, "why: out of memory"); goto done; }
    ls__radix_u64(R.r, tmp, m);
    for (size_t s = 0; s < m;) {
        uint32_t obj = (uint32_t)(R.r[s] >> 32);
        size_t e = s + 1;
        while (e < m && (uint32_t)(R.r[e] >> 32) == obj) e++;
        int found = 0;
        for (size_t i = s; i < e && !found; i++) {
            uint32_t ei = (uint32_t)(R.r[i] >> 1) & 0x7fffffffu;
            if (st->ev_account[ei] != a || (R.r[i] & 1)) continue;
            for (size_t j = s; j < e; j++) {
                uint32_t ej = (uint32_t)(R.r[j] >> 1) & 0x7fffffffu;
                if (st->ev_account[ej] != b || ei == ej) continue;
                if (o->qut && st->ev_post[ei] == st->ev_post[ej]) continue;
                int64_t d = st->ev_time[ei] - st->ev_time[ej];
                /* co_text has no window (docs/networks.md). */
                if (layer != LS_L_TEXT && (d < 0 ? -d : d) > o->window_ms) continue;
                if ((rc = ls__grow((void **)&all, &cap, na + 1, sizeof *all)) != LS_OK) {
                    rc = ls__fail(ctx, rc, "why: out of memory"); goto done;
                }
                all[na++] = (ls__evid){ obj, st->ev_post[ei], st->ev_post[ej],
                                        st->ev_time[ei], st->ev_time[ej] };
                found = 1;
                break;
            }
        }
        s = e;
    }
    if (na > 1) qsort(all, na, sizeof *all, cmp_ev);
    *total = na;
    *n = na < max ? na : max;
    if (*n) memcpy(ev, all, *n * sizeof *ev);
done:
    ls__free(tmp);
    ls__free(all);
    ls__recs_free(&R);
    return rc;
}
