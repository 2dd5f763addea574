/*
 * zipout.c — files of a folder packed into one zip (libarchive's writer),
 * for releases published the way platforms published theirs: Twitter's
 * information-operations archives came as zip files of their CSVs.
 *
 * The zip is written atomically (ls__afile: a temporary name, fsync,
 * rename), so a failed run leaves no zip under the final name.  Its bytes
 * depend only on the files': every entry has the same fixed time
 * (1980-01-01, the zip format's first day: the release's own dates are
 * in its rows), owner 0 and mode 0644, and deflate is zlib's, so the same
 * release gives the same zip and the same checksum.
 */
#include "out.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>

#define ZIP_TIME 315532800              /* 1980-01-01T00:00:00Z */
#define CHUNK (1u << 20)

typedef struct { ls_ctx *ctx; ls__afile *af; int st; } zsink;

static la_ssize_t on_write(struct archive *a, void *u, const void *buf, size_t n)
{
    zsink *z = u;
    (void)a;
    if (fwrite(buf, 1, n, z->af->f) != n) {
        z->st = ls__fail(z->ctx, LS_ERR_IO, "cannot write %s: %s", z->af->path, strerror(errno));
        return -1;
    }
    return (la_ssize_t)n;
}

/* Copies dir/name into the zip as entry name. */
static int add_file(ls_ctx *ctx, struct archive *a, zsink *z, const char *dir, const char *name, char *buf)
{
    int rc = LS_OK;
    ls__buf path = { 0 };
    struct archive_entry *e = NULL;
    FILE *f = NULL;
    if (ls__buf_printf(&path, "%s/%s", dir, name) != LS_OK) { rc = ls__fail(ctx, LS_ERR_NOMEM, "zip: out of memory"); goto done; }
    if (!(f = fopen(path.p, "rb"))) { rc = ls__fail(ctx, LS_ERR_IO, "cannot read %s: %s", path.p, strerror(errno)); goto done; }
    if (fseeko(f, 0, SEEK_END) != 0) { rc = ls__fail(ctx, LS_ERR_IO, "cannot read %s: %s", path.p, strerror(errno)); goto done; }
    off_t size = ftello(f);
    rewind(f);
    if (!(e = archive_entry_new())) { rc = ls__fail(ctx, LS_ERR_NOMEM, "zip: out of memory"); goto done; }
    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, size);
    archive_entry_set_mtime(e, ZIP_TIME, 0);
    archive_entry_set_uid(e, 0);
    archive_entry_set_gid(e, 0);
    if (archive_write_header(a, e) != ARCHIVE_OK) goto fail;
    for (;;) {
        size_t k = fread(buf, 1, CHUNK, f);
        if (k && archive_write_data(a, buf, k) != (la_ssize_t)k) goto fail;
        if (k < CHUNK) break;
    }
    if (ferror(f)) { rc = ls__fail(ctx, LS_ERR_IO, "cannot read %s: %s", path.p, strerror(errno)); goto done; }
    goto done;
fail:
    rc = z->st ? z->st : ls__fail(ctx, LS_ERR_IO, "cannot write %s: %s", z->af->path, archive_error_string(a));
done:
    if (f) fclose(f);
    if (e) archive_entry_free(e);
    ls__buf_free(&path);
    return rc;
}

int ls__zip_files(ls_ctx *ctx, const char *dir, const char *const *names, size_t n, const char *zip_path)
{
    ls__afile af = { 0 };
    zsink z = { ctx, &af, LS_OK };
    struct archive *a = NULL;
    char *buf = NULL;
    int rc;
    if ((rc = ls__afile_open(ctx, &af, zip_path)) != LS_OK) return rc;
    if (!(buf = ls__malloc(CHUNK)) || !(a = archive_write_new())) { rc = ls__fail(ctx, LS_ERR_NOMEM, "zip: out of memory"); goto done; }
    if (archive_write_set_format_zip(a) != ARCHIVE_OK || archive_write_zip_set_compression_deflate(a) != ARCHIVE_OK ||
        archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK ||
        archive_write_open(a, &z, NULL, on_write, NULL) != ARCHIVE_OK) {
        rc = ls__fail(ctx, LS_ERR_INTERNAL, "cannot start %s: %s", zip_path, archive_error_string(a));
        goto done;
    }
    for (size_t i = 0; i < n && rc == LS_OK; i++) rc = add_file(ctx, a, &z, dir, names[i], buf);
    if (rc == LS_OK && archive_write_close(a) != ARCHIVE_OK)
        rc = z.st ? z.st : ls__fail(ctx, LS_ERR_IO, "cannot write %s: %s", zip_path, archive_error_string(a));
    if (rc == LS_OK) rc = ls__afile_commit(ctx, &af);
done:
    if (a) archive_write_free(a);
    ls__afile_abort(&af);
    ls__free(buf);
    return rc;
}
