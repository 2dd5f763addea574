/*
 * main.c — the lockstep command: dispatches subcommands from one table.
 * Each entry names the function in cmd_NAME.c and a one-line summary for
 * `lockstep --help`.
 */
#include "cli.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const ls_cmd commands[] = {
    { "ingest",   cmd_ingest,   "read platform data into an event store" },
    { "info",     cmd_info,     "summarise an event store" },
    { "simulate", cmd_simulate, "write a simulated platform with planted operations and truth" },
    { "eval",     cmd_eval,     "score a detection run against simulated truth" },
    { "network",  cmd_network,  "build co-action networks (co_retweet, co_link, ...) as CSV/GraphML/GEXF" },
    { "why",      cmd_why,      "show the evidence linking two accounts" },
    { "profile",  cmd_profile,  "profile signals of an account (cohort, name template, schedule)" },
    { "detect",   cmd_detect,   "find coordinated networks: clusters, core and amplifiers, scores, evidence" },
    { "report",   cmd_report,   "write the self-contained HTML report of a detect run" },
    { "export",   cmd_export,   "takedown list, transparency archive (IO format, pseudonymised), Gephi files" },
    { "archive",  cmd_archive,  "keep earlier takedowns as fingerprints in the case database (add, list, rm)" },
    { "assess",   cmd_assess,   "narratives, traction and archive links of a detect run's networks" },
    { "request",  cmd_request,  "check a removal request for evidence of coordinated behaviour" },
    /* further commands are added here, one line each */
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
    fprintf(f, "usage: lockstep COMMAND [OPTIONS] ...\n\n"
               "Finds coordinated influence operations in social-media activity.\n\n"
               "commands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'lockstep COMMAND --help' describes a command.\n"
               "exit codes: 0 ok, 1 bad input, 2 usage, 3 I/O, 4 out of memory, 5 internal\n");
}

int cli_fail(const char *cmd, ls_ctx *ctx, int status)
{
    const char *msg = ctx ? ls_ctx_message(ctx) : "";
    fprintf(stderr, "lockstep %s: %s%s%s\n", cmd, ls_strerror(status),
            *msg ? ": " : "", msg);
    return ls_status_exit_code(status);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "lockstep %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'lockstep %s --help')\n", cmd);
    return LS_EXIT_USAGE;
}

int cli_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int cli_is_opt(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

const char *cli_opt_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (argv[*i][n] == '=') return argv[*i] + n + 1;
    if (*i + 1 >= argc) return NULL;
    return argv[++*i];
}

int cli_parse_u64(const char *s, unsigned long long *v)
{
    char *end;
    if (!s || !*s || *s == '-') return -1;
    *v = strtoull(s, &end, 10);
    return *end ? -1 : 0;
}

int cli_parse_double(const char *s, double *v)
{
    char *end;
    if (!s || !*s) return -1;
    *v = strtod(s, &end);
    return *end ? -1 : 0;
}

int cli_parse_bytes(const char *s, unsigned long long *v)
{
    char *end;
    if (!s || !*s || *s == '-') return -1;
    double x = strtod(s, &end);
    unsigned long long mul = 1;
    if (*end == 'K' || *end == 'k') { mul = 1ULL << 10; end++; }
    else if (*end == 'M' || *end == 'm') { mul = 1ULL << 20; end++; }
    else if (*end == 'G' || *end == 'g') { mul = 1ULL << 30; end++; }
    if (*end == 'B' || *end == 'b') end++;
    if (*end || x < 0) return -1;
    *v = (unsigned long long)(x * (double)mul);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) { usage(stderr); return LS_EXIT_USAGE; }
    if (cli_is_help(argv[1])) { usage(stdout); return LS_EXIT_OK; }
    cli_thp_reexec(argv);
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("lockstep %s\n", LS_VERSION);
        return LS_EXIT_OK;
    }
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "lockstep: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return LS_EXIT_USAGE;
}
