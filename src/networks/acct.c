/*
 * acct.c — one pass over the event store that gives the networks stage its
 * per-account facts: how much an account posts, amplifies and is amplified,
 * its main client app, its creation day and its screen-name template, plus
 * the author of every post id (so amplification can be traced to accounts
 * even when the store has no ref_account for a post).
 *
 * Work O(events + accounts); the client count uses one radix sort of
 * (account, client) keys instead of a per-account table.
 */
#include "networks.h"
#include <limits.h>

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
    if (!d->acc || !d->post_author || !key || !tmp) { rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done; }
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
        if (target != LS__NONE && target != a) d->acc[target].recv++;
        if (st->ev_reply_post[i] != LS__NONE) {
            uint32_t ra = d->post_author[st->ev_reply_post[i]];
            if (ra != LS__NONE && ra != a && ra != target) d->acc[ra].recv++;
        }
        if (st->ev_client[i] != 0xFFFF) key[nk++] = (uint64_t)a << 16 | st->ev_client[i];
    }
    ls__radix_u64(key, tmp, nk);
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
