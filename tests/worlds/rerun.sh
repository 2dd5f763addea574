#!/bin/sh
# rerun.sh: runs detect and eval again, with another lockstep binary, on the
# stores that run_all.sh left in INDIR, and prints the same tables into OUTDIR.
# An A/B comparison of two binaries on identical worlds (no generation, no ingest):
#   sh tests/worlds/rerun.sh INDIR OUTDIR BINARY
# DETARGS adds detect options to both runs, as in run_all.sh.
set -e
IN=$1
OUT=$2
LS=$3
[ -n "$IN" ] && [ -n "$OUT" ] && [ -n "$LS" ] || { echo "usage: rerun.sh INDIR OUTDIR BINARY" >&2; exit 2; }
mkdir -p "$OUT"
for S in "$IN"/*/s.lss; do
    W=$(basename "$(dirname "$S")")
    D=$OUT/$W
    mkdir -p "$D"
    cp "$IN/$W/truth.csv" "$D/truth.csv"
    rm -rf "$D/run" "$D/run0"
    "$LS" detect --quiet ${DETARGS:-} -o "$D/run" "$S"
    "$LS" eval --json --truth "$D/truth.csv" "$D/run" > "$D/eval.json"
    "$LS" detect --quiet ${DETARGS:-} --min-score 0 -o "$D/run0" "$S"
done
python3 tests/worlds/summarise.py "$OUT"
