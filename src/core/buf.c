/*
 * buf.c — growable byte buffer used for building strings and files.
 */
#include "core.h"

int ls__buf_put(ls__buf *b, const void *p, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        void *q = b->p;
        size_t cap = b->cap;
        if (ls__grow(&q, &cap, b->n + n + 1, 1)) return LS_ERR_NOMEM;
        b->p = q;
        b->cap = cap;
    }
    if (n) memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = '\0'; /* always NUL-terminated for convenience */
    return LS_OK;
}

int ls__buf_putc(ls__buf *b, char c) { return ls__buf_put(b, &c, 1); }

int ls__buf_printf(ls__buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (k < 0) return LS_ERR_INTERNAL;
    if ((size_t)k < sizeof small) return ls__buf_put(b, small, (size_t)k);
    if (ls__buf_put(b, NULL, 0)) return LS_ERR_NOMEM;
    size_t need = b->n + (size_t)k + 1;
    void *q = b->p;
    size_t cap = b->cap;
    if (ls__grow(&q, &cap, need, 1)) return LS_ERR_NOMEM;
    b->p = q;
    b->cap = cap;
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)k + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
    return LS_OK;
}

void ls__buf_free(ls__buf *b)
{
    ls__free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}
