#!/usr/bin/env python3
"""gen.py - writes the differential-test fixtures: the same 12 tweets as an
IO-archive tweets CSV (tweets.csv), API v1.1 JSON lines (tweets_v1.jsonl),
API v2 response pages pretty-printed and concatenated the way `jq .` writes
them (tweets_v2_pages.json) and twarc2-flattened v2 rows
(tweets_v2_flat.jsonl).  tests/cli/ingest_diff.sh checks that all four give
the same `lockstep info --json`.  Run from the repository root:
    python3 tests/data/diff/gen.py
The outputs are committed; this script is only needed to change them.

    python3 tests/data/diff/gen.py --bench-v1 N > FILE
writes N synthetic v1 lines instead (the 12 shapes above with fresh ids,
5,000 authors and varied texts) for the throughput figure in
docs/ingest.md; the output depends only on N.

The data set (hand-checked counts are in expected_info.json):
  5 accounts 1001..1005, all of them authors, so every referenced,
  replied-to and mentioned account is also an author in every format.
  t1  alice  tweet   zh  #香港 #HongKong  example.com url with utm_source
  t2  bob    retweet of t1 (IO: retweet_userid given)
  t3  carol  retweet of t1 (IO: retweet_userid EMPTY -> RT @alice_hk)
  t4  dave   tweet   en  #hongkong  same url with utm_medium (same URL)
  t5  eve    quote of t4, #Taiwan
  t6  bob    reply to t1
  t7  alice  reply to t6, www.news.example.org url with fbclid
  t8  carol  tweet   en  #COVID19 bit.ly url, client "Sprout & Social"
  t9  dave   retweet of t8
  t10 eve    retweet of t8
  t11 alice  tweet   zh  mentions dave and eve, #香港
  t12 carol  quote of t1, #HongKong
"""
import csv
import datetime as dt
import io
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
EPOCH = 1288834974657
BASE = 1590998400000  # 2020-06-01T08:00:00Z

ACCOUNTS = {
    "1001": dict(screen="alice_hk", name="Alice HK", loc="Hong Kong", desc="news from HK",
                 url="https://alice.example", fol=120, fng=80, created="2019-01-15", lang="en"),
    "1002": dict(screen="bob88", name="Bob 李", loc="", desc="", url="",
                 fol=15, fng=300, created="2019-03-02", lang="zh-cn"),
    "1003": dict(screen="carol_news", name="Carol", loc="Taipei", desc="daily, \"quoted\", news",
                 url="", fol=5000, fng=10, created="2018-07-20", lang="en"),
    "1004": dict(screen="dave12345678", name="Dave", loc="", desc="", url="",
                 fol=0, fng=1, created="2020-05-30", lang="zh-cn"),
    "1005": dict(screen="eve_tw", name="Eve", loc="", desc="", url="",
                 fol=2, fng=3, created="2020-05-30", lang="en"),
}

URL1 = "https://Example.com/story?utm_source=twitter&id=5#top"
URL1B = "https://example.com/story?id=5&utm_medium=social"
URL2 = "https://www.news.example.org/a/b?fbclid=XYZ"
URL3 = "https://bit.ly/3abc"

SRC = {
    "Twitter Web App": "https://mobile.twitter.com",
    "Twitter for Android": "http://twitter.com/download/android",
    "Twitter for iPhone": "http://twitter.com/download/iphone",
    "TweetDeck": "https://about.twitter.com/products/tweetdeck",
    "Sprout & Social": "https://sproutsocial.com",
}


def tw(n, user, text, lang, client, tags=(), urls=(), mentions=(), kind="tweet",
       ref=None, reply=None, counts=(0, 0, 0, 0), io_rt_user=True):
    return dict(n=n, user=user, text=text, lang=lang, client=client, tags=list(tags),
                urls=list(urls), mentions=list(mentions), kind=kind, ref=ref, reply=reply,
                counts=counts, io_rt_user=io_rt_user)


T1TEXT = "香港 新闻 #香港 #HongKong https://t.co/aaa1"
T8TEXT = "#COVID19 update https://t.co/ccc3"
TWEETS = [
    tw(1, "1001", T1TEXT, "zh", "Twitter Web App", ["香港", "HongKong"], [URL1],
       counts=(5, 3, 1, 2)),
    tw(2, "1002", "RT @alice_hk: " + T1TEXT, "zh", "Twitter for Android",
       ["香港", "HongKong"], [URL1], ["1001"], kind="retweet", ref=1),
    tw(3, "1003", "RT @alice_hk: " + T1TEXT, "zh", "Twitter for iPhone",
       ["香港", "HongKong"], [URL1], ["1001"], kind="retweet", ref=1, io_rt_user=False),
    tw(4, "1004", "Big news https://t.co/bbb2 #hongkong", "en", "Twitter Web App",
       ["hongkong"], [URL1B], counts=(1, 0, 0, 1)),
    tw(5, "1005", "Look at this #Taiwan", "en", "TweetDeck", ["Taiwan"], kind="quote", ref=4),
    tw(6, "1002", "@alice_hk 真的吗？", "zh", "Twitter for Android", mentions=["1001"],
       kind="reply", reply=1, counts=(0, 0, 1, 0)),
    tw(7, "1001", "@bob88 是的 https://t.co/ddd4", "zh", "Twitter Web App", urls=[URL2],
       mentions=["1002"], kind="reply", reply=6),
    tw(8, "1003", T8TEXT, "en", "Sprout & Social", ["COVID19"], [URL3], counts=(7, 2, 0, 0)),
    tw(9, "1004", "RT @carol_news: " + T8TEXT, "en", "Twitter for Android", ["COVID19"], [URL3],
       ["1003"], kind="retweet", ref=8),
    tw(10, "1005", "RT @carol_news: " + T8TEXT, "en", "Twitter for iPhone", ["COVID19"], [URL3],
       ["1003"], kind="retweet", ref=8),
    tw(11, "1001", "@dave12345678 @eve_tw 你好 #香港", "zh", "Twitter Web App", ["香港"],
       mentions=["1004", "1005"]),
    tw(12, "1003", "Context: #HongKong", "en", "TweetDeck", ["HongKong"], kind="quote", ref=1),
]
BYN = {t["n"]: t for t in TWEETS}


def ms_of(t):
    # Distinct times with milliseconds, so that a parser that used the
    # minute-resolution tweet_time instead of the snowflake would differ.
    return BASE + t["n"] * 97_000 + t["n"] * 7


def id_of(t):
    return str(((ms_of(t) - EPOCH) << 22) | (t["n"] << 12))


def iso(ms):
    return dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def v1time(ms):
    return dt.datetime.fromtimestamp(ms // 1000, dt.timezone.utc).strftime("%a %b %d %H:%M:%S +0000 %Y")


def day_ms(day):
    return int(dt.datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=dt.timezone.utc).timestamp() * 1000)


# ---- IO archive CSV ----
def write_io():
    cols = ("tweetid,userid,user_display_name,user_screen_name,user_reported_location,"
            "user_profile_description,user_profile_url,follower_count,following_count,"
            "account_creation_date,account_language,tweet_language,tweet_text,tweet_time,"
            "tweet_client_name,in_reply_to_userid,in_reply_to_tweetid,quoted_tweet_tweetid,"
            "is_retweet,retweet_userid,retweet_tweetid,latitude,longitude,quote_count,"
            "reply_count,like_count,retweet_count,hashtags,urls,user_mentions,poll_choices").split(",")
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(cols)
    for t in TWEETS:
        a = ACCOUNTS[t["user"]]
        ms = ms_of(t)
        ref = BYN[t["ref"]] if t["ref"] else None
        rep = BYN[t["reply"]] if t["reply"] else None
        likes, rts, reps, quotes = t["counts"]
        row = [id_of(t), t["user"], a["name"], a["screen"], a["loc"], a["desc"], a["url"],
               a["fol"], a["fng"], a["created"], a["lang"], t["lang"], t["text"],
               dt.datetime.fromtimestamp(ms // 1000, dt.timezone.utc).strftime("%Y-%m-%d %H:%M"),
               t["client"],
               rep["user"] if rep else "", id_of(rep) if rep else "",
               id_of(ref) if t["kind"] == "quote" else "",
               "True" if t["kind"] == "retweet" else "False",
               ref["user"] if t["kind"] == "retweet" and t["io_rt_user"] else "",
               id_of(ref) if t["kind"] == "retweet" else "",
               "absent", "absent", f"{quotes}.0", f"{reps}.0", f"{likes}.0", f"{rts}.0",
               "[" + ", ".join("'%s'" % h for h in t["tags"]) + "]",
               "[" + ", ".join("'%s'" % u for u in t["urls"]) + "]",
               "[" + ", ".join(t["mentions"]) + "]", ""]
        w.writerow(row)
    with open(os.path.join(HERE, "tweets.csv"), "w", encoding="utf-8") as f:
        f.write(out.getvalue())


# ---- API v1.1 ----
def v1_user(uid):
    a = ACCOUNTS[uid]
    return {"id": int(uid), "id_str": uid, "name": a["name"], "screen_name": a["screen"],
            "location": a["loc"] or None, "url": a["url"] or None,
            "description": a["desc"] or None, "followers_count": a["fol"],
            "friends_count": a["fng"], "created_at": v1time(day_ms(a["created"])),
            "lang": a["lang"]}


def v1_status(t, embed=True):
    ms = ms_of(t)
    tid = id_of(t)
    likes, rts, reps, quotes = t["counts"]
    ents = {"hashtags": [{"text": h, "indices": [0, 1]} for h in t["tags"]],
            "urls": [{"url": "https://t.co/x%d" % i, "expanded_url": u, "display_url": u[8:30],
                      "indices": [0, 1]} for i, u in enumerate(t["urls"])],
            "user_mentions": [{"id": int(m), "id_str": m, "screen_name": ACCOUNTS[m]["screen"],
                               "name": ACCOUNTS[m]["name"], "indices": [0, 1]} for m in t["mentions"]],
            "symbols": []}
    s = {"created_at": v1time(ms), "id": int(tid), "id_str": tid, "text": t["text"],
         "source": '<a href="%s" rel="nofollow">%s</a>' % (SRC[t["client"]], t["client"].replace("&", "&amp;")),
         "truncated": False, "in_reply_to_status_id": None, "in_reply_to_status_id_str": None,
         "in_reply_to_user_id": None, "in_reply_to_user_id_str": None,
         "in_reply_to_screen_name": None, "user": v1_user(t["user"]), "geo": None,
         "coordinates": None, "place": None, "is_quote_status": t["kind"] == "quote",
         "quote_count": quotes, "reply_count": reps, "retweet_count": rts,
         "favorite_count": likes, "entities": ents, "favorited": False, "retweeted": False,
         "filter_level": "low", "lang": t["lang"], "timestamp_ms": str(ms)}
    if t["reply"]:
        r = BYN[t["reply"]]
        s["in_reply_to_status_id"] = int(id_of(r))
        s["in_reply_to_status_id_str"] = id_of(r)
        s["in_reply_to_user_id"] = int(r["user"])
        s["in_reply_to_user_id_str"] = r["user"]
        s["in_reply_to_screen_name"] = ACCOUNTS[r["user"]]["screen"]
    if embed and t["kind"] == "retweet":
        s["retweeted_status"] = v1_status(BYN[t["ref"]], embed=False)
    if embed and t["kind"] == "quote":
        q = BYN[t["ref"]]
        s["quoted_status_id"] = int(id_of(q))
        s["quoted_status_id_str"] = id_of(q)
        s["quoted_status"] = v1_status(q, embed=False)
    return s


def write_v1():
    with open(os.path.join(HERE, "tweets_v1.jsonl"), "w", encoding="utf-8") as f:
        for t in TWEETS:
            f.write(json.dumps(v1_status(t), ensure_ascii=False, separators=(",", ":")) + "\n")


# ---- API v2 ----
def v2_user(uid):
    a = ACCOUNTS[uid]
    u = {"id": uid, "username": a["screen"], "name": a["name"],
         "created_at": iso(day_ms(a["created"])),
         "public_metrics": {"followers_count": a["fol"], "following_count": a["fng"],
                            "tweet_count": 10, "listed_count": 0},
         "description": a["desc"], "protected": False, "verified": False}
    if a["loc"]:
        u["location"] = a["loc"]
    if a["url"]:
        u["url"] = a["url"]
    return u


def v2_tweet(t):
    likes, rts, reps, quotes = t["counts"]
    d = {"id": id_of(t), "author_id": t["user"], "created_at": iso(ms_of(t)), "text": t["text"],
         "lang": t["lang"], "source": t["client"], "conversation_id": id_of(t),
         "public_metrics": {"retweet_count": rts, "reply_count": reps, "like_count": likes,
                            "quote_count": quotes, "impression_count": 0}}
    ents = {}
    if t["tags"]:
        ents["hashtags"] = [{"start": 0, "end": 1, "tag": h} for h in t["tags"]]
    if t["urls"]:
        ents["urls"] = [{"start": 0, "end": 1, "url": "https://t.co/x%d" % i, "expanded_url": u,
                         "display_url": u[8:30]} for i, u in enumerate(t["urls"])]
    if t["mentions"]:
        ents["mentions"] = [{"start": 0, "end": 1, "username": ACCOUNTS[m]["screen"], "id": m}
                            for m in t["mentions"]]
    if ents:
        d["entities"] = ents
    refs = []
    if t["kind"] == "retweet":
        refs.append({"type": "retweeted", "id": id_of(BYN[t["ref"]])})
    if t["kind"] == "quote":
        refs.append({"type": "quoted", "id": id_of(BYN[t["ref"]])})
    if t["reply"]:
        r = BYN[t["reply"]]
        refs.append({"type": "replied_to", "id": id_of(r)})
        d["in_reply_to_user_id"] = r["user"]
        d["conversation_id"] = id_of(BYN[1])
    if refs:
        d["referenced_tweets"] = refs
    return d


def write_v2_pages():
    docs = []
    for part in (TWEETS[:6], TWEETS[6:]):
        data = [v2_tweet(t) for t in part]
        uids, refd = [], []
        for t in part:
            for u in [t["user"]] + t["mentions"] + ([BYN[t["reply"]]["user"]] if t["reply"] else []) + \
                     ([BYN[t["ref"]]["user"]] if t["ref"] else []):
                if u not in uids:
                    uids.append(u)
            for n in (t["ref"], t["reply"]):
                if n and n not in refd:
                    refd.append(n)
        page = {"data": data,
                "includes": {"users": [v2_user(u) for u in uids],
                             "tweets": [v2_tweet(BYN[n]) for n in refd]},
                "meta": {"result_count": len(data), "newest_id": data[-1]["id"],
                         "oldest_id": data[0]["id"]}}
        docs.append(json.dumps(page, ensure_ascii=False, indent=2))
    with open(os.path.join(HERE, "tweets_v2_pages.json"), "w", encoding="utf-8") as f:
        f.write("\n".join(docs) + "\n")


def write_v2_flat():
    with open(os.path.join(HERE, "tweets_v2_flat.jsonl"), "w", encoding="utf-8") as f:
        for t in TWEETS:
            d = v2_tweet(t)
            d["author"] = v2_user(t["user"])
            for r in d.get("referenced_tweets", []):
                n = next(x for x in TWEETS if id_of(x) == r["id"])
                full = v2_tweet(n)
                full["author"] = v2_user(n["user"])
                r.update({k: v for k, v in full.items() if k != "id"})
            if t["reply"]:
                d["in_reply_to_user"] = v2_user(BYN[t["reply"]]["user"])
            d["__twarc"] = {"url": "https://api.twitter.com/2/tweets/search/all", "version": "2.14.0",
                            "retrieved_at": "2020-06-02T00:00:00+00:00"}
            f.write(json.dumps(d, ensure_ascii=False, separators=(",", ":")) + "\n")


def bench_v1(n):
    import sys
    out = sys.stdout
    for i in range(n):
        t = dict(TWEETS[i % len(TWEETS)])
        t["n"] = 100 + i
        uid = str(10_000_000 + (i * 7919) % 5000)
        ACCOUNTS.setdefault(uid, dict(screen="user%d" % int(uid), name="User %s" % uid, loc="", desc="bio %s" % uid,
                                      url="", fol=i % 1000, fng=i % 300, created="2019-01-15", lang="en"))
        t["user"] = uid
        t["text"] = "%s #%d" % (t["text"], i % 997)
        t["tags"] = t["tags"] + [str(i % 997)]
        BYN[t["n"]] = t
        s = v1_status(t)
        out.write(json.dumps(s, ensure_ascii=False, separators=(",", ":")) + "\n")
        del BYN[t["n"]]


if __name__ == "__main__":
    import sys
    if len(sys.argv) == 3 and sys.argv[1] == "--bench-v1":
        bench_v1(int(sys.argv[2]))
        sys.exit(0)
    write_io()
    write_v1()
    write_v2_pages()
    write_v2_flat()
    for t in TWEETS:
        print(t["n"], id_of(t), iso(ms_of(t)))
