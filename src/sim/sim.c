/*
 * sim.c — the simulator's public face: scenarios, parameters (--set and
 * --list-params from the table in params.h) and ls_sim_write, which builds
 * the world and writes every output file atomically.
 */
#include "sim.h"
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

/* Seconds on a monotonic clock: only for the summary on stderr, never in
 * the data. */
static double mono(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static const struct { const char *name; double def; const char *doc; } param_info[P_COUNT] = {
#define LS__PINFO(id, name, def, doc) { name, def, doc },
    LS_SIM_PARAMS(LS__PINFO)
#undef LS__PINFO
};

int ls_sim_new(ls_ctx *ctx, const char *scenario, ls_sim **out)
{
    *out = NULL;
    if (!scenario) scenario = "june2020";
    if (strcmp(scenario, "june2020") != 0)
        return ls__fail(ctx, LS_ERR_USAGE, "unknown scenario '%s' (known: june2020)", scenario);
    ls_sim *s = ls__calloc(1, sizeof *s);
    if (!s) return ls__fail(ctx, LS_ERR_NOMEM, "out of memory");
    for (int i = 0; i < P_COUNT; i++) s->v[i] = param_info[i].def;
    s->seed = 1;
    s->format = 0;
    snprintf(s->scenario, sizeof s->scenario, "%s", scenario);
    *out = s;
    return LS_OK;
}

void ls_sim_free(ls_sim *sim) { ls__free(sim); }

int ls_sim_set(ls_ctx *ctx, ls_sim *sim, const char *key, const char *value)
{
    char *end;
    if (!key || !value) return ls__fail(ctx, LS_ERR_USAGE, "missing parameter name or value");
    if (strcmp(key, "seed") == 0) {
        errno = 0;
        unsigned long long v = strtoull(value, &end, 10);
        if (!*value || *end || *value == '-' || errno)
            return ls__fail(ctx, LS_ERR_USAGE, "seed must be a non-negative integer, not '%s'", value);
        sim->seed = v;
        return LS_OK;
    }
    if (strcmp(key, "format") == 0) {
        if (strcmp(value, "io") == 0) sim->format = 0;
        else if (strcmp(value, "v1") == 0) sim->format = 1;
        else if (strcmp(value, "v2") == 0) sim->format = 2;
        else return ls__fail(ctx, LS_ERR_USAGE, "format must be io, v1 or v2, not '%s'", value);
        return LS_OK;
    }
    for (int i = 0; i < P_COUNT; i++) {
        if (strcmp(key, param_info[i].name) != 0) continue;
        errno = 0;
        double v = strtod(value, &end);
        if (!*value || *end || errno || v != v || v < 0 || v > 1e12)
            return ls__fail(ctx, LS_ERR_USAGE, "%s must be a non-negative number, not '%s'", key, value);
        if (strstr(param_info[i].doc, "share") && v > 1)
            return ls__fail(ctx, LS_ERR_USAGE, "%s is a share and must be between 0 and 1, not '%s'", key, value);
        if (i == P_HASHED && v != 0 && v != 1 && v != 2)
            return ls__fail(ctx, LS_ERR_USAGE, "hashed_ids must be 0, 1 or 2, not '%s'", value);
        if (i == P_SCALE && (v <= 0 || v > 100))
            return ls__fail(ctx, LS_ERR_USAGE, "scale must be in (0, 100], not '%s'", value);
        sim->v[i] = v;
        return LS_OK;
    }
    return ls__fail(ctx, LS_ERR_USAGE, "unknown parameter '%s' (see --list-params)", key);
}

void ls_sim_list_params(const ls_sim *sim, FILE *out)
{
    fprintf(out, "%-28s %-12s %s\n", "seed", "", "PRNG seed (same seed and parameters, same bytes)");
    fprintf(out, "%-28s %-12s %s\n", "format", "", "io (CSV), v1 or v2 (JSON lines)");
    for (int i = 0; i < P_COUNT; i++)
        fprintf(out, "%-28s %-12g %s\n", param_info[i].name, sim->v[i], param_info[i].doc);
}

/* Creates dir and any missing parents, like `mkdir -p`. */
static int mkdir_p(ls_ctx *ctx, const char *dir)
{
    char path[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof path) return ls__fail(ctx, LS_ERR_USAGE, "bad output directory '%s'", dir);
    memcpy(path, dir, n + 1);
    for (size_t i = 1; i < n; i++) {
        if (path[i] != '/') continue;
        path[i] = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return ls__fail(ctx, LS_ERR_IO, "cannot create directory %s: %s", path, strerror(errno));
        path[i] = '/';
    }
    if (mkdir(dir, 0777) == 0 || errno == EEXIST) {
        struct stat sb;
        if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode)) return LS_OK;
        return ls__fail(ctx, LS_ERR_IO, "%s exists and is not a directory", dir);
    }
    return ls__fail(ctx, LS_ERR_IO, "cannot create directory %s: %s", dir, strerror(errno));
}

/* The files that need only the accounts: users, truth and the archive's
 * users.  The build runs this while it makes the events. */
static int write_accounts(ls_ctx *ctx, const ls__sim_world *w, void *arg)
{
    const char *dir = arg;
    ls__buf path = { 0 };
    int st;
#define PATH(fmt) do { path.n = 0; if (ls__buf_printf(&path, fmt, dir)) { st = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; } } while (0)
    PATH("%s/users.csv");
    if ((st = ls__sim_write_users(ctx, w, path.p, 0))) goto done;
    if ((st = ls__sim_write_truth(ctx, w, dir))) goto done;
    PATH("%s/archive");
    if ((st = mkdir_p(ctx, path.p))) goto done;
    PATH("%s/archive/china_082019_users.csv");
    st = ls__sim_write_users(ctx, w, path.p, 1);
#undef PATH
done:
    ls__buf_free(&path);
    return st;
}

int ls_sim_write(ls_ctx *ctx, const ls_sim *sim, const char *dir, FILE *report)
{
    ls__sim_world w;
    ls__buf path = { 0 };
    int st;
    memset(&w, 0, sizeof w);
    w.p = sim;
    w.seed = sim->seed;
    /* The API formats carry numeric ids; hashed ids exist only in IO files. */
    if (sim->v[P_HASHED] != 0 && sim->format != 0)
        return ls__fail(ctx, LS_ERR_USAGE, "hashed_ids needs --format io (the API formats carry numeric ids)");
    if ((st = mkdir_p(ctx, dir))) return st;
    double t_start = mono();
    w.side = write_accounts;
    w.side_arg = (void *)dir;
    if ((st = ls__sim_build(ctx, &w))) goto done;
    double t_built = mono();
#define PATH(fmt) do { path.n = 0; if (ls__buf_printf(&path, fmt, dir)) { st = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; } } while (0)
    if (sim->format == 0) {
        PATH("%s/tweets.csv");
        if ((st = ls__sim_write_io(ctx, &w, path.p, 0))) goto done;
    } else {
        PATH("%s/tweets.jsonl");
        if ((st = ls__sim_write_json(ctx, &w, path.p, sim->format == 2))) goto done;
    }
    PATH("%s/archive/china_082019_tweets.csv");
    if ((st = ls__sim_write_io(ctx, &w, path.p, 1))) goto done;
#undef PATH
    if (report) {
        size_t n_arc = 0;
        size_t by_kind[K_COUNT] = { 0 };
        for (size_t i = 0; i < w.n_acct; i++) by_kind[w.acct[i].kind]++;
        /* Only the archive's range (a pass over all 9 million events
         * at scale 1 was tens of milliseconds). */
        for (size_t i = w.arc_ev0; i < w.arc_ev1; i++) n_arc += ls__sim_is_archive(&w, w.ev[i].user);
        fprintf(report, "simulated %s at scale %g, seed %llu: %zu events, %zu accounts (archive: %zu events, %zu accounts)\n",
                sim->scenario, sim->v[P_SCALE], (unsigned long long)sim->seed, w.n_ev - n_arc,
                w.n_acct - by_kind[K_ARCHIVE], n_arc, by_kind[K_ARCHIVE]);
        double t_end = mono();
        fprintf(report, "  built in %.2f s, written in %.2f s (%.0f events/s)\n", t_built - t_start, t_end - t_built,
                t_end > t_start ? (double)w.n_ev / (t_end - t_start) : 0.0);
        fprintf(report, "  operation june2020: %u core, %u amplifiers\n", w.op_core1 - w.op_core0, w.op_amp1 - w.op_amp0);
        for (int k = 1; k < K_ARCHIVE; k++) fprintf(report, "  %-20s %zu accounts\n", ls__sim_kind_name[k], by_kind[k]);
    }
done:
    ls__buf_free(&path);
    ls__sim_world_free(&w);
    return st;
}
