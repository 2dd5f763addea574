/*
 * release.c — the transparency release: the networks' accounts and posts
 * in the Twitter Information-Operations archive format (tweets.csv with
 * the 31 columns tweetid .. poll_choices, users.csv with the 10 columns
 * userid .. account_language), the format researchers already read and
 * `lockstep ingest --format io` reads back.
 *
 * Pseudonymisation follows the platform's practice: an account with fewer
 * than 5,000 followers (or an unknown count) is published under keyed
 * pseudonyms (pseudo.c), everywhere it appears: userid, screen and display
 * name, in_reply_to_userid, retweet_userid, user_mentions, and "@name" in
 * texts and descriptions (which covers "RT @name:" prefixes).  A name in a
 * text stays only when every account in the store with that name is kept
 * (>= 5,000 followers); an @name the store does not know is pseudonymised.
 * Profile links in texts and URL lists (twitter.com/name/status/...) are
 * names too.
 * Profile URLs of pseudonymised accounts are left empty (a personal site
 * names its owner); tweet ids stay, since they carry the time.
 * Rows follow the store's order (time), users the run's order.
 *
 * An output path ending in ".zip" gets the release as one zip (tweets.csv,
 * users.csv, manifest.json; zipout.c), written from a staging folder
 * beside it that is removed afterwards, whatever happens.
 */
#include "out.h"
#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define LS__KEEP_FOLLOWERS 5000
#define FLUSH_AT (1u << 20)

static const char TWEETS_HEADER[] =
    "tweetid,userid,user_display_name,user_screen_name,user_reported_location,"
    "user_profile_description,user_profile_url,follower_count,following_count,"
    "account_creation_date,account_language,tweet_language,tweet_text,tweet_time,"
    "tweet_client_name,in_reply_to_userid,in_reply_to_tweetid,quoted_tweet_tweetid,"
    "is_retweet,retweet_userid,retweet_tweetid,latitude,longitude,quote_count,"
    "reply_count,like_count,retweet_count,hashtags,urls,user_mentions,poll_choices\n";
static const char USERS_HEADER[] =
    "userid,user_display_name,user_screen_name,user_reported_location,"
    "user_profile_description,user_profile_url,follower_count,following_count,"
    "account_creation_date,account_language\n";

typedef struct arch {
    ls_ctx *ctx;
    const ls_store *st;
    ls__pseudo key;
    uint8_t *keep;          /* per account: published as is */
    ls__intern names;       /* lowercase screen names */
    uint8_t *name_keep;     /* per name: every account with it is kept */
    size_t name_cap;
    ls__buf tmp, low, url;
    /* Per-account caches: the 10 profile columns (userid .. account_language,
     * exactly a users.csv row) and the published id, computed on first use,
     * since an account's columns repeat on every one of its posts. */
    ls__buf frag;               /* all fragments back to back */
    uint64_t *frag_off;         /* per account: offset + 1 into frag (0 = not yet) */
    uint32_t *frag_len;
    char (*pid)[45];            /* published id ("" = not yet) */
} arch;

static ls__str sget(const ls_store *st, int ns, uint32_t id)
{
    if (id == LS__NONE || id >= st->ns[ns].n) return (ls__str){ "", 0 };
    return ls__strtab_get(&st->ns[ns], id);
}

static int lower(ls__buf *b, const char *s, size_t n)
{
    b->n = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (ls__buf_putc(b, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c)) != LS_OK) return LS_ERR_NOMEM;
    }
    return LS_OK;
}

static bool keep_name(void *arg, const char *name, size_t n)
{
    arch *A = arg;
    if (lower(&A->low, name, n) != LS_OK) return false;   /* fail closed: pseudonymise */
    uint32_t id = ls__intern_find(&A->names, (ls__str){ A->low.p, A->low.n });
    return id != LS__NONE && A->name_keep[id];
}

static int build_keep(arch *A)
{
    const ls_store *st = A->st;
    size_t n = st->ns[LS_NS_ACCOUNT].n;
    if (!(A->keep = ls__calloc(n ? n : 1, 1))) return LS_ERR_NOMEM;
    for (size_t a = 0; a < n; a++) {
        A->keep[a] = st->acc_followers[a] >= LS__KEEP_FOLLOWERS;
        ls__str nm = sget(st, LS_NS_NAME, st->acc_screen[a]);
        if (!nm.n) continue;
        uint32_t id;
        if (lower(&A->low, nm.p, nm.n) != LS_OK ||
            ls__intern_put(&A->names, (ls__str){ A->low.p, A->low.n }, &id) != LS_OK)
            return LS_ERR_NOMEM;
        if (id >= A->name_cap) {
            size_t old = A->name_cap;
            if (ls__grow((void **)&A->name_keep, &A->name_cap, id + 1, 1) != LS_OK) return LS_ERR_NOMEM;
            memset(A->name_keep + old, 1, A->name_cap - old);
        }
        A->name_keep[id] &= A->keep[a];
    }
    return LS_OK;
}

/* An account id as published. */
static int put_id(arch *A, ls__buf *b, uint32_t acc)
{
    ls__str id = sget(A->st, LS_NS_ACCOUNT, acc);
    if (!id.n) return LS_OK;
    if (A->keep[acc]) return ls__outcsv(b, id.p, id.n);
    if (!A->pid[acc][0]) ls__pseudo_id(&A->key, id.p, id.n, A->pid[acc]);
    return ls__buf_put(b, A->pid[acc], 44);
}

/* A name (screen or display) of acc as published; pseudonymised accounts
 * show their screen-name pseudonym in both. */
static int put_name(arch *A, ls__buf *b, uint32_t acc, uint32_t name_id)
{
    ls__str nm = sget(A->st, LS_NS_NAME, name_id);
    if (A->keep[acc]) return ls__outcsv(b, nm.p, nm.n);
    ls__str sn = sget(A->st, LS_NS_NAME, A->st->acc_screen[acc]);
    if (!sn.n) return LS_OK;
    char ps[16];
    ls__pseudo_name(&A->key, sn.p, sn.n, ps);
    return ls__buf_put(b, ps, 15);
}

/* Free text with @names pseudonymised. */
static int put_text(arch *A, ls__buf *b, ls__str s)
{
    A->tmp.n = 0;
    int rc = ls__pseudo_text(&A->key, &A->tmp, s.p, s.n, keep_name, A);
    return rc == LS_OK ? ls__outcsv(b, A->tmp.p, A->tmp.n) : rc;
}

static int put_count(ls__buf *b, int64_t v)
{
    return v >= 0 ? ls__buf_printf(b, "%lld", (long long)v) : LS_OK;
}

/* One item of a Python-style list: single quotes, \ and ' escaped. */
static int py_item(ls__buf *b, const char *s, size_t n, int first)
{
    int rc = ls__buf_put(b, first ? "'" : ", '", first ? 1 : 3);
    for (size_t i = 0; rc == LS_OK && i < n; i++) {
        char c = s[i];
        if (c == '\\' || c == '\'') rc = ls__buf_putc(b, '\\'), rc = rc ? rc : ls__buf_putc(b, c);
        else if (c == '\n') rc = ls__buf_put(b, "\\n", 2);
        else if (c == '\r') rc = ls__buf_put(b, "\\r", 2);
        else if (c == '\t') rc = ls__buf_put(b, "\\t", 2);
        else rc = ls__buf_putc(b, c);
    }
    return rc == LS_OK ? ls__buf_putc(b, '\'') : rc;
}

/* The list of entries of type t of event i as a CSV field. */
static int put_list(arch *A, ls__buf *b, uint64_t i, int t)
{
    const ls_store *st = A->st;
    ls__buf *l = &A->tmp;
    int first = 1, rc = LS_OK;
    l->n = 0;
    rc = ls__buf_putc(l, '[');
    for (uint32_t j = st->ev_list[i]; rc == LS_OK && j < st->ev_list[i + 1]; j++) {
        if (st->li_type[j] != t) continue;
        uint32_t id = st->li_id[j];
        if (t == LS_LI_HASHTAG) { ls__str s = sget(st, LS_NS_HASHTAG, id); rc = py_item(l, s.p, s.n, first); }
        else if (t == LS_LI_URL) {
            ls__str s = sget(st, LS_NS_URL, id);
            A->url.n = 0;
            rc = ls__pseudo_text(&A->key, &A->url, s.p, s.n, keep_name, A);
            if (rc == LS_OK) rc = py_item(l, A->url.p ? A->url.p : "", A->url.n, first);
        }
        else {
            ls__str s = sget(st, LS_NS_ACCOUNT, id);
            if (s.n && !A->keep[id]) {
                if (!A->pid[id][0]) ls__pseudo_id(&A->key, s.p, s.n, A->pid[id]);
                s = (ls__str){ A->pid[id], 44 };
            }
            rc = py_item(l, s.p, s.n, first);
        }
        first = 0;
    }
    if (rc == LS_OK) rc = ls__buf_putc(l, ']');
    if (rc != LS_OK) return rc;
    /* Copy out of tmp before ls__outcsv could reuse it (it does not). */
    return ls__outcsv(b, l->p, l->n);
}

/* Profile columns shared by both files: location .. account_language.
 * with_url writes the profile URL column too. */
static int put_profile(arch *A, ls__buf *b, uint32_t acc)
{
    const ls_store *st = A->st;
    char day[16] = "";
    int rc;
    if (st->acc_created[acc] != LS__TIME_NONE) ls__fmt_day(st->acc_created[acc], day);
    ls__str url = A->keep[acc] ? sget(st, LS_NS_MISC, st->acc_url[acc]) : (ls__str){ "", 0 };
    if ((rc = ls__outcsv(b, sget(st, LS_NS_MISC, st->acc_location[acc]).p,
                         sget(st, LS_NS_MISC, st->acc_location[acc]).n)) != LS_OK ||
        (rc = ls__buf_putc(b, ',')) != LS_OK ||
        (rc = put_text(A, b, sget(st, LS_NS_MISC, st->acc_description[acc]))) != LS_OK ||
        (rc = ls__buf_putc(b, ',')) != LS_OK ||
        (rc = ls__outcsv(b, url.p, url.n)) != LS_OK ||
        (rc = ls__buf_putc(b, ',')) != LS_OK ||
        (rc = put_count(b, st->acc_followers[acc])) != LS_OK ||
        (rc = ls__buf_putc(b, ',')) != LS_OK ||
        (rc = put_count(b, st->acc_following[acc])) != LS_OK ||
        (rc = ls__buf_printf(b, ",%s,", day)) != LS_OK)
        return rc;
    if (st->acc_lang[acc] != 0xFFFF) {
        ls__str l = sget(st, LS_NS_LANG, st->acc_lang[acc]);
        rc = ls__outcsv(b, l.p, l.n);
    }
    return rc;
}

static int put_name(arch *A, ls__buf *b, uint32_t acc, uint32_t name_id);

/* The 10 profile columns of acc (cached). */
static int put_account(arch *A, ls__buf *b, uint32_t acc)
{
    int rc;
    if (!A->frag_off[acc]) {
        size_t start = A->frag.n;
        ls__buf *f = &A->frag;
        if ((rc = put_id(A, f, acc)) != LS_OK || (rc = ls__buf_putc(f, ',')) != LS_OK ||
            (rc = put_name(A, f, acc, A->st->acc_display[acc])) != LS_OK || (rc = ls__buf_putc(f, ',')) != LS_OK ||
            (rc = put_name(A, f, acc, A->st->acc_screen[acc])) != LS_OK || (rc = ls__buf_putc(f, ',')) != LS_OK ||
            (rc = put_profile(A, f, acc)) != LS_OK) {
            f->n = start;
            return rc;
        }
        A->frag_off[acc] = start + 1;
        A->frag_len[acc] = (uint32_t)(f->n - start);
    }
    return ls__buf_put(b, A->frag.p + A->frag_off[acc] - 1, A->frag_len[acc]);
}

static int flush(ls_ctx *ctx, ls__afile *af, ls__buf *b, int force)
{
    if (!force && b->n < FLUSH_AT) return LS_OK;
    if (b->n && fwrite(b->p, 1, b->n, af->f) != b->n)
        return ls__fail(ctx, LS_ERR_IO, "cannot write %s: %s", af->path, strerror(errno));
    b->n = 0;
    return LS_OK;
}

static int tweet_row(arch *A, ls__buf *b, uint64_t i)
{
    const ls_store *st = A->st;
    uint32_t acc = st->ev_account[i];
    int kind = st->ev_kind[i], rc;
    char when[24];
    ls__str pid = sget(st, LS_NS_POST, st->ev_post[i]);
    ls__fmt_minute(st->ev_time[i], when);
    int64_t cnt[4] = { -1, -1, -1, -1 };     /* quotes, replies, likes, retweets */
    for (uint32_t j = st->ev_list[i]; j < st->ev_list[i + 1]; j++) {
        switch (st->li_type[j]) {
        case LS_LI_QUOTES: cnt[0] = st->li_id[j]; break;
        case LS_LI_REPLIES: cnt[1] = st->li_id[j]; break;
        case LS_LI_LIKES: cnt[2] = st->li_id[j]; break;
        case LS_LI_RETWEETS: cnt[3] = st->li_id[j]; break;
        default: break;
        }
    }
    if ((rc = ls__outcsv(b, pid.p, pid.n)) != LS_OK || (rc = ls__buf_putc(b, ',')) != LS_OK ||
        (rc = put_account(A, b, acc)) != LS_OK || (rc = ls__buf_putc(b, ',')) != LS_OK)
        return rc;
    if (st->ev_lang[i] != 0xFFFF) {
        ls__str l = sget(st, LS_NS_LANG, st->ev_lang[i]);
        if ((rc = ls__outcsv(b, l.p, l.n)) != LS_OK) return rc;
    }
    if ((rc = ls__buf_putc(b, ',')) != LS_OK ||
        (rc = put_text(A, b, sget(st, LS_NS_TEXT, st->ev_text[i]))) != LS_OK ||
        (rc = ls__buf_printf(b, ",%s,", when)) != LS_OK)
        return rc;
    if (st->ev_client[i] != 0xFFFF) {
        ls__str c = sget(st, LS_NS_CLIENT, st->ev_client[i]);
        if ((rc = ls__outcsv(b, c.p, c.n)) != LS_OK) return rc;
    }
    if ((rc = ls__buf_putc(b, ',')) != LS_OK) return rc;
    if (st->ev_reply_account[i] != LS__NONE && (rc = put_id(A, b, st->ev_reply_account[i])) != LS_OK) return rc;
    ls__str rp = sget(st, LS_NS_POST, st->ev_reply_post[i]);
    if ((rc = ls__buf_putc(b, ',')) != LS_OK || (rc = ls__outcsv(b, rp.p, rp.n)) != LS_OK ||
        (rc = ls__buf_putc(b, ',')) != LS_OK)
        return rc;
    ls__str ref = sget(st, LS_NS_POST, st->ev_ref_post[i]);
    if (kind == LS_KIND_QUOTE && (rc = ls__outcsv(b, ref.p, ref.n)) != LS_OK) return rc;
    if ((rc = ls__buf_printf(b, ",%s,", kind == LS_KIND_RETWEET ? "True" : "False")) != LS_OK) return rc;
    if (kind == LS_KIND_RETWEET) {
        if (st->ev_ref_account[i] != LS__NONE && (rc = put_id(A, b, st->ev_ref_account[i])) != LS_OK) return rc;
        if ((rc = ls__buf_putc(b, ',')) != LS_OK || (rc = ls__outcsv(b, ref.p, ref.n)) != LS_OK) return rc;
    } else if ((rc = ls__buf_putc(b, ',')) != LS_OK) return rc;
    if ((rc = ls__buf_printf(b, ",absent,absent,")) != LS_OK) return rc;
    for (int k = 0; k < 4; k++)
        if ((rc = put_count(b, cnt[k])) != LS_OK || (rc = ls__buf_putc(b, ',')) != LS_OK) return rc;
    if ((rc = put_list(A, b, i, LS_LI_HASHTAG)) != LS_OK || (rc = ls__buf_putc(b, ',')) != LS_OK ||
        (rc = put_list(A, b, i, LS_LI_URL)) != LS_OK || (rc = ls__buf_putc(b, ',')) != LS_OK ||
        (rc = put_list(A, b, i, LS_LI_MENTION)) != LS_OK)
        return rc;
    return ls__buf_put(b, ",\n", 2);
}

static int user_row(arch *A, ls__buf *b, uint32_t acc)
{
    int rc = put_account(A, b, acc);
    return rc == LS_OK ? ls__buf_putc(b, '\n') : rc;
}

/* Removes the staging folder of a zipped release and what is in it. */
static void unstage(const char *dir)
{
    static const char *const files[] = { "tweets.csv", "users.csv", "manifest.json" };
    char p[4200];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        unlink(p);
    }
    rmdir(dir);
}

static int export_release(ls_ctx *ctx, const char *run_dir, const char *store, const char *key_file,
                          const char *out_dir);

int ls_export_archive(ls_ctx *ctx, const char *run_dir, const char *store, const char *key_file,
                      const char *out_dir)
{
    size_t n = strlen(out_dir);
    if (n < 4 || strcmp(out_dir + n - 4, ".zip") != 0)
        return export_release(ctx, run_dir, store, key_file, out_dir);
    /* A zip: the release is written into a staging folder beside it. */
    char stage[4096];
    const char *slash = strrchr(out_dir, '/');
    int k = slash ? snprintf(stage, sizeof stage, "%.*s/.lockstep-release-XXXXXX", (int)(slash - out_dir), out_dir)
                  : snprintf(stage, sizeof stage, ".lockstep-release-XXXXXX");
    if (k < 0 || (size_t)k >= sizeof stage) return ls__fail(ctx, LS_ERR_USAGE, "%s: the path is too long", out_dir);
    if (!mkdtemp(stage)) return ls__fail(ctx, LS_ERR_IO, "cannot create a folder beside %s: %s", out_dir, strerror(errno));
    int rc = export_release(ctx, run_dir, store, key_file, stage);
    if (rc == LS_OK) {
        static const char *const files[] = { "tweets.csv", "users.csv", "manifest.json" };
        rc = ls__zip_files(ctx, stage, files, 3, out_dir);
    }
    unstage(stage);
    return rc;
}

static int export_release(ls_ctx *ctx, const char *run_dir, const char *store, const char *key_file,
                          const char *out_dir)
{
    ls__rdir run;
    ls_store *st = NULL;
    arch A;
    ls__afile af = { 0 };
    ls__buf b = { 0 }, path = { 0 };
    uint8_t *member = NULL;
    uint32_t *mem = NULL;
    int rc;
    memset(&A, 0, sizeof A);
    ls__intern_init(&A.names);
    if ((rc = ls__pseudo_load(ctx, &A.key, key_file)) != LS_OK) { memset(&run, 0, sizeof run); goto done; }
    if ((rc = ls__rdir_load(ctx, run_dir, &run)) != LS_OK) goto done;
    if ((rc = ls__rdir_open_store(ctx, &run, store, &st)) != LS_OK) goto done;
    if ((rc = ls__rdir_attach(ctx, &run, st)) != LS_OK) goto done;
    if (mkdir(out_dir, 0777) != 0 && errno != EEXIST) {
        rc = ls__fail(ctx, LS_ERR_IO, "cannot create %s: %s", out_dir, strerror(errno));
        goto done;
    }
    A.ctx = ctx; A.st = st;
    if (build_keep(&A) != LS_OK) goto nomem;
    size_t n_acc = st->ns[LS_NS_ACCOUNT].n;
    if (!(member = ls__calloc(n_acc ? n_acc : 1, 1)) ||
        !(A.frag_off = ls__calloc(n_acc ? n_acc : 1, sizeof *A.frag_off)) ||
        !(A.frag_len = ls__calloc(n_acc ? n_acc : 1, sizeof *A.frag_len)) ||
        !(A.pid = ls__calloc(n_acc ? n_acc : 1, sizeof *A.pid)))
        goto nomem;
    for (size_t i = 0; i < run.n_acc; i++)
        if (run.acc[i].acc != LS__NONE && run.acc[i].net >= 0) member[run.acc[i].acc] = 1;

    /* tweets.csv */
    if ((rc = ls__buf_printf(&path, "%s/tweets.csv", out_dir)) != LS_OK) goto nomem;
    if ((rc = ls__afile_open(ctx, &af, path.p)) != LS_OK) goto done;
    if ((rc = ls__buf_put(&b, TWEETS_HEADER, sizeof TWEETS_HEADER - 1)) != LS_OK) goto nomem;
    for (uint64_t i = 0; i < st->n_events; i++) {
        if (!member[st->ev_account[i]]) continue;
        if ((rc = tweet_row(&A, &b, i)) != LS_OK) goto nomem;
        if ((rc = flush(ctx, &af, &b, 0)) != LS_OK) goto done;
    }
    if ((rc = flush(ctx, &af, &b, 1)) != LS_OK || (rc = ls__afile_commit(ctx, &af)) != LS_OK) goto done;

    /* users.csv: networks in order, members core first. */
    path.n = 0;
    if ((rc = ls__buf_printf(&path, "%s/users.csv", out_dir)) != LS_OK) goto nomem;
    if ((rc = ls__afile_open(ctx, &af, path.p)) != LS_OK) goto done;
    if ((rc = ls__buf_put(&b, USERS_HEADER, sizeof USERS_HEADER - 1)) != LS_OK) goto nomem;
    for (size_t k = 0; k < run.n_net; k++) {
        size_t n;
        if (ls__rdir_members(&run, (int)k, &mem, &n) != LS_OK) goto nomem;
        for (size_t q = 0; q < n; q++) {
            uint32_t acc = run.acc[mem[q]].acc;
            if (acc == LS__NONE || member[acc] != 1) continue;
            member[acc] = 2;                         /* once per account */
            if ((rc = user_row(&A, &b, acc)) != LS_OK) goto nomem;
            if ((rc = flush(ctx, &af, &b, 0)) != LS_OK) goto done;
        }
        ls__free(mem);
        mem = NULL;
    }
    if ((rc = flush(ctx, &af, &b, 1)) != LS_OK || (rc = ls__afile_commit(ctx, &af)) != LS_OK) goto done;
    static const char *const names[2] = { "tweets.csv", "users.csv" };
    rc = ls__manifest_update(ctx, out_dir, names, 2);
    goto done;
nomem:
    rc = ls__fail(ctx, LS_ERR_NOMEM, "archive: out of memory");
done:
    ls__afile_abort(&af);
    sodium_memzero(&A.key, sizeof A.key);
    ls__free(A.keep); ls__free(A.name_keep); ls__intern_free(&A.names);
    ls__buf_free(&A.tmp); ls__buf_free(&A.low); ls__buf_free(&A.url); ls__buf_free(&A.frag);
    ls__free(A.frag_off); ls__free(A.frag_len); ls__free(A.pid);
    ls__free(member); ls__free(mem);
    ls__buf_free(&b); ls__buf_free(&path);
    if (st) ls_store_close(st);
    ls__rdir_free(&run);
    return rc;
}
