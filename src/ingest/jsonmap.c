/*
 * jsonmap.c — JSON lines that are neither API v1.1 nor v2 (other tools' and
 * generators' own schemas: {"user_id": "u1", "tweet_id": "9", "timestamp":
 * 1577872800, "retweet_of": "7", "hashtags": ["a", "b"]}), read through the
 * mapped-CSV reader (csvmap.c) one object at a time.
 *
 * The members of the first objects (up to HEAD_OBJECTS of them, one in
 * strict mode) are the "header": top-level names in the order first met,
 * and for a member that is an object, its members as "outer.inner" (one
 * level: {"user": {"id": ..}} gives "user.id", which the guess reads as
 * user_id).  Several objects, because a member that is null in the first
 * one is an object in others: Mastodon's "reblog" is null except in
 * boosts, and "reblog.id" is what makes a boost a retweet.  Those objects
 * are kept (deep copies: the parsing threads own their trees) until the
 * header is made, then read in order.  With --map those names are the
 * columns; without it the map is guessed from them (csvguess.c) and
 * printed.  Each object's
 * values are then taken by those names: strings as they are, integers in
 * decimal, other numbers as %.17g (unix times with fractions), true/false,
 * null and absent members as empty, arrays as their items joined by tabs
 * (a list column splits bare values at white space); an item that is an
 * object (entity lists: Mastodon's tags [{"name": ..}], Twitter's
 * entities.urls [{"expanded_url": ..}]) stands for the first of its
 * members named in item_keys below.  Members the
 * first objects lack are not read (docs/ingest.md says so); a top-level
 * array is read as its elements, each a row on the array's line, and so is
 * the "messages" array of a top-level object (a Telegram chat export:
 * {"name": .., "type": .., "messages": [..]}).  A Telegram full-account
 * export ({"chats": {"list": [chat, ..]}, "left_chats": {"list": [..]}})
 * is read chat by chat; since message ids restart in every chat, each
 * message's "id" and "reply_to_message_id" become "CHAT:ID" there (the
 * chat's "id"), so that messages of different chats are different posts.
 *
 * Everything else (bad lines, empty lines, invalid UTF-8, threads) is the
 * JSON reader's (jsonread.c), and posts are merged, checked and counted
 * exactly as in the mapped CSV.
 */
#include "csvrow.h"
#include "jsonutil.h"

#include <inttypes.h>
#include <stdio.h>

#define JM_MAX_NAMES 512
#define HEAD_OBJECTS 1000

typedef struct jm {
    ls__env *e;
    ls__csvmap *m;
    char *names[JM_MAX_NAMES];    /* "key" or "outer.inner" */
    size_t n;
    ls__str v[JM_MAX_NAMES];
    ls__buf vals;                 /* the values of one object */
    size_t off[JM_MAX_NAMES], len[JM_MAX_NAMES];
    json_t **head;                /* the first objects, until the header */
    uint64_t *head_line;
    size_t n_head, head_cap, line_cap, head_max;
} jm;

static int add_name(jm *j, const char *a, const char *b)
{
    if (j->n >= JM_MAX_NAMES) return LS_OK;          /* the rest are not read */
    size_t la = strlen(a), lb = b ? strlen(b) : 0;
    for (size_t i = 0; i < j->n; i++)                 /* met in an earlier object */
        if (strncmp(j->names[i], a, la) == 0 &&
            (b ? j->names[i][la] == '.' && strcmp(j->names[i] + la + 1, b) == 0 : j->names[i][la] == '\0'))
            return LS_OK;
    char *s = ls__malloc(la + (b ? lb + 1 : 0) + 1);
    if (!s) return LS_ERR_NOMEM;
    memcpy(s, a, la);
    if (b) { s[la] = '.'; memcpy(s + la + 1, b, lb); la += lb + 1; }
    s[la] = '\0';
    j->names[j->n++] = s;
    return LS_OK;
}

/* The header from the first objects. */
static int header(jm *j)
{
    const char *k, *k2;
    json_t *x, *y;
    int rc;
    for (size_t i = 0; i < j->n_head; i++)
        json_object_foreach(j->head[i], k, x) {
            if (json_is_object(x)) {
                json_object_foreach(x, k2, y)
                    if (!json_is_object(y) && (rc = add_name(j, k, k2)) != LS_OK) return rc;
            } else if ((rc = add_name(j, k, NULL)) != LS_OK) {
                return rc;
            }
        }
    ls__str h[JM_MAX_NAMES];
    for (size_t i = 0; i < j->n; i++) h[i] = ls__str_c(j->names[i]);
    ls__csv_row row = { j->n, h, 1, 0 };
    return ls__csvmap_open(j->e, &row, "members in its first objects", &j->m);
}

/* Appends the text of scalar x to the values (nothing for null, objects). */
static int put_scalar(ls__buf *b, const json_t *x)
{
    char t[40];
    int n = 0;
    switch (json_typeof(x)) {
    case JSON_STRING: return ls__buf_put(b, json_string_value(x), json_string_length(x));
    case JSON_INTEGER: n = snprintf(t, sizeof t, "%" PRId64, (int64_t)json_integer_value(x)); break;
    case JSON_REAL: n = snprintf(t, sizeof t, "%.17g", json_real_value(x)); break;
    case JSON_TRUE: return ls__buf_put(b, "true", 4);
    case JSON_FALSE: return ls__buf_put(b, "false", 5);
    default: return LS_OK;
    }
    return ls__buf_put(b, t, (size_t)n);
}

/* The members an object in a list stands for, most telling first: an
 * expanded URL before the short one, an id before a name. */
static const char *const item_keys[] = {
    "expanded_url", "id_str", "id", "name", "tag", "text", "acct", "username", "screen_name", "url",
};

/* Appends the text of a list item: a scalar, or an object's item key. */
static int put_item(ls__buf *b, const json_t *x)
{
    if (json_is_object(x))
        for (size_t i = 0; i < sizeof item_keys / sizeof item_keys[0]; i++) {
            const json_t *v = json_object_get(x, item_keys[i]);
            if (v && !json_is_object(v) && !json_is_array(v) && !json_is_null(v)) return put_scalar(b, v);
        }
    return put_scalar(b, x);
}

/* Member name (possibly "outer.inner") of o. */
static const json_t *member(const json_t *o, const char *name)
{
    const json_t *x = json_object_get(o, name);
    if (x) return x;
    const char *dot = strchr(name, '.');
    if (!dot) return NULL;
    char outer[256];
    size_t n = (size_t)(dot - name);
    if (n >= sizeof outer) return NULL;
    memcpy(outer, name, n);
    outer[n] = '\0';
    return ls__js_get(json_object_get(o, outer), dot + 1);
}

static int row(jm *j, json_t *o, uint64_t line)
{
    int rc;
    j->vals.n = 0;
    for (size_t i = 0; i < j->n; i++) {
        const json_t *x = member(o, j->names[i]);
        j->off[i] = j->vals.n;
        if (json_is_array(x)) {
            size_t k;
            const json_t *it;
            json_array_foreach(x, k, it) {
                if (k && (rc = ls__buf_putc(&j->vals, '\t')) != LS_OK) return rc;
                if ((rc = put_item(&j->vals, it)) != LS_OK) return rc;
            }
        } else if (x && (rc = put_scalar(&j->vals, x)) != LS_OK) {
            return rc;
        }
        j->len[i] = j->vals.n - j->off[i];
    }
    for (size_t i = 0; i < j->n; i++) j->v[i] = (ls__str){ j->vals.p ? j->vals.p + j->off[i] : "", j->len[i] };
    return ls__csvmap_row(j->m, j->v, line);
}

/* Makes the header from the objects kept, then reads them. */
static int flush_head(jm *j)
{
    int rc = header(j);
    for (size_t i = 0; i < j->n_head; i++) {
        if (rc == LS_OK) rc = row(j, j->head[i], j->head_line[i]);
        json_decref(j->head[i]);
    }
    j->n_head = 0;
    return rc;
}

static int take(jm *j, json_t *v, uint64_t line, int top);

/* Member key of message m ("id" or "reply_to_message_id"), a number or a
 * string, becomes "CHAT:VALUE". */
static int qualify(jm *j, json_t *m, const char *key, const char *chat)
{
    json_t *x = json_object_get(m, key);
    char buf[160];
    if (json_is_integer(x))
        snprintf(buf, sizeof buf, "%s:%" JSON_INTEGER_FORMAT, chat, json_integer_value(x));
    else if (json_is_string(x))
        snprintf(buf, sizeof buf, "%s:%s", chat, json_string_value(x));
    else
        return LS_OK;
    if (json_object_set_new(m, key, json_string(buf)) != 0)
        return ls__fail(j->e->ctx, LS_ERR_NOMEM, "%s: out of memory", j->e->file);
    return LS_OK;
}

/* A message of chat `chat` of a full-account export: its ids qualified
 * by the chat's, then taken as a row. */
static int take_chat_msg(jm *j, json_t *m, uint64_t line, const char *chat)
{
    int rc;
    if (json_is_object(m) &&
        ((rc = qualify(j, m, "id", chat)) || (rc = qualify(j, m, "reply_to_message_id", chat))))
        return rc;
    return take(j, m, line, 0);
}

/* The chats of a full-account export's list (chats or left_chats): each
 * chat's messages, their ids qualified by the chat's. */
static int take_chats(jm *j, const json_t *list, uint64_t line)
{
    size_t k, i;
    json_t *chat, *m;
    int rc;
    json_array_foreach(list, k, chat) {
        json_t *msgs = json_is_object(chat) ? json_object_get(chat, "messages") : NULL;
        if (!json_is_array(msgs)) continue;
        json_t *cid = json_object_get(chat, "id");
        char id[64];
        if (json_is_integer(cid)) snprintf(id, sizeof id, "%" JSON_INTEGER_FORMAT, json_integer_value(cid));
        else snprintf(id, sizeof id, "chat%zu", k);
        json_array_foreach(msgs, i, m)
            if ((rc = take_chat_msg(j, m, line, id)) != LS_OK) return rc;
    }
    return LS_OK;
}

/* A value of the input: a row, an array of rows, or (at the top) a chat
 * export whose "messages" array holds the rows, or a full-account export
 * whose chats do. */
static int take(jm *j, json_t *v, uint64_t line, int top)
{
    const json_t *msgs = top && json_is_object(v) ? json_object_get(v, "messages") : NULL;
    if (msgs && json_is_array(msgs)) v = (json_t *)msgs;
    if (top && json_is_object(v) && !msgs) {
        const char *lists[2] = { "chats", "left_chats" };
        int found = 0, rc;
        for (int k = 0; k < 2; k++) {
            const json_t *c = json_object_get(v, lists[k]);
            const json_t *list = json_is_object(c) ? json_object_get(c, "list") : NULL;
            if (!json_is_array(list)) continue;
            found = 1;
            if ((rc = take_chats(j, list, line)) != LS_OK) return rc;
        }
        if (found) return LS_OK;
    }
    if (json_is_array(v)) {
        size_t k;
        json_t *it;
        int rc;
        json_array_foreach(v, k, it)
            if ((rc = take(j, it, line, 0)) != LS_OK) return rc;
        return LS_OK;
    }
    if (!json_is_object(v))
        return ls__env_diag(j->e, LS_DIAG_BAD_JSON, line, "not a JSON object");
    /* A Telegram service message (a call, a member joining, a pinned
     * message) is not a post: skipped, like a stream notice, and kept out
     * of the header, whose guess would otherwise take its actor_id. */
    const json_t *type = json_object_get(v, "type");
    if (json_is_string(type) && strcmp(json_string_value(type), "service") == 0 &&
        json_object_get(v, "action"))
        return ls__env_diag(j->e, LS_DIAG_NOTICE, line, "Telegram service message");
    if (j->m) return row(j, v, line);
    /* Still gathering the header's objects. */
    if (ls__grow((void **)&j->head, &j->head_cap, j->n_head + 1, sizeof *j->head) != LS_OK ||
        ls__grow((void **)&j->head_line, &j->line_cap, j->n_head + 1, sizeof *j->head_line) != LS_OK ||
        !(j->head[j->n_head] = json_deep_copy(v)))
        return ls__fail(j->e->ctx, LS_ERR_NOMEM, "%s: out of memory", j->e->file);
    j->head_line[j->n_head++] = line;
    return j->n_head < j->head_max ? LS_OK : flush_head(j);
}

static int on_value(void *user, json_t *v, uint64_t line)
{
    return take(user, v, line, 1);
}

/* A large document read row by row (jsonstream.c). */
static int on_row(void *user, json_t *v, uint64_t line)
{
    return take(user, v, line, 0);
}
static int on_chat_row(void *user, json_t *v, uint64_t line, const char *chat)
{
    return take_chat_msg(user, v, line, chat);
}
static const ls__js_rows rows_fns = { on_row, on_chat_row };

int ls__parse_jsonmap(ls__env *e, ls__src *src)
{
    jm *j = ls__calloc(1, sizeof *j);
    if (!j) return ls__fail(e->ctx, LS_ERR_NOMEM, "%s: out of memory", e->file);
    j->e = e;
    /* In strict mode the first bad row must stop the run at once. */
    j->head_max = e->strict ? 1 : HEAD_OBJECTS;
    int rc = ls__js_read_rows(e, src, on_value, &rows_fns, j);
    if (rc == LS_OK && j->n_head) rc = flush_head(j);
    for (size_t i = 0; i < j->n_head; i++) json_decref(j->head[i]);
    int rc2 = ls__csvmap_close(j->m, rc == LS_OK);
    if (rc == LS_OK) rc = rc2;
    for (size_t i = 0; i < j->n; i++) ls__free(j->names[i]);
    ls__buf_free(&j->vals);
    ls__free(j->head);
    ls__free(j->head_line);
    ls__free(j);
    return rc;
}
