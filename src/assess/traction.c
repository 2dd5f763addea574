/*
 * traction.c — how far each network got: follower distribution of its
 * accounts, engagement it received (the data's like/retweet/reply/quote
 * counts on its original posts, and the retweets, replies and quotes of
 * its posts present as events, split by whether the engaging account is
 * inside the network), the distinct organic accounts that engaged, and an
 * estimate on Ben Nimmo's Breakout Scale.
 *
 * The Breakout Scale (Nimmo 2020, Brookings) has six categories: 1 stays
 * on one platform in one community, 2 breaks out of it on one platform or
 * spreads over several platforms without breaking out, 3 breaks out on
 * several platforms, 4 is picked up by mainstream media, 5 is amplified by
 * celebrities, 6 draws a policy response or a call for violence.  One
 * platform's data can show 1-3 and a hint of 5 (an outside account with
 * >= 100,000 followers engaging); 4 and 6 need evidence from outside the
 * data, which the reasons say.
 *
 * Cost: one pass over events, O(events + accounts); the organic accounts
 * are counted by sorting (network, account) pairs.
 */
#include "assess.h"
#include <stdlib.h>

#define CELEBRITY 100000

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Domains of other platforms: linking to them is a sign of a multi-platform
 * operation. */
static int other_platform(ls__str d)
{
    static const char *const p[] = { "youtube.com", "youtu.be", "facebook.com", "fb.watch",
        "instagram.com", "t.me", "telegram.me", "weibo.com", "reddit.com", "tiktok.com", "vk.com",
        "medium.com", "pinterest.com", "linkedin.com", "bilibili.com", "douyin.com", "rumble.com",
        "gettr.com", "parler.com", "truthsocial.com", "soundcloud.com", "blogspot.com" };
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) if (ls__str_eqc(d, p[i])) return 1;
    return 0;
}

static void reason(ls__traction *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void reason(ls__traction *t, const char *fmt, ...)
{
    if (t->n_reasons >= 4) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->reasons[t->n_reasons++], sizeof t->reasons[0], fmt, ap);
    va_end(ap);
}

/* A share as a whole percentage that never rounds a part to 0% or 100%
 * ("100% from inside" must mean nobody outside engaged). */
static int pct(uint64_t part, uint64_t whole)
{
    if (!whole) return 0;
    int p = (int)(100.0 * (double)part / (double)whole + 0.5);
    if (p == 100 && part < whole) p = 99;
    if (p == 0 && part > 0) p = 1;
    return p;
}

/* The estimate and the plain sentence, from the counts. */
static void judge(ls__traction *t)
{
    uint64_t in = t->ev_in[0] + t->ev_in[1] + t->ev_in[2];
    uint64_t out = t->ev_out[0] + t->ev_out[1] + t->ev_out[2];
    double inside = in + out ? (double)in / (double)(in + out) : -1;
    double zero = t->followers_known ? (double)t->zero_followers / (double)t->followers_known : -1;
    uint64_t need = LS__MAX(10, t->n_accounts / 100);
    int broke_out = out > 0 && inside <= 0.5 && t->organic_accounts >= LS__MAX(need, 50);
    t->n_reasons = 0;
    if (!broke_out) {
        t->breakout = 1;
        if (in + out == 0)
            reason(t, "no retweets, replies or quotes of its posts in the data");
        else
            reason(t, "%d%% of the retweets, replies and quotes it received came from its own accounts; "
                   "%llu organic account%s engaged", pct(in, in + out),
                   (unsigned long long)t->organic_accounts, t->organic_accounts == 1 ? "" : "s");
        if (t->platforms_linked >= 3)
            reason(t, "links to %u other platforms, but without organic engagement", t->platforms_linked);
    } else {
        t->breakout = t->platforms_linked >= 3 ? 3 : 2;
        reason(t, "%d%% of engagement came from outside the network: %llu organic accounts engaged",
               pct(out, in + out), (unsigned long long)t->organic_accounts);
        if (t->platforms_linked >= 3)
            reason(t, "its posts link to %u other platforms", t->platforms_linked);
        if (t->max_organic_followers >= CELEBRITY) {
            t->breakout = 5;
            reason(t, "an organic account with %lld followers engaged (possible celebrity amplification; check it)",
                   (long long)t->max_organic_followers);
        }
    }
    reason(t, "categories 4 (mainstream media) and 6 (policy response) need evidence outside this data");

    const char *level = t->breakout <= 1 ? "little traction" : t->breakout == 2 ? "some traction"
                      : "broke out";
    char a[96] = "", b[120] = "";
    if (zero >= 0) snprintf(a, sizeof a, "%d%% of accounts have no followers", pct(t->zero_followers, t->followers_known));
    if (inside >= 0) snprintf(b, sizeof b, "%d%% of engagement comes from the network itself", pct(in, in + out));
    else snprintf(b, sizeof b, "no engagement in the data");
    snprintf(t->sentence, sizeof t->sentence, "%s: %s%s%s", level, a, *a ? "; " : "", b);
}

int ls__traction_compute(ls_ctx *ctx, const ls_store *st, const uint32_t *net_of,
                         uint32_t n_nets, const uint32_t *post_author, ls__traction *tr)
{
    int rc = LS_OK;
    size_t n_acc = st->ns[LS_NS_ACCOUNT].n, n_dom = st->ns[LS_NS_DOMAIN].n;
    uint64_t *pairs = NULL;
    size_t n_pairs = 0, cap = 0;
    int64_t **fol = NULL;
    uint8_t *dom_seen = NULL;
    memset(tr, 0, n_nets * sizeof *tr);
    fol = ls__calloc(n_nets + 1, sizeof *fol);
    dom_seen = ls__calloc((size_t)n_nets * (n_dom + 1) / 8 + 1, 1);
    if (!fol || !dom_seen) goto nomem;
    for (uint32_t k = 0; k < n_nets; k++) { tr[k].median_followers = -1; tr[k].max_organic_followers = -1; }

    /* Followers. */
    for (size_t a = 0; a < n_acc; a++) {
        uint32_t k = net_of[a];
        if (k == LS__NONE || k >= n_nets) continue;
        tr[k].n_accounts++;
        if (st->acc_followers[a] >= 0) tr[k].followers_known++;
    }
    for (uint32_t k = 0; k < n_nets; k++) {
        fol[k] = ls__malloc((tr[k].followers_known + 1) * sizeof **fol);
        if (!fol[k]) goto nomem;
        tr[k].followers_known = 0;
    }
    for (size_t a = 0; a < n_acc; a++) {
        uint32_t k = net_of[a];
        if (k == LS__NONE || k >= n_nets || st->acc_followers[a] < 0) continue;
        int64_t f = st->acc_followers[a];
        fol[k][tr[k].followers_known++] = f;
        tr[k].zero_followers += f == 0;
        tr[k].under8 += f < 8;
    }
    for (uint32_t k = 0; k < n_nets; k++) {
        uint64_t m = tr[k].followers_known;
        if (!m) continue;
        if (m > 1) qsort(fol[k], m, sizeof **fol, cmp_i64);
        tr[k].median_followers = m % 2 ? fol[k][m / 2] : (fol[k][m / 2 - 1] + fol[k][m / 2]) / 2;
    }

    /* Engagement. */
    for (uint64_t i = 0; i < st->n_events; i++) {
        uint32_t a = st->ev_account[i];
        uint32_t ka = a < n_acc ? net_of[a] : LS__NONE;
        int kind = st->ev_kind[i];
        if (ka != LS__NONE && ka < n_nets && kind != LS_KIND_RETWEET) {
            tr[ka].posts++;
            for (uint32_t l = st->ev_list[i]; l < st->ev_list[i + 1]; l++) {
                int ty = st->li_type[l];
                if (ty >= LS_LI_LIKES && ty <= LS_LI_QUOTES) tr[ka].cnt[ty - LS_LI_LIKES] += st->li_id[l];
                else if (ty == LS_LI_DOMAIN && st->li_id[l] < n_dom) {
                    size_t bit = (size_t)ka * (n_dom + 1) + st->li_id[l];
                    if (!(dom_seen[bit / 8] & (1u << (bit % 8)))) {
                        dom_seen[bit / 8] |= (uint8_t)(1u << (bit % 8));
                        if (other_platform(ls__strtab_get(&st->ns[LS_NS_DOMAIN], st->li_id[l])))
                            tr[ka].platforms_linked++;
                    }
                }
            }
        }
        /* What this event engages with: a retweet or quote target, and a
         * reply parent (a quote may also reply; both count). */
        uint32_t tgt[2] = { LS__NONE, LS__NONE };
        int slot[2] = { 0, 0 };
        if (kind == LS_KIND_RETWEET || kind == LS_KIND_QUOTE) {
            uint32_t t = st->ev_ref_account[i];
            if (t == LS__NONE && post_author && st->ev_ref_post[i] != LS__NONE) t = post_author[st->ev_ref_post[i]];
            tgt[0] = t; slot[0] = kind == LS_KIND_RETWEET ? 0 : 2;
        }
        if (st->ev_reply_post[i] != LS__NONE || st->ev_reply_account[i] != LS__NONE) {
            uint32_t t = st->ev_reply_account[i];
            if (t == LS__NONE && post_author && st->ev_reply_post[i] != LS__NONE) t = post_author[st->ev_reply_post[i]];
            tgt[1] = t; slot[1] = 1;
        }
        for (int j = 0; j < 2; j++) {
            uint32_t t = tgt[j];
            if (t == LS__NONE || t >= n_acc || t == a) continue;
            uint32_t k = net_of[t];
            if (k == LS__NONE || k >= n_nets) continue;
            if (ka == k) { tr[k].ev_in[slot[j]]++; continue; }
            tr[k].ev_out[slot[j]]++;
            if ((rc = ls__grow((void **)&pairs, &cap, n_pairs + 1, sizeof *pairs)) != LS_OK) goto nomem;
            pairs[n_pairs++] = (uint64_t)k << 32 | a;
        }
    }
    if (n_pairs > 1) qsort(pairs, n_pairs, sizeof *pairs, cmp_u64);
    for (size_t i = 0; i < n_pairs; i++) {
        if (i && pairs[i] == pairs[i - 1]) continue;
        uint32_t k = (uint32_t)(pairs[i] >> 32), a = (uint32_t)pairs[i];
        tr[k].organic_accounts++;
        if (st->acc_followers[a] > tr[k].max_organic_followers) tr[k].max_organic_followers = st->acc_followers[a];
    }
    for (uint32_t k = 0; k < n_nets; k++) judge(&tr[k]);
    goto done;
nomem:
    rc = ls__fail(ctx, LS_ERR_NOMEM, "traction: out of memory");
done:
    if (fol) for (uint32_t k = 0; k < n_nets; k++) ls__free(fol[k]);
    ls__free(fol);
    ls__free(pairs);
    ls__free(dom_seen);
    return rc;
}

json_t *ls__traction_json(const ls__traction *t)
{
    double fk = (double)t->followers_known;
    uint64_t in = t->ev_in[0] + t->ev_in[1] + t->ev_in[2];
    uint64_t out = t->ev_out[0] + t->ev_out[1] + t->ev_out[2];
    json_t *reasons = json_array();
    for (int i = 0; i < t->n_reasons; i++) json_array_append_new(reasons, json_string(t->reasons[i]));
    json_t *o = json_object();
    json_object_set_new(o, "sentence", json_string(t->sentence));
    json_object_set_new(o, "followers", json_pack("{s:I,s:o,s:o,s:I}",
        "known", (json_int_t)t->followers_known,
        "share_zero", t->followers_known ? ls__jreal((double)t->zero_followers / fk) : json_null(),
        "share_under_8", t->followers_known ? ls__jreal((double)t->under8 / fk) : json_null(),
        "median", (json_int_t)t->median_followers));
    json_object_set_new(o, "engagement_counts", json_pack("{s:I,s:I,s:I,s:I,s:I}",
        "posts", (json_int_t)t->posts, "likes", (json_int_t)t->cnt[0], "retweets", (json_int_t)t->cnt[1],
        "replies", (json_int_t)t->cnt[2], "quotes", (json_int_t)t->cnt[3]));
    json_object_set_new(o, "engagement_events", json_pack("{s:{s:I,s:I,s:I},s:{s:I,s:I,s:I}}",
        "inside", "retweets", (json_int_t)t->ev_in[0], "replies", (json_int_t)t->ev_in[1],
        "quotes", (json_int_t)t->ev_in[2],
        "outside", "retweets", (json_int_t)t->ev_out[0], "replies", (json_int_t)t->ev_out[1],
        "quotes", (json_int_t)t->ev_out[2]));
    json_object_set_new(o, "share_from_outside", in + out ? ls__jreal((double)out / (double)(in + out)) : json_null());
    json_object_set_new(o, "organic_accounts", json_integer((json_int_t)t->organic_accounts));
    json_object_set_new(o, "max_organic_followers", json_integer((json_int_t)t->max_organic_followers));
    json_object_set_new(o, "platforms_linked", json_integer((json_int_t)t->platforms_linked));
    json_object_set_new(o, "breakout", json_pack("{s:i,s:o}", "category", t->breakout, "reasons", reasons));
    return o;
}
