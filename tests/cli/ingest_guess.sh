# ingest_guess.sh — a CSV that is none of the known formats, without --map:
# the map is guessed from the header names (src/ingest/csvguess.c) and
# printed.  tests/data/ingest/guess.csv (five posts: two tweets, two
# retweets of the first, a reply; a unix-seconds time, a URL with a
# tracking parameter, hashtag lists bracketed and bare "news;world") must give guess.info.json (counts
# checked by hand: 5 posts by 4 accounts, hashtags world and news, URLs
# example.org/a and /b, 4 distinct texts); --format csv without --map gives
# the same store; the German election data (CooRTweet's export) gives the
# store of its documented explicit --map byte for byte; a header without
# account and time columns is a clear error; --map and --quiet print no
# guess.  Tab-separated files read like their comma-separated twins.
. tests/cli/lib.sh
D=tests/data/ingest
check_cmd guess_exit 0 sh -c "$LOCKSTEP ingest -o '$TMP/g.lss' '$D/guess.csv' > '$TMP/g.out' 2>&1"
check_grep guess_printed 'no --map given; columns of the header guessed: --map account=User ID,time=created_at,id=Tweet_ID,retweet_account=retweet_user_id,retweet=retweet_of,reply=in_reply_to,name=screen_name,text=Text,urls=URLs,hashtags=hashtags,followers=followers_count' "$TMP/g.out"
"$LOCKSTEP" info --json "$TMP/g.lss" > "$TMP/g.json" 2>&1
check_same guess_info "$TMP/g.json" "$D/guess.info.json"
check_cmd guess_format_csv 0 sh -c "$LOCKSTEP ingest --quiet --format csv -o '$TMP/gc.lss' '$D/guess.csv' > '$TMP/gc.out' 2>&1"
if cmp -s "$TMP/g.lss" "$TMP/gc.lss"; then pass guess_format_csv_same; else fail guess_format_csv_same "stores differ"; fi
if [ -s "$TMP/gc.out" ]; then fail guess_quiet "$(cat "$TMP/gc.out")"; else pass guess_quiet; fi

# An explicit --map is used as given, and nothing is guessed.
check_cmd guess_map_given 0 sh -c "$LOCKSTEP ingest --format csv --map 'account=screen_name,time=created_at' -o '$TMP/gm.lss' '$D/guess.csv' > '$TMP/gm.out' 2>&1"
if grep -q 'guessed' "$TMP/gm.out"; then fail guess_map_given_silent "$(cat "$TMP/gm.out")"; else pass guess_map_given_silent; fi

# No account and time columns: exit 1 and a message that says what to do.
printf 'a,b,c\n1,2,3\n' > "$TMP/bad.csv"
check_cmd guess_none_exit 1 "$LOCKSTEP" ingest -o "$TMP/bad.lss" "$TMP/bad.csv"
check_grep guess_none_message 'no account and time columns in its header recognised; name them with --map account=NAME,time=NAME' "$TMP/err"
if [ -e "$TMP/bad.lss" ]; then fail guess_none_no_store "a store was written"; else pass guess_none_no_store; fi

# The German election data needs no options at all.
G=../shared/data/german_elections.csv.gz
[ -f "$G" ] || G=/work/shared/data/german_elections.csv.gz
if [ -f "$G" ]; then
    "$LOCKSTEP" ingest --quiet -o "$TMP/ga.lss" "$G" > /dev/null 2>&1
    "$LOCKSTEP" ingest --quiet --format csv \
        --map account=account_id,id=post_id,time=timestamp,url=url_id,hashtag=hashtag_id,domain=domain_id,image=phash_id \
        -o "$TMP/gm2.lss" "$G" > /dev/null 2>&1
    if cmp -s "$TMP/ga.lss" "$TMP/gm2.lss"; then pass guess_german_same; else fail guess_german_same "stores differ"; fi
else
    fail guess_german_same "german_elections.csv.gz not found"
fi

# Tab-separated files (csv.c: more tabs than commas on the first line):
# the guessed-map fixture and an IO-archive file give the stores of their
# comma-separated twins (file names in the examples aside).
check_cmd tsv_guess_exit 0 sh -c "$LOCKSTEP ingest --quiet -o '$TMP/t.lss' '$D/guess.tsv' > '$TMP/t.out' 2>&1"
"$LOCKSTEP" info --json "$TMP/t.lss" > "$TMP/t.json" 2>&1
check_same tsv_guess_info "$TMP/t.json" "$D/guess.info.json"
tr ',' '\t' < "$D/io_trimmed.csv" > "$TMP/io_trimmed.tsv"
check_cmd tsv_io_exit 0 sh -c "$LOCKSTEP ingest --quiet -o '$TMP/ti.lss' '$TMP/io_trimmed.tsv' > '$TMP/ti.out' 2>&1"
"$LOCKSTEP" info --json "$TMP/ti.lss" | sed "s|$TMP/io_trimmed.tsv|$D/io_trimmed.csv|g" > "$TMP/ti.json" 2>&1
check_same tsv_io_info "$TMP/ti.json" "$D/io_trimmed.info.json"

# Semicolon-separated (spreadsheets in comma-decimal locales): the IO file
# and the guessed-map fixture rewritten with ';' by Python's csv module
# (fields holding ';' quoted) give the stores of their comma twins.
for f in io_trimmed guess; do
    python3 -c "
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
csv.writer(open(sys.argv[2], 'w', newline='', encoding='utf-8'), delimiter=';', lineterminator='\n').writerows(rows)
" "$D/$f.csv" "$TMP/$f.ssv"
    check_cmd "ssv_${f}_exit" 0 sh -c "$LOCKSTEP ingest --quiet -o '$TMP/s_$f.lss' '$TMP/$f.ssv' > '$TMP/s.out' 2>&1"
    "$LOCKSTEP" info --json "$TMP/s_$f.lss" | sed "s|$TMP/$f.ssv|$D/$f.csv|g" > "$TMP/s_$f.json" 2>&1
    check_same "ssv_${f}_info" "$TMP/s_$f.json" "$D/$f.info.json"
done

# A CrowdTangle export (Facebook pages; the columns as it writes them):
# "Facebook Id" is the account, "Post Created" the time with a zone
# abbreviation (08:26:40 EDT = 12:26:40Z), "Final Link" the shared link
# (its utm-free form, so both posts share it), "Message" the text.
check_cmd ct_exit 0 sh -c "$LOCKSTEP ingest -o '$TMP/ct.lss' '$D/crowdtangle.csv' > '$TMP/ct.out' 2>&1"
check_grep ct_guess 'guessed: --map account=Facebook Id,time=Post Created,name=User Name,text=Message,url=Final Link' "$TMP/ct.out"
"$LOCKSTEP" info --json "$TMP/ct.lss" > "$TMP/ct.json"
for kv in '"posts": 2,' '"accounts": 2,' '"urls": 1,' '"rejected": 0,' '"time_range": {"first": "2020-06-01T12:26:40Z", "last": "2020-06-01T12:27:10Z"}'; do
    check_grep "ct_$(echo "$kv" | tr -dc 'a-z')" "$kv" "$TMP/ct.json"
done
