/*
 * spill.c — unlinked temporary files: the builder's spill files, the
 * deduplicators' streams and ingest's spooled JSON rows.  A file is made
 * in a folder under a random name and unlinked at once, so it has no name
 * while it is filled and nothing is left behind whatever happens to the
 * process; whole writes and reads, EINTR retried, a short read or write
 * turned into an error.
 */
#include "core.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int ls__spill_open(const char *dir, int *fd)
{
    char path[4200];
    int n = snprintf(path, sizeof path, "%s/.lockstep-spill-XXXXXX", dir && *dir ? dir : ".");
    if (n < 0 || (size_t)n >= sizeof path) { errno = ENAMETOOLONG; return LS_ERR_IO; }
    int f = mkostemp(path, O_CLOEXEC);
    if (f < 0) return LS_ERR_IO;
    /* Nameless from here on: the file goes away with its descriptor. */
    if (unlink(path) != 0) {
        int e = errno;
        close(f);
        errno = e;
        return LS_ERR_IO;
    }
    *fd = f;
    return LS_OK;
}

int ls__spill_write(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t k = write(fd, c, n);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return LS_ERR_IO;
        if (k == 0) { errno = ENOSPC; return LS_ERR_IO; }
        c += k;
        n -= (size_t)k;
    }
    return LS_OK;
}

int ls__spill_pwrite(int fd, const void *p, size_t n, uint64_t off)
{
    const char *c = p;
    while (n) {
        ssize_t k = pwrite(fd, c, n, (off_t)off);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return LS_ERR_IO;
        if (k == 0) { errno = ENOSPC; return LS_ERR_IO; }
        c += k;
        n -= (size_t)k;
        off += (uint64_t)k;
    }
    return LS_OK;
}

int ls__spill_pread(int fd, void *p, size_t n, uint64_t off)
{
    char *c = p;
    while (n) {
        ssize_t k = pread(fd, c, n, (off_t)off);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return LS_ERR_IO;
        if (k == 0) { errno = EIO; return LS_ERR_IO; }  /* shorter than written */
        c += k;
        n -= (size_t)k;
        off += (uint64_t)k;
    }
    return LS_OK;
}
