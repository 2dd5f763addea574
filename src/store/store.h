/*
 * store.h — the event store: an immutable, memory-mapped, columnar file
 * (reader side) and the builder that ingest fills (writer side).
 *
 * Every string (account id, post id, hashtag, URL, domain, text, name, ...)
 * is interned once into a namespace and referred to by a dense uint32 id;
 * LS__NONE (UINT32_MAX) means "absent".  Events are posts, sorted by
 * (time, post id), one row per distinct post id.  Per-event columns take
 * 45 bytes; the variable-length attributes of a post (hashtags, URLs,
 * domains, mentions, images, non-zero engagement counts) are entries in one
 * shared list column addressed by ev_list[i] .. ev_list[i+1].
 *
 * File layout (all little-endian, every section 64-byte aligned):
 *   header  { magic "LSSTORE\0", u32 version, u32 n_sections,
 *             u64 file_size, u64 checksum (XXH3-64 of all bytes after the
 *             header), section table [{u32 id, u32 elem_size, u64 offset,
 *             u64 count}] }
 * The reader maps the file and points the columns below into it: opening
 * is O(1) apart from the checksum pass (skipped with LS_STORE_NOVERIFY).
 */
#ifndef LS_STORE_H
#define LS_STORE_H

#include "../core/core.h"

/* String namespaces. */
enum ls__ns {
    LS_NS_ACCOUNT = 0, /* account ids as given (numeric, hashed, or "@name") */
    LS_NS_POST,        /* post ids as given */
    LS_NS_HASHTAG,     /* hashtags, casefolded, without '#' */
    LS_NS_URL,         /* normalised URLs */
    LS_NS_DOMAIN,      /* host of a URL, lowercase, without "www." */
    LS_NS_TEXT,        /* post texts as given (UTF-8 repaired) */
    LS_NS_NAME,        /* screen names and display names */
    LS_NS_LANG,        /* language codes */
    LS_NS_CLIENT,      /* client app names */
    LS_NS_IMAGE,       /* image hashes / media keys */
    LS_NS_MISC,        /* locations, descriptions, profile URLs */
    LS_NS_COUNT
};

/* Event kinds. */
enum ls__kind {
    LS_KIND_TWEET = 0,   /* an original post */
    LS_KIND_RETWEET = 1, /* ref_post is the retweeted post */
    LS_KIND_QUOTE = 2,   /* ref_post is the quoted post */
    LS_KIND_REPLY = 3    /* reply_post is the parent (a quote may also reply) */
};

/* List entry types (ls__store.li_type). */
enum ls__li {
    LS_LI_HASHTAG = 0,   /* id in LS_NS_HASHTAG */
    LS_LI_URL = 1,       /* id in LS_NS_URL */
    LS_LI_DOMAIN = 2,    /* id in LS_NS_DOMAIN (one per distinct domain) */
    LS_LI_MENTION = 3,   /* id in LS_NS_ACCOUNT */
    LS_LI_IMAGE = 4,     /* id in LS_NS_IMAGE */
    LS_LI_LIKES = 5,     /* id is the count itself (saturated at 2^32-2) */
    LS_LI_RETWEETS = 6,
    LS_LI_REPLIES = 7,
    LS_LI_QUOTES = 8
};

/* Reasons a row was rejected or repaired; the table gives the key used in
 * `info --json` and the summary text. */
#define LS_DIAG_TABLE(X)                                                   \
    X(LS_DIAG_BAD_QUOTING,   "bad_quoting",   "bad CSV quoting")            \
    X(LS_DIAG_COLUMNS,       "column_count",  "wrong number of columns")    \
    X(LS_DIAG_BAD_TIME,      "bad_time",      "missing or bad time")        \
    X(LS_DIAG_BAD_JSON,      "bad_json",      "malformed JSON")             \
    X(LS_DIAG_BAD_UTF8,      "bad_utf8",      "invalid UTF-8 replaced by U+FFFD") \
    X(LS_DIAG_LONG_FIELD,    "long_field",    "over-long field truncated")  \
    X(LS_DIAG_MISSING_ID,    "missing_id",    "missing post or account id") \
    X(LS_DIAG_BAD_NUMBER,    "bad_number",    "unparseable number ignored") \
    X(LS_DIAG_BAD_LIST,      "bad_list",      "malformed list field")       \
    X(LS_DIAG_DUPLICATE,     "duplicate",     "duplicate post id skipped")  \
    X(LS_DIAG_RT_RECOVERED,  "rt_author_recovered", "retweet author recovered from RT @name") \
    X(LS_DIAG_EMPTY_LINE,    "empty_line",    "empty line skipped")         \
    X(LS_DIAG_NOTICE,        "stream_notice", "notice skipped (stream delete/limit, Telegram service)")

enum ls__diag_reason {
#define LS__DIAG_ENUM(id, key, text) id,
    LS_DIAG_TABLE(LS__DIAG_ENUM)
#undef LS__DIAG_ENUM
    LS_DIAG_COUNT
};
/* Which reasons mean the row was dropped (the rest are repairs). */
bool ls__diag_is_reject(int reason);
/* The kind of a reason: LS_DIAG_REJECTED (bad data, the row dropped),
 * LS_DIAG_REPAIRED (the row kept, the damage fixed or left out) or
 * LS_DIAG_SKIPPED (a row that is no post by design: a streaming API's
 * delete or limit notice); and its name, "rejected" ... */
enum { LS_DIAG_REJECTED, LS_DIAG_REPAIRED, LS_DIAG_SKIPPED };
int ls__diag_kind(int reason);
const char *ls__diag_kind_name(int kind);
const char *ls__diag_key(int reason);
const char *ls__diag_text(int reason);

#define LS_DIAG_EXAMPLES 5
typedef struct ls__diag {
    uint64_t count[LS_DIAG_COUNT];
    char example[LS_DIAG_COUNT][LS_DIAG_EXAMPLES][160]; /* "file:line: detail" */
} ls__diag;

/* ---- the reader ---- */
typedef struct ls__strtab {
    uint32_t n;
    const char *blob;
    const uint64_t *off;   /* n+1 offsets into blob */
    uint32_t *index;       /* ids in byte order, built by ls__strtab_find on
                              first use and freed by ls_store_close */
} ls__strtab;
static inline ls__str ls__strtab_get(const ls__strtab *t, uint32_t id) {
    ls__str r = { t->blob + t->off[id], (size_t)(t->off[id + 1] - t->off[id]) };
    return r;
}
/* Id of s in t or LS__NONE; O(log n) after a first call builds an index
 * (not thread-safe on first call). */
uint32_t ls__strtab_find(ls__strtab *t, ls__str s);

struct ls_store {
    char *path;
    void *map; size_t map_size;
    ls__strtab ns[LS_NS_COUNT];

    uint64_t n_events;
    const int64_t  *ev_time;        /* ms since the Unix epoch, UTC */
    const uint32_t *ev_post;        /* LS_NS_POST */
    const uint32_t *ev_account;     /* LS_NS_ACCOUNT */
    const uint32_t *ev_ref_post;    /* retweeted/quoted post or NONE */
    const uint32_t *ev_ref_account; /* its author or NONE */
    const uint32_t *ev_reply_post;  /* replied-to post or NONE */
    const uint32_t *ev_reply_account;
    const uint32_t *ev_text;        /* LS_NS_TEXT or NONE */
    const uint32_t *ev_list;        /* n_events+1 offsets into li_* */
    const uint8_t  *ev_kind;        /* enum ls__kind */
    const uint16_t *ev_lang;        /* LS_NS_LANG id or 0xFFFF */
    const uint16_t *ev_client;      /* LS_NS_CLIENT id or 0xFFFF */

    uint64_t n_list;
    const uint32_t *li_id;
    const uint8_t  *li_type;        /* enum ls__li */

    /* one row per LS_NS_ACCOUNT id */
    const uint32_t *acc_screen;     /* LS_NS_NAME or NONE */
    const uint32_t *acc_display;    /* LS_NS_NAME or NONE */
    const int64_t  *acc_created;    /* ms since epoch or LS__TIME_NONE */
    const int64_t  *acc_followers;  /* -1 unknown */
    const int64_t  *acc_following;  /* -1 unknown */
    const uint16_t *acc_lang;       /* LS_NS_LANG or 0xFFFF */
    const uint32_t *acc_location;   /* LS_NS_MISC or NONE */
    const uint32_t *acc_description;/* LS_NS_MISC or NONE */
    const uint32_t *acc_url;        /* LS_NS_MISC or NONE */

    ls__diag diag;                  /* accumulated over all ingests */
    uint64_t rows_read;             /* rows/lines read over all ingests */
    uint32_t n_inputs;              /* files ingested so far */
};

#define LS_STORE_NOVERIFY 1
int ls__store_open_flags(ls_ctx *ctx, const char *path, int flags, ls_store **out);

/* ---- the builder (used by ingest) ---- */

/* A post as a parser hands it over.  Empty strings (n == 0) mean absent.
 * The builder copies everything; the record's memory may be reused as
 * soon as ls__builder_add_post returns. */
typedef struct ls__rec {
    ls__str post_id, account_id;
    ls__str screen_name, display_name;   /* of the author, optional */
    int64_t time_ms;                     /* LS__TIME_NONE if unknown */
    int kind;                            /* enum ls__kind */
    ls__str ref_post, ref_account;       /* retweet/quote target */
    ls__str ref_screen_name;             /* target author's name when the id
                                            is unknown (RT @name recovery) */
    ls__str reply_post, reply_account;
    ls__str text, lang, client;
    const ls__str *hashtags; size_t n_hashtags;   /* casefolded, no '#' */
    const ls__str *urls; size_t n_urls;           /* normalised (ingest does it) */
    const ls__str *domains; size_t n_domains;     /* distinct hosts of urls */
    const ls__str *mentions; size_t n_mentions;   /* account ids */
    const ls__str *images; size_t n_images;
    int64_t likes, retweets, replies, quotes;     /* -1 unknown */
    /* author profile as of this post (optional; -1 / NONE if absent) */
    int64_t followers, following, created_ms;
    ls__str account_lang, location, description, profile_url;
} ls__rec;

/* An account as a users file or an includes.users block describes it. */
typedef struct ls__acct {
    ls__str account_id, screen_name, display_name;
    int64_t followers, following, created_ms;  /* -1 / TIME_NONE unknown */
    ls__str account_lang, location, description, profile_url;
} ls__acct;

static inline void ls__rec_clear(ls__rec *r) {
    memset(r, 0, sizeof *r);
    r->time_ms = LS__TIME_NONE;
    r->likes = r->retweets = r->replies = r->quotes = -1;
    r->followers = r->following = -1;
    r->created_ms = LS__TIME_NONE;
}
static inline void ls__acct_clear(ls__acct *a) {
    memset(a, 0, sizeof *a);
    a->followers = a->following = -1;
    a->created_ms = LS__TIME_NONE;
}

typedef struct ls__builder ls__builder;
int  ls__builder_new(ls_ctx *ctx, ls__builder **out);
/* Folder for the builder's spill files (unlinked temporary files that
 * keep ingest's memory bounded; default: the context's spill folder).
 * Ingest passes the store's folder.  Call before adding anything. */
void ls__builder_set_spill_dir(ls__builder *b, const char *dir);
/* Loads an existing store so that new rows are appended to it. */
int  ls__builder_load(ls__builder *b, const char *store_path);
/* Adds a post.  A post id seen before is counted as LS_DIAG_DUPLICATE
 * (the caller passes file and line for the example) and skipped.
 * Returns LS_OK, LS_ERR_NOMEM or LS_ERR_LIMIT. */
int  ls__builder_add_post(ls__builder *b, const ls__rec *r,
                          const char *file, uint64_t line);
/* The same in two steps, so that a pipeline can hash on one thread and
 * intern on another: ls__builder_hash_post fills h with the
 * ls__builder_hash_count(r) hashes of r's interned strings (it touches
 * nothing but r); ls__builder_prefetch_post asks the cache for what r
 * will read, in three stages (0: hash slots, 1: string offsets, 2: string
 * bytes), each needing the previous one to have arrived: call stage 0
 * three records ahead, 1 two and 2 one (it reads only r's counts and h,
 * not r's strings); add_post_h is
 * add_post with those hashes.  The store is the same either way. */
size_t ls__builder_hash_count(const ls__rec *r);
void ls__builder_hash_post(const ls__rec *r, uint64_t *h);
void ls__builder_prefetch_post(const ls__builder *b, const ls__rec *r, const uint64_t *h,
                               int stage);
int  ls__builder_add_post_h(ls__builder *b, const ls__rec *r, const uint64_t *h,
                            const char *file, uint64_t line);
/* The post split in two, for a pipeline whose parser thread owns the
 * post namespace (LS_NS_POST) while the builder thread interns the rest:
 * ls__builder_claim_post interns r's post id and referenced post ids
 * (h from ls__builder_hash_post) and marks
 * the post id as having an event, reporting failures on ctx; it returns
 * LS_OK with ids->skip set and a diagnostic in ids->reason and
 * ids->detail when the post is not added (an id missing), or ids->dup
 * and the diagnostic when it repeats a post id that has an event (the
 * caller reports it, and still passes the post to add_claimed, which
 * interns its strings and applies its profile values but adds no event),
 * and ls__builder_add_claimed adds the rest of a claimed post (file and
 * line: where it comes from, for a duplicate found at write time).  Calls of
 * claim must come in the order of the posts, and add_claimed must not
 * run at the same time as a claim or another builder call, except on
 * another thread while claims touch only the namespaces they own: the
 * store is then the same as with ls__builder_add_post. */
typedef struct ls__post_ids {
    uint32_t post, ref_post, reply_post;
    int skip, dup, reason;
    char detail[120];
} ls__post_ids;
int  ls__builder_claim_post(ls__builder *b, ls_ctx *ctx, const ls__rec *r, const uint64_t *h,
                            ls__post_ids *ids);
/* ls__builder_prefetch_post for what a claim reads (the post namespace):
 * the claiming thread's to call. */
void ls__builder_prefetch_claim(const ls__builder *b, const ls__rec *r, const uint64_t *h,
                                int stage);
int  ls__builder_add_claimed(ls__builder *b, const ls__rec *r, const uint64_t *h,
                             const ls__post_ids *ids, const char *file, uint64_t line);
/* Size hints, from ingest's estimate of the rows still to come (the
 * file's size over the bytes its first rows took): the post namespace
 * makes room for `more` new post ids and the event columns (with their
 * list entries, at the rate seen so far) for `more` events, so that
 * neither regrows row by row: a rehash touches a new table and moves
 * every entry, a growing column is copied while it is small.  A wrong
 * hint costs memory (an oversized post table) or nothing (columns past
 * 4 MiB are their own mappings, whose untouched pages are free), never
 * a different store; room that cannot be had is simply not made (the
 * builder grows as it needs later).  expect_posts belongs to the thread
 * that claims, expect_events to the one that adds. */
void ls__builder_expect_posts(ls__builder *b, size_t more);
/* expect_posts for rows_left rows at the rate of new post ids seen over
 * the last `posts` posts (the ids beyond ids0), at most ids_max. */
void ls__builder_expect_posts_from(ls__builder *b, size_t rows_left, size_t posts, size_t ids0,
                                   size_t ids_max);
void ls__builder_expect_events(ls__builder *b, size_t more);
/* Distinct post ids so far (the claiming thread's to read). */
size_t ls__builder_post_count(const ls__builder *b);
/* Adds or updates an account profile (later values win). */
int  ls__builder_add_account(ls__builder *b, const ls__acct *a);
/* Counts a rejected or repaired row with a file:line example. */
void ls__builder_diag(ls__builder *b, int reason, const char *file,
                      uint64_t line, const char *detail);
ls__diag *ls__builder_diag_table(ls__builder *b);
void ls__builder_count_rows(ls__builder *b, uint64_t rows);
void ls__builder_count_input(ls__builder *b);
/* Where the builder reports failures; ingest points it at a private
 * context while the builder runs on its own thread. */
void ls__builder_set_ctx(ls__builder *b, ls_ctx *ctx);
/* Resolves "RT @name" authors, sorts events, writes the store atomically. */
int  ls__builder_write(ls__builder *b, const char *path);
void ls__builder_free(ls__builder *b);

#endif /* LS_STORE_H */
