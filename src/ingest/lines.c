/*
 * lines.c — splits a source into lines for the JSON-lines parsers.  Lines
 * may be any length (the buffer doubles until one fits); the '\n' and a
 * '\r' before it are stripped; a last line without '\n' still counts.
 * O(bytes): one memchr per line over a large buffer.
 */
#include "ingest.h"

#define CHUNK (4u << 20)

struct ls__lines {
    ls__src *src;
    char *buf;
    size_t cap, pos, end;
    int eof;
    uint64_t line;
};

int ls__lines_new(ls__src *src, ls__lines **out)
{
    ls__lines *l = ls__calloc(1, sizeof *l);
    *out = NULL;
    if (!l) return LS_ERR_NOMEM;
    l->src = src;
    l->cap = CHUNK;
    l->buf = ls__malloc(l->cap);
    if (!l->buf) { ls__free(l); return LS_ERR_NOMEM; }
    *out = l;
    return LS_OK;
}

/* Moves the unread tail to the front, grows when it fills the buffer, and
 * reads more. */
static int refill(ls__lines *l)
{
    size_t got = 0;
    if (l->pos > 0) {
        memmove(l->buf, l->buf + l->pos, l->end - l->pos);
        l->end -= l->pos;
        l->pos = 0;
    }
    if (l->end == l->cap) {
        void *p = l->buf;
        size_t cap = l->cap;
        if (ls__grow(&p, &cap, l->cap * 2, 1)) return LS_ERR_NOMEM;
        l->buf = p;
        l->cap = cap;
    }
    int st = ls__src_read(l->src, l->buf + l->end, l->cap - l->end, &got);
    if (st) return st;
    if (!got) l->eof = 1;
    l->end += got;
    return LS_OK;
}

int ls__lines_next(ls__lines *l, ls__str *line, uint64_t *line_no)
{
    size_t scanned = 0;
    line->p = NULL;
    line->n = 0;
    for (;;) {
        char *start = l->buf + l->pos;
        size_t avail = l->end - l->pos;
        char *nl = avail > scanned ? memchr(start + scanned, '\n', avail - scanned) : NULL;
        if (nl || (l->eof && avail)) {
            size_t n = nl ? (size_t)(nl - start) : avail;
            l->pos += nl ? n + 1 : n;
            if (n && start[n - 1] == '\r') n--;
            line->p = start;
            line->n = n;
            *line_no = ++l->line;
            return LS_OK;
        }
        if (l->eof) return LS_OK;   /* end of input: line->p == NULL */
        scanned = avail;
        int st = refill(l);
        if (st) return st;
    }
}

void ls__lines_free(ls__lines *l)
{
    if (!l) return;
    ls__free(l->buf);
    ls__free(l);
}
