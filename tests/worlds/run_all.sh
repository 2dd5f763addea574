#!/bin/sh
# run_all.sh: generates every genworld.py style at the given seeds, runs lockstep
# ingest -> detect -> eval on each, and prints the markdown table of
# docs/generality.md (tests/worlds/summarise.py); a second run at --min-score 0
# (DIR/run0) shows where each operation went and what it scored.
#   sh tests/worlds/run_all.sh [OUTDIR] [SEEDS] [SCALE]
# OUTDIR defaults to /tmp/genworlds, SEEDS to "1 2 3", SCALE to 1.
# Uses the release binary build/lockstep (make -j2 build/lockstep).
# GENARGS adds genworld.py options (GENARGS=--thin-profiles: the control);
# DETARGS adds detect options to both runs (DETARGS="--merge-share 1").
# STYLES picks the styles (default: all five).
# GEN=genworld2 uses the second generator (tests/worlds/genworld2.py) and its
# styles (sleeper link_launder hashtag_hijack mixed) instead.
set -e
GEN=${GEN:-genworld}
if [ "$GEN" = genworld2 ]; then
    DEFSTYLES="sleeper link_launder hashtag_hijack mixed"
else
    DEFSTYLES="aged_ring copypasta hashtag_push mixed_small reply_swarm"
fi
OUT=${1:-/tmp/genworlds}
SEEDS=${2:-"1 2 3"}
SCALE=${3:-1}
LS=${LOCKSTEP_RELEASE:-build/lockstep}
mkdir -p "$OUT"
for style in ${STYLES:-$DEFSTYLES}; do
    for seed in $SEEDS; do
        D=$OUT/$style.$seed
        python3 "tests/worlds/$GEN.py" --style "$style" --seed "$seed" --scale "$SCALE" ${GENARGS:-} -o "$D"
        "$LS" ingest -o "$D/s.lss" "$D/tweets.csv" > /dev/null
        rm -rf "$D/run"
        "$LS" detect --quiet ${DETARGS:-} -o "$D/run" "$D/s.lss"
        "$LS" eval --json --truth "$D/truth.csv" "$D/run" > "$D/eval.json"
        # Every network, whatever its score: where the operation went and how it scored.
        rm -rf "$D/run0"
        "$LS" detect --quiet ${DETARGS:-} --min-score 0 -o "$D/run0" "$D/s.lss"
        echo "$style seed $seed: $(head -c 200 "$D/eval.json")" >&2
    done
done
python3 tests/worlds/summarise.py "$OUT"
