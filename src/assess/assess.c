/*
 * assess.c — the assessment of a run's networks in one object: traction
 * (traction.c), narratives (narratives.c) and scores against every
 * archived takedown in the case database (fingerprint.c, linkage.c):
 * "archive_scores" lists them all, "linked" those of at least LS__LINK_MIN.  `lockstep
 * detect --db` and `lockstep assess` both go through ls__assess_new, so
 * networks.json and assessment.json carry the same fields.
 */
#include "assess.h"
#include <stdlib.h>

struct ls__assess {
    uint32_t n_nets;
    json_t **obj;
    ls__traction *tr;
};

static int cmp_link(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    double sx = json_number_value(json_object_get(x, "score"));
    double sy = json_number_value(json_object_get(y, "score"));
    if (sx != sy) return sx > sy ? -1 : 1;
    return strcmp(json_string_value(json_object_get(x, "archive")),
                  json_string_value(json_object_get(y, "archive")));
}

/* Scores of network k against every archive, strongest first (*out),
 * and those that reach LS__LINK_MIN (*linked). */
static int link_network(ls_ctx *ctx, const ls_store *st, ls_casedb *db, const uint32_t *net_of,
                        uint32_t k, const ls__archive_row *arc, const ls__fp *afp, size_t n_arc,
                        json_t **out, json_t **linked)
{
    size_t n_acc = st->ns[LS_NS_ACCOUNT].n, n_mem = 0;
    uint8_t *mask = ls__calloc(n_acc + 1, 1);
    ls__str *ids = ls__malloc((n_acc + 1) * sizeof *ids);
    json_t **links = ls__calloc(n_arc + 1, sizeof *links);
    ls__fp fp;
    int rc = LS_OK;
    memset(&fp, 0, sizeof fp);
    *out = NULL;
    if (!mask || !ids || !links) { rc = ls__fail(ctx, LS_ERR_NOMEM, "linkage: out of memory"); goto done; }
    for (size_t a = 0; a < n_acc; a++)
        if (net_of[a] == k) { mask[a] = 1; ids[n_mem++] = ls__strtab_get(&st->ns[LS_NS_ACCOUNT], (uint32_t)a); }
    if ((rc = ls__fp_compute(ctx, st, mask, &fp)) != LS_OK) goto done;
    for (size_t j = 0; j < n_arc; j++) {
        uint64_t shared = 0;
        ls__link L;
        if ((rc = ls__casedb_archive_shared(ctx, db, arc[j].id, ids, n_mem, &shared)) != LS_OK) goto done;
        ls__fp_link(&fp, &afp[j], shared, &L);
        json_t *r = json_array();
        for (int q = 0; q < L.n_reasons; q++)   /* a cut reason may end mid-character */
            json_array_append_new(r, json_stringn(L.reasons[q], ls__utf8_valid_prefix(L.reasons[q], strlen(L.reasons[q]))));
        links[j] = json_pack("{s:s,s:o,s:o}", "archive", arc[j].name, "score", ls__jreal(L.score), "reasons", r);
    }
    if (n_arc > 1) qsort(links, n_arc, sizeof *links, cmp_link);
    json_t *a = json_array();
    for (size_t j = 0; j < n_arc; j++) { json_array_append_new(a, links[j]); links[j] = NULL; }
    *out = a;
    *linked = json_array();
    for (size_t j = 0; j < n_arc; j++) {
        json_t *l = json_array_get(a, j);
        if (json_number_value(json_object_get(l, "score")) >= LS__LINK_MIN) json_array_append(*linked, l);
    }
done:
    if (links) for (size_t j = 0; j < n_arc; j++) json_decref(links[j]);
    ls__free(links); ls__free(mask); ls__free(ids);
    ls__fp_free(&fp);
    return rc;
}

int ls__assess_new(ls_ctx *ctx, const ls_store *st, ls_casedb *db,
                   const uint32_t *net_of, uint32_t n_nets, ls__assess **out)
{
    int rc = LS_OK;
    size_t n_posts = st->ns[LS_NS_POST].n;
    uint32_t *author = NULL, *amp = NULL;
    json_t **nar = NULL;
    ls__archive_row *arc = NULL;
    ls__fp *afp = NULL;
    size_t n_arc = 0;
    ls__assess *A = ls__calloc(1, sizeof *A);
    *out = NULL;
    if (!A) return ls__fail(ctx, LS_ERR_NOMEM, "assess: out of memory");
    A->n_nets = n_nets;
    A->obj = ls__calloc(n_nets + 1, sizeof *A->obj);
    A->tr = ls__calloc(n_nets + 1, sizeof *A->tr);
    nar = ls__calloc(n_nets + 1, sizeof *nar);
    author = ls__malloc((n_posts + 1) * sizeof *author);
    amp = ls__calloc(n_posts + 1, sizeof *amp);
    if (!A->obj || !A->tr || !nar || !author || !amp) { rc = ls__fail(ctx, LS_ERR_NOMEM, "assess: out of memory"); goto done; }
    for (size_t p = 0; p < n_posts; p++) author[p] = LS__NONE;
    for (uint64_t i = 0; i < st->n_events; i++) {
        if (st->ev_post[i] < n_posts) author[st->ev_post[i]] = st->ev_account[i];
        int kind = st->ev_kind[i];
        if ((kind == LS_KIND_RETWEET || kind == LS_KIND_QUOTE) && st->ev_ref_post[i] < n_posts)
            amp[st->ev_ref_post[i]]++;
    }
    if ((rc = ls__traction_compute(ctx, st, net_of, n_nets, author, A->tr)) != LS_OK) goto done;
    if ((rc = ls__narratives(ctx, st, net_of, n_nets, amp, nar)) != LS_OK) goto done;
    if (db) {
        if ((rc = ls__casedb_archive_all(ctx, db, 1, &arc, &n_arc)) != LS_OK) goto done;
        afp = ls__calloc(n_arc + 1, sizeof *afp);
        if (!afp) { rc = ls__fail(ctx, LS_ERR_NOMEM, "assess: out of memory"); goto done; }
        for (size_t j = 0; j < n_arc; j++)
            if ((rc = ls__fp_from_json(ctx, arc[j].fingerprint, &afp[j])) != LS_OK) {
                rc = ls__fail(ctx, rc, "archive '%s': %s", arc[j].name, ls_ctx_message(ctx));
                goto done;
            }
    }
    for (uint32_t k = 0; k < n_nets; k++) {
        json_t *scores = NULL, *linked = NULL;
        if (db && (rc = link_network(ctx, st, db, net_of, k, arc, afp, n_arc, &scores, &linked)) != LS_OK) goto done;
        A->obj[k] = json_pack("{s:o,s:o,s:o,s:o}", "narratives", nar[k] ? nar[k] : json_object(),
                              "traction", ls__traction_json(&A->tr[k]),
                              "linked", linked ? linked : json_array(),
                              "archive_scores", scores ? scores : json_array());
        nar[k] = NULL;
        if (!A->obj[k]) { rc = ls__fail(ctx, LS_ERR_NOMEM, "assess: out of memory"); goto done; }
    }
    *out = A;
    A = NULL;
done:
    if (nar) for (uint32_t k = 0; k < n_nets; k++) json_decref(nar[k]);
    ls__free(nar); ls__free(author); ls__free(amp);
    if (afp) for (size_t j = 0; j < n_arc; j++) ls__fp_free(&afp[j]);
    ls__free(afp);
    ls__archive_rows_free(arc, n_arc);
    ls__assess_free(A);
    return rc;
}

json_t *ls__assess_get(const ls__assess *A, uint32_t i)
{
    return i < A->n_nets ? A->obj[i] : NULL;
}

const ls__traction *ls__assess_traction(const ls__assess *A, uint32_t i)
{
    return i < A->n_nets ? &A->tr[i] : NULL;
}

int ls__assess_json_members(const ls__assess *A, uint32_t i, ls__buf *b)
{
    static const char *const keys[4] = { "narratives", "traction", "linked", "archive_scores" };
    if (i >= A->n_nets) return LS_ERR_INTERNAL;
    for (int k = 0; k < 4; k++) {
        char *s = json_dumps(json_object_get(A->obj[i], keys[k]), JSON_COMPACT | JSON_REAL_PRECISION(10));
        if (!s) return LS_ERR_NOMEM;
        int rc = ls__buf_printf(b, "%s\"%s\": %s", k ? ", " : "", keys[k], s);
        free(s);   /* jansson's allocator */
        if (rc != LS_OK) return rc;
    }
    return LS_OK;
}

int ls__assess_line(const ls__assess *A, uint32_t i, ls__buf *b)
{
    if (i >= A->n_nets) return LS_ERR_INTERNAL;
    json_t *o = A->obj[i];
    json_t *g = json_array_get(json_object_get(json_object_get(o, "narratives"), "groups"), 0);
    int rc = LS_OK;
    if (g) rc = ls__buf_printf(b, "narratives: %s (%.0f%% of posts); ", json_string_value(json_object_get(g, "label")),
                               100 * json_number_value(json_object_get(g, "share")));
    if (rc == LS_OK) rc = ls__buf_printf(b, "%s", A->tr[i].sentence);
    json_t *all = json_object_get(o, "archive_scores"), *l = json_array_get(all, 0);
    if (rc == LS_OK && l) {
        double s = json_number_value(json_object_get(l, "score"));
        const char *r0 = json_string_value(json_array_get(json_object_get(l, "reasons"), 0));
        if (s >= LS__LINK_MIN)
            rc = ls__buf_printf(b, "; linked to archive %s (score %.2f%s%s)", json_string_value(json_object_get(l, "archive")),
                                s, r0 ? ": " : "", r0 ? r0 : "");
        else
            rc = ls__buf_printf(b, "; no link to the %zu archive%s (closest %s, score %.2f)", json_array_size(all),
                                json_array_size(all) == 1 ? "" : "s", json_string_value(json_object_get(l, "archive")), s);
    }
    return rc;
}

void ls__assess_free(ls__assess *A)
{
    if (!A) return;
    if (A->obj) for (uint32_t k = 0; k < A->n_nets; k++) json_decref(A->obj[k]);
    ls__free(A->obj);
    ls__free(A->tr);
    ls__free(A);
}
