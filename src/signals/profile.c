/*
 * profile.c — per-account profile signals: creation-date cohorts against
 * the background creation rate, screen-name templates and how common they
 * are, client apps, hour-of-week activity and the UTC offset an office
 * schedule implies, language mix, retweet share, follower and following
 * counts.  All counts come from sorting integer keys, O(events + accounts).
 */
#include "signals.h"
#include <stdlib.h>

#define DAY_MS 86400000LL
#define HOUR_MS 3600000LL

void ls__profiles_free(ls__profiles *P)
{
    ls__free(P->p);
    memset(P, 0, sizeof *P);
}

void ls__name_template(ls__str name, char *tmpl, size_t cap_t, char *shape, size_t cap_s)
{
    size_t nt = 0, ns = 0;
    char last = 0;
    for (size_t i = 0; i < name.n; i++) {
        unsigned char c = (unsigned char)name.p[i];
        char k;
        if (c >= 'A' && c <= 'Z') k = 'A';
        else if (c >= 'a' && c <= 'z') k = 'a';
        else if (c >= '0' && c <= '9') k = '9';
        else if (c == '_') k = '_';
        else if (c >= 0xC0) k = 'U';            /* a non-ASCII letter: lead byte */
        else if (c >= 0x80) continue;           /* continuation bytes */
        else k = '-';
        if (nt + 1 < cap_t) tmpl[nt++] = k;
        if (k != last && ns + 1 < cap_s) shape[ns++] = k;
        last = k;
    }
    if (cap_t) tmpl[nt] = 0;
    if (cap_s) shape[ns] = 0;
}

int ls__office_offset(const uint32_t hours[168], double *score)
{
    uint64_t total = 0;
    for (int h = 0; h < 168; h++) total += hours[h];
    int best = 0;
    double bs = -1;
    /* Prefer offsets nearest to 0 on ties: try 0, +1, -1, +2, -2, ... */
    for (int k = 0; k <= 28; k++) {
        int off = (k % 2 ? 1 : -1) * ((k + 1) / 2);
        if (off < -12 || off > 14) continue;
        uint64_t in = 0;
        for (int h = 0; h < 168; h++) {
            int local = ((h + off) % 168 + 168) % 168;
            int day = local / 24, hr = local % 24;
            if (day < 5 && hr >= 9 && hr < 18) in += hours[h];
        }
        double s = total ? (double)in / (double)total : 0;
        if (s > bs + 1e-12) { bs = s; best = off; }
    }
    *score = bs < 0 ? 0 : bs;
    return best;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Top-3 (id, count) per account from keys account << 16 | id, sorted. */
static void top3(ls__profiles *P, const uint64_t *k, size_t n, int lang)
{
    for (size_t s = 0; s < n;) {
        size_t e = s + 1;
        while (e < n && k[e] == k[s]) e++;
        uint32_t acc = (uint32_t)(k[s] >> 16);
        uint16_t id = (uint16_t)k[s];
        uint64_t c = e - s;
        ls__profile *p = &P->p[acc];
        uint16_t *ids = lang ? p->top_lang : p->top_client;
        uint64_t *cs = lang ? p->top_lang_n : p->top_client_n;
        for (int q = 0; q < 3; q++) {
            if (c > cs[q]) {
                for (int r = 2; r > q; r--) { ids[r] = ids[r - 1]; cs[r] = cs[r - 1]; }
                ids[q] = id; cs[q] = c;
                break;
            }
        }
        s = e;
    }
}

int ls__profiles_compute(ls_ctx *ctx, const ls_store *st, ls__profiles *out)
{
    int rc = LS_OK;
    uint32_t na = st->ns[LS_NS_ACCOUNT].n;
    uint64_t *keys = NULL, *tmp = NULL;
    memset(out, 0, sizeof *out);
    out->p = ls__calloc(na ? na : 1, sizeof *out->p);
    keys = ls__malloc((st->n_events + na + 1) * sizeof *keys);
    tmp = ls__malloc((st->n_events + na + 1) * sizeof *tmp);
    if (!out->p || !keys || !tmp) { rc = ls__fail(ctx, LS_ERR_NOMEM, "profile: out of memory"); goto done; }
    out->n = na;
    for (uint32_t a = 0; a < na; a++) {
        ls__profile *p = &out->p[a];
        p->account = a;
        p->created_ms = st->acc_created ? st->acc_created[a] : LS__TIME_NONE;
        p->followers = st->acc_followers ? st->acc_followers[a] : -1;
        p->following = st->acc_following ? st->acc_following[a] : -1;
        for (int q = 0; q < 3; q++) p->top_client[q] = p->top_lang[q] = 0xFFFF;
    }
    for (uint64_t i = 0; i < st->n_events; i++) {
        uint32_t a = st->ev_account[i];
        if (a >= na) continue;
        ls__profile *p = &out->p[a];
        p->posts++;
        if (st->ev_kind[i] == LS_KIND_RETWEET) p->retweets++;
        int64_t t = st->ev_time[i];
        int64_t hrs = t >= 0 ? t / HOUR_MS : (t - HOUR_MS + 1) / HOUR_MS;
        int64_t dys = hrs >= 0 ? hrs / 24 : (hrs - 23) / 24;
        int dow = (int)(((dys + 3) % 7 + 7) % 7);           /* 1970-01-01 was a Thursday */
        int h = (int)((hrs % 24 + 24) % 24);
        p->hours[dow * 24 + h]++;
    }
    for (uint32_t a = 0; a < na; a++) {
        ls__profile *p = &out->p[a];
        p->retweet_share = p->posts ? (double)p->retweets / (double)p->posts : 0;
        p->utc_offset = ls__office_offset(p->hours, &p->office_score);
    }
    /* Clients and languages: sort (account, id) keys, count runs. */
    for (int lang = 0; lang < 2; lang++) {
        const uint16_t *col = lang ? st->ev_lang : st->ev_client;
        if (!col) continue;
        size_t m = 0;
        for (uint64_t i = 0; i < st->n_events; i++)
            if (col[i] != 0xFFFF && st->ev_account[i] < na) keys[m++] = (uint64_t)st->ev_account[i] << 16 | col[i];
        ls__radix_u64(keys, tmp, m);
        top3(out, keys, m, lang);
    }
    /* Name templates: sort (template hash, account) and count. */
    {
        size_t m = 0;
        for (uint32_t a = 0; a < na; a++) {
            ls__profile *p = &out->p[a];
            uint32_t k = st->acc_screen ? st->acc_screen[a] : LS__NONE;
            if (k == LS__NONE || k >= st->ns[LS_NS_NAME].n) continue;
            ls__name_template(ls__strtab_get(&st->ns[LS_NS_NAME], k), p->name_template,
                              sizeof p->name_template, p->name_shape, sizeof p->name_shape);
            keys[m++] = ls__hash64(p->name_template, strlen(p->name_template), 7) & ~0xffffffffULL;
            keys[m - 1] |= a;
        }
        ls__radix_u64(keys, tmp, m);
        for (size_t s = 0; s < m;) {
            size_t e = s + 1;
            while (e < m && (keys[e] >> 32) == (keys[s] >> 32)) e++;
            for (size_t q = s; q < e; q++) out->p[(uint32_t)keys[q]].template_count = (uint32_t)(e - s);
            s = e;
        }
    }
    /* Creation cohorts: accounts per creation day; cohort = created within
     * one day either side; ratio = that day's count over the median daily
     * count of the 30 days around it (days without creations count 0). */
    {
        size_t m = 0;
        for (uint32_t a = 0; a < na; a++)
            if (out->p[a].created_ms != LS__TIME_NONE)
                keys[m++] = (uint64_t)((out->p[a].created_ms / DAY_MS) + (1LL << 40));
        qsort(keys, m, sizeof *keys, cmp_u64);
        for (uint32_t a = 0; a < na; a++) {
            ls__profile *p = &out->p[a];
            if (p->created_ms == LS__TIME_NONE) continue;
            uint64_t d = (uint64_t)((p->created_ms / DAY_MS) + (1LL << 40));
            uint32_t win[31] = { 0 };
            /* Binary search the first key >= d - 15. */
            size_t lo = 0, hi = m;
            while (lo < hi) { size_t mid = (lo + hi) / 2; if (keys[mid] < d - 15) lo = mid + 1; else hi = mid; }
            for (size_t q = lo; q < m && keys[q] <= d + 15; q++) win[keys[q] - (d - 15)]++;
            p->cohort_size = win[14] + win[15] + win[16];
            uint32_t bg[30];
            int nb = 0;
            for (int q = 0; q < 31; q++) if (q != 15) bg[nb++] = win[q];
            for (int x = 1; x < nb; x++) { uint32_t v = bg[x]; int y = x; while (y > 0 && bg[y - 1] > v) { bg[y] = bg[y - 1]; y--; } bg[y] = v; }
            double med = (bg[14] + bg[15]) / 2.0;
            p->cohort_ratio = (double)win[15] / (med < 1 ? 1 : med);
        }
    }
done:
    ls__free(keys);
    ls__free(tmp);
    if (rc != LS_OK) ls__profiles_free(out);
    return rc;
}
