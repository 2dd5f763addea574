/*
 * diag.c — the reasons a row can be rejected or repaired (LS_DIAG_TABLE in
 * store.h): their JSON key, their summary text, and which of them drop the
 * row.
 *
 * Rejected (the row is not in the store): column_count, bad_time,
 * bad_json, missing_id, duplicate, empty_line.
 * Repaired (the row is kept, the damaged part fixed or left out):
 * bad_quoting, bad_utf8, long_field, bad_number, bad_list,
 * rt_author_recovered.
 * Skipped (no post by design, not damage): stream_notice.
 */
#include "store.h"

static const char *const keys[LS_DIAG_COUNT] = {
#define LS__DIAG_KEY(id, key, text) key,
    LS_DIAG_TABLE(LS__DIAG_KEY)
#undef LS__DIAG_KEY
};

static const char *const texts[LS_DIAG_COUNT] = {
#define LS__DIAG_TEXT(id, key, text) text,
    LS_DIAG_TABLE(LS__DIAG_TEXT)
#undef LS__DIAG_TEXT
};

bool ls__diag_is_reject(int reason)
{
    switch (reason) {
    case LS_DIAG_COLUMNS:
    case LS_DIAG_BAD_TIME:
    case LS_DIAG_BAD_JSON:
    case LS_DIAG_MISSING_ID:
    case LS_DIAG_DUPLICATE:
    case LS_DIAG_EMPTY_LINE:
        return true;
    default:
        return false;
    }
}

int ls__diag_kind(int reason)
{
    return reason == LS_DIAG_NOTICE ? LS_DIAG_SKIPPED : ls__diag_is_reject(reason) ? LS_DIAG_REJECTED : LS_DIAG_REPAIRED;
}

const char *ls__diag_kind_name(int kind)
{
    return kind == LS_DIAG_REJECTED ? "rejected" : kind == LS_DIAG_REPAIRED ? "repaired" : "skipped";
}

const char *ls__diag_key(int reason)
{
    return reason >= 0 && reason < LS_DIAG_COUNT ? keys[reason] : "unknown";
}

const char *ls__diag_text(int reason)
{
    return reason >= 0 && reason < LS_DIAG_COUNT ? texts[reason] : "unknown reason";
}
