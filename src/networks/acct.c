/*
 * acct.c — one pass over the event store that gives the networks stage its
 * per-account facts: how much an account posts, amplifies and is amplified,
 * its main client app, its creation day and its screen-name template, plus
 * the author of every post id (so amplification can be traced to accounts
 * even when the store has no ref_account for a post).
 *
 * Work O(events + accounts); the client count uses one radix sort of
 * (account, client) keys instead of a per-account table.  The
 * amplification events (who amplified whom) are kept sorted both ways for
 * the grouping and expansion rounds of groups.c.
 */
#include "networks.h"
#include <limits.h>
#include <math.h>

#define DAY_MS 86400000LL

void ls__det_template(ls__str name, char *out, size_t cap)
{
    size_t k = 0;
    if (cap == 0) return;
    for (size_t i = 0; i < name.n && k + 1 < cap; i++) {
        unsigned char c = (unsigned char)name.p[i];
        char t;
        if (c >= 'A' && c <= 'Z') t = 'A';
        else if (c >= 'a' && c <= 'z') t = 'a';
        else if (c >= '0' && c <= '9') t = '9';
        else if (c >= 0x80) {
            /* A non-ASCII letter: one 'x' per code point, so the template
             * stays readable and does not depend on byte lengths. */
            if ((c & 0xC0) == 0x80) continue;
            t = 'x';
        } else t = '_';
        out[k++] = t;
    }
    out[k] = 0;
}

double ls__det_office_share(const double h[168], int off)
{
    double in = 0, all = 0;
    for (int b = 0; b < 168; b++) {
        all += h[b];
        /* Local hour-of-week of UTC bin b. */
        int l = ((b + off) % 168 + 168) % 168;
        int day = l / 24, hour = l % 24;
        if (day < 5 && hour >= 9 && hour < 18) in += h[b];
    }
    return all > 0 ? in / all : 0;
}

/* Sorts the amplification events gathered in d->amp_xy (tmp: scratch of
 * as many), shrinks the array to fit and builds amp_yx and the scratch. */
static int amp_index(ls__det *d, uint64_t *tmp)
{
    size_t n = d->n_amp, sz = (n ? n : 1) * sizeof *d->amp_xy;
    uint64_t *xy = ls__realloc(d->amp_xy, sz);
    if (!xy) return ls__fail(d->ctx, LS_ERR_NOMEM, "detect: out of memory");
    d->amp_xy = xy;
    d->amp_yx = ls__big_malloc(sz);
    d->amp_k = ls__big_malloc(sz);
    d->amp_t = ls__big_malloc(sz);
    if (!d->amp_yx || !d->amp_k || !d->amp_t) return ls__fail(d->ctx, LS_ERR_NOMEM, "detect: out of memory");
    ls__radix_u64(xy, tmp, n);
    for (size_t i = 0; i < n; i++) d->amp_yx[i] = xy[i] << 32 | xy[i] >> 32;
    ls__radix_u64(d->amp_yx, tmp, n);
    return LS_OK;
}

/* d->ev_how and d->ev_bits (see networks.h); ptime: scratch of n_posts. */
static int event_facts(ls__det *d, int64_t *ptime)
{
    const ls_store *st = d->st;
    size_t ne = st->n_events ? st->n_events : 1;
    d->ev_how = ls__big_malloc(ne);
    d->ev_bits = ls__big_malloc(ne);
    if (!d->ev_how || !d->ev_bits) return ls__fail(d->ctx, LS_ERR_NOMEM, "detect: out of memory");
    int64_t rt_round = (int64_t)llround(d->o->rt_window_s * 1000.0);
    int64_t rt_trunc = (int64_t)(d->o->rt_window_s * 1000.0);
    int64_t amp_win = (int64_t)llround(d->o->text_window_s * 1000.0);
    for (uint32_t p = 0; p < d->n_posts; p++) ptime[p] = LS__TIME_NONE;
    for (uint64_t i = 0; i < st->n_events; i++) ptime[st->ev_post[i]] = st->ev_time[i];
    for (uint64_t i = 0; i < st->n_events; i++) {
        int64_t t = st->ev_time[i];
        /* 1970-01-01 was a Thursday: Monday 00:00 UTC is day 4. */
        int64_t h = t / 3600000LL;
        if (t < 0 && t % 3600000LL) h--;
        d->ev_how[i] = (uint8_t)((((h + 72) % 168) + 168) % 168);
        uint8_t b = 0;
        uint32_t p = st->ev_ref_post[i];
        if (p != LS__NONE && ptime[p] != LS__TIME_NONE) {
            int64_t dt = t - ptime[p];
            b |= LS__EVB_REF_TIMED;
            if (dt <= rt_round) b |= LS__EVB_FAST_RT;
            if (dt <= rt_trunc) b |= LS__EVB_FAST_RT_TRUNC;
            if (dt >= 0 && dt <= amp_win) b |= LS__EVB_AMP_WIN;
        }
        d->ev_bits[i] = b;
    }
    return LS_OK;
}

int ls__det_accounts(ls__det *d)
{
    const ls_store *st = d->st;
    ls_ctx *ctx = d->ctx;
    int rc = LS_OK;
    uint64_t *key = NULL, *tmp = NULL;
    size_t nk = 0;
    d->n_acc = st->ns[LS_NS_ACCOUNT].n;
    d->n_posts = st->ns[LS_NS_POST].n;
    d->acc = ls__calloc(d->n_acc ? d->n_acc : 1, sizeof *d->acc);
    d->post_author = ls__malloc((d->n_posts ? d->n_posts : 1) * sizeof *d->post_author);
    key = ls__malloc((st->n_events ? st->n_events : 1) * sizeof *key);
    tmp = ls__malloc((st->n_events ? st->n_events : 1) * sizeof *tmp);
    size_t ne = st->n_events ? st->n_events : 1;
    d->amp_xy = ls__big_malloc(ne * sizeof *d->amp_xy);
    if (!d->acc || !d->post_author || !key || !tmp || !d->amp_xy) {
        rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done;
    }
    for (uint32_t p = 0; p < d->n_posts; p++) d->post_author[p] = LS__NONE;
    for (uint64_t i = 0; i < st->n_events; i++) d->post_author[st->ev_post[i]] = st->ev_account[i];
    for (uint64_t i = 0; i < st->n_events; i++) {
        uint32_t r = st->ev_ref_post[i];
        if (r != LS__NONE && d->post_author[r] == LS__NONE) d->post_author[r] = st->ev_ref_account[i];
        r = st->ev_reply_post[i];
        if (r != LS__NONE && d->post_author[r] == LS__NONE) d->post_author[r] = st->ev_reply_account[i];
    }
    for (uint64_t i = 0; i < st->n_events; i++) {
        uint32_t a = st->ev_account[i];
        ls__dacct *x = &d->acc[a];
        x->posts++;
        int k = st->ev_kind[i];
        uint32_t target = LS__NONE;
        if ((k == LS_KIND_RETWEET || k == LS_KIND_QUOTE) && st->ev_ref_post[i] != LS__NONE) {
            target = d->post_author[st->ev_ref_post[i]];
            if (target != a) x->amps++;
        } else x->orig++;
        if (target != LS__NONE && target != a) {
            d->acc[target].recv++;
            d->amp_xy[d->n_amp++] = (uint64_t)a << 32 | target;
        }
        if (st->ev_reply_post[i] != LS__NONE) {
            uint32_t ra = d->post_author[st->ev_reply_post[i]];
            if (ra != LS__NONE && ra != a && ra != target) d->acc[ra].recv++;
        }
        if (st->ev_client[i] != 0xFFFF) key[nk++] = (uint64_t)a << 16 | st->ev_client[i];
    }
    ls__radix_u64(key, tmp, nk);
    if ((rc = amp_index(d, tmp)) != LS_OK) goto done;
    /* The sort scratch (as many entries as events) serves as the post-time
     * table when there are no more posts than events, which is the rule. */
    if (d->n_posts <= st->n_events) rc = event_facts(d, (int64_t *)tmp);
    else {
        int64_t *pt = ls__malloc((size_t)d->n_posts * sizeof *pt);
        rc = pt ? event_facts(d, pt) : ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory");
        ls__free(pt);
    }
    if (rc != LS_OK) goto done;
    for (uint32_t a = 0; a < d->n_acc; a++) { d->acc[a].client = 0xFFFF; d->acc[a].tmpl = LS__NONE; }
    for (size_t i = 0; i < nk;) {
        size_t j = i;
        while (j < nk && key[j] == key[i]) j++;
        uint32_t a = (uint32_t)(key[i] >> 16);
        uint32_t c = (uint32_t)(j - i);
        ls__dacct *x = &d->acc[a];
        /* Ties go to the smaller client id (keys are sorted), so the
         * choice is deterministic. */
        float share = x->posts ? (float)c / (float)x->posts : 0;
        if (x->client == 0xFFFF || share > x->client_share) {
            x->client = (uint16_t)(key[i] & 0xFFFF);
            x->client_share = share;
        }
        i = j;
    }
    ls__intern_init(&d->tmpl);
    for (uint32_t a = 0; a < d->n_acc; a++) {
        ls__dacct *x = &d->acc[a];
        int64_t c = st->acc_created ? st->acc_created[a] : LS__TIME_NONE;
        if (c == LS__TIME_NONE) x->created_day = INT32_MIN;
        else {
            int64_t day = c >= 0 ? c / DAY_MS : -((-c + DAY_MS - 1) / DAY_MS);
            x->created_day = (int32_t)LS__MAX(LS__MIN(day, (int64_t)INT32_MAX), (int64_t)INT32_MIN + 1);
        }
        uint32_t sn = st->acc_screen ? st->acc_screen[a] : LS__NONE;
        if (sn != LS__NONE) {
            char t[48];
            ls__det_template(ls__strtab_get(&st->ns[LS_NS_NAME], sn), t, sizeof t);
            if (t[0] && ls__intern_put(&d->tmpl, ls__str_c(t), &x->tmpl) != LS_OK) {
                rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done;
            }
        }
    }
done:
    ls__free(key);
    ls__free(tmp);
    return rc;
}
