#!/bin/sh
# ingest_hint.sh — the size hint (src/ingest/env.c) never changes a store.
# Once 16,384 posts of a file have been read, ingest estimates the rows to
# come from the file's size and makes room for them (post id table, event
# columns); stdin has no size, so it gets no hint.  A 60,000-row QUT file
# (numeric and non-numeric post ids, retweets of earlier posts, replies,
# texts repeated and not) must give the same store from a path and from
# stdin, with one thread and two, plain and gzip-compressed (the estimate
# then uses the compressed bytes), and with a duplicate post id near the
# end (a claim turned into a diagnostic) the same with one or two threads.
. "$(dirname "$0")/lib.sh"

# gen N: QUT rows; post i retweets post i - 37 every third row, replies to
# post i - 5 every seventh; ids are numbers except every eleventh.
gen() {
    awk -v n="$1" 'BEGIN {
        print "message_id,user_id,username,repost_id,reply_id,message,timestamp,urls"
        for (i = 1; i <= n; i++) {
            id = (i % 11 == 0) ? "p" i : sprintf("13%017d", i)
            u = i % 4099
            rt = ""; rp = ""; msg = "text " (i % 1000) " #tag" (i % 13)
            if (i % 3 == 0 && i > 37) { j = i - 37; rt = (j % 11 == 0) ? "p" j : sprintf("13%017d", j); msg = "RT x" }
            if (i % 7 == 0 && i > 5) { j = i - 5; rp = (j % 11 == 0) ? "p" j : sprintf("13%017d", j) }
            printf "%s,u%d,name%d,%s,%s,\"%s\",%d,https://e.example/%d\n", id, u, u, rt, rp, msg, 1590969600 + i, i % 50
        }
    }'
}
gen 60000 > "$TMP/q.csv"
gzip -c "$TMP/q.csv" > "$TMP/q.csv.gz"

check_cmd hint_path_t1 0 "$LOCKSTEP" ingest --quiet --format qut --threads 1 -o "$TMP/p1.lss" "$TMP/q.csv"
check_cmd hint_path_t2 0 "$LOCKSTEP" ingest --quiet --format qut --threads 2 -o "$TMP/p2.lss" "$TMP/q.csv"
check_cmd hint_stdin 0 sh -c "\"$LOCKSTEP\" ingest --quiet --format qut --threads 2 -o \"$TMP/s.lss\" - < \"$TMP/q.csv\""
check_cmd hint_gzip 0 "$LOCKSTEP" ingest --quiet --format qut --threads 2 -o "$TMP/g.lss" "$TMP/q.csv.gz"
check_same hint_t1_t2_same "$TMP/p2.lss" "$TMP/p1.lss"
check_same hint_stdin_same "$TMP/s.lss" "$TMP/p1.lss"
check_same hint_gzip_same "$TMP/g.lss" "$TMP/p1.lss"
"$LOCKSTEP" info --json "$TMP/p1.lss" > "$TMP/p1.json"
check_grep hint_all_posts '"posts": 60000' "$TMP/p1.json"

# A duplicate post id after the hint: a diagnostic in the claimed post's place.
{ cat "$TMP/q.csv"; echo "1300000000000000001,u1,name1,,,\"again\",1591069600,"; gen 100 | tail -n 20 | sed 's/^13/14/; s/^p/q/'; } > "$TMP/d.csv"
check_cmd hint_dup_t1 0 "$LOCKSTEP" ingest --quiet --format qut --threads 1 -o "$TMP/d1.lss" "$TMP/d.csv"
check_cmd hint_dup_t2 0 "$LOCKSTEP" ingest --quiet --format qut --threads 2 -o "$TMP/d2.lss" "$TMP/d.csv"
check_same hint_dup_same "$TMP/d2.lss" "$TMP/d1.lss"
"$LOCKSTEP" info --json "$TMP/d2.lss" > "$TMP/d2.json"
check_grep hint_dup_counted '"duplicate": {"kind": "rejected", "count": 1,' "$TMP/d2.json"
check_grep hint_dup_example "d.csv:60002: post id 1300000000000000001 seen before" "$TMP/d2.json"

# `network` on the raw file: a projected ingest, in which the builder thread
# claims the post ids and the hint reserves them there (envq.c).  The edges
# must be those of the stored file, at one and two threads, with and
# without the duplicate.
for f in q d; do
    "$LOCKSTEP" ingest --quiet --format qut -o "$TMP/n_$f.lss" "$TMP/$f.csv" 2> /dev/null
    "$LOCKSTEP" network co_retweet,co_link --window 120 -q "$TMP/n_$f.lss" -o "$TMP/n_$f.store.csv"
    for t in 1 2; do
        "$LOCKSTEP" network co_retweet,co_link --window 120 -q --threads $t "$TMP/$f.csv" -o "$TMP/n_$f.raw$t.csv"
        check_same "hint_network_raw_${f}_t$t" "$TMP/n_$f.raw$t.csv" "$TMP/n_$f.store.csv"
    done
done
if [ "$(wc -l < "$TMP/n_q.store.csv")" -gt 100 ]; then pass hint_network_has_edges
else fail hint_network_has_edges "$(wc -l < "$TMP/n_q.store.csv") lines"; fi
