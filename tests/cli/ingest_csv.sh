#!/bin/sh
# ingest_csv.sh — golden tests of the CSV-family ingest (IO archive tweets
# and users files, QUT, mapped CSV): each fixture in tests/data/ingest/ is
# ingested with $LOCKSTEP and `info --json` must equal NAME.info.json
# (numbers checked by hand when the files were made; see docs/ingest.md).
# Also: strict mode, --map usage errors, an over-long field, tweets and
# users into one store, and the real German election data set.
. tests/cli/lib.sh
D=tests/data/ingest
MAP=account=account_id,id=post_id,time=timestamp,url=url_id,hashtag=hashtag_id,domain=domain_id,image=phash_id

# golden NAME INGEST_ARGS...: ingest, then compare info --json with D/NAME.info.json.
golden() {
    n=$1; shift
    if "$LOCKSTEP" ingest "$@" -o "$TMP/$n.store" > "$TMP/$n.out" 2>&1 &&
       "$LOCKSTEP" info --json "$TMP/$n.store" > "$TMP/$n.json" 2>> "$TMP/$n.out"; then
        check_same "ingest_$n" "$TMP/$n.json" "$D/$n.info.json"
    else
        fail "ingest_$n" "$(head -c 600 "$TMP/$n.out")"
    fi
}

golden io_quirks    "$D/io_quirks.csv"
golden io_bad_rows  "$D/io_bad_rows.csv"
golden io_users     "$D/io_users.csv"
golden io_reordered --format io "$D/io_reordered.csv"
golden io_trimmed   "$D/io_trimmed.csv"
golden qut          "$D/qut.csv"
golden mapped       --format csv --map "$MAP" "$D/mapped.csv"

# Tweets and users files into one store: the users file adds account
# 1000004 to the three accounts of io_quirks (1000005 and the row without
# an id are rejected there).
if "$LOCKSTEP" ingest -o "$TMP/both.store" "$D/io_quirks.csv" "$D/io_users.csv" > "$TMP/both.out" 2>&1 &&
   "$LOCKSTEP" info --json "$TMP/both.store" > "$TMP/both.json"; then
    check_grep ingest_tweets_and_users_accounts '"accounts": 4,' "$TMP/both.json"
    check_grep ingest_tweets_and_users_posts '"posts": 7,' "$TMP/both.json"
else
    fail ingest_tweets_and_users "$(head -c 600 "$TMP/both.out")"
fi

# An over-long field (1,100,000 bytes of tweet_text) is truncated, counted,
# and the row kept.  Made here rather than stored: it is 1 MiB.
(
    cd "$TMP" || exit 1
    printf 'tweetid,userid,tweet_time,tweet_text\n1212092628029698048,1,2019-12-31 19:26,' > long.csv
    head -c 1100000 /dev/zero | tr '\0' 'a' >> long.csv
    printf '\n1212092628029698049,2,2019-12-31 19:26,short\n' >> long.csv
    "$LOCKSTEP" ingest -o long.store long.csv > long.out 2>&1 &&
        "$LOCKSTEP" info --json long.store > long.json
) && check_same ingest_long_field "$TMP/long.json" "$D/io_long_field.info.json" ||
    fail ingest_long_field "$(head -c 600 "$TMP/long.out")"

# --strict: the first bad row (io_bad_rows.csv line 3, wrong column count)
# is an error naming file and line, exit 1, and no store is left behind.
check_cmd ingest_strict_exit 1 "$LOCKSTEP" ingest --strict -o "$TMP/strict.store" "$D/io_bad_rows.csv"
check_grep ingest_strict_names_line "io_bad_rows.csv:3" "$TMP/err"
if [ -e "$TMP/strict.store" ]; then fail ingest_strict_no_store "store written"; else pass ingest_strict_no_store; fi

# --map errors are usage errors (exit 2) that say what is wrong.
check_cmd ingest_map_unknown_key 2 "$LOCKSTEP" ingest --format csv --map account=account_id,time=timestamp,colour=url_id -o "$TMP/m.store" "$D/mapped.csv"
check_grep ingest_map_unknown_key_msg "unknown key 'colour'" "$TMP/err"
check_cmd ingest_map_missing_column 2 "$LOCKSTEP" ingest --format csv --map account=acct,time=timestamp -o "$TMP/m.store" "$D/mapped.csv"
check_grep ingest_map_missing_column_msg "column 'acct'" "$TMP/err"
check_cmd ingest_map_needs_time 2 "$LOCKSTEP" ingest --format csv --map account=account_id -o "$TMP/m.store" "$D/mapped.csv"

# A file that is no IO archive given as --format io is a format error.
check_cmd ingest_io_wrong_file 1 "$LOCKSTEP" ingest --format io -o "$TMP/w.store" "$D/mapped.csv"

# The real German election data: 218,971 rows; 3 without a post id;
# 194,323 distinct post ids (rows of one post are merged when adjacent,
# 22,600 later repeats are exact duplicates); 58,314 accounts, 17,989
# hashtags, 11,960 urls and 6,915 image hashes (counted with awk/sort -u).
GE=../shared/data/german_elections.csv.gz
[ -f "$GE" ] || GE=/work/shared/data/german_elections.csv.gz
if [ -f "$GE" ]; then
    if "$LOCKSTEP" ingest --format csv --map "$MAP" -o "$TMP/ge.store" "$GE" > "$TMP/ge.out" 2>&1 &&
       "$LOCKSTEP" info --json "$TMP/ge.store" > "$TMP/ge.json"; then
        ok=1
        for want in '"posts": 194323,' '"accounts": 58314,' '"hashtags": 17989,' '"urls": 11960,' \
                    '"images": 6915,' '"rows_read": 218971,' '"rejected": 22603,'; do
            grep -q -- "$want" "$TMP/ge.json" || { ok=0; echo "  missing $want" >&2; }
        done
        if [ $ok = 1 ]; then pass ingest_german_elections; else fail ingest_german_elections "$(head -c 400 "$TMP/ge.json")"; fi
    else
        fail ingest_german_elections "$(head -c 600 "$TMP/ge.out")"
    fi
else
    fail ingest_german_elections "data file not found"
fi
