/*
 * networks.h — internal interface of the networks stage (`lockstep detect`):
 * fusing the co-action layers into one weighted coordination graph,
 * clustering it with igraph's Leiden, turning clusters into networks with
 * core and amplifier roles (and expansion by amplification), scoring each
 * network and account against the rest of the data, evidence lines, and the
 * output files (accounts.csv, networks.json, edges.csv, network.gexf).
 *
 * Everything works on the dense account ids of the event store; every
 * array here is indexed by account id unless said otherwise.  Nothing here
 * depends on thread count: the layers come sorted from ls__coaction and the
 * clustering runs single-threaded with a fixed seed.
 */
#ifndef LS_NETWORKS_H
#define LS_NETWORKS_H

#include "../core/core.h"
#include "../store/store.h"
#include "../signals/signals.h"

/* An extra layer next to the co-action layers: direct amplification
 * (account u retweeted or quoted posts of account v), undirected in the
 * fused graph. */
#define LS__L_AMPLIFY LS_L_COUNT
#define LS__NL (LS_L_COUNT + 1)

/* ev_bits: the referenced post (ev_ref_post) has a known time; the event
 * follows it within rt_window_s (rounded to ms, as score.c measures
 * synchrony; truncated to ms, as evidence.c counts fast amplification);
 * 0 <= delay <= text_window_s (the amplification layer). */
enum { LS__EVB_REF_TIMED = 1, LS__EVB_FAST_RT = 2, LS__EVB_FAST_RT_TRUNC = 4, LS__EVB_AMP_WIN = 8 };

/* ---- per-account activity, computed in one pass over the store ---- */
typedef struct ls__dacct {
    uint32_t posts;       /* all events */
    uint32_t orig;        /* tweets and replies (not retweets or quotes) */
    uint32_t amps;        /* retweets and quotes of another account's post */
    uint32_t recv;        /* retweets/quotes/replies received from others */
    uint16_t client;      /* most used client or 0xFFFF */
    float client_share;   /* its share of the account's posts */
    int32_t created_day;  /* days since epoch, INT32_MIN unknown */
    uint32_t tmpl;        /* name-template id (ls__det.tmpl_*) or LS__NONE */
} ls__dacct;

/* One edge of the fused graph (u < v).  w is the fused weight; cnt keeps
 * the per-layer co-action counts (0 where the layer is not significant) and
 * sig the per-layer significance, so evidence can name each layer. */
typedef struct ls__fedge {
    uint32_t u, v;
    float w;
    uint32_t cnt[LS__NL];
    float sig[LS__NL];
} ls__fedge;

typedef struct ls__layer_stat {
    int used;             /* computed in this run */
    double window_s;
    uint64_t records, pairs, kept, capped;
    double threshold;     /* sig cut-off used (Bonferroni over pairs) */
    uint64_t groups, group_accounts, promoted;  /* the group test (dense.c) */
} ls__layer_stat;

/* Signals of a network, each in [0,1], in the order of the table below. */
#define LS__SIGNALS(X)                                                              \
    X(SIG_COACTION,  "coaction",        0.05, "co-action significance inside the network") \
    X(SIG_SYNC,      "synchrony",       0.05, "share of internal amplification within the fast window") \
    X(SIG_NEARDUP,   "near_duplicates", 0.10, "share of posting members with near-duplicate text of another member") \
    X(SIG_COHORT,    "creation_cohort", 0.20, "share of members created in a creation burst") \
    X(SIG_NAME,      "name_template",   0.15, "share of members whose name template is over-represented") \
    X(SIG_SCHEDULE,  "schedule",        0.10, "office-schedule concentration beyond the background") \
    X(SIG_CLIENT,    "client",          0.10, "share of members whose client app is over-represented") \
    X(SIG_FOLLOWERS, "followers",       0.15, "how far follower counts sit below the background") \
    X(SIG_AMPLIFY,   "amplification",   0.05, "share of activity that amplifies the network itself") \
    X(SIG_INSULAR,   "insularity",      0.10, "share of engagement received that comes from inside") \
    X(SIG_AUDIENCE,  "audience_gap",    0.00, "engagement received per follower against the background, log scale") \
    X(SIG_AROUND,    "around_the_clock", 0.00, "members' activity in their quietest six hours beyond the background's") \
    X(SIG_DENSE,     "dense_group",     0.00, "share of members in a group of weak co-action far denser than chance") \
    X(SIG_TARGETS,   "targeting",       0.00, "share of outward replies and quotes on the top five targets beyond the background's") \
    X(SIG_DEDICATED, "dedicated_amplification", 0.00, "share of activity that amplifies the network, made by members that spend at least half of their activity on it") \
    X(SIG_LINKCAP,   "link_capture",    0.00, "share of members' link posts on domains the network is the main channel of, far beyond the rest's rate") \
    X(SIG_RELAY,     "link_relay",      0.00, "share of those posts that copy or near-copy another member's text (a feed relayed)")
enum {
#define LS__SIGENUM(id, name, w, doc) id,
    LS__SIGNALS(LS__SIGENUM)
#undef LS__SIGENUM
    SIG_COUNT
};
extern const char *const ls__sig_name[SIG_COUNT];
extern const double ls__sig_weight[SIG_COUNT];

enum { LS_ROLE_NONE = 0, LS_ROLE_CORE = 1, LS_ROLE_AMP = 2 };

/* A network: a cluster (or clusters joined by amplification) plus the
 * accounts joined by expansion. */
typedef struct ls__net {
    uint32_t n, n_core, n_amp, n_expanded;
    double sig[SIG_COUNT];
    double score;              /* max(score_mean, score_coord) */
    double score_mean;         /* weighted mean of the signals (the profile reading) */
    double score_coord;        /* coordination x independent anomalies (score.c), the larger of the two below */
    double score_link;         /* the link reading: link coordination x anomalies with link_capture (score.c) */
    double reach_ratio;        /* engagement per follower / background's; 0 = none */
    double link_edges;         /* share of link-posting members with a co_link or co_domain edge inside */
    /* descriptive facts for the evidence and networks.json */
    int32_t top_cohort_day;    /* day with most flagged members */
    uint32_t top_cohort_n;     /* members created within ±1 day of it */
    uint32_t top_tmpl;         /* most common flagged template or NONE */
    uint32_t top_tmpl_n;
    uint16_t top_client; uint32_t top_client_n;
    int utc_offset; double office_share;
    double median_delay_s;     /* of internal amplification */
    uint64_t eng_in, eng_out;  /* engagement received from inside/outside */
    uint32_t top_target[5];    /* targets.c: the most replied-to outside accounts, LS__NONE-filled */
    uint32_t label;            /* 1-based output id after sorting; 0 = unreported */
} ls__net;

/* Everything one detect run holds. */
typedef struct ls__det {
    ls_ctx *ctx;
    const ls_store *st;
    const ls_detect_opts *o;
    uint32_t n_acc;
    uint32_t n_posts;
    ls__dacct *acc;
    uint32_t *post_author;          /* per post id: author account or NONE */
    /* Amplification events (acct.c), fixed for the run: actor x retweeted
     * or quoted a post of author y != x.  amp_xy holds x << 32 | y sorted,
     * amp_yx y << 32 | x sorted; amp_k and amp_t are scratch of n_amp
     * entries for groups.c, which derives its keys from these instead of
     * scanning and sorting the events again in every round. */
    uint64_t *amp_xy, *amp_yx, *amp_k, *amp_t;
    size_t n_amp;
    /* Per event (acct.c): the UTC hour of the week (Monday 00h = 0) and
     * LS__EVB_* facts about the post it retweets or quotes, so that the
     * passes of score.c, evidence.c and fuse.c need neither divisions nor
     * a post-time table. */
    uint8_t *ev_how, *ev_bits;
    /* name templates, interned */
    ls__intern tmpl;
    /* fused graph */
    ls__fedge *e; size_t n_e;
    ls__layer_stat lst[LS__NL];
    /* clustering and networks */
    uint32_t *cluster;              /* per account: cluster id or NONE */
    uint32_t n_clusters;
    uint32_t *net_of;               /* per account: network index or NONE */
    uint8_t *role;
    uint8_t *expanded;              /* joined by expansion */
    float *ascore;                  /* per account score */
    ls__net *net; uint32_t n_net;
    uint32_t n_reported;            /* networks with label > 0 */
    /* Signals the input can measure at all (score.c): a store without
     * creation dates, names, clients, follower counts, texts or any
     * retweets and replies cannot show those signals.  When at least half
     * of the weight stays measurable the scores are weighted means over
     * the measurable signals (renormalised); below that the data cannot
     * support a claim of inauthenticity, the missing signals count as 0
     * and cap every score at the coverage.  docs/detect.md. */
    uint8_t sig_measurable[SIG_COUNT];
    double sig_coverage;            /* weighted share of measurable signals */
    int renormalised;               /* scores use measurable signals only */
    /* per-account flags from the network signals (bit per signal) */
    uint16_t *aflag;
    float *afol;                    /* follower low-ness in [0,1] */
    float *amemb;                   /* membership strength in [0,1] */
    float *aoffice;                 /* own share in the network's office window */
    uint8_t *adense;                /* per account: 1 = in a group the group test found (dense.c); NULL = none */
    float *aquiet;                  /* share of own activity in its quietest 6 h of the day; -1 = < 20 events */
    uint32_t *acamp;                /* amplifications of own network's posts */
    /* evidence tallies (ls__det_tally) */
    uint32_t *apart;                /* partners over in-network fused edges */
    uint32_t *alay;                 /* A x LS__NL in-network co-action counts */
    uint32_t *arecv;                /* amplification received from the network */
    uint32_t *arecv_from;           /* distinct network accounts amplifying it */
    uint32_t *afast;                /* own amplifications within rt_window_s */
    /* Reporting: networks and accounts below report_bar are not reported
     * (min_score; 0 with --one-operation, oneop.c).  cell: per account, the
     * network the normal pipeline found it in, numbered 0.. in order of
     * first member, when --one-operation made them one network (else NULL). */
    double report_bar;
    uint32_t *cell;
    uint32_t n_cells;
} ls__det;

/* acct.c: one pass over the store fills acc[], post_author[], templates. */
int ls__det_accounts(ls__det *d);
/* Screen-name template: runs of upper/lower letters and digits written
 * out in full ("Aaaaa99999999"), other bytes as '_', capped at cap-1. */
void ls__det_template(ls__str name, char *out, size_t cap);
/* Share of hour-of-week histogram h inside weekdays 09-18 local at UTC
 * offset off (hours). */
double ls__det_office_share(const double h[168], int off);

/* camo.c: beyond[a] = 1 when member a receives amplification from its
 * network's amplifiers beyond CAMO_FACTOR x the network's camouflage rate
 * (what it amplifies of accounts with no part of their own; 0 when it
 * amplifies nobody outside itself) applied to the
 * amplification a receives from outside the network; 0 for non-members.
 * ownamp[a]: a's amplification of members of its own network that are
 * amplifiers, amplify the network PART_FULL times, or pass beyond (not of
 * camouflage targets).  Uses net_of, role, acamp (ls__det_roles), amp_xy
 * and amp_yx. */
int ls__det_camouflage(ls__det *d, uint8_t *beyond, uint32_t *ownamp);

/* links.c: link_capture and link_relay of every network (its members
 * carry most of the posts of domains the rest barely shares; a relay
 * repeats another member's text for the same URL); per account, acap[a] =
 * its authored posts on its network's captured domains, alink[a] = its
 * link posts (non-retweets with a domain).  Uses net_of. */
int ls__det_links(ls__det *d, uint32_t *acap, uint32_t *alink);

/* fuse.c: runs the layers and builds the fused graph d->e. */
int ls__det_fuse(ls__det *d);
/* The amplification layer as ls__edges (u < v, count = posts amplified
 * either way, sig from a configuration-model Poisson null). */
int ls__det_amplify_layer(ls__det *d, ls__edges *out);
/* The group test of one layer (dense.c): promote[i] = 1 for each weak edge
 * of E (count >= 2, ls__det_weak_sig() <= sig < thr) inside a group whose
 * weak links are far denser than its members' degrees explain. */
int ls__det_dense(ls__det *d, int layer, const ls__edges *E, double thr, uint8_t *promote);
double ls__det_weak_sig(void);
/* The targeting signal of every network (targets.c); *measurable = 1 when
 * the input has replies or quotes with a known target account. */
int ls__det_targets(ls__det *d, uint8_t *measurable);
/* Per member a (targets.c, after ls__det_targets): out[a] = its outward
 * replies and quotes (target known, outside its network), hit[a] = those
 * that land on its network's top targets. */
int ls__det_target_parts(ls__det *d, uint32_t *hit, uint32_t *out);

/* cluster.c: igraph glue. */
/* Replaces igraph's abort-on-error handler (idempotent). */
void ls__igraph_init(void);
/* True once ls__igraph_init has run: the handler is ours. */
int ls__igraph_handler_installed(void);
/* Leiden over the fused graph; d->cluster gets a cluster per account in the
 * graph (NONE for others) and clusters below min_size are dropped. */
int ls__det_cluster(ls__det *d);

/* groups.c: clusters -> networks, merge by amplification, roles,
 * expansion. */
int ls__det_networks(ls__det *d);
/* Roles (and member counts) from the current membership. */
int ls__det_roles(ls__det *d);
/* groups.c: amplification flow between groups, one entry per pair a < b. */
typedef struct { uint32_t a, b; uint64_t s; } ls__flow;
/* Flow between two groups must be this many times its chance level. */
#define LS__MERGE_LIFT 3.0
int ls__det_flow(ls__det *d, const uint32_t *grp, uint32_t G, ls__flow **out, size_t *n_out, uint64_t *vol, double *V);
/* regroup.c: second clustering pass over the network-to-network flow graph
 * among networks not marked closed; *merged = networks removed. */
int ls__det_regroup(ls__det *d, const uint8_t *open, uint32_t *merged);
/* Expansion into networks with target[n] set: accounts without a network,
 * or in a network with open[n] set, join as amplifiers (most of their
 * amplification goes to the network) or as authors (most of the
 * amplification they receive comes from it); up to four rounds. */
int ls__det_expand(ls__det *d, const uint8_t *target, const uint8_t *open);

/* split.c: networks below --min-score made of several clusters are scored
 * part by part; a part that reaches the bar is reported on its own.
 * *n_split = parts split off. */
int ls__det_split(ls__det *d, uint32_t *n_split);

/* oneop.c: --one-operation, after the normal pipeline: every account that
 * posted becomes a member of one network, reported whatever it scores;
 * the networks found become its cells (d->cell). */
int ls__det_one_operation(ls__det *d);

/* score.c: network signals, network and account scores, labels. */
int ls__det_score(ls__det *d);

/* evidence.c: tallies for the evidence of networked accounts. */
int ls__det_tally(ls__det *d);
/* evidence.c: the one-line evidence of account a (appends to b). */
int ls__det_evidence(const ls__det *d, uint32_t a, ls__buf *b);
/* "2020-01-13" for a day number. */
void ls__det_fmt_day(int32_t day, char out[11]);

/* write.c: the four output files under dir, and the summary. */
int ls__det_write(ls__det *d, const char *dir);
void ls__det_summary(const ls__det *d, FILE *f);

void ls__det_free(ls__det *d);
/* ls_detect on an already open store (tests use hand-built stores). */
int ls__detect_store(ls_ctx *ctx, const ls_detect_opts *o, const ls_store *st,
                     const char *out_dir, FILE *summary);

/* CSV field (RFC 4180: quoted when it holds , " CR or LF) and JSON / XML
 * escaping, appended to b. */
int ls__det_csv(ls__buf *b, const char *p, size_t n);
int ls__det_json(ls__buf *b, const char *p, size_t n);
int ls__det_xml(ls__buf *b, const char *p, size_t n);
/* printf("%.{dec}f", v) for dec 2 or 3, without printf (exact: see
 * write.c); other dec go to printf. */
int ls__det_fixed(ls__buf *b, float v, int dec);

#endif /* LS_NETWORKS_H */
