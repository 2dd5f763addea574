/*
 * assessrun.c — ls_assess(): the assessment of a finished detect run, used
 * by `lockstep detect` right after detection and by `lockstep assess
 * RUN_DIR STORE`.  Reads RUN_DIR/accounts.csv; when RUN_DIR/networks.json
 * exists, each of its networks gains "narratives", "traction" and
 * "linked" (the file is rewritten atomically), otherwise the same objects
 * go to RUN_DIR/assessment.json.  With a case database, the run (its
 * parameters and input checksums from networks.json "run"), its networks,
 * members, evidence and links are recorded in one transaction.
 */
#include "assess.h"
#include <math.h>
#include <stdlib.h>

/* Records the run in the case database (the caller checked db != NULL). */
static int record(ls_ctx *ctx, ls_casedb *db, const ls_store *st, const ls__run *run,
                  const ls__assess *A, const char *run_dir, json_t *runinfo_doc)
{
    json_t *runinfo = json_object_get(runinfo_doc, "run");
    size_t n_acc = st->ns[LS_NS_ACCOUNT].n;
    int64_t run_id = 0;
    int rc = ls__casedb_begin(ctx, db);
    if (rc != LS_OK) return rc;
    json_t *params = json_object_get(runinfo, "parameters");
    params = params ? json_deep_copy(params) : json_object();
    json_object_set_new(params, "run_dir", json_string(run_dir));
    json_t *ck = json_object_get(runinfo, "store_checksum");
    json_t *inputs = json_pack("[{s:s,s:O}]", "store", st->path ? st->path : "", "checksum", ck ? ck : json_null());
    json_t *results = json_object_get(runinfo, "counts");
    results = results ? json_deep_copy(results) : json_object();
    json_object_set_new(results, "networks", json_integer((json_int_t)run->n_nets));
    char *ps = json_dumps(params, JSON_COMPACT), *is = json_dumps(inputs, JSON_COMPACT);
    char *rs = json_dumps(results, JSON_COMPACT);
    json_decref(params); json_decref(inputs); json_decref(results);
    if (!ps || !is || !rs) { rc = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
    if ((rc = ls__casedb_run_add(ctx, db, runinfo ? "detect" : "assess", ps, is, rs, &run_id)) != LS_OK) goto done;
    for (uint32_t k = 0; k < run->n_nets; k++) {
        int64_t net_id = 0, n = 0;
        double best = 0;
        for (size_t a = 0; a < n_acc; a++) if (run->net_of[a] == k) { n++; best = LS__MAX(best, run->score[a]); }
        /* The network's own score when networks.json gives one. */
        size_t q;
        json_t *no;
        json_array_foreach(json_object_get(runinfo_doc, "networks"), q, no) {
            const char *id = json_string_value(json_object_get(no, "id"));
            if (id && strcmp(id, run->labels[k]) == 0 && json_is_number(json_object_get(no, "score")))
                best = json_number_value(json_object_get(no, "score"));
        }
        best = round(best * 1000) / 1000;
        char *sum = json_dumps(ls__assess_get(A, k), JSON_COMPACT | JSON_REAL_PRECISION(10));
        if (!sum) { rc = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
        rc = ls__casedb_network_add(ctx, db, run_id, run->labels[k], best, n, sum, &net_id);
        free(sum);
        if (rc != LS_OK) goto done;
        for (size_t a = 0; a < n_acc && rc == LS_OK; a++) {
            if (run->net_of[a] != k) continue;
            rc = ls__casedb_member_add(ctx, db, net_id, ls__strtab_get(&st->ns[LS_NS_ACCOUNT], (uint32_t)a),
                                       run->role[a] ? run->role[a] : "", round(run->score[a] * 1000) / 1000,
                                       ls__str_c(run->evidence[a]));
        }
        if (rc != LS_OK) goto done;
        size_t i;
        json_t *l;
        json_array_foreach(json_object_get(ls__assess_get(A, k), "archive_scores"), i, l) {
            char *rsn = json_dumps(json_object_get(l, "reasons"), JSON_COMPACT);
            if (!rsn) { rc = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
            rc = ls__casedb_link_add(ctx, db, net_id, json_string_value(json_object_get(l, "archive")),
                                     json_number_value(json_object_get(l, "score")), rsn);
            free(rsn);
            if (rc != LS_OK) goto done;
        }
    }
    rc = ls__casedb_commit(ctx, db);
done:
    if (rc != LS_OK) ls__casedb_rollback(db);
    free(ps); free(is); free(rs);
    return rc;
}

int ls_assess(ls_ctx *ctx, ls_store *st, ls_casedb *db, const char *run_dir, FILE *report)
{
    ls__run run;
    ls__assess *A = NULL;
    ls__afile af = { 0 };
    json_t *doc = NULL;
    json_error_t jerr;
    char path[4096];
    size_t n_acc = st->ns[LS_NS_ACCOUNT].n;
    int rc = ls__run_read(ctx, st, run_dir, &run), merged = 0;
    if (rc != LS_OK) return rc;
    if ((rc = ls__assess_new(ctx, st, db, run.net_of, run.n_nets, &A)) != LS_OK) goto done;
    snprintf(path, sizeof path, "%s/networks.json", run_dir);
    FILE *probe = fopen(path, "rb");
    if (probe) {
        fclose(probe);
        doc = json_load_file(path, 0, &jerr);
        if (!json_is_array(json_object_get(doc, "networks"))) {
            rc = ls__fail(ctx, LS_ERR_FORMAT, "%s:%d: not a detect networks.json (%s)", path, jerr.line,
                          doc ? "no networks array" : jerr.text);
            goto done;
        }
        size_t i;
        json_t *o;
        json_array_foreach(json_object_get(doc, "networks"), i, o) {
            const char *id = json_string_value(json_object_get(o, "id"));
            for (uint32_t k = 0; id && k < run.n_nets; k++)
                if (strcmp(id, run.labels[k]) == 0) { json_object_update(o, ls__assess_get(A, k)); break; }
        }
        merged = 1;
    } else {
        doc = json_object();
        json_t *nets = json_array();
        json_object_set_new(doc, "networks", nets);
        for (uint32_t k = 0; k < run.n_nets; k++) {
            uint64_t n = 0;
            for (size_t a = 0; a < n_acc; a++) n += run.net_of[a] == k;
            json_t *o = json_pack("{s:s,s:I}", "id", run.labels[k], "accounts", (json_int_t)n);
            json_object_update(o, ls__assess_get(A, k));
            json_array_append_new(nets, o);
        }
        snprintf(path, sizeof path, "%s/assessment.json", run_dir);
    }
    /* Record first: a busy or foreign database leaves the folder as it was. */
    if (db && (rc = record(ctx, db, st, &run, A, run_dir, merged ? doc : NULL)) != LS_OK)
        goto done;
    if ((rc = ls__afile_open(ctx, &af, path)) != LS_OK) goto done;
    if (json_dumpf(doc, af.f, JSON_INDENT(1) | JSON_REAL_PRECISION(10)) != 0 || fputc('\n', af.f) == EOF) {
        rc = ls__fail(ctx, LS_ERR_IO, "cannot write %s", path);
        goto done;
    }
    if ((rc = ls__afile_commit(ctx, &af)) != LS_OK) goto done;
    if (report) {
        ls__buf b = { 0 };
        fprintf(report, "assessment of %u network%s %s %s%s\n", run.n_nets, run.n_nets == 1 ? "" : "s",
                merged ? "added to" : "written to", path, db ? " (run recorded in the case database)" : "");
        for (uint32_t k = 0; k < run.n_nets; k++) {
            b.n = 0;
            if (ls__assess_line(A, k, &b) == LS_OK) fprintf(report, "  %s: %.*s\n", run.labels[k], (int)b.n, b.p);
        }
        ls__buf_free(&b);
    }
done:
    ls__afile_abort(&af);
    json_decref(doc);
    ls__assess_free(A);
    ls__run_free(&run, (uint32_t)n_acc);
    return rc;
}
