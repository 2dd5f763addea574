/*
 * timing.c — stage timings for performance work.  When the environment
 * variable LOCKSTEP_TIMING is set (to anything but "" or "0"), each call
 * prints one line to stderr: the stage name, wall and CPU seconds since
 * the previous mark, and the resident and peak resident memory.  Nothing
 * goes to output files, so outputs stay byte-identical; without the
 * variable a call costs one cached flag test.
 */
#include "signals.h"
#include <stdarg.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static int enabled = -1;
static double last_wall, last_cpu;

static double now_wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now_cpu(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

/* VmRSS and VmHWM from /proc/self/status, in MiB (0 where unknown). */
static void mem_mib(long *rss, long *hwm)
{
    char line[256];
    *rss = *hwm = 0;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        long kb;
        if (sscanf(line, "VmRSS: %ld kB", &kb) == 1) *rss = kb / 1024;
        else if (sscanf(line, "VmHWM: %ld kB", &kb) == 1) *hwm = kb / 1024;
    }
    fclose(f);
}

int ls__timing_on(void)
{
    if (enabled < 0) {
        const char *v = getenv("LOCKSTEP_TIMING");
        enabled = v && *v && strcmp(v, "0") != 0;
        last_wall = now_wall();
        last_cpu = now_cpu();
    }
    return enabled;
}

void ls__timing(const char *fmt, ...)
{
    if (!ls__timing_on()) return;
    char what[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    double w = now_wall(), c = now_cpu();
    long rss, hwm;
    mem_mib(&rss, &hwm);
    fprintf(stderr, "timing: %-34s %7.2f s wall %7.2f s cpu  rss %6ld MiB  peak %6ld MiB\n",
            what, w - last_wall, c - last_cpu, rss, hwm);
    last_wall = w;
    last_cpu = c;
}
