/*
 * builder.h — the builder's state, private to src/store/builder*.c.
 *
 * Events are kept as growable column arrays in arrival order; the list
 * entries of event i are li_*[ev_list[i] .. ev_list[i+1]) (the last bound
 * is n_li).  Accounts get one profile row per LS_NS_ACCOUNT id, created
 * the moment the id is first interned.  Retweets whose author is known
 * only by screen name wait in rt_* until ls__builder_write resolves them.
 */
#ifndef LS_STORE_BUILDER_H
#define LS_STORE_BUILDER_H

#include "store.h"
#include "pool.h"

struct ls__builder {
    ls_ctx *ctx;
    ls__pool ns[LS_NS_COUNT];

    /* events, arrival order */
    size_t n_ev, ev_cap;
    int64_t *ev_time;
    uint32_t *ev_post, *ev_account, *ev_ref_post, *ev_ref_account;
    uint32_t *ev_reply_post, *ev_reply_account, *ev_text, *ev_list;
    uint8_t *ev_kind;
    uint16_t *ev_lang, *ev_client;

    /* list entries */
    size_t n_li, li_cap;
    uint32_t *li_id;
    uint8_t *li_type;

    /* one flag per LS_NS_POST id: 1 once an event with that id exists */
    uint8_t *post_has_ev;
    size_t post_cap;

    /* account profiles, one row per LS_NS_ACCOUNT id */
    size_t n_acc, acc_cap;
    uint32_t *acc_screen, *acc_display, *acc_location, *acc_description, *acc_url;
    int64_t *acc_created, *acc_followers, *acc_following;
    uint16_t *acc_lang;

    /* pending "RT @name" authors: event index and LS_NS_NAME id */
    size_t n_rt, rt_cap;
    uint32_t *rt_ev, *rt_name;

    ls__diag diag;
    uint64_t rows_read;
    uint32_t n_inputs;
};

/* Interns an account id and makes sure it has a profile row. */
int ls__builder_account_id(ls__builder *b, ls__str id, uint32_t *out);
/* Interns s in namespace ns (LS__NONE for an empty string). */
int ls__builder_put(ls__builder *b, int ns, ls__str s, uint32_t *out);

/* Fills perm[0..n_ev) with event indices in store order (builder_sort.c). */
int ls__builder_sort(ls__builder *b, uint32_t *perm);
/* Attributes pending "RT @name" events to accounts (builder_resolve.c). */
int ls__builder_resolve(ls__builder *b);

#endif /* LS_STORE_BUILDER_H */
