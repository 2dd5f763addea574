#!/bin/sh
# ingest.sh — the ingest benchmark: generates a synthetic IO-archive tweets
# CSV (bench/gen_io.c, deterministic; BENCH_INGEST_ROWS rows, 4,000,000 by
# default, about 1.7 GB), reads it once so it is in the page cache, then
# times `wc -l`, `lockstep ingest --threads 1` and `lockstep ingest
# --threads 2` on it BENCH_RUNS times each (5 by default, alternating) and
# reports medians: wall and CPU (user+sys, and user alone) seconds, MB/s,
# rows/s, the ratio to `wc -l`, peak RSS (/usr/bin/time), and the store's
# size per event (the two stores must be byte-identical).  Writes
# docs/bench/ingest.md.
#
# The machine may be shared: CPU time is less disturbed by other load than
# wall time, so both ratios are given, with the load average at the start.
#
# BENCH_BASELINE=OLD_BINARY adds an older build's `ingest --threads 1`,
# run in turn with the others under the same load, and checks that its
# store is byte-identical to this one's (or, when the layout changed on
# purpose, that `info --json` of the two is).
set -eu
BIN=$1
BASE=${BENCH_BASELINE:-}
ROWS=${BENCH_INGEST_ROWS:-4000000}
RUNS=${BENCH_RUNS:-5}
PAUSE=${BENCH_PAUSE:-4}
W=build/bench
mkdir -p "$W" docs/bench
cc -O2 -o "$W/gen_io" bench/gen_io.c
cc -O2 -o "$W/fresh_mem" bench/fresh_mem.c
CSV="$W/io_$ROWS.csv"
if [ ! -s "$CSV" ]; then
    echo "generating $CSV ($ROWS rows)" >&2
    "$W/gen_io" "$ROWS" > "$CSV.part" && mv "$CSV.part" "$CSV"
fi
STORE="$W/io.lss"
cat "$CSV" > /dev/null
# The machine's price of fresh memory (bench/fresh_mem.c), three probes a
# second apart, before any run: first touch and re-touch, GB/s.
: > "$W/fresh.rates"
for i in 1 2 3; do "$W/fresh_mem" >> "$W/fresh.rates"; sleep 1; done
load=$(cut -d' ' -f1-3 /proc/loadavg)
: > "$W/wc.times"
: > "$W/ingest1.times"
: > "$W/ingest2.times"
: > "$W/base1.times"
i=0
while [ $i -lt "$RUNS" ]; do
    /usr/bin/time -f "%e %U %S %M" -o "$W/t" wc -l "$CSV" > /dev/null
    cat "$W/t" >> "$W/wc.times"
    for t in 1 2; do
        # Each run starts after the same pause: on a VM whose balloon hands
        # freed memory back to the host (docs/ingest.md, "Fresh memory on
        # this VM"), a run right after another one's exit reuses its pages
        # and is 10-20% faster, which would favour whichever runs second.
        sleep "$PAUSE"
        /usr/bin/time -f "%e %U %S %M" -o "$W/t" "$BIN" ingest --quiet --threads $t -o "$STORE.$t" "$CSV"
        cat "$W/t" >> "$W/ingest$t.times"
    done
    if [ -n "$BASE" ]; then
        sleep "$PAUSE"
        /usr/bin/time -f "%e %U %S %M" -o "$W/t" "$BASE" ingest --quiet --threads 1 -o "$STORE.base" "$CSV"
        cat "$W/t" >> "$W/base1.times"
    fi
    i=$((i + 1))
done
cmp "$STORE.1" "$STORE.2" || { echo "ingest.sh: the stores of 1 and 2 threads differ" >&2; exit 1; }
same_base="wrote a byte-identical store"
if [ -n "$BASE" ] && ! cmp -s "$STORE.1" "$STORE.base"; then
    # A store layout that changed on purpose (a diagnostic reason added,
    # say) changes the bytes, not the contents: info --json (read by this
    # binary) must still be the same.
    "$BIN" info --json "$STORE.1" > "$W/info.1"
    "$BIN" info --json "$STORE.base" > "$W/info.base"
    cmp -s "$W/info.1" "$W/info.base" || { echo "ingest.sh: the baseline's store differs" >&2; exit 1; }
    same_base="wrote a store of the same contents (\`info --json\` identical; the bytes differ: the store's diagnostic table gained a reason since)"
fi
rm -f "$STORE.1" "$STORE.2" "$STORE.base"
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
f() { awk "BEGIN { printf \"$1\", $2 }"; }
# row LABEL TIMES: one table row for the runs in TIMES.
row() {
    wall=$(median "$2" 1); cpu=$(median "$2" 5); usr=$(median "$2" 2)
    echo "| $1 | $wall | $(f '%.2f' "$cpu") | $(f '%.2f' "$usr") | $(f '%.0f' "$bytes / 1e6 / $wall") | $(f '%.0f' "$ROWS / $wall") | $(f '%.1f' "$wall / $wc_wall") | $(f '%.1f' "$cpu / $wc_cpu") | $(f '%.0f' "$(median "$2" 4) / 1024") |"
}
{
    echo "## Ingest"
    echo
    echo "\`sh bench/ingest.sh BINARY\` (part of \`make bench\`): a synthetic IO-archive"
    echo "tweets CSV from bench/gen_io.c, $(f '%.0f' "$ROWS") rows, $(f '%.1f' "$bytes / 1e6") MB, in the"
    echo "page cache; medians of $RUNS runs each; $(nproc) cores; load average at the start: $load."
    echo
    echo "| | wall s | CPU s (user+sys) | user s | MB/s (wall) | rows/s (wall) | ratio to wc -l (wall) | ratio (CPU) | peak RSS MB |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    row "wc -l" "$W/wc.times"
    row "lockstep ingest --threads 1" "$W/ingest1.times"
    row "lockstep ingest --threads 2" "$W/ingest2.times"
    [ -n "$BASE" ] && row "baseline ($BASE) --threads 1" "$W/base1.times"
    echo
    echo "- Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "- Store: $(f '%.1f' "$sbytes / 1e6") MB for $posts events, $(f '%.1f' "$sbytes / $posts") bytes per event in all"
    echo "  (45 bytes of fixed event columns, the rest list entries and interned"
    echo "  strings, mostly tweet texts)."
    echo "- Target (issue 2): single-threaded ingest within 10x of \`wc -l\`."
    echo "- Fresh memory on this machine (bench/fresh_mem.c, 256 MiB, three probes before the runs):"
    echo "  first touch $(awk '{ print $1 }' "$W/fresh.rates" | sort -g | tr '\n' ' ')GB/s, once touched"
    echo "  $(awk '{ print $2 }' "$W/fresh.rates" | sort -g | tr '\n' ' ')GB/s.  \`wc -l\` touches"
    echo "  none; ingest touches its peak RSS and the store's page cache (docs/ingest.md,"
    echo "  \"Fresh memory on this VM\")."
    [ -n "$BASE" ] && echo "- The baseline ran in turn with the others and $same_base."
    echo "- Every ingest run starts after a ${PAUSE} s pause, so none reuses the pages the one before"
    echo "  it freed (on this VM that makes a run 10-20% faster and favoured whichever ran second)."
    echo
    echo "Summary of the last run:"
    echo
    echo '```'
    sed "s|$PWD/||g" "$W/summary.txt"
    echo '```'
} > docs/bench/ingest.md
cat docs/bench/ingest.md >&2
