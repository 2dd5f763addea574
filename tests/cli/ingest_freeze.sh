#!/bin/sh
# ingest_freeze.sh — the post, text, URL and account pools beyond their memory budget
# (src/store/builder_freeze.c, builder_acct.c, xdedup.c).  Once a pool freezes, strings it
# does not hold get their ids on disk at write time; the store must be
# byte for byte the one an unbounded pool gives: for every fixture, for a
# generated file with duplicates found either way (post ids the frozen
# pool holds, and provisional ones repeating each other), with the pools
# frozen from the first string (LOCKSTEP_FREEZE_AT=1), after their first
# growth, or never, with one thread or two, with spilling, and when
# appending.  Also: a duplicate row's strings are interned and its profile
# values applied, but it adds no event (docs/ingest.md).
. "$(dirname "$0")/lib.sh"

# 3,000 QUT rows, not in time order: ids 1..2600, then 400 rows that
# repeat ids (early ones the pool holds, late ones it does not, and ids
# first seen as repost targets, which are not duplicates); texts repeat
# every 1,700 rows; user names change, also on duplicate rows.
awk 'BEGIN {
    print "message_id,user_id,username,repost_id,reply_id,message,timestamp,urls"
    for (i = 1; i <= 3000; i++) {
        id = i; rt = ""; rp = ""
        if (i > 2600) id = (i % 4 == 0) ? i - 2590 : (i % 4 == 1) ? i - 400 : (i % 4 == 2) ? 5000 + i % 50 : i - 2500
        if (i % 7 == 0) rt = 5000 + i % 60
        if (i % 11 == 0) rp = i - 5
        u = i % 131
        printf "%d,u%d,name%d_%d,%s,%s,text number %d #tag%d,%d,http://example.com/%d\n",
            id, u, u, int(i / 1000), rt, rp, i % 1700, i % 37, 1590969600 + (i * 7919) % 3001, i % 2000
    }
}' > "$TMP/gen.csv"

FIX="tests/data/ingest/io_quirks.csv tests/data/ingest/io_bad_rows.csv tests/data/ingest/io_reordered.csv
tests/data/ingest/io_trimmed.csv tests/data/ingest/qut.csv tests/data/ingest/crowdtangle.csv
tests/data/json/v1.jsonl tests/data/json/v2_flat.jsonl tests/data/json/v2_pages.jsonl
tests/data/json/mastodon.jsonl tests/data/json/reddit.jsonl tests/data/json/telegram.json
tests/data/diff/tweets.csv tests/data/diff/tweets_v1.jsonl $TMP/gen.csv"

k=0
for f in $FIX; do
    k=$((k + 1))
    "$LOCKSTEP" ingest -q -o "$TMP/ref$k.lss" "$f" 2>/dev/null || fail "freeze_ref_$k"
    for at in 1 40000; do
        for t in 1 2; do
            LOCKSTEP_FREEZE_AT=$at "$LOCKSTEP" ingest -q --threads $t -o "$TMP/f$k.lss" "$f" 2>/dev/null ||
                fail "freeze_ingest_${k}_${at}_$t"
            check_same "freeze_same_$(basename "$f")_${at}_t$t" "$TMP/f$k.lss" "$TMP/ref$k.lss"
        done
    done
done

# Spilled pools and columns, and the user files with their profiles.
U=tests/data/ingest/io_users.csv
"$LOCKSTEP" ingest -q -o "$TMP/ref_u.lss" "$TMP/gen.csv" tests/data/ingest/io_quirks.csv "$U" ||
    fail freeze_ref_users
for spill in 600 5000; do
    for t in 1 2; do
        LOCKSTEP_FREEZE_AT=1 LOCKSTEP_SPILL_AT=$spill "$LOCKSTEP" ingest -q --threads $t -o "$TMP/u.lss" \
            "$TMP/gen.csv" tests/data/ingest/io_quirks.csv "$U" || fail "freeze_spill_${spill}_$t"
        check_same "freeze_spill_${spill}_t$t" "$TMP/u.lss" "$TMP/ref_u.lss"
    done
done

# IO-archive rows from the bench generator, with retweets whose author is
# known only by "RT @name" (their pending pairs spill at 100 bytes too),
# frozen or not, spilled or not: one store.
cc -O1 -o "$TMP/gen_io" bench/gen_io.c && "$TMP/gen_io" 4000 > "$TMP/io.csv" || fail freeze_gen_io
"$LOCKSTEP" ingest -q -o "$TMP/io_ref.lss" "$TMP/io.csv" && "$LOCKSTEP" info --json "$TMP/io_ref.lss" > "$TMP/io.json" ||
    fail freeze_io_ref
check_grep freeze_io_rt_names '"rt_author_recovered": {"kind": "repaired", "count": [1-9][0-9]' "$TMP/io.json"
for at in 1 40000; do
    for spill in "" 100; do
        LOCKSTEP_FREEZE_AT=$at LOCKSTEP_SPILL_AT=$spill "$LOCKSTEP" ingest -q --threads 2 -o "$TMP/io.lss" "$TMP/io.csv" ||
            fail "freeze_io_${at}_$spill"
        check_same "freeze_io_same_${at}_$spill" "$TMP/io.lss" "$TMP/io_ref.lss"
    done
done

# Appending: to a store made without freezing, with the pools frozen at
# the store's size (their first new string) and from the start.
head -n 1500 "$TMP/gen.csv" > "$TMP/a.csv"
{ head -n 1 "$TMP/gen.csv"; tail -n +1501 "$TMP/gen.csv"; } > "$TMP/b.csv"
"$LOCKSTEP" ingest -q -o "$TMP/app_ref.lss" "$TMP/a.csv" &&
    "$LOCKSTEP" ingest -q --append -o "$TMP/app_ref.lss" "$TMP/b.csv" || fail freeze_append_ref
for at in 1 40000; do
    "$LOCKSTEP" ingest -q -o "$TMP/app.lss" "$TMP/a.csv" &&
        LOCKSTEP_FREEZE_AT=$at "$LOCKSTEP" ingest -q --append -o "$TMP/app.lss" "$TMP/b.csv" ||
        fail "freeze_append_$at"
    check_same "freeze_append_$at" "$TMP/app.lss" "$TMP/app_ref.lss"
done

# The generated file's counts, by hand: 3,000 rows, 400 of them repeat an
# id; of those, the 100 with i % 4 == 2 have ids 5000 + i % 50, which
# only repost targets had before: 25 distinct ids (i steps by 4), the
# first row of each an event, the other 75 duplicates.  So 300 + 75
# duplicates and 2,625 posts.
LOCKSTEP_FREEZE_AT=1 "$LOCKSTEP" ingest -q -o "$TMP/g.lss" "$TMP/gen.csv" &&
    "$LOCKSTEP" info --json "$TMP/g.lss" > "$TMP/g.json" || fail freeze_gen_info
check_grep freeze_gen_posts '"posts": 2625,' "$TMP/g.json"
check_grep freeze_gen_dups '"duplicate": {"kind": "rejected", "count": 375,' "$TMP/g.json"

# A duplicate's strings are interned and its profile applied: the second
# row repeats post 1 with a new hashtag, a new text and a new user name.
printf '%s\n' "message_id,user_id,username,repost_id,reply_id,message,timestamp,urls" \
    "1,u1,first,,,hello #one,1590969600," "1,u1,second,,,bye #two,1590969601," > "$TMP/dup.csv"
for at in "" 1; do
    LOCKSTEP_FREEZE_AT=$at "$LOCKSTEP" ingest -q -o "$TMP/d$at.lss" "$TMP/dup.csv" &&
        "$LOCKSTEP" info --json "$TMP/d$at.lss" > "$TMP/d$at.json" || fail "freeze_dup_$at"
    check_grep "freeze_dup_posts_$at" '"posts": 1,' "$TMP/d$at.json"
    check_grep "freeze_dup_texts_$at" '"texts": 2,' "$TMP/d$at.json"
    check_grep "freeze_dup_hashtags_$at" '"hashtags": 2,' "$TMP/d$at.json"
done
check_same freeze_dup_same "$TMP/d1.lss" "$TMP/d.lss"
"$LOCKSTEP" profile "$TMP/d.lss" u1 > "$TMP/prof.txt" 2>&1 || fail freeze_dup_profile
check_grep freeze_dup_profile_name "second" "$TMP/prof.txt"

# Accounts past a frozen account pool: "RT @name" authors found by
# screen name (any case), synthetic "@name" accounts made for unknown
# names, moved to the real account when an append brings it, a literal
# "@zed" account that gets the screen name its retweets give, and a new
# synthetic account made once the pool froze; the first ingest and the
# append each frozen or not: one store.
Q="message_id,user_id,username,repost_id,reply_id,message,timestamp,urls"
printf '%s\n' "$Q" "1,u1,Alice,,,hello,1590969600," "2,u2,bob,1,,RT @Carol: hi,1590969601," \
    "3,u3,dave,1,,RT @carol: hi again,1590969602," "4,u4,erin,1,,RT @ALICE: hello,1590969603," > "$TMP/ra.csv"
printf '%s\n' "$Q" "5,u5,CAROL,,,I am carol,1590969604," "6,u6,frank,5,,RT @carol: I am carol,1590969605," \
    "7,u7,gina,5,,RT @nobody: x,1590969606," "8,@zed,,,,zed speaks,1590969607," \
    "9,u9,hank,8,,RT @Zed: zed speaks,1590969608," > "$TMP/rb.csv"
for a1 in "" 1; do
    for a2 in "" 1 2000; do
        LOCKSTEP_FREEZE_AT=$a1 "$LOCKSTEP" ingest -q -o "$TMP/r.lss" "$TMP/ra.csv" &&
            LOCKSTEP_FREEZE_AT=$a2 "$LOCKSTEP" ingest -q --append -o "$TMP/r.lss" "$TMP/rb.csv" ||
            fail "freeze_rt_append_${a1}_$a2"
        if [ -z "$a1$a2" ]; then cp "$TMP/r.lss" "$TMP/r_ref.lss"
        else check_same "freeze_rt_append_same_${a1}_$a2" "$TMP/r.lss" "$TMP/r_ref.lss"; fi
    done
done
"$LOCKSTEP" info --json "$TMP/r_ref.lss" > "$TMP/r.json" || fail freeze_rt_info
# u1..u4, @carol; u5, u6, u7, @zed, u9, @nobody
check_grep freeze_rt_accounts '"accounts": 11,' "$TMP/r.json"
