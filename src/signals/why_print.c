/*
 * why_print.c — why two accounts are linked (`lockstep why`): every
 * co-action of the pair, layer by layer, with both posts and UTC times.
 * Ids and object names are hostile text: control characters are printed
 * as '?' so they cannot drive the terminal.
 */
#include "lookup.h"
#include <math.h>
#include <time.h>

static void put_str(FILE *f, ls__str s)
{
    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = (unsigned char)s.p[i];
        fputc(c < 0x20 || c == 0x7f ? '?' : c, f);
    }
}

static void fmt_time(int64_t ms, char *buf, size_t cap)
{
    time_t s = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    size_t k = strftime(buf, cap, "%Y-%m-%d %H:%M:%S", &tm);
    int frac = (int)(ms - (int64_t)s * 1000);
    if (frac && k + 5 < cap) snprintf(buf + k, cap - k, ".%03d", frac);
}

void ls_why_opts_default(ls_why_opts *o)
{
    memset(o, 0, sizeof *o);
    o->window_s = 60;
    o->max = 10;
}

int ls_why(ls_ctx *ctx, ls_store *st, const char *account_a, const char *account_b,
           const ls_why_opts *wo, FILE *f)
{
    int rc = LS_OK;
    ls__evid *ev = NULL;
    ls__buf nm = { 0 };
    ls__co_opts o;
    ls__co_opts_default(&o);
    int layers[LS_L_COUNT], nl = 0;
    uint32_t ua, ub;
    if (!(wo->window_s >= 0) || wo->window_s > 1e9)
        return ls__fail(ctx, LS_ERR_USAGE, "the window must be between 0 and 1e9 seconds");
    o.window_ms = llround(wo->window_s * 1000.0);
    o.qut = wo->compat_qut;
    if (!wo->layers) {
        /* co_text has no QUT definition. */
        for (int l = 0; l < LS_L_COUNT; l++) if (!(o.qut && l == LS_L_TEXT)) layers[nl++] = l;
    } else if ((rc = ls__layer_list(ctx, wo->layers, 0, layers, &nl)) != LS_OK) {
        return rc;
    }
    if ((rc = ls__find_account(ctx, st, account_a, &ua)) != LS_OK) return rc;
    if ((rc = ls__find_account(ctx, st, account_b, &ub)) != LS_OK) return rc;
    size_t max = wo->max;
    ev = ls__malloc((max ? max : 1) * sizeof *ev);
    if (!ev) { rc = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
    size_t grand = 0;
    for (int k = 0; k < nl; k++) {
        size_t n, total;
        if ((rc = ls__why(ctx, st, layers[k], &o, ua, ub, ev, max, &n, &total)) != LS_OK) goto done;
        if (total == 0) continue;
        grand += total;
        if (layers[k] == LS_L_TEXT)
            fprintf(f, "%s: %zu object%s at any time gap\n", ls__layer_name(layers[k]), total, total == 1 ? "" : "s");
        else
            fprintf(f, "%s: %zu object%s within %g s\n", ls__layer_name(layers[k]), total, total == 1 ? "" : "s",
                    (double)o.window_ms / 1000.0);
        for (size_t i = 0; i < n; i++) {
            char t1[40], t2[40];
            nm.n = 0;
            if ((rc = ls__object_name(st, ls__layer_obj_kind(layers[k], o.qut), ev[i].obj, o.window_ms, &nm)) != LS_OK) {
                rc = ls__fail(ctx, LS_ERR_NOMEM, "out of memory");
                goto done;
            }
            fmt_time(ev[i].t_u, t1, sizeof t1);
            fmt_time(ev[i].t_v, t2, sizeof t2);
            fprintf(f, "  ");
            put_str(f, (ls__str){ nm.p, nm.n });
            fprintf(f, "\n    A post ");
            put_str(f, ls__strtab_get(&st->ns[LS_NS_POST], ev[i].post_u));
            fprintf(f, " at %s\n    B post ", t1);
            put_str(f, ls__strtab_get(&st->ns[LS_NS_POST], ev[i].post_v));
            fprintf(f, " at %s (%+.3f s)\n", t2, (double)(ev[i].t_v - ev[i].t_u) / 1000.0);
        }
        if (total > n) fprintf(f, "  ... and %zu more\n", total - n);
    }
    if (grand == 0) fprintf(f, "no co-actions within %g s\n", (double)o.window_ms / 1000.0);
done:
    ls__free(ev);
    ls__buf_free(&nm);
    return rc;
}
