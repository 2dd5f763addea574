/*
 * dirs.c — folders as inputs: a folder given to ingest (or to detect,
 * network... on raw files) stands for every file under it, depth first,
 * each folder's names in byte order, so the same folder gives the same
 * store on any file system (readdir's order is the file system's).  An extracted
 * stream grab (2020/06/01/00/NN.json.bz2 files) or a release unpacked into a
 * folder ingests with one argument.
 *
 * Skipped, counted and reported as in archives (archive.c): hidden files
 * and folders (names starting with '.'), macOS metadata, and media and
 * documents by their extension.  Links to folders are not followed (no
 * loops); links to files are read.  A folder with nothing to read is an
 * error naming it: an empty input list is more likely a wrong path than
 * the intent.
 */
#include "arc.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

typedef struct {
    ls_ctx *ctx;
    char **v;
    size_t n, cap;
    size_t skipped;
} list;

static int push(list *l, const char *path)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        char **v = ls__realloc(l->v, cap * sizeof *v);
        if (!v) return ls__fail(l->ctx, LS_ERR_NOMEM, "out of memory listing inputs");
        l->v = v;
        l->cap = cap;
    }
    if (!(l->v[l->n] = ls__strdup(path))) return ls__fail(l->ctx, LS_ERR_NOMEM, "out of memory listing inputs");
    l->n++;
    return LS_OK;
}

static int by_bytes(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the files under folder d (depth levels deep so far). */
static int walk(list *l, const char *d, int depth)
{
    int st = LS_OK;
    if (depth > 64) return ls__fail(l->ctx, LS_ERR_LIMIT, "%s: folders nested more than 64 deep", d);
    DIR *dh = opendir(d);
    if (!dh) return ls__fail(l->ctx, LS_ERR_IO, "cannot read %s: %s", d, strerror(errno));
    list here = { l->ctx, NULL, 0, 0, 0 };
    struct dirent *de;
    while ((de = readdir(dh))) {
        if (de->d_name[0] == '.') {
            if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) l->skipped++;
            continue;
        }
        size_t k = strlen(d), m = strlen(de->d_name);
        char *p = ls__malloc(k + m + 2);
        if (!p) { st = ls__fail(l->ctx, LS_ERR_NOMEM, "out of memory listing %s", d); break; }
        memcpy(p, d, k);
        size_t at = k && d[k - 1] == '/' ? k : k + 1;
        p[k] = '/';
        memcpy(p + at, de->d_name, m + 1);
        st = push(&here, p);
        ls__free(p);
        if (st) break;
    }
    closedir(dh);
    if (st == LS_OK && here.n > 1) qsort(here.v, here.n, sizeof *here.v, by_bytes);
    for (size_t i = 0; st == LS_OK && i < here.n; i++) {
        struct stat sb, lb;
        const char *p = here.v[i];
        if (stat(p, &sb) != 0) { st = ls__fail(l->ctx, LS_ERR_IO, "cannot open %s: %s", p, strerror(errno)); break; }
        if (S_ISDIR(sb.st_mode)) {
            if (lstat(p, &lb) == 0 && S_ISLNK(lb.st_mode)) { l->skipped++; continue; }
            st = walk(l, p, depth + 1);
        } else if (!S_ISREG(sb.st_mode) || ls__arc_skip_name(p)) {
            l->skipped++;
        } else {
            st = push(l, p);
        }
    }
    for (size_t i = 0; i < here.n; i++) ls__free(here.v[i]);
    ls__free(here.v);
    return st;
}

int ls__expand_inputs(ls_ctx *ctx, const char *const *files, size_t n, FILE *report, char ***out,
                      size_t *n_out)
{
    list l = { ctx, NULL, 0, 0, 0 };
    int st = LS_OK;
    *out = NULL;
    *n_out = 0;
    for (size_t i = 0; st == LS_OK && i < n; i++) {
        struct stat sb;
        if (strcmp(files[i], "-") == 0 || stat(files[i], &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            st = push(&l, files[i]);    /* a file, stdin, or a missing path for the caller */
            continue;
        }
        size_t before = l.n, skipped = l.skipped;
        if ((st = walk(&l, files[i], 0))) break;
        if (l.n == before) {
            st = ls__fail(ctx, LS_ERR_IO, "%s: a folder with no input files in it%s", files[i],
                          l.skipped > skipped ? " (only hidden files, metadata or media)" : "");
            break;
        }
        if (report)
            fprintf(report, "%s: %zu file%s%s", files[i], l.n - before, l.n - before == 1 ? "" : "s",
                    l.skipped > skipped ? "" : "\n");
        if (report && l.skipped > skipped)
            fprintf(report, " (skipped %zu hidden, metadata or media file%s)\n", l.skipped - skipped,
                    l.skipped - skipped == 1 ? "" : "s");
    }
    if (st) {
        ls__free_inputs(l.v, l.n);
        return st;
    }
    *out = l.v;
    *n_out = l.n;
    return LS_OK;
}

void ls__free_inputs(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) ls__free(v[i]);
    ls__free(v);
}
