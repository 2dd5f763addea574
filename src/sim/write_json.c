/*
 * write_json.c — writes the simulated tweets as JSON lines in the shapes
 * of the Twitter API: v1.1 statuses (retweeted_status and quoted_status
 * nested, entities, the user object, created_at like
 * "Mon Mar 02 01:02:03 +0000 2020") or v2 flattened rows (author,
 * referenced_tweets, entities, public_metrics, ISO-8601 created_at), as
 * collection tools such as twarc2 store them.  Same world, same events as
 * the IO format; only the shape differs.
 */
#include "sim.h"

/* Splits an escaped profile row (written by accounts.c) into its ten
 * fields, unquoted into scratch. */
static int prof_fields(const ls__sim_world *w, uint32_t acct, ls__buf *scratch, size_t off[10], size_t len[10])
{
    const ls__sim_acct *a = &w->acct[acct];
    const char *p = w->prof.p + a->prof_off, *end = p + a->prof_len;
    scratch->n = 0;
    for (int f = 0; f < 10; f++) {
        off[f] = scratch->n;
        if (p < end && *p == '"') {
            p++;
            while (p < end) {
                if (*p == '"') {
                    if (p + 1 < end && p[1] == '"') { if (ls__buf_putc(scratch, '"')) return LS_ERR_NOMEM; p += 2; continue; }
                    p++;
                    break;
                }
                if (ls__buf_putc(scratch, *p++)) return LS_ERR_NOMEM;
            }
        } else {
            const char *q = p;
            while (q < end && *q != ',') q++;
            if (ls__buf_put(scratch, p, (size_t)(q - p))) return LS_ERR_NOMEM;
            p = q;
        }
        len[f] = scratch->n - off[f];
        if (p < end && *p == ',') p++;
    }
    return LS_OK;
}

/* "Mon Mar 02 01:02:03 +0000 2020" (v1.1) and "2020-03-02T01:02:03.004Z"
 * (v2), written by hand: twice a status, and a printf call cost more
 * than the rest of a row.  The date of the last day is cached in *day
 * (events and account creations each keep one).  Times before 1970 (whose seconds would be
 * negative) take the printf path, which defines their bytes. */
static void v1_time(ls__out *o, int64_t ms, ls__sim_day *day)
{
    static const char *const dow[] = { "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed" };
    static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    char m[17], buf[40];
    ls__sim_fmt_minute_c(ms, m, day);   /* its first ten bytes are ls__sim_fmt_date's */
    int64_t days = ms / 86400000;
    int mi = (m[5] - '0') * 10 + (m[6] - '0') - 1, sec = (int)((ms / 1000) % 60);
    if (ms < 0 || mi < 0 || mi > 11) {
        int n = snprintf(buf, sizeof buf, "%s %s %.2s %.5s:%02d +0000 %.4s", dow[((days % 7) + 7) % 7], mon[mi < 0 || mi > 11 ? 0 : mi],
                         m + 8, m + 11, sec, m);
        ls__out_put(o, buf, (size_t)n);
        return;
    }
    memcpy(buf, dow[days % 7], 3);
    buf[3] = ' ';
    memcpy(buf + 4, mon[mi], 3);
    buf[7] = ' ';
    memcpy(buf + 8, m + 8, 2);
    buf[10] = ' ';
    memcpy(buf + 11, m + 11, 5);
    buf[16] = ':';
    buf[17] = (char)('0' + sec / 10);
    buf[18] = (char)('0' + sec % 10);
    memcpy(buf + 19, " +0000 ", 7);
    memcpy(buf + 26, m, 4);
    ls__out_put(o, buf, 30);
}

static void iso_time(ls__out *o, int64_t ms, ls__sim_day *day)
{
    char m[17], buf[40];
    ls__sim_fmt_minute_c(ms, m, day);
    int sec = (int)((ms / 1000) % 60), milli = (int)(ms % 1000);
    if (ms < 0) {
        int n = snprintf(buf, sizeof buf, "%.10sT%.5s:%02d.%03dZ", m, m + 11, sec, milli);
        ls__out_put(o, buf, (size_t)n);
        return;
    }
    memcpy(buf, m, 10);
    buf[10] = 'T';
    memcpy(buf + 11, m + 11, 5);
    buf[16] = ':';
    buf[17] = (char)('0' + sec / 10);
    buf[18] = (char)('0' + sec % 10);
    buf[19] = '.';
    buf[20] = (char)('0' + milli / 100);
    buf[21] = (char)('0' + milli / 10 % 10);
    buf[22] = (char)('0' + milli % 10);
    buf[23] = 'Z';
    ls__out_put(o, buf, 24);
}

static void kv_str(ls__out *o, const char *k, const char *v, size_t n)
{
    ls__out_c(o, '"'); ls__out_s(o, k); ls__out_s(o, "\":");
    ls__out_json(o, v, n);
}

static void kv_idstr(ls__out *o, const char *k, uint64_t v)
{
    ls__out_c(o, '"'); ls__out_s(o, k); ls__out_s(o, "\":\"");
    ls__out_u64(o, v);
    ls__out_c(o, '"');
}

static void kv_num(ls__out *o, const char *k, uint64_t v)
{
    ls__out_c(o, '"'); ls__out_s(o, k); ls__out_s(o, "\":");
    ls__out_u64(o, v);
}

typedef struct {
    ls__sim_text t;
    ls__buf scratch;
    ls__sim_day ev_day, acct_day;   /* the time formatters' caches */
} jctx;

static int user_v1(ls__out *o, const ls__sim_world *w, uint32_t u, ls__buf *scratch, ls__sim_day *day)
{
    size_t off[10], len[10];
    const ls__sim_acct *a = &w->acct[u];
    if (prof_fields(w, u, scratch, off, len)) return LS_ERR_NOMEM;
    const char *s = scratch->p ? scratch->p : "";
    ls__out_s(o, "{\"id\":"); ls__out_u64(o, a->uid); ls__out_c(o, ',');
    kv_idstr(o, "id_str", a->uid); ls__out_c(o, ',');
    kv_str(o, "name", s + off[1], len[1]); ls__out_c(o, ',');
    kv_str(o, "screen_name", s + off[2], len[2]); ls__out_c(o, ',');
    kv_str(o, "location", s + off[3], len[3]); ls__out_c(o, ',');
    kv_str(o, "description", s + off[4], len[4]); ls__out_c(o, ',');
    if (len[5]) kv_str(o, "url", s + off[5], len[5]); else ls__out_s(o, "\"url\":null");
    ls__out_c(o, ',');
    kv_num(o, "followers_count", a->followers); ls__out_c(o, ',');
    kv_num(o, "friends_count", a->following); ls__out_s(o, ",\"created_at\":\"");
    v1_time(o, a->created_ms, day);
    ls__out_s(o, "\",");
    kv_str(o, "lang", s + off[9], len[9]);
    ls__out_c(o, '}');
    return LS_OK;
}

static void entities_v1(ls__out *o, const ls__sim_world *w, const ls__sim_text *t)
{
    ls__out_s(o, "\"entities\":{\"hashtags\":[");
    size_t off = 0;
    for (uint32_t i = 0; i < t->n_tags; i++) {
        size_t n = strlen(t->tags.p + off);
        ls__out_s(o, i ? ",{" : "{");
        kv_str(o, "text", t->tags.p + off, n);
        ls__out_c(o, '}');
        off += n + 1;
    }
    ls__out_s(o, "],\"urls\":[");
    off = 0;
    for (uint32_t i = 0; i < t->n_urls; i++) {
        size_t n = strlen(t->urls.p + off);
        ls__out_s(o, i ? ",{" : "{");
        kv_str(o, "url", t->urls.p + off, n); ls__out_c(o, ',');
        kv_str(o, "expanded_url", t->urls.p + off, n);
        ls__out_c(o, '}');
        off += n + 1;
    }
    ls__out_s(o, "],\"user_mentions\":[");
    for (uint32_t i = 0; i < t->n_mention; i++) {
        const char *sn = w->names.p + w->acct[t->mention[i]].name_off;
        ls__out_s(o, i ? ",{" : "{");
        kv_str(o, "screen_name", sn, strlen(sn)); ls__out_c(o, ',');
        kv_idstr(o, "id_str", w->acct[t->mention[i]].uid);
        ls__out_c(o, '}');
    }
    ls__out_s(o, "]}");
}

/* One v1.1 status; depth 0 may nest its retweeted or quoted status. */
static int status_v1(ls__out *o, const ls__sim_world *w, size_t i, jctx *j, int depth)
{
    const ls__sim_ev *e = &w->ev[i];
    const ls__sim_acct *a = &w->acct[e->user];
    if (ls__sim_text_of(w, i, &j->t)) return LS_ERR_NOMEM;
    ls__out_s(o, "{\"created_at\":\"");
    v1_time(o, e->ms, &j->ev_day);
    ls__out_s(o, "\",\"id\":"); ls__out_u64(o, w->id[i]); ls__out_c(o, ',');
    kv_idstr(o, "id_str", w->id[i]); ls__out_c(o, ',');
    kv_str(o, "full_text", j->t.text.p, j->t.text.n); ls__out_c(o, ',');
    const char *cl = ls__sim_client_of(w, e);
    ls__out_s(o, "\"source\":\"<a href=\\\"https://mobile.twitter.com\\\" rel=\\\"nofollow\\\">");
    ls__out_s(o, cl);
    ls__out_s(o, "</a>\",");
    if (e->type == EV_REPLY) {
        const ls__sim_acct *ra = &w->acct[w->ev[e->ref].user];
        kv_idstr(o, "in_reply_to_status_id_str", w->id[e->ref]); ls__out_c(o, ',');
        kv_idstr(o, "in_reply_to_user_id_str", ra->uid); ls__out_c(o, ',');
        kv_str(o, "in_reply_to_screen_name", w->names.p + ra->name_off, strlen(w->names.p + ra->name_off));
        ls__out_c(o, ',');
    } else ls__out_s(o, "\"in_reply_to_status_id_str\":null,\"in_reply_to_user_id_str\":null,");
    const ls__sim_ev *src = e->type == EV_RT ? &w->ev[e->ref] : e;
    kv_str(o, "lang", ls__sim_lang_code[src->lang], strlen(ls__sim_lang_code[src->lang])); ls__out_c(o, ',');
    entities_v1(o, w, &j->t);
    int orig = e->type != EV_RT;
    ls__out_c(o, ','); kv_num(o, "retweet_count", orig ? w->n_rt[i] : 0);
    ls__out_c(o, ','); kv_num(o, "favorite_count", ls__sim_likes(w, i));
    ls__out_c(o, ','); kv_num(o, "reply_count", orig ? w->n_reply[i] : 0);
    ls__out_c(o, ','); kv_num(o, "quote_count", orig ? w->n_quote[i] : 0);
    ls__out_s(o, e->type == EV_QUOTE ? ",\"is_quote_status\":true" : ",\"is_quote_status\":false");
    ls__out_s(o, ",\"user\":");
    if (user_v1(o, w, e->user, &j->scratch, &j->acct_day)) return LS_ERR_NOMEM;
    if (depth == 0 && e->type == EV_QUOTE) {
        ls__out_c(o, ',');
        kv_idstr(o, "quoted_status_id_str", w->id[e->ref]);
        ls__out_s(o, ",\"quoted_status\":");
        if (status_v1(o, w, e->ref, j, 1)) return LS_ERR_NOMEM;
    }
    if (depth == 0 && e->type == EV_RT) {
        ls__out_s(o, ",\"retweeted_status\":");
        if (status_v1(o, w, e->ref, j, 1)) return LS_ERR_NOMEM;
    }
    LS__UNUSED(a);
    ls__out_c(o, '}');
    return LS_OK;
}

static int row_v2(ls__out *o, const ls__sim_world *w, size_t i, jctx *j)
{
    const ls__sim_ev *e = &w->ev[i];
    const ls__sim_acct *a = &w->acct[e->user];
    size_t off[10], len[10];
    if (ls__sim_text_of(w, i, &j->t)) return LS_ERR_NOMEM;
    ls__out_c(o, '{');
    kv_idstr(o, "id", w->id[i]); ls__out_c(o, ',');
    kv_str(o, "text", j->t.text.p, j->t.text.n); ls__out_c(o, ',');
    kv_idstr(o, "author_id", a->uid);
    ls__out_s(o, ",\"created_at\":\"");
    iso_time(o, e->ms, &j->ev_day);
    ls__out_s(o, "\",");
    const ls__sim_ev *src = e->type == EV_RT ? &w->ev[e->ref] : e;
    kv_str(o, "lang", ls__sim_lang_code[src->lang], strlen(ls__sim_lang_code[src->lang])); ls__out_c(o, ',');
    const char *cl = ls__sim_client_of(w, e);
    kv_str(o, "source", cl, strlen(cl));
    if (e->ref != LS__NONE) {
        static const char *const kind[] = { "", "retweeted", "replied_to", "quoted" };
        ls__out_s(o, ",\"referenced_tweets\":[{\"type\":\"");
        ls__out_s(o, kind[e->type]);
        ls__out_s(o, "\",");
        kv_idstr(o, "id", w->id[e->ref]);
        ls__out_c(o, ',');
        kv_idstr(o, "author_id", w->acct[w->ev[e->ref].user].uid);
        ls__out_s(o, "}]");
        if (e->type == EV_REPLY) { ls__out_c(o, ','); kv_idstr(o, "in_reply_to_user_id", w->acct[w->ev[e->ref].user].uid); }
    }
    ls__out_s(o, ",\"entities\":{\"hashtags\":[");
    size_t p = 0;
    for (uint32_t k = 0; k < j->t.n_tags; k++) {
        size_t n = strlen(j->t.tags.p + p);
        ls__out_s(o, k ? ",{" : "{"); kv_str(o, "tag", j->t.tags.p + p, n); ls__out_c(o, '}');
        p += n + 1;
    }
    ls__out_s(o, "],\"urls\":[");
    p = 0;
    for (uint32_t k = 0; k < j->t.n_urls; k++) {
        size_t n = strlen(j->t.urls.p + p);
        ls__out_s(o, k ? ",{" : "{"); kv_str(o, "url", j->t.urls.p + p, n); ls__out_c(o, ',');
        kv_str(o, "expanded_url", j->t.urls.p + p, n); ls__out_c(o, '}');
        p += n + 1;
    }
    ls__out_s(o, "],\"mentions\":[");
    for (uint32_t k = 0; k < j->t.n_mention; k++) {
        const char *sn = w->names.p + w->acct[j->t.mention[k]].name_off;
        ls__out_s(o, k ? ",{" : "{"); kv_str(o, "username", sn, strlen(sn)); ls__out_c(o, ',');
        kv_idstr(o, "id", w->acct[j->t.mention[k]].uid); ls__out_c(o, '}');
    }
    int orig = e->type != EV_RT;
    ls__out_s(o, "]},\"public_metrics\":{");
    kv_num(o, "retweet_count", orig ? w->n_rt[i] : 0); ls__out_c(o, ',');
    kv_num(o, "reply_count", orig ? w->n_reply[i] : 0); ls__out_c(o, ',');
    kv_num(o, "like_count", ls__sim_likes(w, i)); ls__out_c(o, ',');
    kv_num(o, "quote_count", orig ? w->n_quote[i] : 0);
    ls__out_s(o, "},\"author\":{");
    if (prof_fields(w, e->user, &j->scratch, off, len)) return LS_ERR_NOMEM;
    const char *s = j->scratch.p ? j->scratch.p : "";
    kv_idstr(o, "id", a->uid); ls__out_c(o, ',');
    kv_str(o, "username", s + off[2], len[2]); ls__out_c(o, ',');
    kv_str(o, "name", s + off[1], len[1]); ls__out_c(o, ',');
    kv_str(o, "location", s + off[3], len[3]); ls__out_c(o, ',');
    kv_str(o, "description", s + off[4], len[4]); ls__out_c(o, ',');
    kv_str(o, "url", s + off[5], len[5]);
    ls__out_s(o, ",\"created_at\":\"");
    iso_time(o, a->created_ms, &j->acct_day);
    ls__out_s(o, "\",\"public_metrics\":{");
    kv_num(o, "followers_count", a->followers); ls__out_c(o, ',');
    kv_num(o, "following_count", a->following);
    ls__out_s(o, "}}}");
    return LS_OK;
}

static int json_chunk(ls__sim_chunk *c)
{
    const ls__sim_world *w = c->w;
    int v2 = *(const int *)c->arg, st = LS_OK;
    jctx *j = c->tls;
    for (size_t i = c->k0; i < c->k1 && st == LS_OK; i++) {
        if (ls__sim_is_archive(w, w->ev[i].user)) continue;
        st = v2 ? row_v2(&c->o, w, i, j) : status_v1(&c->o, w, i, j, 0);
        ls__out_c(&c->o, '\n');
    }
    return st;
}

#define JSON_CHUNK 1024   /* about 1 MB of JSON lines (chunks.c) */
#define JSON_MAX_THREADS 16

/* Rows are formatted in parallel chunks and written in order (chunks.c):
 * the bytes are those of one thread. */
int ls__sim_write_json(ls_ctx *ctx, ls__sim_world *w, const char *path, int v2)
{
    ls__sink sk;
    jctx j[JSON_MAX_THREADS];
    void *tlp[JSON_MAX_THREADS];
    int nt = LS__MAX(1, LS__MIN(ls__threads(ctx), JSON_MAX_THREADS));
    int st = ls__sim_sink_open(ctx, w, &sk, path);
    if (st) return st;
    memset(j, 0, sizeof j);
    for (int t = 0; t < nt; t++) tlp[t] = &j[t];
    st = ls__sim_write_chunks(ctx, w, &sk, 0, w->n_ev, JSON_CHUNK, v2 ? 800 : 1200, json_chunk, &v2, tlp, nt);
    for (int t = 0; t < nt; t++) {
        ls__sim_text_free(&j[t].t);
        ls__buf_free(&j[t].scratch);
    }
    if (st == LS_OK) return ls__sink_commit(ctx, &sk);
    ls__sink_abort(&sk);
    if (st == LS_ERR_IO) return ls__fail(ctx, st, "cannot write %s", path);
    return ls__fail(ctx, LS_ERR_NOMEM, "out of memory while writing %s", path);
}
