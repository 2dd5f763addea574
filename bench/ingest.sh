#!/bin/sh
# ingest.sh — the ingest benchmark: generates a synthetic IO-archive tweets
# CSV (bench/gen_io.c, deterministic; BENCH_INGEST_ROWS rows, 4,000,000 by
# default, about 1.7 GB), reads it once so it is in the page cache, then
# times `wc -l` and `lockstep ingest` on it five times each (alternating)
# and reports medians: wall and CPU (user+sys) seconds, MB/s, rows/s, the
# ratio to `wc -l`, peak RSS (/usr/bin/time), and the store's size per
# event.  Writes docs/bench/ingest.md.
#
# The machine may be shared: CPU time is less disturbed by other load than
# wall time, so both ratios are given, with the load average at the start.
set -eu
BIN=$1
ROWS=${BENCH_INGEST_ROWS:-4000000}
RUNS=${BENCH_RUNS:-5}
W=build/bench
mkdir -p "$W" docs/bench
cc -O2 -o "$W/gen_io" bench/gen_io.c
CSV="$W/io_$ROWS.csv"
if [ ! -s "$CSV" ]; then
    echo "generating $CSV ($ROWS rows)" >&2
    "$W/gen_io" "$ROWS" > "$CSV.part" && mv "$CSV.part" "$CSV"
fi
STORE="$W/io.lss"
cat "$CSV" > /dev/null
load=$(cut -d' ' -f1-3 /proc/loadavg)
: > "$W/wc.times"
: > "$W/ingest.times"
i=0
while [ $i -lt "$RUNS" ]; do
    /usr/bin/time -f "%e %U %S %M" -o "$W/t" wc -l "$CSV" > /dev/null
    cat "$W/t" >> "$W/wc.times"
    /usr/bin/time -f "%e %U %S %M" -o "$W/t" "$BIN" ingest --quiet -o "$STORE" "$CSV"
    cat "$W/t" >> "$W/ingest.times"
    i=$((i + 1))
done
"$BIN" ingest -o "$STORE" "$CSV" > "$W/summary.txt"
"$BIN" info --json "$STORE" > "$W/info.json"
bytes=$(wc -c < "$CSV")
sbytes=$(wc -c < "$STORE")
posts=$(sed -n 's/^  "posts": \([0-9]*\),/\1/p' "$W/info.json")

# median FILE FIELD: median of column FIELD (1 wall, 2 user, 3 sys, 4 RSS,
# 5 user+sys).
median() {
    awk -v f="$2" '{ v = (f == 5) ? $2 + $3 : $f; print v }' "$1" | sort -g |
        awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
wc_wall=$(median "$W/wc.times" 1); wc_cpu=$(median "$W/wc.times" 5)
in_wall=$(median "$W/ingest.times" 1); in_cpu=$(median "$W/ingest.times" 5)
rss=$(median "$W/ingest.times" 4)
f() { awk "BEGIN { printf \"$1\", $2 }"; }
{
    echo "## Ingest"
    echo
    echo "\`sh bench/ingest.sh BINARY\` (part of \`make bench\`): a synthetic IO-archive"
    echo "tweets CSV from bench/gen_io.c, $(f '%.0f' "$ROWS") rows, $(f '%.1f' "$bytes / 1e6") MB, in the"
    echo "page cache; medians of $RUNS runs each; $(nproc) cores; load average at the start: $load."
    echo
    echo "| | wall s | CPU s (user+sys) | MB/s (wall) | rows/s (wall) | ratio to wc -l (wall) | ratio (CPU) |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    echo "| wc -l | $wc_wall | $(f '%.2f' "$wc_cpu") | $(f '%.0f' "$bytes / 1e6 / $wc_wall") | $(f '%.0f' "$ROWS / $wc_wall") | 1 | 1 |"
    echo "| lockstep ingest | $in_wall | $(f '%.2f' "$in_cpu") | $(f '%.0f' "$bytes / 1e6 / $in_wall") | $(f '%.0f' "$ROWS / $in_wall") | $(f '%.1f' "$in_wall / $wc_wall") | $(f '%.1f' "$in_cpu / $wc_cpu") |"
    echo
    echo "- Peak RSS of ingest: $(f '%.0f' "$rss / 1024") MB."
    echo "- Store: $(f '%.1f' "$sbytes / 1e6") MB for $posts events, $(f '%.1f' "$sbytes / $posts") bytes per event in all"
    echo "  (45 bytes of fixed event columns, the rest list entries and interned"
    echo "  strings, mostly tweet texts)."
    echo "- Target (issue 2): within 10x of \`wc -l\`."
    echo
    echo "Summary of the last run:"
    echo
    echo '```'
    sed "s|$PWD/||g" "$W/summary.txt"
    echo '```'
} > docs/bench/ingest.md
cat docs/bench/ingest.md >&2
