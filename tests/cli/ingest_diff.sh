#!/bin/sh
# ingest_diff.sh — differential test of the input formats: the same 12
# tweets (tests/data/diff, written by gen.py there) as an IO-archive CSV,
# API v1.1 JSON lines, API v2 pages (two pretty-printed documents, as
# `jq .` writes them) and twarc2-flattened v2 rows must give the same
# `lockstep info --json`.
#
# The only fields allowed to differ, because a format truly lacks or adds
# something, are removed before the comparison and checked one by one:
#   rows_read  counts the rows of the input: data records of the CSV (12,
#              the header is not a row) and lines of JSON input (12), but
#              the pretty-printed v2 pages spread each document over many
#              lines, and every line is counted.
#   repaired / reasons
#              the IO archive leaves retweet_userid empty on one retweet
#              (t3); its author is recovered from "RT @alice_hk:", counted
#              as rt_author_recovered.  v1 embeds the retweeted author and
#              v2 gives it in includes.tweets / the flat row, so there is
#              nothing to repair.  The recovered event is the same: the
#              unit test diff_fixtures_agree compares ref_account directly.
# Everything else (accounts, posts by kind, hashtags, urls, domains, texts,
# images, mentions, exact time range from the snowflakes, languages,
# clients, rejected rows) must be equal, and equal to expected_info.json,
# whose counts were checked by hand against the table in gen.py.
. "$(dirname "$0")/lib.sh"
D=tests/data/diff

# norm IN OUT: drops rows_read, repaired and the reasons block.
norm() { grep -v -e '"rows_read"' -e '"repaired"' "$1" | sed '/"reasons"/,$d' > "$2"; }

for f in io:tweets.csv v1:tweets_v1.jsonl v2:tweets_v2_pages.json v2flat:tweets_v2_flat.jsonl; do
    name=${f%%:*}; file=${f#*:}; fmt=${name%flat}
    if "$LOCKSTEP" ingest --quiet --format "$fmt" -o "$TMP/$name.store" "$D/$file" > "$TMP/$name.log" 2>&1 &&
       "$LOCKSTEP" info --json "$TMP/$name.store" > "$TMP/$name.json" 2>> "$TMP/$name.log"; then
        norm "$TMP/$name.json" "$TMP/$name.norm"
        check_same "diff_$name" "$TMP/$name.norm" "$D/expected_info.json"
    else
        fail "diff_$name" "$(head -c 600 "$TMP/$name.log")"
    fi
done

# The two JSON-lines shapes have the same line count: byte-identical info.
check_same diff_v1_equals_v2flat "$TMP/v2flat.json" "$TMP/v1.json"

# The fields that may differ, each with its hand-checked value.
check_grep diff_rows_io '"rows_read": 12,' "$TMP/io.json"
check_grep diff_rows_v1 '"rows_read": 12,' "$TMP/v1.json"
check_grep diff_rows_v2 "\"rows_read\": $(wc -l < $D/tweets_v2_pages.json | tr -d ' ')," "$TMP/v2.json"
check_grep diff_io_rt_recovered '"rt_author_recovered": {"kind": "repaired", "count": 1,' "$TMP/io.json"
check_grep diff_io_repaired '"repaired": 1,' "$TMP/io.json"
for n in v1 v2 v2flat; do
    check_grep "diff_${n}_nothing_repaired" '"repaired": 0,' "$TMP/$n.json"
done
