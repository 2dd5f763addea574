#!/bin/sh
# ingest_jsonstream.sh — large pretty-printed JSON documents read row by row
# (src/ingest/jsonstream.c).  A document past LOCKSTEP_JSON_STREAM_AT bytes
# (64 MiB by default) is streamed instead of parsed whole; for a whole
# document the store must be byte for byte the one a whole parse gives:
# Telegram chat and full-account exports (chats after left_chats in the
# file, a chat id after its messages, no id, a string id, non-chat
# entries, empty and non-array messages, strings holding brackets and
# escaped quotes), a top-level array, an object that is a row, and
# documents back to back; streamed from the first line (0) or switching
# in the middle (200 bytes).  A cut export keeps the rows before the cut
# when streamed (a whole parse loses them all) and counts one bad_json.
. "$(dirname "$0")/lib.sh"

D=tests/data/json
printf '[\n {"user":"a","time":"2020-01-01T00:00:00Z","id":"1","text":"a \\"]} b"},\n 5\n]\n{\n "user": "b", "time": 1577836800, "id": "2", "chats": 5,\n "text": "[{"\n}\n' > "$TMP/two.json"
for f in "$D/telegram.json" "$D/telegram_full.json" "$D/telegram_stream.json" "$D/array_pretty.json" "$TMP/two.json"; do
    k=$(basename "$f" .json)
    "$LOCKSTEP" ingest -q -o "$TMP/w_$k.lss" "$f" || fail "stream_whole_$k"
    for at in 0 200; do
        LOCKSTEP_JSON_STREAM_AT=$at "$LOCKSTEP" ingest -q -o "$TMP/s_$k.lss" "$f" || fail "stream_${at}_$k"
        check_same "stream_same_${at}_$k" "$TMP/s_$k.lss" "$TMP/w_$k.lss"
    done
done

# telegram_stream.json by hand: left_chats (chat 777: 2 messages, one a
# reply) come after chats in the output; chats: "Saved" (no id: chat0, 1
# message), "Group" (id 555 after its messages: 2 messages and a service
# message, one reply), a string, "Str id" (id "abc": chat3, 1 message),
# an empty chat and one whose messages are not a list.  6 posts, 2
# replies, 4 accounts (channel777, user42, user7, user9), 1 skipped.
LOCKSTEP_JSON_STREAM_AT=0 "$LOCKSTEP" ingest -q -o "$TMP/t.lss" "$D/telegram_stream.json" &&
    "$LOCKSTEP" info --json "$TMP/t.lss" > "$TMP/t.json" || fail stream_tg_info
check_grep stream_tg_posts '"posts": 6,' "$TMP/t.json"
check_grep stream_tg_replies '"replies": 2,' "$TMP/t.json"
check_grep stream_tg_accounts '"accounts": 4,' "$TMP/t.json"
check_grep stream_tg_service '"stream_notice": {"kind": "skipped", "count": 1,' "$TMP/t.json"

# Cut inside the second chat's first message: streamed, the rows before
# the cut stay (chat0's message and the two of left_chats, which were read
# first), and one bad_json; read whole, none.
sed -n '1,/id after messages/p' "$D/telegram_stream.json" > "$TMP/cut.json"
LOCKSTEP_JSON_STREAM_AT=0 "$LOCKSTEP" ingest -q -o "$TMP/cut.lss" "$TMP/cut.json" &&
    "$LOCKSTEP" info --json "$TMP/cut.lss" > "$TMP/cut.json.info" || fail stream_cut
check_grep stream_cut_posts '"posts": 3,' "$TMP/cut.json.info"
check_grep stream_cut_bad '"bad_json": {"kind": "rejected", "count": 1,' "$TMP/cut.json.info"
check_grep stream_cut_says 'ends before it closes' "$TMP/cut.json.info"
"$LOCKSTEP" ingest -q -o "$TMP/cutw.lss" "$TMP/cut.json" 2>/dev/null &&
    "$LOCKSTEP" info --json "$TMP/cutw.lss" > "$TMP/cutw.info" || fail stream_cut_whole
check_grep stream_cut_whole_posts '"posts": 0,' "$TMP/cutw.info"

# Damage inside the document (a stray bracket) stops the stream there,
# with --strict an error naming the file and line.
printf '{\n "messages": [\n  {"from_id": "u1", "date_unixtime": "1614592800", "id": 1, "text": "ok"},\n  ]\n ]\n}\n' > "$TMP/bad.json"
LOCKSTEP_JSON_STREAM_AT=0 "$LOCKSTEP" ingest -q -o "$TMP/bad.lss" "$TMP/bad.json" &&
    "$LOCKSTEP" info --json "$TMP/bad.lss" > "$TMP/bad.info" || fail stream_bad
check_grep stream_bad_posts '"posts": 1,' "$TMP/bad.info"
check_grep stream_bad_line 'bad.json:4: a trailing comma' "$TMP/bad.info"
check_cmd stream_bad_strict_exit 1 env LOCKSTEP_JSON_STREAM_AT=0 "$LOCKSTEP" ingest -q --strict -o "$TMP/bad2.lss" "$TMP/bad.json"
check_grep stream_bad_strict_msg 'bad.json:4: malformed JSON: a trailing comma' "$TMP/err"
if [ -e "$TMP/bad2.lss" ]; then fail stream_bad_strict_no_store; else pass stream_bad_strict_no_store; fi
