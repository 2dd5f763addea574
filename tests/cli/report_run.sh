#!/bin/sh
# report_run.sh — the report and the exports on a real detect run: a small
# simulated june2020 world is ingested and detected, then the report must
# have one section per network in networks.json with every chart, bound
# its tables (--max-accounts) and say how many rows it left out, match its
# manifest entry, and come out byte-identical twice; the takedown list has
# one row per account of accounts.csv; the archive reads back with zero
# rejected rows and as many posts as the networks' accounts wrote.
. "$(dirname "$0")/lib.sh"

"$LOCKSTEP" simulate --scale 0.004 --seed 7 -q -o "$TMP/world" > /dev/null 2>&1
"$LOCKSTEP" ingest --quiet -o "$TMP/s.store" "$TMP/world/tweets.csv" "$TMP/world/users.csv" > /dev/null 2>&1
check_cmd report_run_detect 0 "$LOCKSTEP" detect "$TMP/s.store" -o "$TMP/run"
nets=$(grep -o '"amplifiers":' "$TMP/run/networks.json" | wc -l)
if [ "$nets" -ge 1 ]; then pass report_run_has_networks; else fail report_run_has_networks "no network detected"; exit 0; fi

check_cmd report_run_report 0 "$LOCKSTEP" report "$TMP/run" --max-accounts 7
R=$TMP/run/report.html
n=$(grep -o '<section class="network"' "$R" | wc -l)
if [ "$n" -eq "$nets" ]; then pass report_run_sections; else fail report_run_sections "$n sections for $nets networks"; fi
for s in 'Posts per' 'Posts by hour of week, UTC"' 'Posts by hour of week, UTC+' 'Accounts created' \
         'Accounts by follower count' 'class="net"' 'Top hashtags' 'Example posts' 'more accounts not shown'; do
    c=$(grep -o "$s" "$R" | wc -l)
    if [ "$c" -ge "$nets" ]; then pass "report_run_has_$(echo "$s" | tr -dc 'a-zA-Z')"; else
        fail "report_run_has_$(echo "$s" | tr -dc 'a-zA-Z')" "'$s' found $c times for $nets networks"; fi
done
rows=$(sed -n '/<table id="acc-0">/,/<\/table>/p' "$R" | grep -c '^<tr><td>@')
if [ "$rows" -eq 7 ]; then pass report_run_bounded_table; else fail report_run_bounded_table "$rows rows, expected 7"; fi
check_grep report_run_manifest "\"name\": \"report.html\", \"bytes\": $(wc -c < "$R" | tr -d ' '), \"sha256\": \"$(sha256sum "$R" | cut -c1-64)\"" "$TMP/run/manifest.json"
cp "$R" "$TMP/first.html"
"$LOCKSTEP" report "$TMP/run" --max-accounts 7 > /dev/null 2>&1
check_same report_run_deterministic "$R" "$TMP/first.html"
check_cmd report_run_other_output 0 "$LOCKSTEP" report "$TMP/run" --max-accounts 7 -o "$TMP/other.html"
check_same report_run_other_output_same "$TMP/other.html" "$TMP/first.html"
check_cmd report_run_no_store 3 "$LOCKSTEP" report "$TMP/run" --store "$TMP/nothing.store"
check_cmd report_run_usage 2 "$LOCKSTEP" report

check_cmd report_run_takedown 0 "$LOCKSTEP" export takedown "$TMP/run"
a=$(awk 'NR>1' "$TMP/run/accounts.csv" | cut -d, -f1 | sort)
b=$(awk 'NR>1' "$TMP/run/takedown.csv" | cut -d, -f2 | sort)
if [ "$a" = "$b" ]; then pass report_run_takedown_accounts; else fail report_run_takedown_accounts "accounts differ"; fi

head -c 32 /dev/zero | tr '\0' 'k' > "$TMP/key"
check_cmd report_run_archive 0 "$LOCKSTEP" export archive "$TMP/run" --key-file "$TMP/key" -o "$TMP/rel"
check_cmd report_run_archive_reingest 0 "$LOCKSTEP" ingest --strict --quiet -o "$TMP/back.store" "$TMP/rel/tweets.csv" "$TMP/rel/users.csv"
"$LOCKSTEP" info --json "$TMP/back.store" > "$TMP/info.json"
check_grep report_run_archive_no_rejects '"rejected": 0' "$TMP/info.json"
rows=$(grep -c '^[0-9]\{6,\},' "$TMP/rel/tweets.csv")
check_grep report_run_archive_posts "\"posts\": $rows," "$TMP/info.json"
