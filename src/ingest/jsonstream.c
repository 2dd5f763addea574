/*
 * jsonstream.c — a large pretty-printed JSON document read element by
 * element, so that its memory does not follow its size (jsonread.c hands
 * over a document past LS__JS_STREAM_AT bytes, for the parsers that say
 * how rows sit in a document: jsonmap.c).
 *
 * Why not jansson alone: it parses a whole document into one tree, about
 * ten times the text in memory, and has no event (SAX) interface.  So a
 * small hand-written scanner finds the rows' bounds and jansson parses
 * each row on its own.  The scanner only tokenises (strings with their
 * escapes, scalars, the six structural characters) and follows the path
 * from the document's top; a row's tokens are copied into a buffer and
 * handed to json_loadb, which does all the validation of the row.
 *
 * Where the rows are, as jsonmap.c reads a whole document:
 *   - a top-level array: each element (delivered at once);
 *   - a top-level object with a "messages" array (Telegram's chat export):
 *     its elements (at once);
 *   - a top-level object with "chats": {"list": [chat, ..]} and/or
 *     "left_chats": {"list": [..]} (Telegram's full-account export): each
 *     chat's "messages", with the chat's "id" (or its place in the list)
 *     for qualifying ids; these are spooled to two unlinked temporary
 *     files and replayed when the document ends, chats before left_chats,
 *     and only if it had no "messages" array (as jsonmap.c does);
 *   - any other object: the object itself, from its members other than
 *     "chats" and "left_chats" kept in memory (a skeleton).
 * Every row is reported at the document's first line, as for a document
 * read whole.  A document that breaks off or is damaged keeps the rows
 * before the damage and counts one bad_json; the rest of the input is
 * not read (a document read whole would lose all of its rows).
 *
 * Memory: one row, the skeleton, 16 bytes per chat.  Disk: the chats'
 * messages once.  Keys are compared as written (a key spelled with
 * escapes, "\u006dessages", is not recognised).
 */
#include "jsonstream.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <unistd.h>

enum { R_ROOT_ARR, R_ROOT_OBJ, R_CHATS, R_LIST, R_CHAT, R_MSGS, R_CAP, R_SKIP, R_SKEL };
enum { K_CHATS, K_LEFT };
/* What a frame waits for next. */
enum { W_KEY, W_COLON, W_VALUE, W_COMMA };

typedef struct {
    unsigned char role, obj, want, kind;
    uint32_t chat;          /* R_CHAT, R_MSGS: the chat's index in its list */
    uint64_t count;         /* values seen (arrays: the next element's index) */
    char key[16];           /* the member being read, as written ("" when longer) */
} frame;

typedef struct { int has; long long id; } chat_id;

struct ls__jstream {
    ls__env *e;
    const ls__js_rows *fns;
    ls__js_fn top;
    void *user;
    uint64_t line0, line;
    frame *f;
    size_t n, cap;
    ls__buf row;            /* the row being copied */
    ls__buf skel;           /* the top object's other members */
    ls__buf keyb;           /* the last member name, as written */
    int cap_depth;          /* frame depth where the row started; -1: none */
    int skel_depth;         /* the same for a skeleton member */
    int in_doc, has_msgs, has_list[2], failed;
    int fd[2];              /* spooled chat messages: chats, left_chats */
    uint64_t spooled[2];
    chat_id *ids[2];
    size_t n_ids[2], ids_cap[2];
};

static int nomem(ls__jstream *s)
{
    return ls__fail(s->e->ctx, LS_ERR_NOMEM, "%s:%" PRIu64 ": out of memory reading JSON", s->e->file, s->line);
}

static int io_fail(ls__jstream *s)
{
    return ls__fail(s->e->ctx, LS_ERR_IO, "%s: cannot write or read a temporary file in %s: %s", s->e->file,
                    ls__tmpdir(s->e->ctx), strerror(errno ? errno : EIO));
}

int ls__jstream_new(ls__env *e, const ls__js_rows *fns, ls__js_fn top, void *user, ls__jstream **out)
{
    ls__jstream *s = ls__calloc(1, sizeof *s);
    *out = NULL;
    if (!s) return ls__fail(e->ctx, LS_ERR_NOMEM, "%s: out of memory reading JSON", e->file);
    s->e = e;
    s->fns = fns;
    s->top = top;
    s->user = user;
    s->fd[0] = s->fd[1] = -1;
    s->cap_depth = s->skel_depth = -1;
    *out = s;
    return LS_OK;
}

void ls__jstream_free(ls__jstream *s)
{
    if (!s) return;
    for (int k = 0; k < 2; k++) {
        if (s->fd[k] >= 0) close(s->fd[k]);
        ls__free(s->ids[k]);
    }
    ls__free(s->f);
    ls__buf_free(&s->row);
    ls__buf_free(&s->skel);
    ls__buf_free(&s->keyb);
    ls__free(s);
}

void ls__jstream_at(ls__jstream *s, uint64_t line) { s->line = line; }

static int push(ls__jstream *s, int role, int obj)
{
    void *p = s->f;
    if (ls__grow(&p, &s->cap, s->n + 1, sizeof *s->f)) return nomem(s);
    s->f = p;
    frame *f = &s->f[s->n++];
    memset(f, 0, sizeof *f);
    f->role = (unsigned char)role;
    f->obj = (unsigned char)obj;
    f->want = obj ? W_KEY : W_VALUE;
    return LS_OK;
}

static int bad(ls__jstream *s, const char *what)
{
    s->failed = 1;
    return ls__env_diag(s->e, LS_DIAG_BAD_JSON, s->line, "%s (a large JSON document read row by row)", what);
}

/* Parses p[0..n) and hands it on: mode 0 a row, 1 a chat's message, 2
 * a whole (small) top-level value. */
static int deliver(ls__jstream *s, const char *p, size_t n, int mode, const char *chat)
{
    json_error_t err;
    json_t *v = json_loadb(p, n, JSON_ALLOW_NUL | JSON_DECODE_ANY, &err);
    if (!v) {
        if (json_error_code(&err) == json_error_out_of_memory) return nomem(s);
        return ls__env_diag(s->e, LS_DIAG_BAD_JSON, s->line0, "%s", err.text);
    }
    int st = mode == 0 ? s->fns->row(s->user, v, s->line0)
           : mode == 1 ? s->fns->chat_row(s->user, v, s->line0, chat)
                       : s->top(s->user, v, s->line0);
    json_decref(v);
    return st;
}

/* A chat message, spooled: its chat's index, its length, its bytes. */
static int spool(ls__jstream *s, int kind, uint32_t chat, const ls__buf *b)
{
    uint64_t hdr[2] = { chat, b->n };
    if ((s->fd[kind] < 0 && ls__spill_open(ls__tmpdir(s->e->ctx), &s->fd[kind])) ||
        ls__spill_write(s->fd[kind], hdr, sizeof hdr) || ls__spill_write(s->fd[kind], b->p, b->n))
        return io_fail(s);
    s->spooled[kind]++;
    return LS_OK;
}

static int row_done(ls__jstream *s)
{
    frame *f = &s->f[s->cap_depth - 1];
    int st;
    s->cap_depth = -1;
    if (f->role == R_MSGS && f->kind != 2) st = spool(s, f->kind, f->chat, &s->row);
    else st = deliver(s, s->row.p, s->row.n, 0, NULL);
    s->row.n = 0;
    return st;
}

static int set_chat_id(ls__jstream *s, int kind, uint32_t chat, const char *p, size_t n)
{
    char buf[32];
    if (n == 0 || n >= sizeof buf) return LS_OK;
    memcpy(buf, p, n);
    buf[n] = '\0';
    size_t i = buf[0] == '-';
    if (i == n) return LS_OK;
    for (; i < n; i++)
        if (buf[i] < '0' || buf[i] > '9') return LS_OK;   /* not an integer: jsonmap uses the place */
    errno = 0;
    long long v = strtoll(buf, NULL, 10);
    if (errno) return LS_OK;
    void *q = s->ids[kind];
    size_t old = s->ids_cap[kind];
    if (ls__grow(&q, &s->ids_cap[kind], (size_t)chat + 1, sizeof(chat_id))) return nomem(s);
    s->ids[kind] = q;
    memset(s->ids[kind] + old, 0, (s->ids_cap[kind] - old) * sizeof(chat_id));
    if (s->n_ids[kind] < (size_t)chat + 1) s->n_ids[kind] = (size_t)chat + 1;
    s->ids[kind][chat].has = 1;
    s->ids[kind][chat].id = v;
    return LS_OK;
}

/* The end of a document: the chats' spooled messages, or the skeleton. */
static int finish(ls__jstream *s, int root_obj)
{
    int st = LS_OK;
    if (root_obj && !s->has_msgs && (s->has_list[0] || s->has_list[1])) {
        ls__buf b = { 0 };
        for (int k = 0; k < 2 && st == LS_OK; k++) {
            uint64_t at = 0;
            for (uint64_t q = 0; q < s->spooled[k] && st == LS_OK; q++) {
                uint64_t hdr[2];
                char chat[64];
                if (ls__spill_pread(s->fd[k], hdr, sizeof hdr, at)) { st = io_fail(s); break; }
                /* Room for the message: grown by putting its length in
                 * bytes, then overwritten from the file. */
                b.n = 0;
                while (b.n < hdr[1] && st == LS_OK) {
                    static const char pad[4096];
                    if (ls__buf_put(&b, pad, (size_t)LS__MIN((uint64_t)sizeof pad, hdr[1] - b.n))) st = nomem(s);
                }
                if (st != LS_OK) break;
                if (hdr[1] && ls__spill_pread(s->fd[k], b.p, (size_t)hdr[1], at + sizeof hdr)) {
                    st = io_fail(s);
                    break;
                }
                at += sizeof hdr + hdr[1];
                if (hdr[0] < s->n_ids[k] && s->ids[k][hdr[0]].has)
                    snprintf(chat, sizeof chat, "%lld", s->ids[k][hdr[0]].id);
                else
                    snprintf(chat, sizeof chat, "chat%" PRIu64, hdr[0]);
                st = deliver(s, b.p, b.n, 1, chat);
            }
        }
        ls__buf_free(&b);
    } else if (root_obj && !s->has_msgs && !s->failed) {
        if (ls__buf_putc(&s->skel, '}')) return nomem(s);
        st = deliver(s, s->skel.p, s->skel.n, 2, NULL);
    }
    for (int k = 0; k < 2; k++) {
        if (s->fd[k] >= 0) close(s->fd[k]);
        s->fd[k] = -1;
        s->spooled[k] = 0;
        s->n_ids[k] = 0;
        s->has_list[k] = 0;
    }
    s->skel.n = 0;
    s->has_msgs = 0;
    s->in_doc = 0;
    return st;
}

/* Appends a token to the row and the skeleton member being copied. */
static int copy_tok(ls__jstream *s, const char *p, size_t n, int scalar)
{
    if (s->cap_depth >= 0 && (ls__buf_put(&s->row, p, n) || (scalar && ls__buf_putc(&s->row, ' '))))
        return nomem(s);
    if (s->skel_depth >= 0 && (ls__buf_put(&s->skel, p, n) || (scalar && ls__buf_putc(&s->skel, ' '))))
        return nomem(s);
    if (s->skel.n > LS__JS_SKEL_MAX) return bad(s, "the top-level object's members other than its rows are too large");
    if (s->row.n > LS__JS_SKEL_MAX) return bad(s, "a row larger than 1 GiB");
    return LS_OK;
}

static int key_is(const frame *f, const char *k) { return strcmp(f->key, k) == 0; }

/* A value starts with token p[0..n): t is '{' or '[' for a container,
 * 0 for a string or scalar. */
static int value(ls__jstream *s, int t, const char *p, size_t n)
{
    frame *f = s->n ? &s->f[s->n - 1] : NULL;
    int st;
    if (f) {
        if (f->want != W_VALUE) return bad(s, f->obj ? "a value where a member name belongs" : "a missing comma");
        f->want = W_COMMA;
        f->count++;
    }
    if (s->cap_depth >= 0 || s->skel_depth >= 0 || (f && f->role == R_CAP)) {
        if ((st = copy_tok(s, p, n, !t))) return st;
        return t ? push(s, R_CAP, t == '{') : LS_OK;
    }
    if (!f) {
        s->line0 = s->line;
        s->in_doc = 1;
        if (t == '[') return push(s, R_ROOT_ARR, 0);
        if (t == '{') {
            s->skel.n = 0;
            if (ls__buf_putc(&s->skel, '{')) return nomem(s);
            return push(s, R_ROOT_OBJ, 1);
        }
        s->in_doc = 0;
        return deliver(s, p, n, 2, NULL);
    }
    int role = f->role, kind = f->kind;
    uint32_t chat = f->chat;
    switch (role) {
    case R_ROOT_ARR:
    case R_MSGS:
        s->cap_depth = (int)s->n;
        s->row.n = 0;
        if ((st = copy_tok(s, p, n, !t))) return st;
        return t ? push(s, R_CAP, t == '{') : row_done(s);
    case R_ROOT_OBJ:
        if (key_is(f, "messages") && t == '[') {
            s->has_msgs = 1;
            if ((st = push(s, R_MSGS, 0))) return st;
            s->f[s->n - 1].kind = 2;
            return LS_OK;
        }
        if ((key_is(f, "chats") || key_is(f, "left_chats")) && t == '{') {
            if ((st = push(s, R_CHATS, 1))) return st;
            s->f[s->n - 1].kind = key_is(f, "chats") ? K_CHATS : K_LEFT;
            return LS_OK;
        }
        /* Another member: kept for the case that the object is a row. */
        if ((s->skel.n > 1 && ls__buf_putc(&s->skel, ',')) || ls__buf_put(&s->skel, s->keyb.p, s->keyb.n) ||
            ls__buf_putc(&s->skel, ':'))
            return nomem(s);
        s->skel_depth = (int)s->n;
        if ((st = copy_tok(s, p, n, !t))) return st;
        if (t) return push(s, R_CAP, t == '{');
        s->skel_depth = -1;
        return LS_OK;
    case R_CHATS:
        if (key_is(f, "list") && t == '[') {
            s->has_list[kind] = 1;
            if ((st = push(s, R_LIST, 0))) return st;
            s->f[s->n - 1].kind = (unsigned char)kind;
            return LS_OK;
        }
        break;
    case R_LIST:
        if (t == '{') {
            if ((st = push(s, R_CHAT, 1))) return st;
            s->f[s->n - 1].kind = (unsigned char)kind;
            s->f[s->n - 1].chat = (uint32_t)(f->count - 1);
            return LS_OK;
        }
        break;
    case R_CHAT:
        if (key_is(f, "id") && !t) return set_chat_id(s, kind, chat, p, n);
        if (key_is(f, "messages") && t == '[') {
            if ((st = push(s, R_MSGS, 0))) return st;
            s->f[s->n - 1].kind = (unsigned char)kind;
            s->f[s->n - 1].chat = chat;
            return LS_OK;
        }
        break;
    default:
        break;
    }
    /* Anything else is skipped. */
    return t ? push(s, R_SKIP, t == '{') : LS_OK;
}

static int close_tok(ls__jstream *s, char c)
{
    if (!s->n) return bad(s, "a closing bracket with nothing open");
    frame *f = &s->f[s->n - 1];
    if (f->obj != (c == '}')) return bad(s, "mismatched brackets");
    if (f->obj ? !(f->want == W_COMMA || (f->want == W_KEY && !f->count))
               : !(f->want == W_COMMA || (f->want == W_VALUE && !f->count)))
        return bad(s, "a trailing comma or a member without a value");
    int st, role = f->role, root_obj = role == R_ROOT_OBJ;
    if (role == R_CAP && (st = copy_tok(s, &c, 1, 0))) return st;
    s->n--;
    if ((int)s->n == s->cap_depth && role == R_CAP) return row_done(s);
    if ((int)s->n == s->skel_depth && role == R_CAP) s->skel_depth = -1;
    if (!s->n) return finish(s, root_obj);
    return LS_OK;
}

int ls__jstream_feed(ls__jstream *s, const char *p, size_t n)
{
    int st = LS_OK;
    for (size_t i = 0; i < n && st == LS_OK; i++) {
        char c = p[i];
        if (c == '\n') { s->line++; continue; }
        if (s->failed || c == ' ' || c == '\t' || c == '\r') continue;
        frame *f = s->n ? &s->f[s->n - 1] : NULL;
        int copy = f && f->role == R_CAP;
        switch (c) {
        case '{':
        case '[':
            st = value(s, c, p + i, 1);
            break;
        case '}':
        case ']':
            st = close_tok(s, c);
            break;
        case ',':
            if (!f || f->want != W_COMMA) { st = bad(s, "a misplaced comma"); break; }
            f->want = f->obj ? W_KEY : W_VALUE;
            if (copy) st = copy_tok(s, ",", 1, 0);
            break;
        case ':':
            if (!f || !f->obj || f->want != W_COLON) { st = bad(s, "a misplaced colon"); break; }
            f->want = W_VALUE;
            if (copy) st = copy_tok(s, ":", 1, 0);
            break;
        case '"': {
            size_t j = i + 1;
            while (j < n && p[j] != '"' && p[j] != '\n') j += p[j] == '\\' ? 2 : 1;
            if (j >= n || p[j] != '"') { st = bad(s, "a string that runs past the end of its line"); break; }
            size_t len = j + 1 - i;
            if (f && f->obj && f->want == W_KEY) {
                /* A member name: remembered (short ones) for the path. */
                f->want = W_COLON;
                f->key[0] = '\0';
                if (len - 2 < sizeof f->key) {
                    memcpy(f->key, p + i + 1, len - 2);
                    f->key[len - 2] = '\0';
                }
                if (copy) st = copy_tok(s, p + i, len, 0);
                s->keyb.n = 0;
                if (st == LS_OK && ls__buf_put(&s->keyb, p + i, len)) st = nomem(s);
            } else {
                st = value(s, 0, p + i, len);
            }
            i = j;
            break;
        }
        default: {
            size_t j = i;
            /* A scalar runs to the next delimiter; a NUL byte is part of it
             * (strchr would take it for one and never advance). */
            while (j < n && (p[j] == '\0' || !strchr(" \t\r\n{}[],:\"", p[j]))) j++;
            st = value(s, 0, p + i, j - i);
            i = j - 1;
            break;
        }
        }
    }
    return st;
}

int ls__jstream_end(ls__jstream *s)
{
    int st = LS_OK;
    if (!s->n) return LS_OK;
    int root_obj = s->f[0].role == R_ROOT_OBJ;
    if (!s->failed) st = bad(s, "the document ends before it closes");
    s->n = 0;
    if (st == LS_OK) st = finish(s, root_obj);
    return st;
}
