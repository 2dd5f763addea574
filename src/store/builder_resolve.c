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
 */
#include "builder.h"

#include <errno.h>

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

static bool is_synthetic(const ls__builder *b, uint32_t a)
{
    ls__str s = ls__pool_get(&b->ns[LS_NS_ACCOUNT], a);
    return s.n > 1 && s.p[0] == '@';
}

int ls__builder_resolve(ls__builder *b)
{
    ls__intern names;
    ls__buf tmp = { 0 };
    uint32_t *owner = NULL, *remap = NULL, *chunk = NULL;
    size_t owner_cap = 0, n_synth = 0;
    int st = LS_OK;
    ls__str low;

    for (size_t a = 0; a < b->n_acc; a++) n_synth += is_synthetic(b, (uint32_t)a);
    if (!b->n_rt && !b->rt_spilled && !n_synth) return LS_OK;
    if ((st = ls__builder_profiles(b))) return st;
    ls__intern_init(&names);

    /* Lowercased screen name -> first real account that had it. */
    for (size_t a = 0; a < b->n_acc; a++) {
        uint32_t id;
        size_t before = names.n;
        if (b->acc_screen[a] == LS__NONE || is_synthetic(b, (uint32_t)a)) continue;
        if ((st = lower_name(&tmp, ls__pool_get(&b->ns[LS_NS_NAME], b->acc_screen[a]), &low)) ||
            (st = ls__intern_put(&names, low, &id)))
            goto nomem;
        if (names.n == before) continue;  /* an earlier account owns it */
        void *p = owner;
        if ((st = ls__grow(&p, &owner_cap, (size_t)id + 1, sizeof *owner))) goto nomem;
        owner = p;
        owner[id] = (uint32_t)a;
    }

    /* Pending retweets of this session: the spilled pairs a chunk at a
     * time, then those in RAM; a retweet dropped as a duplicate at write
     * time (builder_freeze.c) has no author to find. */
    for (uint64_t k = 0; k < b->rt_spilled + b->n_rt; k++) {
        uint64_t c = k < b->rt_spilled ? k % RT_CHUNK : 0;
        if (k < b->rt_spilled && c == 0) {
            size_t m = (size_t)LS__MIN((uint64_t)RT_CHUNK, b->rt_spilled - k);
            if (!chunk && !(chunk = ls__malloc(RT_CHUNK * 8))) goto nomem;
            if (ls__spill_pread(b->rt_fd, chunk, m * 8, k * 8)) {
                st = ls__fail(b->ctx, LS_ERR_IO, "cannot read a spill file in %s: %s", b->spill_dir,
                              strerror(errno ? errno : EIO));
                goto done;
            }
        }
        const uint32_t *pr = k < b->rt_spilled ? chunk + 2 * c : b->rt + 2 * (k - b->rt_spilled);
        if (ls__builder_dropped(b, pr[0])) continue;
        ls__str name = ls__pool_get(&b->ns[LS_NS_NAME], pr[1]);
        uint32_t id, acc;
        if ((st = lower_name(&tmp, name, &low))) goto nomem;
        id = ls__intern_find(&names, low);
        if (id != LS__NONE) {
            acc = owner[id];
        } else {
            /* "@" + lowercased name: prepend in place. */
            if ((st = ls__buf_put(&tmp, "@", 1))) goto nomem;
            memmove(tmp.p + 1, tmp.p, tmp.n - 1);
            tmp.p[0] = '@';
            if ((st = ls__builder_account_id(b, (ls__str){ tmp.p, tmp.n }, &acc))) goto done;
            if (b->acc_screen[acc] == LS__NONE) b->acc_screen[acc] = pr[1];
        }
        if (acc != LS__NONE && (st = ls__builder_col_fill(b, 4))) goto done;
        if (!b->col_dflt[4]) b->ev_ref_account[pr[0]] = acc;
    }
    b->n_rt = 0;
    b->rt_spilled = 0;

    /* Synthetic accounts from earlier ingests whose real account is now
     * known: move their events over. */
    if (n_synth && names.n) {
        size_t moved = 0;
        remap = ls__malloc(b->n_acc * sizeof *remap);
        if (!remap) goto nomem;
        for (size_t a = 0; a < b->n_acc; a++) {
            remap[a] = LS__NONE;
            if (!is_synthetic(b, (uint32_t)a)) continue;
            ls__str s = ls__pool_get(&b->ns[LS_NS_ACCOUNT], (uint32_t)a);
            uint32_t id = ls__intern_find(&names, (ls__str){ s.p + 1, s.n - 1 });
            if (id != LS__NONE) { remap[a] = owner[id]; moved++; }
        }
        /* A column of defaults has nothing to move. */
        for (size_t i = 0; moved && !b->col_dflt[4] && i < b->n_ev; i++) {
            uint32_t r = b->ev_ref_account[i];
            if (r != LS__NONE && r < b->n_acc && remap[r] != LS__NONE) b->ev_ref_account[i] = remap[r];
        }
    }
    goto done;
nomem:
    st = ls__fail(b->ctx, LS_ERR_NOMEM, "out of memory resolving RT @name authors");
done:
    ls__intern_free(&names);
    ls__buf_free(&tmp);
    ls__free(owner);
    ls__free(remap);
    ls__free(chunk);
    return st;
}
