/*
 * request.c — removal requests: a list of accounts someone wants removed
 * is checked for evidence of coordinated inauthentic behaviour, by the
 * same standard as everything else and by nothing else.  Each requested
 * account gets one verdict from the detect run's accounts.csv and the
 * store: coordinated (placed in a detected network, with the run's score
 * and evidence), no_evidence (in the data, in no network) or not_found.
 * Nothing here reads what the accounts said, so the verdict cannot depend
 * on the request's politics: it is viewpoint-neutral by construction.
 */
#include "assess.h"
#include "../ingest/ingest.h"
#include <stdlib.h>

static int csv_field(FILE *f, const char *p, size_t n)
{
    int quote = 0;
    for (size_t i = 0; i < n; i++) if (p[i] == ',' || p[i] == '"' || p[i] == '\n' || p[i] == '\r') quote = 1;
    if (!quote) return fwrite(p, 1, n, f) == n ? 0 : -1;
    fputc('"', f);
    for (size_t i = 0; i < n; i++) { if (p[i] == '"') fputc('"', f); fputc(p[i], f); }
    return fputc('"', f) == EOF ? -1 : 0;
}

static ls__str trim(ls__str s)
{
    while (s.n && (s.p[0] == ' ' || s.p[0] == '\t')) { s.p++; s.n--; }
    while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t' || s.p[s.n - 1] == '\r')) s.n--;
    return s;
}

/* Reads the requested ids: one per line, or a CSV whose header names a
 * userid (user_id, id, account, screen_name) column.  Blank lines and
 * lines starting with '#' are skipped. */
static int read_ids(ls_ctx *ctx, const char *path, ls__buf *blob, size_t **off, size_t *n)
{
    ls__src *src = NULL;
    ls__csv *csv = NULL;
    ls__csv_row row;
    size_t cap = 0;
    int rc, col = 0, first = 1;
    static const char *const heads[] = { "userid", "user_id", "id", "account", "account_id", "screen_name" };
    *n = 0;
    if ((rc = ls__src_open(ctx, path, &src)) != LS_OK) return rc;
    if ((rc = ls__csv_new(src, &csv)) != LS_OK) { rc = ls__fail(ctx, rc, "out of memory"); goto done; }
    for (;;) {
        if ((rc = ls__csv_next(csv, &row)) != LS_OK) { rc = ls__fail(ctx, rc, "%s: read error", path); goto done; }
        if (row.n == 0) break;
        if (first) {
            first = 0;
            int is_head = 0;
            for (size_t f = 0; f < row.n && !is_head; f++)
                for (size_t h = 0; h < sizeof heads / sizeof heads[0]; h++)
                    if (ls__str_eqc(trim(row.f[f]), heads[h])) { col = (int)f; is_head = 1; break; }
            if (is_head) continue;
        }
        if ((size_t)col >= row.n) continue;
        ls__str v = trim(row.f[col]);
        if (v.n == 0 || v.p[0] == '#') continue;
        if ((rc = ls__grow((void **)off, &cap, *n + 2, sizeof **off)) != LS_OK ||
            (rc = ls__buf_put(blob, v.p, v.n)) != LS_OK) { rc = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
        (*off)[*n + 1] = blob->n;
        if (*n == 0) (*off)[0] = 0;
        (*n)++;
    }
done:
    ls__csv_free(csv);
    ls__src_close(src);
    return rc;
}

/* Store account of a requested id: the id itself, or a screen name with
 * or without '@'. */
static uint32_t find_account(ls_store *st, ls__str id, const uint32_t *by_name)
{
    uint32_t a = ls__strtab_find(&st->ns[LS_NS_ACCOUNT], id);
    if (a != LS__NONE) return a;
    if (id.n > 1 && id.p[0] == '@') { id.p++; id.n--; }
    uint32_t nm = ls__strtab_find(&st->ns[LS_NS_NAME], id);
    return nm == LS__NONE ? LS__NONE : by_name[nm];
}

int ls_request(ls_ctx *ctx, ls_store *st, ls_casedb *db, const char *run_dir,
               const char *accounts_file, const char *out_csv, FILE *summary)
{
    ls__run run;
    ls__buf blob = { 0 }, line = { 0 };
    size_t *off = NULL, n_ids = 0, n_acc = st->ns[LS_NS_ACCOUNT].n, n_names = st->ns[LS_NS_NAME].n;
    uint32_t *by_name = NULL, *acc = NULL, *posts = NULL;
    uint64_t *per_net = NULL;
    ls__afile af = { 0 };
    uint64_t n_coord = 0, n_none = 0, n_missing = 0;
    int rc = ls__run_read(ctx, st, run_dir, &run);
    if (rc != LS_OK) return rc;
    if ((rc = read_ids(ctx, accounts_file, &blob, &off, &n_ids)) != LS_OK) goto done;
    by_name = ls__malloc((n_names + 1) * sizeof *by_name);
    acc = ls__malloc((n_ids + 1) * sizeof *acc);
    posts = ls__calloc(n_acc + 1, sizeof *posts);
    per_net = ls__calloc(run.n_nets + 1, sizeof *per_net);
    if (!by_name || !acc || !posts || !per_net) { rc = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
    for (size_t i = 0; i < n_names; i++) by_name[i] = LS__NONE;
    for (size_t a = n_acc; a-- > 0;)     /* the lowest account id wins a shared name */
        if (st->acc_screen[a] != LS__NONE && st->acc_screen[a] < n_names) by_name[st->acc_screen[a]] = (uint32_t)a;
    for (uint64_t i = 0; i < st->n_events; i++) if (st->ev_account[i] < n_acc) posts[st->ev_account[i]]++;

    if ((rc = ls__afile_open(ctx, &af, out_csv)) != LS_OK) goto done;
    fputs("userid,verdict,network,score,evidence\n", af.f);
    for (size_t i = 0; i < n_ids; i++) {
        ls__str id = { blob.p + off[i], off[i + 1] - off[i] };
        uint32_t a = find_account(st, id, by_name);
        acc[i] = a;
        csv_field(af.f, id.p, id.n);
        line.n = 0;
        if (a != LS__NONE && run.net_of[a] != LS__NONE) {
            uint32_t k = run.net_of[a];
            n_coord++;
            per_net[k]++;
            fprintf(af.f, ",coordinated,");
            csv_field(af.f, run.labels[k], strlen(run.labels[k]));
            fprintf(af.f, ",%.3f,", run.score[a]);
            const char *ev = run.evidence[a] ? run.evidence[a] : "";
            csv_field(af.f, ev, strlen(ev));
        } else if (a != LS__NONE && (posts[a] || st->acc_created[a] != LS__TIME_NONE)) {
            n_none++;
            ls__buf_printf(&line, "in the data (%u post%s); in no detected network", posts[a], posts[a] == 1 ? "" : "s");
            fprintf(af.f, ",no_evidence,,0.000,");
            csv_field(af.f, line.p, line.n);
        } else {
            n_missing++;
            fprintf(af.f, ",not_found,,,%s", a == LS__NONE ? "not in the data"
                                                           : "only mentioned or retweeted in the data, no activity of its own");
        }
        fputc('\n', af.f);
    }
    if ((rc = ls__afile_commit(ctx, &af)) != LS_OK) goto done;

    /* The summary sentence. */
    line.n = 0;
    ls__buf_printf(&line, "no evidence of coordinated inauthentic behaviour for %llu of %zu requested account%s",
                   (unsigned long long)(n_none + n_missing), n_ids, n_ids == 1 ? "" : "s");
    if (n_missing) ls__buf_printf(&line, " (%llu not found in the data)", (unsigned long long)n_missing);
    if (n_coord) {
        uint32_t used = 0;
        for (uint32_t k = 0; k < run.n_nets; k++) used += per_net[k] > 0;
        ls__buf_printf(&line, "; %llu belong%s to network%s ", (unsigned long long)n_coord, n_coord == 1 ? "s" : "",
                       used == 1 ? "" : "s");
        uint32_t shown = 0;
        for (uint32_t k = 0; k < run.n_nets; k++) {
            if (!per_net[k]) continue;
            shown++;
            const char *sep = shown == 1 ? "" : shown == used ? " and " : ", ";
            if (used == 1) ls__buf_printf(&line, "%s", run.labels[k]);
            else ls__buf_printf(&line, "%s%s (%llu)", sep, run.labels[k], (unsigned long long)per_net[k]);
        }
    }
    if (summary) fprintf(summary, "%.*s\n", (int)line.n, line.p);

    if (db) {
        json_t *p = json_pack("{s:s,s:s}", "accounts_file", accounts_file, "run_dir", run_dir);
        json_t *r = json_pack("{s:I,s:I,s:I,s:I}", "requested", (json_int_t)n_ids, "coordinated",
                              (json_int_t)n_coord, "no_evidence", (json_int_t)n_none, "not_found",
                              (json_int_t)n_missing);
        json_t *in = json_pack("[{s:s}]", "store", st->path ? st->path : "");
        char *ps = json_dumps(p, JSON_COMPACT), *rs = json_dumps(r, JSON_COMPACT), *is = json_dumps(in, JSON_COMPACT);
        json_decref(p); json_decref(r); json_decref(in);
        int64_t id = 0;
        if (!ps || !rs || !is) rc = ls__fail(ctx, LS_ERR_NOMEM, "out of memory");
        else if ((rc = ls__casedb_begin(ctx, db)) == LS_OK) {
            if ((rc = ls__casedb_run_add(ctx, db, "request", ps, is, rs, &id)) == LS_OK) rc = ls__casedb_commit(ctx, db);
            else ls__casedb_rollback(db);
        }
        free(ps); free(rs); free(is);
    }
done:
    ls__afile_abort(&af);
    ls__buf_free(&blob); ls__buf_free(&line);
    ls__free(off); ls__free(by_name); ls__free(acc); ls__free(posts); ls__free(per_net);
    ls__run_free(&run, (uint32_t)n_acc);
    return rc;
}
