/*
 * builder_load.c — reads an existing store back into an empty builder so
 * that an ingest can append to it.  Strings are re-interned in id order,
 * which gives every string its old id back (the strings of a namespace are
 * distinct), so the copied columns stay valid as they are.  O(size of the
 * store); the store is verified (checksum) before anything is copied.
 */
#include "builder.h"

static int copy_col(ls__builder *b, void **dst, const void *src, size_t n, size_t elem)
{
    void *p = ls__realloc(*dst, (n ? n : 1) * elem);
    if (!p) return ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory loading the store");
    if (n) memcpy(p, src, n * elem);
    *dst = p;
    return LS_OK;
}

int ls__builder_load(ls__builder *b, const char *store_path)
{
    ls_store *s = NULL;
    int st;
    size_t n, na;

    if (b->n_ev || b->n_acc || b->n_li)
        return ls__fail(b->ctx, LS_ERR_INTERNAL, "ls__builder_load needs an empty builder");
    if ((st = ls_store_open(b->ctx, store_path, &s))) return st;

    for (int k = 0; k < LS_NS_COUNT; k++) {
        const ls__strtab *t = &s->ns[k];
        if (ls__pool_reserve(&b->ns[k], t->n, (size_t)t->off[t->n])) {
            st = ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory loading %s", store_path);
            goto done;
        }
        for (uint32_t i = 0; i < t->n; i++) {
            uint32_t id;
            ls__str str = ls__strtab_get(t, i);
            /* Ids must come back unchanged; the empty string is never
             * interned by the builder, so it cannot be in a valid store. */
            st = ls__pool_put(&b->ns[k], str, &id);
            if (st) { st = ls__fail(b->ctx, st, "out of memory loading %s", store_path); goto done; }
            if (id != i) {
                st = ls__fail(b->ctx, LS_ERR_CORRUPT, "%s: duplicate string in namespace %d", store_path, k);
                goto done;
            }
        }
    }

    n = s->n_events;
    if ((st = copy_col(b, (void **)&b->ev_time, s->ev_time, n, 8)) ||
        (st = copy_col(b, (void **)&b->ev_post, s->ev_post, n, 4)) ||
        (st = copy_col(b, (void **)&b->ev_account, s->ev_account, n, 4)) ||
        (st = copy_col(b, (void **)&b->ev_ref_post, s->ev_ref_post, n, 4)) ||
        (st = copy_col(b, (void **)&b->ev_ref_account, s->ev_ref_account, n, 4)) ||
        (st = copy_col(b, (void **)&b->ev_reply_post, s->ev_reply_post, n, 4)) ||
        (st = copy_col(b, (void **)&b->ev_reply_account, s->ev_reply_account, n, 4)) ||
        (st = copy_col(b, (void **)&b->ev_text, s->ev_text, n, 4)) ||
        (st = copy_col(b, (void **)&b->ev_list, s->ev_list, n, 4)) ||
        (st = copy_col(b, (void **)&b->ev_kind, s->ev_kind, n, 1)) ||
        (st = copy_col(b, (void **)&b->ev_lang, s->ev_lang, n, 2)) ||
        (st = copy_col(b, (void **)&b->ev_client, s->ev_client, n, 2)))
        goto done;
    b->ev_cap = n ? n : 1;
    b->n_ev = n;

    if ((st = copy_col(b, (void **)&b->li_id, s->li_id, s->n_list, 4)) ||
        (st = copy_col(b, (void **)&b->li_type, s->li_type, s->n_list, 1)))
        goto done;
    b->n_li = s->n_list;
    b->li_cap = s->n_list ? s->n_list : 1;

    na = s->ns[LS_NS_ACCOUNT].n;
    if ((st = copy_col(b, (void **)&b->acc_screen, s->acc_screen, na, 4)) ||
        (st = copy_col(b, (void **)&b->acc_display, s->acc_display, na, 4)) ||
        (st = copy_col(b, (void **)&b->acc_location, s->acc_location, na, 4)) ||
        (st = copy_col(b, (void **)&b->acc_description, s->acc_description, na, 4)) ||
        (st = copy_col(b, (void **)&b->acc_url, s->acc_url, na, 4)) ||
        (st = copy_col(b, (void **)&b->acc_created, s->acc_created, na, 8)) ||
        (st = copy_col(b, (void **)&b->acc_followers, s->acc_followers, na, 8)) ||
        (st = copy_col(b, (void **)&b->acc_following, s->acc_following, na, 8)) ||
        (st = copy_col(b, (void **)&b->acc_lang, s->acc_lang, na, 2)))
        goto done;
    b->n_acc = na;
    b->acc_cap = na ? na : 1;

    b->post_cap = s->ns[LS_NS_POST].n ? s->ns[LS_NS_POST].n : 1;
    b->post_has_ev = ls__calloc(b->post_cap, 1);
    if (!b->post_has_ev) { st = ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory loading the store"); goto done; }
    for (size_t i = 0; i < n; i++) b->post_has_ev[s->ev_post[i]] = 1;

    /* A large store goes to the spill files at once rather than staying
     * in RAM until the first new post. */
    if (b->spill_at && n * LS__EV_BYTES >= b->spill_at && (st = ls__builder_spill_cols(b, 0))) goto done;
    if (b->spill_at && b->n_li * 5 >= b->spill_at && (st = ls__builder_spill_cols(b, LS__N_EV_COLS))) goto done;

    b->diag = s->diag;
    b->rows_read = s->rows_read;
    b->n_inputs = s->n_inputs;
done:
    ls_store_close(s);
    return st;
}
