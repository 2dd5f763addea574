#!/bin/sh
# simulate.sh — the simulator benchmark: `lockstep simulate --scenario
# june2020` at BENCH_SIM_SCALE (1 by default: 23,750 core accounts, 150,000
# amplifiers, ~9 million events, ~3 GB of CSV), BENCH_RUNS times (3), and
# reports medians of wall and CPU seconds, events per second, MB/s and
# peak RSS, once writing to the disk and once to tmpfs (BENCH_SIM_SHM,
# /dev/shm/lockstep-bench-sim: the generator's rate apart from the disk;
# skipped without room there).  Output goes to BENCH_SIM_DIR (build/bench/sim); the files are
# fsynced (tweets.csv is written with O_DIRECT where possible), so on a
# slow disk wall time measures the disk; the disk's durable rate (dd with
# O_DIRECT and fsync, 1 GiB) is measured first and reported beside.  The machine may
# be shared: CPU time is less disturbed by other load than wall time, so
# both are given with the load average at the start.  Writes
# docs/bench/simulate.md.
set -eu
BIN=$1
SCALE=${BENCH_SIM_SCALE:-1}
RUNS=${BENCH_RUNS:-3}
W=build/bench
OUT=${BENCH_SIM_DIR:-$W/sim}
mkdir -p "$W" docs/bench
load=$(cut -d' ' -f1-3 /proc/loadavg)
# The disk's durable write rate where the output goes (1 GiB with O_DIRECT,
# then fsync, as the simulator writes): tweets.csv cannot be on the disk
# faster than this, whatever the CPU does.
mkdir -p "$OUT"
disk=$(dd if=/dev/zero of="$OUT/dd.bin" bs=8M count=128 oflag=direct conv=fsync 2>&1 |
    sed -n 's/.* copied, \([0-9.]*\) s.*/\1/p')
rm -f "$OUT/dd.bin"
# One set of RUNS runs into directory $1: medians of wall, CPU (user +
# sys) and peak RSS into $wall $cpu $rss; events and bytes from the last.
run_set() {
    set_load=$(cut -d' ' -f1 /proc/loadavg)
    : > "$W/simulate.times"
    i=0
    while [ $i -lt "$RUNS" ]; do
        rm -rf "$1"
        sync
        sleep "${BENCH_PAUSE:-3}"   # fresh memory on this VM: no run reuses the pages the last one freed
        /usr/bin/time -f "%e %U %S %M" -o "$W/t" "$BIN" simulate --scale "$SCALE" -o "$1" 2> "$W/simulate.summary"
        cat "$W/t" >> "$W/simulate.times"
        i=$((i + 1))
    done
    events=$(sed -n 's/.*seed [0-9]*: \([0-9]*\) events.*/\1/p' "$W/simulate.summary")
    arc=$(sed -n 's/.*(archive: \([0-9]*\) events.*/\1/p' "$W/simulate.summary")
    events=$((events + arc))
    bytes=$(cat "$1"/*.csv "$1"/archive/*.csv | wc -c)
    wall=$(median "$W/simulate.times" 1); cpu=$(median "$W/simulate.times" 5); rss=$(median "$W/simulate.times" 4)
    rm -rf "$1"
}
median() {
    awk -v f="$2" '{ v = (f == 5) ? $2 + $3 : $f; print v }' "$1" | sort -g |
        awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
f() { awk "BEGIN { printf \"$1\", $2 }"; }
row() {
    echo "| $1 | $set_load | $SCALE | $events | $(f '%.0f' "$bytes / 1e6") | $wall | $cpu | $(f '%.0f' "$events / $wall") | $(f '%.0f' "$events / $cpu") | $(f '%.1f' "$bytes / 1e6 / $wall") | $(f '%.0f' "$rss / 1024") |"
}
run_set "$OUT"
disk_row=$(row "$OUT (disk, fsynced)")
# The same into tmpfs (memory: no disk), which shows the generator's own
# rate apart from the disk's; skipped where /dev/shm is missing or small.
SHM=${BENCH_SIM_SHM:-/dev/shm/lockstep-bench-sim}
shm_row=
need_kb=$(awk "BEGIN { print int(3.5e6 * $SCALE) + 1048576 }")   # ~3 GB of output at scale 1, and a margin
if [ -d "$(dirname "$SHM")" ] && [ "$(df -Pk "$(dirname "$SHM")" | awk 'NR == 2 { print $4 }')" -gt "$need_kb" ]; then
    run_set "$SHM"
    shm_row=$(row "$SHM (tmpfs)")
fi
{
    echo "## Simulator"
    echo
    echo "\`sh bench/simulate.sh BINARY\` (part of \`make bench\`): \`lockstep simulate --scale $SCALE\`"
    echo "(june2020), $RUNS runs a row (a pause before each), medians; to the disk ($OUT,"
    echo "fsynced) and to tmpfs (the generator's own rate, no disk); $(nproc) cores; load"
    echo "average at the start: $load (each row: at the start of its runs)."
    echo
    echo "| output to | load | scale | events | output MB | wall s | CPU s (user+sys) | events/s (wall) | events/s (CPU) | MB/s (wall) | peak RSS MB |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    echo "$disk_row"
    [ -z "$shm_row" ] || echo "$shm_row"
    echo
    if [ -n "$disk" ]; then
        echo "The disk, measured just before (\`dd bs=8M count=128 oflag=direct conv=fsync\` to the"
        echo "output directory): $(f '%.0f' "1073.741824 / $disk") MB/s durable, so writing the $(f '%.0f' "$bytes / 1e6") MB"
        echo "takes at least $(f '%.2f' "$bytes / 1073741824 * $disk") s: at most $(f '%.0f' "$events / ($bytes / 1073741824 * $disk)") events per wall second"
        echo "even if the world cost nothing to build and format."
        echo
    fi
    echo "Accounts are made on one thread (screen names and ids are unique across"
    echo "the world); each population's events are made by a task of its own on"
    echo "the other cores meanwhile, merged in a fixed order; the organic actions"
    echo "(one stream that draws from every population's posts) run on one thread"
    echo "while users.csv and truth.csv are written beside them; the event sort"
    echo "runs on all cores; tweets.csv is formatted by one worker a core, each"
    echo "taking the next chunk of 2,048 rows and copying it, in its turn, into the"
    echo "sink (O_DIRECT where the file system allows it), so the bytes never"
    echo "depend on the machine or the thread count.  Each worker keeps a small"
    echo "cache of retweeted posts' columns (about five retweet rows in six come"
    echo "from it) and reads accounts through a packed 8-byte table; rows are"
    echo "written with raw stores after one size check.  Events are 24-byte"
    echo "records; the build's lists move to huge-page blocks past 256 KiB, and"
    echo "later arrays grow (realloc, mremap) from spent ones: the sorted array"
    echo "from the pool records and the name set, ids, counts, the writers' buffers"
    echo "and the sink's blocks from the event segments (first touches of fresh"
    echo "memory cost milliseconds a megabyte on this VM).  The sink writes full"
    echo "blocks on a thread of its own while the next one is filled; the copy into"
    echo "its blocks uses non-temporal stores, and the busiest accounts' profile rows"
    echo "are copied into one block of at most 8 MB for the writer (distant reads"
    echo "cost up to microseconds on this VM under load).  CPU time is the"
    echo "figure to compare on a shared machine: wall time follows the other jobs"
    echo "(see the load average) and the disk.  Earlier figures and what changed:"
    echo "docs/simulator.md, Speed."
} > docs/bench/simulate.md
cat docs/bench/simulate.md
