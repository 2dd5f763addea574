/*
 * builder.c — collects posts and accounts for a new event store.
 *
 * Every string is interned into its namespace; events are appended to
 * column arrays in arrival order (sorting happens once, at write time, in
 * builder_write.c).  A post id that already has an event is a duplicate:
 * counted (LS_DIAG_DUPLICATE) and skipped, so the first occurrence wins.
 * Account profiles come from posts and from users rows; a later non-empty
 * value replaces an earlier one.
 *
 * Cost per post: one hash lookup per distinct string field plus O(list
 * entries).  Profile strings repeated on every row of an account (as in
 * the IO archive) are compared with the current value first, which is
 * cheaper than hashing them again.  The hashes of the other strings can
 * be computed ahead, elsewhere (ls__builder_hash_post, on the ingest
 * parser thread), and their slots prefetched (ls__builder_prefetch_post);
 * ls__builder_add_post does both itself for callers that don't.  A post
 * is added in two steps, ls__builder_claim_post (the post namespace,
 * the duplicate check) and ls__builder_add_claimed (the rest), so that ingest's parser thread can claim while the builder
 * thread adds (src/ingest/envq.c).
 *
 * The columns and the pools spill to temporary files once their RAM part
 * reaches col_spill_at / spill_at bytes (builder_spill.c, pool.c); add_post and add_li
 * index their RAM part from ev_base / li_base.
 */
#include "builder.h"
#include "xdedup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#define U16_NONE 0xFFFFu
/* Default spill thresholds: what each pool, and each column group
 * (events, list entries), keeps in RAM before it appends to its spill
 * file.  The columns' is larger: spilling them costs a write and a
 * mapping of every byte, and 64 MiB of events is 1.5 million, so that
 * inputs of a million rows never spill them; 2 x 64 MiB plus the pools'
 * blobs stays far inside ingest's 2 GB. */
#define SPILL_AT ((size_t)32 << 20)
#define COL_SPILL_AT ((size_t)64 << 20)

static int put_h(ls__builder *b, int ns, ls__str s, uint64_t h, uint32_t *out);
static int put_in(ls__builder *b, ls_ctx *ctx, int ns, ls__str s, uint64_t h, unsigned fl, uint32_t *out);
static int account_h(ls__builder *b, ls__str s, uint64_t h, unsigned fl, uint32_t *out);
static int grow_profiles(ls__builder *b, size_t n);

/* Grows each of the k arrays (element sizes elem[i]) to hold need elements.
 * The shared capacity is only raised once all of them succeeded. */
static int grow_cols(void **arrs[], const size_t *elem, size_t k, size_t *cap, size_t need)
{
    if (need <= *cap) return LS_OK;
    size_t nc = *cap ? *cap : 1024;
    while (nc < need) nc *= 2;
    for (size_t i = 0; i < k; i++) {
        size_t got;
        if (ls__col_resize(arrs[i], *cap * elem[i], nc * elem[i], &got)) return LS_ERR_NOMEM;
    }
    *cap = nc;
    return LS_OK;
}

int ls__builder_new(ls_ctx *ctx, ls__builder **out)
{
    ls__builder *b = ls__calloc(1, sizeof *b);
    *out = NULL;
    if (!b) return ls__fail(ctx, LS_ERR_NOMEM, "out of memory creating the store builder");
    b->ctx = ctx;
    for (int i = 0; i < LS_NS_COUNT; i++) ls__pool_init(&b->ns[i]);
    /* Ids are mostly short or numeric and mostly hits: wide pools find
     * them in one cache miss.  Texts, URLs, names and profile strings
     * stay narrow (their keys would be hashes: wide slots would only
     * double the memory). */
    static const int wide[] = { LS_NS_ACCOUNT, LS_NS_POST, LS_NS_HASHTAG, LS_NS_DOMAIN,
                                LS_NS_LANG, LS_NS_CLIENT, LS_NS_IMAGE };
    for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++) ls__pool_wide(&b->ns[wide[i]]);
    for (int k = 0; k < LS__N_COLS; k++) {
        b->col_fd[k] = -1;
        b->col_dflt[k] = (unsigned char)ls__builder_col_lazy(k);
    }
    b->rt_fd = -1;
    ls__builder_acct_init(b);
    ls__builder_set_spill_dir(b, ls__tmpdir(ctx));
    ls__builder_freeze_init(b);
    /* LOCKSTEP_SPILL_AT=BYTES overrides the threshold (0: never spill),
     * for tests of the spill path and for measurements. */
    const char *env = getenv("LOCKSTEP_SPILL_AT");
    char *end = NULL;
    unsigned long long at = env && *env ? strtoull(env, &end, 10) : SPILL_AT;
    if (env && *env && (!end || *end)) at = SPILL_AT;
    ls__builder_spill_at(b, (size_t)at);
    if (!(env && *env)) b->col_spill_at = COL_SPILL_AT;
    *out = b;
    return LS_OK;
}

void ls__builder_free(ls__builder *b)
{
    if (!b) return;
    for (int i = 0; i < LS_NS_COUNT; i++) ls__pool_free(&b->ns[i]);
    ls__builder_free_cols(b);
    ls__builder_freeze_free(b);
    ls__builder_acct_free(b);
    if (b->rt_fd >= 0) close(b->rt_fd);
    void *arrs[] = { b->post_has_ev,
                     b->acc_screen, b->acc_display, b->acc_location,
                     b->acc_description, b->acc_url, b->acc_created,
                     b->acc_followers, b->acc_following, b->acc_lang, b->acc_fp,
                     b->rt };
    for (size_t i = 0; i < sizeof arrs / sizeof arrs[0]; i++) ls__free(arrs[i]);
    ls__free(b);
}

int ls__builder_put(ls__builder *b, int ns, ls__str s, uint32_t *out)
{
    return put_h(b, ns, s, s.n ? ls__pool_hash(s) : 0, out);
}

int ls__builder_put_loaded(ls__builder *b, int ns, ls__str s, int event, uint32_t *out)
{
    return put_in(b, b->ctx, ns, s, s.n ? ls__pool_hash(s) : 0,
                  LS__XD_ORPHAN | (event ? LS__XD_EVENT : 0), out);
}

static int put_h(ls__builder *b, int ns, ls__str s, uint64_t h, uint32_t *out)
{
    return put_in(b, b->ctx, ns, s, h, 0, out);
}

/* put_h reporting failures on ctx (the claiming thread's); a string a
 * frozen pool does not hold is recorded with flags fl (builder_freeze.c)
 * and *out is LS__PROV. */
static int put_in(ls__builder *b, ls_ctx *ctx, int ns, ls__str s, uint64_t h, unsigned fl, uint32_t *out)
{
    if (!s.n) { *out = LS__NONE; return LS_OK; }
    int st = ls__pool_put_h(&b->ns[ns], s, h, out);
    if (st == LS_OK && *out == LS__PROV) return ls__builder_prov(b, ctx, ns, s, h, fl);
    if (st == LS_ERR_LIMIT)
        return ls__fail(ctx, st, "more than 2^32-2 distinct strings in one namespace");
    if (st == LS_ERR_IO)
        return ls__fail(ctx, st, "cannot write or read a spill file in %s: %s", b->spill_dir,
                        strerror(b->ns[ns].err));
    if (st) return ls__fail(ctx, st, "out of memory interning strings");
    return LS_OK;
}

/* Ids in the 16-bit namespaces (languages, clients).  Past 65535 distinct
 * values the rest are stored as unknown (0xFFFF); docs/store.md says so. */
static int put16(ls__builder *b, int ns, ls__str s, uint16_t *out)
{
    uint32_t id;
    *out = U16_NONE;
    if (!s.n) return LS_OK;
    id = ls__pool_find(&b->ns[ns], s);
    if (id == LS__NONE) {
        if (b->ns[ns].n >= U16_NONE) return LS_OK;
        int st = ls__builder_put(b, ns, s, &id);
        if (st) return st;
    }
    *out = (uint16_t)id;
    return LS_OK;
}

int ls__builder_account_id(ls__builder *b, ls__str s, uint32_t *out)
{
    /* A users row's account: no column holds it. */
    return account_h(b, s, s.n ? ls__pool_hash(s) : 0, LS__XD_ORPHAN, out);
}

/* An account past a frozen pool (LS__PROV) has no profile row here: its
 * profile values are logged (builder_acct.c). */
static int account_h(ls__builder *b, ls__str s, uint64_t h, unsigned fl, uint32_t *out)
{
    int st = put_in(b, b->ctx, LS_NS_ACCOUNT, s, h, fl, out);
    if (st || *out == LS__NONE || *out == LS__PROV || *out < b->n_acc) return st;
    if (!b->acc_prof) {
        /* No profile values yet: the rows are all default, nothing to store. */
        b->n_acc = (size_t)*out + 1;
        return LS_OK;
    }
    return grow_profiles(b, (size_t)*out + 1);
}

/* Profile rows up to n (default values), the arrays growing as needed. */
static int grow_profiles(ls__builder *b, size_t n)
{
    void **arrs[] = { (void **)&b->acc_screen, (void **)&b->acc_display,
                      (void **)&b->acc_location, (void **)&b->acc_description,
                      (void **)&b->acc_url, (void **)&b->acc_created,
                      (void **)&b->acc_followers, (void **)&b->acc_following,
                      (void **)&b->acc_lang, (void **)&b->acc_fp };
    const size_t elem[] = { 4, 4, 4, 4, 4, 8, 8, 8, 2, 16 };
    if (grow_cols(arrs, elem, 10, &b->acc_cap, n))
        return ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory adding accounts");
    while (b->n_acc < n) {
        size_t i = b->n_acc++;
        b->acc_screen[i] = b->acc_display[i] = LS__NONE;
        b->acc_location[i] = b->acc_description[i] = b->acc_url[i] = LS__NONE;
        b->acc_created[i] = LS__TIME_NONE;
        b->acc_followers[i] = b->acc_following[i] = -1;
        b->acc_lang[i] = U16_NONE;
        b->acc_fp[2 * i] = b->acc_fp[2 * i + 1] = 0;
    }
    return LS_OK;
}

int ls__builder_profiles(ls__builder *b)
{
    if (b->acc_prof) return LS_OK;
    /* The rows so far, all default, are written into the new arrays. */
    size_t n = b->n_acc;
    b->n_acc = 0;
    b->acc_prof = 1;
    int st = grow_profiles(b, n);
    if (st) { b->acc_prof = 0; b->n_acc = n; }
    return st;
}

/* The id of profile string s (LS__NONE when empty) of namespace ns, cur
 * being the account's current value: an equal current value is its id
 * already (a string has one id), so comparing saves a lookup. */
static int field_id(ls__builder *b, int ns, uint32_t cur, ls__str s, uint32_t *out)
{
    if (!s.n) { *out = LS__NONE; return LS_OK; }
    if (cur < b->ns[ns].n && ls__str_eq(ls__pool_get(&b->ns[ns], cur), s)) { *out = cur; return LS_OK; }
    return ls__builder_put(b, ns, s, out);
}

/* Appends s to the fingerprint buffer, with its length first, so that
 * no two different tuples of strings serialise alike. */
static size_t fp_put(unsigned char *buf, size_t at, size_t cap, const void *p, size_t n)
{
    if (at + n > cap) return cap + 1;
    memcpy(buf + at, p, n);
    return at + n;
}
static size_t fp_str(unsigned char *buf, size_t at, size_t cap, ls__str s)
{
    uint64_t n = s.n;
    at = fp_put(buf, at, cap, &n, sizeof n);
    return s.n ? fp_put(buf, at, cap, s.p, s.n) : at;
}

static int set_profile(ls__builder *b, uint32_t a, ls__str screen, ls__str display,
                       int64_t followers, int64_t following, int64_t created,
                       ls__str lang, ls__str location, ls__str description, ls__str url)
{
    int st;
    unsigned char buf[1024];
    size_t at = 0, cap = sizeof buf;
    XXH128_hash_t fp = { 0, 0 };
    /* Inputs without profiles (and ingests that leave them out, like
     * `network` on raw files) never allocate the arrays: 46 bytes an
     * account, 50 MB of the viral bench file's million accounts. */
    if (!screen.n && !display.n && !location.n && !description.n && !url.n && !lang.n &&
        followers < 0 && following < 0 && created == LS__TIME_NONE)
        return LS_OK;
    if ((st = ls__builder_profiles(b))) return st;
    /* The same values as the last ones applied to this account (as on
     * every row of an account in the IO archive) change nothing: applying
     * a row twice in a row is a no-op.  Rows whose values do not fit the
     * buffer take the full path.  (An account past a frozen pool has no
     * fingerprint: its rows are logged.) */
    if (a != LS__PROV) {
        at = fp_str(buf, at, cap, screen);
        at = fp_str(buf, at, cap, display);
        at = fp_str(buf, at, cap, location);
        at = fp_str(buf, at, cap, description);
        at = fp_str(buf, at, cap, url);
        at = fp_str(buf, at, cap, lang);
        at = fp_put(buf, at, cap, &followers, 8);
        at = fp_put(buf, at, cap, &following, 8);
        at = fp_put(buf, at, cap, &created, 8);
        if (at <= cap) {
            fp = XXH3_128bits(buf, at);
            if (fp.low64 == 0 && fp.high64 == 0) fp.low64 = 1;     /* 0, 0 means none */
            if (b->acc_fp[2 * a] == fp.low64 && b->acc_fp[2 * a + 1] == fp.high64) return LS_OK;
        }
    }
    const ls__str v[5] = { screen, display, location, description, url };
    static const int ns[5] = { LS_NS_NAME, LS_NS_NAME, LS_NS_MISC, LS_NS_MISC, LS_NS_MISC };
    uint32_t *slot[5] = { NULL, NULL, NULL, NULL, NULL }, ids[5];
    uint16_t l16 = U16_NONE;
    int prov = 0;
    if (a != LS__PROV) {
        slot[0] = &b->acc_screen[a];
        slot[1] = &b->acc_display[a];
        slot[2] = &b->acc_location[a];
        slot[3] = &b->acc_description[a];
        slot[4] = &b->acc_url[a];
    }
    for (int k = 0; k < 5; k++) {
        if ((st = field_id(b, ns[k], slot[k] ? *slot[k] : LS__NONE, v[k], &ids[k]))) return st;
        prov |= ids[k] == LS__PROV;
    }
    if (lang.n && (st = put16(b, LS_NS_LANG, lang, &l16))) return st;
    /* Logged for the fold at write time (builder_acct.c): an account past
     * a frozen pool, a value past a frozen name or profile-string pool,
     * and from the first such value on every row, so that the rows of an
     * account keep their order. */
    if (a == LS__PROV || prov || b->plog_held) {
        if (a != LS__PROV) {
            b->plog_held = 1;
            b->acc_fp[2 * a] = fp.low64;
            b->acc_fp[2 * a + 1] = fp.high64;
        }
        return ls__builder_acct_log(b, a, ids, l16, lang.n > 0, created, followers, following);
    }
    for (int k = 0; k < 5; k++)
        if (ids[k] != LS__NONE) *slot[k] = ids[k];
    if (lang.n) b->acc_lang[a] = l16;
    if (followers >= 0) b->acc_followers[a] = followers;
    if (following >= 0) b->acc_following[a] = following;
    if (created != LS__TIME_NONE) b->acc_created[a] = created;
    b->acc_fp[2 * a] = fp.low64;
    b->acc_fp[2 * a + 1] = fp.high64;
    return LS_OK;
}

int ls__builder_add_account(ls__builder *b, const ls__acct *a)
{
    uint32_t id;
    int st;
    if (!a->account_id.n) return LS_OK;
    if ((st = ls__builder_account_id(b, a->account_id, &id))) return st;
    return set_profile(b, id, a->screen_name, a->display_name, a->followers,
                       a->following, a->created_ms, a->account_lang,
                       a->location, a->description, a->profile_url);
}

static int add_li(ls__builder *b, uint32_t id, int type)
{
    if (b->n_li >= UINT32_MAX - 1)
        return ls__fail(b->ctx, LS_ERR_LIMIT, "more than 2^32-2 list entries in one store");
    int st;
    if (b->col_spill_at && (b->n_li - b->li_base) * 5 >= b->col_spill_at &&
        (st = ls__builder_spill_cols(b, LS__N_EV_COLS)))
        return st;
    void **arrs[] = { (void **)&b->li_id, (void **)&b->li_type };
    const size_t elem[] = { 4, 1 };
    size_t i = b->n_li - b->li_base;
    if (grow_cols(arrs, elem, 2, &b->li_cap, i + 1))
        return ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory adding list entries");
    b->li_id[i] = id;
    b->li_type[i] = (uint8_t)type;
    b->n_li++;
    return LS_OK;
}

/* Interns the n strings v (hashes h) of a list and, unless the post is
 * a duplicate (dup: interned only), adds their list entries. */
static int add_strings(ls__builder *b, int ns, int type, const ls__str *v, size_t n,
                       const uint64_t *h, int dup)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t id;
        int st = ns == LS_NS_ACCOUNT ? account_h(b, v[i], h[i], dup ? LS__XD_ORPHAN : 0, &id)
                                     : put_in(b, b->ctx, ns, v[i], h[i], dup ? LS__XD_ORPHAN : 0, &id);
        if (st) return st;
        if (!dup && id != LS__NONE && (st = add_li(b, id, type))) return st;
    }
    return LS_OK;
}

static int add_count(ls__builder *b, int64_t v, int type)
{
    if (v <= 0) return LS_OK;   /* zero and unknown are not stored */
    return add_li(b, v > (int64_t)UINT32_MAX - 1 ? UINT32_MAX - 1 : (uint32_t)v, type);
}

/* Room for need duplicate flags: LS_OK, or LS_ERR_NOMEM with the flags
 * as they were. */
static int post_flag_room_for(ls__builder *b, size_t need)
{
    if (need <= b->post_cap) return LS_OK;
    size_t nc = b->post_cap ? b->post_cap : 4096;
    while (nc < need) nc *= 2;
    size_t got;
    if (ls__col_resize((void **)&b->post_has_ev, b->post_cap, nc, &got)) return LS_ERR_NOMEM;
    memset(b->post_has_ev + b->post_cap, 0, got - b->post_cap);
    b->post_cap = got;
    return LS_OK;
}

static int post_flag_room(ls__builder *b, ls_ctx *ctx)
{
    if (post_flag_room_for(b, b->ns[LS_NS_POST].n)) return ls__fail(ctx, LS_ERR_NOMEM, "out of memory adding posts");
    return LS_OK;
}

/* Grows the RAM part of the event columns that have memory to hold need
 * events; the shared capacity is raised only once all of them have. */
static int grow_ev_cols(ls__builder *b, size_t need)
{
    void **all[LS__N_COLS], **arrs[LS__N_EV_COLS];
    size_t elem[LS__N_EV_COLS], k = 0;
    ls__builder_cols(b, all);
    for (int c = 0; c < LS__N_EV_COLS; c++) {
        if (b->col_dflt[c]) continue;
        arrs[k] = all[c];
        elem[k++] = ls__builder_col_elem(c);
    }
    return grow_cols(arrs, elem, k, &b->ev_cap, need);
}

int ls__builder_col_fill(ls__builder *b, int k)
{
    void **all[LS__N_COLS];
    size_t elem = ls__builder_col_elem(k), ram = b->n_ev - b->ev_base, got;
    if (!b->col_dflt[k]) return LS_OK;
    ls__builder_cols(b, all);
    if (b->ev_cap) {
        if (ls__col_resize(all[k], 0, b->ev_cap * elem, &got))
            return ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory adding events");
        memset(*all[k], 0xFF, ram * elem);
    }
    if (b->ev_base) {
        /* The events spilled so far: their defaults go to the column's
         * own spill file, as if it had spilled with the others. */
        unsigned char ff[4096];
        size_t left = b->ev_base * elem;
        memset(ff, 0xFF, sizeof ff);
        if (b->col_fd[k] < 0 && ls__spill_open(b->spill_dir, &b->col_fd[k])) goto io;
        for (; left; left -= LS__MIN(left, sizeof ff))
            if (ls__spill_write(b->col_fd[k], ff, LS__MIN(left, sizeof ff))) goto io;
    }
    b->col_dflt[k] = 0;
    return LS_OK;
io:
    b->spill_err = errno ? errno : EIO;
    return ls__fail(b->ctx, LS_ERR_IO, "cannot write a spill file in %s: %s", b->spill_dir,
                    strerror(b->spill_err));
}

/* Event i (of the RAM part) of lazy column k (*col, 4- or 2-byte values)
 * gets v, the column getting memory first if v is its first value other
 * than the default. */
static inline int set_lazy(ls__builder *b, int k, void **col, size_t i, uint32_t v)
{
    int wide = ls__builder_col_elem(k) == 4;
    if (b->col_dflt[k]) {
        if (v == (wide ? LS__NONE : U16_NONE)) return LS_OK;
        int st = ls__builder_col_fill(b, k);
        if (st) return st;
    }
    if (wide) ((uint32_t *)*col)[i] = v;
    else ((uint16_t *)*col)[i] = (uint16_t)v;
    return LS_OK;
}

size_t ls__builder_post_count(const ls__builder *b) { return b->ns[LS_NS_POST].n; }

void ls__builder_expect_posts(ls__builder *b, size_t more)
{
    ls__pool *p = &b->ns[LS_NS_POST];
    if (more > ((size_t)UINT32_MAX - 2) - p->n) more = ((size_t)UINT32_MAX - 2) - p->n;
    size_t bytes = p->n ? (size_t)(ls__pool_bytes(p) / p->n) * more : 0;
    /* A failure leaves the pool and the flags as they were. */
    if (ls__pool_reserve(p, p->n + more, (size_t)(p->blob.n) + bytes) == LS_OK)
        (void)post_flag_room_for(b, p->n + more);
}

void ls__builder_expect_posts_from(ls__builder *b, size_t rows_left, size_t posts, size_t ids0,
                                   size_t ids_max)
{
    if (!posts) return;
    double per_post = (double)(b->ns[LS_NS_POST].n - ids0) / (double)posts;
    double want = (double)rows_left * per_post;
    ls__builder_expect_posts(b, want < (double)ids_max ? (size_t)want : ids_max);
}

void ls__builder_expect_events(ls__builder *b, size_t more)
{
    void **arrs[LS__N_COLS];
    size_t elem[LS__N_COLS], ev = b->n_ev - b->ev_base, li = b->n_li - b->li_base;
    /* Never past what spills: the columns' RAM part stops there. */
    size_t ev_max = b->col_spill_at ? b->col_spill_at / LS__EV_BYTES + 1 : SIZE_MAX;
    size_t li_more = b->n_ev ? (size_t)((double)more * (double)b->n_li / (double)b->n_ev) : 0;
    size_t li_max = b->col_spill_at ? b->col_spill_at / 5 + 1 : SIZE_MAX;
    if (b->mapped) return;
    ls__builder_cols(b, arrs);
    for (int k = 0; k < LS__N_COLS; k++) elem[k] = ls__builder_col_elem(k);
    /* A failure keeps every column (and the shared capacity) as it was. */
    if (grow_ev_cols(b, LS__MIN(ev + more, ev_max)) == LS_OK)
        (void)grow_cols(arrs + LS__N_EV_COLS, elem + LS__N_EV_COLS, 2, &b->li_cap, LS__MIN(li + li_more, li_max));
}

/* Order of the precomputed hashes of a post (ls__builder_hash_post). */
enum { H_POST, H_ACCOUNT, H_REF_POST, H_REF_ACCOUNT, H_REPLY_POST, H_REPLY_ACCOUNT, H_TEXT, H_FIXED };

size_t ls__builder_hash_count(const ls__rec *r)
{
    return H_FIXED + r->n_hashtags + r->n_urls + r->n_domains + r->n_mentions + r->n_images;
}

static inline uint64_t hash_or0(ls__str s) { return s.n ? ls__pool_hash(s) : 0; }

static uint64_t *hash_list(uint64_t *h, const ls__str *v, size_t n)
{
    for (size_t i = 0; i < n; i++) *h++ = hash_or0(v[i]);
    return h;
}

void ls__builder_hash_post(const ls__rec *r, uint64_t *h)
{
    h[H_POST] = hash_or0(r->post_id);
    h[H_ACCOUNT] = hash_or0(r->account_id);
    h[H_REF_POST] = hash_or0(r->ref_post);
    h[H_REF_ACCOUNT] = hash_or0(r->ref_account);
    h[H_REPLY_POST] = hash_or0(r->reply_post);
    h[H_REPLY_ACCOUNT] = hash_or0(r->reply_account);
    h[H_TEXT] = hash_or0(r->text);
    uint64_t *p = h + H_FIXED;
    p = hash_list(p, r->hashtags, r->n_hashtags);
    p = hash_list(p, r->urls, r->n_urls);
    p = hash_list(p, r->domains, r->n_domains);
    p = hash_list(p, r->mentions, r->n_mentions);
    hash_list(p, r->images, r->n_images);
}

void ls__builder_prefetch_post(const ls__builder *b, const ls__rec *r, const uint64_t *h, int stage)
{
    /* Only the namespaces that grow with the input: their slots are
     * the cache misses (hashtags, domains and the like stay cached).
     * A new post id has nothing to compare, so it stops at its slot. */
    const ls__pool *post = &b->ns[LS_NS_POST], *acc = &b->ns[LS_NS_ACCOUNT];
    /* A claimed post (ls__builder_claim_post) comes with its post id
     * and referenced posts blank: that pool may be another thread's. */
    if (stage == 0 && r->post_id.n) ls__pool_prefetch(post, h[H_POST], 0);
    if (r->ref_post.n) ls__pool_prefetch(post, h[H_REF_POST], stage);
    if (r->reply_post.n) ls__pool_prefetch(post, h[H_REPLY_POST], stage);
    if (r->text.n) ls__pool_prefetch(&b->ns[LS_NS_TEXT], h[H_TEXT], stage);
    ls__pool_prefetch(acc, h[H_ACCOUNT], stage);
    if (r->ref_account.n) ls__pool_prefetch(acc, h[H_REF_ACCOUNT], stage);
    if (r->reply_account.n) ls__pool_prefetch(acc, h[H_REPLY_ACCOUNT], stage);
    const uint64_t *u = h + H_FIXED + r->n_hashtags;
    for (size_t k = 0; k < r->n_urls; k++) ls__pool_prefetch(&b->ns[LS_NS_URL], u[k], stage);
    const uint64_t *m = u + r->n_urls + r->n_domains;
    for (size_t k = 0; k < r->n_mentions; k++) ls__pool_prefetch(acc, m[k], stage);
}

void ls__builder_prefetch_claim(const ls__builder *b, const ls__rec *r, const uint64_t *h, int stage)
{
    const ls__pool *post = &b->ns[LS_NS_POST];
    if (stage == 0 && r->post_id.n) ls__pool_prefetch(post, h[H_POST], 0);
    if (r->ref_post.n) ls__pool_prefetch(post, h[H_REF_POST], stage);
    if (r->reply_post.n) ls__pool_prefetch(post, h[H_REPLY_POST], stage);
}

int ls__builder_add_post(ls__builder *b, const ls__rec *r, const char *file, uint64_t line)
{
    uint64_t stack[128], *h = stack;
    size_t n = ls__builder_hash_count(r);
    if (n > sizeof stack / sizeof stack[0] && !(h = ls__malloc(n * sizeof *h)))
        return ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory adding a post");
    ls__builder_hash_post(r, h);
    int st = ls__builder_add_post_h(b, r, h, file, line);
    if (h != stack) ls__free(h);
    return st;
}

int ls__builder_add_post_h(ls__builder *b, const ls__rec *r, const uint64_t *h,
                           const char *file, uint64_t line)
{
    ls__post_ids ids;
    int st = ls__builder_claim_post(b, b->ctx, r, h, &ids);
    if (st) return st;
    if (ids.skip || ids.dup) ls__builder_diag(b, ids.reason, file, line, ids.detail);
    if (ids.skip) return LS_OK;
    return ls__builder_add_claimed(b, r, h, &ids, file, line);
}

int ls__builder_claim_post(ls__builder *b, ls_ctx *ctx, const ls__rec *r, const uint64_t *h,
                           ls__post_ids *ids)
{
    int st;
    ids->post = ids->ref_post = ids->reply_post = LS__NONE;
    ids->skip = ids->dup = 0;
    ids->reason = 0;
    ids->detail[0] = '\0';
    if (!r->post_id.n || !r->account_id.n) {
        ids->skip = 1;
        ids->reason = LS_DIAG_MISSING_ID;
        snprintf(ids->detail, sizeof ids->detail, "%s", r->post_id.n ? "no account id" : "no post id");
        return LS_OK;
    }
    if ((st = put_in(b, ctx, LS_NS_POST, r->post_id, h[H_POST], LS__XD_EVENT, &ids->post))) return st;
    if ((st = post_flag_room(b, ctx))) return st;
    /* A provisional post id (its pool froze before it came) may still
     * repeat an earlier one: that is found at write time
     * (builder_freeze.c). */
    if (ids->post != LS__PROV && b->post_has_ev[ids->post]) {
        ids->dup = 1;
        ids->reason = LS_DIAG_DUPLICATE;
        snprintf(ids->detail, sizeof ids->detail, "post id %.*s seen before",
                 (int)LS__MIN(r->post_id.n, 80), r->post_id.p);
    }
    /* Each namespace's ids are first-seen, so only the order within a
     * namespace counts: post, referenced post and replied-to post here,
     * as add_post always did.  A duplicate's are interned too (but no
     * column holds them), so that a duplicate found only at write time
     * leaves the same namespaces. */
    unsigned fl = ids->dup ? LS__XD_ORPHAN : 0;
    if ((st = put_in(b, ctx, LS_NS_POST, r->ref_post, h[H_REF_POST], fl, &ids->ref_post)) ||
        (st = put_in(b, ctx, LS_NS_POST, r->reply_post, h[H_REPLY_POST], fl, &ids->reply_post)) ||
        (st = post_flag_room(b, ctx)))
        return st;
    /* Nothing but a fatal failure can stop the post from being added
     * from here on. */
    if (!ids->dup && ids->post != LS__PROV) b->post_has_ev[ids->post] = 1;
    return LS_OK;
}

/* The string lists of post r (hashes h): interned, and unless dup, added
 * as list entries. */
static int add_lists(ls__builder *b, const ls__rec *r, const uint64_t *h, int dup)
{
    const uint64_t *hl = h + H_FIXED;
    int st;
    if ((st = add_strings(b, LS_NS_HASHTAG, LS_LI_HASHTAG, r->hashtags, r->n_hashtags, hl, dup)) ||
        (st = add_strings(b, LS_NS_URL, LS_LI_URL, r->urls, r->n_urls, hl += r->n_hashtags, dup)) ||
        (st = add_strings(b, LS_NS_DOMAIN, LS_LI_DOMAIN, r->domains, r->n_domains, hl += r->n_urls, dup)) ||
        (st = add_strings(b, LS_NS_ACCOUNT, LS_LI_MENTION, r->mentions, r->n_mentions,
                          hl += r->n_domains, dup)))
        return st;
    return add_strings(b, LS_NS_IMAGE, LS_LI_IMAGE, r->images, r->n_images, hl + r->n_mentions, dup);
}

/* A duplicate post (ids->dup): what add_claimed interns and the profile
 * values it applies, but no event, list entries or pending RT author. */
static int add_dup(ls__builder *b, const ls__rec *r, const uint64_t *h)
{
    uint32_t id, v;
    uint16_t v16;
    int st;
    if ((st = account_h(b, r->account_id, h[H_ACCOUNT], LS__XD_ORPHAN, &id)) ||
        (st = set_profile(b, id, r->screen_name, r->display_name, r->followers,
                          r->following, r->created_ms, r->account_lang,
                          r->location, r->description, r->profile_url)) ||
        (st = account_h(b, r->ref_account, h[H_REF_ACCOUNT], LS__XD_ORPHAN, &v)) ||
        (st = account_h(b, r->reply_account, h[H_REPLY_ACCOUNT], LS__XD_ORPHAN, &v)) ||
        (st = put_in(b, b->ctx, LS_NS_TEXT, r->text, h[H_TEXT], LS__XD_ORPHAN, &v)) ||
        (st = put16(b, LS_NS_LANG, r->lang, &v16)) ||
        (st = put16(b, LS_NS_CLIENT, r->client, &v16)))
        return st;
    if ((st = add_lists(b, r, h, 1))) return st;
    if (!r->ref_account.n && r->ref_screen_name.n)
        return put_in(b, b->ctx, LS_NS_NAME, r->ref_screen_name, ls__pool_hash(r->ref_screen_name),
                      LS__XD_ORPHAN, &v);
    return LS_OK;
}

/* Adds a pending "RT @name" author (event ev, name id), the pairs so far
 * going to the spill file once they fill RT_SPILL bytes (or the spill
 * threshold, which tests set small): 8 bytes a retweet would otherwise
 * stay in memory to the write. */
#define RT_SPILL ((size_t)8 << 20)
static int rt_pending(ls__builder *b, uint32_t ev, uint32_t name)
{
    size_t at = b->spill_at && b->spill_at < RT_SPILL ? b->spill_at : RT_SPILL;
    if (b->n_rt && b->n_rt * 8 >= at) {
        if ((b->rt_fd < 0 && ls__spill_open(b->spill_dir, &b->rt_fd)) ||
            ls__spill_write(b->rt_fd, b->rt, b->n_rt * 8)) {
            b->spill_err = errno ? errno : EIO;
            return ls__fail(b->ctx, LS_ERR_IO, "cannot write a spill file in %s: %s", b->spill_dir,
                            strerror(b->spill_err));
        }
        b->rt_spilled += b->n_rt;
        b->n_rt = 0;
    }
    void *p = b->rt;
    if (ls__grow(&p, &b->rt_cap, 2 * (b->n_rt + 1), sizeof *b->rt))
        return ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory");
    b->rt = p;
    b->rt[2 * b->n_rt] = ev;
    b->rt[2 * b->n_rt + 1] = name;
    b->n_rt++;
    return LS_OK;
}

int ls__builder_add_claimed(ls__builder *b, const ls__rec *r, const uint64_t *h,
                            const ls__post_ids *ids, const char *file, uint64_t line)
{
    uint32_t id;
    int st;

    if (ids->dup) return add_dup(b, r, h);
    if (ids->post == LS__PROV && (st = ls__builder_origin(b, file, line))) return st;
    if (b->n_ev >= UINT32_MAX - 1)
        return ls__fail(b->ctx, LS_ERR_LIMIT, "more than 2^32-2 events in one store");
    if (b->mapped)
        return ls__fail(b->ctx, LS_ERR_INTERNAL, "a post added after the store was written");
    if (b->col_spill_at && (b->n_ev - b->ev_base) * LS__EV_BYTES >= b->col_spill_at &&
        (st = ls__builder_spill_cols(b, 0)))
        return st;

    /* i indexes the RAM part of the columns. */
    size_t i = b->n_ev - b->ev_base;
    if (grow_ev_cols(b, i + 1)) return ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory adding events");
    uint32_t v;
    uint16_t v16;

    b->ev_post[i] = ids->post;
    b->ev_time[i] = r->time_ms;
    b->ev_kind[i] = (uint8_t)(r->kind >= LS_KIND_TWEET && r->kind <= LS_KIND_REPLY ? r->kind : LS_KIND_TWEET);
    b->ev_list[i] = (uint32_t)b->n_li;
    if ((st = account_h(b, r->account_id, h[H_ACCOUNT], 0, &id))) return st;
    b->ev_account[i] = id;
    if ((st = set_profile(b, id, r->screen_name, r->display_name, r->followers,
                          r->following, r->created_ms, r->account_lang,
                          r->location, r->description, r->profile_url)))
        return st;
    if ((st = set_lazy(b, 3, (void **)&b->ev_ref_post, i, ids->ref_post)) ||
        (st = account_h(b, r->ref_account, h[H_REF_ACCOUNT], 0, &v)) ||
        (st = set_lazy(b, 4, (void **)&b->ev_ref_account, i, v)) ||
        (st = set_lazy(b, 5, (void **)&b->ev_reply_post, i, ids->reply_post)) ||
        (st = account_h(b, r->reply_account, h[H_REPLY_ACCOUNT], 0, &v)) ||
        (st = set_lazy(b, 6, (void **)&b->ev_reply_account, i, v)) ||
        (st = put_h(b, LS_NS_TEXT, r->text, h[H_TEXT], &v)) ||
        (st = set_lazy(b, 7, (void **)&b->ev_text, i, v)) ||
        (st = put16(b, LS_NS_LANG, r->lang, &v16)) ||
        (st = set_lazy(b, 10, (void **)&b->ev_lang, i, v16)) ||
        (st = put16(b, LS_NS_CLIENT, r->client, &v16)) ||
        (st = set_lazy(b, 11, (void **)&b->ev_client, i, v16)))
        return st;

    if ((st = add_lists(b, r, h, 0)) ||
        (st = add_count(b, r->likes, LS_LI_LIKES)) ||
        (st = add_count(b, r->retweets, LS_LI_RETWEETS)) ||
        (st = add_count(b, r->replies, LS_LI_REPLIES)) ||
        (st = add_count(b, r->quotes, LS_LI_QUOTES)))
        return st;

    /* A target author known only by screen name is resolved at write time,
     * when every users row and profile has been seen. */
    if (!r->ref_account.n && r->ref_screen_name.n) {
        uint32_t name;
        if ((st = ls__builder_put(b, LS_NS_NAME, r->ref_screen_name, &name))) return st;
        if (name == LS__PROV && (st = ls__builder_acct_log_rt(b))) return st;
        if ((st = rt_pending(b, (uint32_t)b->n_ev, name))) return st;
    }
    b->n_ev++;
    return LS_OK;
}

/* Copies at most max-1 bytes of s into dst without cutting a UTF-8
 * sequence in half, so that examples stay valid UTF-8 in JSON output. */
static void copy_utf8(char *dst, size_t max, const char *s)
{
    size_t n = strlen(s);
    if (n >= max) {
        n = max - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}

void ls__builder_format_example(char *ex, size_t cap, const char *file, uint64_t line,
                                const char *detail)
{
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s:%llu: %s", file ? file : "-",
             (unsigned long long)line, detail ? detail : "");
    copy_utf8(ex, cap, tmp);
}

void ls__builder_diag_example(ls__builder *b, int reason, const char *text)
{
    for (int k = 0; k < LS_DIAG_EXAMPLES; k++) {
        char *ex = b->diag.example[reason][k];
        if (ex[0]) continue;
        copy_utf8(ex, sizeof b->diag.example[reason][k], text);
        break;
    }
}

void ls__builder_diag(ls__builder *b, int reason, const char *file, uint64_t line,
                      const char *detail)
{
    if (reason < 0 || reason >= LS_DIAG_COUNT) return;
    b->diag.count[reason]++;
    char ex[sizeof b->diag.example[0][0]];
    if (b->diag.example[reason][LS_DIAG_EXAMPLES - 1][0]) return;  /* no room left */
    ls__builder_format_example(ex, sizeof ex, file, line, detail);
    /* Once duplicates can also be found at write time (an event with a
     * provisional post id has been added), the examples of those found
     * now wait for them, so that all come in the order of the rows
     * (builder_freeze.c). */
    if (reason == LS_DIAG_DUPLICATE && b->n_orig) {
        ls__builder_dup_later(b, ex);
        return;
    }
    ls__builder_diag_example(b, reason, ex);
}

ls__diag *ls__builder_diag_table(ls__builder *b) { return &b->diag; }
void ls__builder_count_rows(ls__builder *b, uint64_t rows) { b->rows_read += rows; }
void ls__builder_count_input(ls__builder *b) { b->n_inputs++; }
void ls__builder_set_ctx(ls__builder *b, ls_ctx *ctx) { b->ctx = ctx; }
