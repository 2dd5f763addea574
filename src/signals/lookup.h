/*
 * lookup.h — what the analyst-facing runners (ls_network, ls_why,
 * ls_profile) look up from user input: a list of co-action layers, and an
 * account by id or @screen_name.
 */
#ifndef LS_SIGNALS_LOOKUP_H
#define LS_SIGNALS_LOOKUP_H
#include "signals.h"

/* Parses the comma list s into layers[0..*n) (distinct, in the order
 * given).  With allow_all, "all" means every layer but co_post.  An
 * unknown name or an empty list is LS_ERR_USAGE, named in the message. */
int ls__layer_list(ls_ctx *ctx, const char *s, int allow_all, int *layers, int *n);
/* Account id of s (an id, or "@screen_name"); LS_ERR_NOTFOUND otherwise. */
int ls__find_account(ls_ctx *ctx, ls_store *st, const char *s, uint32_t *out);

#endif
