/*
 * archive.c — `lockstep archive add|list|rm`: earlier takedowns kept in the
 * case database as fingerprints.  add ingests the files (any format
 * ls_ingest reads, with its error reporting) into a temporary store,
 * fingerprints the accounts that posted or have a profile row, and stores
 * the fingerprint and the member ids in one transaction; the temporary
 * store is always removed.
 */
#include "assess.h"
#include "../ingest/ingest.h"
#include <stdlib.h>
#include <unistd.h>

static int valid_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 100) return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f) return 0;
    return 1;
}

int ls_archive_add(ls_ctx *ctx, ls_casedb *db, const char *name,
                   const struct ls_ingest_opts *opts, const char *const *files,
                   size_t n_files, FILE *report)
{
    char tmp[1024];
    ls_store *st = NULL;
    uint8_t *member = NULL;
    ls__str *ids = NULL;
    ls__fp fp;
    ls__buf sources = { 0 };
    char *fpj = NULL;
    int rc = LS_OK, made = 0;
    static unsigned counter;
    memset(&fp, 0, sizeof fp);
    if (!valid_name(name))
        return ls__fail(ctx, LS_ERR_USAGE, "archive name must be 1-100 printable characters");
    if (n_files == 0) return ls__fail(ctx, LS_ERR_USAGE, "no input files for archive '%s'", name);

    ls_ingest_opts io;
    if (opts) io = *opts; else memset(&io, 0, sizeof io);
    if (!io.format) io.format = "auto";
    io.append = 0;
    snprintf(tmp, sizeof tmp, "%s/lockstep-archive-%ld-%u.store", ls__tmpdir(ctx), (long)getpid(), counter++);
    if ((rc = ls__ingest_temp(ctx, &io, files, n_files, tmp)) != LS_OK) goto done;
    made = 1;
    if ((rc = ls_store_open(ctx, tmp, &st)) != LS_OK) goto done;

    /* Members: accounts that posted, or that a users file describes;
     * accounts only mentioned or retweeted are not the archive's. */
    size_t n_acc = st->ns[LS_NS_ACCOUNT].n, n_mem = 0;
    member = ls__calloc(n_acc + 1, 1);
    ids = ls__malloc((n_acc + 1) * sizeof *ids);
    if (!member || !ids) { rc = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
    for (uint64_t i = 0; i < st->n_events; i++) if (st->ev_account[i] < n_acc) member[st->ev_account[i]] = 1;
    for (size_t a = 0; a < n_acc; a++) {
        if (st->acc_created[a] != LS__TIME_NONE) member[a] = 1;
        if (member[a]) ids[n_mem++] = ls__strtab_get(&st->ns[LS_NS_ACCOUNT], (uint32_t)a);
    }
    if ((rc = ls__fp_compute(ctx, st, member, &fp)) != LS_OK) goto done;
    json_t *j = ls__fp_to_json(&fp);
    fpj = j ? json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
    json_decref(j);
    if (!fpj) { rc = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
    for (size_t f = 0; f < n_files; f++) {
        const char *base = strrchr(files[f], '/');
        if ((rc = ls__buf_printf(&sources, "%s%s", f ? ", " : "", base ? base + 1 : files[f])) != LS_OK) {
            rc = ls__fail(ctx, rc, "out of memory"); goto done;
        }
    }
    if ((rc = ls__buf_putc(&sources, 0)) != LS_OK) { rc = ls__fail(ctx, rc, "out of memory"); goto done; }
    if ((rc = ls__casedb_archive_put(ctx, db, name, sources.p, (int64_t)fp.n_accounts,
                                     (int64_t)fp.n_posts, fpj, ids, n_mem)) != LS_OK) goto done;
    if (report) {
        fprintf(report, "archived '%s': %llu accounts, %llu posts, %llu distinct texts (%zu text sketches)\n",
                name, (unsigned long long)fp.n_accounts, (unsigned long long)fp.n_posts,
                (unsigned long long)fp.n_texts, fp.n_sketch);
        if (fp.n_templates)
            fprintf(report, "  top name template %s (%.0f%% of named accounts)", fp.templates[0].key,
                    100 * fp.templates[0].share);
        if (fp.n_clients)
            fprintf(report, "%s top client %s (%.0f%%)", fp.n_templates ? ";" : " ", fp.clients[0].key,
                    100 * fp.clients[0].share);
        fprintf(report, "%s office schedule share %.0f%% at UTC%+d\n",
                fp.n_templates || fp.n_clients ? ";" : " ", 100 * fp.office_score, fp.utc_offset);
    }
done:
    ls_store_close(st);
    if (made) unlink(tmp);
    ls__fp_free(&fp);
    ls__free(member);
    ls__free(ids);
    ls__buf_free(&sources);
    free(fpj);
    return rc;
}

int ls_archive_list(ls_ctx *ctx, ls_casedb *db, FILE *out, int json)
{
    ls__archive_row *rows = NULL;
    size_t n = 0;
    int rc = ls__casedb_archive_all(ctx, db, 0, &rows, &n);
    if (rc != LS_OK) return rc;
    if (json) {
        json_t *a = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(a, json_pack("{s:s,s:I,s:I,s:s}", "name", rows[i].name, "accounts",
                                               (json_int_t)rows[i].n_accounts, "posts",
                                               (json_int_t)rows[i].n_posts, "sources", rows[i].sources));
        json_dumpf(a, out, JSON_INDENT(1));
        fputc('\n', out);
        json_decref(a);
    } else if (n == 0) {
        fprintf(out, "no archives\n");
    } else {
        fprintf(out, "%-24s %10s %10s  %s\n", "name", "accounts", "posts", "sources");
        for (size_t i = 0; i < n; i++)
            fprintf(out, "%-24s %10lld %10lld  %s\n", rows[i].name, (long long)rows[i].n_accounts,
                    (long long)rows[i].n_posts, rows[i].sources);
    }
    ls__archive_rows_free(rows, n);
    if (ferror(out)) return ls__fail(ctx, LS_ERR_IO, "cannot write the list");
    return LS_OK;
}

int ls_archive_rm(ls_ctx *ctx, ls_casedb *db, const char *name)
{
    return ls__casedb_archive_rm(ctx, db, name);
}
