#!/bin/sh
# ingest_lazy.sh — columns that start without memory (src/store/builder.c,
# ls__builder_col_lazy): referenced and replied-to posts and accounts, texts,
# languages and clients stay unallocated while every event so far has the
# default, and get memory (and, for events already spilled, a spill file of
# defaults) at their first real value.  The store must not depend on when
# that happens: a QUT file whose first 400 rows are plain tweets without
# text, then retweets, then replies, followed by an IO-archive file (texts,
# languages, clients, an RT @name author to resolve), gives the same store
# whether the columns spill every few events, now and then, or never, with
# one thread or two, and its counts are those of the input.
. "$(dirname "$0")/lib.sh"

awk 'BEGIN {
    print "message_id,user_id,username,repost_id,reply_id,message,timestamp,urls"
    for (i = 1; i <= 1200; i++) {
        rt = ""; rp = ""; msg = ""
        if (i > 400 && i <= 800 && i % 2 == 0) { rt = i - 399; msg = "RT x" }
        if (i > 800 && i % 5 == 0) rp = i - 3
        printf "%d,u%d,name%d,%s,%s,%s,%d,\n", i, i % 97, i % 97, rt, rp, msg, 1590969600 + i
    }
}' > "$TMP/lazy.csv"
IO=tests/data/ingest/io_quirks.csv

for spill in "" 600 5000; do
    for t in 1 2; do
        LOCKSTEP_SPILL_AT=$spill "$LOCKSTEP" ingest -q --threads $t -o "$TMP/s_${spill}_$t.lss" "$TMP/lazy.csv" "$IO" ||
            fail "lazy_ingest_${spill}_$t"
    done
done
check_same lazy_same_threads "$TMP/s__2.lss" "$TMP/s__1.lss"
for spill in 600 5000; do
    for t in 1 2; do check_same "lazy_same_spill_${spill}_t$t" "$TMP/s_${spill}_$t.lss" "$TMP/s__1.lss"; done
done
"$LOCKSTEP" info --json "$TMP/s__1.lss" > "$TMP/info.json"
# 1200 QUT rows: 200 retweets, 80 replies; io_quirks.csv adds its own.
"$LOCKSTEP" ingest -q -o "$TMP/io.lss" "$IO" && "$LOCKSTEP" info --json "$TMP/io.lss" > "$TMP/io.json"
rts=$(sed -n 's/.*"retweets": \([0-9]*\).*/\1/p' "$TMP/io.json")
rps=$(sed -n 's/.*"replies": \([0-9]*\).*/\1/p' "$TMP/io.json")
check_grep lazy_retweets "\"retweets\": $((200 + rts))," "$TMP/info.json"
check_grep lazy_replies "\"replies\": $((80 + rps))," "$TMP/info.json"
# Plain QUT rows only: the lazy columns never get memory, and are written
# as defaults (no replies, no texts).
head -n 401 "$TMP/lazy.csv" > "$TMP/first.csv"
"$LOCKSTEP" ingest -q -o "$TMP/first.lss" "$TMP/first.csv" && "$LOCKSTEP" info --json "$TMP/first.lss" > "$TMP/first.json"
check_grep lazy_plain_no_texts '"texts": 0,' "$TMP/first.json"
check_grep lazy_plain_no_replies '"replies": 0,' "$TMP/first.json"
check_grep lazy_plain_tweets '"tweets": 400,' "$TMP/first.json"
