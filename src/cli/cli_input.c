/*
 * cli_input.c — opens the STORE argument of the analysis commands; when
 * the arguments are raw input files instead, they are ingested into a
 * temporary store (in the spill folder) that is removed once mapped.
 */
#include "cli_input.h"
#include "../store/store.h"
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* The checksum pass at open touches every page of the mapping, which
 * then counts as resident memory of this process although the analysis
 * reads only a few columns.  The mapping is read-only, so dropping those
 * pages is safe: what is used faults back in from the page cache. */
static void release_pages(ls_store *st)
{
#ifdef MADV_DONTNEED
    if (st && st->map && st->map_size) (void)madvise(st->map, st->map_size, MADV_DONTNEED);
#else
    (void)st;
#endif
}

int cli_open_input(ls_ctx *ctx, const char *const *paths, size_t n, ls_store **out)
{
    *out = NULL;
    if (n == 1 && looks_like_store(paths[0])) {
        int rc = ls_store_open(ctx, paths[0], out);
        if (rc == LS_OK) release_pages(*out);
        return rc;
    }
    char tmp[700];
    snprintf(tmp, sizeof tmp, "%s/lockstep-input-%ld.store", ls__tmpdir(ctx), (long)getpid());
    ls_ingest_opts o;
    memset(&o, 0, sizeof o);
    o.format = "auto";
    int rc = ls_ingest(ctx, &o, paths, n, tmp);
    if (rc == LS_OK) rc = ls_store_open(ctx, tmp, out);
    if (rc == LS_OK) release_pages(*out);
    unlink(tmp);   /* the mapping stays valid; the file goes with it */
    return rc;
}

int cli_parse_bytes(const char *s, unsigned long long *v)
{
    char *end;
    if (!s || !*s || *s == '-') return -1;
    double x = strtod(s, &end);
    unsigned long long mul = 1;
    if (*end == 'K' || *end == 'k') { mul = 1ULL << 10; end++; }
    else if (*end == 'M' || *end == 'm') { mul = 1ULL << 20; end++; }
    else if (*end == 'G' || *end == 'g') { mul = 1ULL << 30; end++; }
    if (*end == 'B' || *end == 'b') end++;
    if (*end || x < 0) return -1;
    *v = (unsigned long long)(x * (double)mul);
    return 0;
}
