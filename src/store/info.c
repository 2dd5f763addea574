/*
 * info.c — `lockstep info`: the summary of a store, as a short table for
 * people or as one JSON object for scripts and golden tests.
 *
 * The JSON has a fixed key order (accounts, posts, tweets, retweets,
 * quotes, replies, hashtags, urls, domains, texts, images, mentions,
 * time_range, languages, clients, rows_read, inputs, rejected, repaired,
 * skipped, reasons) and depends only on the store's contents, so the same data
 * always gives the same bytes.  Counts of hashtags, urls, domains, texts
 * and images are distinct strings; mentions counts distinct mentioned
 * accounts; languages are event counts per post language, sorted by count
 * (descending) then by name; clients is the number of distinct client
 * apps.  O(events + list entries).
 */
#include "store.h"

#include <stdlib.h>
#include <time.h>

typedef struct {
    uint64_t kind[4], mentions, by_kind[3];
    uint32_t *lang_order;   /* language ids sorted for output */
    uint64_t *lang_count;
    size_t n_lang;
    int64_t first, last;
    const ls_store *s;      /* for the language comparison */
} summary;

static int cmp_lang(const void *x, const void *y, void *arg)
{
    const summary *sm = arg;
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    if (sm->lang_count[a] != sm->lang_count[b]) return sm->lang_count[a] > sm->lang_count[b] ? -1 : 1;
    ls__str sa = ls__strtab_get(&sm->s->ns[LS_NS_LANG], a);
    ls__str sb = ls__strtab_get(&sm->s->ns[LS_NS_LANG], b);
    size_t m = LS__MIN(sa.n, sb.n);
    int c = m ? memcmp(sa.p, sb.p, m) : 0;
    if (c) return c;
    return sa.n < sb.n ? -1 : sa.n > sb.n ? 1 : (a < b ? -1 : a > b);
}

static int summarise(ls_ctx *ctx, const ls_store *s, summary *sm)
{
    uint8_t *seen = NULL;
    size_t nl = s->ns[LS_NS_LANG].n, na = s->ns[LS_NS_ACCOUNT].n;
    memset(sm, 0, sizeof *sm);
    sm->first = sm->last = LS__TIME_NONE;
    sm->lang_count = ls__calloc(nl ? nl : 1, sizeof *sm->lang_count);
    sm->lang_order = ls__calloc(nl ? nl : 1, sizeof *sm->lang_order);
    seen = ls__calloc(na ? na : 1, 1);
    if (!sm->lang_count || !sm->lang_order || !seen) {
        ls__free(seen);
        return ls__fail(ctx, LS_ERR_NOMEM, "out of memory summarising %s", s->path);
    }
    for (uint64_t i = 0; i < s->n_events; i++) {
        sm->kind[s->ev_kind[i] & 3]++;
        if (s->ev_lang[i] < nl) sm->lang_count[s->ev_lang[i]]++;
        int64_t t = s->ev_time[i];
        if (t != LS__TIME_NONE) {
            if (sm->first == LS__TIME_NONE || t < sm->first) sm->first = t;
            if (sm->last == LS__TIME_NONE || t > sm->last) sm->last = t;
        }
    }
    for (uint64_t i = 0; i < s->n_list; i++)
        if (s->li_type[i] == LS_LI_MENTION && s->li_id[i] < na && !seen[s->li_id[i]]) {
            seen[s->li_id[i]] = 1;
            sm->mentions++;
        }
    ls__free(seen);
    for (size_t l = 0; l < nl; l++)
        if (sm->lang_count[l]) sm->lang_order[sm->n_lang++] = (uint32_t)l;
    sm->s = s;
    qsort_r(sm->lang_order, sm->n_lang, sizeof *sm->lang_order, cmp_lang, sm);
    for (int r = 0; r < LS_DIAG_COUNT; r++) {
        sm->by_kind[ls__diag_kind(r)] += s->diag.count[r];
    }
    return LS_OK;
}

/* ISO-8601 UTC; milliseconds only when there are any. */
static void iso_time(int64_t ms, char *out, size_t n)
{
    int64_t sec = ms / 1000, frac = ms % 1000;
    if (frac < 0) { frac += 1000; sec--; }
    time_t tt = (time_t)sec;
    struct tm tm;
    if (!gmtime_r(&tt, &tm)) { snprintf(out, n, "?"); return; }
    size_t k = strftime(out, n, "%Y-%m-%dT%H:%M:%S", &tm);
    if (frac) snprintf(out + k, n - k, ".%03dZ", (int)frac);
    else snprintf(out + k, n - k, "Z");
}

/* A JSON string; invalid UTF-8 becomes U+FFFD so the output always parses. */
static void json_str(FILE *f, const char *p, size_t n)
{
    fputc('"', f);
    size_t i = 0;
    while (i < n) {
        size_t ok = ls__utf8_valid_prefix(p + i, n - i);
        for (size_t k = i; k < i + ok; k++) {
            unsigned char c = (unsigned char)p[k];
            if (c == '"') fputs("\\\"", f);
            else if (c == '\\') fputs("\\\\", f);
            else if (c == '\n') fputs("\\n", f);
            else if (c == '\r') fputs("\\r", f);
            else if (c == '\t') fputs("\\t", f);
            else if (c < 0x20 || c == 0x7F) fprintf(f, "\\u%04x", c);
            else fputc((int)c, f);
        }
        i += ok;
        if (i < n) { fputs("\xEF\xBF\xBD", f); i++; }
    }
    fputc('"', f);
}

static void print_json(FILE *f, const ls_store *s, const summary *sm)
{
    char a[64], b[64];
    fprintf(f, "{\n");
    fprintf(f, "  \"accounts\": %u,\n", s->ns[LS_NS_ACCOUNT].n);
    fprintf(f, "  \"posts\": %llu,\n", (unsigned long long)s->n_events);
    fprintf(f, "  \"tweets\": %llu,\n", (unsigned long long)sm->kind[LS_KIND_TWEET]);
    fprintf(f, "  \"retweets\": %llu,\n", (unsigned long long)sm->kind[LS_KIND_RETWEET]);
    fprintf(f, "  \"quotes\": %llu,\n", (unsigned long long)sm->kind[LS_KIND_QUOTE]);
    fprintf(f, "  \"replies\": %llu,\n", (unsigned long long)sm->kind[LS_KIND_REPLY]);
    fprintf(f, "  \"hashtags\": %u,\n", s->ns[LS_NS_HASHTAG].n);
    fprintf(f, "  \"urls\": %u,\n", s->ns[LS_NS_URL].n);
    fprintf(f, "  \"domains\": %u,\n", s->ns[LS_NS_DOMAIN].n);
    fprintf(f, "  \"texts\": %u,\n", s->ns[LS_NS_TEXT].n);
    fprintf(f, "  \"images\": %u,\n", s->ns[LS_NS_IMAGE].n);
    fprintf(f, "  \"mentions\": %llu,\n", (unsigned long long)sm->mentions);
    if (sm->first == LS__TIME_NONE) {
        fprintf(f, "  \"time_range\": null,\n");
    } else {
        iso_time(sm->first, a, sizeof a);
        iso_time(sm->last, b, sizeof b);
        fprintf(f, "  \"time_range\": {\"first\": \"%s\", \"last\": \"%s\"},\n", a, b);
    }
    fprintf(f, "  \"languages\": {");
    for (size_t i = 0; i < sm->n_lang; i++) {
        ls__str l = ls__strtab_get(&s->ns[LS_NS_LANG], sm->lang_order[i]);
        fprintf(f, "%s", i ? ", " : "");
        json_str(f, l.p, l.n);
        fprintf(f, ": %llu", (unsigned long long)sm->lang_count[sm->lang_order[i]]);
    }
    fprintf(f, "},\n");
    fprintf(f, "  \"clients\": %u,\n", s->ns[LS_NS_CLIENT].n);
    fprintf(f, "  \"rows_read\": %llu,\n", (unsigned long long)s->rows_read);
    fprintf(f, "  \"inputs\": %u,\n", s->n_inputs);
    for (int k = LS_DIAG_REJECTED; k <= LS_DIAG_SKIPPED; k++)
        fprintf(f, "  \"%s\": %llu,\n", ls__diag_kind_name(k), (unsigned long long)sm->by_kind[k]);
    fprintf(f, "  \"reasons\": {");
    int first = 1;
    for (int r = 0; r < LS_DIAG_COUNT; r++) {
        if (!s->diag.count[r]) continue;
        fprintf(f, "%s\n    \"%s\": {\"kind\": \"%s\", \"count\": %llu, \"examples\": [",
                first ? "" : ",", ls__diag_key(r), ls__diag_kind_name(ls__diag_kind(r)),
                (unsigned long long)s->diag.count[r]);
        first = 0;
        for (int k = 0; k < LS_DIAG_EXAMPLES && s->diag.example[r][k][0]; k++) {
            fprintf(f, "%s", k ? ", " : "");
            json_str(f, s->diag.example[r][k], strlen(s->diag.example[r][k]));
        }
        fprintf(f, "]}");
    }
    fprintf(f, "%s}\n}\n", first ? "" : "\n  ");
}

static void print_text(FILE *f, const ls_store *s, const summary *sm)
{
    char a[64], b[64];
    fprintf(f, "store      %s\n", s->path);
    fprintf(f, "inputs     %u file%s, %llu rows read\n", s->n_inputs, s->n_inputs == 1 ? "" : "s",
            (unsigned long long)s->rows_read);
    fprintf(f, "posts      %llu (tweets %llu, retweets %llu, quotes %llu, replies %llu)\n",
            (unsigned long long)s->n_events, (unsigned long long)sm->kind[0],
            (unsigned long long)sm->kind[1], (unsigned long long)sm->kind[2],
            (unsigned long long)sm->kind[3]);
    fprintf(f, "accounts   %u\n", s->ns[LS_NS_ACCOUNT].n);
    fprintf(f, "distinct   %u hashtags, %u urls, %u domains, %u texts, %u images, %llu mentioned accounts\n",
            s->ns[LS_NS_HASHTAG].n, s->ns[LS_NS_URL].n, s->ns[LS_NS_DOMAIN].n, s->ns[LS_NS_TEXT].n,
            s->ns[LS_NS_IMAGE].n, (unsigned long long)sm->mentions);
    if (sm->first != LS__TIME_NONE) {
        iso_time(sm->first, a, sizeof a);
        iso_time(sm->last, b, sizeof b);
        fprintf(f, "time       %s .. %s\n", a, b);
    }
    fprintf(f, "languages ");
    for (size_t i = 0; i < sm->n_lang && i < 10; i++) {
        ls__str l = ls__strtab_get(&s->ns[LS_NS_LANG], sm->lang_order[i]);
        fprintf(f, " %.*s %llu%s", (int)l.n, l.p, (unsigned long long)sm->lang_count[sm->lang_order[i]],
                i + 1 < sm->n_lang && i < 9 ? "," : "");
    }
    fprintf(f, "%s\n", sm->n_lang > 10 ? " ..." : sm->n_lang ? "" : " none");
    fprintf(f, "clients    %u\n", s->ns[LS_NS_CLIENT].n);
    for (int k = LS_DIAG_REJECTED; k <= LS_DIAG_SKIPPED; k++) {
        if (k == LS_DIAG_SKIPPED && !sm->by_kind[k]) continue;   /* only streams have them */
        fprintf(f, "%-8s   %llu\n", ls__diag_kind_name(k), (unsigned long long)sm->by_kind[k]);
        for (int r = 0; r < LS_DIAG_COUNT; r++) {
            if (!s->diag.count[r] || ls__diag_kind(r) != k) continue;
            fprintf(f, "  %-40s %llu\n", ls__diag_text(r), (unsigned long long)s->diag.count[r]);
            for (int k = 0; k < LS_DIAG_EXAMPLES && s->diag.example[r][k][0]; k++)
                fprintf(f, "    %s\n", s->diag.example[r][k]);
        }
    }
}

int ls_store_info(ls_ctx *ctx, const ls_store *s, FILE *out, int json)
{
    summary sm;
    int st = summarise(ctx, s, &sm);
    if (st) return st;
    if (json) print_json(out, s, &sm);
    else print_text(out, s, &sm);
    ls__free(sm.lang_order);
    ls__free(sm.lang_count);
    if (fflush(out) != 0 || ferror(out))
        return ls__fail(ctx, LS_ERR_IO, "cannot write the summary of %s", s->path);
    return LS_OK;
}
