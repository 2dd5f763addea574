# detect_noprofile.sh — inputs that cannot show every signal.  The same
# simulated world is converted to the QUT toolkit's 8-column CSV (no
# creation dates, clients or follower counts: 57% of the score's weight
# stays measurable) and to a bare CSV of account, time and URL (like the
# CooRTweet German election data: 14%).  Both runs name the signals the
# input cannot show.  From QUT input the scores are renormalised over the
# measurable signals and the operation is still found without look-alike
# false positives; the bare input cannot support a claim of inauthenticity,
# so nothing is reported, and --min-score 0 lists the coordinated groups.
. tests/cli/lib.sh
W=$TMP/w
$LOCKSTEP simulate --scenario june2020 --scale 0.02 --seed 7 -o "$W" > /dev/null 2>&1 || fail noprof_simulate
python3 - "$W/tweets.csv" "$W/qut.csv" "$W/bare.csv" <<'PY' || fail noprof_convert
import csv, sys, datetime
src, qut, bare = sys.argv[1:4]
with open(src, newline='', encoding='utf-8-sig') as f, \
     open(qut, 'w', newline='', encoding='utf-8') as q, open(bare, 'w', newline='', encoding='utf-8') as b:
    r = csv.reader(f); next(r)
    wq = csv.writer(q); wb = csv.writer(b)
    wq.writerow(["message_id", "user_id", "username", "repost_id", "reply_id", "message", "timestamp", "urls"])
    wb.writerow(["account", "time", "url"])
    for row in r:
        t = int(datetime.datetime.strptime(row[13], "%Y-%m-%d %H:%M").replace(tzinfo=datetime.timezone.utc).timestamp())
        urls = row[28].strip("[]").replace("'", "").replace(",", " ").split()
        wq.writerow([row[0], row[1], row[3], row[20], row[16], row[12], t, " ".join(urls)])
        for u in urls:
            wb.writerow([row[1], t, u])
PY
$LOCKSTEP ingest --quiet --format qut -o "$TMP/q.lss" "$W/qut.csv" > /dev/null 2>&1 || fail noprof_ingest_qut
check_cmd noprof_qut_detect 0 sh -c "$LOCKSTEP detect --no-assess '$TMP/q.lss' -o '$TMP/q' > '$TMP/q.out' 2>&1"
check_grep noprof_qut_note 'cannot show creation_cohort, client, followers' "$TMP/q.out"
check_grep noprof_qut_note2 'scores are weighted over the other signals, 57% of the usual evidence' "$TMP/q.out"
check_grep noprof_qut_json '"signals_unmeasurable": \["creation_cohort", "client", "followers", "audience_gap"\], "signal_coverage": 0.5714, "scores_renormalised": true' "$TMP/q/networks.json"
$LOCKSTEP eval --json --truth "$W/truth.csv" "$TMP/q" > "$TMP/q.eval" 2> "$TMP/q.eval.err"
if python3 - "$TMP/q.eval" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
worst = max(g["share"] for k, g in e["groups"].items() if k.startswith("lookalike"))
print("qut input: f1 %.3f worst lookalike fp %.4f role %.3f" % (e["f1"], worst, e["role_accuracy"]), file=sys.stderr)
sys.exit(0 if e["f1"] >= 0.95 and worst <= 0.005 and e["role_accuracy"] >= 0.95 else 1)
PY
then pass noprof_qut_quality; else fail noprof_qut_quality "$(cat "$TMP/q.eval.err")"; fi

$LOCKSTEP ingest --quiet --format csv --map account=account,time=time,url=url -o "$TMP/b.lss" "$W/bare.csv" \
    > /dev/null 2>&1 || fail noprof_ingest_bare
check_cmd noprof_bare_detect 0 sh -c "$LOCKSTEP detect --no-assess --layers co_link '$TMP/b.lss' -o '$TMP/b' > '$TMP/b.out' 2>&1"
check_grep noprof_bare_note 'cannot show synchrony, near_duplicates, creation_cohort, name_template, client, followers, amplification, insularity' "$TMP/b.out"
check_grep noprof_bare_note2 'so no network can score above 0.14' "$TMP/b.out"
check_grep noprof_bare_json '"signal_coverage": 0.1429, "scores_renormalised": false' "$TMP/b/networks.json"
if jq -e '.networks | length == 0' "$TMP/b/networks.json" > /dev/null; then pass noprof_bare_none_reported
else fail noprof_bare_none_reported "$(jq -c '[.networks[].score]' "$TMP/b/networks.json")"; fi
# With --min-score 0 the coordinated groups are listed, none above the cap.
check_cmd noprof_bare_all 0 $LOCKSTEP detect --quiet --no-assess --layers co_link --min-score 0 "$TMP/b.lss" -o "$TMP/b0"
if jq -e '(.networks | length > 0) and ([.networks[].score] | all(. <= 0.1429))' "$TMP/b0/networks.json" > /dev/null
then pass noprof_bare_groups_listed; else fail noprof_bare_groups_listed "$(jq -c '[.networks[].score]' "$TMP/b0/networks.json")"; fi
# The report says what the scores rest on.
check_cmd noprof_report 0 $LOCKSTEP report "$TMP/q"
check_grep noprof_report_note 'The input cannot show these signals: creation_cohort, client, followers, audience_gap. Scores are weighted over the other signals, 57% of the usual evidence.' "$TMP/q/report.html"
