/*
 * runcsv.c — reads a detect run folder's accounts.csv (the output contract
 * of `lockstep detect`: userid,screen_name,network,role,score,evidence)
 * back onto the dense account ids of a store, for `lockstep assess` and
 * `lockstep request`.  Columns are found by name, so extra columns and a
 * different order are fine.
 */
#include "assess.h"
#include "../ingest/ingest.h"
#include <stdlib.h>

void ls__run_free(ls__run *r, uint32_t n_accounts)
{
    if (!r) return;
    for (uint32_t k = 0; r->labels && k < r->n_nets; k++) ls__free(r->labels[k]);
    for (uint32_t a = 0; a < n_accounts; a++) {
        if (r->evidence) ls__free(r->evidence[a]);
        if (r->role) ls__free(r->role[a]);
    }
    ls__free(r->labels); ls__free(r->net_of); ls__free(r->score);
    ls__free(r->evidence); ls__free(r->role);
    memset(r, 0, sizeof *r);
}

static char *dup_str(ls__str s)
{
    char *p = ls__malloc(s.n + 1);
    if (p) { memcpy(p, s.p, s.n); p[s.n] = 0; }
    return p;
}

int ls__run_read(ls_ctx *ctx, const ls_store *st, const char *dir, ls__run *r)
{
    char path[4096];
    ls__src *src = NULL;
    ls__csv *csv = NULL;
    ls__csv_row row;
    int rc, col[5] = { -1, -1, -1, -1, -1 };   /* userid, network, role, score, evidence */
    static const char *const names[5] = { "userid", "network", "role", "score", "evidence" };
    size_t n_acc = st->ns[LS_NS_ACCOUNT].n, labels_cap = 0;
    memset(r, 0, sizeof *r);
    snprintf(path, sizeof path, "%s/accounts.csv", dir);
    if ((rc = ls__src_open(ctx, path, &src)) != LS_OK) return rc;
    if ((rc = ls__csv_new(src, &csv)) != LS_OK) { rc = ls__fail(ctx, rc, "%s: out of memory", path); goto done; }
    r->net_of = ls__malloc((n_acc + 1) * sizeof *r->net_of);
    r->score = ls__calloc(n_acc + 1, sizeof *r->score);
    r->evidence = ls__calloc(n_acc + 1, sizeof *r->evidence);
    r->role = ls__calloc(n_acc + 1, sizeof *r->role);
    if (!r->net_of || !r->score || !r->evidence || !r->role) { rc = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
    for (size_t a = 0; a < n_acc; a++) r->net_of[a] = LS__NONE;
    if ((rc = ls__csv_next(csv, &row)) != LS_OK) { rc = ls__fail(ctx, rc, "%s: cannot read the header", path); goto done; }
    for (size_t f = 0; f < row.n; f++)
        for (int c = 0; c < 5; c++) if (ls__str_eqc(row.f[f], names[c])) col[c] = (int)f;
    if (col[0] < 0 || col[1] < 0) {
        rc = ls__fail(ctx, LS_ERR_FORMAT, "%s:1: not a detect accounts.csv (needs userid and network columns)", path);
        goto done;
    }
    for (;;) {
        if ((rc = ls__csv_next(csv, &row)) != LS_OK) { rc = ls__fail(ctx, rc, "%s: read error", path); goto done; }
        if (row.n == 0) break;
        if ((size_t)col[0] >= row.n || (size_t)col[1] >= row.n) {
            rc = ls__fail(ctx, LS_ERR_PARSE, "%s:%llu: missing userid or network", path, (unsigned long long)row.line);
            goto done;
        }
        r->rows++;
        ls__str net = row.f[col[1]];
        if (net.n == 0) continue;
        uint32_t a = ls__strtab_find((ls__strtab *)&st->ns[LS_NS_ACCOUNT], row.f[col[0]]);
        if (a == LS__NONE) { r->unknown++; continue; }
        uint32_t k = 0;
        while (k < r->n_nets && !ls__str_eqc(net, r->labels[k])) k++;
        if (k == r->n_nets) {
            if ((rc = ls__grow((void **)&r->labels, &labels_cap, r->n_nets + 1, sizeof *r->labels)) != LS_OK ||
                !(r->labels[r->n_nets] = dup_str(net))) { rc = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
            r->n_nets++;
        }
        r->net_of[a] = k;
        if (col[3] >= 0 && (size_t)col[3] < row.n) {
            char num[64];
            snprintf(num, sizeof num, "%.*s", (int)LS__MIN(row.f[col[3]].n, 60), row.f[col[3]].p);
            r->score[a] = strtof(num, NULL);
        }
        if (col[4] >= 0 && (size_t)col[4] < row.n && !r->evidence[a] && !(r->evidence[a] = dup_str(row.f[col[4]]))) {
            rc = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done;
        }
        if (col[2] >= 0 && (size_t)col[2] < row.n && !r->role[a] && !(r->role[a] = dup_str(row.f[col[2]]))) {
            rc = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done;
        }
    }
done:
    ls__csv_free(csv);
    ls__src_close(src);
    if (rc != LS_OK) ls__run_free(r, (uint32_t)n_acc);
    return rc;
}
