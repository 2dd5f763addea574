#!/bin/sh
# ingest_sortruns.sh — the write-time sort in runs (src/store/builder_runs.c):
# a store with more events than LOCKSTEP_SORT_RUN is sorted in runs of that
# many events, written to run files and merged.  The order is total (time,
# then post id), so the store must be byte for byte the one the in-memory
# sort gives: for every fixture that ingests (IO archive, QUT, mapped CSV,
# v1 and v2 JSON), with runs of 1, 2, 3 and 7 events, with two threads,
# with the columns spilled (LOCKSTEP_SPILL_AT), when appending, for a
# generated IO-archive file shuffled and as generated (in order: no runs
# at all), and for a file with duplicate post ids, also with the post
# pools frozen (LOCKSTEP_FREEZE_AT=1), whose late duplicates are events
# dropped at write time.
. "$(dirname "$0")/lib.sh"
I=tests/data/ingest
J=tests/data/json
MAP=account=account_id,id=post_id,time=timestamp,url=url_id,hashtag=hashtag_id,domain=domain_id,image=phash_id

# same NAME ARGS...: the store of ARGS with the in-memory sort, then with
# runs of 1, 2, 3 and 7 events, must be the same bytes.
same() {
    n=$1; shift
    if ! "$LOCKSTEP" ingest -q -o "$TMP/$n.lss" "$@" > "$TMP/$n.out" 2>&1; then
        fail "sortruns_$n" "$(head -c 600 "$TMP/$n.out")"; return
    fi
    bad=""
    for r in 1 2 3 7; do
        LOCKSTEP_SORT_RUN=$r "$LOCKSTEP" ingest -q -o "$TMP/$n.$r.lss" "$@" > "$TMP/$n.out" 2>&1 &&
            cmp -s "$TMP/$n.lss" "$TMP/$n.$r.lss" || bad="$bad $r"
        rm -f "$TMP/$n.$r.lss"
    done
    if [ -z "$bad" ]; then pass "sortruns_$n"; else fail "sortruns_$n" "runs of$bad events differ"; fi
}

same io_quirks "$I/io_quirks.csv"
same io_bad_rows "$I/io_bad_rows.csv"
same io_reordered --format io "$I/io_reordered.csv"
same io_trimmed "$I/io_trimmed.csv"
same io_tweets_users "$I/io_quirks.csv" "$I/io_users.csv"
same qut "$I/qut.csv"
same mapped --format csv --map "$MAP" "$I/mapped.csv"
same crowdtangle "$I/crowdtangle.csv"
same v1 --format v1 "$J/v1.jsonl"
same v2_pages --format v2 "$J/v2_pages.jsonl"
same v2_flat --format v2 "$J/v2_flat.jsonl"
same v2_pretty --format v2 "$J/v2_pretty.json"
same diff_io tests/data/diff/tweets.csv
same diff_v1 --format v1 tests/data/diff/tweets_v1.jsonl
# A file twice: every row of the second copy is a duplicate.
same twice "$I/io_quirks.csv" "$I/io_quirks.csv"

# A generated IO-archive file (bench/gen_io.c, 4,000 rows, 1.7 MB): as
# generated (in time order: written straight, no runs) and shuffled
# (records, not lines: quoted fields hold newlines), with runs of 7 and
# 1,000 events, two threads, spilled columns.
if ${CC:-cc} -O2 -o "$TMP/gen_io" bench/gen_io.c 2> "$TMP/cc.out" && "$TMP/gen_io" 4000 > "$TMP/gen.csv" &&
   python3 - "$TMP/gen.csv" "$TMP/shuf.csv" <<'EOF'
import csv, random, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
body = rows[1:]
random.Random(7).shuffle(body)
# Some rows again, later: duplicate post ids.
body += body[100:400]
w = csv.writer(open(sys.argv[2], 'w', newline='', encoding='utf-8'), lineterminator='\n')
w.writerow(rows[0])
w.writerows(body)
EOF
then
    for f in gen shuf; do
        "$LOCKSTEP" ingest -q -o "$TMP/$f.lss" "$TMP/$f.csv" > "$TMP/$f.out" 2>&1 || fail "sortruns_${f}_ingest" "$(head -c 400 "$TMP/$f.out")"
        for v in "7 1 " "1000 1 " "1000 2 " "7 2 20000" "1000 1 20000" "7 1 20000 1" "1000 2 0 1"; do
            set -- $v
            LOCKSTEP_SORT_RUN=$1 LOCKSTEP_SPILL_AT=$3 LOCKSTEP_FREEZE_AT=$4 "$LOCKSTEP" ingest -q --threads "$2" \
                -o "$TMP/$f.x.lss" "$TMP/$f.csv" > "$TMP/$f.out" 2>&1
            check_same "sortruns_${f}_run$1_t$2_spill${3:-no}_freeze${4:-no}" "$TMP/$f.x.lss" "$TMP/$f.lss"
        done
    done
    # The shuffled file's duplicates are counted, not stored.
    "$LOCKSTEP" info --json "$TMP/shuf.lss" > "$TMP/shuf.json"
    check_grep sortruns_shuf_posts '"posts": 4000,' "$TMP/shuf.json"
    check_grep sortruns_shuf_dups '"duplicate": {[^}]*"count": 300,' "$TMP/shuf.json"

    # Append: the first 2,000 shuffled rows, then the rest appended with
    # runs of 7 and 1,000 events, and without runs.
    python3 - "$TMP/shuf.csv" "$TMP/a.csv" "$TMP/b.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
for name, part in ((sys.argv[2], rows[1:2001]), (sys.argv[3], rows[2001:])):
    w = csv.writer(open(name, 'w', newline='', encoding='utf-8'), lineterminator='\n')
    w.writerow(rows[0])
    w.writerows(part)
EOF
    for r in "" 7 1000; do
        "$LOCKSTEP" ingest -q -o "$TMP/app$r.lss" "$TMP/a.csv" &&
            LOCKSTEP_SORT_RUN=$r "$LOCKSTEP" ingest -q --append -o "$TMP/app$r.lss" "$TMP/b.csv" > "$TMP/app.out" 2>&1 ||
            fail "sortruns_append_$r" "$(head -c 400 "$TMP/app.out")"
    done
    check_same sortruns_append_run7 "$TMP/app7.lss" "$TMP/app.lss"
    check_same sortruns_append_run1000 "$TMP/app1000.lss" "$TMP/app.lss"
    LOCKSTEP_SPILL_AT=5000 LOCKSTEP_SORT_RUN=7 "$LOCKSTEP" ingest -q --append -o "$TMP/app.lss" "$TMP/b.csv" > "$TMP/app.out" 2>&1
    "$LOCKSTEP" info --json "$TMP/app.lss" > "$TMP/app.json"
    check_grep sortruns_append_again_posts '"posts": 4000,' "$TMP/app.json"
else
    fail sortruns_generate "$(head -c 400 "$TMP/cc.out")"
fi
