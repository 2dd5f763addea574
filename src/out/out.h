/*
 * out.h — internal interface of the outputs stage: the HTML report, the
 * takedown list, the transparency archive (IO-archive format with keyed
 * pseudonyms), GEXF/GraphML per network and the manifest.
 *
 * Everything here reads a finished run folder (accounts.csv, networks.json,
 * edges.csv written by `lockstep detect`) plus the event store the run was
 * made from.  Outputs are byte-identical for the same inputs: no clocks, no
 * unseeded randomness, every list sorted before it is written.
 *
 * Text written by the adversary (tweets, names, descriptions, URLs) passes
 * through exactly one of the escaping functions below, chosen by the
 * context it lands in.
 */
#ifndef LS_OUT_H
#define LS_OUT_H

#include "../core/core.h"
#include "../store/store.h"
#include <jansson.h>

/* ---- escaping, one function per output context ---- */
/* HTML (or XML) element body or double-quoted attribute value: & < > " '
 * become entities; invalid UTF-8, C0 controls other than tab, CR and LF,
 * DEL, U+FFFE and U+FFFF become U+FFFD.  Safe in all four contexts. */
int ls__html_text(ls__buf *b, const char *s, size_t n);
static inline int ls__html_textc(ls__buf *b, const char *s) { return ls__html_text(b, s, s ? strlen(s) : 0); }
/* True when s is an absolute http or https URL without spaces or control
 * characters, which is the only kind the report makes clickable. */
bool ls__url_is_web(const char *s, size_t n);
/* A URL: a link (<a href=... rel="noopener noreferrer nofollow">) when
 * ls__url_is_web, otherwise the same text escaped and not clickable. */
int ls__html_url(ls__buf *b, const char *s, size_t n);
/* A JSON string literal (with the quotes) that is safe inside an HTML
 * <script> element: '<', '>', '&', U+2028 and U+2029 are \u-escaped and
 * invalid UTF-8 becomes U+FFFD. */
int ls__json_script_str(ls__buf *b, const char *s, size_t n);
/* A CSV field (RFC 4180 quoting when needed, invalid UTF-8 repaired). */
int ls__outcsv(ls__buf *b, const char *s, size_t n);
/* The same for files people open in spreadsheets: a field starting with
 * = + - @, tab or CR gets a leading apostrophe so it is never a formula. */
int ls__outcsv_safe(ls__buf *b, const char *s, size_t n);

/* ---- digests ---- */
/* SHA-256 of p[0..n) as 64 lowercase hex characters plus NUL. */
void ls__sha256_hex(const void *p, size_t n, char hex[65]);
/* The CSP source for an inline script or style: "'sha256-BASE64'". */
void ls__csp_hash(const void *p, size_t n, char out[64]);
/* SHA-256 of a file's bytes in hex; *bytes gets its size. */
int ls__sha256_file(ls_ctx *ctx, const char *path, char hex[65], uint64_t *bytes);

/* ---- the manifest: DIR/manifest.json lists each file written there with
 *      its size and SHA-256, sorted by name.  Entries of other files
 *      already in the manifest are kept; the named files are (re)hashed
 *      from disk.  Written last, atomically. ---- */
int ls__manifest_update(ls_ctx *ctx, const char *dir, const char *const *names, size_t n);
/* dir/names[0..n) packed into one zip at zip_path (entries named names[i],
 * a fixed time: the same files give the same bytes), atomically. */
int ls__zip_files(ls_ctx *ctx, const char *dir, const char *const *names, size_t n, const char *zip_path);

/* ---- pseudonyms (HMAC-SHA-256 with a key kept outside the release) ---- */
#define LS__PSEUDO_MIN_KEY 16
typedef struct ls__pseudo {
    unsigned char key[256];
    size_t key_len;
} ls__pseudo;
/* Reads the key file (raw bytes, at least LS__PSEUDO_MIN_KEY, at most 256). */
int ls__pseudo_load(ls_ctx *ctx, ls__pseudo *p, const char *key_file);
int ls__pseudo_set(ls_ctx *ctx, ls__pseudo *p, const void *key, size_t n);
/* Account id pseudonym: base64 (44 characters) of HMAC(key, "id\0" || id),
 * the shape of the hashed ids in Twitter's own releases. */
void ls__pseudo_id(const ls__pseudo *p, const char *id, size_t n, char out[45]);
/* Screen-name pseudonym: 15 characters of [a-z2-7] from
 * HMAC(key, "name\0" || lowercase(name)), a valid screen name, so that
 * "RT @name:" prefixes and @mentions in text keep their shape. */
void ls__pseudo_name(const ls__pseudo *p, const char *name, size_t n, char out[16]);
/* Copies text to b with every @name, and the name in every twitter.com/name
 * or x.com/name link (reserved paths such as /i/ and /hashtag/ aside),
 * replaced by its pseudonym unless keep(name) says the name belongs to an
 * account that is published as is. */
typedef bool (*ls__keep_name_fn)(void *arg, const char *name, size_t n);
int ls__pseudo_text(const ls__pseudo *p, ls__buf *b, const char *s, size_t n,
                    ls__keep_name_fn keep, void *arg);

/* ---- the run folder written by `lockstep detect` ---- */
enum { LS__ROLE_CORE = 0, LS__ROLE_AMPLIFIER = 1, LS__ROLE_OTHER = 2 };
typedef struct ls__racct {
    char *userid, *screen_name, *evidence;
    int net;            /* index into ls__rdir.net, -1 when unknown */
    int role;           /* LS__ROLE_* */
    double score;
    uint32_t acc;       /* LS_NS_ACCOUNT id in the store or LS__NONE */
} ls__racct;
typedef struct ls__rnet {
    char *id;           /* as written in networks.json ("N1", "3", ...) */
    json_t *obj;        /* the network's object (borrowed from run->root) */
    double score;
    size_t n_accounts, n_core, n_amp;  /* counted from accounts.csv */
} ls__rnet;
typedef struct ls__redge { uint32_t a, b; double w; } ls__redge;  /* acct indices */
typedef struct ls__rdir {
    char *dir;
    json_t *root;               /* networks.json (NULL when absent) */
    ls__racct *acc; size_t n_acc;
    ls__rnet *net; size_t n_net;
    ls__redge *edge; size_t n_edge;
    char *store_path;           /* from networks.json "run", or NULL */
} ls__rdir;
/* Loads RUN_DIR; accounts.csv is required, networks.json and edges.csv
 * are used when present.  Accounts are kept in file order. */
int  ls__rdir_load(ls_ctx *ctx, const char *dir, ls__rdir *run);
/* Resolves each account's store id (LS__NONE when the store lacks it). */
int  ls__rdir_attach(ls_ctx *ctx, ls__rdir *run, ls_store *st);
void ls__rdir_free(ls__rdir *run);
/* Opens the store named by override, else by the run; LS_ERR_USAGE when
 * neither names one. */
int  ls__rdir_open_store(ls_ctx *ctx, const ls__rdir *run, const char *override, ls_store **out);
/* Account indices of network k ordered core first, then by score
 * (descending), then by userid; *n gets the count.  Caller frees. */
int  ls__rdir_members(const ls__rdir *run, int k, uint32_t **out, size_t *n);

/* ---- shared helpers ---- */
/* "YYYY-MM-DD" / "YYYY-MM-DD HH:MM" in UTC for ms since the epoch. */
void ls__fmt_day(int64_t ms, char out[16]);
void ls__fmt_minute(int64_t ms, char out[24]);
/* Hours of the UTC offset that best explains an office schedule (weekdays
 * 9-18 local) in a 168-bin UTC hour-of-week histogram; *share gets the
 * share of posts inside those hours. */
int ls__office_tz(const uint64_t hours[168], double *share);
/* Screen-name template: uppercase -> A, lowercase -> a, digit -> 9, any
 * other byte -> '_' ("Fang88641701" -> "Aaaa99999999"), cut at cap-1. */
void ls__outname_template(const char *name, size_t n, char *out, size_t cap);
/* Writes buf atomically to path. */
int ls__write_file(ls_ctx *ctx, const char *path, const ls__buf *b);

/* ---- the products ---- */
typedef struct ls__graph_layout {
    uint32_t *node;      /* account indices in the sample */
    double *x, *y;       /* positions in [0,1] */
    size_t n;
    uint32_t (*e)[2];    /* edges between sample positions */
    size_t n_e;
    size_t total;        /* network size before sampling */
} ls__graph_layout;
/* Lays out a bounded sample (at most max_nodes: core first, by score) of
 * network k with Fruchterman-Reingold and a fixed seed.  Edges are the
 * run's coordination edges plus, when st is given, amplification (a
 * retweet or quote of another sampled account's post). */
int  ls__layout_network(ls_ctx *ctx, const ls__rdir *run, const ls_store *st, int k,
                        size_t max_nodes, ls__graph_layout *out);
void ls__layout_free(ls__graph_layout *g);

#endif /* LS_OUT_H */
