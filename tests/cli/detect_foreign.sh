# detect_foreign.sh — the same simulated world written the way other tools
# and generators write their data, ingested with no options at all: a CSV
# with its own column names, bare hashtag lists ("a;b"), ISO times to the
# second and post ids of its own ("p1", "p2", ...: the time comes from the
# time column), and JSON lines of their own schema with unix seconds and
# the account nested ("user": {"id", "screen_name", ...}).  (The seconds
# are the simulated posts' own, from their snowflakes: other tools record
# seconds.  Times cut to the minute, as the IO archive's tweet_time is, are
# a harder input: docs/detect.md, "Limitations".)  The map is guessed from the names
# (src/ingest/csvguess.c, jsonmap.c); detection must then find the
# operations as it does on the IO-archive original: F1, look-alike false
# positives and role accuracy within the bars of detect_noprofile.sh.
. tests/cli/lib.sh
W=$TMP/w
$LOCKSTEP simulate --scenario june2020 --scale 0.02 --seed 11 -o "$W" > /dev/null 2>&1 || fail foreign_simulate
python3 - "$W/tweets.csv" "$TMP/other.csv" "$TMP/other.jsonl" <<'PY' || fail foreign_convert
import csv, json, sys, datetime
src, out_csv, out_json = sys.argv[1:4]
csv.field_size_limit(1 << 30)
ids = {}
def pid(x):
    # Post ids of another numbering: "p1", "p2", ... (not snowflakes).
    if not x: return ""
    if x not in ids: ids[x] = "p%d" % (len(ids) + 1)
    return ids[x]
def lst(s):
    return [t.strip().strip("'\"") for t in s.strip("[]").split(",") if t.strip()]
with open(src, newline='', encoding='utf-8-sig') as f, open(out_csv, 'w', newline='', encoding='utf-8') as c, \
     open(out_json, 'w', encoding='utf-8') as j:
    r = csv.DictReader(f)
    w = csv.writer(c)
    w.writerow(["post_id", "author_id", "handle", "created_at", "content", "retweet_of", "retweet_user_id",
                "reply_to", "hashtags", "links", "followers_count", "account_created_at", "source", "language"])
    for row in r:
        t = datetime.datetime.fromtimestamp(((int(row["tweetid"]) >> 22) + 1288834974657) // 1000,
                                            tz=datetime.timezone.utc)
        iso = t.strftime("%Y-%m-%dT%H:%M:%SZ")
        rt = pid(row["retweet_tweetid"]) if row["is_retweet"] == "True" else ""
        tags, urls = lst(row["hashtags"]), lst(row["urls"])
        vals = [pid(row["tweetid"]), row["userid"], row["user_screen_name"], iso, row["tweet_text"], rt,
                row["retweet_userid"] if rt else "", pid(row["in_reply_to_tweetid"]), ";".join(tags),
                " ".join(urls), row["follower_count"], row["account_creation_date"], row["tweet_client_name"],
                row["tweet_language"]]
        w.writerow(vals)
        j.write(json.dumps({"id": vals[0], "user": {"id": row["userid"], "screen_name": row["user_screen_name"],
                            "followers_count": row["follower_count"], "created": row["account_creation_date"]},
                            "timestamp": int(t.timestamp()), "text": row["tweet_text"], "retweet_of": rt or None,
                            "retweet_user_id": vals[6] or None, "in_reply_to": vals[7] or None,
                            "hashtags": tags, "urls": urls, "source": row["tweet_client_name"],
                            "lang": row["tweet_language"]}, ensure_ascii=False) + "\n")
PY
quality() {   # quality NAME RUN_DIR
    $LOCKSTEP eval --json --truth "$W/truth.csv" "$2" > "$TMP/$1.eval" 2> "$TMP/$1.eval.err"
    if python3 - "$TMP/$1.eval" "$1" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
worst = max(g["share"] for k, g in e["groups"].items() if k.startswith("lookalike"))
print("%s input: f1 %.3f worst lookalike fp %.4f role %.3f" % (sys.argv[2], e["f1"], worst, e["role_accuracy"]), file=sys.stderr)
sys.exit(0 if e["f1"] >= 0.95 and worst <= 0.005 and e["role_accuracy"] >= 0.95 else 1)
PY
    then pass "foreign_${1}_quality"; else fail "foreign_${1}_quality" "$(cat "$TMP/$1.eval.err")"; fi
}
for f in csv jsonl; do
    check_cmd "foreign_${f}_ingest" 0 sh -c "$LOCKSTEP ingest -o '$TMP/$f.lss' '$TMP/other.$f' > '$TMP/$f.out' 2>&1"
    check_cmd "foreign_${f}_detect" 0 $LOCKSTEP detect --quiet --no-assess -o "$TMP/run_$f" "$TMP/$f.lss"
    quality "$f" "$TMP/run_$f"
done
check_grep foreign_csv_map 'guessed: --map account=author_id,time=created_at,id=post_id,retweet_account=retweet_user_id,retweet=retweet_of,reply=reply_to,name=handle,text=content,urls=links,hashtags=hashtags,lang=language,client=source,followers=followers_count,created=account_created_at' "$TMP/csv.out"
check_grep foreign_json_map 'guessed: --map account=user.id,time=timestamp,id=id,retweet_account=retweet_user_id,retweet=retweet_of,reply=in_reply_to,name=user.screen_name,text=text,urls=urls,hashtags=hashtags,lang=lang,client=source,followers=user.followers_count,created=user.created' "$TMP/jsonl.out"
