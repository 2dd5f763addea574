/*
 * afile.c — atomic output files.  Everything lockstep writes goes to
 * PATH.tmp.PID first; commit flushes, checks for write errors (a full disk
 * shows up here), fsyncs and renames over PATH, so a reader never sees a
 * half-written file under its final name.  A temporary file the process
 * deletes itself (af->nosync) skips the fsync: nothing survives a crash
 * that would need it, and for the store of `network FILE.csv` it was a
 * disk write of the whole store on the way to the answer.
 */
#include "core.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

int ls__afile_open(ls_ctx *ctx, ls__afile *af, const char *path)
{
    memset(af, 0, sizeof *af);
    size_t n = strlen(path) + 32;
    af->path = ls__strdup(path);
    af->tmp = ls__malloc(n);
    if (!af->path || !af->tmp) { ls__afile_abort(af); return ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); }
    snprintf(af->tmp, n, "%s.tmp.%ld", path, (long)getpid());
    af->f = fopen(af->tmp, "wb");
    if (!af->f) {
        int e = errno;
        ls__free(af->path); ls__free(af->tmp);
        memset(af, 0, sizeof *af);
        return ls__fail(ctx, LS_ERR_IO, "cannot create %s: %s", path, strerror(e));
    }
    return LS_OK;
}

int ls__afile_commit(ls_ctx *ctx, ls__afile *af)
{
    int st = LS_OK;
    if (!af->f) return ls__fail(ctx, LS_ERR_INTERNAL, "commit of a closed file");
    if (fflush(af->f) != 0 || ferror(af->f)) {
        st = ls__fail(ctx, LS_ERR_IO, "cannot write %s: %s", af->path, strerror(errno));
        goto done;
    }
    if (!af->nosync && fsync(fileno(af->f)) != 0 && errno != EINVAL) {
        st = ls__fail(ctx, LS_ERR_IO, "cannot sync %s: %s", af->path, strerror(errno));
        goto done;
    }
    if (fclose(af->f) != 0) {
        af->f = NULL;
        st = ls__fail(ctx, LS_ERR_IO, "cannot write %s: %s", af->path, strerror(errno));
        goto done;
    }
    af->f = NULL;
    if (rename(af->tmp, af->path) != 0) {
        st = ls__fail(ctx, LS_ERR_IO, "cannot rename %s to %s: %s", af->tmp, af->path, strerror(errno));
        goto done;
    }
    ls__free(af->tmp);
    af->tmp = NULL;
done:
    ls__afile_abort(af);
    return st;
}

void ls__afile_abort(ls__afile *af)
{
    if (af->f) fclose(af->f);
    if (af->tmp) unlink(af->tmp);
    ls__free(af->tmp);
    ls__free(af->path);
    memset(af, 0, sizeof *af);
}
