/*
 * archive.c — zip, tar (plain or compressed), 7z and rar archives as
 * inputs: every entry that holds data is read as an input of its own,
 * named "ARCHIVE:ENTRY" in messages, in the archive's order.  Platforms and
 * archives publish activity this way: Twitter's information-operations
 * releases came as zip files of CSVs, the Internet Archive's stream grabs
 * as tar files of bzip2'd JSON lines.  libarchive reads the containers;
 * each entry is an ls__src (src.c), so compressed entries (.json.bz2 in a
 * tar) and format detection work as for files.
 *
 * What is skipped, by its name or type, and counted (never silently): links,
 * devices and other non-files, macOS metadata (__MACOSX/, ._*, .DS_Store),
 * media and documents (images, video, audio, pdf, office files, markdown,
 * html) that archive releases put beside the data, and a release's own
 * papers: manifest.json, README*, LICENSE*.  Any other entry must be an input
 * that ingest can read; one that is not fails the run naming it.
 */
#include "arc.h"

#include <archive.h>
#include <archive_entry.h>
#include <strings.h>
#include <sys/stat.h>

#define READ_BLOCK (1u << 20)
#define NAME_MAX_SHOWN 512
#define STREAM_BUF (1u << 20)

struct ls__arc {
    ls_ctx *ctx;
    char *name;                 /* the archive, as shown */
    struct archive *a;
    ls__src *src;               /* streamed archives: where bytes come from */
    char *sbuf;                 /* ... and the window handed to libarchive */
    int src_st;                 /* a failure of src, reported as it was */
    char *entry_name;           /* the current entry, "ARCHIVE:ENTRY" */
    size_t skipped;
    char first_skipped[NAME_MAX_SHOWN + 2];
};

int ls__arc_sniff(const char *p, size_t n)
{
    if (n >= 4 && p[0] == 'P' && p[1] == 'K' &&
        ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6) || (p[2] == 7 && p[3] == 8)))
        return 1;                                               /* zip (also empty, spanned) */
    if (n >= 6 && memcmp(p, "7z\xBC\xAF\x27\x1C", 6) == 0) return 1;
    if (n >= 6 && memcmp(p, "Rar!\x1A\x07", 6) == 0) return 1;
    if (n >= 262 && memcmp(p + 257, "ustar", 5) == 0) return 1;   /* POSIX and GNU tar */
    return 0;
}

static la_ssize_t on_read(struct archive *a, void *u, const void **buf)
{
    ls__arc *r = u;
    size_t got = 0;
    (void)a;
    int st = ls__src_read(r->src, r->sbuf, STREAM_BUF, &got);
    if (st) { r->src_st = st; return -1; }
    *buf = r->sbuf;
    return (la_ssize_t)got;
}

static int fail(ls__arc *r, const char *what)
{
    if (r->src_st) return r->src_st;
    const char *why = archive_error_string(r->a);
    return ls__fail(r->ctx, LS_ERR_IO, "%s: %s (%s)", what, "damaged or unreadable archive",
                    why && *why ? why : "libarchive gave no reason");
}

int ls__arc_open(ls_ctx *ctx, const char *name, const char *path, ls__src *src, ls__arc **out)
{
    int st = LS_OK;
    ls__arc *r = ls__calloc(1, sizeof *r);
    *out = NULL;
    if (!r || !(r->name = ls__strdup(name)) || !(r->a = archive_read_new())) {
        if (r) ls__free(r->name);
        ls__free(r);
        return ls__fail(ctx, LS_ERR_NOMEM, "out of memory opening %s", name);
    }
    r->ctx = ctx;
    struct archive *a = r->a;
    if (archive_read_support_format_zip(a) != ARCHIVE_OK || archive_read_support_format_tar(a) != ARCHIVE_OK ||
        archive_read_support_format_gnutar(a) != ARCHIVE_OK || archive_read_support_format_7zip(a) != ARCHIVE_OK ||
        archive_read_support_format_rar(a) != ARCHIVE_OK || archive_read_support_format_rar5(a) != ARCHIVE_OK) {
        st = fail(r, name);
        goto done;
    }
    if (path) {
        /* Outer compression (tar.gz, tar.zst, tar.bz2...) by libarchive. */
        if (archive_read_support_filter_all(a) < ARCHIVE_WARN ||
            archive_read_open_filename(a, path, READ_BLOCK) != ARCHIVE_OK)
            st = fail(r, name);
    } else {
        r->src = src;
        if (!(r->sbuf = ls__malloc(STREAM_BUF))) st = ls__fail(ctx, LS_ERR_NOMEM, "out of memory reading %s", name);
        else if (archive_read_open(a, r, NULL, on_read, NULL) != ARCHIVE_OK) st = fail(r, name);
    }
done:
    if (st) { ls__arc_close(r); return st; }
    *out = r;
    return LS_OK;
}

int ls__arc_skip_name(const char *name)
{
    static const char *const ext[] = {
        "jpg", "jpeg", "png", "gif", "webp", "bmp", "tif", "tiff", "svg", "heic", "mp4", "mov", "avi",
        "mkv", "webm", "m4v", "mp3", "m4a", "wav", "ogg", "pdf", "doc", "docx", "xls", "xlsx", "ppt",
        "pptx", "odt", "ods", "rtf", "ttf", "otf", "woff", "ico", "md", "html", "htm",
    };
    if (strncmp(name, "__MACOSX/", 9) == 0 || strstr(name, "/__MACOSX/")) return 1;
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    if (strncmp(base, "._", 2) == 0 || strcmp(base, ".DS_Store") == 0) return 1;
    /* A release's own papers: its manifest (lockstep's releases carry
     * one), read-me and licence files. */
    if (strcmp(base, "manifest.json") == 0 || strncasecmp(base, "readme", 6) == 0 ||
        strncasecmp(base, "license", 7) == 0 || strncasecmp(base, "licence", 7) == 0)
        return 1;
    const char *dot = strrchr(base, '.');
    if (!dot) return 0;
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
        if (strcasecmp(dot + 1, ext[i]) == 0) return 1;
    return 0;
}

/* "ARCHIVE:ENTRY" with control bytes shown as '?': entry names are the
 * archive author's text and go to terminals and reports. */
static char *shown_name(const char *arc, const char *entry)
{
    size_t na = strlen(arc), ne = strlen(entry);
    if (ne > NAME_MAX_SHOWN) ne = NAME_MAX_SHOWN;
    char *s = ls__malloc(na + ne + 2);
    if (!s) return NULL;
    memcpy(s, arc, na);
    s[na] = ':';
    for (size_t i = 0; i < ne; i++) {
        unsigned char c = (unsigned char)entry[i];
        s[na + 1 + i] = c < 0x20 || c == 0x7F ? '?' : (char)c;
    }
    s[na + 1 + ne] = '\0';
    return s;
}

static int read_entry(void *u, void *buf, size_t cap, size_t *got)
{
    ls__arc *r = u;
    *got = 0;
    la_ssize_t k = archive_read_data(r->a, buf, cap);
    if (k < 0) {
        if (r->src_st) return r->src_st;
        const char *why = archive_error_string(r->a);
        return ls__fail(r->ctx, LS_ERR_IO, "%s: damaged archive entry (%s)", r->entry_name,
                        why && *why ? why : "libarchive gave no reason");
    }
    *got = (size_t)k;
    return LS_OK;
}

int ls__arc_next(ls__arc *r, ls__src **entry)
{
    *entry = NULL;
    for (;;) {
        struct archive_entry *e;
        int rc = archive_read_next_header(r->a, &e);
        if (rc == ARCHIVE_EOF) return LS_OK;
        if (rc < ARCHIVE_WARN) return fail(r, r->name);
        const char *en = archive_entry_pathname_utf8(e);
        if (!en) en = archive_entry_pathname(e);
        if (!en) en = "(unnamed entry)";
        if (archive_entry_filetype(e) == AE_IFDIR) continue;
        ls__free(r->entry_name);
        if (!(r->entry_name = shown_name(r->name, en)))
            return ls__fail(r->ctx, LS_ERR_NOMEM, "out of memory reading %s", r->name);
        if (archive_entry_filetype(e) != AE_IFREG || ls__arc_skip_name(en)) {
            if (!r->skipped++) snprintf(r->first_skipped, sizeof r->first_skipped, "%s", r->entry_name);
            continue;
        }
        uint64_t size = archive_entry_size_is_set(e) && archive_entry_size(e) > 0 ? (uint64_t)archive_entry_size(e) : 0;
        return ls__src_from(r->ctx, r->entry_name, read_entry, r, size, entry);
    }
}

size_t ls__arc_skipped(const ls__arc *r, const char **first)
{
    *first = r->first_skipped;
    return r->skipped;
}

uint64_t ls__arc_raw_bytes(const ls__arc *r)
{
    la_int64_t n = archive_filter_bytes(r->a, -1);
    return n > 0 ? (uint64_t)n : 0;
}

void ls__arc_close(ls__arc *r)
{
    if (!r) return;
    if (r->a) archive_read_free(r->a);
    ls__free(r->sbuf);
    ls__free(r->entry_name);
    ls__free(r->name);
    ls__free(r);
}
