/*
 * hand_store.h — builds a struct ls_store in memory for unit tests of the
 * signals stage, so they do not depend on the store file format: string
 * namespaces are filled by a tiny linear interner, event columns are plain
 * arrays.  Add events in time order (the store contract), then hs_finish().
 * Test-sized fixed capacities; one hand store at a time.
 */
#ifndef LS_HAND_STORE_H
#define LS_HAND_STORE_H
#include "signals/signals.h"
#include <stdlib.h>

#define HS_MAXS 8192
#define HS_BLOB (1 << 20)
#define HS_MAXE 20000
#define HS_MAXL 80000

typedef struct hs_ns { char *blob; size_t used; uint64_t off[HS_MAXS + 1]; uint32_t n; } hs_ns;

typedef struct hand_store {
    struct ls_store st;
    hs_ns ns[LS_NS_COUNT];
    int64_t time[HS_MAXE];
    uint32_t post[HS_MAXE], acc[HS_MAXE], ref[HS_MAXE], refacc[HS_MAXE], rep[HS_MAXE],
        repacc[HS_MAXE], text[HS_MAXE], list[HS_MAXE + 1];
    uint8_t kind[HS_MAXE];
    uint16_t lang[HS_MAXE], client[HS_MAXE];
    uint32_t li_id[HS_MAXL];
    uint8_t li_type[HS_MAXL];
    uint64_t n, nl;
    uint32_t a_screen[HS_MAXS], a_disp[HS_MAXS], a_loc[HS_MAXS], a_desc[HS_MAXS], a_url[HS_MAXS];
    int64_t a_created[HS_MAXS], a_fol[HS_MAXS], a_fing[HS_MAXS];
    uint16_t a_lang[HS_MAXS];
} hand_store;

static inline uint32_t hs_str(hand_store *h, int ns, const char *s)
{
    hs_ns *t = &h->ns[ns];
    size_t n = strlen(s);
    for (uint32_t i = 0; i < t->n; i++)
        if (t->off[i + 1] - t->off[i] == n && memcmp(t->blob + t->off[i], s, n) == 0) return i;
    if (!t->blob) t->blob = calloc(1, HS_BLOB);
    memcpy(t->blob + t->used, s, n);
    t->used += n;
    t->off[t->n + 1] = t->used;
    uint32_t id = t->n++;
    if (ns == LS_NS_ACCOUNT) {
        h->a_screen[id] = h->a_disp[id] = h->a_loc[id] = h->a_desc[id] = h->a_url[id] = LS__NONE;
        h->a_created[id] = LS__TIME_NONE;
        h->a_fol[id] = h->a_fing[id] = -1;
        h->a_lang[id] = 0xFFFF;
    }
    return id;
}

static inline hand_store *hs_new(void)
{
    hand_store *h = calloc(1, sizeof *h);
    return h;
}

static inline void hs_free(hand_store *h)
{
    for (int i = 0; i < LS_NS_COUNT; i++) free(h->ns[i].blob);
    free(h);
}

/* Adds an event.  kind: 't' tweet, 'r' retweet of ref, 'q' quote of ref,
 * 'p' reply to ref.  list: space-separated "#tag", "u:url", "d:domain",
 * "@account", "i:image" items (may be NULL). */
static inline uint64_t hs_ev(hand_store *h, int64_t t_ms, const char *account, const char *post,
                      char kind, const char *ref, const char *text, const char *list)
{
    uint64_t i = h->n++;
    h->time[i] = t_ms;
    h->acc[i] = hs_str(h, LS_NS_ACCOUNT, account);
    h->post[i] = hs_str(h, LS_NS_POST, post);
    h->ref[i] = h->refacc[i] = h->rep[i] = h->repacc[i] = LS__NONE;
    h->kind[i] = kind == 'r' ? LS_KIND_RETWEET : kind == 'q' ? LS_KIND_QUOTE
               : kind == 'p' ? LS_KIND_REPLY : LS_KIND_TWEET;
    if (ref && (kind == 'r' || kind == 'q')) h->ref[i] = hs_str(h, LS_NS_POST, ref);
    if (ref && kind == 'p') h->rep[i] = hs_str(h, LS_NS_POST, ref);
    h->text[i] = text ? hs_str(h, LS_NS_TEXT, text) : LS__NONE;
    h->lang[i] = h->client[i] = 0xFFFF;
    h->list[i] = (uint32_t)h->nl;
    if (list) {
        char buf[1024];
        snprintf(buf, sizeof buf, "%s", list);
        for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " ")) {
            int ty, ns; const char *v = tok;
            if (tok[0] == '#') { ty = LS_LI_HASHTAG; ns = LS_NS_HASHTAG; v++; }
            else if (tok[0] == '@') { ty = LS_LI_MENTION; ns = LS_NS_ACCOUNT; v++; }
            else if (!strncmp(tok, "u:", 2)) { ty = LS_LI_URL; ns = LS_NS_URL; v += 2; }
            else if (!strncmp(tok, "d:", 2)) { ty = LS_LI_DOMAIN; ns = LS_NS_DOMAIN; v += 2; }
            else { ty = LS_LI_IMAGE; ns = LS_NS_IMAGE; v += 2; }
            h->li_type[h->nl] = (uint8_t)ty;
            h->li_id[h->nl++] = hs_str(h, ns, v);
        }
    }
    h->list[i + 1] = (uint32_t)h->nl;
    return i;
}

static inline void hs_meta(hand_store *h, uint64_t i, const char *lang, const char *client)
{
    if (lang) h->lang[i] = (uint16_t)hs_str(h, LS_NS_LANG, lang);
    if (client) h->client[i] = (uint16_t)hs_str(h, LS_NS_CLIENT, client);
}

static inline struct ls_store *hs_finish(hand_store *h)
{
    struct ls_store *s = &h->st;
    for (int i = 0; i < LS_NS_COUNT; i++) {
        if (!h->ns[i].blob) h->ns[i].blob = calloc(1, 16);
        s->ns[i].n = h->ns[i].n;
        s->ns[i].blob = h->ns[i].blob;
        s->ns[i].off = h->ns[i].off;
    }
    s->n_events = h->n;
    s->ev_time = h->time; s->ev_post = h->post; s->ev_account = h->acc;
    s->ev_ref_post = h->ref; s->ev_ref_account = h->refacc;
    s->ev_reply_post = h->rep; s->ev_reply_account = h->repacc;
    s->ev_text = h->text; s->ev_list = h->list; s->ev_kind = h->kind;
    s->ev_lang = h->lang; s->ev_client = h->client;
    s->n_list = h->nl; s->li_id = h->li_id; s->li_type = h->li_type;
    s->acc_screen = h->a_screen; s->acc_display = h->a_disp; s->acc_created = h->a_created;
    s->acc_followers = h->a_fol; s->acc_following = h->a_fing; s->acc_lang = h->a_lang;
    s->acc_location = h->a_loc; s->acc_description = h->a_desc; s->acc_url = h->a_url;
    return s;
}

/* Index of account string in the store (or LS__NONE). */
static inline uint32_t hs_acc(hand_store *h, const char *a)
{
    hs_ns *t = &h->ns[LS_NS_ACCOUNT];
    size_t n = strlen(a);
    for (uint32_t i = 0; i < t->n; i++)
        if (t->off[i + 1] - t->off[i] == n && memcmp(t->blob + t->off[i], a, n) == 0) return i;
    return LS__NONE;
}
#endif
