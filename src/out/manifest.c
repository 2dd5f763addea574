/*
 * manifest.c — DIR/manifest.json: {"files": [{"name", "bytes", "sha256"}]}
 * sorted by name.  Several commands write into the same folder (detect,
 * report, export), so an existing manifest is merged: its entries for
 * other files are kept and the named files are hashed again from disk.
 * The manifest is written last and atomically, so a manifest that lists
 * a file means the file was complete.
 */
#include "out.h"
#include <stdlib.h>

typedef struct { char *name; char hex[65]; uint64_t bytes; } entry;

static int by_name(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

int ls__manifest_update(ls_ctx *ctx, const char *dir, const char *const *names, size_t n)
{
    entry *e = NULL;
    size_t ne = 0, cap = 0;
    ls__buf path = { 0 }, out = { 0 };
    json_t *old = NULL;
    int rc = LS_OK;

    if ((rc = ls__buf_printf(&path, "%s/manifest.json", dir)) != LS_OK) goto nomem;
    old = json_load_file(path.p, 0, NULL);      /* absent or unreadable: start anew */
    json_t *files = old ? json_object_get(old, "files") : NULL;
    size_t i;
    json_t *it;
    json_array_foreach(files, i, it) {
        const char *nm = json_string_value(json_object_get(it, "name"));
        const char *hx = json_string_value(json_object_get(it, "sha256"));
        json_t *by = json_object_get(it, "bytes");
        if (!nm || !hx || strlen(hx) != 64 || !json_is_integer(by)) continue;
        int named = 0;
        for (size_t k = 0; k < n; k++) if (strcmp(names[k], nm) == 0) named = 1;
        if (named || strcmp(nm, "manifest.json") == 0) continue;
        if ((rc = ls__grow((void **)&e, &cap, ne + 1, sizeof *e)) != LS_OK) goto nomem;
        if (!(e[ne].name = ls__strdup(nm))) goto nomem;
        memcpy(e[ne].hex, hx, 65);
        e[ne].bytes = (uint64_t)json_integer_value(by);
        ne++;
    }
    for (size_t k = 0; k < n; k++) {
        ls__buf fp = { 0 };
        if ((rc = ls__grow((void **)&e, &cap, ne + 1, sizeof *e)) != LS_OK) goto nomem;
        if (!(e[ne].name = ls__strdup(names[k]))) goto nomem;
        ne++;
        if ((rc = ls__buf_printf(&fp, "%s/%s", dir, names[k])) != LS_OK) goto nomem;
        rc = ls__sha256_file(ctx, fp.p, e[ne - 1].hex, &e[ne - 1].bytes);
        ls__buf_free(&fp);
        if (rc != LS_OK) goto done;
    }
    if (ne) qsort(e, ne, sizeof *e, by_name);
    rc = ls__buf_printf(&out, "{\n  \"files\": [");
    for (size_t k = 0; k < ne && rc == LS_OK; k++) {
        rc = ls__buf_printf(&out, "%s\n    {\"name\": ", k ? "," : "");
        if (rc == LS_OK) rc = ls__json_script_str(&out, e[k].name, strlen(e[k].name));
        if (rc == LS_OK)
            rc = ls__buf_printf(&out, ", \"bytes\": %llu, \"sha256\": \"%s\"}",
                                (unsigned long long)e[k].bytes, e[k].hex);
    }
    if (rc == LS_OK) rc = ls__buf_printf(&out, "\n  ]\n}\n");
    if (rc != LS_OK) goto nomem;
    rc = ls__write_file(ctx, path.p, &out);
    goto done;
nomem:
    rc = ls__fail(ctx, LS_ERR_NOMEM, "manifest: out of memory");
done:
    for (size_t k = 0; k < ne; k++) ls__free(e[k].name);
    ls__free(e);
    json_decref(old);
    ls__buf_free(&path);
    ls__buf_free(&out);
    return rc;
}
