#!/bin/sh
# demo.sh — the main job on the built-in scenario, end to end:
#   1. simulate the June 2020 world (an operation of core accounts and
#      amplifiers, a second smaller operation, organic users and organic
#      look-alikes) with its ground truth and the archived 2019 network;
#   2. keep the 2019 network in a case database as an earlier takedown;
#   3. ingest the tweets and users into an event store;
#   4. detect networks, roles, scores, narratives, traction and links;
#   5. score the run against the truth;
#   6. write the HTML report.
# Usage: scripts/demo.sh PATH/TO/lockstep   (DEMO_SCALE, DEMO_SEED, DEMO_OUT)
set -eu
LS=${1:-build/lockstep}
OUT=${DEMO_OUT:-demo-out}
SCALE=${DEMO_SCALE:-0.05}
SEED=${DEMO_SEED:-1}
rm -rf "$OUT"
mkdir -p "$OUT"
step() { printf '\n== %s\n' "$*"; }

step "1. simulating scenario june2020 at scale $SCALE (seed $SEED) into $OUT/world"
"$LS" simulate --scenario june2020 --scale "$SCALE" --seed "$SEED" -o "$OUT/world"

step "2. archiving the earlier (August 2019) network in $OUT/case.db"
"$LS" archive add china_082019 "$OUT"/world/archive/*.csv --db "$OUT/case.db"

step "3. ingesting tweets and users into $OUT/store.lss"
"$LS" ingest -o "$OUT/store.lss" "$OUT/world/tweets.csv" "$OUT/world/users.csv"

step "4. detecting coordinated networks"
"$LS" detect "$OUT/store.lss" --db "$OUT/case.db" -o "$OUT/run"

step "5. scoring the run against the simulator's truth"
"$LS" eval --truth "$OUT/world/truth.csv" "$OUT/run"

step "6. writing the report"
"$LS" report "$OUT/run"
printf '\nreport: %s\n' "$(cd "$OUT/run" && pwd)/report.html"
