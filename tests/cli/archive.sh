# archive.sh — golden tests of the case database commands on a simulated
# june2020 world: archive add/list/rm, detect --db linking the new network
# to the archived August 2019 one (true link) and not to an unrelated
# archive (the spam operation), removal requests over operation, organic,
# "opposite narrative" and unknown accounts, and the case database refusing
# files that are not its own, unmodified.
. "$(dirname "$0")/lib.sh"
: "${LOCKSTEP_REL:=build/lockstep}"
DB="$TMP/cases.db"

"$LOCKSTEP_REL" simulate --scale 0.01 --seed 3 -o "$TMP/sim" > /dev/null 2>&1 || fail sim_setup
T=$TMP/sim

check_cmd list_no_db 0 "$LOCKSTEP" archive list --db "$DB"
check_grep list_no_db_text "no archives" "$TMP/out"
[ ! -e "$DB" ] && pass list_no_db_creates_nothing || fail list_no_db_creates_nothing

check_cmd add_aug2019 0 "$LOCKSTEP" archive add aug2019 "$T/archive/china_082019_tweets.csv" \
    "$T/archive/china_082019_users.csv" --db "$DB" --quiet
# The unrelated archive: the spam operation's own tweets and profiles.
awk -F, '$3 == "op_spam" { print $1 }' "$T/truth.csv" > "$TMP/spam_ids"
awk -F, 'NR == FNR { s[$1] = 1; next } FNR == 1 || ($2 in s)' "$TMP/spam_ids" "$T/tweets.csv" > "$TMP/spam_tweets.csv"
check_cmd add_spam 0 "$LOCKSTEP" archive add spam2020 "$TMP/spam_tweets.csv" --db "$DB"
check_grep add_summary "archived 'spam2020': 20 accounts" "$TMP/out"
check_cmd add_duplicate_name 2 "$LOCKSTEP" archive add spam2020 "$TMP/spam_tweets.csv" --db "$DB"
check_grep add_duplicate_msg "already exists" "$TMP/err"
check_cmd add_missing_file 3 "$LOCKSTEP" archive add nothing "$TMP/no_such.csv" --db "$DB"
printf 'this,is\nnot"a,"tweet file\n' > "$TMP/junk.csv"
check_cmd add_bad_input 1 "$LOCKSTEP" archive add junk "$TMP/junk.csv" --db "$DB" --strict
check_cmd list 0 "$LOCKSTEP" archive list --db "$DB"
cat > "$TMP/want_list" <<'EOF'
name                       accounts      posts  sources
aug2019                          20       1148  china_082019_tweets.csv, china_082019_users.csv
spam2020                         20        609  spam_tweets.csv
EOF
check_same list_text "$TMP/out" "$TMP/want_list"
check_cmd list_json 0 "$LOCKSTEP" archive list --db "$DB" --json
check_grep list_json_name '"name": "aug2019"' "$TMP/out"

# Detect with the case database: networks.json gains narratives, traction
# and links.
check_cmd detect_db 0 "$LOCKSTEP" detect "$T/tweets.csv" "$T/users.csv" -o "$TMP/run" --db "$DB" --quiet
J=$TMP/run/networks.json
link_score() { # network archive -> score
    jq -r --arg n "$1" --arg a "$2" '.networks[] | select(.id == $n) | .archive_scores[] | select(.archive == $a) | .score' "$J"
}
op=$(jq -r '.networks[] | select(.narratives.hashtags[0].key | test("郭文贵|香港|hongkong|台湾")) | .id' "$J" | head -n 1)
spam=$(jq -r '.networks[] | select(.narratives.hashtags | map(.key) | index("#giveaway")) | .id' "$J" | head -n 1)
[ -n "$op" ] && [ -n "$spam" ] && pass two_networks || fail two_networks "op=$op spam=$spam"
s1=$(link_score "$op" aug2019); s2=$(link_score "$op" spam2020)
s3=$(link_score "$spam" spam2020); s4=$(link_score "$spam" aug2019)
awk -v s="$s1" 'BEGIN { exit !(s >= 0.5) }' && pass link_true_aug2019 || fail link_true_aug2019 "score $s1"
awk -v s="$s2" 'BEGIN { exit !(s < 0.25) }' && pass link_false_op_spam || fail link_false_op_spam "score $s2"
awk -v s="$s3" 'BEGIN { exit !(s >= 0.5) }' && pass link_true_spam || fail link_true_spam "score $s3"
awk -v s="$s4" 'BEGIN { exit !(s < 0.25) }' && pass link_false_spam_aug || fail link_false_spam_aug "score $s4"
jq -r --arg n "$spam" '.networks[] | select(.id == $n) | .linked[0].reasons[]' "$J" > "$TMP/reasons"
# The shared-accounts reason counts exactly the detected members of the
# spam network that are also in the archived spam operation.
shared=$(awk -F, -v n="$spam" 'NR == FNR { s[$1] = 1; next } FNR > 1 && $3 == n && ($1 in s)' \
    "$TMP/spam_ids" "$TMP/run/accounts.csv" | wc -l)
check_grep link_reason_shared "^$shared shared accounts$" "$TMP/reasons"
[ "$shared" -ge 15 ] && pass link_shared_most || fail link_shared_most "only $shared of 20 archived spam accounts detected"
# "linked" holds only real links: the operation is linked to aug2019 alone.
jq -r --arg n "$op" '.networks[] | select(.id == $n) | [.linked[].archive] | join(",")' "$J" > "$TMP/linked"
echo aug2019 > "$TMP/want_linked"
check_same linked_only_real "$TMP/linked" "$TMP/want_linked"
jq -r --arg n "$op" '.networks[] | select(.id == $n) | .linked[0].reasons[]' "$J" > "$TMP/reasons"
check_grep link_reason_office "same office schedule (UTC+8)" "$TMP/reasons"
jq -r --arg n "$op" '.networks[] | select(.id == $n) | .traction.sentence' "$J" > "$TMP/sentence"
check_grep traction_sentence "^little traction: [0-9]*% of accounts have no followers; [0-9]*% of engagement comes from the network itself$" "$TMP/sentence"
n_groups=$(jq --arg n "$op" '.networks[] | select(.id == $n) | .narratives.groups | length' "$J")
[ "$n_groups" -ge 2 ] && pass narrative_groups || fail narrative_groups "$n_groups groups"
check_cmd db_runs 0 sqlite3 "$DB" "select kind, count(*) from runs group by kind; select count(*) > 100 from members;"
printf 'detect|1\n1\n' > "$TMP/want_runs"
check_same db_runs_rows "$TMP/out" "$TMP/want_runs"

# Removal request: 3 operation accounts, 3 organic, 3 from the community
# pushing the opposite narrative, 2 unknown ids.
grep ",$op,core," "$TMP/run/accounts.csv" | head -n 3 | cut -d, -f1 > "$TMP/req"
awk -F, '$2 == "organic" { print $1 }' "$T/truth.csv" | head -n 3 >> "$TMP/req"
awk -F, '$2 == "lookalike_opposite" { print $1 }' "$T/truth.csv" | head -n 3 >> "$TMP/req"
printf '999999999999999991\n@nobody_here_42\n' >> "$TMP/req"
check_cmd request 0 "$LOCKSTEP" request --accounts "$TMP/req" "$TMP/run/store.lss" "$TMP/run" -o "$TMP/req.csv" --db "$DB"
check_grep request_summary "^no evidence of coordinated inauthentic behaviour for 8 of 11 requested accounts (2 not found in the data); 3 belong to network $op$" "$TMP/out"
head -n 1 "$TMP/req.csv" > "$TMP/h"; echo "userid,verdict,network,score,evidence" > "$TMP/wh"
check_same request_header "$TMP/h" "$TMP/wh"
[ "$(grep -c ",coordinated,$op," "$TMP/req.csv")" -eq 3 ] && pass request_coordinated || fail request_coordinated
[ "$(grep -c ',no_evidence,' "$TMP/req.csv")" -eq 6 ] && pass request_no_evidence || fail request_no_evidence "$(cat "$TMP/req.csv")"
[ "$(grep -c ',not_found,' "$TMP/req.csv")" -eq 2 ] && pass request_not_found || fail request_not_found
# The opposite-narrative community is not flagged.
for id in $(awk -F, '$2 == "lookalike_opposite" { print $1 }' "$T/truth.csv" | head -n 3); do
    grep -q "^$id,no_evidence," "$TMP/req.csv" || { fail request_opposite_neutral "$id"; break; }
done && pass request_opposite_neutral
# Without a run folder, request runs detection itself (release build: speed).
check_cmd request_detects 0 "$LOCKSTEP_REL" request --accounts "$TMP/req" "$T/tweets.csv" "$T/users.csv" -o "$TMP/req2.csv" --quiet
[ "$(grep -c ',coordinated,' "$TMP/req2.csv")" -eq 3 ] && pass request_detects_same || fail request_detects_same
check_cmd request_no_accounts 2 "$LOCKSTEP" request "$TMP/run/store.lss" "$TMP/run" -o "$TMP/x.csv"

# assess on its own writes assessment.json when there is no networks.json.
mkdir -p "$TMP/run2" && cp "$TMP/run/accounts.csv" "$TMP/run2/"
check_cmd assess_alone 0 "$LOCKSTEP" assess "$TMP/run2" "$TMP/run/store.lss" --db "$DB"
jq -e '.networks | length >= 2' "$TMP/run2/assessment.json" > /dev/null && pass assess_json || fail assess_json

check_cmd rm 0 "$LOCKSTEP" archive rm spam2020 --db "$DB"
check_cmd rm_again 1 "$LOCKSTEP" archive rm spam2020 --db "$DB"
check_cmd list_after_rm 0 "$LOCKSTEP" archive list --db "$DB"
grep -q spam2020 "$TMP/out" && fail list_after_rm_gone || pass list_after_rm_gone

# Files that are not lockstep's are refused and left unmodified.
printf 'my notes\n' > "$TMP/notes.txt"; cp "$TMP/notes.txt" "$TMP/notes.bak"
check_cmd foreign_text 1 "$LOCKSTEP" archive add x "$TMP/spam_tweets.csv" --db "$TMP/notes.txt"
check_grep foreign_text_msg "not a lockstep case database" "$TMP/err"
check_same foreign_text_unmodified "$TMP/notes.txt" "$TMP/notes.bak"
sqlite3 "$TMP/other.db" "create table t(x); insert into t values (1);"
cp "$TMP/other.db" "$TMP/other.bak"
check_cmd foreign_sqlite 1 "$LOCKSTEP" detect "$TMP/run/store.lss" -o "$TMP/run3" --db "$TMP/other.db" --quiet
check_same foreign_sqlite_unmodified "$TMP/other.db" "$TMP/other.bak"
cp "$DB" "$TMP/newer.db"
sqlite3 "$TMP/newer.db" "pragma user_version = 99;"
cp "$TMP/newer.db" "$TMP/newer.bak"
check_cmd newer_schema 1 "$LOCKSTEP" archive list --db "$TMP/newer.db"
check_grep newer_schema_msg "newer than this program" "$TMP/err"
check_same newer_unmodified "$TMP/newer.db" "$TMP/newer.bak"
# A second writer holds the lock: busy, exit 3, after --wait.
( sqlite3 "$DB" "begin immediate; insert into decisions(decision, analyst) values ('note', 'x'); select 1;" \
    ".shell sleep 3" "rollback;" > /dev/null 2>&1 & )
sleep 1
check_cmd locked 3 "$LOCKSTEP" archive rm aug2019 --db "$DB" --wait 200
check_grep locked_msg "locked by another writer" "$TMP/err"
sleep 3
check_cmd unlocked_list 0 "$LOCKSTEP" archive list --db "$DB"
check_grep unlocked_still_there aug2019 "$TMP/out"
