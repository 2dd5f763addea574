/*
 * evidence.c — one readable line per account saying why it is in its
 * network: the co-actions that tie it to other members, the amplification
 * it gives or receives, and the profile facts its network shares (creation
 * burst, name template, client, followers, schedule).  Every number comes
 * from the tallies below or the network signals; no text is interpreted.
 */
#include "networks.h"
#include <limits.h>
#include <stdlib.h>

void ls__det_fmt_day(int32_t day, char out[11])
{
    /* Civil date from days since 1970-01-01 (Howard Hinnant's algorithm). */
    int64_t z = (int64_t)day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t dd = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2) y++;
    unsigned yy = (unsigned)LS__MAX(LS__MIN(y, 9999), 0), mm = (unsigned)m % 100u, de = (unsigned)dd % 100u;
    out[0] = (char)('0' + yy / 1000); out[1] = (char)('0' + yy / 100 % 10);
    out[2] = (char)('0' + yy / 10 % 10); out[3] = (char)('0' + yy % 10); out[4] = '-';
    out[5] = (char)('0' + mm / 10); out[6] = (char)('0' + mm % 10); out[7] = '-';
    out[8] = (char)('0' + de / 10); out[9] = (char)('0' + de % 10); out[10] = 0;
}

int ls__det_tally(ls__det *d)
{
    const ls_store *st = d->st;
    uint32_t A = d->n_acc;
    uint64_t *pk = NULL, *tmp = NULL;
    int rc = LS_OK;
    d->apart = ls__calloc(A ? A : 1, sizeof *d->apart);
    d->alay = ls__calloc((size_t)(A ? A : 1) * LS__NL, sizeof *d->alay);
    d->arecv = ls__calloc(A ? A : 1, sizeof *d->arecv);
    d->arecv_from = ls__calloc(A ? A : 1, sizeof *d->arecv_from);
    d->afast = ls__calloc(A ? A : 1, sizeof *d->afast);
    /* The keys are a subset of the amplification events: their scratch. */
    pk = d->amp_k;
    tmp = d->amp_t;
    if (!d->apart || !d->alay || !d->arecv || !d->arecv_from || !d->afast || !pk || !tmp) {
        rc = ls__fail(d->ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done;
    }
    for (size_t i = 0; i < d->n_e; i++) {
        const ls__fedge *e = &d->e[i];
        if (d->net_of[e->u] == LS__NONE || d->net_of[e->u] != d->net_of[e->v]) continue;
        d->apart[e->u]++; d->apart[e->v]++;
        for (int l = 0; l < LS__NL; l++) {
            d->alay[(size_t)e->u * LS__NL + l] += e->cnt[l];
            d->alay[(size_t)e->v * LS__NL + l] += e->cnt[l];
        }
    }
    size_t np = 0;
    for (uint64_t i = 0; i < st->n_events; i++) {
        int k = st->ev_kind[i];
        uint32_t p = st->ev_ref_post[i];
        if ((k != LS_KIND_RETWEET && k != LS_KIND_QUOTE) || p == LS__NONE) continue;
        uint32_t x = st->ev_account[i], y = d->post_author[p];
        if (y == LS__NONE || y == x || d->net_of[y] == LS__NONE || d->net_of[x] != d->net_of[y]) continue;
        d->arecv[y]++;
        pk[np++] = (uint64_t)y << 32 | x;
        if (d->ev_bits[i] & LS__EVB_FAST_RT_TRUNC) d->afast[x]++;
    }
    ls__radix_u64(pk, tmp, np);
    for (size_t i = 0; i < np; i++)
        if (i == 0 || pk[i] != pk[i - 1]) d->arecv_from[pk[i] >> 32]++;
done:
    return rc;
}

static int put_count(ls__buf *b, uint64_t n)
{
    /* 4112 -> "4,112": easier to read in a sentence. */
    char t[32], o[48];
    int k = snprintf(t, sizeof t, "%llu", (unsigned long long)n), j = 0;
    for (int i = 0; i < k; i++) {
        if (i && (k - i) % 3 == 0) o[j++] = ',';
        o[j++] = t[i];
    }
    return ls__buf_put(b, o, (size_t)j);
}

int ls__det_evidence(const ls__det *d, uint32_t a, ls__buf *b)
{
    const ls_store *st = d->st;
    uint32_t n = d->net_of[a];
    int err = 0;
    const char *sep = "";
    if (n == LS__NONE) return LS_OK;
    const ls__net *N = &d->net[n];
    const ls__dacct *x = &d->acc[a];
#define SEP() do { err |= ls__buf_printf(b, "%s", sep); sep = "; "; } while (0)
    if (d->apart[a]) {
        SEP();
        err |= ls__buf_printf(b, "co-acted with ");
        err |= put_count(b, d->apart[a]);
        err |= ls__buf_printf(b, " network account%s (", d->apart[a] == 1 ? "" : "s");
        const char *s2 = "";
        for (int l = 0; l < LS__NL; l++) {
            uint32_t c = d->alay[(size_t)a * LS__NL + l];
            if (!c) continue;
            err |= ls__buf_printf(b, "%s%s %u", s2, l == LS__L_AMPLIFY ? "amplify" : ls__layer_name(l), c);
            s2 = ", ";
        }
        err |= ls__buf_printf(b, ")");
    }
    if (d->acamp[a]) {
        SEP();
        err |= ls__buf_printf(b, "retweeted/quoted ");
        err |= put_count(b, d->acamp[a]);
        err |= ls__buf_printf(b, " network posts");
        if (d->afast[a]) err |= ls__buf_printf(b, " (%u within %g s)", d->afast[a], d->o->rt_window_s);
        if (x->amps) err |= ls__buf_printf(b, ", %.0f%% of its amplification",
                                           100.0 * LS__MIN(1.0, (double)d->acamp[a] / x->amps));
    }
    if (d->arecv[a]) {
        SEP();
        err |= ls__buf_printf(b, "its posts were amplified ");
        err |= put_count(b, d->arecv[a]);
        err |= ls__buf_printf(b, " times by ");
        err |= put_count(b, d->arecv_from[a]);
        err |= ls__buf_printf(b, " network account%s", d->arecv_from[a] == 1 ? "" : "s");
    }
    if (x->created_day != INT32_MIN) {
        char day[11];
        ls__det_fmt_day(x->created_day, day);
        SEP();
        err |= ls__buf_printf(b, "created %s", day);
        if (d->aflag[a] & 1) err |= ls__buf_printf(b, " in a creation burst of the network");
    }
    if ((d->aflag[a] & 2) && x->tmpl != LS__NONE) {
        ls__str t = ls__intern_get(&d->tmpl, x->tmpl);
        SEP();
        err |= ls__buf_printf(b, "name template %.*s", (int)t.n, t.p);
    }
    if ((d->aflag[a] & 4) && x->client != 0xFFFF) {
        ls__str c = ls__strtab_get(&st->ns[LS_NS_CLIENT], x->client);
        SEP();
        err |= ls__buf_printf(b, "client %.*s", (int)c.n, c.p);
    }
    if (st->acc_followers && st->acc_followers[a] >= 0) {
        SEP();
        err |= put_count(b, (uint64_t)st->acc_followers[a]);
        err |= ls__buf_printf(b, " follower%s", st->acc_followers[a] == 1 ? "" : "s");
    }
    if (x->posts) {
        SEP();
        err |= ls__buf_printf(b, "%.0f%% of activity is amplification of the network",
                              100.0 * LS__MIN(1.0, (double)d->acamp[a] / x->posts));
        if (N->sig[SIG_SCHEDULE] >= 0.3)
            err |= ls__buf_printf(b, "; %.0f%% of posts in weekday office hours UTC%+d", 100.0 * d->aoffice[a],
                                  N->utc_offset);
    }
#undef SEP
    return err ? LS_ERR_NOMEM : LS_OK;
}
