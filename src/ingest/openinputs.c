/*
 * openinputs.c — the input argument of the analysis commands (network,
 * why, profile, detect's raw-file path): one event store is opened as it
 * is; raw input files of any format ingest reads are ingested first into
 * a temporary store in the spill folder, which is unlinked as soon as it
 * is mapped (the mapping stays valid; nothing is left behind).
 */
#include "ingest.h"
#include <unistd.h>

static int looks_like_store(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    char m[8] = { 0 };
    size_t n = fread(m, 1, 8, f);
    fclose(f);
    return n == 8 && memcmp(m, "LSSTORE", 7) == 0;
}

int ls_open_inputs(ls_ctx *ctx, const char *const *paths, size_t n, ls_store **out)
{
    *out = NULL;
    if (n == 0) return ls__fail(ctx, LS_ERR_USAGE, "no input given");
    if (n == 1 && looks_like_store(paths[0])) return ls_store_open(ctx, paths[0], out);
    char tmp[700];
    int k = snprintf(tmp, sizeof tmp, "%s/lockstep-input-%ld.store", ls__tmpdir(ctx), (long)getpid());
    if (k < 0 || (size_t)k >= sizeof tmp) return ls__fail(ctx, LS_ERR_USAGE, "the spill folder's path is too long");
    ls_ingest_opts o;
    memset(&o, 0, sizeof o);
    o.format = "auto";
    int rc = ls__ingest_temp(ctx, &o, paths, n, tmp);
    if (rc == LS_OK) rc = ls_store_open(ctx, tmp, out);
    unlink(tmp);
    return rc;
}
