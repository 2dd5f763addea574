/*
 * cli.h — shared by the subcommands of the lockstep command.  The CLI is a
 * thin layer over the library: each cmd_*.c parses its options, calls the
 * public API and maps statuses to exit codes.
 */
#ifndef LS_CLI_H
#define LS_CLI_H
#include "lockstep.h"

typedef int (*ls_cmd_fn)(int argc, char **argv);
typedef struct { const char *name; ls_cmd_fn fn; const char *summary; } ls_cmd;

/* Prints "lockstep CMD: <status text>: <ctx message>" to stderr and returns
 * the exit code for status. */
int cli_fail(const char *cmd, ls_ctx *ctx, int status);
/* Prints a usage error and returns LS_EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* True when arg is option name, alone or as "name=VALUE". */
int cli_is_opt(const char *arg, const char *name);
/* The value of option argv[*i] ("--opt VALUE" or "--opt=VALUE"), moving *i
 * past a separate value; NULL when the value is missing. */
const char *cli_opt_value(int argc, char **argv, int *i, const char *name);
/* True when argv[i] is "-h" or "--help". */
int cli_is_help(const char *arg);
/* Parses a non-negative integer / double option value; 0 on success. */
int cli_parse_u64(const char *s, unsigned long long *v);
int cli_parse_double(const char *s, double *v);
/* "123", "64K", "512M", "4G" -> bytes; 0 on success. */
int cli_parse_bytes(const char *s, unsigned long long *v);

/* Re-executes the process once with glibc's allocator on transparent
 * huge pages, where that helps (thp.c); returns if it does not. */
void cli_thp_reexec(char **argv);

/* One function per subcommand (src/cli/cmd_NAME.c). */
int cmd_ingest(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_network(int argc, char **argv);
int cmd_why(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_detect(int argc, char **argv);
int cmd_archive(int argc, char **argv);
int cmd_assess(int argc, char **argv);
int cmd_request(int argc, char **argv);
#endif
