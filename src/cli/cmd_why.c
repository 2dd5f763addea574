/*
 * cmd_why.c — `lockstep why STORE ACCOUNT_A ACCOUNT_B`: prints, per
 * co-action layer, the objects on which the two accounts acted within the
 * window, with both posts and their times: the evidence behind an edge.
 */
#include "cli.h"
#include "cli_input.h"
#include "../signals/signals.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char help[] =
    "usage: lockstep why STORE ACCOUNT_A ACCOUNT_B [options]\n"
    "\n"
    "Shows why two accounts are linked: for each co-action layer, the\n"
    "objects (retweeted posts, texts, links, hashtags, ...) both acted on\n"
    "within the window, with the posts and UTC times.  Accounts are given\n"
    "by id, or by @screen_name.\n"
    "\n"
    "options:\n"
    "  --window S      window in seconds (default 60)\n"
    "  --layer TYPE    one layer or a comma list (default: all layers)\n"
    "  --compat qut    QUT text keys and similarity\n"
    "  --max N         evidence lines per layer (default 10)\n"
    "  -h, --help      this text\n";

static void fmt_time(int64_t ms, char *buf, size_t cap)
{
    time_t s = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    size_t k = strftime(buf, cap, "%Y-%m-%d %H:%M:%S", &tm);
    int frac = (int)(ms - (int64_t)s * 1000);
    if (frac && k + 5 < cap) snprintf(buf + k, cap - k, ".%03d", frac);
}

static uint32_t find_account(ls_store *st, const char *s)
{
    uint32_t id = ls__strtab_find(&st->ns[LS_NS_ACCOUNT], ls__str_c(s));
    if (id != LS__NONE || s[0] != '@' || !st->acc_screen) return id;
    ls__str want = ls__str_c(s + 1);
    for (uint32_t a = 0; a < st->ns[LS_NS_ACCOUNT].n; a++) {
        uint32_t k = st->acc_screen[a];
        if (k != LS__NONE && k < st->ns[LS_NS_NAME].n && ls__str_eq(ls__strtab_get(&st->ns[LS_NS_NAME], k), want))
            return a;
    }
    return LS__NONE;
}

static void put_str(FILE *f, ls__str s)
{
    /* Terminal safety: control characters of hostile ids are shown as '?'. */
    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = (unsigned char)s.p[i];
        fputc(c < 0x20 || c == 0x7f ? '?' : c, f);
    }
}

int cmd_why(int argc, char **argv)
{
    const char *pos[3];
    int npos = 0, rc = LS_OK;
    unsigned long long max = 10;
    double d;
    ls__co_opts o;
    ls__co_opts_default(&o);
    int layers[LS_L_COUNT], nl = 0;
    for (int l = 0; l < LS_L_COUNT; l++) layers[nl++] = l;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (cli_is_help(a)) { fputs(help, stdout); return LS_EXIT_OK; }
        if (strcmp(a, "--window") == 0) {
            if (cli_parse_double(v, &d) || !(d >= 0) || d > 1e9) return cli_usage("why", "--window needs seconds >= 0");
            o.window_ms = llround(d * 1000.0); i++;
        } else if (strcmp(a, "--layer") == 0) {
            if (!v) return cli_usage("why", "--layer needs a type");
            nl = 0;
            char buf[512];
            snprintf(buf, sizeof buf, "%s", v);
            for (char *t = strtok(buf, ","); t; t = strtok(NULL, ",")) {
                int l = ls__layer_parse(t);
                if (l < 0) return cli_usage("why", "unknown layer '%s'", t);
                layers[nl++] = l;
                if (nl == LS_L_COUNT) break;
            }
            i++;
        } else if (strcmp(a, "--compat") == 0) {
            if (!v || strcmp(v, "qut") != 0) return cli_usage("why", "--compat knows only 'qut'");
            o.qut = 1; i++;
        } else if (strcmp(a, "--max") == 0) {
            if (cli_parse_u64(v, &max) || max > 100000) return cli_usage("why", "--max needs a count");
            i++;
        } else if (a[0] == '-' && a[1] && npos != 1 && npos != 2) {
            return cli_usage("why", "unknown option '%s'", a);
        } else {
            if (npos == 3) return cli_usage("why", "too many arguments");
            pos[npos++] = a;
        }
    }
    if (npos != 3) return cli_usage("why", "needs STORE ACCOUNT_A ACCOUNT_B");
    ls_ctx *ctx = NULL;
    ls_store *st = NULL;
    ls__evid *ev = NULL;
    ls__buf nm = { 0 };
    if (ls_ctx_new(&ctx)) { fprintf(stderr, "lockstep why: out of memory\n"); return LS_EXIT_NOMEM; }
    if ((rc = cli_open_input(ctx, pos, 1, &st)) != LS_OK) goto done;
    uint32_t ua = find_account(st, pos[1]), ub = find_account(st, pos[2]);
    if (ua == LS__NONE || ub == LS__NONE) {
        rc = ls__fail(ctx, LS_ERR_NOTFOUND, "account '%s' is not in the store", ua == LS__NONE ? pos[1] : pos[2]);
        goto done;
    }
    ev = ls__malloc((max ? max : 1) * sizeof *ev);
    if (!ev) { rc = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
    size_t grand = 0;
    for (int k = 0; k < nl; k++) {
        size_t n, total;
        if ((rc = ls__why(ctx, st, layers[k], &o, ua, ub, ev, max, &n, &total)) != LS_OK) goto done;
        if (total == 0) continue;
        grand += total;
        printf("%s: %zu object%s within %g s\n", ls__layer_name(layers[k]), total, total == 1 ? "" : "s",
               (double)o.window_ms / 1000.0);
        for (size_t i = 0; i < n; i++) {
            char t1[40], t2[40];
            nm.n = 0;
            ls__object_name(st, ls__layer_obj_kind(layers[k], o.qut), ev[i].obj, o.window_ms, &nm);
            fmt_time(ev[i].t_u, t1, sizeof t1);
            fmt_time(ev[i].t_v, t2, sizeof t2);
            printf("  ");
            put_str(stdout, (ls__str){ nm.p, nm.n });
            printf("\n    A post ");
            put_str(stdout, ls__strtab_get(&st->ns[LS_NS_POST], ev[i].post_u));
            printf(" at %s\n    B post ", t1);
            put_str(stdout, ls__strtab_get(&st->ns[LS_NS_POST], ev[i].post_v));
            printf(" at %s (%+.3f s)\n", t2, (double)(ev[i].t_v - ev[i].t_u) / 1000.0);
        }
        if (total > n) printf("  ... and %zu more\n", total - n);
    }
    if (grand == 0) printf("no co-actions within %g s\n", (double)o.window_ms / 1000.0);
done:
    if (rc != LS_OK) rc = cli_fail("why", ctx, rc);
    ls__free(ev);
    ls__buf_free(&nm);
    ls_store_close(st);
    ls_ctx_free(ctx);
    return rc;
}
