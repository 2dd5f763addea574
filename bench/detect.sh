#!/bin/sh
# detect.sh — benchmark of `lockstep detect`: simulates the june2020
# scenario at SCALE (default 1.13: about 10M events, the size in issue 5;
# 1.0 gives about 9M), ingests it, and times
# detect on 2 threads with peak memory from /usr/bin/time; writes
# docs/bench/detect.md.  Not a test: figures depend on the machine.
# usage: sh bench/detect.sh [LOCKSTEP_BINARY] [SCALE]
# Environment:
#   BENCH_STORE=FILE.lss BENCH_TRUTH=truth.csv  use an existing store (and
#       the simulator's truth for F1) instead of simulating and ingesting,
#       which at scale 1 takes longer than detect itself;
#   BENCH_DETECT_ARGS="--no-assess"  extra detect options (default none:
#       detection, assessment and all output files).
# The machine may be shared: user + sys seconds are less disturbed by other
# load than wall seconds, so both are given, with the load average.
set -eu
L=${1:-build/lockstep}
S=${2:-1.13}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
if [ -n "${BENCH_STORE:-}" ]; then
    store=$BENCH_STORE
    truth=${BENCH_TRUTH:-}
    src="store $store"
else
    "$L" simulate --scenario june2020 --scale "$S" --seed 1 -o "$W/w" > /dev/null
    "$L" ingest --quiet -o "$W/s.lss" "$W/w/tweets.csv" "$W/w/users.csv"
    rm -f "$W/w/tweets.csv"
    store=$W/s.lss
    truth=$W/w/truth.csv
    src="simulate --scenario june2020 --scale $S --seed 1, ingest"
fi
events=$("$L" info --json "$store" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("posts", d.get("events", "?")))')
load=$(cut -d' ' -f1-3 /proc/loadavg)
# shellcheck disable=SC2086
/usr/bin/time -v "$L" detect --quiet --threads 2 ${BENCH_DETECT_ARGS:-} "$store" -o "$W/r" 2> "$W/time.txt"
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
wall=$(grep "Elapsed (wall clock)" "$W/time.txt" | awk '{print $NF}')
user=$(grep "User time" "$W/time.txt" | awk '{print $NF}')
sys=$(grep "System time" "$W/time.txt" | awk '{print $NF}')
rss=$(grep "Maximum resident" "$W/time.txt" | awk '{print $NF}')
f1="n/a (no truth)"
if [ -n "$truth" ]; then
    f1=$("$L" eval --json --truth "$truth" "$W/r" | python3 -c 'import json,sys; print("%.4f" % json.load(sys.stdin)["f1"])')
fi
mkdir -p docs/bench
cat > docs/bench/detect.md <<MD
## Detect (bench/detect.sh)

\`sh bench/detect.sh build/lockstep $S\` on $(nproc) cores ($(uname -m)); input: $src;
detect options: \`--quiet --threads 2 ${BENCH_DETECT_ARGS:-}\`.  Load average $load at the
start, $load_end at the end.

| scale | events | wall | user | sys | peak RSS | F1 |
|---|---|---|---|---|---|---|
| $S | $events | $wall | ${user} s | ${sys} s | $((rss / 1024)) MB | $f1 |

Target (issue 5): 10M events in under a minute on 2 cores, under 4 GB.
MD
cat docs/bench/detect.md
