#!/bin/sh
# ingest_errors.sh — how `lockstep ingest` and `lockstep info` fail and
# what they leave behind: a missing input (exit 3, no store), --strict on
# a bad row (exit 1 naming file:line), stdin, .gz and .zst inputs (made
# here with the gzip and zstd tools; same store contents as plain input),
# a truncated .gz (exit 3, no store, an existing store untouched), append
# (counts grow; the same file again only adds duplicates), usage errors
# (exit 2), one or two threads giving the same bytes, damaged stores
# (exit 1), and a full disk (a tiny tmpfs when
# this runs as root; otherwise the unit test's /dev/full check covers it).
. "$(dirname "$0")/lib.sh"
D=tests/data/diff
CSV=$D/tweets.csv

# counts FILE OUT: info --json without the reasons block and rows_read
# (examples name the input file, which differs between the variants).
counts() { sed '/"reasons"/,$d' "$1" > "$2"; }

# --- missing file: exit 3, message, no store ---------------------------
check_cmd missing_file_exit3 3 "$LOCKSTEP" ingest -o "$TMP/m.lss" "$CSV" "$TMP/nope.csv"
check_grep missing_file_message "cannot open $TMP/nope.csv: No such file or directory" "$TMP/err"
if [ -e "$TMP/m.lss" ] || ls "$TMP" | grep -q '\.tmp\.'; then fail missing_file_no_store "a store or temp file was left"; else pass missing_file_no_store; fi

# --- an output folder that does not exist: fails before reading --------
check_cmd missing_out_dir_exit3 3 "$LOCKSTEP" ingest -o "$TMP/no/such/dir/s.lss" "$CSV"
check_grep missing_out_dir_message "cannot create $TMP/no/such/dir/s.lss: No such file or directory" "$TMP/err"

# --- a good store to compare against -----------------------------------
check_cmd plain_ingest 0 "$LOCKSTEP" ingest --quiet -o "$TMP/plain.lss" "$CSV"
"$LOCKSTEP" info --json "$TMP/plain.lss" > "$TMP/plain.json"
counts "$TMP/plain.json" "$TMP/plain.counts"
check_grep plain_posts '"posts": 12,' "$TMP/plain.json"
check_grep plain_inputs '"inputs": 1,' "$TMP/plain.json"
# --quiet prints nothing; without it the summary names the store.
"$LOCKSTEP" ingest --quiet -o "$TMP/q.lss" "$CSV" > "$TMP/q.out" 2>&1
if [ -s "$TMP/q.out" ]; then fail quiet_is_quiet "$(head -c 300 "$TMP/q.out")"; else pass quiet_is_quiet; fi
"$LOCKSTEP" ingest -o "$TMP/v.lss" "$CSV" > "$TMP/v.out" 2>&1
check_grep summary_line "ingested 1 input, 12 rows -> $TMP/v.lss: 12 posts" "$TMP/v.out"
check_grep summary_repair "retweet author recovered from RT @name  *1" "$TMP/v.out"

# --- stdin --------------------------------------------------------------
"$LOCKSTEP" ingest --quiet -o "$TMP/stdin.lss" - < "$CSV"; rc=$?
if [ $rc -eq 0 ]; then pass stdin_exit0; else fail stdin_exit0 "exit $rc"; fi
"$LOCKSTEP" info --json "$TMP/stdin.lss" > "$TMP/stdin.json"
counts "$TMP/stdin.json" "$TMP/stdin.counts"
check_same stdin_same_counts "$TMP/stdin.counts" "$TMP/plain.counts"
check_grep stdin_example_name '(stdin):4: retweet of @alice_hk' "$TMP/stdin.json"

# --- gzip and zstd, by magic bytes --------------------------------------
gzip -c "$CSV" > "$TMP/t.csv.gz"
zstd -q -c "$CSV" > "$TMP/t.csv.zst"
cp "$TMP/t.csv.zst" "$TMP/t_zst_named.csv"
for v in t.csv.gz t.csv.zst t_zst_named.csv; do
    check_cmd "compressed_$v" 0 "$LOCKSTEP" ingest --quiet -o "$TMP/$v.lss" "$TMP/$v"
    "$LOCKSTEP" info --json "$TMP/$v.lss" > "$TMP/$v.json"
    counts "$TMP/$v.json" "$TMP/$v.counts"
    check_same "compressed_same_$v" "$TMP/$v.counts" "$TMP/plain.counts"
done
# gzip through stdin, and concatenated members (gzip -c a b > ab).
gzip -c "$CSV" | "$LOCKSTEP" ingest --quiet -o "$TMP/gzstdin.lss" -
"$LOCKSTEP" info --json "$TMP/gzstdin.lss" > "$TMP/gzstdin.json"
counts "$TMP/gzstdin.json" "$TMP/gzstdin.counts"
check_same gzip_stdin_same "$TMP/gzstdin.counts" "$TMP/plain.counts"
head -n 5 "$CSV" > "$TMP/a.csv"
tail -n +6 "$CSV" > "$TMP/b.part"
{ gzip -c "$TMP/a.csv"; gzip -c "$TMP/b.part"; } > "$TMP/ab.gz"
check_cmd gzip_members 0 "$LOCKSTEP" ingest --quiet -o "$TMP/ab.lss" "$TMP/ab.gz"
"$LOCKSTEP" info --json "$TMP/ab.lss" > "$TMP/ab.json"
counts "$TMP/ab.json" "$TMP/ab.counts"
check_same gzip_members_same "$TMP/ab.counts" "$TMP/plain.counts"

# --- truncated archives: exit 3, no store, old store untouched ----------
size=$(wc -c < "$TMP/t.csv.gz")
head -c $((size - 10)) "$TMP/t.csv.gz" > "$TMP/cut.csv.gz"
check_cmd truncated_gz_exit3 3 "$LOCKSTEP" ingest -o "$TMP/cut.lss" "$TMP/cut.csv.gz"
check_grep truncated_gz_message "cut.csv.gz: truncated gzip stream" "$TMP/err"
if [ -e "$TMP/cut.lss" ]; then fail truncated_gz_no_store; else pass truncated_gz_no_store; fi
size=$(wc -c < "$TMP/t.csv.zst")
head -c $((size / 2)) "$TMP/t.csv.zst" > "$TMP/cut.csv.zst"
cp "$TMP/plain.lss" "$TMP/keep.lss"
check_cmd truncated_zst_exit3 3 "$LOCKSTEP" ingest -o "$TMP/keep.lss" "$CSV" "$TMP/cut.csv.zst"
check_grep truncated_zst_message "cut.csv.zst: truncated zstd stream" "$TMP/err"
check_same truncated_keeps_old_store "$TMP/keep.lss" "$TMP/plain.lss"
if ls "$TMP" | grep -q '\.tmp\.'; then fail no_temp_files_left "$(ls "$TMP")"; else pass no_temp_files_left; fi

# --- strict: the first bad row is an error naming file and line ---------
{ head -n 3 "$CSV"; echo '1,2,3'; tail -n +4 "$CSV"; } > "$TMP/bad.csv"
check_cmd lenient_bad_row_exit0 0 "$LOCKSTEP" ingest --quiet -o "$TMP/bad.lss" "$TMP/bad.csv"
"$LOCKSTEP" info --json "$TMP/bad.lss" > "$TMP/bad.json"
check_grep lenient_counts_reject '"column_count": {"kind": "rejected", "count": 1' "$TMP/bad.json"
check_grep lenient_example "bad.csv:4: 3 columns" "$TMP/bad.json"
check_cmd strict_bad_row_exit1 1 "$LOCKSTEP" ingest --strict -o "$TMP/strict.lss" "$TMP/bad.csv"
check_grep strict_names_file_line "$TMP/bad.csv:4: wrong number of columns" "$TMP/err"
if [ -e "$TMP/strict.lss" ]; then fail strict_no_store; else pass strict_no_store; fi
# rt_author_recovered is not damage: a clean archive passes --strict.
check_cmd strict_clean_exit0 0 "$LOCKSTEP" ingest --strict --quiet -o "$TMP/sc.lss" "$CSV"

# --- one thread or two: the same store, byte for byte -------------------
cat "$TMP/bad.csv" "$TMP/b.part" > "$TMP/mixed.csv"
check_cmd threads1 0 "$LOCKSTEP" ingest --quiet --threads 1 -o "$TMP/t1.lss" "$TMP/mixed.csv" "$CSV" "$D/tweets_v1.jsonl"
check_cmd threads2 0 "$LOCKSTEP" ingest --quiet --threads 2 -o "$TMP/t2.lss" "$TMP/mixed.csv" "$CSV" "$D/tweets_v1.jsonl"
check_same threads_same_store "$TMP/t2.lss" "$TMP/t1.lss"
"$LOCKSTEP" info --json "$TMP/t2.lss" > "$TMP/t2.json"
check_grep threads_duplicates_counted '"duplicate": {"kind": "rejected", "count": ' "$TMP/t2.json"

# --- append -------------------------------------------------------------
check_cmd append_first 0 "$LOCKSTEP" ingest --quiet -o "$TMP/app.lss" "$TMP/a.csv"
"$LOCKSTEP" info --json "$TMP/app.lss" > "$TMP/app1.json"
check_grep append_first_posts '"posts": 4,' "$TMP/app1.json"
{ head -n 1 "$CSV"; cat "$TMP/b.part"; } > "$TMP/b.csv"
check_cmd append_second 0 "$LOCKSTEP" ingest --quiet --append -o "$TMP/app.lss" "$TMP/b.csv"
"$LOCKSTEP" info --json "$TMP/app.lss" > "$TMP/app2.json"
counts "$TMP/app2.json" "$TMP/app2.counts"
# Two halves appended make the same store contents as the whole file,
# apart from the number of inputs.
grep -v '"inputs"' "$TMP/app2.counts" > "$TMP/app2.c"
grep -v '"inputs"' "$TMP/plain.counts" > "$TMP/plain.c"
check_same append_halves_equal_whole "$TMP/app2.c" "$TMP/plain.c"
check_grep append_inputs '"inputs": 2,' "$TMP/app2.json"
check_cmd append_again 0 "$LOCKSTEP" ingest --quiet --append -o "$TMP/app.lss" "$TMP/b.csv"
"$LOCKSTEP" info --json "$TMP/app.lss" > "$TMP/app3.json"
check_grep append_again_posts_same '"posts": 12,' "$TMP/app3.json"
check_grep append_again_duplicates '"duplicate": {"kind": "rejected", "count": 8' "$TMP/app3.json"
check_grep append_again_inputs '"inputs": 3,' "$TMP/app3.json"
check_cmd append_creates 0 "$LOCKSTEP" ingest --quiet --append -o "$TMP/new.lss" "$CSV"
echo 'not a store' > "$TMP/junk.lss"
check_cmd append_to_junk_exit1 1 "$LOCKSTEP" ingest --quiet --append -o "$TMP/junk.lss" "$CSV"
check_grep append_to_junk_message "not a lockstep event store" "$TMP/err"

# --- usage errors -------------------------------------------------------
check_cmd usage_no_output 2 "$LOCKSTEP" ingest "$CSV"
check_cmd usage_no_input 2 "$LOCKSTEP" ingest -o "$TMP/x.lss"
check_cmd usage_unknown_option 2 "$LOCKSTEP" ingest --frobnicate -o "$TMP/x.lss" "$CSV"
check_cmd usage_bad_format 2 "$LOCKSTEP" ingest --format xml -o "$TMP/x.lss" "$CSV"
# --format csv without --map guesses the map from the header (csvguess.c):
# here the IO archive's own names.
check_cmd csv_without_map_guesses 0 "$LOCKSTEP" ingest --format csv -o "$TMP/x.lss" "$CSV"
check_grep csv_without_map_printed 'columns of the header guessed: --map account=userid,time=tweet_time,id=tweetid' "$TMP/out"
check_cmd ingest_help 0 "$LOCKSTEP" ingest --help
check_grep ingest_help_text "usage: lockstep ingest" "$TMP/out"
check_cmd info_help 0 "$LOCKSTEP" info --help
check_cmd info_usage 2 "$LOCKSTEP" info
echo 'hello' > "$TMP/hello.txt"
check_cmd undetectable_format_exit1 1 "$LOCKSTEP" ingest -o "$TMP/x.lss" "$TMP/hello.txt"
check_grep undetectable_message "hello.txt: cannot tell the input format" "$TMP/err"

# --- damaged stores -----------------------------------------------------
check_cmd info_not_store 1 "$LOCKSTEP" info "$TMP/junk.lss"
check_cmd info_missing 3 "$LOCKSTEP" info "$TMP/none.lss"
cp "$TMP/plain.lss" "$TMP/flip.lss"
printf '\377' | dd of="$TMP/flip.lss" bs=1 seek=200 conv=notrunc 2>/dev/null
check_cmd info_flipped_byte 1 "$LOCKSTEP" info "$TMP/flip.lss"
check_grep info_flipped_message "checksum mismatch" "$TMP/err"
size=$(wc -c < "$TMP/plain.lss")
head -c $((size - 64)) "$TMP/plain.lss" > "$TMP/short.lss"
check_cmd info_truncated 1 "$LOCKSTEP" info "$TMP/short.lss"
check_grep info_truncated_message "truncated" "$TMP/err"

# --- a full disk --------------------------------------------------------
if [ "$(id -u)" = 0 ] && mkdir -p "$TMP/full" && mount -t tmpfs -o size=8k tmpfs "$TMP/full" 2>/dev/null; then
    check_cmd full_disk_exit3 3 "$LOCKSTEP" ingest -o "$TMP/full/s.lss" "$CSV"
    check_grep full_disk_message "No space left on device" "$TMP/err"
    if [ -n "$(ls -A "$TMP/full")" ]; then fail full_disk_nothing_left "$(ls -A "$TMP/full")"; else pass full_disk_nothing_left; fi
    umount "$TMP/full"
else
    echo "SKIP full_disk (needs root to mount a small tmpfs; the unit test uses /dev/full)"
fi
