/*
 * write_io.c — writes the simulated world in the Twitter
 * Information-Operations archive format (tweets file with its 31 columns,
 * users file with 10), and the ground truth.
 *
 * Rows are assembled in a large buffer (ls__out); each account's profile
 * columns were escaped once when the account was made and are copied as
 * they are.  Lists are Python-style (`['香港', 'hongkong']`, `[]`),
 * coordinates `absent`, booleans `True`/`False`, times `YYYY-MM-DD HH:MM`,
 * as in the published archives.  One retweet in fifty leaves
 * retweet_userid empty, a quirk of the real files that readers recover
 * from the leading `RT @name:`.
 */
#include "sim.h"

static const char io_header[] =
    "tweetid,userid,user_display_name,user_screen_name,user_reported_location,user_profile_description,"
    "user_profile_url,follower_count,following_count,account_creation_date,account_language,tweet_language,"
    "tweet_text,tweet_time,tweet_client_name,in_reply_to_userid,in_reply_to_tweetid,quoted_tweet_tweetid,"
    "is_retweet,retweet_userid,retweet_tweetid,latitude,longitude,quote_count,reply_count,like_count,"
    "retweet_count,hashtags,urls,user_mentions,poll_choices\n";
static const char users_header[] =
    "userid,user_display_name,user_screen_name,user_reported_location,user_profile_description,"
    "user_profile_url,follower_count,following_count,account_creation_date,account_language\n";

/* Client of one tweet: the account's usual one, and for people now and
 * then the web app. */
const char *ls__sim_client_of(const ls__sim_world *w, const ls__sim_ev *e)
{
    const ls__sim_acct *a = &w->acct[e->user];
    int people = a->kind != K_OPERATION && a->kind != K_ARCHIVE && a->kind != K_NEWSBOT;
    if (people && ((e->seed ^ (uint32_t)e->ms) & 15) == 0) return ls__sim_client_name[0];
    return ls__sim_client_name[a->client];
}

uint32_t ls__sim_likes(const ls__sim_world *w, size_t i)
{
    const ls__sim_ev *e = &w->ev[i];
    if (e->type == EV_RT) return 0;
    const ls__sim_acct *a = &w->acct[e->user];
    uint32_t rt = w->n_rt[i];
    if (a->kind == K_OPERATION) return rt / 4 + (e->seed % 7 == 0);
    return rt + rt / 2 + w->n_reply[i] + (uint32_t)((e->seed >> 3) % (a->followers > 1000 ? 40 : 3));
}

/* The retweet cache.  Over half the rows are retweets, and a retweet's
 * row differs from another retweet of the same post only in its own
 * columns (id, account, time, client): the language, the text ("RT
 * @author: " and the original's text, regenerated from its seed), the
 * retweeted account and post, the counts (all zero) and the lists are
 * the original's.  Retweets of one post come close together in time (a
 * crowd retweets within minutes), so a small direct-mapped cache of those
 * columns, by the retweeted post, answers about five retweets in six
 * (measured at scale 0.2) and spares the text and the three or four
 * random memory reads (the post, its author, the author's name and the
 * post's id) that each would cost.  The cached bytes are the ones the
 * plain path wrote, copied after it wrote them, so the rows are the same
 * either way.  One cache per worker of the chunk driver, used by that
 * worker only. */
#define RT_SLOTS 1024           /* a power of two */
#define RT_SLOT_BYTES 500
typedef struct {
    uint32_t ref;               /* retweeted event, LS__NONE when empty */
    uint16_t na, nb, nuid;      /* columns 11-13 ("lang,text,"); 20-31 from the user id; its length */
    char s[RT_SLOT_BYTES];      /* the na bytes, then the nb */
} rt_slot;

static inline rt_slot *rt_find(rt_slot *cache, uint32_t ref)
{
    return &cache[(ref * 0x9e3779b1u) >> 22 & (RT_SLOTS - 1)];
}

/* What a row needs of its own account, eight bytes an account: the
 * account table (56 bytes a record, tens of megabytes) is read in random
 * order, one row after another, and on the benchmark VM each of those
 * reads waited for a TLB walk as well as for memory (the row's profile is
 * a second one).  This table is a few megabytes, so its reads mostly hit
 * the caches and the TLB, and the profile row is the only distant read of
 * a row's own columns.  Built (one pass over the accounts) per file. */
typedef struct { uint32_t prof_off, meta; } io_acct;
#define IO_PEOPLE 1u        /* people: now and then the web app (ls__sim_client_of) */
#define IO_OP 2u            /* an operation account (ls__sim_likes) */
#define IO_BIG 4u           /* more than 1,000 followers (ls__sim_likes) */
#define IO_HOT 8u           /* the profile row is in the hot copy (io_hot) */
#define IO_LEN(m) ((m) & 0xffffffu)
#define IO_CLIENT(m) ((m) >> 24 & 15u)
#define IO_FLAGS(m) ((m) >> 28)

/* NULL when out of memory, or when an account does not fit the packing
 * (a profile row of 16 MB: never). */
static io_acct *io_acct_table(ls__sim_world *w)
{
    io_acct *t = ls__sim_reuse(w, (w->n_acct ? w->n_acct : 1) * sizeof *t);
    if (!t) return NULL;
    for (size_t i = 0; i < w->n_acct; i++) {
        const ls__sim_acct *a = &w->acct[i];
        if (a->prof_len > 0xffffffu || a->client >= LS__MIN(ls__sim_n_clients, (size_t)16)) { ls__free(t); return NULL; }
        uint32_t f = (a->kind != K_OPERATION && a->kind != K_ARCHIVE && a->kind != K_NEWSBOT ? IO_PEOPLE : 0) |
                     (a->kind == K_OPERATION ? IO_OP : 0) | (a->followers > 1000 ? IO_BIG : 0);
        t[i].prof_off = a->prof_off;
        t[i].meta = a->prof_len | (uint32_t)a->client << 24 | f << 28;
    }
    return t;
}

/* The profile rows of the busiest accounts, copied together into one
 * block of at most IO_HOT_BYTES.  A row's profile is the one read of its
 * own columns that goes far (tens of megabytes of rows, read in random
 * order), and activity is heavy-tailed: at scale 0.05 the busiest tenth
 * of the accounts write about half of the rows, and at scale 1 their
 * rows take about 7 MB.  Kept together they mostly stay in the caches and
 * the TLB instead of costing a miss each, which under load on the
 * benchmark VM runs to a microsecond.  The accounts are taken by classes
 * of event count (its bit length), busiest first, whole classes while
 * they fit and then the next class's in account order, so the choice is
 * a fixed function of the world.  Each taken account's entry in t points
 * into the copy (IO_HOT); the bytes written are the same.  NULL (nothing
 * copied) when there are no counts or no memory: the rows are then read
 * where they are. */
#define IO_HOT_BYTES ((size_t)8 << 20)
static char *io_hot(ls__sim_world *w, io_acct *t)
{
    size_t bytes[34] = { 0 }, budget = LS__MIN(IO_HOT_BYTES, w->prof.n), used = 0;
    if (!w->acct_ev || w->n_acct == 0 || budget == 0) return NULL;
#define CLASS(c) ((c) ? 64 - __builtin_clzll((unsigned long long)(c)) : 0)
    for (size_t i = 0; i < w->n_acct; i++) bytes[CLASS(w->acct_ev[i])] += IO_LEN(t[i].meta);
    int cls = 33;   /* classes cls..32 are taken whole, cls - 1 in part */
    while (cls > 1 && used + bytes[cls - 1] <= budget) used += bytes[--cls];
    char *hot = ls__sim_reuse(w, budget);
    if (!hot) return NULL;
    size_t off = 0;
    for (size_t i = 0; i < w->n_acct; i++) {
        int k = CLASS(w->acct_ev[i]);
        size_t len = IO_LEN(t[i].meta);
        if (k < cls - 1 || k == 0) continue;
        if (k == cls - 1 && (off + len > budget || used + len > budget)) continue;
        if (k == cls - 1) used += len;
        memcpy(hot + off, w->prof.p + t[i].prof_off, len);
        t[i].prof_off = (uint32_t)off;
        t[i].meta |= IO_HOT << 28;
        off += len;
    }
#undef CLASS
    return hot;
}

/* ls__sim_client_of (as an index into ls__sim_client_name) and
 * ls__sim_likes over the packed table. */
static inline unsigned io_client(const io_acct *a, const ls__sim_ev *e)
{
    if ((IO_FLAGS(a->meta) & IO_PEOPLE) && ((e->seed ^ (uint32_t)e->ms) & 15) == 0) return 0;
    return IO_CLIENT(a->meta);
}
static inline uint32_t io_likes(const ls__sim_world *w, const io_acct *a, size_t i)
{
    const ls__sim_ev *e = &w->ev[i];
    if (e->type == EV_RT) return 0;
    uint32_t rt = w->n_rt[i];
    if (IO_FLAGS(a->meta) & IO_OP) return rt / 4 + (e->seed % 7 == 0);
    return rt + rt / 2 + w->n_reply[i] + (uint32_t)((e->seed >> 3) % (IO_FLAGS(a->meta) & IO_BIG ? 40 : 3));
}

/* tweet_time of consecutive rows: they come in time order, so most share
 * the previous row's minute, [lo, hi) in ms (a minute never straddles a
 * day); the others go to the day-caching formatter. */
typedef struct { ls__sim_day day; int64_t lo, hi; char text[17]; } io_minute;
static inline const char *io_time(io_minute *m, int64_t ms)
{
    if (ms >= m->lo && ms < m->hi) return m->text;
    ls__sim_fmt_minute_c(ms, m->text, &m->day);
    int64_t k = ms >= 0 ? ms / 60000 : -((-ms + 59999) / 60000);   /* floor, as the formatter */
    m->lo = k * 60000;
    m->hi = m->lo + 60000;
    return m->text;
}

/* The most bytes a user id takes in the IO files (64 hex digits). */
#define UID_MAX 72

/* "['a', 'b']" (pylist's list) CSV-escaped at p; needs 2 (items->n + 3n + 2) + 2 bytes. */
static char *pylist_csv(char *p, const ls__buf *items, uint32_t n)
{
    if (n == 0) return ls__sim_put(p, "[]", 2);
    char tmp[512];
    size_t len = items->n + 3 * (size_t)n;
    if (len > sizeof tmp) {
        /* A long list: the general path (never seen in the scenario). */
        char *d = p, *q;
        int quote = n > 1;
        const char *s = items->p;
        for (uint32_t i = 0; i < n && !quote; i++, s += strlen(s) + 1)
            for (q = (char *)s; *q && !quote; q++) quote = *q == ',' || *q == '"' || *q == '\n' || *q == '\r';
        if (quote) *d++ = '"';
        *d++ = '[';
        s = items->p;
        for (uint32_t i = 0; i < n; i++) {
            if (i) { *d++ = ','; *d++ = ' '; }
            *d++ = '\'';
            for (; *s; s++) { *d++ = *s; if (*s == '"') *d++ = '"'; }
            s++;
            *d++ = '\'';
        }
        *d++ = ']';
        if (quote) *d++ = '"';
        return d;
    }
    char *d = tmp;
    const char *s = items->p;
    *d++ = '[';
    for (uint32_t i = 0; i < n; i++) {
        size_t k = strlen(s);
        if (i) { *d++ = ','; *d++ = ' '; }
        *d++ = '\'';
        memcpy(d, s, k);
        d += k;
        *d++ = '\'';
        s += k + 1;
    }
    *d++ = ']';
    return ls__sim_csv_raw(p, tmp, (size_t)(d - tmp));
}

/* What every chunk of one file shares. */
typedef struct {
    const io_acct *wa;
    const char *base[2];    /* profile rows: w->prof.p, and the hot copy (IO_HOT) */
    size_t cl_len[16];      /* lengths of ls__sim_client_name's entries */
    size_t lang_len[L_COUNT];   /* and of ls__sim_lang_code's */
    int archive;
} io_arg;

/* One tweets.csv row for event i.  Its worst-case size is reserved first,
 * then the fields are written with raw stores. */
static int io_row(ls__out *o, const ls__sim_world *w, const io_arg *g, size_t i, ls__sim_text *t, io_minute *tm,
                  rt_slot *cache)
{
    const ls__sim_ev *e = &w->ev[i];
    const io_acct *a = &g->wa[e->user];
    unsigned ci = io_client(a, e);
    const char *client = ls__sim_client_name[ci], *prof = g->base[IO_FLAGS(a->meta) >> 3] + a->prof_off;
    size_t client_len = g->cl_len[ci];
    size_t prof_len = IO_LEN(a->meta);
    char *p;
    int st;
    rt_slot *slot = cache && e->type == EV_RT ? rt_find(cache, e->ref) : NULL;
    if (slot && slot->ref == e->ref) {
        if (ls__out_reserve(o, 64 + prof_len + slot->na + slot->nb + client_len)) return LS_ERR_NOMEM;
        p = o->p + o->n;
        p = ls__sim_utoa_raw(p, w->id[i]);
        *p++ = ',';
        p = ls__sim_put(p, prof, prof_len);
        *p++ = ',';
        p = ls__sim_put(p, slot->s, slot->na);
        p = ls__sim_put(p, io_time(tm, e->ms), 16);
        *p++ = ',';
        p = ls__sim_put(p, client, client_len);
        p = ls__sim_put(p, ",,,,True,", 9);
        /* One retweet in fifty leaves the user id out (see the top). */
        size_t skip = w->id[i] % 50 != 7 ? 0 : slot->nuid;
        p = ls__sim_put(p, slot->s + slot->na + skip, slot->nb - skip);
        o->n = (size_t)(p - o->p);
        return LS_OK;
    }
    if ((st = ls__sim_text_of(w, i, t))) return st;
    const ls__sim_ev *src = e->type == EV_RT ? &w->ev[e->ref] : e;
    size_t need = 640 + prof_len + client_len + 2 * t->text.n + 2 * (t->tags.n + 3 * (size_t)t->n_tags) +
                  2 * (t->urls.n + 3 * (size_t)t->n_urls) + 2 * (UID_MAX + 2) * (size_t)t->n_mention;
    if (ls__out_reserve(o, need)) return LS_ERR_NOMEM;
    p = o->p + o->n;
    p = ls__sim_utoa_raw(p, w->id[i]);
    *p++ = ',';
    p = ls__sim_put(p, prof, prof_len);
    *p++ = ',';
    char *a0 = p;
    p = ls__sim_put(p, ls__sim_lang_code[src->lang], g->lang_len[src->lang]);
    *p++ = ',';
    p = ls__sim_csv_raw(p, t->text.p, t->text.n);
    *p++ = ',';
    char *a1 = p;
    p = ls__sim_put(p, io_time(tm, e->ms), 16);
    *p++ = ',';
    p = ls__sim_put(p, client, client_len);
    *p++ = ',';
    if (e->type == EV_REPLY) {
        uint32_t ru = w->ev[e->ref].user;
        p = ls__sim_put(p, LS__SIM_UID(w, ru), LS__SIM_UID_LEN(w, ru));
        *p++ = ',';
        p = ls__sim_utoa_raw(p, w->id[e->ref]);
    } else *p++ = ',';
    *p++ = ',';
    if (e->type == EV_QUOTE) p = ls__sim_utoa_raw(p, w->id[e->ref]);
    *p++ = ',';
    char *b0 = p;
    size_t uid_len = 0;
    if (e->type == EV_RT) {
        p = ls__sim_put(p, "True,", 5);
        b0 = p;
        if (w->id[i] % 50 != 7) p = ls__sim_put(p, LS__SIM_UID(w, src->user), LS__SIM_UID_LEN(w, src->user));
        uid_len = (size_t)(p - b0);
        *p++ = ',';
        p = ls__sim_utoa_raw(p, w->id[e->ref]);
    } else p = ls__sim_put(p, "False,,", 7);
    p = ls__sim_put(p, ",absent,absent,", 15);
    int orig = e->type != EV_RT;
    p = ls__sim_utoa_raw(p, orig ? w->n_quote[i] : 0);
    *p++ = ',';
    p = ls__sim_utoa_raw(p, orig ? w->n_reply[i] : 0);
    *p++ = ',';
    p = ls__sim_utoa_raw(p, io_likes(w, a, i));
    *p++ = ',';
    p = ls__sim_utoa_raw(p, orig ? w->n_rt[i] : 0);
    *p++ = ',';
    p = pylist_csv(p, &t->tags, t->n_tags);
    *p++ = ',';
    p = pylist_csv(p, &t->urls, t->n_urls);
    *p++ = ',';
    if (t->n_mention) {
        char list[4 * (UID_MAX + 2) + 2], *d = list;
        for (uint32_t m = 0; m < t->n_mention; m++) {
            const char *u = LS__SIM_UID(w, t->mention[m]);
            size_t k = LS__SIM_UID_LEN(w, t->mention[m]);
            if (k > UID_MAX) return LS_ERR_LIMIT;   /* never: ids are at most 64 digits */
            d = m ? ls__sim_put(d, ", ", 2) : ls__sim_put(d, "[", 1);
            d = ls__sim_put(d, u, k);
        }
        *d++ = ']';
        p = ls__sim_csv_raw(p, list, (size_t)(d - list));
    } else p = ls__sim_put(p, "[]", 2);
    p = ls__sim_put(p, ",\n", 2);
    /* Cache what this retweet shares with the others of its post: only
     * from a row that wrote the user id, and only what fits. */
    size_t na = (size_t)(a1 - a0), nb = (size_t)(p - b0);
    if (slot && uid_len && na + nb <= RT_SLOT_BYTES) {
        slot->ref = e->ref;
        slot->na = (uint16_t)na;
        slot->nb = (uint16_t)nb;
        slot->nuid = (uint16_t)uid_len;
        memcpy(slot->s, a0, na);
        memcpy(slot->s + na, b0, nb);
    }
    o->n = (size_t)(p - o->p);
    return LS_OK;
}

/* A worker's own state (see chunks.c). */
typedef struct {
    ls__sim_text t;
    io_minute tm;
    rt_slot *cache;         /* the retweet cache (NULL: none) */
} io_tls;

/* Both cache lines a record may straddle (accounts are 56 bytes, events
 * 24: many of them cross a line boundary). */
static inline void prefetch_whole(const void *p, size_t n)
{
    __builtin_prefetch(p);
    __builtin_prefetch((const char *)p + n - 1);
}

static int io_chunk(ls__sim_chunk *c)
{
    const ls__sim_world *w = c->w;
    const io_arg *g = c->arg;
    io_tls *x = c->tls;
    const io_acct *wa = g->wa;
    rt_slot *cache = x->cache;
    int st = LS_OK;
    if (g->archive) {
        /* A few thousand rows among millions: no read-ahead for the rest. */
        for (size_t k = c->k0; k < c->k1 && st == LS_OK; k++)
            if (ls__sim_is_archive(w, w->ev[k].user))
                st = io_row(&c->o, w, g, k, &x->t, &x->tm, cache);
        return st;
    }
    for (size_t k = c->k0; k < c->k1 && st == LS_OK; k++) {
        /* Accounts, profiles and retweeted posts are visited in random
         * order: fetch rows ahead in two steps so the cache misses overlap
         * instead of stalling one by one.  Sixteen rows ahead the account
         * and the referenced event; eight rows ahead (their lines have
         * arrived by then) the profile row and the referenced author.
         * A retweet whose post is in the cache reads neither the post nor
         * its author (the cache may change before the row is written: the
         * reads are only hints). */
        if (k + 16 < c->k1) {
            const ls__sim_ev *e = &w->ev[k + 16];
            __builtin_prefetch(&wa[e->user]);
            if (e->ref != LS__NONE && !(e->type == EV_RT && cache && rt_find(cache, e->ref)->ref == e->ref))
                prefetch_whole(&w->ev[e->ref], sizeof *w->ev);
        }
        if (k + 8 < c->k1) {
            const ls__sim_ev *e = &w->ev[k + 8];
            const io_acct *pa = &wa[e->user];
            /* The lines the profile row covers (its first, middle and
             * last byte: every line of a row up to 128 bytes, and rows
             * are about 85), not a fixed three from its start, which
             * fetched a line for nothing in most rows (a fill buffer and
             * bandwidth the other reads wait for). */
            const char *prof = g->base[IO_FLAGS(pa->meta) >> 3] + pa->prof_off;
            size_t plen = IO_LEN(pa->meta);
            __builtin_prefetch(prof);
            __builtin_prefetch(prof + plen / 2);
            __builtin_prefetch(prof + plen - (plen != 0));
            if (e->ref != LS__NONE && !(e->type == EV_RT && cache && rt_find(cache, e->ref)->ref == e->ref))
                prefetch_whole(&w->acct[w->ev[e->ref].user], sizeof *w->acct);
        }
        if (ls__sim_is_archive(w, w->ev[k].user)) continue;
        st = io_row(&c->o, w, g, k, &x->t, &x->tm, cache);
    }
    return st;
}

/* Chunks of about 700 KB of text: still in the worker's cache when its
 * turn comes to copy them into the sink (chunks.c). */
#define IO_CHUNK 2048
#define IO_ROW_BYTES 400   /* a chunk's buffer: rows average about 330 bytes */
#define IO_MAX_THREADS 16

/* The rows are formatted in parallel chunks and written in order
 * (chunks.c), so the bytes never depend on the thread count. */
int ls__sim_write_io(ls_ctx *ctx, ls__sim_world *w, const char *path, int archive)
{
    ls__sink sk;
    io_tls tls[IO_MAX_THREADS];
    void *tlp[IO_MAX_THREADS];
    io_acct *wa = NULL;
    char *hot = NULL;
    io_arg arg;
    memset(&arg, 0, sizeof arg);
    for (size_t c = 0; c < LS__MIN(ls__sim_n_clients, (size_t)16); c++)
        arg.cl_len[c] = strlen(ls__sim_client_name[c]);
    for (int l = 0; l < L_COUNT; l++) arg.lang_len[l] = strlen(ls__sim_lang_code[l]);
    int nt = LS__MAX(1, LS__MIN(ls__threads(ctx), IO_MAX_THREADS)), st = LS_OK;
    memset(tls, 0, sizeof tls);
    if ((st = ls__sim_sink_open(ctx, w, &sk, path))) return st;
    if (!(wa = io_acct_table(w))) { st = LS_ERR_NOMEM; goto done; }
    /* The archive's file (a few thousand rows) reads the rows in place. */
    if (!archive) hot = io_hot(w, wa);
    for (int t = 0; t < nt; t++) {
        tlp[t] = &tls[t];
        if (archive) continue;
        if (!(tls[t].cache = ls__malloc(RT_SLOTS * sizeof *tls[t].cache))) { st = LS_ERR_NOMEM; goto done; }
        for (size_t k = 0; k < RT_SLOTS; k++) tls[t].cache[k].ref = LS__NONE;
    }
    arg.wa = wa;
    arg.base[0] = w->prof.p;
    arg.base[1] = hot;
    arg.archive = archive;
    ls__sink_put(&sk, io_header, sizeof io_header - 1);
    /* The archive's rows (52,000 of 9 million at scale 1, all in 2019)
     * are looked for only where they lie. */
    st = ls__sim_write_chunks(ctx, w, &sk, archive ? w->arc_ev0 : 0, archive ? w->arc_ev1 : w->n_ev, IO_CHUNK,
                              IO_ROW_BYTES, io_chunk, &arg, tlp, nt);
done:
    for (int t = 0; t < nt; t++) {
        ls__sim_text_free(&tls[t].t);
        ls__free(tls[t].cache);
    }
    ls__free(wa);
    ls__free(hot);
    if (st == LS_OK) return ls__sink_commit(ctx, &sk);
    ls__sink_abort(&sk);
    if (st == LS_ERR_IO) return ls__fail(ctx, st, "cannot write %s", path);
    return ls__fail(ctx, LS_ERR_NOMEM, "out of memory while writing %s", path);
}

int ls__sim_write_users(ls_ctx *ctx, const ls__sim_world *w, const char *path, int archive)
{
    ls__afile af;
    ls__out o;
    int st = ls__afile_open(ctx, &af, path);
    if (st) return st;
    if (ls__out_init(&o, af.f)) { ls__afile_abort(&af); return ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); }
    ls__out_s(&o, users_header);
    for (size_t i = 0; i < w->n_acct; i++) {
        const ls__sim_acct *a = &w->acct[i];
        if ((a->kind == K_ARCHIVE) != (archive != 0)) continue;
        ls__out_put(&o, w->prof.p + a->prof_off, a->prof_len);
        ls__out_c(&o, '\n');
    }
    ls__out_flush(&o);
    ls__out_free(&o);
    return ls__afile_commit(ctx, &af);
}

static int write_small(ls_ctx *ctx, const char *path, const char *text)
{
    ls__afile af;
    int st = ls__afile_open(ctx, &af, path);
    if (st) return st;
    fputs(text, af.f);
    return ls__afile_commit(ctx, &af);
}

int ls__sim_write_truth(ls_ctx *ctx, const ls__sim_world *w, const char *dir)
{
    ls__afile af;
    ls__out o;
    ls__buf path = { 0 };
    int st;
    if (ls__buf_printf(&path, "%s/truth.csv", dir)) return ls__fail(ctx, LS_ERR_NOMEM, "out of memory");
    if ((st = ls__afile_open(ctx, &af, path.p))) goto done;
    if (ls__out_init(&o, af.f)) { ls__afile_abort(&af); st = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
    ls__out_s(&o, "userid,kind,network,role\n");
    for (size_t i = 0; i < w->n_acct; i++) {
        const ls__sim_acct *a = &w->acct[i];
        if (a->kind == K_ARCHIVE) continue;
        ls__out_s(&o, LS__SIM_UID(w, i));
        ls__out_c(&o, ',');
        ls__out_s(&o, ls__sim_kind_name[a->kind]);
        ls__out_c(&o, ',');
        ls__out_s(&o, ls__sim_net_name[a->net]);
        ls__out_c(&o, ',');
        ls__out_s(&o, ls__sim_role_name[a->role]);
        ls__out_c(&o, '\n');
    }
    ls__out_flush(&o);
    ls__out_free(&o);
    if ((st = ls__afile_commit(ctx, &af))) goto done;
    /* Which archived network each operation descends from (eval's
     * linkage check); the spam operation has none. */
    path.n = 0;
    if (ls__buf_printf(&path, "%s/truth_links.csv", dir)) { st = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
    st = write_small(ctx, path.p, "network,archive\nop_june2020,china_082019\nop_spam,\n");
done:
    ls__buf_free(&path);
    return st;
}
