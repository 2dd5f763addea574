/*
 * sim.h — internal interface of the simulator and the evaluator.
 *
 * The simulator builds a world in memory: accounts (with their ground truth)
 * and events (originals, retweets, replies, quotes) that refer to each other
 * by index.  Text is never stored: it is a pure function of an event's
 * topic and 32-bit seed, regenerated when the event is written, so a
 * retweet can reproduce its original's text and memory stays at a few dozen
 * bytes per event.  Generation uses seeded PRNG streams (one per
 * population; the populations' event tasks run on worker threads, merged
 * in a fixed order), so the same parameters give the same bytes at any
 * thread count.
 */
#ifndef LS_SIM_H
#define LS_SIM_H

#include "../core/core.h"
#include "params.h"
#include <pthread.h>
#include <stdatomic.h>

/* ---- PRNG: xoshiro256** seeded through splitmix64 ---- */
typedef struct { uint64_t s[4]; } ls__rng;
static inline uint64_t ls__splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static inline void ls__rng_seed(ls__rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xd1342543de82ef95ULL);
    for (int i = 0; i < 4; i++) r->s[i] = ls__splitmix64(&x);
}
static inline uint64_t ls__rng_next(ls__rng *r)
{
    uint64_t *s = r->s;
    uint64_t x = s[1] * 5, res = ((x << 7) | (x >> 57)) * 9, t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return res;
}
/* Uniform double in [0,1). */
static inline double ls__rng_u(ls__rng *r) { return (double)(ls__rng_next(r) >> 11) * 0x1.0p-53; }
/* Uniform integer in [0,n) (n > 0); the tiny modulo bias is irrelevant here. */
static inline uint64_t ls__rng_below(ls__rng *r, uint64_t n) { return ls__rng_next(r) % n; }
double ls__rng_normal(ls__rng *r);
/* Log-normal with the given median and sigma. */
double ls__rng_lognormal(ls__rng *r, double median, double sigma);
/* Poisson (Knuth for small means, normal approximation above 30). */
uint32_t ls__rng_poisson(ls__rng *r, double mean);
/* ceil(xmin * U^(-1/alpha)) capped at cap: heavy-tailed activity counts. */
uint32_t ls__rng_pareto(ls__rng *r, double xmin, double alpha, uint32_t cap);

/* ---- ground truth ---- */
enum { K_OPERATION, K_ORGANIC, K_FANDOM, K_NEWS, K_CAMPAIGN, K_NEWSBOT, K_LINKSHARE,
       K_OPPOSITE, K_ARCHIVE, K_COUNT };
enum { NET_NONE, NET_JUNE2020, NET_SPAM, NET_AUG2019 };
enum { ROLE_NONE, ROLE_CORE, ROLE_AMP };
extern const char *const ls__sim_kind_name[K_COUNT];
extern const char *const ls__sim_net_name[4];
extern const char *const ls__sim_role_name[3];

/* Posting schedules (hour-of-week weights in the account's local time). */
enum { SCHED_OFFICE, SCHED_DIURNAL, SCHED_FLAT, SCHED_EVENING, SCHED_COUNT };

/* Languages of text and of accounts. */
enum { L_ZH, L_EN, L_JA, L_KO, L_ES, L_FR, L_PT, L_ZH_HANT, L_TH, L_COUNT };

typedef struct {
    uint64_t uid;           /* numeric user id */
    int64_t created_ms;
    uint32_t followers, following;
    uint32_t prof_off;      /* escaped users.csv row (no newline) in world.prof */
    uint32_t prof_len;
    uint32_t name_off;      /* screen name, NUL-terminated, in world.names */
    uint32_t uid_off;       /* user id as written in IO files and truth (numeric,
                               or hashed under hashed_ids), NUL-terminated */
    uint32_t group;         /* cell, idol, community, ... depending on kind */
    uint8_t kind, net, role, sched;
    int8_t tz;              /* hours from UTC */
    uint8_t client, lang;
    uint8_t uid_len;        /* strlen of the user id text at uid_off (at most 64) */
} ls__sim_acct;

/* Event types. */
enum { EV_ORIG, EV_RT, EV_REPLY, EV_QUOTE };
/* Topics decide how text, hashtags and links are generated. */
enum {
    T_OP_HK, T_OP_GUO, T_OP_COVID, T_OP_TW,   /* operation narratives */
    T_CAMO,                                   /* spam / K-pop hashtag camouflage */
    T_ORG,                                    /* everyday organic chatter */
    T_IDOL, T_FANCHAT, T_NEWS, T_CAMPAIGN, T_BOT, T_LINK, T_PRODEM, T_SPAM,
    T_COUNT
};

/* 24 bytes an event (there are ~9 million at scale 1, each in a task's
 * array and again in the sorted one, and on the benchmark VM every fresh
 * megabyte costs milliseconds of page faults): the type, topic and
 * language share one word with the time. */
#define LS__SIM_MS_BITS 54
typedef struct {
    uint64_t type : 2, topic : 4, lang : 4;
    int64_t ms : LS__SIM_MS_BITS;   /* exact time (the snowflake id carries it); ls__sim_add_ev checks the range */
    uint32_t user;          /* account index */
    uint32_t ref;           /* event index of the retweeted/replied/quoted post, or LS__NONE */
    uint32_t seed;          /* text seed */
    uint32_t aux;           /* topic-specific: article, message, community, link ... */
} ls__sim_ev;
_Static_assert(sizeof(ls__sim_ev) == 24, "an event record is 24 bytes");
_Static_assert(T_COUNT <= 16 && L_COUNT <= 16, "topics and languages fit in 4 bits");

struct ls_sim {
    double v[P_COUNT];
    uint64_t seed;
    int format;             /* 0 io, 1 v1, 2 v2 */
    char scenario[32];
};

#define LS__SIM_SEGS 16
typedef struct ls__sim_world {
    const ls_sim *p;
    uint64_t seed;
    int64_t t0, t1;         /* window [t0, t1) in ms */
    ls__sim_acct *acct;
    size_t n_acct, cap_acct;
    ls__sim_ev *ev;
    size_t n_ev, cap_ev;
    ls__buf names;          /* screen names, NUL-terminated */
    ls__buf prof;           /* escaped profile rows */
    uint64_t *name_set;     /* open-addressing set of screen-name hashes */
    size_t name_cap, name_n;
    size_t acct_hint;       /* accounts the build will make (sizes tables) */
    int acct_fixed;         /* the account table must not move (tasks read it) */
    /* Run by the build, on a thread of its own where there are two or
     * more, once every account exists (it may read the accounts, names
     * and profiles, nothing else): the files that need only accounts are
     * written while the events are made.  Its own context gets any error
     * message. */
    int (*side)(ls_ctx *ctx, const struct ls__sim_world *w, void *arg);
    void *side_arg;
    ls__buf scratch[5];     /* ls__sim_add_acct's working buffers */
    /* While building, the events are consecutive segments (each
     * population task's own array, then the organic actions, then the
     * archive) numbered as one sequence; the sort joins them into ev. */
    ls__sim_ev *seg[LS__SIM_SEGS];
    size_t seg_n[LS__SIM_SEGS];
    uint32_t seg_ref[LS__SIM_SEGS];   /* added to a segment's references by the sort */
    int n_seg;
    /* Spent blocks whose pages (faulted in already) later arrays grow
     * from: fresh pages cost more than the work on the benchmark VM.
     * spare: the unique-name set, then the organic actions' pool records
     * (the sort's array); spare2: the pending actions (the sort's
     * sequence numbers). */
    void *spare, *spare2;
    /* after finish: */
    uint64_t *id;           /* tweet id per event (indexed like ev) */
    uint32_t *n_rt, *n_reply, *n_quote;   /* engagement received per event */
    uint32_t *acct_ev;      /* events of each account (the writers keep the busiest profiles together) */
    char *sink_blk[2];      /* the tweets sinks' blocks, lent (ls__sim_sink_open) */
    /* index ranges of groups (filled while building) */
    uint32_t op_core0, op_core1, op_amp0, op_amp1;
    uint32_t arc0, arc1;    /* archived accounts: written only to archive/ */
    size_t arc_ev0, arc_ev1;   /* after the build: every archived account's event lies in [arc_ev0, arc_ev1) */
    double sched_c[SCHED_COUNT][168];   /* cumulative hour-of-week weights */
} ls__sim_world;

/* accounts.c */
/* Adds one account; followers < 0 draws the count for its kind. */
int ls__sim_add_acct(ls__sim_world *w, ls__rng *r, int kind, int net, int role,
                     uint32_t group, int64_t followers, uint32_t *out);
/* world.c */
int ls__sim_build(ls_ctx *ctx, ls__sim_world *w);
/* After the build: a block of at least size bytes (freed by the caller
 * with ls__free), a spent event segment where one is large enough. */
void *ls__sim_reuse(ls__sim_world *w, size_t size);
/* Frees the spent segments no one took (they would hold tens of
 * megabytes through the whole write). */
void ls__sim_reuse_end(ls__sim_world *w);
void ls__sim_world_free(ls__sim_world *w);
int ls__sim_add_ev(ls__sim_world *w, int64_t ms, uint32_t user, int type, int topic,
                   uint32_t ref, uint32_t seed, uint32_t aux, int lang);
int64_t ls__sim_sched_time(ls__sim_world *w, ls__rng *r, int sched, int tz, int64_t t0, int64_t t1);

/* ---- fresh memory faulted in beside the work (prefault.c) ---- */
#define LS__SIM_PREFAULT_RANGES 4
typedef struct {
    void *p;
    size_t n;               /* bytes */
    size_t unit;            /* bytes per unit of progress (see below) */
} ls__sim_prefault_range;
typedef struct {
    ls__sim_prefault_range range[LS__SIM_PREFAULT_RANGES];
    int n_range;
    /* The writer's progress in units (NULL: fault everything in at once):
     * range i is faulted in up to (progress + lead) * unit bytes. */
    const atomic_size_t *progress;
    size_t lead;
    atomic_int stop;
    pthread_t tid;
    int started;
} ls__sim_prefault;
/* Starts the helper thread over pf's ranges when threads > 1 (else, or
 * when it cannot start, nothing happens: the writer faults its pages). */
void ls__sim_prefault_start(ls__sim_prefault *pf, int threads);
/* Stops and joins it (safe when it never started). */
void ls__sim_prefault_stop(ls__sim_prefault *pf);

/* ---- text ---- */
typedef struct {
    ls__buf text;
    ls__buf tags;           /* hashtags, NUL-separated */
    ls__buf urls;           /* expanded urls, NUL-separated */
    uint32_t n_tags, n_urls;
    uint32_t mention[4];    /* mentioned account indices */
    uint32_t n_mention;
    int err;                /* LS_ERR_NOMEM once any append failed */
} ls__sim_text;
/* Text of event i (for a retweet: "RT @author: " + the original's text). */
int ls__sim_text_of(const ls__sim_world *w, size_t i, ls__sim_text *t);
void ls__sim_text_free(ls__sim_text *t);
/* Name material for accounts. */
int ls__sim_make_names(ls__sim_world *w, ls__rng *r, ls__sim_acct *a, ls__buf *screen,
                       ls__buf *display);
int ls__sim_make_profile(ls__sim_world *w, ls__rng *r, ls__sim_acct *a, ls__buf *loc,
                         ls__buf *desc, ls__buf *url);
extern const char *const ls__sim_lang_code[L_COUNT];
extern const char *const ls__sim_client_name[];
extern const size_t ls__sim_n_clients;

/* Whether account k belongs to the archived network: those accounts, and
 * only those, are [arc0, arc1), so no account row needs to be read (the
 * writers ask this of every event). */
static inline int ls__sim_is_archive(const ls__sim_world *w, uint32_t k) { return k >= w->arc0 && k < w->arc1; }

/* The user id text of account k in IO files and truth.csv, and its
 * length (kept in the record: the writers ask for it millions of times). */
#define LS__SIM_UID(w, k) ((w)->names.p + (w)->acct[(k)].uid_off)
#define LS__SIM_UID_LEN(w, k) ((size_t)(w)->acct[(k)].uid_len)
/* Account k's screen name and its length: ls__sim_add_acct stores the
 * name with its NUL and then the id text, so the name's length is the
 * distance between the two offsets less one (no strlen). */
#define LS__SIM_NAME(w, k) ((w)->names.p + (w)->acct[(k)].name_off)
#define LS__SIM_NAME_LEN(w, k) ((size_t)((w)->acct[(k)].uid_off - (w)->acct[(k)].name_off - 1))

/* ---- the tweets files' output path (sink.c) ---- */
typedef struct {
    ls__afile af;
    int fd, direct, err;    /* err: errno of the first failed write */
    char *raw[2], *blk[2];  /* two blocks, blk[i] raw[i] aligned */
    char *buf;              /* the block being filled */
    size_t n, cap;
    /* The writer thread (threaded; started once the first block is
     * full): it writes one block while the caller fills the other.  Under mu: the block handed over (wbuf, NULL when
     * the writer is idle), quit, and werr (the writer's first error). */
    int started, threaded, quit, werr;
    int lent;               /* raw[] belong to the caller */
    char *wbuf;
    size_t wn;
    pthread_t tid;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} ls__sink;
/* Bytes of each of a sink's two blocks, with room to align them. */
#define LS__SINK_CAP ((size_t)8 << 20)
#define LS__SINK_BLOCK (LS__SINK_CAP + 4096)
/* An atomic output file written with O_DIRECT where possible. */
int  ls__sink_open(ls_ctx *ctx, ls__sink *s, const char *path);
/* The same with two blocks of LS__SINK_BLOCK bytes lent by the caller,
 * who frees them after the commit or abort (fresh memory is dear on the
 * benchmark VM: the world lends spent pages, to both tweets files). */
int  ls__sink_open_lent(ls_ctx *ctx, ls__sink *s, const char *path, char *const lent[2]);
void ls__sink_put(ls__sink *s, const void *p, size_t n);
/* Writes what is left, fsyncs and renames (ls__afile_commit); frees. */
int  ls__sink_commit(ls_ctx *ctx, ls__sink *s);
void ls__sink_abort(ls__sink *s);
/* Opens a sink on blocks the world lends (spent pages, the same for
 * every tweets file; freed with the world). */
int ls__sim_sink_open(ls_ctx *ctx, ls__sim_world *w, ls__sink *s, const char *path);

/* ---- fast output ---- */
typedef struct {
    FILE *f;
    ls__sink *sink;         /* set after init: flushes go to the sink */
    char *p;
    size_t n, cap;
    int err;
} ls__out;
/* f == NULL: memory mode, the buffer grows and nothing is written (o->err
 * is set if it cannot grow), unless o->sink is set afterwards. */
int  ls__out_init(ls__out *o, FILE *f);
/* Memory mode over cap bytes at p (taken over: freed by ls__out_free). */
void ls__out_init_mem(ls__out *o, char *p, size_t cap);
void ls__out_flush(ls__out *o);
void ls__out_free(ls__out *o);
/* ls__out_put's path when the bytes do not fit (flush or grow first). */
void ls__out_put_slow(ls__out *o, const void *p, size_t n);
/* Inline: most pieces are short literals (JSON keys), whose copy the
 * compiler then makes a move or two. */
static inline void ls__out_put(ls__out *o, const void *p, size_t n)
{
    if (n <= o->cap - o->n) {
        memcpy(o->p + o->n, p, n);
        o->n += n;
        return;
    }
    ls__out_put_slow(o, p, n);
}
static inline void ls__out_c(ls__out *o, char c)
{
    if (o->n == o->cap) ls__out_flush(o);
    o->p[o->n++] = c;
}
static inline void ls__out_s(ls__out *o, const char *s) { ls__out_put(o, s, strlen(s)); }
void ls__out_u64(ls__out *o, uint64_t v);
/* Makes room for n more bytes at o->p + o->n (the buffer grows, or a
 * file-backed one is flushed first); 0, or -1 with o->err set.  The
 * writers reserve a row's worst case once and then write it with the raw
 * helpers below, without a check a field. */
int  ls__out_reserve(ls__out *o, size_t n);

/* ---- raw output into reserved room: each returns the new end ---- */
extern const char ls__sim_digits2[201];
static inline char *ls__sim_put(char *p, const void *s, size_t n) { memcpy(p, s, n); return p + n; }
static inline char *ls__sim_puts(char *p, const char *s) { return ls__sim_put(p, s, strlen(s)); }
/* Decimal digits of v, no NUL (at most 20 bytes).  The number of digits
 * is found first, so the digits go straight to their places, two at a
 * time, with no scratch copy. */
static inline char *ls__sim_utoa_raw(char *p, uint64_t v)
{
    static const uint64_t pow10[20] = { 1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
        10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL,
        10000000000000ULL, 100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
        100000000000000000ULL, 1000000000000000000ULL, 10000000000000000000ULL };
    if (v < 10) { *p = (char)('0' + v); return p + 1; }
    /* log10 from the bit length (1233 / 4096 ~ log10 2), corrected by one
     * comparison. */
    int t = (64 - __builtin_clzll(v)) * 1233 >> 12;
    char *end = p + t + (v >= pow10[t]), *q = end;
    while (v >= 100000000) {
        uint32_t x = (uint32_t)(v % 100000000), hi = x / 10000, lo = x % 10000;
        v /= 100000000;
        q -= 8;
        memcpy(q, ls__sim_digits2 + 2 * (hi / 100), 2);
        memcpy(q + 2, ls__sim_digits2 + 2 * (hi % 100), 2);
        memcpy(q + 4, ls__sim_digits2 + 2 * (lo / 100), 2);
        memcpy(q + 6, ls__sim_digits2 + 2 * (lo % 100), 2);
    }
    uint32_t x = (uint32_t)v;
    while (x >= 100) { q -= 2; memcpy(q, ls__sim_digits2 + 2 * (x % 100), 2); x /= 100; }
    if (x >= 10) { q -= 2; memcpy(q, ls__sim_digits2 + 2 * x, 2); }
    else *--q = (char)('0' + x);
    return end;
}
/* A CSV field as ls__out_csv writes it; needs 2n + 2 bytes. */
char *ls__sim_csv_raw(char *p, const char *s, size_t n);
/* Decimal / lowercase hex (at least min_digits, zero-padded) of v at p,
 * NUL-terminated; returns the end (the NUL).  p needs 21 / 17 bytes. */
char *ls__sim_utoa(char *p, uint64_t v);
char *ls__sim_hex(char *p, uint64_t v, int min_digits);
void ls__out_i64(ls__out *o, int64_t v);
/* A CSV field, quoted only when it holds a comma, quote, CR or LF. */
void ls__out_csv(ls__out *o, const char *p, size_t n);
/* A JSON string with quotes. */
void ls__out_json(ls__out *o, const char *p, size_t n);
/* Same escapes into a growable buffer (profile rows are built once). */
int  ls__buf_csv(ls__buf *b, const char *p, size_t n);
/* "YYYY-MM-DD HH:MM" (16 chars) and "YYYY-MM-DD" (10). */
void ls__sim_fmt_minute(int64_t ms, char out[17]);
/* The same with the date of the last day cached (zero-initialise c). */
typedef struct { int64_t day; int valid; char date[11]; } ls__sim_day;
void ls__sim_fmt_minute_c(int64_t ms, char out[17], ls__sim_day *c);
void ls__sim_fmt_date(int64_t ms, char out[11]);
/* Days since 1970-01-01 of a civil date. */
int64_t ls__sim_days_from_civil(int y, unsigned m, unsigned d);

/* ---- the tweets writers' parallel driver (chunks.c) ---- */
typedef struct ls__sim_chunk {
    const ls__sim_world *w;
    const void *arg;        /* the writer's shared arguments */
    void *tls;              /* this worker index's own state (see chunks.c) */
    int (*fmt)(struct ls__sim_chunk *c);   /* formats events [k0, k1) into o */
    size_t k0, k1;
    ls__out o;              /* memory mode */
    int st;
} ls__sim_chunk;
/* Formats events [k_begin, k_end) in chunks of `chunk` on nt threads
 * and puts the bytes into the sink in event order; tls[t] (or NULL) is worker t's
 * state.  Each chunk's buffer starts at chunk * row_bytes (it grows if
 * need be) and comes from ls__sim_reuse.  LS_OK, fmt's status, LS_ERR_NOMEM or LS_ERR_IO (the sink
 * failed); no message is set. */
int ls__sim_write_chunks(ls_ctx *ctx, ls__sim_world *w, ls__sink *sk, size_t k_begin, size_t k_end, size_t chunk,
                         size_t row_bytes, int (*fmt)(ls__sim_chunk *c), const void *arg, void *const *tls, int nt);

/* writers */
const char *ls__sim_client_of(const ls__sim_world *w, const ls__sim_ev *e);
uint32_t ls__sim_likes(const ls__sim_world *w, size_t i);
int ls__sim_write_io(ls_ctx *ctx, ls__sim_world *w, const char *path, int archive);
int ls__sim_write_users(ls_ctx *ctx, const ls__sim_world *w, const char *path, int archive);
int ls__sim_write_json(ls_ctx *ctx, ls__sim_world *w, const char *path, int v2);
int ls__sim_write_truth(ls_ctx *ctx, const ls__sim_world *w, const char *dir);

/* ---- minimal CSV reader for eval (whole file in memory) ---- */
typedef struct {
    char *data;             /* the file, unquoted in place */
    size_t n, pos;
    const char *path;
    uint64_t line;          /* line where the current record starts */
    uint64_t next_line;
    char **f;               /* fields of the current record (NUL-terminated) */
    size_t nf, cap;
} ls__simcsv;
int  ls__simcsv_open(ls_ctx *ctx, ls__simcsv *c, const char *path);
/* The same over a copy of n bytes at p (tests, fuzzing); name is for messages. */
int  ls__simcsv_mem(ls_ctx *ctx, ls__simcsv *c, const char *name, const void *p, size_t n);
/* Next record: LS_OK and c->nf fields, c->nf == 0 at end.  LS_ERR_PARSE on
 * an unterminated quote. */
int  ls__simcsv_next(ls_ctx *ctx, ls__simcsv *c);
void ls__simcsv_close(ls__simcsv *c);

/* Adjusted Rand index of two labelings of n items (NaN on out of memory). */
double ls__sim_ari(const uint32_t *a, const uint32_t *b, size_t n);

#define LS__SNOWFLAKE_EPOCH 1288834974657LL

#endif /* LS_SIM_H */
