/*
 * records.c — what each co-action layer sees: one record per (object,
 * event) pair, packed as object << 32 | event_index << 1 | passive.
 *
 * The object of a layer is a dense id that can be named from the store
 * (a post, a URL, a representative text, ...), so evidence can always be
 * printed.  Text keys are computed once per distinct text id, not per
 * event.  See docs/networks.md for the definitions.  The text layers
 * (co_tweet, co_similar_tweet) are in records_text.c.
 */
#include "signals.h"

static const char *const layer_names[LS_L_COUNT] = {
    "co_retweet", "co_quote", "co_reply", "co_tweet", "co_similar_tweet",
    "co_link", "co_domain", "co_hashtag", "co_mention", "co_image", "co_post", "co_text"
};

const char *ls__layer_name(int layer)
{
    return layer >= 0 && layer < LS_L_COUNT ? layer_names[layer] : "?";
}

int ls__layer_parse(const char *name)
{
    if (!name) return -1;
    for (int i = 0; i < LS_L_COUNT; i++) {
        if (strcmp(name, layer_names[i]) == 0 || strcmp(name, layer_names[i] + 3) == 0)
            return i;
    }
    return -1;
}

int ls__layer_obj_kind(int layer, int qut)
{
    switch (layer) {
    case LS_L_RETWEET: case LS_L_QUOTE: case LS_L_REPLY: return LS_OBJ_POST;
    case LS_L_TWEET: case LS_L_SIMILAR: case LS_L_TEXT: return LS_OBJ_TEXT;
    case LS_L_LINK: return LS_OBJ_URL;
    case LS_L_DOMAIN: return LS_OBJ_DOMAIN;
    case LS_L_HASHTAG: return LS_OBJ_EVENT;
    case LS_L_MENTION: return LS_OBJ_ACCOUNT;
    case LS_L_IMAGE: return LS_OBJ_IMAGE;
    default: return qut ? LS_OBJ_BUCKET : LS_OBJ_BUCKET;
    }
}

void ls__co_opts_default(ls__co_opts *o)
{
    memset(o, 0, sizeof *o);
    o->window_ms = 60000;
    o->min_weight = 1;
    o->cap = 1000;
    o->sim_threshold = 0;   /* auto: 0.8 word sets (qut), 0.6 shingles */
    o->seed = 0x10c4573bULL;
}

void ls__recs_free(ls__recs *R)
{
    ls__free(R->r);
    memset(R, 0, sizeof *R);
}

int ls__recs_push(ls__recs *R, uint32_t obj, uint64_t ev, int passive)
{
    if (R->n == R->cap && ls__big_grow((void **)&R->r, &R->cap, R->n + 1, sizeof *R->r) != LS_OK)
        return LS_ERR_NOMEM;
    R->r[R->n++] = (uint64_t)obj << 32 | ev << 1 | (uint64_t)(passive != 0);
    return LS_OK;
}

/* Distinct list entries of one type on event i, pushed as objects. */
static int push_list(ls__recs *R, const ls_store *st, uint64_t i, int type)
{
    uint32_t lo = st->ev_list[i], hi = st->ev_list[i + 1];
    for (uint32_t k = lo; k < hi; k++) {
        if (st->li_type[k] != type) continue;
        uint32_t id = st->li_id[k];
        int dup = 0;
        for (uint32_t q = lo; q < k && !dup; q++)
            dup = st->li_type[q] == type && st->li_id[q] == id;
        if (!dup && ls__recs_push(R, id, i, 0) != LS_OK) return LS_ERR_NOMEM;
    }
    return LS_OK;
}

/* co_hashtag: the object is one burst of the same set of distinct
 * hashtags: a run of its uses with no gap longer than the window, named by
 * its first event.  A set pushed in twelve waves is twelve objects, so the
 * accounts that join wave after wave co-act on twelve objects, not one
 * (an edge needs two); a set in use all the time stays one object.
 * Events are in time order in the store. */
static int emit_hashtag(ls_ctx *ctx, const ls_store *st, const ls__co_opts *o, ls__recs *R)
{
    int rc = LS_OK;
    ls__intern in;
    uint32_t *set = NULL, *rep = NULL;
    int64_t *last = NULL;
    size_t cap = 0, rep_cap = 0, last_cap = 0;
    ls__intern_init(&in);
    for (uint64_t i = 0; i < st->n_events; i++) {
        if (!ls__is_nonretweet(st, i)) continue;
        size_t m = 0;
        for (uint32_t k = st->ev_list[i]; k < st->ev_list[i + 1]; k++) {
            if (st->li_type[k] != LS_LI_HASHTAG) continue;
            if ((rc = ls__grow((void **)&set, &cap, m + 1, sizeof *set)) != LS_OK) goto done;
            uint32_t x = st->li_id[k];
            size_t j = m;
            while (j > 0 && set[j - 1] > x) { set[j] = set[j - 1]; j--; }
            set[j] = x;
            m++;
        }
        size_t u = 0;
        for (size_t j = 0; j < m; j++) if (u == 0 || set[u - 1] != set[j]) set[u++] = set[j];
        if (u == 0) continue;
        uint32_t id;
        size_t before = in.n;
        if ((rc = ls__intern_put(&in, (ls__str){ (const char *)set, u * sizeof *set }, &id)) != LS_OK)
            goto done;
        if (in.n > before) {
            if ((rc = ls__grow((void **)&rep, &rep_cap, in.n, sizeof *rep)) != LS_OK) goto done;
            if ((rc = ls__grow((void **)&last, &last_cap, in.n, sizeof *last)) != LS_OK) goto done;
        }
        if (in.n > before || st->ev_time[i] - last[id] > o->window_ms) {
            if (i > UINT32_MAX - 1) { rc = LS_ERR_LIMIT; goto done; }
            rep[id] = (uint32_t)i;
        }
        last[id] = st->ev_time[i];
        if ((rc = ls__recs_push(R, rep[id], i, 0)) != LS_OK) goto done;
    }
done:
    if (rc != LS_OK) ls__fail(ctx, rc, "co_hashtag: out of memory");
    ls__free(set); ls__free(rep); ls__free(last);
    ls__intern_free(&in);
    return rc;
}

int ls__records_emit(ls_ctx *ctx, const ls_store *st, int layer,
                     const ls__co_opts *o, ls__recs *R)
{
    int rc = LS_OK;
    memset(R, 0, sizeof *R);
    R->obj_kind = ls__layer_obj_kind(layer, o->qut);
    if (st->n_events >= (1ULL << 31))
        return ls__fail(ctx, LS_ERR_LIMIT, "co-action: more than 2^31 events in one store");
    switch (layer) {
    case LS_L_TWEET: return ls__emit_tweet(ctx, st, o, R);
    case LS_L_SIMILAR: return o->qut ? ls__emit_similar_qut(ctx, st, o, R) : ls__emit_similar(ctx, st, o, R);
    case LS_L_HASHTAG: return emit_hashtag(ctx, st, o, R);
    case LS_L_TEXT:
        if (o->qut) return ls__fail(ctx, LS_ERR_USAGE, "co_text has no --compat qut definition");
        return ls__emit_text(ctx, st, o, R);
    default: break;
    }
    int64_t t0 = st->n_events ? st->ev_time[0] : 0;
    int64_t bw = o->window_ms > 0 ? o->window_ms : 1;
    for (uint64_t i = 0; i < st->n_events && rc == LS_OK; i++) {
        int kind = st->ev_kind[i];
        switch (layer) {
        case LS_L_RETWEET:
            if (kind == LS_KIND_RETWEET && st->ev_ref_post[i] != LS__NONE)
                rc = ls__recs_push(R, st->ev_ref_post[i], i, 0);
            break;
        case LS_L_QUOTE:
            if (kind == LS_KIND_QUOTE && st->ev_ref_post[i] != LS__NONE)
                rc = ls__recs_push(R, st->ev_ref_post[i], i, 0);
            break;
        case LS_L_REPLY:
            if (kind != LS_KIND_RETWEET && st->ev_reply_post[i] != LS__NONE)
                rc = ls__recs_push(R, st->ev_reply_post[i], i, 0);
            break;
        case LS_L_LINK:
            if (kind != LS_KIND_RETWEET) rc = push_list(R, st, i, LS_LI_URL);
            break;
        case LS_L_DOMAIN:
            if (kind != LS_KIND_RETWEET) rc = push_list(R, st, i, LS_LI_DOMAIN);
            break;
        case LS_L_MENTION:
            if (kind != LS_KIND_RETWEET) rc = push_list(R, st, i, LS_LI_MENTION);
            break;
        case LS_L_IMAGE:
            if (kind != LS_KIND_RETWEET) rc = push_list(R, st, i, LS_LI_IMAGE);
            break;
        case LS_L_POST: {
            /* qut: one object, a sliding window over all posts.  Default:
             * Δt-wide time buckets, so that the per-object cap applies. */
            uint64_t bucket = o->qut ? 0 : (uint64_t)((st->ev_time[i] - t0) / bw);
            if (bucket > UINT32_MAX - 2) return ls__fail(ctx, LS_ERR_LIMIT, "co_post: time span too long for the window");
            rc = ls__recs_push(R, (uint32_t)bucket, i, 0);
            break;
        }
        default:
            return ls__fail(ctx, LS_ERR_USAGE, "unknown layer %d", layer);
        }
    }
    if (rc != LS_OK) return ls__fail(ctx, rc, "%s: out of memory", ls__layer_name(layer));
    return LS_OK;
}

static int put_snippet(ls__buf *b, ls__str s, size_t max)
{
    size_t n = s.n > max ? max : s.n;
    n = ls__utf8_valid_prefix(s.p, n);
    int rc = ls__buf_put(b, s.p, n);
    if (rc == LS_OK && n < s.n) rc = ls__buf_put(b, "...", 3);
    return rc;
}

int ls__object_name(const ls_store *st, int kind, uint32_t id, int64_t window_ms, ls__buf *b)
{
    const ls__strtab *t = NULL;
    switch (kind) {
    case LS_OBJ_POST: t = &st->ns[LS_NS_POST]; if (ls__buf_put(b, "post ", 5)) return LS_ERR_NOMEM; break;
    case LS_OBJ_TEXT: t = &st->ns[LS_NS_TEXT]; break;
    case LS_OBJ_URL: t = &st->ns[LS_NS_URL]; break;
    case LS_OBJ_DOMAIN: t = &st->ns[LS_NS_DOMAIN]; break;
    case LS_OBJ_ACCOUNT: t = &st->ns[LS_NS_ACCOUNT]; if (ls__buf_putc(b, '@')) return LS_ERR_NOMEM; break;
    case LS_OBJ_IMAGE: t = &st->ns[LS_NS_IMAGE]; if (ls__buf_put(b, "image ", 6)) return LS_ERR_NOMEM; break;
    case LS_OBJ_EVENT: {
        if (id >= st->n_events) return ls__buf_put(b, "?", 1);
        int first = 1;
        for (uint32_t k = st->ev_list[id]; k < st->ev_list[id + 1]; k++) {
            if (st->li_type[k] != LS_LI_HASHTAG) continue;
            if (!first && ls__buf_putc(b, ' ')) return LS_ERR_NOMEM;
            if (ls__buf_putc(b, '#')) return LS_ERR_NOMEM;
            if (put_snippet(b, ls__strtab_get(&st->ns[LS_NS_HASHTAG], st->li_id[k]), 100)) return LS_ERR_NOMEM;
            first = 0;
        }
        return LS_OK;
    }
    case LS_OBJ_BUCKET:
        return ls__buf_printf(b, "time window %u (%lld s wide)", id, (long long)(window_ms / 1000));
    default: return ls__buf_put(b, "?", 1);
    }
    if (id >= t->n) return ls__buf_put(b, "?", 1);
    ls__str s = ls__strtab_get(t, id);
    if (kind == LS_OBJ_TEXT) {
        if (ls__buf_putc(b, '"')) return LS_ERR_NOMEM;
        if (put_snippet(b, s, 120)) return LS_ERR_NOMEM;
        return ls__buf_putc(b, '"');
    }
    return put_snippet(b, s, 300);
}
