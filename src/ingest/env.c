/*
 * env.c — the parse environment between the parsers and the store
 * builder.  Every parser hands its posts to ls__env_post, which
 * normalises what must compare equal across formats and then adds the
 * post to the builder:
 *   - hashtags: a leading '#' or '＃' (U+FF03) is dropped, the rest is
 *     NFKC-normalised and casefolded with utf8proc (ASCII takes a fast
 *     path: lowercase only, which is what NFKC+casefold do to it);
 *   - URLs: ls__url_normalise (url.c); a URL without scheme and host is
 *     kept as written (trimmed) and gives no domain;
 *   - domains: the distinct domains the parser gave (a domain column) and
 *     hosts of the post's URLs, in first-seen order.
 * Problems are reported through ls__env_diag: counted by reason with a
 * "file:line: detail" example, and in strict mode turned into an
 * LS_ERR_PARSE naming file and line.  Two reasons are exempt from strict
 * mode: rt_author_recovered, which records a normal property of archive
 * retweets rather than damage, and stream_notice (a streaming API's
 * delete or limit message: no post by design).  Duplicate post ids (found by the builder)
 * are strict errors too.
 *
 * A projection ingest (ctx->ingest_skip, set by `network` on raw files)
 * first clears the post fields no later stage of the run reads.
 *
 * Size hint: once HINT_POSTS posts of an input have been handed on, the
 * rows still to come are estimated from the input's size and the bytes
 * read so far (compressed bytes for compressed input: the ratio is about
 * steady), and the builder makes room for them at once
 * (ls__builder_expect_posts / _events).  Without it the post id table
 * of 1M QUT rows was rebuilt 11 times on its way to 2M slots, and the
 * event columns copied while small: 15% of the time of `network
 * co_retweet` on that file.  The read-ahead makes the estimate a little
 * low, which costs one last regrowth at most.  A hint is only a hint:
 * when the room cannot be had, ingest goes on growing as it needs.
 *
 * e->b may be NULL (fuzz targets): everything is normalised and checked,
 * nothing is stored.  With e->q set (ingest.c, not in strict mode) the
 * builder calls go through the queue to the builder thread (envq.c).  The normalised strings live in e->scratch until the
 * next call.
 */
#include "envq.h"
#include "srcinfo.h"

#include <stdarg.h>
#include <utf8proc.h>

#define STACK_ITEMS 64

typedef struct { size_t off, len; } span;

/* Appends the normalised form of hashtag s to out; *sp gets its place. */
static int norm_hashtag(ls__buf *out, ls__str s, span *sp)
{
    int ascii = 1, st;
    for (size_t i = 0; i < s.n; i++)
        if ((unsigned char)s.p[i] >= 0x80) { ascii = 0; break; }
    size_t at = out->n;
    if (ascii) {
        if ((st = ls__buf_put(out, s.p, s.n))) return st;
        for (size_t i = at; i < out->n; i++)
            if (out->p[i] >= 'A' && out->p[i] <= 'Z') out->p[i] = (char)(out->p[i] + 32);
    } else {
        const utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                      UTF8PROC_CASEFOLD;
        int32_t small[256], *cp = small;
        utf8proc_ssize_t n = utf8proc_decompose((const utf8proc_uint8_t *)s.p, (utf8proc_ssize_t)s.n,
                                                cp, 256, opt);
        if (n > 256) {
            cp = ls__malloc((size_t)n * sizeof *cp + 4);
            if (!cp) return LS_ERR_NOMEM;
            n = utf8proc_decompose((const utf8proc_uint8_t *)s.p, (utf8proc_ssize_t)s.n, cp, n, opt);
        }
        if (n >= 0) n = utf8proc_reencode(cp, n, opt);
        /* Invalid UTF-8 (parsers repair it, but fuzzers need not): keep as is. */
        st = n >= 0 ? ls__buf_put(out, (const char *)cp, (size_t)n) : ls__buf_put(out, s.p, s.n);
        if (cp != small) ls__free(cp);
        if (st) return st;
    }
    /* Drop leading '#' (NFKC has turned '＃' into '#' already). */
    size_t k = at;
    while (k < out->n && out->p[k] == '#') k++;
    while (k + 2 < out->n && (unsigned char)out->p[k] == 0xEF && (unsigned char)out->p[k + 1] == 0xBC &&
           (unsigned char)out->p[k + 2] == 0x83)
        k += 3;
    sp->off = k;
    sp->len = out->n - k;
    return LS_OK;
}

/* Allocates n spans, on the stack when n is small. */
static span *spans(span *stack, size_t n)
{
    return n <= STACK_ITEMS ? stack : ls__malloc(n * sizeof(span));
}

/* Posts of an input before its size hint (about 1 MB of QUT rows). */
#define HINT_POSTS 16384

static int size_hint(ls__env *e)
{
    uint64_t total = ls__src_total_bytes(e->src), got = ls__src_raw_bytes(e->src);
    if (!e->b || !total || !got || got >= total) return LS_OK;
    double rows_left = (double)e->posts * (double)(total - got) / (double)got;
    /* An estimate too high would cost memory (a post table's slots are
     * touched all over as it fills): never more than an eighth of the
     * memory budget in slots (48 bytes an id at most). */
    size_t ids_max = (size_t)(ls__memory_budget(e->ctx) / 8 / 48);
    if (!(rows_left >= 1) || rows_left > 4e9) return LS_OK;
    /* The post ids and the event columns are reserved by whichever thread
     * owns them (envq.c). */
    if (e->q) return ls__envq_expect(e->q, (size_t)rows_left, e->posts, e->post_ids0, ids_max);
    ls__builder_expect_posts_from(e->b, (size_t)rows_left, e->posts, e->post_ids0, ids_max);
    ls__builder_expect_events(e->b, (size_t)rows_left);
    return LS_OK;
}

static ls__str *strs(ls__str *stack, size_t n)
{
    return n <= STACK_ITEMS ? stack : ls__malloc(n * sizeof(ls__str));
}

/* Clears the fields of a post that e->ctx->ingest_skip leaves out. */
static void skip_fields(ls__rec *r, unsigned skip)
{
    if (skip & LS__SKIP_TEXT) r->text = (ls__str){ 0 };
    if (skip & LS__SKIP_TAGS) r->n_hashtags = 0;
    if (skip & LS__SKIP_LINKS) r->n_urls = r->n_domains = 0;
    if (skip & LS__SKIP_IMAGES) r->n_images = 0;
    if (skip & LS__SKIP_NAMES) r->screen_name = r->ref_screen_name = (ls__str){ 0 };
    if (skip & LS__SKIP_PROFILE) {
        r->display_name = r->lang = r->client = r->account_lang = (ls__str){ 0 };
        r->location = r->description = r->profile_url = (ls__str){ 0 };
        r->likes = r->retweets = r->replies = r->quotes = r->followers = r->following = -1;
        r->created_ms = LS__TIME_NONE;
    }
}

int ls__env_post(ls__env *e, ls__rec *r, uint64_t line)
{
    ls__rec proj;
    if (e->ctx && e->ctx->ingest_skip) {
        proj = *r;
        skip_fields(&proj, e->ctx->ingest_skip);
        r = &proj;
    }
    span tag_st[STACK_ITEMS], url_st[STACK_ITEMS], host_st[STACK_ITEMS];
    ls__str tag_s[STACK_ITEMS], url_s[STACK_ITEMS], dom_s[STACK_ITEMS];
    span *tag = spans(tag_st, r->n_hashtags), *url = spans(url_st, r->n_urls);
    span *host = spans(host_st, r->n_urls);
    ls__str *tags = strs(tag_s, r->n_hashtags), *urls = strs(url_s, r->n_urls);
    ls__str *doms = strs(dom_s, r->n_urls + r->n_domains);
    size_t nt = 0, nu = 0, nd = 0;
    int st = LS_OK;
    ls__buf *out = &e->scratch;
    ls__rec rec = *r;

    if (!tag || !url || !host || !tags || !urls || !doms) { st = LS_ERR_NOMEM; goto done; }
    out->n = 0;
    for (size_t i = 0; i < r->n_hashtags; i++) {
        if ((st = norm_hashtag(out, r->hashtags[i], &tag[nt]))) goto done;
        if (tag[nt].len) nt++;
    }
    for (size_t i = 0; i < r->n_urls; i++) {
        size_t at = out->n, hoff = 0, hlen = 0;
        st = ls__url_normalise(r->urls[i], out, &hoff, &hlen);
        if (st == LS_ERR_PARSE) st = LS_OK;
        if (st) goto done;
        if (out->n == at) continue;            /* blank */
        url[nu].off = at;
        url[nu].len = out->n - at;
        host[nu].off = hoff;
        host[nu].len = hlen;
        nu++;
    }
    /* out no longer grows: slices into it are stable from here on. */
    for (size_t i = 0; i < nt; i++) tags[i] = (ls__str){ out->p + tag[i].off, tag[i].len };
    /* Domains the parser gave (a domain column) come first, then the hosts
     * of the URLs; each distinct one once. */
    for (size_t i = 0; i < r->n_domains; i++) {
        size_t k = 0;
        if (!r->domains[i].n) continue;
        while (k < nd && !ls__str_eq(doms[k], r->domains[i])) k++;
        if (k == nd) doms[nd++] = r->domains[i];
    }
    for (size_t i = 0; i < nu; i++) {
        urls[i] = (ls__str){ out->p + url[i].off, url[i].len };
        if (!host[i].len) continue;
        ls__str h = { out->p + host[i].off, host[i].len };
        size_t k = 0;
        while (k < nd && !ls__str_eq(doms[k], h)) k++;
        if (k == nd) doms[nd++] = h;
    }
    rec.hashtags = tags;
    rec.n_hashtags = nt;
    rec.urls = urls;
    rec.n_urls = nu;
    rec.domains = doms;
    rec.n_domains = nd;
    if (e->src && ++e->posts == HINT_POSTS && (st = size_hint(e))) goto done;
    if (e->q) {
        st = ls__envq_post(e->q, &rec, line);
    } else if (e->b) {
        ls__diag *d = ls__builder_diag_table(e->b);
        uint64_t dup = d->count[LS_DIAG_DUPLICATE], miss = d->count[LS_DIAG_MISSING_ID];
        if ((st = ls__builder_add_post(e->b, &rec, e->file, line))) goto done;
        if (e->strict && d->count[LS_DIAG_DUPLICATE] != dup) {
            st = ls__fail(e->ctx, LS_ERR_PARSE, "%s:%llu: %s: post id %.*s", e->file ? e->file : "-",
                          (unsigned long long)line, ls__diag_text(LS_DIAG_DUPLICATE),
                          (int)LS__MIN(r->post_id.n, 80), r->post_id.p);
            goto done;
        }
        if (e->strict && d->count[LS_DIAG_MISSING_ID] != miss) {
            st = ls__fail(e->ctx, LS_ERR_PARSE, "%s:%llu: %s", e->file ? e->file : "-",
                          (unsigned long long)line, ls__diag_text(LS_DIAG_MISSING_ID));
            goto done;
        }
    }
done:
    if (st == LS_ERR_NOMEM) st = ls__fail(e->ctx, st, "out of memory normalising a post");
    if (tag != tag_st) ls__free(tag);
    if (url != url_st) ls__free(url);
    if (host != host_st) ls__free(host);
    if (tags != tag_s) ls__free(tags);
    if (urls != url_s) ls__free(urls);
    if (doms != dom_s) ls__free(doms);
    return st;
}

int ls__env_account(ls__env *e, const ls__acct *a)
{
    if (e->q) return ls__envq_account(e->q, a);
    return e->b ? ls__builder_add_account(e->b, a) : LS_OK;
}

int ls__env_diag(ls__env *e, int reason, uint64_t line, const char *fmt, ...)
{
    char detail[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    if (e->q) {
        int st = ls__envq_diag(e->q, reason, line, detail);
        if (st) return st;
    } else if (e->b) {
        ls__builder_diag(e->b, reason, e->file, line, detail);
    }
    if (e->strict && reason != LS_DIAG_RT_RECOVERED && reason != LS_DIAG_NOTICE)
        return ls__fail(e->ctx, LS_ERR_PARSE, "%s:%llu: %s: %s", e->file ? e->file : "-",
                        (unsigned long long)line, ls__diag_text(reason), detail);
    return LS_OK;
}
