#!/bin/sh
# export.sh — lockstep export takedown | archive | graphs on a hand-built
# store and run folder.  Four accounts: small_a (0 followers, core),
# BigB (10,000 followers, core), d_four (unknown followers, amplifier) and
# c_three (100 followers, not in the network, mentioned and replied to).
# Checks: the takedown CSV byte for byte (formula guard included); the
# archive reads back through `lockstep ingest --format io` with zero
# rejected rows and the right counts; ids and names under 5,000 followers
# are pseudonymised in every column and in texts ("RT @name:", @mentions,
# descriptions) while BigB stays; the same key gives identical files and
# another key unlinkable ones; bad keys fail; GEXF/GraphML carry the node
# attributes; manifests hash what was written.
. "$(dirname "$0")/lib.sh"

U="userid,user_display_name,user_screen_name,user_reported_location,user_profile_description,user_profile_url,follower_count,following_count,account_creation_date,account_language"
cat > "$TMP/users.csv" <<EOF
$U
101,Small A,small_a,Somewhere,"I follow @BigB and @c_three",http://a.example/me,0,12,2020-01-13,en
202,Big B,BigB,City,news,https://b.example/,10000,5,2012-05-01,en
303,C Three,c_three,,,,100,5,2015-01-01,en
404,D Four,d_four,,,,,5,2020-01-13,en
EOF
T="tweetid,userid,user_display_name,user_screen_name,user_reported_location,user_profile_description,user_profile_url,follower_count,following_count,account_creation_date,account_language,tweet_language,tweet_text,tweet_time,tweet_client_name,in_reply_to_userid,in_reply_to_tweetid,quoted_tweet_tweetid,is_retweet,retweet_userid,retweet_tweetid,latitude,longitude,quote_count,reply_count,like_count,retweet_count,hashtags,urls,user_mentions,poll_choices"
cat > "$TMP/tweets.csv" <<EOF
$T
1250000000000000001,101,Small A,small_a,,,,,,,,en,hello @BigB and @c_three #tag1 https://x.example/p,2020-04-14 09:56,Twitter Web App,,,,False,,,absent,absent,0,1,2,1,['tag1'],['https://x.example/p'],"['202', '303']",
1250000000000000002,202,Big B,BigB,,,,,,,,en,breaking news,2020-04-14 09:56,Twitter Web App,,,,False,,,absent,absent,1,0,5,1,[],[],[],
1250000000000000003,101,Small A,small_a,,,,,,,,en,RT @BigB: breaking news,2020-04-14 09:56,Twitter Web App,,,,True,202,1250000000000000002,absent,absent,0,0,0,0,[],[],[],
1250000000000000004,404,D Four,d_four,,,,,,,,en,RT @small_a: hello @BigB and @c_three #tag1 https://x.example/p,2020-04-14 09:56,Twitter Web App,,,,True,101,1250000000000000001,absent,absent,0,0,0,0,['tag1'],['https://x.example/p'],"['202', '303']",
1250000000000000005,101,Small A,small_a,,,,,,,,en,"@c_three I disagree, ""quoted"" and
a new line",2020-04-14 09:56,Twitter Web App,303,1250000000000000006,,False,,,absent,absent,0,0,0,0,[],[],['303'],
1250000000000000006,303,C Three,c_three,,,,,,,,en,c says hi,2020-04-14 09:56,Twitter Web App,,,,False,,,absent,absent,0,1,0,0,[],[],[],
1250000000000000007,404,D Four,d_four,,,,,,,,en,look at this @BigB https://twitter.com/small_a/status/1,2020-04-14 09:56,Twitter Web App,,,1250000000000000002,False,,,absent,absent,0,0,0,0,[],['https://twitter.com/small_a/status/1'],['202'],
EOF
check_cmd export_fixture_ingest 0 "$LOCKSTEP" ingest --strict -o "$TMP/x.store" "$TMP/users.csv" "$TMP/tweets.csv"

RUN=$TMP/run
mkdir -p "$RUN"
cat > "$RUN/accounts.csv" <<'EOF'
userid,screen_name,network,role,score,evidence
404,d_four,N1,amplifier,0.7,"-2 days, weird"
202,BigB,N1,core,0.8,=1+2
101,small_a,N1,core,0.9,retweeted 1 core post
EOF
printf 'source,target,weight,edge_type,sig\n101,202,1.5,co_retweet,9.1\n101,404,1,co_retweet,7\n' > "$RUN/edges.csv"
printf '{"run": {"store": "%s"}, "networks": [{"id": "N1", "accounts": 3, "core": 2, "amplifiers": 1, "score": 0.75}]}\n' \
    "$TMP/x.store" > "$RUN/networks.json"

# ---- takedown ----
check_cmd export_takedown 0 "$LOCKSTEP" export takedown "$RUN"
cat > "$TMP/want_takedown.csv" <<'EOF'
network,userid,screen_name,role,score,evidence
N1,101,small_a,core,0.900,retweeted 1 core post
N1,202,BigB,core,0.800,'=1+2
N1,404,d_four,amplifier,0.700,"'-2 days, weird"
EOF
check_same export_takedown_contents "$RUN/takedown.csv" "$TMP/want_takedown.csv"
check_cmd export_takedown_file 0 "$LOCKSTEP" export takedown "$RUN" -o "$TMP/td.csv"
check_same export_takedown_same_bytes "$TMP/td.csv" "$TMP/want_takedown.csv"
check_grep export_takedown_manifest "\"name\": \"takedown.csv\", \"bytes\": $(wc -c < "$RUN/takedown.csv" | tr -d ' '), \"sha256\": \"$(sha256sum "$RUN/takedown.csv" | cut -c1-64)\"" "$RUN/manifest.json"

# ---- archive ----
printf '0123456789abcdef0123456789abcdef' > "$TMP/k1"
printf 'another key, 32 bytes long.....!' > "$TMP/k2"
check_cmd export_archive 0 "$LOCKSTEP" export archive "$RUN" --key-file "$TMP/k1" -o "$TMP/rel1"
R=$TMP/rel1
head -n 1 "$R/tweets.csv" > "$TMP/h"; echo "$T" > "$TMP/wh"
check_same export_archive_tweets_header "$TMP/h" "$TMP/wh"
head -n 1 "$R/users.csv" > "$TMP/h"; echo "$U" > "$TMP/wh"
check_same export_archive_users_header "$TMP/h" "$TMP/wh"
n=$(awk 'NR>1' "$R/users.csv" | wc -l)
if [ "$n" -eq 3 ]; then pass export_archive_users_rows; else fail export_archive_users_rows "$n user rows, expected 3"; fi

PA_ID=$(sed -n 2p "$R/users.csv" | cut -d, -f1)      # small_a (core, score 0.9) comes first
PA=$(sed -n 2p "$R/users.csv" | cut -d, -f3)
PD_ID=$(sed -n 4p "$R/users.csv" | cut -d, -f1)
if [ ${#PA_ID} -eq 44 ] && [ ${#PA} -eq 15 ] && [ ${#PD_ID} -eq 44 ] && [ "$PA_ID" != "$PD_ID" ]; then
    pass export_archive_pseudonym_shape
else fail export_archive_pseudonym_shape "id '$PA_ID' name '$PA' d '$PD_ID'"; fi
if sed -n 3p "$R/users.csv" | grep -q '^202,Big B,BigB,City,news,https://b.example/,10000,5,2012-05-01,en$'; then
    pass export_archive_big_account_kept
else fail export_archive_big_account_kept "$(sed -n 3p "$R/users.csv")"; fi
if grep -q 'small_a\|c_three\|d_four\|Small A\|D Four\|a\.example/me\|,101,\|,303,\|,404,\|^101,\|^404,' "$R/tweets.csv" "$R/users.csv" ||
   grep -q "'101'\|'303'\|'404'" "$R/tweets.csv"; then
    fail export_archive_no_small_identifiers "$(grep -n 'small_a\|c_three\|d_four\|,101,\|,303,\|,404,' "$R/tweets.csv" "$R/users.csv" | head -3)"
else pass export_archive_no_small_identifiers; fi
check_grep export_archive_rt_prefix "^1250000000000000004,$PD_ID,.*,RT @$PA: hello @BigB and @[a-z2-7]\{15\} #tag1" "$R/tweets.csv"
check_grep export_archive_rt_user ",True,$PA_ID,1250000000000000001," "$R/tweets.csv"
check_grep export_archive_rt_kept ",RT @BigB: breaking news,.*,True,202,1250000000000000002," "$R/tweets.csv"
# c_three's pseudonym is the same in the two texts, the description and the mention list.
PC=$(grep '^1250000000000000001,' "$R/tweets.csv" | grep -o 'hello @BigB and @[a-z2-7]\{15\}' | cut -c18-)
check_grep export_archive_reply_text "\"@$PC I disagree, \"\"quoted\"\" and" "$R/tweets.csv"
check_grep export_archive_description ",Somewhere,I follow @BigB and @$PC,," "$R/users.csv"
PC_ID=$(grep '^1250000000000000001,' "$R/tweets.csv" | grep -o "\"\['202', '[^']*'\]\"" | cut -d"'" -f4)
if [ ${#PC_ID} -eq 44 ]; then pass export_archive_mentions; else fail export_archive_mentions "mention list of post 1: '$PC_ID'"; fi
check_grep export_archive_reply_user "^a new line\",2020-04-14 09:56,Twitter Web App,$PC_ID,1250000000000000006,,False,,,absent,absent,,,,,\[\],\[\],\['$PC_ID'\]," "$R/tweets.csv"
check_grep export_archive_profile_link "look at this @BigB https://twitter.com/$PA/status/1,.*\['https://twitter.com/$PA/status/1'\]" "$R/tweets.csv"
if grep -q '^1250000000000000006,' "$R/tweets.csv"; then fail export_archive_members_only "c_three's post is in the release"; else pass export_archive_members_only; fi

# It reads back with zero rejected rows.
check_cmd export_archive_reingest 0 "$LOCKSTEP" ingest --format io --strict -o "$TMP/back.store" "$R/tweets.csv" "$R/users.csv"
"$LOCKSTEP" info --json "$TMP/back.store" > "$TMP/info.json"
for kv in '"posts": 6' '"retweets": 2' '"quotes": 1' '"replies": 1' '"rejected": 0' '"repaired": 0' '"accounts": 4'; do
    check_grep "export_archive_reingest_$(echo "$kv" | tr -dc 'a-z')" "$kv" "$TMP/info.json"
done
check_grep export_archive_manifest "\"name\": \"tweets.csv\", \"bytes\": $(wc -c < "$R/tweets.csv" | tr -d ' '), \"sha256\": \"$(sha256sum "$R/tweets.csv" | cut -c1-64)\"" "$R/manifest.json"

# Same key, same bytes; another key, other pseudonyms.
check_cmd export_archive_again 0 "$LOCKSTEP" export archive "$RUN" --key-file "$TMP/k1" -o "$TMP/rel1b"
check_same export_archive_same_key_tweets "$TMP/rel1b/tweets.csv" "$R/tweets.csv"
check_same export_archive_same_key_users "$TMP/rel1b/users.csv" "$R/users.csv"
check_cmd export_archive_key2 0 "$LOCKSTEP" export archive "$RUN" --key-file "$TMP/k2" -o "$TMP/rel2"
if grep -q -F -e "$PA_ID" -e "$PA" -e "$PC" -e "$PD_ID" "$TMP/rel2/tweets.csv" "$TMP/rel2/users.csv"; then
    fail export_archive_other_key_unlinkable "a key-1 pseudonym appears in the key-2 release"
else pass export_archive_other_key_unlinkable; fi
check_grep export_archive_other_key_kept '^202,Big B,BigB,' "$TMP/rel2/users.csv"

# A path ending in .zip: the same three files in one zip (what platforms
# published), the same bytes twice, no staging folder left, and it reads
# back through ingest's archive reader.
check_cmd export_archive_zip 0 "$LOCKSTEP" export archive "$RUN" --key-file "$TMP/k1" -o "$TMP/rel.zip"
check_cmd export_archive_zip_again 0 "$LOCKSTEP" export archive "$RUN" --key-file "$TMP/k1" -o "$TMP/rel_b.zip"
check_same export_archive_zip_same_bytes "$TMP/rel_b.zip" "$TMP/rel.zip"
if python3 - "$TMP/rel.zip" "$R" <<'PYEOF'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
assert names == ['tweets.csv', 'users.csv', 'manifest.json'], names
assert z.testzip() is None
for n in names:
    assert z.read(n) == open(sys.argv[2] + '/' + n, 'rb').read(), n
PYEOF
then pass export_archive_zip_contents; else fail export_archive_zip_contents "entries differ from the folder release"; fi
if ls -a "$TMP" | grep -q lockstep-release; then fail export_archive_zip_no_staging "$(ls -a "$TMP")"; else pass export_archive_zip_no_staging; fi
check_cmd export_archive_zip_reingest 0 "$LOCKSTEP" ingest --format io --strict -o "$TMP/backz.store" "$TMP/rel.zip"
"$LOCKSTEP" info --json "$TMP/backz.store" > "$TMP/infoz.json"
check_grep export_archive_zip_reingest_posts '"posts": 6,' "$TMP/infoz.json"

# Bad keys and usage.
printf 'short' > "$TMP/kshort"
check_cmd export_archive_short_key 2 "$LOCKSTEP" export archive "$RUN" --key-file "$TMP/kshort" -o "$TMP/relx"
check_cmd export_archive_missing_key 3 "$LOCKSTEP" export archive "$RUN" --key-file "$TMP/nokey" -o "$TMP/relx"
check_cmd export_archive_needs_key 2 "$LOCKSTEP" export archive "$RUN" -o "$TMP/relx"
check_cmd export_unknown 2 "$LOCKSTEP" export nothing "$RUN"
check_cmd export_missing_run 3 "$LOCKSTEP" export takedown "$TMP/no_such_run"

# ---- graphs ----
check_cmd export_graphs 0 "$LOCKSTEP" export graphs "$RUN" -o "$TMP/g"
G=$TMP/g/network_N1.gexf
check_grep export_graphs_gexf_node '<node id="n0" label="small_a"><attvalues><attvalue for="0" value="101"/><attvalue for="1" value="core"/><attvalue for="2" value="0.9000"/><attvalue for="3" value="0"/><attvalue for="4" value="2020-01-13"/><attvalue for="5" value="2"/><attvalue for="6" value="aaaaa_a"/>' "$G"
check_grep export_graphs_gexf_edge '<edge id="e0" source="n0" target="n1" weight="1.5000"/>' "$G"
check_grep export_graphs_graphml '<node id="n2"><data key="label">d_four</data><data key="userid">404</data><data key="role">amplifier</data>' "$TMP/g/network_N1.graphml"
if command -v xmllint > /dev/null 2>&1; then
    check_cmd export_graphs_xml_valid 0 xmllint --noout "$G" "$TMP/g/network_N1.graphml"
fi
check_grep export_graphs_manifest "network_N1.graphml" "$TMP/g/manifest.json"

# ---- bad run folders ----
mkdir -p "$TMP/bad1" "$TMP/bad2"
cp "$RUN/accounts.csv" "$TMP/bad1/"
printf '{"run": {"store": "%s"}, "networks": [' "$TMP/x.store" > "$TMP/bad1/networks.json"
check_cmd export_bad_networks_json 1 "$LOCKSTEP" export takedown "$TMP/bad1"
check_grep export_bad_networks_json_names_file "bad1/networks.json" "$TMP/err"
printf 'id,name\n1,x\n' > "$TMP/bad2/accounts.csv"
check_cmd export_bad_accounts_header 1 "$LOCKSTEP" export takedown "$TMP/bad2"
check_grep export_bad_accounts_header_says "not an accounts file" "$TMP/err"
check_cmd export_report_bad_store 1 "$LOCKSTEP" report "$RUN" --store "$TMP/tweets.csv"

# ---- a run with no network ----
mkdir -p "$TMP/empty"
printf 'userid,screen_name,network,role,score,evidence\n' > "$TMP/empty/accounts.csv"
printf '{"run": {"store": "%s"}, "networks": []}\n' "$TMP/x.store" > "$TMP/empty/networks.json"
check_cmd export_empty_report 0 "$LOCKSTEP" report "$TMP/empty"
check_grep export_empty_report_says "<p>0 networks, 0 accounts" "$TMP/empty/report.html"
check_cmd export_empty_takedown 0 "$LOCKSTEP" export takedown "$TMP/empty"
check_cmd export_empty_archive 0 "$LOCKSTEP" export archive "$TMP/empty" --key-file "$TMP/k1" -o "$TMP/empty/rel"
check_cmd export_empty_graphs 0 "$LOCKSTEP" export graphs "$TMP/empty" -o "$TMP/empty/g"
