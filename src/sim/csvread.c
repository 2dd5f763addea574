/*
 * csvread.c — a minimal RFC 4180 reader for the evaluator's small inputs
 * (truth.csv, accounts.csv).  The simulator stage uses only core and its
 * own files, so it does not borrow the ingest stage's streaming reader:
 * this one loads the whole file and unquotes fields in place.  Quoted
 * fields may hold commas, doubled quotes and newlines; CRLF and LF end
 * records; a UTF-8 BOM is skipped.  Line numbers are those of the first
 * line of each record, for messages.
 */
#include "sim.h"
#include <errno.h>

int ls__simcsv_open(ls_ctx *ctx, ls__simcsv *c, const char *path)
{
    memset(c, 0, sizeof *c);
    c->path = path;
    c->next_line = 1;
    FILE *f = fopen(path, "rb");
    if (!f) return ls__fail(ctx, LS_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *p = ls__malloc(cap);
    int st = LS_OK;
    if (!p) { st = ls__fail(ctx, LS_ERR_NOMEM, "out of memory reading %s", path); goto done; }
    for (;;) {
        if (n + 1 >= cap) {
            char *q = ls__realloc(p, cap * 2);
            if (!q) { st = ls__fail(ctx, LS_ERR_NOMEM, "out of memory reading %s", path); goto done; }
            p = q; cap *= 2;
        }
        size_t k = fread(p + n, 1, cap - n - 1, f);
        n += k;
        if (k == 0) break;
    }
    if (ferror(f)) { st = ls__fail(ctx, LS_ERR_IO, "cannot read %s: %s", path, strerror(errno)); goto done; }
    p[n] = 0;
    c->data = p;
    c->n = n;
    p = NULL;
    if (c->n >= 3 && memcmp(c->data, "\xEF\xBB\xBF", 3) == 0) c->pos = 3;
done:
    ls__free(p);
    fclose(f);
    return st;
}

int ls__simcsv_mem(ls_ctx *ctx, ls__simcsv *c, const char *name, const void *p, size_t n)
{
    memset(c, 0, sizeof *c);
    c->path = name;
    c->next_line = 1;
    c->data = ls__malloc(n + 1);
    if (!c->data) return ls__fail(ctx, LS_ERR_NOMEM, "out of memory");
    if (n) memcpy(c->data, p, n);
    c->data[n] = 0;
    c->n = n;
    if (n >= 3 && memcmp(c->data, "\xEF\xBB\xBF", 3) == 0) c->pos = 3;
    return LS_OK;
}

static int push(ls__simcsv *c, char *field)
{
    if (c->nf == c->cap && ls__grow((void **)&c->f, &c->cap, c->nf + 1, sizeof *c->f)) return LS_ERR_NOMEM;
    c->f[c->nf++] = field;
    return LS_OK;
}

int ls__simcsv_next(ls_ctx *ctx, ls__simcsv *c)
{
    c->nf = 0;
    c->line = c->next_line;
    if (c->pos >= c->n) return LS_OK;
    char *d = c->data;
    size_t i = c->pos;
    for (;;) {
        /* One field starting at i; the unquoted value is written from w. */
        char *start = d + i;
        size_t w = i;
        if (d[i] == '"') {
            i++;
            for (;;) {
                if (i >= c->n)
                    return ls__fail(ctx, LS_ERR_PARSE, "%s:%llu: unterminated quoted field", c->path,
                                    (unsigned long long)c->line);
                if (d[i] == '"') {
                    if (i + 1 < c->n && d[i + 1] == '"') { d[w++] = '"'; i += 2; continue; }
                    i++;
                    break;
                }
                if (d[i] == '\n') c->next_line++;
                d[w++] = d[i++];
            }
            if (i < c->n && d[i] != ',' && d[i] != '\n' && d[i] != '\r')
                return ls__fail(ctx, LS_ERR_PARSE, "%s:%llu: text after a closing quote", c->path,
                                (unsigned long long)c->next_line);
        } else {
            while (i < c->n && d[i] != ',' && d[i] != '\n' && d[i] != '\r') d[w++] = d[i++];
        }
        char sep = i < c->n ? d[i] : '\n';
        d[w] = 0;   /* w <= i, so this never overwrites unread input */
        if (push(c, start)) return ls__fail(ctx, LS_ERR_NOMEM, "out of memory");
        if (sep == ',') { i++; continue; }
        /* d[i] may have just been overwritten by the NUL: go by sep. */
        if (sep == '\r') { i++; if (i < c->n && d[i] == '\n') i++; }
        else if (i < c->n) i++;
        c->next_line++;
        break;
    }
    c->pos = i;
    return LS_OK;
}

void ls__simcsv_close(ls__simcsv *c)
{
    ls__free(c->data);
    ls__free(c->f);
    memset(c, 0, sizeof *c);
}
