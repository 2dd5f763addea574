# detect_oneop.sh — `detect --one-operation` on an input that holds only one
# operation's own activity, as a platform's takedown archive does.  The
# june2020 operation's accounts are cut out of a simulated world (their
# tweets only, nothing organic).  Scored against the rest of such an input
# nothing stands out, so plain detect reports nothing and says why (the
# note names --one-operation); with --one-operation every account that
# posted is reported as N1, roles match the truth, each account names its
# cell, networks.json says the mode, and 1 and 2 threads give the same
# files.
. tests/cli/lib.sh
W=$TMP/w
$LOCKSTEP simulate --scenario june2020 --scale 0.02 --seed 5 -o "$W" > /dev/null 2>&1 || fail oneop_simulate
python3 - "$W/truth.csv" "$W/tweets.csv" "$TMP/op.csv" "$TMP/op_accounts" <<'PY' || fail oneop_cut
import csv, sys
truth, src, dst, accts = sys.argv[1:5]
csv.field_size_limit(1 << 30)
op = {r['userid'] for r in csv.DictReader(open(truth, encoding='utf-8')) if r['network'] == 'op_june2020'}
seen = set()
with open(src, newline='', encoding='utf-8-sig') as f, open(dst, 'w', newline='', encoding='utf-8') as g:
    r = csv.reader(f); w = csv.writer(g)
    h = next(r); w.writerow(h)
    for row in r:
        if row[1] in op:
            w.writerow(row); seen.add(row[1])
open(accts, 'w').write('\n'.join(sorted(seen)) + '\n')
PY
$LOCKSTEP ingest --quiet -o "$TMP/op.lss" "$TMP/op.csv" > /dev/null 2>&1 || fail oneop_ingest

# Plain detect: nothing reported, and the note says what to do.
check_cmd oneop_plain_exit 0 sh -c "$LOCKSTEP detect --no-assess -o '$TMP/plain' '$TMP/op.lss' > '$TMP/plain.out' 2>&1"
check_grep oneop_plain_nothing '^lockstep detect: 0 networks' "$TMP/plain.out"
check_grep oneop_plain_note 'one-operation describes it as one network' "$TMP/plain.out"
check_cmd oneop_plain_report 0 $LOCKSTEP report "$TMP/plain"
check_grep oneop_plain_report_note 'lockstep detect --one-operation</code> describes it as one network' "$TMP/plain/report.html"

# --one-operation: every account that posted, in N1.
check_cmd oneop_exit 0 sh -c "$LOCKSTEP detect --no-assess --one-operation --threads 1 -o '$TMP/one' '$TMP/op.lss' > '$TMP/one.out' 2>&1"
check_grep oneop_summary 'taken as one operation' "$TMP/one.out"
tail -n +2 "$TMP/one/accounts.csv" | cut -d, -f1 | sort > "$TMP/one_accounts"
check_same oneop_every_account "$TMP/one_accounts" "$TMP/op_accounts"
if tail -n +2 "$TMP/one/accounts.csv" | cut -d, -f3 | grep -qv '^N1$'; then fail oneop_all_n1 "a row outside N1"; else pass oneop_all_n1; fi
if tail -n +2 "$TMP/one/accounts.csv" | grep -q 'cell C[0-9]* of [0-9]*"$'; then pass oneop_cells; else fail oneop_cells "no cell in the evidence"; fi
check_grep oneop_json_mode '"one_operation": true' "$TMP/one/networks.json"
check_grep oneop_plain_json_mode '"one_operation": false' "$TMP/plain/networks.json"
$LOCKSTEP eval --json --truth "$W/truth.csv" "$TMP/one" > "$TMP/eval.json" 2> /dev/null || fail oneop_eval
python3 - "$TMP/eval.json" <<'PY' > "$TMP/eval.txt" 2>&1
import json, sys
e = json.load(open(sys.argv[1]))
op = [o for o in e['operations'] if o['network'] == 'op_june2020'][0]
print('recall', op['recall'], 'role', e['role_accuracy'], 'precision', e['precision'])
assert op['recall'] == 1.0, op
assert e['precision'] == 1.0, e['precision']
assert e['role_accuracy'] >= 0.95, e['role_accuracy']
PY
if [ $? -eq 0 ]; then pass oneop_eval_scores; else fail oneop_eval_scores "$(cat "$TMP/eval.txt")"; fi

# Same files at 2 threads.
$LOCKSTEP detect --quiet --no-assess --one-operation --threads 2 -o "$TMP/two" "$TMP/op.lss" > /dev/null 2>&1 || fail oneop_two
check_same oneop_threads_accounts "$TMP/two/accounts.csv" "$TMP/one/accounts.csv"
check_same oneop_threads_networks "$TMP/two/networks.json" "$TMP/one/networks.json"
# The report says why the network is there.
check_cmd oneop_report 0 $LOCKSTEP report "$TMP/one"
check_grep oneop_report_note 'The input was taken as one operation' "$TMP/one/report.html"
