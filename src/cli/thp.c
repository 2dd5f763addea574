/*
 * thp.c — runs the lockstep process with glibc's allocator on transparent
 * huge pages.
 *
 * On kernels whose transparent huge pages are in "madvise" mode (Debian's
 * default) only memory that asks for them gets them.  lockstep's large
 * columns and tables ask (src/core/bigmem.c), but most of its memory comes
 * from the allocator in smaller blocks: columns of a few MB, per-account
 * arrays, batches, edge lists.  Each of their 4 KiB pages costs a page
 * fault on first touch, and on a virtual machine a fault costs 15-20 us
 * (measured: docs/development.md).  glibc (2.35 and later) has a tunable,
 * glibc.malloc.hugetlb=1, with which the allocator itself asks for huge
 * pages for its heap and its mapped blocks.  Tunables are read only when a
 * process starts, so lockstep re-executes itself once with the tunable
 * added to GLIBC_TUNABLES.  Measured on the 1M-row QUT bench file
 * (`network co_retweet`): page faults 19,400 -> 8,600-9,400, about 15% less CPU,
 * peak RSS the same; a 1M-row IO-archive ingest: faults 22,200 -> 4,600,
 * system time -35%.  Outputs are the same bytes: only where memory comes
 * from changes.
 *
 * Nothing is done when the kernel's mode is "always" or "never" (nothing
 * to gain), when GLIBC_TUNABLES already names the tunable (the user's
 * choice, and what stops a second re-execution), when
 * LOCKSTEP_MALLOC_THP=0, in sanitizer builds (their allocator ignores the
 * tunable) or off glibc.  If the re-execution fails, the process simply
 * goes on as it is.
 */
#include "cli.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define LS_NO_THP_REEXEC 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LS_NO_THP_REEXEC 1
#endif

#define TUNABLE "glibc.malloc.hugetlb"

#if defined(__GLIBC__) && !defined(LS_NO_THP_REEXEC)
/* True when the kernel gives huge pages only to memory that asks. */
static int thp_madvise_mode(void)
{
    char line[128] = { 0 };
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (!f) return 0;
    int ok = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    return ok && strstr(line, "[madvise]") != NULL;
}
#endif

void cli_thp_reexec(char **argv)
{
#if defined(__GLIBC__) && !defined(LS_NO_THP_REEXEC)
    const char *off = getenv("LOCKSTEP_MALLOC_THP");
    const char *old = getenv("GLIBC_TUNABLES");
    if ((off && strcmp(off, "0") == 0) || (old && strstr(old, TUNABLE))) return;
    if (!thp_madvise_mode()) return;
    char val[1024];
    int n = old && *old ? snprintf(val, sizeof val, "%s:" TUNABLE "=1", old)
                        : snprintf(val, sizeof val, TUNABLE "=1");
    if (n < 0 || (size_t)n >= sizeof val) return;
    /* The binary's own path, not /proc/self/exe, so that the process
     * keeps its name ("lockstep" in ps and top, not "exe"). */
    char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0 || (size_t)len >= sizeof self - 1) return;
    self[len] = '\0';
    if (setenv("GLIBC_TUNABLES", val, 1) != 0) return;
    execv(self, argv);
    /* Still here: no /proc, or exec refused.  Run as we are, and leave
     * the environment as it was for any child. */
    if (old) setenv("GLIBC_TUNABLES", old, 1);
    else unsetenv("GLIBC_TUNABLES");
#else
    (void)argv;
#endif
}
