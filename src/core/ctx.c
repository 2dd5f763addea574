/*
 * ctx.c — the context handle: options shared by all stages (threads,
 * memory budget, progress stream, spill folder) and the detail message of
 * the last failure.
 */
#include "core.h"
#include <stdlib.h>
#include <unistd.h>

int ls_ctx_new(ls_ctx **out)
{
    ls_ctx *c = ls__calloc(1, sizeof *c);
    if (!c) return LS_ERR_NOMEM;
    *out = c;
    return LS_OK;
}

void ls_ctx_free(ls_ctx *ctx) { ls__free(ctx); }

const char *ls_ctx_message(const ls_ctx *ctx) { return ctx ? ctx->message : ""; }

void ls_ctx_set_threads(ls_ctx *ctx, int threads) { ctx->threads = threads < 0 ? 0 : threads; }
void ls_ctx_set_memory(ls_ctx *ctx, uint64_t bytes) { ctx->memory = bytes; }
void ls_ctx_set_progress(ls_ctx *ctx, FILE *stream) { ctx->progress = stream; }

void ls_ctx_set_tmpdir(ls_ctx *ctx, const char *dir)
{
    snprintf(ctx->tmpdir, sizeof ctx->tmpdir, "%s", dir ? dir : "");
}

int ls__fail(ls_ctx *ctx, int status, const char *fmt, ...)
{
    if (ctx && fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ctx->message, sizeof ctx->message, fmt, ap);
        va_end(ap);
    }
    return status;
}

int ls__threads(const ls_ctx *ctx)
{
    if (ctx && ctx->threads > 0) return ctx->threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)LS__MIN(n, 64) : 1;
}

/* Default budget: a quarter of physical memory, at least 256 MiB. */
uint64_t ls__memory_budget(const ls_ctx *ctx)
{
    if (ctx && ctx->memory) return ctx->memory;
    long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
    uint64_t total = (pages > 0 && psize > 0) ? (uint64_t)pages * (uint64_t)psize : (1ull << 32);
    return LS__MAX(total / 4, 256ull << 20);
}

const char *ls__tmpdir(const ls_ctx *ctx)
{
    if (ctx && ctx->tmpdir[0]) return ctx->tmpdir;
    const char *t = getenv("TMPDIR");
    return (t && *t) ? t : "/tmp";
}
