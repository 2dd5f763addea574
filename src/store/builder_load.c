/*
 * builder_load.c — reads an existing store back into an empty builder so
 * that an ingest can append to it.  Strings are re-interned in id order,
 * which gives every string its old id back (the strings of a namespace are
 * distinct), so the copied columns stay valid as they are.  O(size of the
 * store); the store is verified (checksum) before anything is copied.
 * With spilling on, large column groups are copied into spill files
 * rather than into RAM, and the pools spill as the strings go in.
 */
#include "builder.h"

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

/* Strings between page drops while a namespace is re-interned. */
#define DROP_EVERY ((size_t)64 << 20)

/* Drops the loaded store's pages in [p, p + n) from memory: the mapping is
 * read-only, so they come back from the file if touched again (a page
 * shared with a neighbouring section included).  Without this, loading
 * made the whole store resident on top of the builder. */
static void drop(const void *p, size_t n)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t a = (uintptr_t)p & ~(page - 1), e = (uintptr_t)p + n;
    if (n && e > a) (void)madvise((void *)a, e - a, MADV_DONTNEED);
}

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
    uint64_t *has_ev = NULL;
    int st;
    size_t n, na;

    if (b->n_ev || b->n_acc || b->n_li)
        return ls__fail(b->ctx, LS_ERR_INTERNAL, "ls__builder_load needs an empty builder");
    if ((st = ls_store_open(b->ctx, store_path, &s))) return st;

    /* Posts that have an event in the store, one bit each: a pool that
     * freezes while the store's strings go in hands the rest to its
     * deduplicator, which must know them as events (builder_freeze.c). */
    size_t np = s->ns[LS_NS_POST].n;
    has_ev = ls__calloc(np / 64 + 1, sizeof *has_ev);
    if (!has_ev) { st = ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory loading the store"); goto done; }
    for (size_t i = 0; i < s->n_events; i++) has_ev[s->ev_post[i] >> 6] |= UINT64_C(1) << (s->ev_post[i] & 63);
    for (int k = 0; k < LS_NS_COUNT; k++) {
        const ls__strtab *t = &s->ns[k];
        /* Every string of the store gets its old id back: from the pool
         * while it takes them, else (past its budget) from its
         * deduplicator, where they are the first occurrences, in id
         * order, so they get ids pool size, pool size + 1, ... as they
         * had; no column holds them (ORPHAN). */
        if (ls__pool_reserve(&b->ns[k], t->n, (size_t)t->off[t->n])) {
            st = ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory loading %s", store_path);
            goto done;
        }
        uint32_t from = 0;
        for (uint32_t i = 0; i < t->n; i++) {
            uint32_t id;
            ls__str str = ls__strtab_get(t, i);
            /* Ids must come back unchanged; the empty string is never
             * interned by the builder, so it cannot be in a valid store. */
            if ((st = ls__builder_put_loaded(b, k, str, k == LS_NS_POST && (has_ev[i >> 6] >> (i & 63)) & 1,
                                             &id)))
                goto done;
            if (t->off[i + 1] - t->off[from] >= DROP_EVERY || i + 1 == t->n) {
                drop(t->blob + t->off[from], (size_t)(t->off[i + 1] - t->off[from]));
                drop(t->off + from, (size_t)(i + 1 - from) * sizeof *t->off);
                from = i + 1;
            }
            if (id != i && id != LS__PROV) {
                st = ls__fail(b->ctx, LS_ERR_CORRUPT, "%s: duplicate string in namespace %d", store_path, k);
                goto done;
            }
        }
    }

    /* Event columns and list entries: a group big enough to spill goes
     * straight from the mapped store into its spill files, the others
     * are copied into RAM. */
    n = s->n_events;
    {
        const void *src[LS__N_COLS] = { s->ev_time, s->ev_post, s->ev_account, s->ev_ref_post,
                                        s->ev_ref_account, s->ev_reply_post, s->ev_reply_account,
                                        s->ev_text, s->ev_list, s->ev_kind, s->ev_lang, s->ev_client,
                                        s->li_id, s->li_type };
        void **arrs[LS__N_COLS];
        int spilled[2];
        ls__builder_cols(b, arrs);
        /* Every column comes from the store, defaults or not. */
        memset(b->col_dflt, 0, sizeof b->col_dflt);
        spilled[0] = b->col_spill_at && n * LS__EV_BYTES >= b->col_spill_at;
        spilled[1] = b->col_spill_at && s->n_list * 5 >= b->col_spill_at;
        for (int k = 0; k < LS__N_COLS; k++) {
            int g = k >= LS__N_EV_COLS;
            size_t cnt = g ? s->n_list : n, elem = ls__builder_col_elem(k);
            if (!spilled[g]) {
                if ((st = copy_col(b, arrs[k], src[k], cnt, elem))) goto done;
                drop(src[k], cnt * elem);
                continue;
            }
            if ((b->col_fd[k] < 0 && ls__spill_open(b->spill_dir, &b->col_fd[k])) ||
                ls__spill_write(b->col_fd[k], src[k], cnt * elem)) {
                st = ls__fail(b->ctx, LS_ERR_IO, "cannot write a spill file in %s: %s", b->spill_dir,
                              strerror(errno ? errno : EIO));
                goto done;
            }
            drop(src[k], cnt * elem);
        }
        b->n_ev = n;
        b->ev_base = spilled[0] ? n : 0;
        b->ev_cap = spilled[0] ? 0 : n ? n : 1;
        b->n_li = s->n_list;
        b->li_base = spilled[1] ? s->n_list : 0;
        b->li_cap = spilled[1] ? 0 : s->n_list ? s->n_list : 1;
    }

    /* Profile rows: those of the accounts the pool took are copied; an
     * account past a frozen pool has its row logged, as the deduplicator's
     * k-th occurrence (its strings went in first, in id order), and folded
     * at write time (builder_acct.c). */
    na = b->ns[LS_NS_ACCOUNT].n;
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
    for (size_t i = na; i < s->ns[LS_NS_ACCOUNT].n; i++) {
        const uint32_t str[5] = { s->acc_screen[i], s->acc_display[i], s->acc_location[i],
                                  s->acc_description[i], s->acc_url[i] };
        if ((st = ls__builder_acct_log_loaded(b, i - na, str, s->acc_lang[i], s->acc_created[i],
                                              s->acc_followers[i], s->acc_following[i])))
            goto done;
    }
    /* No fingerprints of earlier rows: each account's first row here
     * takes the full path. */
    ls__free(b->acc_fp);
    if (!(b->acc_fp = ls__calloc(na ? na : 1, 2 * sizeof *b->acc_fp))) {
        st = ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory loading the store");
        goto done;
    }
    b->n_acc = na;
    b->acc_cap = na ? na : 1;
    b->acc_prof = 1;

    /* The duplicate flags of the posts the pool holds (those past it are
     * the deduplicator's). */
    b->post_cap = b->ns[LS_NS_POST].n ? b->ns[LS_NS_POST].n : 1;
    b->post_has_ev = ls__calloc(b->post_cap, 1);
    if (!b->post_has_ev) { st = ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory loading the store"); goto done; }
    for (size_t i = 0; i < n; i++)
        if (s->ev_post[i] < b->ns[LS_NS_POST].n) b->post_has_ev[s->ev_post[i]] = 1;

    b->diag = s->diag;
    b->rows_read = s->rows_read;
    b->n_inputs = s->n_inputs;
done:
    ls__free(has_ev);
    ls_store_close(s);
    return st;
}
