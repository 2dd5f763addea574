#!/bin/sh
# demo.sh — the main job on the built-in scenario: simulate the June 2020
# world, ingest it into an event store, and summarise it.  Later stages
# (detection, evaluation, report) are added here as they land.
# Usage: scripts/demo.sh PATH/TO/lockstep
set -eu
LS=${1:-build/lockstep}
OUT=${DEMO_OUT:-demo-out}
SCALE=${DEMO_SCALE:-0.02}
SEED=${DEMO_SEED:-1}
rm -rf "$OUT"
mkdir -p "$OUT"
echo "== simulating scenario june2020 at scale $SCALE (seed $SEED) into $OUT/world"
"$LS" simulate --scenario june2020 --scale "$SCALE" --seed "$SEED" -o "$OUT/world"
echo "== ingesting the simulated tweets and users into $OUT/store.lss"
"$LS" ingest -o "$OUT/store.lss" "$OUT/world/tweets.csv" "$OUT/world/users.csv"
echo "== event store summary"
"$LS" info "$OUT/store.lss"
