/*
 * cmd_simulate.c — `lockstep simulate`: writes a simulated platform with
 * planted influence operations and its ground truth (see
 * docs/simulator.md).  Options map onto ls_sim_set; the work is in
 * src/sim.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: lockstep simulate [--scenario june2020] [--scale F] [--seed N]\n"
    "                         [--format io|v1|v2] [--set KEY=VALUE ...] -o DIR\n"
    "       lockstep simulate --list-params\n"
    "\n"
    "Writes a simulated platform with planted influence operations:\n"
    "  DIR/tweets.csv     tweets in the Twitter IO-archive format (31 columns);\n"
    "                     DIR/tweets.jsonl for --format v1 or v2 (API shapes)\n"
    "  DIR/users.csv      the IO users file of every account\n"
    "  DIR/truth.csv      userid,kind,network,role for every account\n"
    "  DIR/truth_links.csv which archived network each operation descends from\n"
    "  DIR/archive/       the earlier (August 2019) network in the IO format\n"
    "The same seed and options give the same bytes.  Scale 1 mirrors the June\n"
    "2020 PRC takedown (23,750 core accounts, ~150,000 amplifiers) inside an\n"
    "organic population several times larger.\n"
    "\n"
    "options:\n"
    "  --scenario NAME    june2020 (the only one so far)\n"
    "  --scale F          multiplier on every account count (default 1)\n"
    "  --seed N           PRNG seed (default 1)\n"
    "  --format F         io (default), v1 or v2\n"
    "  --set KEY=VALUE    any parameter of --list-params (repeatable)\n"
    "  --params FILE      KEY=VALUE lines (a scenario file; '#' starts a comment);\n"
    "                     applied before the --set options\n"
    "  --list-params      print every parameter with its value and meaning\n"
    "  -o DIR             output directory (created if missing)\n"
    "  --threads N        threads sorting events and formatting the output\n"
    "                     (0 = all cores); the bytes are the same for any N\n"
    "  -q, --quiet        no summary on stderr\n"
    "  -h, --help         this text\n";

#define MAX_SETS 256

/* Applies a scenario file: one KEY=VALUE per line, blank lines and '#'
 * comments ignored.  Errors name the file and line. */
static int apply_file(ls_ctx *ctx, ls_sim *sim, const char *path)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    int st = LS_OK;
    unsigned long n = 0;
    if (!f) {
        fprintf(stderr, "lockstep simulate: cannot open %s\n", path);
        return LS_ERR_IO;
    }
    while (st == LS_OK && fgets(line, sizeof line, f)) {
        n++;
        char *p = line, *e;
        while (*p == ' ' || *p == '\t') p++;
        if ((e = strchr(p, '#'))) *e = 0;
        e = p + strlen(p);
        while (e > p && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t')) *--e = 0;
        if (!*p) continue;
        char *eq = strchr(p, '=');
        if (!eq || eq == p) {
            fprintf(stderr, "lockstep simulate: %s:%lu: expected KEY=VALUE\n", path, n);
            st = LS_ERR_USAGE;
            break;
        }
        *eq = 0;
        char *k = eq;
        while (k > p && (k[-1] == ' ' || k[-1] == '\t')) *--k = 0;
        char *v = eq + 1;
        while (*v == ' ' || *v == '\t') v++;
        if ((st = ls_sim_set(ctx, sim, p, v)) != LS_OK)
            fprintf(stderr, "lockstep simulate: %s:%lu: %s\n", path, n, ls_ctx_message(ctx));
    }
    fclose(f);
    return st;
}

int cmd_simulate(int argc, char **argv)
{
    const char *scenario = "june2020", *dir = NULL, *params = NULL;
    const char *keys[MAX_SETS], *vals[MAX_SETS];
    char *owned[MAX_SETS];
    size_t n_sets = 0, n_owned = 0;
    int list = 0, quiet = 0, rc = LS_EXIT_OK;
    unsigned long long threads = 0;
    ls_ctx *ctx = NULL;
    ls_sim *sim = NULL;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) { fputs(help, stdout); return LS_EXIT_OK; }
        if (strcmp(a, "--list-params") == 0) { list = 1; continue; }
        if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) { quiet = 1; continue; }
        if (strcmp(a, "--scenario") && strcmp(a, "--scale") && strcmp(a, "--seed") && strcmp(a, "--format") &&
            strcmp(a, "--set") && strcmp(a, "-o") && strcmp(a, "--threads") && strcmp(a, "--params"))
            return cli_usage("simulate", a[0] == '-' ? "unknown option '%s'" : "unexpected argument '%s'", a);
        if (i + 1 >= argc) return cli_usage("simulate", "option %s needs a value", a);
        const char *v = argv[++i];
        if (n_sets >= MAX_SETS) return cli_usage("simulate", "too many options");
        if (strcmp(a, "--threads") == 0) {
            if (cli_parse_u64(v, &threads) || threads > 1024)
                return cli_usage("simulate", "--threads needs a number of threads, not '%s'", v);
            continue;
        }
        if (strcmp(a, "--params") == 0) { params = v; continue; }
        if (strcmp(a, "--scenario") == 0) scenario = v;
        else if (strcmp(a, "-o") == 0) dir = v;
        else if (strcmp(a, "--set") == 0) {
            const char *eq = strchr(v, '=');
            if (!eq || eq == v) return cli_usage("simulate", "--set needs KEY=VALUE, not '%s'", v);
            keys[n_sets] = v; vals[n_sets] = eq + 1; n_sets++;
        } else { keys[n_sets] = a + 2; vals[n_sets] = v; n_sets++; }
    }
    if (!list && !dir) return cli_usage("simulate", "no output directory (-o DIR)");
    if (ls_ctx_new(&ctx)) { fprintf(stderr, "lockstep simulate: out of memory\n"); return LS_EXIT_NOMEM; }
    ls_ctx_set_threads(ctx, (int)threads);
    int st = ls_sim_new(ctx, scenario, &sim);
    if (st == LS_OK && params) {
        st = apply_file(ctx, sim, params);
        if (st) {
            rc = st == LS_ERR_IO ? LS_EXIT_IO : LS_EXIT_USAGE;
            ls_sim_free(sim);
            ls_ctx_free(ctx);
            return rc;
        }
    }
    for (size_t i = 0; i < n_sets && st == LS_OK; i++) {
        /* "--set key=value": the key is the text before '='. */
        const char *k = keys[i];
        const char *eq = strchr(k, '=');
        if (eq && vals[i] == eq + 1) {
            size_t n = (size_t)(eq - k);
            char *c = malloc(n + 1);
            if (!c) { st = LS_ERR_NOMEM; break; }
            memcpy(c, k, n); c[n] = 0;
            owned[n_owned++] = c;
            k = c;
        }
        st = ls_sim_set(ctx, sim, k, vals[i]);
    }
    if (st == LS_OK && list) ls_sim_list_params(sim, stdout);
    else if (st == LS_OK) st = ls_sim_write(ctx, sim, dir, quiet ? NULL : stderr);
    if (st == LS_ERR_USAGE) rc = cli_usage("simulate", "%s", ls_ctx_message(ctx));
    else if (st) rc = cli_fail("simulate", ctx, st);
    for (size_t i = 0; i < n_owned; i++) free(owned[i]);
    ls_sim_free(sim);
    ls_ctx_free(ctx);
    return rc;
}
