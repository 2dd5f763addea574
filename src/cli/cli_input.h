/*
 * cli_input.h — shared by the network, why and profile commands: opens a
 * STORE, or ingests raw input FILEs into a temporary store first.
 */
#ifndef LS_CLI_INPUT_H
#define LS_CLI_INPUT_H
#include "lockstep.h"
/* paths[0..n): one store, or input files of any format ingest reads.
 * On success *out is an open store (close with ls_store_close). */
int cli_open_input(ls_ctx *ctx, const char *const *paths, size_t n, ls_store **out);
/* "123", "64K", "512M", "4G" -> bytes; 0 on success. */
int cli_parse_bytes(const char *s, unsigned long long *v);
#endif
