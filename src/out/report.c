/*
 * report.c — report.html: one self-contained page an analyst can hand to
 * the people who decide.  No external requests: styles and the one script
 * are inline, charts are inline SVG, nothing is loaded.
 *
 * Security model (the text shown is written by the adversary):
 *   - every value goes through the escaper of its context (out.h): element
 *     bodies and attribute values via ls__html_text, links only for http(s)
 *     via ls__html_url, data for the script via ls__json_script_str;
 *   - the page's Content-Security-Policy is default-src 'none' and allows
 *     exactly the inline <style> and <script> it was written with, by their
 *     SHA-256; injected markup could neither run a script nor load anything
 *     even if an escaping bug let it through;
 *   - the script reads its data from a JSON block (never executed) and
 *     writes only with textContent.
 * The page carries no time of generation, so the same run gives the same
 * bytes.
 */
#include "report.h"
#include "../store/store.h"
#include <stdlib.h>

static const char CSS[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0 auto;"
    "max-width:1100px;padding:0 20px 40px;color:#1d2330;background:#fff}"
    "h1{font-size:1.6em;margin:.8em 0 .2em}h2{margin-top:2em;border-bottom:2px solid #1d2330}"
    "h3{margin:1.4em 0 .4em;font-size:1.1em}"
    "table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:.92em}"
    "th,td{border-bottom:1px solid #d9dde5;padding:3px 6px;text-align:left;vertical-align:top}"
    "th{background:#f1f3f7}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".muted{color:#5d6678}.small{font-size:.85em}.note{border-left:3px solid #b7791f;padding-left:.6em}.ev{max-width:520px;overflow-wrap:anywhere}"
    ".post{border-left:3px solid #c0392b;margin:.6em 0;padding:.3em .8em;background:#fafbfc}"
    ".post .txt{white-space:pre-wrap;overflow-wrap:anywhere}"
    ".cols{display:flex;flex-wrap:wrap;gap:24px}.cols>div{flex:1 1 300px}"
    "ol.top{margin:.2em 0;padding-left:1.6em}ol.top li{overflow-wrap:anywhere}"
    "svg.chart,svg.net{max-width:100%;height:auto;display:block;margin:.3em 0}"
    "svg text.lab{font-size:11px;fill:#5d6678}svg .axis{stroke:#8a93a5;stroke-width:1}"
    "svg .orig,svg .core{fill:#c0392b}svg .amp{fill:#2e6da4}svg .other{fill:#8a93a5}"
    "svg .s0{fill:#c0392b}svg .s1{fill:#2e6da4}svg .s2{fill:#e1a21b}svg .s3{fill:#3a9a5b}"
    "svg .s4{fill:#8e44ad}svg .s5{fill:#16a0a8}svg .s6{fill:#7f8c8d}svg .s7{fill:#d35400}"
    "svg .bar{fill:#5c6f91}svg line.edge{stroke:#7d8799;stroke-opacity:.45;stroke-width:.7}"
    "svg circle{stroke:#fff;stroke-width:.6}"
    "dl.sig{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px}dl.sig dt{font-weight:600}"
    "dl.sig dd{margin:0;overflow-wrap:anywhere}"
    "input.filter{margin:.4em 0;padding:3px 6px;width:260px}.sel{min-height:1.4em}"
    "nav a{margin-right:1em}"
    "@media print{input.filter,nav{display:none}section.network{break-before:page}"
    "svg,table,.post{break-inside:avoid}body{max-width:none}}";

static const char JS[] =
    "(function(){'use strict';"
    "var el=document.getElementById('ls-data');var data=el?JSON.parse(el.textContent):{networks:[]};"
    "document.querySelectorAll('input.filter').forEach(function(inp){"
    "var t=document.getElementById(inp.getAttribute('data-table'));if(!t)return;"
    "inp.addEventListener('input',function(){var q=inp.value.toLowerCase();"
    "t.querySelectorAll('tbody tr').forEach(function(r){"
    "r.hidden=q.length>0&&r.textContent.toLowerCase().indexOf(q)<0;});});});"
    "document.querySelectorAll('svg.net circle').forEach(function(c){"
    "c.addEventListener('click',function(){var k=+c.getAttribute('data-k'),i=+c.getAttribute('data-n');"
    "var net=data.networks[k];var box=document.getElementById('sel-'+k);if(!net||!box)return;"
    "var n=net.nodes[i];if(!n)return;"
    "box.textContent='@'+n.name+' ('+n.id+'): '+n.role+', score '+n.score+' \\u2014 '+n.evidence;});});"
    /* A mark that the page's own script ran to the end (and so that the
     * CSP hash matched and the embedded JSON parsed): the XSS test reads
     * it from the DOM. */
    "document.documentElement.setAttribute('data-ls-ready','1');"
    "})();";

typedef struct rep {
    ls_ctx *ctx;
    const ls__rdir *run;
    const ls_store *st;
    ls__rstats rs;
    ls__buf *b;
    ls__buf data;           /* the JSON block for the script */
    size_t max_accounts, max_nodes;
} rep;

#define P(...) do { if ((rc = ls__buf_printf(R->b, __VA_ARGS__)) != LS_OK) goto done; } while (0)
#define T(s, n) do { if ((rc = ls__html_text(R->b, (s), (n))) != LS_OK) goto done; } while (0)
#define TC(s) do { const char *s_ = (s); T(s_, s_ ? strlen(s_) : 0); } while (0)
#define TS(x) do { ls__str x_ = (x); T(x_.p, x_.n); } while (0)

static ls__str sget(const ls_store *st, int ns, uint32_t id)
{
    if (id == LS__NONE || id >= st->ns[ns].n) return (ls__str){ "", 0 };
    return ls__strtab_get(&st->ns[ns], id);
}

/* ---- values from networks.json, which carries data-derived strings ---- */

/* A JSON value as short text: strings as is, numbers compactly, anything
 * else as compact JSON (cut at 300 bytes). */
static int json_text(ls__buf *b, json_t *v)
{
    char num[64];
    if (json_is_string(v)) return ls__html_text(b, json_string_value(v), json_string_length(v));
    if (json_is_integer(v)) { snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v)); return ls__html_textc(b, num); }
    if (json_is_real(v)) { snprintf(num, sizeof num, "%.3g", json_real_value(v)); return ls__html_textc(b, num); }
    if (json_is_true(v)) return ls__html_textc(b, "yes");
    if (json_is_false(v)) return ls__html_textc(b, "no");
    if (!v || json_is_null(v)) return ls__html_textc(b, "\xE2\x80\x94");
    char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    if (!s) return LS_ERR_NOMEM;
    size_t n = strlen(s);
    int rc = ls__html_text(b, s, LS__MIN(n, 300));
    if (rc == LS_OK && n > 300) rc = ls__html_textc(b, "\xE2\x80\xA6");
    free(s);
    return rc;
}

/* The display name of a list item: a string, or the first string member
 * of an object among the usual keys. */
static const char *item_name(json_t *it)
{
    static const char *const keys[] = { "label", "term", "key", "feature", "hashtag", "tag", "domain",
                                        "lang", "language", "name", "text", "archive", NULL };
    if (json_is_string(it)) return json_string_value(it);
    for (int i = 0; keys[i]; i++) {
        const char *s = json_string_value(json_object_get(it, keys[i]));
        if (s) return s;
    }
    return NULL;
}
static json_t *item_count(json_t *it)
{
    static const char *const keys[] = { "count", "n", "posts", "score", "share", NULL };
    for (int i = 0; keys[i]; i++) {
        json_t *v = json_object_get(it, keys[i]);
        if (json_is_number(v)) return v;
    }
    return NULL;
}

/* Renders a JSON list of terms/hashtags/domains as an ordered list. */
static int json_list(rep *R, json_t *arr, const char *prefix, size_t max)
{
    int rc = LS_OK;
    size_t i;
    json_t *it;
    P("<ol class=\"top\">");
    json_array_foreach(arr, i, it) {
        if (i >= max) break;
        const char *nm = item_name(it);
        if (!nm) continue;
        /* The assessment may already have put the '#' in. */
        P("<li>%s", strncmp(nm, prefix, strlen(prefix)) == 0 ? "" : prefix);
        TC(nm);
        json_t *c = item_count(it);
        if (c) { P(" <span class=\"muted\">"); if ((rc = json_text(R->b, c)) != LS_OK) goto done; P("</span>"); }
        P("</li>");
    }
    P("</ol>");
done:
    return rc;
}

static json_t *net_get(const ls__rnet *n, const char *key) { return n->obj ? json_object_get(n->obj, key) : NULL; }

/* The one-line traction verdict, if the assessment wrote one. */
static const char *traction_sentence(const ls__rnet *n)
{
    json_t *t = net_get(n, "traction");
    static const char *const keys[] = { "sentence", "summary", "verdict", "text", NULL };
    if (json_is_string(t)) return json_string_value(t);
    for (int i = 0; t && keys[i]; i++) {
        const char *s = json_string_value(json_object_get(t, keys[i]));
        if (s) return s;
    }
    return NULL;
}

/* Narrative groups: networks.json "narratives" is either a list of groups
 * or an object with "groups"; each group may carry posts per day as
 * {"YYYY-MM-DD": n} or [["YYYY-MM-DD", n]] or [{"day": .., "posts": n}]. */
static json_t *narr_groups(const ls__rnet *n)
{
    json_t *nr = net_get(n, "narratives");
    if (json_is_array(nr)) return nr;
    json_t *g = json_object_get(nr, "groups");
    if (!g) g = json_object_get(nr, "narratives");
    return json_is_array(g) ? g : NULL;
}
static json_t *narr_field(const ls__rnet *n, const char *key)
{
    json_t *nr = net_get(n, "narratives");
    return json_is_object(nr) ? json_object_get(nr, key) : NULL;
}

/* Parses "YYYY-MM-DD" to days since the epoch; -1 on failure. */
static int64_t parse_day(const char *s)
{
    int y, m, d;
    if (!s || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > 31) return INT64_MIN;
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* Adds group g's per-day counts into row (bins of the network's chart). */
static int narr_days(json_t *g, const ls__nstats *ns, uint64_t *row)
{
    json_t *pd = json_object_get(g, "per_day");
    if (!pd) pd = json_object_get(g, "days");
    int found = 0;
    const char *key;
    json_t *v;
    size_t i;
    if (json_is_object(pd)) {
        json_object_foreach(pd, key, v) {
            int64_t d = parse_day(key);
            if (d == INT64_MIN || !json_is_number(v)) continue;
            int64_t bin = (d - ns->day0) / ns->bin_days;
            if (d >= ns->day0 && bin < (int64_t)ns->n_days) { row[bin] += (uint64_t)json_number_value(v); found = 1; }
        }
    } else if (json_is_array(pd)) {
        json_array_foreach(pd, i, v) {
            const char *ds = NULL;
            json_t *cnt = NULL;
            if (json_is_array(v)) { ds = json_string_value(json_array_get(v, 0)); cnt = json_array_get(v, 1); }
            else {
                ds = json_string_value(json_object_get(v, "day"));
                if (!ds) ds = json_string_value(json_object_get(v, "date"));
                cnt = item_count(v);
            }
            int64_t d = parse_day(ds);
            if (d == INT64_MIN || !json_is_number(cnt)) continue;
            int64_t bin = (d - ns->day0) / ns->bin_days;
            if (d >= ns->day0 && bin < (int64_t)ns->n_days) { row[bin] += (uint64_t)json_number_value(cnt); found = 1; }
        }
    }
    return found;
}

/* ---- sections ---- */

static int overview(rep *R)
{
    const ls__rdir *run = R->run;
    int rc = LS_OK;
    size_t core = 0, amp = 0;
    for (size_t k = 0; k < run->n_net; k++) { core += run->net[k].n_core; amp += run->net[k].n_amp; }
    P("<section id=\"overview\"><h2>Overview</h2><p>%zu network%s, %zu accounts (%zu core, %zu amplifiers).",
      run->n_net, run->n_net == 1 ? "" : "s", run->n_acc, core, amp);
    if (R->st) {
        char a[16], z[16];
        int64_t t0 = R->st->n_events ? R->st->ev_time[0] : 0;
        int64_t t1 = R->st->n_events ? R->st->ev_time[R->st->n_events - 1] : 0;
        ls__fmt_day(t0, a); ls__fmt_day(t1, z);
        P(" Data: %llu posts by %u accounts, %s to %s.", (unsigned long long)R->st->n_events,
          R->st->ns[LS_NS_ACCOUNT].n, a, z);
    }
    P("</p>\n");
    {
        /* Signals the input could not show (docs/detect.md, "Inputs without
         * profiles"): the reader must know what the scores rest on. */
        json_t *r = json_object_get(run->root, "run");
        json_t *um = json_object_get(r, "signals_unmeasurable");
        double cov = json_number_value(json_object_get(r, "signal_coverage"));
        if (json_is_array(um) && json_array_size(um) > 0) {
            P("<p class=\"note\">The input cannot show these signals: ");
            for (size_t i = 0; i < json_array_size(um); i++) {
                if (i) P(", ");
                TC(json_string_value(json_array_get(um, i)));
            }
            if (json_is_true(json_object_get(r, "scores_renormalised")))
                P(". Scores are weighted over the other signals, %.0f%% of the usual evidence.</p>\n", 100.0 * cov);
            else if (cov < 1.0)
                P(". They count as no evidence, so no score can exceed %.2f.</p>\n", cov);
            else
                P(". They carry no weight in the scores.</p>\n");
        }
        /* Nothing reported where the input could show the evidence: say what
         * an operation's own archive needs (docs/detect.md). */
        json_t *cnt = json_object_get(r, "counts");
        if (run->n_net == 0 && json_integer_value(json_object_get(cnt, "candidate_networks")) > 0 &&
            (cov >= 1.0 || json_is_true(json_object_get(r, "scores_renormalised"))) &&
            !json_is_true(json_object_get(json_object_get(r, "parameters"), "one_operation")))
            P("<p class=\"note\">Scores compare each group with the rest of the data. If the input holds only "
              "accounts already known to be one operation (a takedown archive), there is no rest to compare "
              "with: <code>lockstep detect --one-operation</code> describes it as one network.</p>\n");
        /* detect --one-operation: the network is there because the input
         * said what it is, not because it stood out (docs/detect.md). */
        if (json_is_true(json_object_get(json_object_get(r, "parameters"), "one_operation")))
            P("<p class=\"note\">The input was taken as one operation's own activity (a takedown archive; "
              "<code>--one-operation</code>): every account that posted is in the one network, whatever it "
              "scores, and the groups found inside it are its cells. Its score compares it with the rest of "
              "the input, which here is little or nothing.</p>\n");
    }
    P("<table><thead><tr><th>Network</th><th class=\"n\">Accounts</th><th class=\"n\">Core</th>"
      "<th class=\"n\">Amplifiers</th><th class=\"n\">Score</th><th>Linked archives</th><th>Traction</th>"
      "</tr></thead><tbody>\n");
    for (size_t k = 0; k < run->n_net; k++) {
        const ls__rnet *n = &run->net[k];
        P("<tr><td><a href=\"#net-%zu\">", k);
        TC(n->id);
        P("</a></td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
          "<td class=\"n\">%.2f</td><td>", n->n_accounts, n->n_core, n->n_amp, n->score);
        json_t *linked = net_get(n, "linked"), *it;
        size_t i, shown = 0;
        json_array_foreach(linked, i, it) {
            const char *nm = item_name(it);
            if (!nm) continue;
            P("%s", shown++ ? "; " : "");
            TC(nm);
            json_t *s = json_object_get(it, "score");
            if (json_is_number(s)) P(" (%.2f)", json_number_value(s));
        }
        if (!shown) P("<span class=\"muted\">none</span>");
        P("</td><td>");
        const char *tr = traction_sentence(n);
        if (tr) TC(tr); else P("<span class=\"muted\">not assessed</span>");
        P("</td></tr>\n");
    }
    P("</tbody></table></section>\n");
done:
    return rc;
}

/* An object of networks.json (signals, facts) as a definition list. */
static int object_block(rep *R, const ls__rnet *n, const char *field, const char *heading)
{
    int rc = LS_OK;
    json_t *sig = net_get(n, field);
    const char *key;
    json_t *v;
    if (!json_is_object(sig) || json_object_size(sig) == 0) return LS_OK;
    /* Sorted keys so the page does not depend on the file's key order. */
    size_t nk = json_object_size(sig), i = 0;
    const char **keys = ls__malloc(nk * sizeof *keys);
    if (!keys) return LS_ERR_NOMEM;
    P("<h3>%s</h3><dl class=\"sig\">", heading);
    json_object_foreach(sig, key, v) keys[i++] = key;
    for (size_t a = 1; a < nk; a++)
        for (size_t c = a; c > 0 && strcmp(keys[c - 1], keys[c]) > 0; c--) {
            const char *t = keys[c]; keys[c] = keys[c - 1]; keys[c - 1] = t;
        }
    for (i = 0; i < nk; i++) {
        P("<dt>");
        TC(keys[i]);
        P("</dt><dd>");
        if ((rc = json_text(R->b, json_object_get(sig, keys[i]))) != LS_OK) break;
        P("</dd>");
    }
    if (rc == LS_OK) P("</dl>");
done:
    ls__free(keys);
    return rc;
}

static int chart_days(rep *R, size_t k)
{
    const ls__rnet *n = &R->run->net[k];
    const ls__nstats *ns = &R->rs.net[k];
    int rc = LS_OK;
    char **labels = NULL;
    uint64_t *v = NULL;
    const char **names = NULL, **cls = NULL;
    static const char *const scls[8] = { "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7" };
    size_t nb = ns->n_days, ng = 0;
    json_t *groups = narr_groups(n), *g;
    if (!nb) return LS_OK;
    size_t maxg = LS__MIN(json_array_size(groups), 7);
    labels = ls__calloc(nb, sizeof *labels);
    v = ls__calloc((maxg + 2) * nb, sizeof *v);
    names = ls__calloc(maxg + 2, sizeof *names);
    cls = ls__calloc(maxg + 2, sizeof *cls);
    if (!labels || !v || !names || !cls) { rc = LS_ERR_NOMEM; goto done; }
    for (size_t i = 0; i < nb; i++) {
        if (!(labels[i] = ls__malloc(16))) { rc = LS_ERR_NOMEM; goto done; }
        ls__fmt_day((ns->day0 + (int64_t)i * ns->bin_days) * 86400000, labels[i]);
    }
    for (size_t i = 0; i < maxg; i++) {
        g = json_array_get(groups, i);
        if (narr_days(g, ns, v + ng * nb)) {
            names[ng] = item_name(g) ? item_name(g) : "narrative";
            cls[ng] = scls[ng];
            ng++;
        } else memset(v + ng * nb, 0, nb * sizeof *v);
    }
    const char *unit = ns->bin_days == 1 ? "day" : ns->bin_days == 7 ? "week" : "30 days";
    char title[96];
    if (ng) {
        snprintf(title, sizeof title, "Posts per %s by narrative", unit);
        P("<h3>%s</h3>", title);
    } else {
        memcpy(v, ns->day_orig, nb * sizeof *v);
        memcpy(v + nb, ns->day_amp, nb * sizeof *v);
        names[0] = "original posts"; names[1] = "retweets";
        cls[0] = "orig"; cls[1] = "amp";
        ng = 2;
        snprintf(title, sizeof title, "Posts per %s", unit);
        P("<h3>%s</h3><p class=\"small muted\">Original posts (tweets, replies, quotes) and retweets; "
          "no narrative timeline in networks.json.</p>", title);
    }
    rc = ls__svg_bars(R->b, title, nb, (const char *const *)labels, ng, names, cls, v);
done:
    for (size_t i = 0; labels && i < nb; i++) ls__free(labels[i]);
    ls__free(labels); ls__free(v); ls__free(names); ls__free(cls);
    return rc;
}

static int chart_hours(rep *R, size_t k)
{
    const ls__nstats *ns = &R->rs.net[k];
    int rc = LS_OK;
    double share;
    int off = ls__office_tz(ns->hours, &share);
    P("<h3>When it posts: hour of week</h3><div class=\"cols\"><div><p class=\"small\">UTC</p>");
    if ((rc = ls__svg_heatmap(R->b, "Posts by hour of week, UTC", ns->hours, 0)) != LS_OK) goto done;
    P("</div><div><p class=\"small\">Inferred time zone UTC%+d: %.0f%% of posts fall in weekday office hours "
      "(09:00-18:00) there</p>", off, 100 * share);
    char title[80];
    snprintf(title, sizeof title, "Posts by hour of week, UTC%+d", off);
    if ((rc = ls__svg_heatmap(R->b, title, ns->hours, off)) != LS_OK) goto done;
    P("</div></div>");
done:
    return rc;
}

static int chart_created(rep *R, size_t k)
{
    const ls__nstats *ns = &R->rs.net[k];
    int rc = LS_OK;
    if (!ns->n_created)
        return ls__buf_printf(R->b, "<h3>Account creation</h3><p class=\"muted\">No creation dates in the data.</p>");
    int64_t d0 = ns->created[0] / 86400000, d1 = ns->created[ns->n_created - 1] / 86400000;
    int64_t span = d1 - d0 + 1, bw = span <= 90 ? 1 : (span + 89) / 90;
    size_t nb = (size_t)((span + bw - 1) / bw);
    uint64_t *v = ls__calloc(nb, sizeof *v);
    char **labels = ls__calloc(nb, sizeof *labels);
    if (!v || !labels) { rc = LS_ERR_NOMEM; goto out; }
    for (size_t i = 0; i < ns->n_created; i++) v[(size_t)((ns->created[i] / 86400000 - d0) / bw)]++;
    for (size_t i = 0; i < nb; i++) {
        if (!(labels[i] = ls__malloc(16))) { rc = LS_ERR_NOMEM; goto out; }
        ls__fmt_day((d0 + (int64_t)i * bw) * 86400000, labels[i]);
    }
    static const char *const nm[1] = { "accounts created" }, *const cl[1] = { "bar" };
    if ((rc = ls__buf_printf(R->b, "<h3>Account creation (%lld day%s per bar)</h3><p class=\"small muted\">"
                             "Creation cohorts show as spikes; organic communities spread over years.</p>",
                             (long long)bw, bw == 1 ? "" : "s")) == LS_OK)
        rc = ls__svg_bars(R->b, "Accounts created", nb, (const char *const *)labels, 1, nm, cl, v);
out:
    for (size_t i = 0; labels && i < nb; i++) ls__free(labels[i]);
    ls__free(labels); ls__free(v);
    return rc;
}

static int chart_followers(rep *R, size_t k)
{
    const ls__nstats *ns = &R->rs.net[k];
    const char *labels[LS__FOL_BINS];
    static const char *const nm[1] = { "accounts" }, *const cl[1] = { "bar" };
    int rc = LS_OK;
    for (int i = 0; i < LS__FOL_BINS; i++) labels[i] = ls__fol_bin_label(i);
    P("<h3>Followers</h3>");
    rc = ls__svg_bars(R->b, "Accounts by follower count", LS__FOL_BINS, labels, 1, nm, cl, ns->fol_bins);
done:
    return rc;
}

static const char *role_name(int r) { return r == LS__ROLE_CORE ? "core" : r == LS__ROLE_AMPLIFIER ? "amplifier" : "other"; }

static int picture(rep *R, size_t k)
{
    ls__graph_layout g;
    int rc = ls__layout_network(R->ctx, R->run, R->st, (int)k, R->max_nodes, &g);
    const double W = 760, H = 520, M = 14;
    if (rc != LS_OK) return rc;
    P("<h3>The network</h3><p class=\"small muted\">");
    if (g.n < g.total) P("%zu of %zu accounts shown (core first, then by score). ", g.n, g.total);
    P("Red: core, blue: amplifiers; lines: coordination edges and amplification. Click a node for its evidence.</p>");
    P("<svg class=\"net\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\" "
      "aria-label=\"network picture\"><title>Network picture</title>", W, H, W, H);
    size_t max_e = LS__MIN(g.n_e, (size_t)6000);
    for (size_t i = 0; i < max_e; i++) {
        uint32_t a = g.e[i][0], c = g.e[i][1];
        P("<line class=\"edge\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
          M + g.x[a] * (W - 2 * M), M + g.y[a] * (H - 2 * M), M + g.x[c] * (W - 2 * M), M + g.y[c] * (H - 2 * M));
    }
    if ((rc = ls__buf_printf(&R->data, "%s{\"id\":", k ? "," : "")) != LS_OK ||
        (rc = ls__json_script_str(&R->data, R->run->net[k].id, strlen(R->run->net[k].id))) != LS_OK ||
        (rc = ls__buf_printf(&R->data, ",\"nodes\":[")) != LS_OK)
        goto done;
    for (size_t i = 0; i < g.n; i++) {
        const ls__racct *a = &R->run->acc[g.node[i]];
        double r = a->role == LS__ROLE_CORE ? 4.5 : 3.0;
        P("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" class=\"%s\" data-k=\"%zu\" data-n=\"%zu\"><title>@",
          M + g.x[i] * (W - 2 * M), M + g.y[i] * (H - 2 * M), r,
          a->role == LS__ROLE_CORE ? "core" : a->role == LS__ROLE_AMPLIFIER ? "amp" : "other", k, i);
        TC(a->screen_name);
        P(" (%s, %.2f)</title></circle>", role_name(a->role), a->score);
        ls__buf *d = &R->data;
        if ((rc = ls__buf_printf(d, "%s{\"id\":", i ? "," : "")) != LS_OK ||
            (rc = ls__json_script_str(d, a->userid, strlen(a->userid))) != LS_OK ||
            (rc = ls__buf_printf(d, ",\"name\":")) != LS_OK ||
            (rc = ls__json_script_str(d, a->screen_name, strlen(a->screen_name))) != LS_OK ||
            (rc = ls__buf_printf(d, ",\"role\":\"%s\",\"score\":%.2f,\"evidence\":", role_name(a->role), a->score)) != LS_OK ||
            (rc = ls__json_script_str(d, a->evidence, strlen(a->evidence))) != LS_OK ||
            (rc = ls__buf_printf(d, "}")) != LS_OK)
            goto done;
    }
    if ((rc = ls__buf_printf(&R->data, "]}")) != LS_OK) goto done;
    P("</svg><p class=\"sel small\" id=\"sel-%zu\"></p>", k);
done:
    ls__layout_free(&g);
    return rc;
}

static int tops(rep *R, size_t k)
{
    const ls__rnet *n = &R->run->net[k];
    const ls__nstats *ns = &R->rs.net[k];
    int rc = LS_OK;
    P("<h3>What it pushes</h3><div class=\"cols\"><div><b>Top hashtags</b>");
    json_t *jt = narr_field(n, "hashtags");
    if (json_is_array(jt) && json_array_size(jt)) { if ((rc = json_list(R, jt, "#", LS__TOPK)) != LS_OK) goto done; }
    else {
        P("<ol class=\"top\">");
        for (size_t i = 0; i < ns->n_tags; i++) {
            P("<li>#");
            TS(sget(R->st, LS_NS_HASHTAG, ns->tags[i].id));
            P(" <span class=\"muted\">%llu</span></li>", (unsigned long long)ns->tags[i].n);
        }
        P("</ol>");
    }
    P("</div><div><b>Top terms</b>");
    jt = narr_field(n, "terms");
    if (json_is_array(jt) && json_array_size(jt)) { if ((rc = json_list(R, jt, "", LS__TOPK)) != LS_OK) goto done; }
    else {
        P("<ol class=\"top\">");
        for (size_t i = 0; i < ns->n_terms; i++) {
            P("<li>");
            TS(ls__intern_get(&R->rs.terms, ns->terms[i].id));
            P(" <span class=\"muted\">%llu</span></li>", (unsigned long long)ns->terms[i].n);
        }
        P("</ol>");
    }
    P("</div><div><b>Top domains</b>");
    jt = narr_field(n, "domains");
    if (json_is_array(jt) && json_array_size(jt)) { if ((rc = json_list(R, jt, "", LS__TOPK)) != LS_OK) goto done; }
    else {
        P("<ol class=\"top\">");
        for (size_t i = 0; i < ns->n_doms; i++) {
            P("<li>");
            TS(sget(R->st, LS_NS_DOMAIN, ns->doms[i].id));
            P(" <span class=\"muted\">%llu</span></li>", (unsigned long long)ns->doms[i].n);
        }
        P("</ol>");
    }
    P("</div>");
    jt = narr_field(n, "languages");
    if (json_is_array(jt) && json_array_size(jt)) {
        P("<div><b>Languages</b>");
        if ((rc = json_list(R, jt, "", 5)) != LS_OK) goto done;
        P("</div>");
    }
    P("</div>");
    /* Narrative groups, when the assessment found them. */
    json_t *groups = narr_groups(n), *g;
    size_t i;
    if (json_array_size(groups)) {
        P("<h3>Narratives</h3><table><thead><tr><th>Narrative</th><th class=\"n\">Share</th><th>Terms and hashtags</th>"
          "</tr></thead><tbody>");
        json_array_foreach(groups, i, g) {
            if (i >= 12) break;
            P("<tr><td>");
            const char *nm = item_name(g);
            TC(nm ? nm : "narrative");
            P("</td><td class=\"n\">");
            json_t *sh = json_object_get(g, "share");
            if (json_is_number(sh)) P("%.0f%%", 100 * json_number_value(sh));
            P("</td><td>");
            const char *lk[3] = { "features", "terms", "hashtags" };
            for (int q = 0; q < 3; q++) {
                json_t *arr = json_object_get(g, lk[q]), *x;
                size_t j;
                json_array_foreach(arr, j, x) {
                    if (j >= 8) break;
                    const char *s = item_name(x);
                    if (!s) continue;
                    P("%s%s", j || q ? " " : "", q == 2 && s[0] != '#' ? "#" : "");
                    TC(s);
                }
            }
            P("</td></tr>");
        }
        P("</tbody></table>");
    }
done:
    return rc;
}

static int examples(rep *R, size_t k)
{
    const ls__nstats *ns = &R->rs.net[k];
    const ls_store *st = R->st;
    int rc = LS_OK;
    if (!ns->n_example) return LS_OK;
    P("<h3>Example posts (most amplified)</h3>");
    for (size_t q = 0; q < ns->n_example; q++) {
        uint64_t i = ns->example[q];
        char when[24];
        ls__fmt_minute(st->ev_time[i], when);
        uint32_t acc = st->ev_account[i];
        P("<div class=\"post\"><div class=\"small muted\">@");
        TS(sget(st, LS_NS_NAME, acc < st->ns[LS_NS_ACCOUNT].n ? st->acc_screen[acc] : LS__NONE));
        P(" \xC2\xB7 %s UTC \xC2\xB7 amplified %u times \xC2\xB7 post ", when, ns->example_amp[q]);
        TS(sget(st, LS_NS_POST, st->ev_post[i]));
        P("</div><div class=\"txt\">");
        TS(sget(st, LS_NS_TEXT, st->ev_text[i]));
        P("</div>");
        int first = 1;
        for (uint32_t j = st->ev_list[i]; j < st->ev_list[i + 1]; j++) {
            if (st->li_type[j] != LS_LI_URL) continue;
            P("%s", first ? "<div class=\"small\">Links: " : " \xC2\xB7 ");
            first = 0;
            ls__str u = sget(st, LS_NS_URL, st->li_id[j]);
            if ((rc = ls__html_url(R->b, u.p, u.n)) != LS_OK) goto done;
        }
        if (!first) P("</div>");
        P("</div>");
    }
done:
    return rc;
}

static int accounts_table(rep *R, size_t k)
{
    uint32_t *mem = NULL;
    size_t n = 0;
    int rc = ls__rdir_members(R->run, (int)k, &mem, &n);
    const ls_store *st = R->st;
    if (rc != LS_OK) return rc;
    size_t shown = LS__MIN(n, R->max_accounts);
    P("<h3>Accounts</h3><input class=\"filter\" type=\"search\" placeholder=\"filter accounts\" "
      "aria-label=\"filter accounts\" data-table=\"acc-%zu\">", k);
    P("<table id=\"acc-%zu\"><thead><tr><th>Account</th><th>Role</th><th class=\"n\">Score</th>"
      "<th>Created</th><th class=\"n\">Followers</th><th>Evidence</th></tr></thead><tbody>\n", k);
    for (size_t q = 0; q < shown; q++) {
        const ls__racct *a = &R->run->acc[mem[q]];
        char created[16] = "", fol[24] = "";
        if (st && a->acc != LS__NONE) {
            if (st->acc_created[a->acc] != LS__TIME_NONE) ls__fmt_day(st->acc_created[a->acc], created);
            if (st->acc_followers[a->acc] >= 0) snprintf(fol, sizeof fol, "%lld", (long long)st->acc_followers[a->acc]);
        }
        P("<tr><td>@");
        TC(a->screen_name);
        P("<br><span class=\"small muted\">");
        TC(a->userid);
        P("</span></td><td>%s</td><td class=\"n\">%.2f</td><td>%s</td><td class=\"n\">%s</td><td class=\"ev\">",
          role_name(a->role), a->score, created, fol);
        TC(a->evidence);
        P("</td></tr>\n");
    }
    P("</tbody></table>");
    if (shown < n)
        P("<p class=\"small muted\">%zu more account%s not shown; every account is in accounts.csv.</p>",
          n - shown, n - shown == 1 ? "" : "s");
done:
    ls__free(mem);
    return rc;
}

static int network_section(rep *R, size_t k)
{
    const ls__rnet *n = &R->run->net[k];
    int rc = LS_OK;
    P("<section class=\"network\" id=\"net-%zu\"><h2>Network ", k);
    TC(n->id);
    P("</h2><p><b>%zu accounts</b>: %zu core, %zu amplifiers; score %.2f.", n->n_accounts, n->n_core,
      n->n_amp, n->score);
    if (R->st) {
        const ls__nstats *ns = &R->rs.net[k];
        if (ns->posts) {
            char a[16], z[16];
            ls__fmt_day(ns->t_first, a); ls__fmt_day(ns->t_last, z);
            P(" %llu posts (%llu original, %llu retweets) from %s to %s.", (unsigned long long)ns->posts,
              (unsigned long long)ns->orig, (unsigned long long)ns->amps, a, z);
        }
    }
    P("</p>");
    const char *tr = traction_sentence(n);
    if (tr) { P("<p><b>Traction:</b> "); TC(tr); P("</p>"); }
    json_t *bo = json_object_get(net_get(n, "traction"), "breakout");
    if (json_is_integer(json_object_get(bo, "category"))) {
        P("<p><b>Breakout Scale:</b> category %lld", (long long)json_integer_value(json_object_get(bo, "category")));
        json_t *rs = json_object_get(bo, "reasons"), *r;
        size_t j;
        json_array_foreach(rs, j, r) {
            P("%s", j ? "; " : ": ");
            if ((rc = json_text(R->b, r)) != LS_OK) goto done;
        }
        P("</p>");
    }
    json_t *linked = net_get(n, "linked"), *it;
    size_t i;
    if (json_array_size(linked)) {
        P("<p><b>Linked to earlier takedowns:</b></p><ul>");
        json_array_foreach(linked, i, it) {
            const char *nm = item_name(it);
            P("<li>");
            TC(nm ? nm : "archive");
            json_t *s = json_object_get(it, "score");
            if (json_is_number(s)) P(" (score %.2f)", json_number_value(s));
            json_t *reasons = json_object_get(it, "reasons"), *r;
            size_t j;
            json_array_foreach(reasons, j, r) {
                P("%s", j ? "; " : ": ");
                if ((rc = json_text(R->b, r)) != LS_OK) goto done;
            }
            P("</li>");
        }
        P("</ul>");
    }
    if ((rc = object_block(R, n, "signals", "Evidence: the signals that define it (each 0 to 1)")) != LS_OK ||
        (rc = object_block(R, n, "facts", "Facts")) != LS_OK)
        goto done;
    if (R->st) {
        if ((rc = chart_days(R, k)) != LS_OK || (rc = chart_hours(R, k)) != LS_OK ||
            (rc = chart_created(R, k)) != LS_OK || (rc = chart_followers(R, k)) != LS_OK)
            goto done;
    }
    if ((rc = picture(R, k)) != LS_OK) goto done;
    if (R->st && ((rc = tops(R, k)) != LS_OK || (rc = examples(R, k)) != LS_OK)) goto done;
    if ((rc = accounts_table(R, k)) != LS_OK) goto done;
    P("</section>\n");
done:
    return rc;
}

static int page(rep *R)
{
    int rc = LS_OK;
    char hs[64], hj[64];
    ls__csp_hash(CSS, sizeof CSS - 1, hs);
    ls__csp_hash(JS, sizeof JS - 1, hj);
    P("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src %s; script-src %s; "
      "img-src 'none'; font-src 'none'; connect-src 'none'; media-src 'none'; object-src 'none'; "
      "frame-src 'none'; worker-src 'none'; manifest-src 'none'; base-uri 'none'; form-action 'none'\">\n"
      "<meta name=\"referrer\" content=\"no-referrer\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>lockstep report</title>\n<style>%s</style>\n</head><body>\n", hs, hj, CSS);
    P("<header><h1>Coordinated networks: lockstep report</h1><p class=\"muted small\">Run folder ");
    TC(R->run->dir);
    if (R->st) { P(" \xC2\xB7 store "); TC(R->st->path); }
    P(". Every name, text and link below was written by the accounts under study and is shown as inert text.</p>"
      "<nav>");
    for (size_t k = 0; k < R->run->n_net; k++) {
        P("<a href=\"#net-%zu\">", k);
        TC(R->run->net[k].id);
        P("</a>");
    }
    P("</nav></header>\n");
    if ((rc = overview(R)) != LS_OK) goto done;
    if ((rc = ls__buf_printf(&R->data, "{\"networks\":[")) != LS_OK) goto done;
    for (size_t k = 0; k < R->run->n_net; k++)
        if ((rc = network_section(R, k)) != LS_OK) goto done;
    if ((rc = ls__buf_printf(&R->data, "]}")) != LS_OK) goto done;
    P("<script type=\"application/json\" id=\"ls-data\">");
    if ((rc = ls__buf_put(R->b, R->data.p, R->data.n)) != LS_OK) goto done;
    P("</script>\n<script>%s</script>\n</body></html>\n", JS);
done:
    return rc;
}

int ls_report(ls_ctx *ctx, const char *run_dir, const ls_report_opts *opts)
{
    ls_report_opts o = { 0 };
    ls__rdir run;
    ls_store *st = NULL;
    ls__buf out = { 0 }, path = { 0 };
    rep R;
    int rc;
    if (opts) o = *opts;
    memset(&R, 0, sizeof R);
    if ((rc = ls__rdir_load(ctx, run_dir, &run)) != LS_OK) return rc;
    if ((rc = ls__rdir_open_store(ctx, &run, o.store, &st)) != LS_OK) goto done;
    if ((rc = ls__rdir_attach(ctx, &run, st)) != LS_OK) goto done;
    R.ctx = ctx; R.run = &run; R.st = st; R.b = &out;
    R.max_accounts = o.max_accounts ? o.max_accounts : 250;
    R.max_nodes = o.max_nodes ? o.max_nodes : 300;
    if ((rc = ls__rstats_compute(ctx, &run, st, &R.rs)) != LS_OK) goto done;
    if ((rc = page(&R)) != LS_OK) {
        if (rc == LS_ERR_NOMEM) rc = ls__fail(ctx, rc, "report: out of memory");
        goto done;
    }
    if (o.out) rc = ls__buf_printf(&path, "%s", o.out);
    else rc = ls__buf_printf(&path, "%s/report.html", run_dir);
    if (rc != LS_OK) { rc = ls__fail(ctx, rc, "out of memory"); goto done; }
    if ((rc = ls__write_file(ctx, path.p, &out)) != LS_OK) goto done;
    /* The manifest sits next to the report. */
    {
        char *slash = strrchr(path.p, '/');
        const char *name = slash ? slash + 1 : path.p;
        ls__buf dir = { 0 };
        if (slash) rc = ls__buf_put(&dir, path.p, (size_t)(slash - path.p));
        else rc = ls__buf_put(&dir, ".", 1);
        if (rc == LS_OK) rc = ls__buf_putc(&dir, 0);
        if (rc == LS_OK) rc = ls__manifest_update(ctx, dir.n > 1 ? dir.p : "/", &name, 1);
        ls__buf_free(&dir);
    }
done:
    ls__rstats_free(&R.rs);
    ls__buf_free(&R.data);
    ls__buf_free(&out);
    ls__buf_free(&path);
    if (st) ls_store_close(st);
    ls__rdir_free(&run);
    return rc;
}
