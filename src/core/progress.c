/*
 * progress.c — progress lines on stderr for long stages, only when the
 * stream is a terminal (scripts and logs stay clean).
 */
#include "core.h"
#include <unistd.h>

void ls__progress(ls_ctx *ctx, const char *stage, uint64_t done, uint64_t total)
{
    if (!ctx || !ctx->progress || !isatty(fileno(ctx->progress))) return;
    if (total)
        fprintf(ctx->progress, "\r%-24s %5.1f%%", stage, 100.0 * (double)done / (double)total);
    else
        fprintf(ctx->progress, "\r%-24s %llu", stage, (unsigned long long)done);
    fflush(ctx->progress);
}

void ls__progress_end(ls_ctx *ctx)
{
    if (!ctx || !ctx->progress || !isatty(fileno(ctx->progress))) return;
    fprintf(ctx->progress, "\r%-40s\r", "");
    fflush(ctx->progress);
}
