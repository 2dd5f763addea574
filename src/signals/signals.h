/*
 * signals.h — internal interface of the signals stage: co-action layers
 * (sort and sweep over the event store), near-duplicate text (MinHash and
 * LSH), the significance of each account pair against a null model, the
 * evidence behind an edge, and per-account profile signals.
 *
 * Everything here reads a struct ls_store and works on dense integer ids;
 * results are plain arrays sorted by account pair, so they are identical
 * for any thread count.
 */
#ifndef LS_SIGNALS_H
#define LS_SIGNALS_H

#include "../core/core.h"
#include "../store/store.h"

/* ---- layers ---- */
enum ls__layer {
    LS_L_RETWEET = 0, /* same retweeted post */
    LS_L_QUOTE,       /* same quoted post */
    LS_L_REPLY,       /* same reply target (non-retweets) */
    LS_L_TWEET,       /* identical normalised text of non-retweets */
    LS_L_SIMILAR,     /* near-duplicate text of non-retweets */
    LS_L_LINK,        /* same normalised URL (non-retweets) */
    LS_L_DOMAIN,      /* same link domain (non-retweets) */
    LS_L_HASHTAG,     /* same set of hashtags (non-retweets) */
    LS_L_MENTION,     /* same mentioned account (non-retweets) */
    LS_L_IMAGE,       /* same image hash */
    LS_L_POST,        /* any two posts (synchrony) */
    LS_L_TEXT,        /* near-duplicate informative text at any time gap
                         (co_similar_tweet's clusters, no window) */
    LS_L_COUNT
};
const char *ls__layer_name(int layer);   /* "co_retweet", ... */
/* Layer for "co_retweet" or "retweet"; -1 if unknown. */
int ls__layer_parse(const char *name);

/* ---- options ---- */
typedef struct ls__co_opts {
    int64_t window_ms;      /* Δt; |t1 - t2| <= window_ms is a co-action */
    int qut;                /* --compat qut: directed, QUT weights, no cap */
    int self_loops;         /* keep u->u edges (qut mode only) */
    double min_weight;      /* edges below are dropped (qut: integer weight,
                               otherwise the co-action count) */
    uint32_t cap;           /* per-object account cap (0 = no cap); default
                               mode only */
    double sim_threshold;   /* co_similar_tweet Jaccard threshold; 0 = the
                               default: 0.8 on QUT word sets, 0.6 on our
                               character 4-gram shingles */
    uint64_t seed;          /* sampling and MinHash seed */
    double keep_alpha;      /* default mode, > 0: keep only edges with
                               sig >= log10(pairs_distinct / keep_alpha), a
                               Bonferroni cut over the pairs of the layer
                               (what detect keeps; saves the memory of the
                               rest); 0 = keep all */
    double keep_weak;       /* with keep_alpha, > 0: also keep edges with
                               sig >= keep_weak between two accounts that
                               have no edge above the cut in this layer
                               (what detect's group test reads, dense.c) */
    uint32_t keep_weak_comp; /* with keep_weak, > 0: an account's strong
                               edges take its weak ones out only when its
                               component of strong edges has at least this
                               many accounts (a smaller one is no cluster
                               and its accounts are left to the group
                               test); 0: any strong edge does */
    int wide;               /* tests: force 16-byte pair entries (normally
                               used only when ids do not fit in 64 bits) */
    struct ls__textkeys *text_keys; /* optional: normalised text keys
                               shared by co_tweet and co_similar_tweet
                               (default mode) on one store, built by the
                               first of them (ls__textkeys_new/_free);
                               NULL = each layer builds its own */
} ls__co_opts;
typedef struct ls__textkeys ls__textkeys;
ls__textkeys *ls__textkeys_new(void);
void ls__textkeys_free(ls__textkeys *tk);
void ls__co_opts_default(ls__co_opts *o);

/* One edge of one layer.  Undirected edges have u < v; directed (qut)
 * edges go u -> v.  ev[] holds up to LS__EV evidence ids, smallest first
 * (objects in default mode, u's post ids in qut mode; LS__NONE = unused). */
#define LS__EV 5
typedef struct ls__edge {
    uint32_t u, v;
    uint32_t count;          /* distinct objects (default) / posts m1 (qut) */
    float weight;            /* IDF-weighted count (default) / count (qut) */
    float sig;               /* -log10 P(X >= count) under the null; 0 in qut */
    uint32_t ev[LS__EV];
} ls__edge;

typedef struct ls__co_stats {
    uint64_t records;          /* (object, time, account) records emitted */
    uint64_t objects;          /* distinct objects with >= 1 record */
    uint64_t pairs_emitted;    /* raw pair co-actions before aggregation */
    uint64_t objects_capped;   /* objects over the per-object cap */
    uint64_t accounts_dropped; /* account-object memberships sampled away */
    uint64_t pairs_capped;     /* account pairs on capped objects that were
                                  not examined: sum of C(k,2) - C(cap,2)
                                  (an upper bound on co-actions lost) */
    uint64_t spill_runs;       /* sorted runs written to the spill folder */
    uint64_t pairs_distinct;   /* distinct account pairs that co-acted at
                                  least once (before min_weight, keep_alpha) */
    double lambda_scale;       /* null model: S2 * q / A^2 (see networks.md) */
} ls__co_stats;

typedef struct ls__edges {
    int layer;
    int directed;
    ls__edge *e;
    size_t n;
    ls__co_stats st;
    /* per-account activity in this layer (distinct objects), n_accounts */
    uint32_t *activity;
    /* co_text only (else NULL): per account, the accounts it co-acted with
     * at least once (its degree in the layer's whole co-action graph,
     * st.pairs_distinct edges), for the group test's null (dense.c) */
    uint32_t *partners;
} ls__edges;
void ls__edges_free(ls__edges *E);

/* Computes one layer.  Work O(records + pairs); memory within
 * ls__memory_budget(ctx), spilling sorted pair runs to ls__tmpdir(ctx).
 * Output is sorted by (u, v) and identical for any thread count. */
int ls__coaction(ls_ctx *ctx, const ls_store *st, int layer,
                 const ls__co_opts *o, ls__edges *out);

/* Drops the resident pages of the store's mapping (it is read-only and
 * backed by the file, so what is read again faults back from the page
 * cache): a layer calls it once it is done with the columns it read, so
 * that they do not add to the peak memory of what follows. */
void ls__store_drop_pages(const ls_store *st);

/* ---- records: the objects a layer sees ----
 * Each record is one u64: object << 32 | event_index << 1 | passive.
 * Events are sorted by time, so the event index is a time rank.  Passive
 * records (qut co_similar_tweet only) can be the second account of a
 * co-action but never the first. */
typedef struct ls__recs {
    uint64_t *r;
    size_t n, cap;
    /* object naming: how ids in this layer map to the store */
    int obj_kind;            /* enum ls__obj_kind */
} ls__recs;
enum ls__obj_kind {
    LS_OBJ_POST = 0,   /* id in LS_NS_POST */
    LS_OBJ_TEXT,       /* id in LS_NS_TEXT (representative text) */
    LS_OBJ_URL, LS_OBJ_DOMAIN, LS_OBJ_ACCOUNT, LS_OBJ_IMAGE,
    LS_OBJ_EVENT,      /* event index whose hashtag set is the object */
    LS_OBJ_BUCKET      /* time bucket number (co_post) */
};
int ls__records_emit(ls_ctx *ctx, const ls_store *st, int layer,
                     const ls__co_opts *o, ls__recs *out);
/* records.c: appends one record (object, event, passive flag). */
int ls__recs_push(ls__recs *R, uint32_t obj, uint64_t ev, int passive);
/* records_text.c: the text layers' records (called by ls__records_emit). */
int ls__emit_tweet(ls_ctx *ctx, const ls_store *st, const ls__co_opts *o, ls__recs *R);
int ls__emit_similar(ls_ctx *ctx, const ls_store *st, const ls__co_opts *o, ls__recs *R);
int ls__emit_similar_qut(ls_ctx *ctx, const ls_store *st, const ls__co_opts *o, ls__recs *R);
/* co_text: the near-duplicate clusters of co_similar_tweet (reused from
 * o->text_keys when co_similar_tweet built them on the same store) whose
 * representative text is informative (ls__text_info >= LS__TEXT_MIN_INFO);
 * ls__coaction sweeps its objects with no window. */
int ls__emit_text(ls_ctx *ctx, const ls_store *st, const ls__co_opts *o, ls__recs *R);
/* Information of a normalised text: letters and digits outside hashtags,
 * a character of a script written without spaces (Han, kana, Hangul)
 * counting 3.  Short cries, chants and stock replies that crowds post
 * independently ("goal!!! #rfcvatn", "we love you so much") stay under
 * LS__TEXT_MIN_INFO; a sentence of a dozen words is far above it. */
uint32_t ls__text_info(ls__str norm);
#define LS__TEXT_MIN_INFO 24
/* Text layers look only at originals, replies and quotes. */
static inline int ls__is_nonretweet(const ls_store *st, uint64_t i)
{
    return st->ev_kind[i] != LS_KIND_RETWEET;
}
void ls__recs_free(ls__recs *R);
/* Human-readable name of object id of a layer (appends to b). */
int ls__object_name(const ls_store *st, int obj_kind, uint32_t id,
                    int64_t window_ms, ls__buf *b);
int ls__layer_obj_kind(int layer, int qut);

/* ---- radix sort ---- */
/* Sorts a[0..n) ascending (LSD, 11-bit digits, constant digits skipped);
 * tmp must hold n elements.  O(n) per non-constant digit. */
void ls__radix_u64(uint64_t *a, uint64_t *tmp, size_t n);
/* A pair entry of the co-action stage: hi = account pair, lo = evidence
 * id (object, or u's post in qut mode). */
typedef struct ls__kv { uint64_t hi, lo; } ls__kv;
/* Sorts by (hi, lo), same scheme. */
void ls__radix_kv(ls__kv *a, ls__kv *tmp, size_t n);
/* minhash.c: stable LSD sort of a[0..n) by bits lo_bit..63 only (keys
 * equal there keep their order); tmp holds n.  Sorting (hash << b | index)
 * keys built in index order this way costs ceil((64 - b) / 11) passes. */
void ls__radix_u64_from(uint64_t *a, uint64_t *tmp, size_t n, int lo_bit);
/* minhash.c: runs fn(arg, t, T) for t = 0..T-1 on T threads (the calling
 * thread is one; a thread that cannot start runs afterwards on it). */
void ls__par_for(int T, void (*fn)(void *arg, int t, int T), void *arg);

/* ---- text ---- */
/* QUT co_tweet key: lowercase, every "@..." token removed, whitespace
 * collapsed to single spaces, trimmed. */
int ls__text_norm_qut(ls__str in, ls__buf *out);
/* Our key: leading "RT @x:" removed, NFKC + casefold, URLs and @mentions
 * removed, whitespace collapsed. */
int ls__text_norm(ls__str in, ls__buf *out);
/* The same with caller-owned scratch buffers (no allocation per text once
 * they have grown); free them with ls__norm_scratch_free. */
typedef struct ls__norm_scratch { ls__buf a, b; } ls__norm_scratch;
int ls__text_norm_with(ls__str in, ls__buf *out, ls__norm_scratch *sc);
void ls__norm_scratch_free(ls__norm_scratch *sc);
/* The definition ls__text_norm must equal: utf8proc_map on every text,
 * no per-code-point table (for tests). */
int ls__text_norm_ref(ls__str in, ls__buf *out);
/* QUT word set (lowercased, mentions removed, word-boundary tokens):
 * sorted distinct 64-bit token hashes appended to *h (grown). */
int ls__text_words_qut(ls__str in, uint64_t **h, size_t *n, size_t *cap);

/* ---- near duplicates ---- */
#define LS__MH_K 64          /* MinHash values per text */
/* Computes MinHash signatures of n texts (already normalised, UTF-8)
 * from character 4-gram shingles; sig gets n * LS__MH_K values.  A text
 * with no code point gets all UINT32_MAX (matches nothing). */
int ls__minhash_texts32(ls_ctx *ctx, const ls__str *texts, size_t n,
                        uint64_t seed, uint32_t *sig);
/* The same with the values widened to 64 bits (empty: all UINT64_MAX). */
int ls__minhash_texts(ls_ctx *ctx, const ls__str *texts, size_t n,
                      uint64_t seed, uint64_t *sig);
/* Signature of one set of 64-bit element hashes (32-bit values: half the
 * memory of 64-bit ones, and a false match per bin is 2^-32). */
void ls__minhash_set(const uint64_t *h, size_t n, uint64_t seed, uint32_t *sig);
/* The same for n sets at once (sets[i]: bytes of 8-aligned uint64_t
 * hashes), on all threads; sig gets n * LS__MH_K values. */
void ls__minhash_sets32(ls_ctx *ctx, const ls__str *sets, size_t n, uint64_t seed, uint32_t *sig);
/* LSH-bands the signatures and unions candidates whose estimated Jaccard
 * is >= threshold; root[i] gets the smallest index of i's cluster. */
int ls__lsh_cluster(ls_ctx *ctx, const uint32_t *sig, size_t n,
                    double threshold, uint32_t *root);
/* Candidate pairs (i < j) whose signatures share a band; *pairs is
 * packed i << 32 | j, sorted and distinct. */
int ls__lsh_pairs(ls_ctx *ctx, const uint32_t *sig, size_t n,
                  uint64_t **pairs, size_t *n_pairs);

/* ---- significance ---- */
/* -log10 P(X >= c) for X ~ Poisson(lambda); capped at 300. */
double ls__poisson_sf_log10(uint32_t c, double lambda);

/* ---- evidence ---- */
typedef struct ls__evid {
    uint32_t obj;            /* object id (layer's obj kind) */
    uint32_t post_u, post_v; /* posts of u and of v */
    int64_t t_u, t_v;        /* their times, ms */
} ls__evid;
/* Every co-action of accounts a and b in one layer (up to max, earliest
 * objects first); *total gets the full count. */
int ls__why(ls_ctx *ctx, const ls_store *st, int layer, const ls__co_opts *o,
            uint32_t a, uint32_t b, ls__evid *ev, size_t max, size_t *n,
            size_t *total);

/* ---- profiles ---- */
typedef struct ls__profile {
    uint32_t account;
    uint64_t posts, retweets;
    double retweet_share;
    int64_t created_ms;          /* LS__TIME_NONE unknown */
    uint32_t cohort_size;        /* accounts created within ±cohort days */
    double cohort_ratio;         /* cohort day count / rolling median */
    char name_template[64];      /* "Aa9" shape with run lengths */
    char name_shape[64];         /* collapsed: runs without counts */
    uint32_t template_count;     /* accounts sharing name_template */
    uint32_t hours[168];         /* hour-of-week histogram (UTC, Mon 0h = 0) */
    int utc_offset;              /* implied offset in hours, -12..14 */
    double office_score;         /* share of posts in weekday 9-18 local */
    uint16_t top_client[3]; uint64_t top_client_n[3];
    uint16_t top_lang[3]; uint64_t top_lang_n[3];
    int64_t followers, following;
} ls__profile;
typedef struct ls__profiles {
    size_t n;                    /* = number of accounts */
    ls__profile *p;
} ls__profiles;
int ls__profiles_compute(ls_ctx *ctx, const ls_store *st, ls__profiles *out);
void ls__profiles_free(ls__profiles *P);
/* Node table CSV (account, screen_name, posts, retweet_share, created,
 * cohort_size, cohort_ratio, name_template, template_count, utc_offset,
 * office_score, top_client, top_lang, followers, following) of every
 * account, or of those with keep[a] != 0; path "-" is stdout. */
int ls__profiles_write_csv(ls_ctx *ctx, const ls_store *st, const ls__profiles *P,
                           const uint8_t *keep, const char *path);
/* Screen-name template: letters -> A/a, digits -> 9, other -> '_' or the
 * byte; runs written "A1a5" style into tmpl, and without counts into
 * shape.  Both NUL-terminated, truncated to cap-1. */
void ls__name_template(ls__str name, char *tmpl, size_t cap_t,
                       char *shape, size_t cap_s);
/* Best UTC offset (hours) for a 168-bin UTC histogram assuming an office
 * schedule (weekdays 9-18 local); *score = share of posts inside it. */
int ls__office_offset(const uint32_t hours[168], double *score);

/* ---- stage timings (timing.c) ----
 * With LOCKSTEP_TIMING=1 in the environment, ls__timing prints the wall
 * and CPU seconds since the previous mark and the resident memory to
 * stderr (never to output files); otherwise it does nothing. */
int ls__timing_on(void);
void ls__timing(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* LS_SIGNALS_H */
