# detect.sh — `lockstep detect` end to end on a small simulated world:
# simulate, ingest, detect, eval --json; real thresholds on F1, look-alike
# false positives and role accuracy; usage errors; same bytes twice.
. tests/cli/lib.sh
W=$TMP/w
$LOCKSTEP simulate --scenario june2020 --scale 0.02 --seed 7 -o "$W" > /dev/null 2>&1 || fail detect_simulate
$LOCKSTEP ingest --quiet -o "$W/s.lss" "$W/tweets.csv" "$W/users.csv" > /dev/null 2>&1 || fail detect_ingest
check_cmd detect_runs 0 $LOCKSTEP detect --quiet "$W/s.lss" -o "$TMP/r1"
check_grep detect_header '^userid,screen_name,network,role,score,evidence$' "$TMP/r1/accounts.csv"
check_grep detect_json_networks '"networks": \[' "$TMP/r1/networks.json"
check_grep detect_gexf '<gexf xmlns' "$TMP/r1/network.gexf"
check_cmd detect_threads 0 $LOCKSTEP detect --quiet --threads 1 "$W/s.lss" -o "$TMP/r2"
for f in accounts.csv networks.json edges.csv network.gexf; do
    check_same "detect_same_$f" "$TMP/r2/$f" "$TMP/r1/$f"
done
$LOCKSTEP eval --json --truth "$W/truth.csv" "$TMP/r1" > "$TMP/eval.json" 2> "$TMP/eval.err"
if python3 - "$TMP/eval.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
worst = max(g["share"] for k, g in e["groups"].items() if k.startswith("lookalike"))
ok = e["f1"] >= 0.95 and worst <= 0.005 and e["role_accuracy"] >= 0.95
print("f1 %.3f worst lookalike fp %.4f role %.3f" % (e["f1"], worst, e["role_accuracy"]), file=sys.stderr)
sys.exit(0 if ok else 1)
PY
then pass detect_quality; else fail detect_quality "$(cat "$TMP/eval.err")"; fi
check_cmd detect_no_output 2 $LOCKSTEP detect "$W/s.lss"
check_cmd detect_bad_objective 2 $LOCKSTEP detect --objective nope "$W/s.lss" -o "$TMP/r3"
check_cmd detect_missing_store 3 $LOCKSTEP detect /nonexistent.lss -o "$TMP/r4"
# --report writes the report of the finished run, the same bytes as
# 'lockstep report' on that folder.
check_cmd detect_report 0 $LOCKSTEP detect --quiet --no-assess --report "$W/s.lss" -o "$TMP/r5"
check_grep detect_report_html "Coordinated networks: lockstep report" "$TMP/r5/report.html"
cp "$TMP/r5/report.html" "$TMP/r5.html"
check_cmd detect_report_again 0 $LOCKSTEP report "$TMP/r5"
check_same detect_report_same "$TMP/r5/report.html" "$TMP/r5.html"
