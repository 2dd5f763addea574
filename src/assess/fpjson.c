/*
 * fpjson.c — fingerprints to and from JSON, the form kept in the case
 * database (fingerprints.data), so an analyst can read one with the
 * sqlite3 shell.  Sketch keys are 16-digit hex strings because JSON
 * numbers cannot hold 64-bit integers exactly.  Also the day-number
 * formatting the other files of this stage share.
 */
#include "assess.h"
#include <math.h>
#include <stdlib.h>

json_t *ls__jreal(double v)
{
    if (!isfinite(v)) v = 0;
    return json_real(round(v * 1e4) / 1e4);
}

static json_t *items_json(const ls__fp_item *it, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_pack("[so]", it[i].key, ls__jreal(it[i].share)));
    return a;
}

json_t *ls__fp_to_json(const ls__fp *fp)
{
    json_t *o = json_object(), *keys = json_array(), *coh = json_array(), *hrs = json_array();
    if (!o || !keys || !coh || !hrs) { json_decref(o); json_decref(keys); json_decref(coh); json_decref(hrs); return NULL; }
    char hex[17];
    for (size_t i = 0; i < fp->n_sketch; i++) {
        snprintf(hex, sizeof hex, "%016llx", (unsigned long long)fp->sketch[i]);
        json_array_append_new(keys, json_string(hex));
    }
    for (size_t i = 0; i < fp->n_cohort; i++)
        json_array_append_new(coh, json_pack("[iI]", (int)fp->cohort_week[i], (json_int_t)fp->cohort_n[i]));
    for (int h = 0; h < 168; h++) json_array_append_new(hrs, ls__jreal(fp->hours[h]));
    json_object_set_new(o, "version", json_integer(1));
    json_object_set_new(o, "n_accounts", json_integer((json_int_t)fp->n_accounts));
    json_object_set_new(o, "n_posts", json_integer((json_int_t)fp->n_posts));
    json_object_set_new(o, "n_texts", json_integer((json_int_t)fp->n_texts));
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)fp->sketch_probe);
    json_object_set_new(o, "sketch", json_pack("{s:i,s:i,s:i,s:b,s:s,s:o}", "bands", 16, "rows", 4,
                                               "k", LS__FP_SKETCH, "full", fp->sketch_full, "probe", hex,
                                               "keys", keys));
    json_object_set_new(o, "hashtags", items_json(fp->hashtags, fp->n_hashtags));
    json_object_set_new(o, "domains", items_json(fp->domains, fp->n_domains));
    json_object_set_new(o, "templates", items_json(fp->templates, fp->n_templates));
    json_object_set_new(o, "clients", items_json(fp->clients, fp->n_clients));
    json_object_set_new(o, "langs", items_json(fp->langs, fp->n_langs));
    json_object_set_new(o, "created_known", json_integer((json_int_t)fp->created_known));
    json_object_set_new(o, "cohort_weeks", coh);
    json_object_set_new(o, "hours", hrs);
    json_object_set_new(o, "office", json_pack("{s:i,s:o}", "utc_offset", fp->utc_offset,
                                               "score", ls__jreal(fp->office_score)));
    return o;
}

static void items_from(json_t *a, ls__fp_item *it, size_t *n)
{
    size_t i;
    json_t *v;
    *n = 0;
    json_array_foreach(a, i, v) {
        if (*n >= LS__FP_TOP) break;
        const char *k = json_string_value(json_array_get(v, 0));
        if (!k) continue;
        snprintf(it[*n].key, sizeof it[*n].key, "%s", k);
        it[*n].share = json_number_value(json_array_get(v, 1));
        (*n)++;
    }
}

static uint64_t jint(json_t *o, const char *k)
{
    json_int_t v = json_integer_value(json_object_get(o, k));
    return v > 0 ? (uint64_t)v : 0;
}

int ls__fp_from_json(ls_ctx *ctx, const char *text, ls__fp *fp)
{
    json_error_t err;
    int rc = LS_OK;
    memset(fp, 0, sizeof *fp);
    json_t *o = json_loads(text, 0, &err);
    if (!json_is_object(o)) { rc = ls__fail(ctx, LS_ERR_CORRUPT, "fingerprint: %s", o ? "not an object" : err.text); goto done; }
    if (jint(o, "version") != 1) { rc = ls__fail(ctx, LS_ERR_FORMAT, "fingerprint: unsupported version"); goto done; }
    fp->n_accounts = jint(o, "n_accounts");
    fp->n_posts = jint(o, "n_posts");
    fp->n_texts = jint(o, "n_texts");
    fp->created_known = jint(o, "created_known");
    json_t *sk = json_object_get(o, "sketch"), *keys = json_object_get(sk, "keys");
    fp->sketch_full = json_is_true(json_object_get(sk, "full"));
    const char *probe = json_string_value(json_object_get(sk, "probe"));
    fp->sketch_probe = probe ? strtoull(probe, NULL, 16) : 0;
    size_t nk = json_array_size(keys), i;
    json_t *v;
    fp->sketch = ls__malloc((nk ? nk : 1) * sizeof *fp->sketch);
    if (!fp->sketch) { rc = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
    json_array_foreach(keys, i, v) {
        const char *h = json_string_value(v);
        if (h) fp->sketch[fp->n_sketch++] = strtoull(h, NULL, 16);
    }
    items_from(json_object_get(o, "hashtags"), fp->hashtags, &fp->n_hashtags);
    items_from(json_object_get(o, "domains"), fp->domains, &fp->n_domains);
    items_from(json_object_get(o, "templates"), fp->templates, &fp->n_templates);
    items_from(json_object_get(o, "clients"), fp->clients, &fp->n_clients);
    items_from(json_object_get(o, "langs"), fp->langs, &fp->n_langs);
    json_t *coh = json_object_get(o, "cohort_weeks");
    size_t nc = json_array_size(coh);
    fp->cohort_week = ls__malloc((nc + 1) * sizeof *fp->cohort_week);
    fp->cohort_n = ls__malloc((nc + 1) * sizeof *fp->cohort_n);
    if (!fp->cohort_week || !fp->cohort_n) { rc = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
    json_array_foreach(coh, i, v) {
        fp->cohort_week[fp->n_cohort] = (int32_t)json_integer_value(json_array_get(v, 0));
        fp->cohort_n[fp->n_cohort++] = (uint32_t)json_integer_value(json_array_get(v, 1));
    }
    json_t *hrs = json_object_get(o, "hours");
    for (int h = 0; h < 168; h++) fp->hours[h] = json_number_value(json_array_get(hrs, (size_t)h));
    json_t *off = json_object_get(o, "office");
    fp->utc_offset = (int)json_integer_value(json_object_get(off, "utc_offset"));
    fp->office_score = json_number_value(json_object_get(off, "score"));
done:
    json_decref(o);
    if (rc != LS_OK) ls__fp_free(fp);
    return rc;
}

void ls__day_str(int64_t day, char *out)
{
    int64_t z = day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    snprintf(out, 40, "%04d-%02d-%02d", (int)(y + (m <= 2)), (int)m, (int)d);
}
