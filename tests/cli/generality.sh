# generality.sh — lockstep on worlds it was not tuned on.  tests/worlds/genworld.py
# (written independently of src/sim) makes small IO-archive worlds (scale 0.15,
# about 35,000 tweets, seed 1) with operations of other styles than june2020:
# aged_ring, copypasta, hashtag_push, mixed_small; and a control, aged_ring with
# june2020-like personas (--thin-profiles).  docs/generality.md has the figures.
#
# What is asserted is what lockstep achieves now:
#  - every row of every world is ingested (no rejected rows);
#  - no false positive in any look-alike group or the organic population, in
#    every world (precision side);
#  - the control is found: F1 >= 0.93 (measured 0.980), role accuracy >= 0.95;
#  - aged_ring is segmented: at --min-score 0 one network holds >= 95% of it
#    (measured 100%) and is at least half operation (measured 68%);
#  - copypasta is segmented by the content layers when cluster merging is off
#    (--merge-share 1; measured 45 of 45, purity 1);
#  - the generator and detect are deterministic (same bytes; --threads 1 = 2);
#  - with the default options (the coordination reading of the score, docs/
#    detect.md), the ordinary-persona operations are found: aged_ring and
#    copypasta F1 >= 0.9 (measured 1.000 and 1.000), and in mixed_small the
#    40-account ring and copy-paste cells (measured recall 1.0 each).
#  - the hashtag push (60 accounts at this scale, each pair only weakly linked)
#    is found: recall >= 0.9 with no false positive (measured 60 of 60 since a
#    member's co_hashtag edges count as its part in the coordination when most
#    of the network is linked by that layer, docs/detect.md step 5; 28 before,
#    26 before the group test, docs/detect.md step 2b).
# Still missed and recorded in docs/generality.md, not asserted as good: the
# 40-account hashtag push in mixed_small at this scale.
. tests/cli/lib.sh
GEN="python3 tests/worlds/genworld.py --seed 1 --scale 0.15"

# eval_check NAME RUN_DIR TRUTH EXPR: eval --json, then a python expression over
# the parsed object e (and g = e["groups"]) that must be true.
eval_check() {
    n=$1; run=$2; truth=$3; expr=$4
    if ! $LOCKSTEP eval --json --truth "$truth" "$run" > "$TMP/eval.json" 2> "$TMP/eval.err"; then
        fail "$n" "eval failed: $(head -c 400 "$TMP/eval.err")"; return; fi
    if python3 -c "import json,sys; e=json.load(open(sys.argv[1])); g=e['groups']; sys.exit(0 if ($expr) else 1)" \
        "$TMP/eval.json"; then pass "$n"; else fail "$n" "not ($expr): $(head -c 600 "$TMP/eval.json")"; fi
}

for style in aged_ring copypasta hashtag_push mixed_small control control_copypasta; do
    W=$TMP/$style
    case $style in
        control) args="--style aged_ring --thin-profiles" ;;
        control_copypasta) args="--style copypasta --thin-profiles" ;;
        *) args="--style $style" ;;
    esac
    check_cmd "gen_$style" 0 $GEN $args -o "$W"
    $LOCKSTEP ingest --quiet -o "$W/s.lss" "$W/tweets.csv" > /dev/null 2>&1 || fail "gen_${style}_ingest"
    # genworld.py writes no newline inside a field: one line a row, plus the header.
    rows=$(($(wc -l < "$W/tweets.csv") - 1))
    $LOCKSTEP info --json "$W/s.lss" > "$TMP/info.json" 2>&1
    check_grep "gen_${style}_no_rejects" '"rejected": 0,' "$TMP/info.json"
    check_grep "gen_${style}_all_rows" "\"posts\": $rows," "$TMP/info.json"
    check_cmd "gen_${style}_detect" 0 $LOCKSTEP detect --quiet -o "$W/run" "$W/s.lss"
    # No look-alike or organic account reported, whatever the style.
    eval_check "gen_${style}_no_false_positives" "$W/run" "$W/truth.csv" \
        "e['fp'] == 0 and all(v['false_positives'] == 0 for v in g.values())"
done

# The ordinary-persona operations, at the default options.
eval_check gen_aged_ring_found "$TMP/aged_ring/run" "$TMP/aged_ring/truth.csv" \
    "e['f1'] >= 0.9 and e['role_accuracy'] >= 0.9"
eval_check gen_copypasta_found "$TMP/copypasta/run" "$TMP/copypasta/truth.csv" "e['f1'] >= 0.9"
eval_check gen_hashtag_push_found "$TMP/hashtag_push/run" "$TMP/hashtag_push/truth.csv" \
    "e['recall'] >= 0.9 and e['precision'] == 1.0"
eval_check gen_mixed_small_cells_found "$TMP/mixed_small/run" "$TMP/mixed_small/truth.csv" \
    "{o['network']: o['recall'] for o in e['operations']}.get('op_aged_ring', 0) >= 0.9 and {o['network']: o['recall'] for o in e['operations']}.get('op_copypasta', 0) >= 0.9"

# The control: the same ring, with june2020-like personas, is found.
eval_check gen_control_found "$TMP/control/run" "$TMP/control/truth.csv" \
    "e['f1'] >= 0.93 and e['precision'] == 1.0 and e['role_accuracy'] >= 0.95"

# The copy-paste operation with june2020-like personas: its camouflage
# retweets merge it into a fandom network, whose score hides it; the split
# step (src/networks/split.c) scores the merged network part by part and
# reports the operation's cluster on its own.
eval_check gen_control_copypasta_found "$TMP/control_copypasta/run" "$TMP/control_copypasta/truth.csv" \
    "e['f1'] >= 0.9 and e['precision'] == 1.0"

# segmented NAME WORLD RUN OP SHARE PURITY: one detected network holds >= SHARE of
# operation OP, and OP is >= PURITY of that network.
segmented() {
    if python3 - "$2/truth.csv" "$3/accounts.csv" "$4" "$5" "$6" <<'PY'; then pass "$1"; else fail "$1"; fi
import csv, sys
from collections import Counter
truth = {r["userid"]: r["network"] for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8"))}
rows = list(csv.DictReader(open(sys.argv[2], newline="", encoding="utf-8")))
name, share, purity = sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
size = Counter(r["network"] for r in rows)
op = Counter(r["network"] for r in rows if truth.get(r["userid"]) == name)
n_op = sum(1 for v in truth.values() if v == name)
best, k = op.most_common(1)[0] if op else ("", 0)
print("%s: %d of %d in %s (%d accounts)" % (name, k, n_op, best, size[best]), file=sys.stderr)
sys.exit(0 if k >= share * n_op and k >= purity * size[best] else 1)
PY
}

# aged_ring is found as one network by the co-action graph (amplify layer and
# expansion), even though it scores below --min-score (docs/generality.md):
# measured 75 of 75 in one network of 110.
W=$TMP/aged_ring
check_cmd gen_aged_ring_detect0 0 $LOCKSTEP detect --quiet --min-score 0 -o "$W/run0" "$W/s.lss"
segmented gen_aged_ring_segmented "$W" "$W/run0" op_aged_ring 0.95 0.5
# copypasta: the content layers find it whole (measured 45 of 45, nothing else),
# but only with cluster merging off; with the default --merge-share its
# camouflage retweets merge it into a fandom cluster (docs/generality.md,
# failure 4), which is not asserted.
W=$TMP/copypasta
check_cmd gen_copypasta_detect_nomerge 0 $LOCKSTEP detect --quiet --min-score 0 --merge-share 1 -o "$W/run0m" "$W/s.lss"
segmented gen_copypasta_segmented_nomerge "$W" "$W/run0m" op_copypasta 0.95 0.95
W=$TMP/aged_ring

# Determinism: the generator (same seed, same bytes) and detect at one and two threads.
$GEN --style copypasta -o "$TMP/again" 2> /dev/null
check_same gen_deterministic_tweets "$TMP/again/tweets.csv" "$TMP/copypasta/tweets.csv"
check_same gen_deterministic_truth "$TMP/again/truth.csv" "$TMP/copypasta/truth.csv"
check_cmd gen_detect_threads1 0 $LOCKSTEP detect --quiet --threads 1 --min-score 0 -o "$W/run0t1" "$W/s.lss"
check_same gen_detect_threads_accounts "$W/run0t1/accounts.csv" "$W/run0/accounts.csv"
check_same gen_detect_threads_networks "$W/run0t1/networks.json" "$W/run0/networks.json"
