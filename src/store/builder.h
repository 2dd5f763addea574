/*
 * builder.h — the builder's state, private to src/store/builder*.c.
 *
 * Events are kept as growable column arrays in arrival order; the list
 * entries of event i are li_*[ev_list[i] .. ev_list[i+1]) (the last bound
 * is n_li).  Accounts get one profile row per LS_NS_ACCOUNT id, created
 * the moment the id is first interned.  Retweets whose author is known
 * only by screen name wait in rt_* until ls__builder_write resolves them.
 *
 * Spilling (builder_spill.c): the RAM columns hold only events
 * [ev_base, n_ev) and list entries [li_base, n_li); older ones are in one
 * unlinked temporary file per column in spill_dir, appended whenever the
 * RAM part reaches spill_at bytes.  The pools spill their blobs the same
 * way (pool.h).  Before the store is written every spilled column is
 * mapped whole (ls__builder_map_cols), so the sort, the RT resolution and
 * the writer index all events as before; each mapped column's pages are
 * dropped once its section is written.
 */
#ifndef LS_STORE_BUILDER_H
#define LS_STORE_BUILDER_H

#include "store.h"
#include "pool.h"

enum { LS__N_EV_COLS = 12, LS__N_COLS = 14 };
/* The account profile columns, in the order of their store sections. */
enum { LS__ACC_SCREEN, LS__ACC_DISPLAY, LS__ACC_CREATED, LS__ACC_FOLLOWERS, LS__ACC_FOLLOWING,
       LS__ACC_LANG, LS__ACC_LOCATION, LS__ACC_DESCRIPTION, LS__ACC_URL, LS__N_ACC_COLS };

struct ls__builder {
    ls_ctx *ctx;
    ls__pool ns[LS_NS_COUNT];

    /* events, arrival order */
    size_t n_ev, ev_cap;
    int64_t *ev_time;
    uint32_t *ev_post, *ev_account, *ev_ref_post, *ev_ref_account;
    uint32_t *ev_reply_post, *ev_reply_account, *ev_text, *ev_list;
    uint8_t *ev_kind;
    uint16_t *ev_lang, *ev_client;

    /* list entries */
    size_t n_li, li_cap;
    uint32_t *li_id;
    uint8_t *li_type;

    /* one flag per LS_NS_POST id: 1 once an event with that id exists */
    uint8_t *post_has_ev;
    size_t post_cap;

    /* account profiles, one row per LS_NS_ACCOUNT id; the arrays exist
     * only once some account has a profile value (acc_prof), until then
     * every row is the default (ls__builder_profiles) */
    size_t n_acc, acc_cap;
    int acc_prof;
    /* per account: XXH3-128 of the last profile values applied (0, 0:
     * none), so a row that repeats them costs one hash, not five string
     * comparisons */
    uint64_t *acc_fp;
    uint32_t *acc_screen, *acc_display, *acc_location, *acc_description, *acc_url;
    int64_t *acc_created, *acc_followers, *acc_following;
    uint16_t *acc_lang;

    /* pending "RT @name" authors: pairs of event index and LS_NS_NAME id,
     * rt[2k], rt[2k + 1]; the first rt_spilled pairs are in the spill
     * file rt_fd (-1: none), n_rt counts the pairs in RAM */
    size_t n_rt, rt_cap;
    uint32_t *rt;
    uint64_t rt_spilled;
    int rt_fd;

    /* freezing (builder_freeze.c): the strings a frozen pool did not
     * hold, by namespace (NULL until its first), and where the events
     * whose post id is one of them came from (ls__builder_origin) */
    struct ls__xd *xd[LS_NS_COUNT];
    int orig_fd;                   /* -1 until the first origin */
    ls__buf orig;                  /* origins not written yet */
    char **input_names;            /* the inputs those origins name */
    size_t n_input_names, input_names_cap;
    const char *last_file;         /* the file of the last origin */
    uint64_t n_orig;               /* origins recorded */
    /* examples of duplicates found at once after the first origin, each
     * after n_orig origins (ls__builder_dup_later) */
    struct { uint64_t after; char text[160]; } dup_ex[LS_DIAG_EXAMPLES];
    int n_dup_ex;

    /* events dropped at write time, one bit each (bit i of word i / 64),
     * NULL when none is: duplicates found only when the post ids beyond
     * a frozen pool are resolved (builder_freeze.c); n_drop bits are set.
     * The sort and the writer leave these events out (the store has
     * n_ev - n_drop events) together with their list entries. */
    uint64_t *ev_drop;
    size_t n_drop;

    /* accounts beyond a frozen account pool (builder_acct.c): the
     * profile values applied to provisional accounts, logged in row order
     * (plog: records not written yet, plog_fd: the rest, n_plog records
     * in all); at write time folded into one row per account past the
     * pool, one spill file per profile column (tail_fd, in the order of
     * ls__acct_col, n_tail rows); and the synthetic "@name" accounts that
     * the RT @name resolution makes once the pool froze (extra, ids after
     * the tail's, their screen names in extra_screen) */
    int plog_fd;
    ls__buf plog;
    uint64_t n_plog;
    /* 1 once a row of an account the pool holds was logged (a value past
     * the frozen name or profile-string pool): from then on all are */
    int plog_held;
    int tail_fd[LS__N_ACC_COLS];
    uint64_t n_tail;
    ls__intern extra;
    uint32_t *extra_screen;
    size_t extra_cap;

    ls__diag diag;
    uint64_t rows_read;
    uint32_t n_inputs;

    /* spilling */
    char spill_dir[4096];
    size_t spill_at;               /* pools; 0: nothing spills */
    size_t col_spill_at;           /* event and list columns; 0: never */
    size_t ev_base, li_base;       /* first event / entry held in RAM */
    int col_fd[LS__N_COLS];        /* -1 until that column spills */
    size_t col_map[LS__N_COLS];    /* bytes mapped by ls__builder_map_cols */
    /* 1 while column k holds only its default (every byte 0xFF: LS__NONE
     * or 0xFFFF) and has no memory and no spill file at all: the
     * referenced and replied-to posts and accounts, texts, languages and
     * clients, which many inputs (QUT CSV, mapped CSV, the projected
     * ingest of `network` on raw files) never fill (ls__builder_col_fill) */
    unsigned char col_dflt[LS__N_COLS];
    int mapped;                    /* columns mapped: no more adding */
    int spill_err;                 /* errno of the last failed spill */
};

/* The event columns (LS__N_EV_COLS, the order of ls__builder_cols), then
 * li_id and li_type. */
static inline void ls__builder_cols(ls__builder *b, void **arrs[LS__N_COLS])
{
    void **a[LS__N_COLS] = { (void **)&b->ev_time, (void **)&b->ev_post, (void **)&b->ev_account,
                             (void **)&b->ev_ref_post, (void **)&b->ev_ref_account,
                             (void **)&b->ev_reply_post, (void **)&b->ev_reply_account,
                             (void **)&b->ev_text, (void **)&b->ev_list, (void **)&b->ev_kind,
                             (void **)&b->ev_lang, (void **)&b->ev_client,
                             (void **)&b->li_id, (void **)&b->li_type };
    memcpy(arrs, a, sizeof a);
}
static inline size_t ls__builder_col_elem(int k)
{
    static const unsigned char elem[LS__N_COLS] = { 8, 4, 4, 4, 4, 4, 4, 4, 4, 1, 2, 2, 4, 1 };
    return elem[k];
}
/* Columns that start without memory while they hold only defaults. */
static inline int ls__builder_col_lazy(int k)
{
    return (k >= 3 && k <= 7) || k == 10 || k == 11;
}
/* Gives column k memory (and, for events already spilled, a spill file)
 * holding the default for every event so far (builder.c). */
int ls__builder_col_fill(ls__builder *b, int k);

static inline int ls__builder_dropped(const ls__builder *b, size_t i)
{
    return b->ev_drop && (b->ev_drop[i >> 6] >> (i & 63)) & 1;
}

/* Bytes of one event in the event columns. */
#define LS__EV_BYTES 45u

/* Appends the RAM part of the event columns (first) or of the list
 * entries (first = LS__N_EV_COLS) to their spill files. */
int ls__builder_spill_cols(ls__builder *b, int first);
/* Maps every spilled column whole (ev_base and li_base become 0); the
 * builder takes no more posts afterwards. */
int ls__builder_map_cols(ls__builder *b);
/* Drops the pages of a mapped column from memory (a no-op for one in
 * RAM): its bytes stay in the spill file. */
void ls__builder_drop_col(ls__builder *b, const void *col);
/* Spill threshold in bytes for the columns and every pool (0: never);
 * LOCKSTEP_SPILL_AT sets it for a whole run, tests set it small so that
 * the spill code runs on small inputs (by default the columns' threshold
 * is larger, builder.c).  Call before adding anything. */
void ls__builder_spill_at(ls__builder *b, size_t at);
/* Releases the columns (munmap or free) and closes the spill files. */
void ls__builder_free_cols(ls__builder *b);

/* Freezing (builder_freeze.c).  The budgets of the pools that freeze
 * (the namespaces whose strings grow with the input: posts, texts,
 * URLs, list strings, accounts, names, profile strings),
 * from LOCKSTEP_FREEZE_AT or the defaults; called by ls__builder_new. */
void ls__builder_freeze_init(ls__builder *b);
/* Records string s of namespace ns, which its frozen pool gave
 * LS__PROV; flags as in xdedup.h (LS__XD_EVENT for a post's own id,
 * LS__XD_ORPHAN when no column will hold the value).  Failures go to
 * ctx (the calling thread's). */
int ls__builder_prov(ls__builder *b, ls_ctx *ctx, int ns, ls__str s, uint64_t h, unsigned flags);
/* Records where the event being added comes from: events whose post id
 * is provisional may turn out to be duplicates, reported at write time. */
int ls__builder_origin(ls__builder *b, const char *file, uint64_t line);
/* At write time, with the columns mapped: gives the provisional values
 * their ids, drops the events that were duplicates (ev_drop) with their
 * diagnostics.  A no-op when no pool froze. */
int ls__builder_unfreeze(ls__builder *b);
/* Keeps the example of a duplicate found at once after some origin
 * was recorded, to be placed among those found at write time. */
void ls__builder_dup_later(ls__builder *b, const char *text);
/* Formats an example "file:line: detail" into ex (cap bytes; a UTF-8
 * sequence is never cut). */
void ls__builder_format_example(char *ex, size_t cap, const char *file, uint64_t line,
                                const char *detail);
/* Fills the first free example slot of reason with text. */
void ls__builder_diag_example(ls__builder *b, int reason, const char *text);
/* Strings namespace k has beyond its pool (0 unless it froze), their
 * bytes, and a call of fn for each in id order. */
uint64_t ls__builder_xd_count(const ls__builder *b, int k);
uint64_t ls__builder_xd_bytes(const ls__builder *b, int k);
int ls__builder_xd_each(ls__builder *b, int k, int (*fn)(void *u, ls__str s), void *u);
/* The same strings' lengths only, without reading them. */
int ls__builder_xd_each_len(ls__builder *b, int k, int (*fn)(void *u, uint64_t n), void *u);
void ls__builder_freeze_free(ls__builder *b);

/* Accounts beyond a frozen account pool (builder_acct.c). */
void ls__builder_acct_init(ls__builder *b);
void ls__builder_acct_free(ls__builder *b);
/* Logs the profile values of account a: an id the pool holds, or
 * LS__PROV for the provisional account just recorded (the last
 * occurrence of the account deduplicator); the strings are ids of their
 * namespaces or LS__PROV, lang_set says whether a language was given
 * (lang may still be the 16-bit default when that namespace is full). */
int ls__builder_acct_log(ls__builder *b, uint32_t a, const uint32_t str[5], uint16_t lang, int lang_set,
                         int64_t created, int64_t followers, int64_t following);
/* Logs that the pending RT @name pair being added has a provisional name
 * (the name pool froze), so that the fold gives it its id. */
int ls__builder_acct_log_rt(ls__builder *b);
/* The same for an account of a store being loaded for an append: its
 * row, account id b->n_acc + k (the k-th account past the pool). */
int ls__builder_acct_log_loaded(ls__builder *b, uint64_t k, const uint32_t str[5], uint16_t lang,
                                int64_t created, int64_t followers, int64_t following);
/* At write time, after the account deduplicator is resolved: the
 * provisional values of the account columns and mention entries get
 * their ids, and the logged profiles are folded into the tail's rows. */
int ls__builder_acct_unfreeze(ls__builder *b);
/* Accounts in all: the pool's, the tail's and the extra ones. */
uint64_t ls__builder_acct_count(const ls__builder *b);
/* Reads the values of profile column c (LS__ACC_*) of tail accounts
 * k .. k+n-1 into p; sets the screen name (LS_NS_NAME id) of one. */
int ls__builder_tail_read(ls__builder *b, int c, uint64_t k, size_t n, void *p);
int ls__builder_tail_set_screen(ls__builder *b, uint64_t k, uint32_t v);
/* Shared by the walks of builder_freeze.c and builder_acct.c: the id of
 * the next occurrence of x that a column holds (*used counts those
 * read); drops the pages of mapped column k before event or entry upto. */
int ls__builder_next_held(struct ls__xd *x, uint64_t *used, uint32_t *id, unsigned *flags);
void ls__builder_drop_upto(ls__builder *b, int k, size_t upto);
/* A new synthetic account (string s, screen name id screen) once the
 * pool froze: its id, after every other account's. */
int ls__builder_extra_account(ls__builder *b, ls__str s, uint32_t screen, uint32_t *out);

/* Interns an account id and makes sure it has a profile row. */
int ls__builder_account_id(ls__builder *b, ls__str id, uint32_t *out);
/* A string of a store being loaded for an append (builder_load.c): as
 * ls__builder_put, but past a frozen pool the string is recorded as held
 * by no column, and, for a post id with an event in the store (event),
 * as an event's id. */
int ls__builder_put_loaded(ls__builder *b, int ns, ls__str s, int event, uint32_t *out);
/* Interns s in namespace ns (LS__NONE for an empty string). */
int ls__builder_put(ls__builder *b, int ns, ls__str s, uint32_t *out);

/* Makes the account profile arrays exist for the n_acc accounts (all
 * default values), if they do not yet. */
int ls__builder_profiles(ls__builder *b);

/* *perm: NULL if the events are in store order already, else n_ev event
 * indices in store order, for the caller to free (builder_sort.c). */
int ls__builder_sort(ls__builder *b, uint32_t **perm);
/* Attributes pending "RT @name" events to accounts (builder_resolve.c). */
int ls__builder_resolve(ls__builder *b);

#endif /* LS_STORE_BUILDER_H */
