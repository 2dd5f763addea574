/*
 * status.c — status codes: text and exit code of each, from the one
 * LS_STATUS_TABLE in lockstep.h.
 */
#include "core.h"

static const struct { const char *text; int exit_code; } table[] = {
#define LS__ROW(name, exitcode, text) { text, exitcode },
    LS_STATUS_TABLE(LS__ROW)
#undef LS__ROW
};

const char *ls_strerror(int status)
{
    if (status < 0 || status >= LS_STATUS_COUNT) return "unknown status";
    return table[status].text;
}

int ls_status_exit_code(int status)
{
    if (status < 0 || status >= LS_STATUS_COUNT) return LS_EXIT_INTERNAL;
    return table[status].exit_code;
}
