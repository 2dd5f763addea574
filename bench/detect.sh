#!/bin/sh
# detect.sh — benchmark of `lockstep detect`: simulates the june2020
# scenario at SCALE (1.0 gives about 10M events), ingests it, and times
# detect on 2 threads with peak memory from /usr/bin/time; writes
# docs/bench/detect.md.  Not a test: figures depend on the machine.
# usage: sh bench/detect.sh [LOCKSTEP_BINARY] [SCALE]
set -eu
L=${1:-build/lockstep}
S=${2:-1.0}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
"$L" simulate --scenario june2020 --scale "$S" --seed 1 -o "$W/w" > /dev/null
"$L" ingest --quiet -o "$W/s.lss" "$W/w/tweets.csv" "$W/w/users.csv"
rm -f "$W/w/tweets.csv"
events=$("$L" info --json "$W/s.lss" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("posts", d.get("events", "?")))')
/usr/bin/time -v "$L" detect --quiet --threads 2 "$W/s.lss" -o "$W/r" 2> "$W/time.txt"
wall=$(grep "Elapsed (wall clock)" "$W/time.txt" | awk '{print $NF}')
user=$(grep "User time" "$W/time.txt" | awk '{print $NF}')
sys=$(grep "System time" "$W/time.txt" | awk '{print $NF}')
rss=$(grep "Maximum resident" "$W/time.txt" | awk '{print $NF}')
f1=$("$L" eval --json --truth "$W/w/truth.csv" "$W/r" | python3 -c 'import json,sys; print("%.4f" % json.load(sys.stdin)["f1"])')
mkdir -p docs/bench
cat > docs/bench/detect.md <<MD
## Detect (bench/detect.sh)

\`sh bench/detect.sh build/lockstep $S\` on $(nproc) cores ($(uname -m)).

| scale | events | wall | user | sys | peak RSS | F1 |
|---|---|---|---|---|---|---|
| $S | $events | $wall | ${user} s | ${sys} s | $((rss / 1024)) MB | $f1 |

Target (issue 5): 10M events in under a minute on 2 cores, under 4 GB.
MD
cat docs/bench/detect.md
