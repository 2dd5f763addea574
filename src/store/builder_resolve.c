/*
 * builder_resolve.c — "RT @name" attribution at write time.
 *
 * Archives leave retweet_userid empty on some retweets; the parser then
 * passes the screen name from the leading "RT @name:" of the text.  Once
 * every users row and post profile has been seen, such a retweet is
 * attributed to the account whose screen name matches (ASCII case-
 * insensitively, as Twitter screen names are; when several accounts had
 * that name, the one seen first).  An unknown name gets a synthetic
 * account whose id is "@" + the lowercased name and whose screen name is
 * the name as written, so all retweets of that name still share one
 * author.  When a later append brings the real account, events that
 * point at the synthetic "@name" account are moved to it; the synthetic
 * id stays in the account namespace (ids never change once written).
 *
 * Only the names asked about are tabled (those of the pending retweets
 * and of the synthetic accounts), and the accounts are read once in id
 * order to find their first owners: the memory follows the names asked
 * about, not the accounts.  Past a frozen account pool the accounts'
 * strings come from the deduplicator and their screen names from the
 * tail's column file (builder_acct.c), and a new synthetic account is an
 * extra account after them.
 */
#include "builder.h"

#include <errno.h>
#include <stdlib.h>

/* Spilled pending pairs read back at a time. */
#define RT_CHUNK ((size_t)1 << 16)

static int lower_name(ls__buf *tmp, ls__str s, ls__str *out)
{
    tmp->n = 0;
    if (ls__buf_put(tmp, s.p, s.n)) return LS_ERR_NOMEM;
    for (size_t i = 0; i < tmp->n; i++)
        if (tmp->p[i] >= 'A' && tmp->p[i] <= 'Z') tmp->p[i] = (char)(tmp->p[i] + 32);
    out->p = tmp->p;
    out->n = tmp->n;
    return LS_OK;
}

/* The accounts in id order: held ones, then the tail's. */
typedef int (*acct_fn)(void *u, uint32_t a, ls__str s, uint32_t screen);
typedef struct {
    ls__builder *b;
    acct_fn fn;
    void *u;
    int screens;              /* read the tail's screen names */
    uint64_t k;               /* tail accounts seen */
    uint32_t chunk[4096];
    uint64_t chunk_at;        /* tail index of chunk[0]; UINT64_MAX: none */
    int st;
} walk;

static int tail_one(void *u, ls__str s)
{
    walk *w = u;
    uint32_t screen = LS__NONE;
    if (w->screens) {
        if (w->chunk_at == UINT64_MAX || w->k >= w->chunk_at + 4096) {
            size_t m = (size_t)LS__MIN((uint64_t)4096, w->b->n_tail - w->k);
            if ((w->st = ls__builder_tail_read(w->b, LS__ACC_SCREEN, w->k, m, w->chunk))) return w->st;
            w->chunk_at = w->k;
        }
        screen = w->chunk[w->k - w->chunk_at];
    }
    uint64_t a = w->b->n_acc + w->k++;
    return w->fn(w->u, (uint32_t)a, s, screen);
}

static int each_account(ls__builder *b, int screens, acct_fn fn, void *u)
{
    int st;
    for (size_t a = 0; a < b->n_acc; a++) {
        ls__str s = ls__pool_get(&b->ns[LS_NS_ACCOUNT], (uint32_t)a);
        if ((st = fn(u, (uint32_t)a, s, screens && b->acc_prof ? b->acc_screen[a] : LS__NONE))) return st;
    }
    if (!b->n_tail) return LS_OK;
    walk *w = ls__calloc(1, sizeof *w);
    if (!w) return ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory resolving RT @name authors");
    w->b = b;
    w->fn = fn;
    w->u = u;
    w->screens = screens;
    w->chunk_at = UINT64_MAX;
    st = ls__builder_xd_each(b, LS_NS_ACCOUNT, tail_one, w);
    if (st == LS_OK && w->k != b->n_tail)
        st = ls__fail(b->ctx, LS_ERR_INTERNAL, "the account tail and its strings disagree");
    ls__free(w);
    return st;
}

typedef struct {
    ls__builder *b;
    ls__intern asked;         /* lowercased names asked about */
    uint32_t *owner, *synth;  /* by asked id: first real account with the name, account "@name" */
    size_t cap;
    /* the synthetic accounts before this resolution, in id order, and
     * their names' asked ids */
    uint32_t *sy_acc, *sy_q;
    size_t n_sy, sy_cap;
    ls__buf tmp;
    /* names past a frozen name pool (ids from name_n on), whose strings
     * are read from its deduplicator in id order: those of pending pairs
     * (want), and those whose lowercase is asked about, with its asked id
     * (idmap, idq) */
    uint32_t name_n, name_k;
    ls__intern want, idmap;
    uint32_t *idq;
    size_t idq_cap;
} res;

static ls__str id_key(const uint32_t *id) { return (ls__str){ (const char *)id, sizeof *id }; }

/* The asked id of name id (LS__NONE: not asked about). */
static uint32_t name_q(res *r, uint32_t id)
{
    ls__str low;
    if (id >= r->name_n) {
        uint32_t k = ls__intern_find(&r->idmap, id_key(&id));
        return k == LS__NONE ? LS__NONE : r->idq[k];
    }
    if (lower_name(&r->tmp, ls__pool_get(&r->b->ns[LS_NS_NAME], id), &low)) return LS__NONE;
    return ls__intern_find(&r->asked, low);
}

static bool synthetic(ls__str s) { return s.n > 1 && s.p[0] == '@'; }

/* Asks about name s (as it is): its asked id. */
static int ask(res *r, ls__str s, uint32_t *q)
{
    size_t before = r->asked.n;
    if (ls__intern_put(&r->asked, s, q)) return LS_ERR_NOMEM;
    if (r->asked.n == before) return LS_OK;
    void *o = r->owner, *y = r->synth;
    size_t c = r->cap;
    if (ls__grow(&o, &c, (size_t)*q + 1, sizeof *r->owner)) return LS_ERR_NOMEM;
    r->owner = o;
    if (ls__grow(&y, &r->cap, (size_t)*q + 1, sizeof *r->synth)) return LS_ERR_NOMEM;
    r->synth = y;
    r->owner[*q] = r->synth[*q] = LS__NONE;
    return LS_OK;
}

/* First pass: the synthetic accounts and their names. */
static int find_synthetic(void *u, uint32_t a, ls__str s, uint32_t screen)
{
    res *r = u;
    uint32_t q;
    (void)screen;
    if (!synthetic(s)) return LS_OK;
    if (ask(r, (ls__str){ s.p + 1, s.n - 1 }, &q)) return LS_ERR_NOMEM;
    if (r->synth[q] == LS__NONE) r->synth[q] = a;
    void *pa = r->sy_acc, *pq = r->sy_q;
    size_t c = r->sy_cap;
    if (ls__grow(&pa, &c, r->n_sy + 1, sizeof *r->sy_acc)) return LS_ERR_NOMEM;
    r->sy_acc = pa;
    if (ls__grow(&pq, &r->sy_cap, r->n_sy + 1, sizeof *r->sy_q)) return LS_ERR_NOMEM;
    r->sy_q = pq;
    r->sy_acc[r->n_sy] = a;
    r->sy_q[r->n_sy++] = q;
    return LS_OK;
}

/* Second pass: the first real account with each name asked about. */
static int find_owner(void *u, uint32_t a, ls__str s, uint32_t screen)
{
    res *r = u;
    if (screen == LS__NONE || synthetic(s)) return LS_OK;
    uint32_t q = name_q(r, screen);
    if (q != LS__NONE && r->owner[q] == LS__NONE) r->owner[q] = a;
    return LS_OK;
}

/* The pending pairs, spilled ones a chunk at a time, then those in RAM;
 * fn(u, event, name id) for each whose event was not dropped as a
 * duplicate at write time (builder_freeze.c): it has no author to find. */
static int each_pending(ls__builder *b, int (*fn)(void *u, uint32_t ev, uint32_t name), void *u)
{
    uint32_t *chunk = NULL;
    int st = LS_OK;
    for (uint64_t k = 0; k < b->rt_spilled + b->n_rt; k++) {
        uint64_t c = k < b->rt_spilled ? k % RT_CHUNK : 0;
        if (k < b->rt_spilled && c == 0) {
            size_t m = (size_t)LS__MIN((uint64_t)RT_CHUNK, b->rt_spilled - k);
            if (!chunk && !(chunk = ls__malloc(RT_CHUNK * 8))) {
                st = ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory resolving RT @name authors");
                break;
            }
            if (ls__spill_pread(b->rt_fd, chunk, m * 8, k * 8)) {
                st = ls__fail(b->ctx, LS_ERR_IO, "cannot read a spill file in %s: %s", b->spill_dir,
                              strerror(errno ? errno : EIO));
                break;
            }
        }
        const uint32_t *pr = k < b->rt_spilled ? chunk + 2 * c : b->rt + 2 * (k - b->rt_spilled);
        if (ls__builder_dropped(b, pr[0])) continue;
        if ((st = fn(u, pr[0], pr[1]))) break;
    }
    ls__free(chunk);
    return st;
}

static int ask_pending(void *u, uint32_t ev, uint32_t name)
{
    res *r = u;
    ls__str low;
    uint32_t q;
    (void)ev;
    if (name >= r->name_n) {
        /* Asked once its string is read (ask_past). */
        if (ls__intern_put(&r->want, id_key(&name), &q)) goto nomem;
        return LS_OK;
    }
    if (lower_name(&r->tmp, ls__pool_get(&r->b->ns[LS_NS_NAME], name), &low) || ask(r, low, &q)) goto nomem;
    return LS_OK;
nomem:
    return ls__fail(r->b->ctx, LS_ERR_NOMEM, "out of memory resolving RT @name authors");
}

/* Names past a frozen name pool, in id order: those of pending pairs
 * are asked about. */
static int ask_past(void *u, ls__str s)
{
    res *r = u;
    ls__str low;
    uint32_t id = r->name_n + r->name_k++, q;
    if (ls__intern_find(&r->want, id_key(&id)) == LS__NONE) return LS_OK;
    if (lower_name(&r->tmp, s, &low) || ask(r, low, &q)) return LS_ERR_NOMEM;
    return LS_OK;
}

/* Then those whose lowercase is asked about get their asked ids. */
static int map_past(void *u, ls__str s)
{
    res *r = u;
    ls__str low;
    uint32_t id = r->name_n + r->name_k++, k;
    if (lower_name(&r->tmp, s, &low)) return LS_ERR_NOMEM;
    uint32_t q = ls__intern_find(&r->asked, low);
    if (q == LS__NONE) return LS_OK;
    void *p = r->idq;
    if (ls__intern_put(&r->idmap, id_key(&id), &k) || ls__grow(&p, &r->idq_cap, (size_t)k + 1, sizeof *r->idq))
        return LS_ERR_NOMEM;
    r->idq = p;
    r->idq[k] = q;
    return LS_OK;
}

/* Account acc ("@name") gets screen name id name unless it has one. */
static int synth_screen(ls__builder *b, uint32_t acc, uint32_t name)
{
    if (acc < b->n_acc) {
        if (b->acc_screen[acc] == LS__NONE) b->acc_screen[acc] = name;
        return LS_OK;
    }
    uint64_t k = (uint64_t)acc - b->n_acc;
    if (k >= b->n_tail) return LS_OK;  /* an extra account: made with it */
    uint32_t v;
    int st = ls__builder_tail_read(b, LS__ACC_SCREEN, k, 1, &v);
    if (st || v != LS__NONE) return st;
    return ls__builder_tail_set_screen(b, k, name);
}

static int attribute(void *u, uint32_t ev, uint32_t name)
{
    res *r = u;
    ls__builder *b = r->b;
    uint32_t acc;
    int st;
    uint32_t q = name_q(r, name);
    if (q == LS__NONE) return ls__fail(b->ctx, LS_ERR_INTERNAL, "an RT @name not asked about");
    acc = r->owner[q];
    if (acc == LS__NONE) {
        acc = r->synth[q];
        if (acc == LS__NONE) {
            /* "@" + lowercased name (as asked about). */
            ls__str low = ls__intern_get(&r->asked, q);
            r->tmp.n = 0;
            if (ls__buf_put(&r->tmp, "@", 1) || ls__buf_put(&r->tmp, low.p, low.n))
                return ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory resolving RT @name authors");
            ls__str s = { r->tmp.p, r->tmp.n };
            if (b->ns[LS_NS_ACCOUNT].frozen) st = ls__builder_extra_account(b, s, name, &acc);
            else st = ls__builder_account_id(b, s, &acc);
            if (st) return st;
            r->synth[q] = acc;
        }
        if ((st = synth_screen(b, acc, name))) return st;
    }
    if ((st = ls__builder_col_fill(b, 4))) return st;
    b->ev_ref_account[ev] = acc;
    return LS_OK;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

int ls__builder_resolve(ls__builder *b)
{
    res r;
    uint32_t *remap = NULL;
    size_t n_remap = 0;
    int st;

    memset(&r, 0, sizeof r);
    r.b = b;
    r.name_n = (uint32_t)b->ns[LS_NS_NAME].n;
    ls__intern_init(&r.asked);
    ls__intern_init(&r.want);
    ls__intern_init(&r.idmap);
    if ((st = each_account(b, 0, find_synthetic, &r))) goto fail;
    if (!b->n_rt && !b->rt_spilled && !r.n_sy) goto done;
    if ((st = ls__builder_profiles(b))) goto done;
    if ((st = each_pending(b, ask_pending, &r))) goto done;
    r.name_k = 0;
    if (r.want.n && (st = ls__builder_xd_each(b, LS_NS_NAME, ask_past, &r))) goto fail;
    if (!r.asked.n) goto done;
    r.name_k = 0;
    if (ls__builder_xd_count(b, LS_NS_NAME) && (st = ls__builder_xd_each(b, LS_NS_NAME, map_past, &r))) goto fail;
    if ((st = each_account(b, 1, find_owner, &r))) goto fail;
    if ((st = each_pending(b, attribute, &r))) goto done;
    b->n_rt = 0;
    b->rt_spilled = 0;

    /* Synthetic accounts from earlier ingests whose real account is now
     * known: their events move over (pairs of account and owner, in
     * account order). */
    for (size_t i = 0; i < r.n_sy; i++)
        if (r.owner[r.sy_q[i]] != LS__NONE) n_remap++;
    if (!n_remap || b->col_dflt[4]) goto done;
    if (!(remap = ls__malloc(n_remap * 2 * sizeof *remap))) { st = LS_ERR_NOMEM; goto fail; }
    n_remap = 0;
    for (size_t i = 0; i < r.n_sy; i++) {
        if (r.owner[r.sy_q[i]] == LS__NONE) continue;
        remap[2 * n_remap] = r.sy_acc[i];
        remap[2 * n_remap++ + 1] = r.owner[r.sy_q[i]];
    }
    for (size_t i = 0; i < b->n_ev; i++) {
        uint32_t v = b->ev_ref_account[i];
        if (v == LS__NONE) continue;
        const uint32_t *m = bsearch(&v, remap, n_remap, 2 * sizeof *remap, cmp_u32);
        if (m) b->ev_ref_account[i] = m[1];
    }
    goto done;
fail:
    if (st == LS_ERR_NOMEM) st = ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory resolving RT @name authors");
done:
    ls__intern_free(&r.asked);
    ls__intern_free(&r.want);
    ls__intern_free(&r.idmap);
    ls__free(r.idq);
    ls__buf_free(&r.tmp);
    ls__free(r.owner);
    ls__free(r.synth);
    ls__free(r.sy_acc);
    ls__free(r.sy_q);
    ls__free(remap);
    return st;
}
