/*
 * eval.c — `lockstep eval`: scores a detection run (RUN_DIR/accounts.csv,
 * optionally RUN_DIR/networks.json) against a simulator's truth.csv.
 *
 * Reported: account-level precision, recall and F1 for "belongs to an
 * inauthentic network" (truth kind `operation`); false positives in each
 * look-alike group (count and share of the group); role accuracy among
 * true positives; the adjusted Rand index between true and detected
 * networks over the operation accounts plus every detected account (an
 * account outside any network is its own singleton cluster on that side);
 * recall per operation and the detected network holding most of it; and
 * linkage: whether that network's best "linked" entry in networks.json
 * names the archived network listed in truth_links.csv.
 */
#include "sim.h"
#include <jansson.h>
#include <math.h>

/* ---- a string -> index map over strings that outlive it ---- */
typedef struct { const char **key; uint32_t *val; size_t cap, n; } smap;

static int smap_put(smap *m, const char *k, uint32_t v, uint32_t *old)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1024;
        const char **nk = ls__calloc(cap, sizeof *nk);
        uint32_t *nv = ls__calloc(cap, sizeof *nv);
        if (!nk || !nv) { ls__free(nk); ls__free(nv); return LS_ERR_NOMEM; }
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->key[i]) continue;
            size_t j = ls__hash64(m->key[i], strlen(m->key[i]), 1) & (cap - 1);
            while (nk[j]) j = (j + 1) & (cap - 1);
            nk[j] = m->key[i]; nv[j] = m->val[i];
        }
        ls__free(m->key); ls__free(m->val);
        m->key = nk; m->val = nv; m->cap = cap;
    }
    size_t j = ls__hash64(k, strlen(k), 1) & (m->cap - 1);
    while (m->key[j]) {
        if (strcmp(m->key[j], k) == 0) { *old = m->val[j]; return LS_OK; }
        j = (j + 1) & (m->cap - 1);
    }
    m->key[j] = k; m->val[j] = v; m->n++;
    *old = LS__NONE;
    return LS_OK;
}

static uint32_t smap_get(const smap *m, const char *k)
{
    if (!m->cap) return LS__NONE;
    size_t j = ls__hash64(k, strlen(k), 1) & (m->cap - 1);
    while (m->key[j]) {
        if (strcmp(m->key[j], k) == 0) return m->val[j];
        j = (j + 1) & (m->cap - 1);
    }
    return LS__NONE;
}

static void smap_free(smap *m) { ls__free(m->key); ls__free(m->val); memset(m, 0, sizeof *m); }

/* Small table of distinct labels (kinds, networks) in first-seen order. */
#define MAX_LABELS 4096
typedef struct { const char *name[MAX_LABELS]; size_t n; } labels;
static int label_id(labels *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++) if (strcmp(l->name[i], s) == 0) return (int)i;
    if (l->n == MAX_LABELS) return -1;
    l->name[l->n] = s;
    return (int)l->n++;
}

static int check_header(ls_ctx *ctx, ls__simcsv *c, const char *const *want, size_t n)
{
    int st = ls__simcsv_next(ctx, c);
    if (st) return st;
    int ok = c->nf == n;
    for (size_t i = 0; ok && i < n; i++) ok = strcmp(c->f[i], want[i]) == 0;
    if (!ok) {
        char exp[256] = "";
        for (size_t i = 0; i < n; i++) { strcat(exp, i ? "," : ""); strcat(exp, want[i]); }
        return ls__fail(ctx, LS_ERR_PARSE, "%s:%llu: bad header (expected '%s')", c->path,
                        (unsigned long long)c->line, exp);
    }
    return LS_OK;
}

/* A JSON string (names come from files someone else wrote). */
static void json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') fprintf(out, "\\%c", *p);
        else if (*p < 0x20) fprintf(out, "\\u%04x", *p);
        else fputc(*p, out);
    }
    fputc('"', out);
}

static double choose2(double x) { return x * (x - 1) / 2; }

/* Adjusted Rand index (Hubert & Arabie) of two labelings of n items. */
double ls__sim_ari(const uint32_t *a, const uint32_t *b, size_t n)
{
    /* Pair counts from a sorted list of (a,b) label pairs. */
    uint64_t *ab = ls__malloc((n ? n : 1) * sizeof *ab), *x = ls__malloc((n ? n : 1) * sizeof *x);
    double res = NAN;
    if (!ab || !x) goto done;
    double sum_ab = 0, sum_a = 0, sum_b = 0;
    for (int pass = 0; pass < 3; pass++) {
        for (size_t i = 0; i < n; i++)
            x[i] = pass == 0 ? ((uint64_t)a[i] << 32 | b[i]) : pass == 1 ? a[i] : b[i];
        /* LSD radix sort of 64-bit keys: O(n), equal keys end up adjacent. */
        for (int shift = 0; shift < 64; shift += 8) {
            size_t cnt[257] = { 0 };
            for (size_t i = 0; i < n; i++) cnt[((x[i] >> shift) & 0xff) + 1]++;
            for (int k = 0; k < 256; k++) cnt[k + 1] += cnt[k];
            for (size_t i = 0; i < n; i++) ab[cnt[(x[i] >> shift) & 0xff]++] = x[i];
            memcpy(x, ab, n * sizeof *x);
        }
        double s = 0;
        for (size_t i = 0; i < n;) {
            size_t j = i;
            while (j < n && x[j] == x[i]) j++;
            s += choose2((double)(j - i));
            i = j;
        }
        if (pass == 0) sum_ab = s; else if (pass == 1) sum_a = s; else sum_b = s;
    }
    double total = choose2((double)n), expected = total > 0 ? sum_a * sum_b / total : 0;
    double maxv = (sum_a + sum_b) / 2;
    res = maxv == expected ? 1.0 : (sum_ab - expected) / (maxv - expected);
done:
    ls__free(ab);
    ls__free(x);
    return res;
}

typedef struct {
    char *uid, *kind, *net, *role;
    int kind_id, net_id;
    int det;                /* index of the detected row, -1 if not detected */
} truth_row;

typedef struct { char *uid, *net, *role; uint32_t truth; } det_row;

/* The best "linked" entry's name for network id `net` in networks.json:
 * 1 and *name when found, 0 when its "linked" list is empty, -1 when the
 * file, the network or its "linked" key is absent or not understood. */
static int best_link(json_t *root, const char *net, char *name, size_t cap)
{
    json_t *nets = root ? json_object_get(root, "networks") : NULL;
    if (!json_is_array(nets)) return -1;
    size_t i;
    json_t *n;
    json_array_foreach(nets, i, n) {
        json_t *id = json_object_get(n, "id");
        char idbuf[64];
        const char *ids = json_is_string(id) ? json_string_value(id) : NULL;
        if (json_is_integer(id)) { snprintf(idbuf, sizeof idbuf, "%lld", (long long)json_integer_value(id)); ids = idbuf; }
        if (!ids || strcmp(ids, net) != 0) continue;
        json_t *linked = json_object_get(n, "linked");
        if (!linked) return -1;    /* linkage was not run: n/a */
        if (!json_is_array(linked) || json_array_size(linked) == 0) return 0;
        json_t *best = NULL, *l;
        double best_score = -INFINITY;
        size_t k;
        json_array_foreach(linked, k, l) {
            json_t *s = json_object_get(l, "score");
            double sc = json_is_number(s) ? json_number_value(s) : -(double)k;
            if (!best || sc > best_score) { best = l; best_score = sc; }
        }
        static const char *const keys[] = { "archive", "name", "network", "id" };
        for (size_t q = 0; q < 4; q++) {
            json_t *v = json_object_get(best, keys[q]);
            if (json_is_string(v)) { snprintf(name, cap, "%s", json_string_value(v)); return 1; }
        }
        if (json_is_string(best)) { snprintf(name, cap, "%s", json_string_value(best)); return 1; }
        return -1;
    }
    return 0;
}

int ls_eval(ls_ctx *ctx, const char *truth_csv, const char *run_dir, FILE *out, int json)
{
    static const char *const th[] = { "userid", "kind", "network", "role" };
    static const char *const ah[] = { "userid", "screen_name", "network", "role", "score", "evidence" };
    ls__simcsv tc, ac, lc;
    smap tmap = { 0 };
    labels kinds = { .n = 0 }, nets = { .n = 0 }, dnets = { .n = 0 };
    truth_row *tr = NULL;
    det_row *dr = NULL;
    size_t n_tr = 0, cap_tr = 0, n_dr = 0, cap_dr = 0;
    uint32_t *la = NULL, *lb = NULL;
    ls__buf path = { 0 };
    json_t *root = NULL;
    char links[8][2][128];
    size_t n_links = 0;
    int st;
    memset(&ac, 0, sizeof ac);
    memset(&lc, 0, sizeof lc);
    if ((st = ls__simcsv_open(ctx, &tc, truth_csv))) return st;
    if ((st = check_header(ctx, &tc, th, 4))) goto done;
    for (;;) {
        if ((st = ls__simcsv_next(ctx, &tc))) goto done;
        if (tc.nf == 0) break;
        if (tc.nf == 1 && !tc.f[0][0]) continue;
        if (tc.nf != 4) { st = ls__fail(ctx, LS_ERR_PARSE, "%s:%llu: %zu fields, expected 4", truth_csv, (unsigned long long)tc.line, tc.nf); goto done; }
        if (ls__grow((void **)&tr, &cap_tr, n_tr + 1, sizeof *tr)) { st = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
        truth_row *t = &tr[n_tr];
        t->uid = tc.f[0]; t->kind = tc.f[1]; t->net = tc.f[2]; t->role = tc.f[3]; t->det = -1;
        t->kind_id = label_id(&kinds, t->kind);
        t->net_id = label_id(&nets, t->net);
        if (t->kind_id < 0 || t->net_id < 0) { st = ls__fail(ctx, LS_ERR_LIMIT, "%s:%llu: too many distinct kinds or networks", truth_csv, (unsigned long long)tc.line); goto done; }
        uint32_t old;
        if (smap_put(&tmap, t->uid, (uint32_t)n_tr, &old)) { st = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
        if (old != LS__NONE) { st = ls__fail(ctx, LS_ERR_PARSE, "%s:%llu: userid %s listed twice", truth_csv, (unsigned long long)tc.line, t->uid); goto done; }
        n_tr++;
    }
    /* truth_links.csv next to truth.csv (optional). */
    {
        const char *slash = strrchr(truth_csv, '/');
        if (slash) ls__buf_put(&path, truth_csv, (size_t)(slash - truth_csv + 1));
        if (ls__buf_printf(&path, "truth_links.csv")) { st = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
        FILE *f = fopen(path.p, "rb");
        if (f) {
            fclose(f);
            if ((st = ls__simcsv_open(ctx, &lc, path.p))) goto done;
            static const char *const lh[] = { "network", "archive" };
            if ((st = check_header(ctx, &lc, lh, 2))) goto done;
            while (!(st = ls__simcsv_next(ctx, &lc)) && lc.nf) {
                if (lc.nf != 2 || n_links == 8) continue;
                snprintf(links[n_links][0], 128, "%s", lc.f[0]);
                snprintf(links[n_links][1], 128, "%s", lc.f[1]);
                n_links++;
            }
            if (st) goto done;
        }
    }
    path.n = 0;
    if (ls__buf_printf(&path, "%s/accounts.csv", run_dir)) { st = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
    if ((st = ls__simcsv_open(ctx, &ac, path.p))) goto done;
    if ((st = check_header(ctx, &ac, ah, 6))) goto done;
    size_t unknown = 0;
    for (;;) {
        if ((st = ls__simcsv_next(ctx, &ac))) goto done;
        if (ac.nf == 0) break;
        if (ac.nf == 1 && !ac.f[0][0]) continue;
        if (ac.nf != 6) { st = ls__fail(ctx, LS_ERR_PARSE, "%s:%llu: %zu fields, expected 6", path.p, (unsigned long long)ac.line, ac.nf); goto done; }
        if (ls__grow((void **)&dr, &cap_dr, n_dr + 1, sizeof *dr)) { st = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
        det_row *d = &dr[n_dr];
        d->uid = ac.f[0]; d->net = ac.f[2]; d->role = ac.f[3];
        d->truth = smap_get(&tmap, d->uid);
        if (label_id(&dnets, d->net) < 0) { st = ls__fail(ctx, LS_ERR_LIMIT, "%s:%llu: too many networks", path.p, (unsigned long long)ac.line); goto done; }
        if (d->truth == LS__NONE) unknown++;
        else if (tr[d->truth].det >= 0) { st = ls__fail(ctx, LS_ERR_PARSE, "%s:%llu: userid %s listed twice", path.p, (unsigned long long)ac.line, d->uid); goto done; }
        else tr[d->truth].det = (int)n_dr;
        n_dr++;
    }
    /* networks.json (optional) for linkage. */
    path.n = 0;
    if (ls__buf_printf(&path, "%s/networks.json", run_dir)) { st = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
    root = json_load_file(path.p, 0, NULL);

    /* ---- account-level scores ---- */
    int op_kind = -1;
    for (size_t k = 0; k < kinds.n; k++) if (strcmp(kinds.name[k], "operation") == 0) op_kind = (int)k;
    size_t tp = 0, fp = unknown, fn = 0, role_ok = 0, role_n = 0;
    size_t grp_n[MAX_LABELS] = { 0 }, grp_fp[MAX_LABELS] = { 0 };
    for (size_t i = 0; i < n_tr; i++) {
        const truth_row *t = &tr[i];
        grp_n[t->kind_id]++;
        int pos = t->kind_id == op_kind, det = t->det >= 0;
        if (pos && det) {
            tp++;
            if (t->role[0]) { role_n++; role_ok += strcmp(t->role, dr[t->det].role) == 0; }
        } else if (pos) fn++;
        else if (det) { fp++; grp_fp[t->kind_id]++; }
    }
    double prec = tp + fp ? (double)tp / (double)(tp + fp) : 0, rec = tp + fn ? (double)tp / (double)(tp + fn) : 0;
    double f1 = prec + rec > 0 ? 2 * prec * rec / (prec + rec) : 0;
    double role_acc = role_n ? (double)role_ok / (double)role_n : NAN;

    /* ---- ARI over operation accounts + detected accounts ---- */
    size_t n_items = 0, cap_items = n_tr + n_dr + 1;
    la = ls__malloc(cap_items * sizeof *la);
    lb = ls__malloc(cap_items * sizeof *lb);
    if (!la || !lb) { st = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
    uint32_t single = 1u << 20;   /* singleton labels start above any real label */
    for (size_t i = 0; i < n_tr; i++) {
        const truth_row *t = &tr[i];
        int pos = t->kind_id == op_kind;
        if (!pos && t->det < 0) continue;
        la[n_items] = pos ? (uint32_t)t->net_id : single++;
        lb[n_items] = t->det >= 0 ? (uint32_t)label_id(&dnets, dr[t->det].net) : single++;
        n_items++;
    }
    for (size_t i = 0; i < n_dr; i++) {
        if (dr[i].truth != LS__NONE) continue;
        la[n_items] = single++;
        lb[n_items] = (uint32_t)label_id(&dnets, dr[i].net);
        n_items++;
    }
    double ari = n_items >= 2 ? ls__sim_ari(la, lb, n_items) : NAN;

    /* ---- output ---- */
    if (json) {
        fprintf(out, "{\"accounts_detected\":%zu,\"tp\":%zu,\"fp\":%zu,\"fn\":%zu,\"unknown\":%zu,", n_dr, tp, fp, fn, unknown);
        fprintf(out, "\"precision\":%.6f,\"recall\":%.6f,\"f1\":%.6f,", prec, rec, f1);
        if (role_n) fprintf(out, "\"role_accuracy\":%.6f,", role_acc); else fprintf(out, "\"role_accuracy\":null,");
        if (ari == ari) fprintf(out, "\"ari\":%.6f,", ari); else fprintf(out, "\"ari\":null,");
        fprintf(out, "\"groups\":{");
        int first = 1;
        for (size_t k = 0; k < kinds.n; k++) {
            if ((int)k == op_kind) continue;
            fputs(first ? "" : ",", out);
            json_str(out, kinds.name[k]);
            fprintf(out, ":{\"accounts\":%zu,\"false_positives\":%zu,\"share\":%.6f}", grp_n[k], grp_fp[k],
                    grp_n[k] ? (double)grp_fp[k] / (double)grp_n[k] : 0);
            first = 0;
        }
        fprintf(out, "},\"operations\":[");
    } else {
        fprintf(out, "accounts detected  %zu (true positives %zu, false positives %zu, missed %zu%s)\n", n_dr, tp, fp, fn,
                unknown ? ", some not in the truth" : "");
        fprintf(out, "precision          %.4f\nrecall             %.4f\nF1                 %.4f\n", prec, rec, f1);
        if (role_n) fprintf(out, "role accuracy      %.4f (%zu of %zu true positives)\n", role_acc, role_ok, role_n);
        else fprintf(out, "role accuracy      n/a\n");
        if (ari == ari) fprintf(out, "adjusted Rand      %.4f (over %zu accounts)\n", ari, n_items);
        else fprintf(out, "adjusted Rand      n/a\n");
        fprintf(out, "\nfalse positives by group:\n");
        for (size_t k = 0; k < kinds.n; k++) {
            if ((int)k == op_kind) continue;
            fprintf(out, "  %-22s %7zu of %8zu  (%.2f%%)\n", kinds.name[k], grp_fp[k], grp_n[k],
                    grp_n[k] ? 100.0 * (double)grp_fp[k] / (double)grp_n[k] : 0);
        }
        fprintf(out, "\noperations:\n");
    }
    int first_op = 1;
    for (size_t nn = 0; nn < nets.n; nn++) {
        /* Truth networks of operation accounts. */
        size_t size = 0, found = 0;
        size_t *per = ls__calloc(dnets.n + 1, sizeof *per);
        if (!per) { st = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
        for (size_t i = 0; i < n_tr; i++) {
            if (tr[i].net_id != (int)nn || tr[i].kind_id != op_kind) continue;
            size++;
            if (tr[i].det >= 0) { found++; per[label_id(&dnets, dr[tr[i].det].net)]++; }
        }
        if (!size) { ls__free(per); continue; }
        size_t best = 0;
        for (size_t k = 1; k < dnets.n; k++) if (per[k] > per[best]) best = k;
        const char *bnet = found ? dnets.name[best] : NULL;
        size_t bcount = found ? per[best] : 0;
        ls__free(per);
        const char *want = NULL;
        for (size_t k = 0; k < n_links; k++) if (strcmp(links[k][0], nets.name[nn]) == 0) want = links[k][1];
        char got[128] = "";
        int lk = bnet ? best_link(root, bnet, got, sizeof got) : -1;
        const char *verdict;
        if (!root || lk < 0 || !want) verdict = "n/a";
        else if (!*want) verdict = lk == 0 ? "correct (none)" : "wrong (linked, none expected)";
        else verdict = lk == 1 && strstr(got, want) ? "correct" : "wrong";
        double r = (double)found / (double)size;
        if (json) {
            fprintf(out, "%s{\"network\":", first_op ? "" : ",");
            json_str(out, nets.name[nn]);
            fprintf(out, ",\"accounts\":%zu,\"detected\":%zu,\"recall\":%.6f,\"detected_as\":", size, found, r);
            if (bnet) json_str(out, bnet); else fprintf(out, "null");
            fprintf(out, ",\"detected_as_accounts\":%zu,\"expected_link\":", bcount);
            if (want && *want) json_str(out, want); else fprintf(out, "null");
            fprintf(out, ",\"linkage\":\"%s\"}", verdict);
        } else {
            fprintf(out, "  %-14s recall %.4f (%zu of %zu)", nets.name[nn], r, found, size);
            if (bnet) fprintf(out, ", mostly in detected network %s (%zu)", bnet, bcount);
            fprintf(out, ", linkage %s", verdict);
            if (want && *want) fprintf(out, " [expected %s%s%s]", want, lk == 1 ? ", got " : "", lk == 1 ? got : "");
            fprintf(out, "\n");
        }
        first_op = 0;
    }
    if (json) fprintf(out, "]}\n");
done:
    if (root) json_decref(root);
    ls__free(la);
    ls__free(lb);
    ls__free(tr);
    ls__free(dr);
    smap_free(&tmap);
    ls__buf_free(&path);
    ls__simcsv_close(&tc);
    ls__simcsv_close(&ac);
    ls__simcsv_close(&lc);
    return st;
}
