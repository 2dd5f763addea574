# simulate.sh — golden CLI tests of `lockstep simulate` and `lockstep eval`:
# runs, determinism through the command line, parameter listing, bad flags
# (exit 2), eval on a perfect run made from the truth, eval's bad input
# (exit 1 and 3), and, when ingest is built, that the simulated files
# ingest with zero rejected rows.
. "$(dirname "$0")/lib.sh"

check_cmd simulate_runs 0 "$LOCKSTEP" simulate --scale 0.002 --seed 5 -q -o "$TMP/a"
check_cmd simulate_again 0 "$LOCKSTEP" simulate --scale 0.002 --seed 5 --quiet --threads 3 -o "$TMP/b"
for f in tweets.csv users.csv truth.csv truth_links.csv archive/china_082019_tweets.csv archive/china_082019_users.csv; do
    check_same "simulate_same_bytes_$(basename "$f" .csv)" "$TMP/a/$f" "$TMP/b/$f"
done
check_grep simulate_header 'tweetid,userid,user_display_name,user_screen_name,user_reported_location,user_profile_description,user_profile_url,follower_count,following_count,account_creation_date,account_language,tweet_language,tweet_text,tweet_time,tweet_client_name,in_reply_to_userid,in_reply_to_tweetid,quoted_tweet_tweetid,is_retweet,retweet_userid,retweet_tweetid,latitude,longitude,quote_count,reply_count,like_count,retweet_count,hashtags,urls,user_mentions,poll_choices' "$TMP/a/tweets.csv"
check_grep simulate_truth_header '^userid,kind,network,role$' "$TMP/a/truth.csv"
check_grep simulate_truth_amp ',operation,op_june2020,amplifier$' "$TMP/a/truth.csv"
check_grep simulate_truth_spam ',operation,op_spam,core$' "$TMP/a/truth.csv"
check_grep simulate_truth_fandom ',lookalike_fandom,,$' "$TMP/a/truth.csv"

check_cmd simulate_set 0 "$LOCKSTEP" simulate --scale 0.002 --set op_amplifiers=30000 --set fandom_fans=1000 -q -o "$TMP/c"
n=$(grep -c ',op_june2020,amplifier$' "$TMP/c/truth.csv")
if [ "$n" -eq 60 ]; then pass simulate_set_amplifiers; else fail simulate_set_amplifiers "got $n amplifiers, want 60"; fi
printf '# a scenario file\nop_amplifiers = 30000  # more amplifiers\n\nfandom_fans=1000\n' > "$TMP/scen.txt"
check_cmd simulate_params_file 0 "$LOCKSTEP" simulate --scale 0.002 --params "$TMP/scen.txt" -q -o "$TMP/d"
check_same simulate_params_file_same "$TMP/d/tweets.csv" "$TMP/c/tweets.csv"
printf 'op_amplifiers=30000\nbogus_param=1\n' > "$TMP/scen_bad.txt"
check_cmd simulate_params_file_bad 2 "$LOCKSTEP" simulate --params "$TMP/scen_bad.txt" -o "$TMP/x"
check_grep simulate_params_file_bad_msg 'scen_bad.txt:2: unknown parameter' "$TMP/err"
check_cmd simulate_params_file_missing 3 "$LOCKSTEP" simulate --params "$TMP/nope.txt" -o "$TMP/x"
check_cmd simulate_v1 0 "$LOCKSTEP" simulate --scale 0.002 --format v1 -q -o "$TMP/v1"
check_grep simulate_v1_shape '"retweeted_status":{"created_at":"' "$TMP/v1/tweets.jsonl"
check_grep simulate_v1_quote '"quoted_status_id_str":"[0-9]*","quoted_status":{"created_at":"' "$TMP/v1/tweets.jsonl"
check_grep simulate_v1_reply '"in_reply_to_status_id_str":"[0-9]*","in_reply_to_user_id_str":"[0-9]*"' "$TMP/v1/tweets.jsonl"
check_cmd simulate_v2 0 "$LOCKSTEP" simulate --scale 0.002 --format v2 -q -o "$TMP/v2"
check_grep simulate_v2_shape '"referenced_tweets":\[{"type":"retweeted","id":"' "$TMP/v2/tweets.jsonl"

check_cmd simulate_list 0 "$LOCKSTEP" simulate --list-params
check_grep simulate_list_core '^op_core_accounts  *23750 ' "$TMP/out"
check_cmd simulate_help 0 "$LOCKSTEP" simulate --help
check_cmd simulate_bad_option 2 "$LOCKSTEP" simulate --bogus -o "$TMP/x"
check_cmd simulate_no_dir 2 "$LOCKSTEP" simulate --scale 0.01
check_cmd simulate_bad_scale 2 "$LOCKSTEP" simulate --scale abc -o "$TMP/x"
check_cmd simulate_zero_scale 2 "$LOCKSTEP" simulate --scale 0 -o "$TMP/x"
check_cmd simulate_bad_set 2 "$LOCKSTEP" simulate --set op_amplifiers -o "$TMP/x"
check_cmd simulate_unknown_param 2 "$LOCKSTEP" simulate --set no_such=1 -o "$TMP/x"
check_grep simulate_unknown_param_msg "no_such" "$TMP/err"
check_cmd simulate_bad_share 2 "$LOCKSTEP" simulate --set op_zero_followers=2 -o "$TMP/x"
check_cmd simulate_bad_format 2 "$LOCKSTEP" simulate --format xml -o "$TMP/x"
check_cmd simulate_bad_scenario 2 "$LOCKSTEP" simulate --scenario nope -o "$TMP/x"
check_cmd simulate_bad_threads 2 "$LOCKSTEP" simulate --threads x -o "$TMP/x"
check_cmd simulate_missing_value 2 "$LOCKSTEP" simulate -o
: > "$TMP/file"
check_cmd simulate_dir_is_file 3 "$LOCKSTEP" simulate --scale 0.002 -q -o "$TMP/file"
check_cmd simulate_under_file 3 "$LOCKSTEP" simulate --scale 0.002 -q -o "$TMP/file/sub"
# Missing parent folders are created, like mkdir -p.
check_cmd simulate_nested_dir 0 "$LOCKSTEP" simulate --scale 0.002 -q -o "$TMP/new/deeper/world"
[ -s "$TMP/new/deeper/world/truth.csv" ] && pass simulate_nested_truth || fail simulate_nested_truth

# eval: a run that lists exactly the operation accounts with their roles.
mkdir -p "$TMP/run"
awk -F, 'NR==1{print "userid,screen_name,network,role,score,evidence"; next}
         $2=="operation"{print $1",,"$3","$4",1,\"perfect, by construction\""}' "$TMP/a/truth.csv" > "$TMP/run/accounts.csv"
check_cmd eval_perfect 0 "$LOCKSTEP" eval --truth "$TMP/a/truth.csv" "$TMP/run" --json
check_grep eval_perfect_f1 '"precision":1.000000,"recall":1.000000,"f1":1.000000,"role_accuracy":1.000000,"ari":1.000000' "$TMP/out"
check_cmd eval_text 0 "$LOCKSTEP" eval --truth "$TMP/a/truth.csv" "$TMP/run"
check_grep eval_text_f1 '^F1                 1.0000' "$TMP/out"
check_grep eval_text_linkage 'linkage n/a' "$TMP/out"
check_cmd eval_missing_run 3 "$LOCKSTEP" eval --truth "$TMP/a/truth.csv" "$TMP/nowhere"
check_grep eval_missing_msg 'nowhere/accounts.csv' "$TMP/err"
printf 'user,x\n' > "$TMP/run/accounts.csv"
check_cmd eval_bad_header 1 "$LOCKSTEP" eval --truth "$TMP/a/truth.csv" "$TMP/run"
check_grep eval_bad_header_msg 'accounts.csv:1: bad header' "$TMP/err"
check_cmd eval_no_truth 2 "$LOCKSTEP" eval "$TMP/run"
check_cmd eval_bad_option 2 "$LOCKSTEP" eval --truth "$TMP/a/truth.csv" --bogus "$TMP/run"

# Hashed user ids (as in the published archives, accounts under 5,000
# followers): 44-char base64 or 64 hex; truth uses the same ids.
check_cmd simulate_hashed 0 "$LOCKSTEP" simulate --scale 0.002 --set hashed_ids=1 -q -o "$TMP/h"
check_grep simulate_hashed_b64 '^[A-Za-z0-9+/]\{43\}=,operation,op_june2020,' "$TMP/h/truth.csv"
check_grep simulate_hashed_rows '^[0-9]*,[A-Za-z0-9+/]\{43\}=,' "$TMP/h/tweets.csv"
check_cmd simulate_hashed_hex 0 "$LOCKSTEP" simulate --scale 0.002 --set hashed_ids=2 -q -o "$TMP/hx"
check_grep simulate_hashed_hex_ids '^[0-9a-f]\{64\},operation,' "$TMP/hx/truth.csv"
check_cmd simulate_hashed_json 2 "$LOCKSTEP" simulate --scale 0.002 --set hashed_ids=1 --format v2 -o "$TMP/x"
check_cmd simulate_hashed_bad 2 "$LOCKSTEP" simulate --set hashed_ids=3 -o "$TMP/x"
mkdir -p "$TMP/runh"
awk -F, 'NR==1{print "userid,screen_name,network,role,score,evidence"; next}
         $2=="operation"{print $1",,"$3","$4",1,"}' "$TMP/h/truth.csv" > "$TMP/runh/accounts.csv"
check_cmd eval_hashed 0 "$LOCKSTEP" eval --json --truth "$TMP/h/truth.csv" "$TMP/runh"
check_grep eval_hashed_f1 '"f1":1.000000' "$TMP/out"

# The simulated files ingest with no rejected rows (when ingest is built).
if "$LOCKSTEP" ingest --help > /dev/null 2>&1; then
    check_cmd ingest_simulated 0 "$LOCKSTEP" ingest -o "$TMP/store" "$TMP/a/tweets.csv" "$TMP/a/users.csv"
    check_cmd ingest_simulated_info 0 "$LOCKSTEP" info --json "$TMP/store"
    check_grep ingest_simulated_no_rejects '"rejected": 0,' "$TMP/out"
    check_cmd ingest_simulated_v1 0 "$LOCKSTEP" ingest -o "$TMP/store1" "$TMP/v1/tweets.jsonl"
    check_cmd ingest_simulated_v1_info 0 "$LOCKSTEP" info --json "$TMP/store1"
    check_grep ingest_simulated_v1_no_rejects '"rejected": 0,' "$TMP/out"
    check_cmd ingest_simulated_v2 0 "$LOCKSTEP" ingest -o "$TMP/store2" "$TMP/v2/tweets.jsonl"
    check_cmd ingest_simulated_v2_info 0 "$LOCKSTEP" info --json "$TMP/store2"
    check_grep ingest_simulated_v2_no_rejects '"rejected": 0,' "$TMP/out"
    check_cmd ingest_simulated_hashed 0 "$LOCKSTEP" ingest -o "$TMP/storeh" "$TMP/h/tweets.csv" "$TMP/h/users.csv"
    check_cmd ingest_simulated_hashed_info 0 "$LOCKSTEP" info --json "$TMP/storeh"
    check_grep ingest_simulated_hashed_no_rejects '"rejected": 0,' "$TMP/out"
    check_cmd ingest_simulated_archive 0 "$LOCKSTEP" ingest -o "$TMP/store3" "$TMP/a/archive/china_082019_tweets.csv"
    check_cmd ingest_simulated_archive_info 0 "$LOCKSTEP" info --json "$TMP/store3"
    check_grep ingest_simulated_archive_no_rejects '"rejected": 0,' "$TMP/out"
fi
# The release build (gcc) and the sanitizer build (clang) generate the same
# world: nothing in the simulator may depend on an unspecified evaluation
# order (two random draws in one expression or argument list).
REL=${LOCKSTEP_REL:-build/lockstep}
if [ -x "$REL" ]; then
    "$REL" simulate --scale 0.01 --seed 11 -o "$TMP/gcc" > /dev/null 2>&1
    "$LOCKSTEP" simulate --scale 0.01 --seed 11 -o "$TMP/clang" > /dev/null 2>&1
    if diff -r "$TMP/gcc" "$TMP/clang" > /dev/null; then pass simulate_same_across_compilers
    else fail simulate_same_across_compilers "$(diff -rq "$TMP/gcc" "$TMP/clang" | head -3)"; fi
else
    fail simulate_same_across_compilers "no release binary at $REL"
fi
