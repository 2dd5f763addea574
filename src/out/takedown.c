/*
 * takedown.c — the takedown list: one row per account to act on, grouped
 * by network (in networks.json order), core accounts first, then by score
 * and userid, with the evidence line.  The file is meant for people and
 * their spreadsheets, so text fields that start like a formula (= + - @)
 * are neutralised with a leading apostrophe (ls__outcsv_safe).
 */
#include "out.h"

static const char *role_name(int r) { return r == LS__ROLE_CORE ? "core" : r == LS__ROLE_AMPLIFIER ? "amplifier" : "other"; }

/* The folder part of path ("." when none) and the file name. */
static int split_path(const char *path, ls__buf *dir, const char **name)
{
    const char *slash = strrchr(path, '/');
    *name = slash ? slash + 1 : path;
    int rc = slash ? (slash == path ? ls__buf_put(dir, "/", 1) : ls__buf_put(dir, path, (size_t)(slash - path)))
                   : ls__buf_put(dir, ".", 1);
    return rc == LS_OK ? ls__buf_putc(dir, 0) : rc;
}

int ls_export_takedown(ls_ctx *ctx, const char *run_dir, const char *out_path)
{
    ls__rdir run;
    ls__buf b = { 0 }, path = { 0 }, dir = { 0 };
    uint32_t *mem = NULL;
    int rc;
    if ((rc = ls__rdir_load(ctx, run_dir, &run)) != LS_OK) return rc;
    rc = out_path ? ls__buf_printf(&path, "%s", out_path) : ls__buf_printf(&path, "%s/takedown.csv", run_dir);
    if (rc != LS_OK) goto nomem;
    if ((rc = ls__buf_printf(&b, "network,userid,screen_name,role,score,evidence\n")) != LS_OK) goto nomem;
    for (size_t k = 0; k < run.n_net; k++) {
        size_t n;
        if (ls__rdir_members(&run, (int)k, &mem, &n) != LS_OK) goto nomem;
        for (size_t q = 0; q < n; q++) {
            const ls__racct *a = &run.acc[mem[q]];
            if ((rc = ls__outcsv_safe(&b, run.net[k].id, strlen(run.net[k].id))) != LS_OK ||
                (rc = ls__buf_putc(&b, ',')) != LS_OK ||
                (rc = ls__outcsv_safe(&b, a->userid, strlen(a->userid))) != LS_OK ||
                (rc = ls__buf_putc(&b, ',')) != LS_OK ||
                (rc = ls__outcsv_safe(&b, a->screen_name, strlen(a->screen_name))) != LS_OK ||
                (rc = ls__buf_printf(&b, ",%s,%.3f,", role_name(a->role), a->score)) != LS_OK ||
                (rc = ls__outcsv_safe(&b, a->evidence, strlen(a->evidence))) != LS_OK ||
                (rc = ls__buf_putc(&b, '\n')) != LS_OK)
                goto nomem;
        }
        ls__free(mem);
        mem = NULL;
    }
    if ((rc = ls__write_file(ctx, path.p, &b)) != LS_OK) goto done;
    const char *name;
    if ((rc = split_path(path.p, &dir, &name)) != LS_OK) goto nomem;
    rc = ls__manifest_update(ctx, dir.p, &name, 1);
    goto done;
nomem:
    rc = ls__fail(ctx, LS_ERR_NOMEM, "takedown: out of memory");
done:
    ls__free(mem);
    ls__buf_free(&b); ls__buf_free(&path); ls__buf_free(&dir);
    ls__rdir_free(&run);
    return rc;
}
