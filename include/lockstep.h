/*
 * lockstep.h — the one public header of liblockstep.
 *
 * lockstep finds coordinated influence operations in social-media activity.
 * This header is the whole public API: opaque handles, status codes, and who
 * frees what.  Everything named ls_* is public; ls__* is internal to the
 * library and lives in the per-stage headers under src/.
 *
 * Ownership rules, once for all functions below:
 *   - A function that returns a handle through an `**out` argument gives the
 *     caller ownership; free it with the matching *_free / *_close.
 *   - Strings returned as `const char *` belong to the handle they came from
 *     and stay valid until that handle is freed.
 *   - Every function that can fail returns an int status from the table
 *     below (LS_OK is 0).  The human-readable detail (file, line, reason) is
 *     kept in the ls_ctx passed in: ls_ctx_message().
 */
#ifndef LOCKSTEP_H
#define LOCKSTEP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LS_VERSION "0.1.0"

/* ---- status codes: one X-macro table gives the enum, ls_strerror() and the
 *      command-line exit code of each status. ------------------------------ */
#define LS_STATUS_TABLE(X)                                                      \
    X(LS_OK,            0, "ok")                                                \
    X(LS_ERR_USAGE,     2, "invalid argument or option")                        \
    X(LS_ERR_PARSE,     1, "malformed input")                                   \
    X(LS_ERR_FORMAT,    1, "unrecognised or unsupported file format")           \
    X(LS_ERR_CORRUPT,   1, "file is damaged (checksum or structure mismatch)")  \
    X(LS_ERR_NOTFOUND,  1, "not found")                                         \
    X(LS_ERR_IO,        3, "input/output error")                                \
    X(LS_ERR_NOMEM,     4, "out of memory")                                     \
    X(LS_ERR_LIMIT,     1, "a size limit was exceeded")                         \
    X(LS_ERR_BUSY,      3, "resource is locked by another process")             \
    X(LS_ERR_INTERNAL,  5, "internal error")

typedef enum {
#define LS__ENUM(name, exitcode, text) name,
    LS_STATUS_TABLE(LS__ENUM)
#undef LS__ENUM
    LS_STATUS_COUNT
} ls_status;

/* Named exit codes of the lockstep command. */
enum {
    LS_EXIT_OK = 0,       /* success */
    LS_EXIT_INPUT = 1,    /* bad input data */
    LS_EXIT_USAGE = 2,    /* bad command line */
    LS_EXIT_IO = 3,       /* file missing, unreadable, disk full */
    LS_EXIT_NOMEM = 4,    /* out of memory */
    LS_EXIT_INTERNAL = 5  /* a bug: please report it */
};

/* Short description of a status code; never NULL. */
const char *ls_strerror(int status);
/* The command-line exit code for a status code. */
int ls_status_exit_code(int status);

/* ---- context: options shared by all stages and the last error message ---- */
typedef struct ls_ctx ls_ctx;

int  ls_ctx_new(ls_ctx **out);
void ls_ctx_free(ls_ctx *ctx);
/* The detail of the last failure on this context ("file.csv:12: ..."),
 * or "" when there is none. */
const char *ls_ctx_message(const ls_ctx *ctx);
/* Worker threads (0 = all cores).  Outputs never depend on this. */
void ls_ctx_set_threads(ls_ctx *ctx, int threads);
/* Memory budget in bytes for stages that can spill (0 = default). */
void ls_ctx_set_memory(ls_ctx *ctx, uint64_t bytes);
/* Where progress goes (NULL = nowhere); shown only on a terminal. */
void ls_ctx_set_progress(ls_ctx *ctx, FILE *stream);
/* Directory for spill files (NULL = $TMPDIR or /tmp). */
void ls_ctx_set_tmpdir(ls_ctx *ctx, const char *dir);

/* ---- the event store ---------------------------------------------------- */
typedef struct ls_store ls_store;

/* Memory-maps a store written by ls_ingest(); checks header and checksum. */
int  ls_store_open(ls_ctx *ctx, const char *path, ls_store **out);
void ls_store_close(ls_store *store);
/* Counts, time range, languages, rejected rows.  json != 0 writes one JSON
 * object; otherwise a short table for people. */
int  ls_store_info(ls_ctx *ctx, const ls_store *store, FILE *out, int json);

/* ---- the case database (src/store/casedb*.c) and assessment (src/assess) -- */
typedef struct ls_casedb ls_casedb;
struct ls_ingest_opts;   /* defined with ls_ingest below */

#define LS_CASEDB_MUST_EXIST 1  /* flag: LS_ERR_NOTFOUND instead of creating */
/* Opens (creating and migrating as needed) the SQLite case database at path
 * (NULL: "lockstep.db").  A file that is not lockstep's, a schema newer than
 * this program, or a database another writer holds for longer than busy_ms
 * (0: 5000) is refused (LS_ERR_FORMAT / LS_ERR_BUSY) and left unmodified. */
int  ls_casedb_open(ls_ctx *ctx, const char *path, int flags, int busy_ms,
                    ls_casedb **out);
void ls_casedb_close(ls_casedb *db);

/* Ingests files (any format ls_ingest reads) into a temporary store and
 * stores the fingerprint of all its accounts as archive NAME. */
int ls_archive_add(ls_ctx *ctx, ls_casedb *db, const char *name,
                   const struct ls_ingest_opts *opts, const char *const *files,
                   size_t n_files, FILE *report);
/* One line per archive (or a JSON array when json != 0). */
int ls_archive_list(ls_ctx *ctx, ls_casedb *db, FILE *out, int json);
int ls_archive_rm(ls_ctx *ctx, ls_casedb *db, const char *name);

/* Narratives, traction and links to archived networks (db may be NULL) for
 * every network in run_dir/accounts.csv over store; writes
 * run_dir/assessment.json atomically and a short summary to report. */
int ls_assess(ls_ctx *ctx, ls_store *store, ls_casedb *db,
              const char *run_dir, FILE *report);

/* Removal request: for each account id in accounts_file (one per line, or
 * a CSV with a userid column) writes userid,verdict,network,score,evidence
 * to out_csv, with verdict coordinated / no_evidence / not_found judged
 * from run_dir/accounts.csv and store; one summary line to summary. */
int ls_request(ls_ctx *ctx, ls_store *store, ls_casedb *db, const char *run_dir,
               const char *accounts_file, const char *out_csv, FILE *summary);

/* ---- ingest ------------------------------------------------------------- */
typedef struct ls_ingest_opts {
    const char *format;   /* "auto", "io", "v1", "v2", "qut", "csv" */
    const char *map;      /* column map for format "csv", NULL otherwise */
    int strict;           /* first bad row is an error */
    int append;           /* add to an existing store at the output path */
    FILE *report;         /* where the end-of-run summary goes (NULL: none) */
} ls_ingest_opts;

/* Reads every file (path "-" is stdin; .gz/.zst decompressed as streams)
 * into one store written atomically at store_path. */
int ls_ingest(ls_ctx *ctx, const ls_ingest_opts *opts,
              const char *const *files, size_t n_files,
              const char *store_path);
/* Opens paths[0..n): one event store as it is, or raw input files (any
 * format ls_ingest reads, auto-detected) ingested first into a temporary
 * store in the spill folder that is removed once mapped. */
int ls_open_inputs(ls_ctx *ctx, const char *const *paths, size_t n, ls_store **out);

/* ---- simulator and evaluation (src/sim) --------------------------------- */
typedef struct ls_sim ls_sim;

/* A simulator set up with the named scenario's defaults ("june2020"). */
int  ls_sim_new(ls_ctx *ctx, const char *scenario, ls_sim **out);
void ls_sim_free(ls_sim *sim);
/* Sets one parameter from text: any name printed by ls_sim_list_params, plus
 * "seed", "scale" and "format" (io, v1, v2).  LS_ERR_USAGE names the problem. */
int  ls_sim_set(ls_ctx *ctx, ls_sim *sim, const char *key, const char *value);
/* One line per parameter: name, current value, meaning. */
void ls_sim_list_params(const ls_sim *sim, FILE *out);
/* Writes tweets.csv (or tweets.jsonl), users.csv, truth.csv, truth_links.csv
 * and archive/ under dir (created if missing); every file atomically.  A
 * short summary goes to report when it is not NULL. */
int  ls_sim_write(ls_ctx *ctx, const ls_sim *sim, const char *dir, FILE *report);

/* Scores run_dir/accounts.csv (and run_dir/networks.json when present)
 * against a truth.csv written by ls_sim_write; text or one JSON object. */
int  ls_eval(ls_ctx *ctx, const char *truth_csv, const char *run_dir, FILE *out, int json);

/* ---- detection (src/networks) ------------------------------------------- */
typedef struct ls_detect_opts {
    double rt_window_s;     /* Δt of co_retweet, co_quote (60) */
    double text_window_s;   /* Δt of co_reply, co_tweet, co_similar_tweet,
                               co_link, co_hashtag, co_image (3600) */
    double post_window_s;   /* Δt of co_post synchrony (0 = layer off) */
    const char *layers;     /* comma list of layer names, NULL = default set */
    double alpha;           /* family-wise error rate of edge significance (0.01) */
    uint32_t cap;           /* per-object co-actor cap (1000) */
    double resolution;      /* Leiden resolution (1.0) */
    int cpm;                /* objective: 0 modularity, 1 CPM */
    uint64_t seed;          /* clustering and sampling seed */
    uint32_t min_size;      /* clusters below are dropped (5) */
    double min_score;       /* networks and accounts below are not reported (0.5) */
    double expand_share;    /* expansion: share of amplification to one core (0.6) */
    uint32_t expand_min;    /* expansion: minimum amplifications (2) */
    double merge_share;     /* merge clusters whose mutual amplification is at
                               least this share of the smaller one's (0.2) */
    int one_operation;      /* the input is one operation's own activity (a
                               takedown archive): every account that posted
                               is reported as one network (0) */
} ls_detect_opts;
void ls_detect_opts_default(ls_detect_opts *o);
/* Detects networks in the store at store_path and writes accounts.csv,
 * networks.json, edges.csv and network.gexf under out_dir (created if
 * missing; every file atomically).  A short human summary goes to summary
 * when it is not NULL. */
int ls_detect(ls_ctx *ctx, const ls_detect_opts *opts, const char *store_path,
              const char *out_dir, FILE *summary);

/* ---- co-action networks and their evidence (src/signals, src/graph) ----- */
typedef struct ls_network_opts {
    const char *types;      /* layer names, comma list, or "all" (every layer
                               but co_post); docs/networks.md */
    double window_s;        /* Δt in seconds (60) */
    double min_weight;      /* edges below are not written (1) */
    const char *format;     /* "csv" (default), "graphml" or "gexf" */
    int compat_qut;         /* the QUT toolkit's definitions (directed) */
    int self_loops;         /* write u->u edges (needs compat_qut) */
    double threshold;       /* co_similar_tweet threshold; 0 = the default */
    int64_t cap;            /* accounts sampled per object; -1 = default
                               (1000), 0 = no cap */
    const char *nodes;      /* also write the node table here, or NULL */
} ls_network_opts;
void ls_network_opts_default(ls_network_opts *o);
/* Builds the layers of store and writes the graph to path ("-" = stdout;
 * a file atomically).  One summary line per layer goes to log when not
 * NULL.  Bad options are LS_ERR_USAGE. */
int ls_network(ls_ctx *ctx, const ls_store *store, const ls_network_opts *opts,
               const char *path, FILE *log);
/* ls_open_inputs for ls_network with these opts: raw input files are
 * ingested with only the post fields the requested layers (and the node
 * table) read, which is faster and gives the same network. */
int ls_network_open(ls_ctx *ctx, const ls_network_opts *opts,
                    const char *const *paths, size_t n, ls_store **out);

typedef struct ls_why_opts {
    double window_s;        /* Δt in seconds (60) */
    const char *layers;     /* comma list, NULL = every layer */
    int compat_qut;         /* QUT text keys and similarity */
    size_t max;             /* evidence lines per layer (10) */
} ls_why_opts;
void ls_why_opts_default(ls_why_opts *o);
/* Prints every co-action of two accounts (by id or "@screen_name"), layer
 * by layer, with both posts and UTC times.  LS_ERR_NOTFOUND names an
 * unknown account.  (The store is not const: the first lookup by id builds
 * its id index.) */
int ls_why(ls_ctx *ctx, ls_store *store, const char *account_a,
           const char *account_b, const ls_why_opts *opts, FILE *out);
/* Prints one account's profile signals (creation cohort, name template,
 * clients, languages, schedule, followers). */
int ls_profile(ls_ctx *ctx, ls_store *store, const char *account, FILE *out);
/* Writes the profile signals of every account as CSV ("-" = stdout). */
int ls_profile_table(ls_ctx *ctx, const ls_store *store, const char *path);

/* ---- outputs: report and exports (src/out) ------------------------------
 * Each reads a run folder written by ls_detect (accounts.csv, networks.json,
 * edges.csv) and the store named in networks.json "run" (or given here).
 * Every file is written atomically, then manifest.json (SHA-256 of each
 * file) in the same folder.  Same inputs, same bytes. */
typedef struct ls_report_opts {
    const char *store;        /* store path; NULL = the one the run names */
    const char *out;          /* output file; NULL = RUN_DIR/report.html */
    size_t max_accounts;      /* rows in each accounts table (0 = 250) */
    size_t max_nodes;         /* nodes in each network picture (0 = 300) */
} ls_report_opts;
/* One self-contained HTML file, safe against hostile text. */
int ls_report(ls_ctx *ctx, const char *run_dir, const ls_report_opts *opts);
/* CSV of the accounts to act on: network, role, score, evidence
 * (out_path NULL = RUN_DIR/takedown.csv). */
int ls_export_takedown(ls_ctx *ctx, const char *run_dir, const char *out_path);
/* IO-archive release (tweets.csv, users.csv) of the networks' accounts
 * under out_dir, ids and names of accounts under 5,000 followers replaced
 * by HMAC-SHA-256 pseudonyms under the key in key_file. */
int ls_export_archive(ls_ctx *ctx, const char *run_dir, const char *store,
                      const char *key_file, const char *out_dir);
/* network_ID.gexf and network_ID.graphml per network under out_dir, nodes
 * with role, score, cohort and name template. */
int ls_export_graphs(ls_ctx *ctx, const char *run_dir, const char *store,
                     const char *out_dir);

#ifdef __cplusplus
}
#endif
#endif /* LOCKSTEP_H */
