#!/bin/sh
# ingest_json.sh — golden tests of the JSON ingest (API v1.1 lines, API v2
# pages, flat rows and pretty-printed documents): each fixture in
# tests/data/json/ is ingested with $LOCKSTEP and `info --json` must equal
# NAME.info.json.  The numbers were checked by hand against the fixtures
# (the unit test tests/unit/test_json.c checks the same fixtures column by
# column); see docs/ingest.md, "JSON formats".  Also: --strict names the
# first bad line, stdin and gzip input, and auto-detection of JSON lines.
. tests/cli/lib.sh
D=tests/data/json

# golden NAME EXPECTED INGEST_ARGS...: ingest, then compare info --json
# with D/EXPECTED.info.json.
golden() {
    n=$1; x=$2; shift 2
    if "$LOCKSTEP" ingest --quiet "$@" -o "$TMP/$n.store" > "$TMP/$n.out" 2>&1 &&
       "$LOCKSTEP" info --json "$TMP/$n.store" > "$TMP/$n.json" 2>> "$TMP/$n.out"; then
        check_same "json_$n" "$TMP/$n.json" "$D/$x.info.json"
    else
        fail "json_$n" "$(head -c 600 "$TMP/$n.out")"
    fi
}

golden v1           v1           --format v1 "$D/v1.jsonl"
golden v1_cut_first v1_cut_first --format v1 "$D/v1_cut_first.jsonl"
golden v2_pages     v2_pages     --format v2 "$D/v2_pages.jsonl"
golden v2_flat      v2_flat      --format v2 "$D/v2_flat.jsonl"
golden v2_pretty    v2_pretty    --format v2 "$D/v2_pretty.json"
# JSON lines and pretty-printed documents are recognised without --format.
golden v1_auto      v1           "$D/v1.jsonl"
golden v2_flat_auto v2_flat      "$D/v2_flat.jsonl"
golden v2_pretty_auto v2_pretty  "$D/v2_pretty.json"

# Ids that only look like snowflakes (line 1: 1500000000000000001 would be
# 2022-03-05T06:47:23.309Z, while created_at says 2020-01-08 10:00): the
# stated time wins; a real snowflake that agrees with created_at (line 2,
# the pair of docs/ingest.md) keeps its milliseconds.
for f in v1 v2; do
    "$LOCKSTEP" ingest --quiet --format $f -o "$TMP/fake_$f.store" "$D/${f}_fake_ids.jsonl" > "$TMP/fake_$f.out" 2>&1 &&
    "$LOCKSTEP" info --json "$TMP/fake_$f.store" > "$TMP/fake_$f.json" 2>> "$TMP/fake_$f.out"
    check_grep "json_${f}_fake_snowflake_time" \
        '"time_range": {"first": "2019-12-31T19:26:16.771Z", "last": "2020-01-08T10:00:00Z"}' "$TMP/fake_$f.json"
done

# JSON of another schema (jsonmap.c): the map is guessed from the first
# object's members ("user.id" for a nested one) and printed; other.jsonl
# (counts by hand: 4 posts by 4 accounts, two retweets of 101, one as an
# integer and one as a string, hashtags world and news from arrays, a
# fractional unix time, a bad line, a top-level array) must give
# other.info.json, also through an explicit --format json --map.
check_cmd json_other_exit 0 sh -c "$LOCKSTEP ingest -o '$TMP/other.store' '$D/other.jsonl' > '$TMP/other.out' 2>&1"
check_grep json_other_guess 'members of the first objects guessed: --map account=user.id,time=timestamp,id=tweet_id,retweet=retweet_of,name=user.screen_name,text=text,urls=urls,hashtags=hashtags' "$TMP/other.out"
"$LOCKSTEP" info --json "$TMP/other.store" > "$TMP/other.json" 2>&1
check_same json_other "$TMP/other.json" "$D/other.info.json"
"$LOCKSTEP" ingest --quiet --format json --map account=user.id,time=timestamp,id=tweet_id,retweet=retweet_of,name=user.screen_name,text=text,urls=urls,hashtags=hashtags \
    -o "$TMP/other2.store" "$D/other.jsonl" > /dev/null 2>&1
if cmp -s "$TMP/other.store" "$TMP/other2.store"; then pass json_other_map_same; else fail json_other_map_same "stores differ"; fi
printf '{"a": 1, "b": 2}\n' > "$TMP/nothing.jsonl"
check_cmd json_other_none_exit 1 "$LOCKSTEP" ingest -o "$TMP/nothing.store" "$TMP/nothing.jsonl"
check_grep json_other_none_message 'no account and time members in its first objects recognised' "$TMP/err"

# Other platforms' JSON, guessed with no options.  mastodon.jsonl (API
# statuses): the boost's "reblog" is null in the first object and an object
# in the second, so the header is made from the first objects (reblog.id
# -> retweet); tags are a list of objects ({"name": ..}).  Counted by hand:
# 3 posts (1 original, 1 boost of 109, 1 reply to 109), 3 accounts, one
# hashtag "tag", names from account.acct.  reddit.jsonl (Pushshift
# comments): created_utc is the time (one of them a string), parent_id the
# reply target: 3 replies by 3 authors in 2020-06-01T08:26:40Z..08:28:40Z.
check_cmd json_mastodon_exit 0 sh -c "$LOCKSTEP ingest -o '$TMP/masto.store' '$D/mastodon.jsonl' > '$TMP/masto.out' 2>&1"
check_grep json_mastodon_guess 'guessed: --map account=account.id,time=created_at,id=id,retweet=reblog.id,reply_account=in_reply_to_account_id,reply=in_reply_to_id,text=content,url=url,hashtags=tags,lang=language,created=account.created_at,name=account.acct,followers=account.followers_count' "$TMP/masto.out"
"$LOCKSTEP" info --json "$TMP/masto.store" > "$TMP/masto.json" 2>&1
for kv in '"posts": 3,' '"tweets": 1,' '"retweets": 1,' '"replies": 1,' '"accounts": 3,' '"hashtags": 1,' '"rejected": 0,'; do
    check_grep "json_mastodon_$(echo "$kv" | tr -dc 'a-z')" "$kv" "$TMP/masto.json"
done
check_cmd json_reddit_exit 0 sh -c "$LOCKSTEP ingest -o '$TMP/reddit.store' '$D/reddit.jsonl' > '$TMP/reddit.out' 2>&1"
check_grep json_reddit_guess 'guessed: --map account=author,time=created_utc,id=id,reply=parent_id,text=body' "$TMP/reddit.out"
"$LOCKSTEP" info --json "$TMP/reddit.store" > "$TMP/reddit.json" 2>&1
for kv in '"posts": 3,' '"replies": 3,' '"accounts": 3,' '"rejected": 0,' '"time_range": {"first": "2020-06-01T08:26:40Z", "last": "2020-06-01T08:28:40Z"}'; do
    check_grep "json_reddit_$(echo "$kv" | tr -dc 'a-z')" "$kv" "$TMP/reddit.json"
done

# telegram.json (a Telegram Desktop chat export: one document, the rows
# in its "messages" array): 2 posts by 2 accounts, one a reply to message
# 1; the time from date_unixtime (1646128800 = 2022-03-01T10:00:00Z).
check_cmd json_telegram_exit 0 sh -c "$LOCKSTEP ingest -o '$TMP/tg.store' '$D/telegram.json' > '$TMP/tg.out' 2>&1"
check_grep json_telegram_guess 'guessed: --map account=from_id,time=date_unixtime,id=id,reply=reply_to_message_id,text=text' "$TMP/tg.out"
"$LOCKSTEP" info --json "$TMP/tg.store" > "$TMP/tg.json" 2>&1
for kv in '"posts": 2,' '"replies": 1,' '"accounts": 2,' '"time_range": {"first": "2022-03-01T10:00:00Z", "last": "2022-03-01T10:05:00Z"}'; do
    check_grep "json_telegram_$(echo "$kv" | tr -dc 'a-z')" "$kv" "$TMP/tg.json"
done

# telegram_full.json (a full-account export: chats.list and left_chats.list):
# 5 messages in 3 chats by 4 accounts, message ids 1 and 2 in two chats (so
# "CHAT:ID" posts), one reply (111:2 to 111:1), one service message skipped
# and kept out of the guess (its actor_id is not the account column).
check_cmd json_telegram_full_exit 0 sh -c "$LOCKSTEP ingest -o '$TMP/tgf.store' '$D/telegram_full.json' > '$TMP/tgf.out' 2>&1"
check_grep json_telegram_full_guess 'guessed: --map account=from_id,time=date_unixtime,id=id,reply=reply_to_message_id,text=text' "$TMP/tgf.out"
"$LOCKSTEP" info --json "$TMP/tgf.store" > "$TMP/tgf.json" 2>&1
for kv in '"posts": 5,' '"replies": 1,' '"accounts": 4,' '"texts": 5,' '"skipped": 1,' '"rejected": 0,' \
    '"time_range": {"first": "2022-02-01T09:00:00Z", "last": "2022-03-01T11:30:00Z"}' \
    'Telegram service message'; do
    check_grep "json_telegram_full_$(echo "$kv" | tr -dc 'a-z')" "$kv" "$TMP/tgf.json"
done

# --strict: the first bad row (line 5, cut JSON) is an error naming it,
# and no store is left behind.
check_cmd json_strict_exit 1 "$LOCKSTEP" ingest --strict --format v1 -o "$TMP/strict.store" "$D/v1.jsonl"
check_grep json_strict_names_line 'v1.jsonl:5: malformed JSON' "$TMP/err"
if [ -e "$TMP/strict.store" ]; then fail json_strict_no_store "a store was written"; else pass json_strict_no_store; fi

# stdin and gzip give the same store contents as the plain file (the
# examples name the input, so only the counts are compared).
counts() { sed '/"reasons"/,$d' "$1"; }
gzip -c "$D/v2_flat.jsonl" > "$TMP/flat.jsonl.gz"
"$LOCKSTEP" ingest --quiet --format v2 -o "$TMP/gz.store" "$TMP/flat.jsonl.gz" > "$TMP/gz.out" 2>&1 &&
"$LOCKSTEP" info --json "$TMP/gz.store" > "$TMP/gz.json" 2>> "$TMP/gz.out"
counts "$TMP/gz.json" > "$TMP/gz.counts"; counts "$D/v2_flat.info.json" > "$TMP/flat.counts"
check_same json_gzip "$TMP/gz.counts" "$TMP/flat.counts"
"$LOCKSTEP" ingest --quiet --format v1 -o "$TMP/stdin.store" - < "$D/v1.jsonl" > "$TMP/stdin.out" 2>&1 &&
"$LOCKSTEP" info --json "$TMP/stdin.store" > "$TMP/stdin.json" 2>> "$TMP/stdin.out"
counts "$TMP/stdin.json" > "$TMP/stdin.counts"; counts "$D/v1.info.json" > "$TMP/v1.counts"
check_same json_stdin "$TMP/stdin.counts" "$TMP/v1.counts"
