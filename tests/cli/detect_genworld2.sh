# detect_genworld2.sh — lockstep on a world of the second independent generator
# (tests/worlds/genworld2.py, session 7; docs/generality.md "Out of sample"):
# style mixed (a 50-account sleeper amplifier network, link-laundering network
# and hashtag-hijacking network) at scale 0.15, seed 1: about 60,000 tweets with
# a news-bot farm, a football crowd and a fandom as look-alikes.
#
# What is asserted is what holds now:
#  - the generator is deterministic (same bytes twice) and --thin-profiles
#    changes only the operation's personas (same truth, same row count);
#  - every row is ingested (no rejected rows);
#  - no look-alike or organic account is reported (the bot farm, the match
#    crowd, the stans): precision holds out of sample;
#  - the link-laundering network is found whole (recall >= 0.95) by its link
#    capture (src/networks/links.c, session 8): before, recall was 0;
#  - at --min-score 0 the coordinated groups are listed, with the same
#    accounts and edges at --threads 1 and 2;
#  - at --min-score 0 the hashtag hijack (50 accounts posting copies of five
#    texts into trends over 4-8 hours each) is one network of its own: the
#    co_text layer and its group test (session 8; 1 of its 50 accounts was
#    in any network before, folded into the sleeper's).
# Not asserted, because not achieved (docs/generality.md): the sleeper and
# hijacking operations found with ordinary personas (the hijack's network
# scores about 0.19, insularity 0.04; the sleeper's amplifiers come in only
# where they join the laundering network's).
. tests/cli/lib.sh
GEN="python3 tests/worlds/genworld2.py --style mixed --seed 1 --scale 0.15"
W=$TMP/w
check_cmd g2_generate 0 $GEN -o "$W"
check_cmd g2_generate_again 0 $GEN -o "$TMP/again"
check_same g2_deterministic_tweets "$TMP/again/tweets.csv" "$W/tweets.csv"
check_same g2_deterministic_truth "$TMP/again/truth.csv" "$W/truth.csv"
check_cmd g2_generate_thin 0 $GEN --thin-profiles -o "$TMP/thin"
check_same g2_thin_same_truth "$TMP/thin/truth.csv" "$W/truth.csv"
if [ "$(wc -l < "$TMP/thin/tweets.csv")" -eq "$(wc -l < "$W/tweets.csv")" ]; then pass g2_thin_same_rows
else fail g2_thin_same_rows "row counts differ"; fi
if cmp -s "$TMP/thin/tweets.csv" "$W/tweets.csv"; then fail g2_thin_differs "thin personas changed nothing"
else pass g2_thin_differs; fi
$LOCKSTEP ingest --quiet -o "$W/s.lss" "$W/tweets.csv" > /dev/null 2>&1 || fail g2_ingest
rows=$(($(wc -l < "$W/tweets.csv") - 1))
$LOCKSTEP info --json "$W/s.lss" > "$TMP/info.json" 2>&1
check_grep g2_no_rejects '"rejected": 0,' "$TMP/info.json"
check_grep g2_all_rows "\"posts\": $rows," "$TMP/info.json"
check_cmd g2_detect 0 $LOCKSTEP detect --quiet -o "$W/run" "$W/s.lss"
$LOCKSTEP eval --json --truth "$W/truth.csv" "$W/run" > "$TMP/eval.json" 2> "$TMP/eval.err" || fail g2_eval
if python3 -c "
import json, sys
e = json.load(open(sys.argv[1])); g = e['groups']
need = {'organic', 'lookalike_newsbot', 'lookalike_sports', 'lookalike_fandom'}
sys.exit(0 if need <= set(g) and e['fp'] == 0 and all(v['false_positives'] == 0 for v in g.values()) else 1)
" "$TMP/eval.json"; then pass g2_no_false_positives; else fail g2_no_false_positives "$(head -c 600 "$TMP/eval.json")"; fi
if python3 -c "
import json, sys
e = json.load(open(sys.argv[1]))
op = [o for o in e['operations'] if o['network'] == 'op_link_launder']
sys.exit(0 if op and op[0]['recall'] >= 0.95 else 1)
" "$TMP/eval.json"; then pass g2_link_launder_found; else fail g2_link_launder_found "$(head -c 900 "$TMP/eval.json")"; fi
# Every network, whatever its score, at one and two threads: same bytes.
check_cmd g2_detect_all_t1 0 $LOCKSTEP detect --quiet --min-score 0 --threads 1 -o "$W/r1" "$W/s.lss"
check_cmd g2_detect_all_t2 0 $LOCKSTEP detect --quiet --min-score 0 --threads 2 -o "$W/r2" "$W/s.lss"
if [ "$(wc -l < "$W/r1/accounts.csv")" -gt 100 ]; then pass g2_networks_listed
else fail g2_networks_listed "fewer than 100 accounts in networks at --min-score 0"; fi
check_same g2_threads_accounts "$W/r2/accounts.csv" "$W/r1/accounts.csv"
check_same g2_threads_edges "$W/r2/edges.csv" "$W/r1/edges.csv"
# The hijack segmented: one network holds at least 40 of its 50 accounts and
# at least 90% of that network is the hijack.
if python3 -c "
import csv, sys, collections
truth = {r['userid']: r['network'] for r in csv.DictReader(open(sys.argv[1]))}
nets = collections.defaultdict(collections.Counter)
for r in csv.DictReader(open(sys.argv[2])):
    nets[r['network']][truth.get(r['userid']) or '']+= 1
ok = any(c['op_hashtag_hijack'] >= 40 and c['op_hashtag_hijack'] >= 0.9 * sum(c.values()) for c in nets.values())
sys.exit(0 if ok else 1)
" "$W/truth.csv" "$W/r1/accounts.csv"; then pass g2_hijack_segmented
else fail g2_hijack_segmented "no network of --min-score 0 holds 40 of the hijack's 50 accounts at purity 0.9"; fi
