/*
 * format.h — the on-disk layout of the event store, shared by the writer
 * (builder_write.c), the reader (reader.c) and nothing else.
 *
 * A store is one little-endian file:
 *   bytes 0..31   fixed header: magic "LSSTORE\0", u32 version,
 *                 u32 n_sections, u64 file_size, u64 checksum
 *   bytes 32..    section table: n_sections entries of
 *                 {u32 id, u32 elem_size, u64 offset, u64 count}
 *   then          the sections, each starting on a 64-byte boundary,
 *                 zero padding between them.
 * The checksum is XXH3-64 (seed 0) of every byte from offset 32 (the
 * section table) to the end of the file, so a flipped byte anywhere after
 * the fixed header is caught; the fixed header itself is checked field by
 * field (magic, version, file_size against the real size).
 */
#ifndef LS_STORE_FORMAT_H
#define LS_STORE_FORMAT_H

#include "store.h"

#define LS__STORE_MAGIC "LSSTORE"          /* 8 bytes with the NUL */
#define LS__STORE_VERSION 1u
#define LS__STORE_FIXED 32u                 /* fixed header bytes */
#define LS__STORE_ENTRY 24u                 /* one section table entry */
#define LS__STORE_ALIGN 64u

/* Section ids.  Strings of namespace k use SEC_STR_BLOB + 2k (bytes) and
 * SEC_STR_OFF + 2k (u64 offsets, n+1 of them). */
enum {
    LS__SEC_STR_BLOB = 0,                   /* .. 2*LS_NS_COUNT - 2 */
    LS__SEC_STR_OFF = 1,                    /* .. 2*LS_NS_COUNT - 1 */
    LS__SEC_EV_TIME = 100,
    LS__SEC_EV_POST,
    LS__SEC_EV_ACCOUNT,
    LS__SEC_EV_REF_POST,
    LS__SEC_EV_REF_ACCOUNT,
    LS__SEC_EV_REPLY_POST,
    LS__SEC_EV_REPLY_ACCOUNT,
    LS__SEC_EV_TEXT,
    LS__SEC_EV_LIST,                        /* n_events + 1 entries */
    LS__SEC_EV_KIND,
    LS__SEC_EV_LANG,
    LS__SEC_EV_CLIENT,
    LS__SEC_LI_ID = 200,
    LS__SEC_LI_TYPE,
    LS__SEC_ACC_SCREEN = 300,
    LS__SEC_ACC_DISPLAY,
    LS__SEC_ACC_CREATED,
    LS__SEC_ACC_FOLLOWERS,
    LS__SEC_ACC_FOLLOWING,
    LS__SEC_ACC_LANG,
    LS__SEC_ACC_LOCATION,
    LS__SEC_ACC_DESCRIPTION,
    LS__SEC_ACC_URL,
    LS__SEC_META = 400,                     /* u64[]: rows_read, n_inputs */
    LS__SEC_DIAG_COUNT,                     /* u64 per reason, table order */
    LS__SEC_DIAG_EXAMPLE                    /* char[160] per reason x 5 */
};

#define LS__DIAG_EXAMPLE_SIZE 160u

typedef struct {
    uint32_t id, elem_size;
    uint64_t offset, count;
} ls__section;

/* Little-endian helpers: the store is little-endian on every host; on the
 * little-endian machines lockstep targets these are plain copies. */
static inline void ls__put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}
static inline void ls__put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i));
}
static inline uint32_t ls__get_u32(const unsigned char *p)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v |= (uint32_t)p[i] << (8 * i);
    return v;
}
static inline uint64_t ls__get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

#endif /* LS_STORE_FORMAT_H */
