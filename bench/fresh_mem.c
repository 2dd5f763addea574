/*
 * fresh_mem.c — how fast this machine hands out memory a process has not
 * touched yet, against memory it has.  Prints one line:
 *   FIRST_TOUCH_GBPS RETOUCH_GBPS
 * for a 256 MiB anonymous mapping advised for huge pages (as lockstep's
 * big columns are): the first pass writes one byte per 4 KiB page (every
 * page fault, and whatever the hypervisor does behind it), the second
 * memsets the whole mapping.  On bare metal the two are within a few
 * times of each other; on a VM whose balloon reports freed pages to the
 * host (free page reporting), first touch can be 20-50x slower, and every
 * benchmark that allocates pays it while `wc -l` does not.  Used by
 * bench/ingest.sh to put that figure next to the ratio.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(void)
{
    const size_t n = (size_t)256 << 20;
    char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) { perror("fresh_mem: mmap"); return 1; }
    madvise(p, n, MADV_HUGEPAGE);
    double t0 = now();
    for (size_t i = 0; i < n; i += 4096) p[i] = 1;
    double t1 = now();
    memset(p, 2, n);
    double t2 = now();
    /* Keep the stores from being optimised away. */
    volatile char sink = p[n / 2];
    (void)sink;
    printf("%.2f %.2f\n", (double)n / 1e9 / (t1 - t0), (double)n / 1e9 / (t2 - t1));
    munmap(p, n);
    return 0;
}
