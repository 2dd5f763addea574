#!/bin/sh
# ingest_packed.sh — inputs as they are published: a zip of IO-archive CSVs
# (with macOS metadata and media beside them), a tar.gz of bzip2'd v1 JSON
# lines with a delete notice (a stream grab), single .bz2 and .xz files,
# UTF-16 text with a byte-order mark, an archive on stdin.
# Each gives the same store contents as the plain files; messages name
# the entry ("A.zip:dir/tweets.csv:4"); skipped entries are reported;
# damaged or truncated archives fail with exit 3 and leave no store; an
# archive inside an archive is refused naming it; a folder stands for the
# files under it (depth first, names in byte order, hidden/media skipped);
# `detect` reads a zip directly.  The archives are made here with Python's
# zipfile, tarfile, bz2 and lzma modules.
. "$(dirname "$0")/lib.sh"
D=tests/data/diff
CSV=$D/tweets.csv
V1=$D/tweets_v1.jsonl

# counts FILE OUT: info --json without rows_read and the reasons block
# (their examples name the input).
counts() { "$LOCKSTEP" info --json "$1" | sed '/"reasons"/,$d' | grep -v '"rows_read"' > "$2"; }

python3 - "$TMP" "$CSV" "$V1" <<'EOF'
import bz2, io, lzma, sys, tarfile, zipfile
tmp, csv, v1 = sys.argv[1], open(sys.argv[2], 'rb').read(), open(sys.argv[3], 'rb').read()
half = csv.index(b'\n', len(csv) // 2) + 1
header = csv[:csv.index(b'\n') + 1]
with zipfile.ZipFile(tmp + '/release.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('release/', b'')
    z.writestr('release/tweets_1.csv', csv[:half])
    z.writestr('release/tweets_2.csv', header + csv[half:])
    z.writestr('__MACOSX/release/._tweets_1.csv', b'\x00\x05\x16\x07junk')
    z.writestr('release/media/1.jpg', b'\xff\xd8\xff\xe0 not a csv')
def tar(name, mode, files):
    with tarfile.open(tmp + '/' + name, mode) as t:
        for n, b in files:
            ti = tarfile.TarInfo(n); ti.size = len(b); ti.mtime = 0
            t.addfile(ti, io.BytesIO(b))
notice = b'{"delete":{"status":{"id":1,"id_str":"1","user_id":2,"user_id_str":"2"},"timestamp_ms":"1598868000000"}}\n'
tar('grab.tar.gz', 'w:gz', [('2020/06/01/00.json.bz2', bz2.compress(notice + v1))])
tar('nested.tar', 'w', [('inner/release.zip', open(tmp + '/release.zip', 'rb').read())])
open(tmp + '/tweets.csv.bz2', 'wb').write(bz2.compress(csv))
open(tmp + '/tweets.csv.xz', 'wb').write(lzma.compress(csv))
z = open(tmp + '/release.zip', 'rb').read()
open(tmp + '/cut.zip', 'wb').write(z[:len(z) * 2 // 3])
b = bytearray(z); i = b.index(b'release/tweets_1.csv') + 60; b[i] ^= 0x5A
open(tmp + '/flipped.zip', 'wb').write(bytes(b))
open(tmp + '/cut.csv.bz2', 'wb').write(bz2.compress(csv)[:300])
text = csv.decode('utf-8')
open(tmp + '/u16le.csv', 'wb').write(b'\xff\xfe' + text.replace('\n', '\r\n').encode('utf-16-le'))
open(tmp + '/u16be.csv', 'wb').write(b'\xfe\xff' + text.encode('utf-16-be'))
open(tmp + '/u16le_nobom.csv', 'wb').write(text.encode('utf-16-le'))
open(tmp + '/u16be_nobom.csv', 'wb').write(text.encode('utf-16-be'))
b = b'\xff\xfe' + text.encode('utf-16-le'); i = b.index('alice'.encode('utf-16-le'))
open(tmp + '/u16bad.csv', 'wb').write(b[:i] + b'\x00\xd8' + b[i:])
import gzip
open(tmp + '/u16le.csv.gz', 'wb').write(gzip.compress(open(tmp + '/u16le.csv', 'rb').read(), mtime=0))
with zipfile.ZipFile(tmp + '/u16.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('export/u16be.csv', open(tmp + '/u16be.csv', 'rb').read())
EOF

"$LOCKSTEP" ingest --quiet -o "$TMP/plain.lss" "$CSV"
counts "$TMP/plain.lss" "$TMP/plain.counts"
"$LOCKSTEP" ingest --quiet -o "$TMP/v1.lss" "$V1"
counts "$TMP/v1.lss" "$TMP/v1.counts"

# --- a zip of two CSV parts, with metadata and media beside them --------
check_cmd zip_ingest 0 "$LOCKSTEP" ingest -o "$TMP/zip.lss" "$TMP/release.zip"
cat "$TMP/out" "$TMP/err" > "$TMP/zip.err"     # the summary is on stdout
counts "$TMP/zip.lss" "$TMP/zip.counts"
# Two entries where the plain run had one input.
sed 's/"inputs": 2,/"inputs": 1,/' "$TMP/zip.counts" > "$TMP/zip.counts1"
check_same zip_same_contents "$TMP/zip.counts1" "$TMP/plain.counts"
check_grep zip_two_entries '"inputs": 2,' "$TMP/zip.counts"
check_grep zip_summary "ingested 1 input (2 archive entries), 12 rows" "$TMP/zip.err"
check_grep zip_skipped_reported "release.zip: skipped 2 entries that hold no posts .*the first $TMP/release.zip:__MACOSX/release/._tweets_1.csv" "$TMP/zip.err"
# The repaired row's example names the entry and its line.
check_grep zip_entry_named "$TMP/release.zip:release/tweets_1.csv:4: retweet of @alice_hk" "$TMP/zip.err"
# --format io applies to every entry; two threads give the same bytes.
check_cmd zip_format_io 0 "$LOCKSTEP" ingest --quiet --format io --threads 1 -o "$TMP/zip1.lss" "$TMP/release.zip"
check_cmd zip_threads2 0 "$LOCKSTEP" ingest --quiet --threads 2 -o "$TMP/zip2.lss" "$TMP/release.zip"
check_same zip_threads_same "$TMP/zip2.lss" "$TMP/zip1.lss"

# --- the same zip on stdin (streamed through libarchive) ---------------
"$LOCKSTEP" ingest -o "$TMP/stdin.lss" - < "$TMP/release.zip" > "$TMP/out" 2>&1
check_grep stdin_zip_summary "ingested 1 input (2 archive entries), 12 rows" "$TMP/out"
check_grep stdin_zip_entry_named "(stdin):release/tweets_1.csv:4: retweet of @alice_hk" "$TMP/out"
counts "$TMP/stdin.lss" "$TMP/stdin.counts"
check_same stdin_zip_same "$TMP/stdin.counts" "$TMP/zip.counts"

# --- a stream grab: tar.gz of bzip2'd JSON lines ------------------------
# Its delete notice is skipped, counted as such, and no error even with
# --strict (no post by design, not damage).
check_cmd grab_ingest 0 "$LOCKSTEP" ingest --quiet --strict -o "$TMP/grab.lss" "$TMP/grab.tar.gz"
counts "$TMP/grab.lss" "$TMP/grab.counts"
check_grep grab_notice_skipped '"skipped": 1,' "$TMP/grab.counts"
"$LOCKSTEP" info --json "$TMP/grab.lss" > "$TMP/grab.json"
check_grep grab_notice_reason '"stream_notice": {"kind": "skipped", "count": 1, "examples": \["'"$TMP"'/grab.tar.gz:2020/06/01/00.json.bz2:1: delete notice"\]}' "$TMP/grab.json"
grep -v '"skipped"' "$TMP/grab.counts" > "$TMP/grab.c2"
grep -v '"skipped"' "$TMP/v1.counts" > "$TMP/v1.c2"
check_same grab_same_as_v1 "$TMP/grab.c2" "$TMP/v1.c2"

# --- single bzip2 and xz files ------------------------------------------
for k in bz2 xz; do
    check_cmd "${k}_ingest" 0 "$LOCKSTEP" ingest --quiet -o "$TMP/$k.lss" "$TMP/tweets.csv.$k"
    counts "$TMP/$k.lss" "$TMP/$k.counts"
    check_same "${k}_same_contents" "$TMP/$k.counts" "$TMP/plain.counts"
done

# --- UTF-16 with a byte-order mark (Excel "Unicode text", Meltwater) -----
# Plain, inside gzip and inside a zip (a second decoding layer, src.c);
# and without the mark (an ASCII header in UTF-16, utf16.c's sniff).
for k in u16le.csv u16be.csv u16le.csv.gz u16.zip u16le_nobom.csv u16be_nobom.csv; do
    nm=$(echo "$k" | tr -c 'a-z0-9\n' '_')
    check_cmd "${nm}_ingest" 0 "$LOCKSTEP" ingest --quiet -o "$TMP/$nm.lss" "$TMP/$k"
    counts "$TMP/$nm.lss" "$TMP/$nm.counts"
    sed 's/"inputs": 2,/"inputs": 1,/' "$TMP/$nm.counts" > "$TMP/$nm.c1"
    check_same "${nm}_same_contents" "$TMP/$nm.c1" "$TMP/plain.counts"
done
# An unpaired surrogate: U+FFFD, counted as a repair of the input.
check_cmd u16bad_ingest 0 "$LOCKSTEP" ingest --quiet -o "$TMP/u16bad.lss" "$TMP/u16bad.csv"
"$LOCKSTEP" info --json "$TMP/u16bad.lss" > "$TMP/u16bad.json"
check_grep u16bad_counted '"bad_utf8": {"kind": "repaired", "count": 1, "examples": \[".*u16bad.csv:0: 1 invalid UTF-16 sequence(s) replaced by U+FFFD"' "$TMP/u16bad.json"

# --- damaged inputs: exit 3, a message naming them, no store ------------
check_cmd cut_zip_exit3 3 "$LOCKSTEP" ingest --quiet -o "$TMP/cut.lss" "$TMP/cut.zip"
check_grep cut_zip_named "$TMP/cut.zip" "$TMP/err"
check_cmd flipped_zip_exit3 3 "$LOCKSTEP" ingest --quiet -o "$TMP/flip.lss" "$TMP/flipped.zip"
check_grep flipped_zip_entry_named "$TMP/flipped.zip:release/tweets_1.csv: damaged archive entry" "$TMP/err"
check_cmd cut_bz2_exit3 3 "$LOCKSTEP" ingest --quiet -o "$TMP/cbz.lss" "$TMP/cut.csv.bz2"
check_grep cut_bz2_named "$TMP/cut.csv.bz2: corrupt bzip2 data" "$TMP/err"
if ls "$TMP" | grep -q -e '^cut.lss' -e '^flip.lss' -e '^cbz.lss'; then
    fail damaged_no_store "$(ls "$TMP")"; else pass damaged_no_store; fi
# An archive inside an archive: refused, naming it (exit 1).
check_cmd nested_exit1 1 "$LOCKSTEP" ingest --quiet -o "$TMP/n.lss" "$TMP/nested.tar"
check_grep nested_named "$TMP/nested.tar:inner/release.zip: an archive inside an archive" "$TMP/err"

# --- a folder: the files under it, depth first in byte order -----------
mkdir -p "$TMP/dd/b" "$TMP/dd/a/x" "$TMP/dd/a/.cache" "$TMP/empty/.git"
cp "$TMP/tweets.csv.bz2" "$TMP/dd/b/2.csv.bz2"
cp "$TMP/tweets.csv.xz" "$TMP/dd/a/x/1.csv.xz"
cp "$TMP/release.zip" "$TMP/dd/a/0.zip"
echo junk > "$TMP/dd/a/.cache/z"
echo junk > "$TMP/dd/a/cover.png"
echo junk > "$TMP/empty/.git/HEAD"
ln -s ../b "$TMP/dd/a/linked"
check_cmd dir_ingest 0 "$LOCKSTEP" ingest -o "$TMP/dir.lss" "$TMP/dd"
cat "$TMP/out" "$TMP/err" > "$TMP/dir.out"
check_grep dir_listed "$TMP/dd: 3 files (skipped 3 hidden, metadata or media files)" "$TMP/dir.out"
check_grep dir_summary "ingested 3 inputs (2 archive entries), 36 rows" "$TMP/dir.out"
# The first duplicates are those of the second file in the walk's order.
check_grep dir_order "duplicate post id skipped  *24" "$TMP/dir.out"
sed -n '/duplicate post id/{n;p;}' "$TMP/dir.out" > "$TMP/dir.first"
check_grep dir_order_first "$TMP/dd/a/x/1.csv.xz:2:" "$TMP/dir.first"
"$LOCKSTEP" ingest --quiet -o "$TMP/files.lss" "$TMP/dd/a/0.zip" "$TMP/dd/a/x/1.csv.xz" "$TMP/dd/b/2.csv.bz2"
check_same dir_same_as_files "$TMP/dir.lss" "$TMP/files.lss"
# A file name is its author's text: control bytes never reach a message.
mkdir -p "$TMP/esc"
cp "$CSV" "$TMP/esc/$(printf 'a\033[31mb.csv')"
"$LOCKSTEP" ingest -o "$TMP/esc.lss" "$TMP/esc" > "$TMP/esc.out" 2>&1
check_grep dir_escape_shown "esc/a?\[31mb.csv:4: retweet of @alice_hk" "$TMP/esc.out"
if grep -q "$(printf '\033')" "$TMP/esc.out"; then fail dir_escape_never_raw "ESC in the output"; else pass dir_escape_never_raw; fi
check_cmd dir_empty_exit3 3 "$LOCKSTEP" ingest --quiet -o "$TMP/e.lss" "$TMP/empty"
check_grep dir_empty_named "$TMP/empty: a folder with no input files in it (only hidden files, metadata or media)" "$TMP/err"

# --- detect reads a zip directly ----------------------------------------
check_cmd detect_zip 0 "$LOCKSTEP" detect --quiet -o "$TMP/run" "$TMP/release.zip"
if [ -s "$TMP/run/accounts.csv" ]; then pass detect_zip_output; else fail detect_zip_output "no accounts.csv"; fi
