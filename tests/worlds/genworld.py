#!/usr/bin/env python3
"""genworld.py: an independent world generator for testing lockstep's generality.

lockstep's detector is tuned on its own simulator (src/sim, the june2020
scenario).  This generator was written without reading that code, from the
public description of the Twitter IO-archive format only, so that lockstep can
be scored on operations of other styles than the one it was tuned on:

  aged_ring     aged, purchased accounts (spread creation dates, human names,
                ordinary clients, normal followers) that retweet a few seed
                accounts' posts 2-30 minutes after them, around the clock;
  copypasta     accounts created in one burst that paste the same English
                template with small word swaps at scattered times within a few
                hours, with few retweets, through ordinary clients;
  hashtag_push  accounts (half created in a burst) that push a hashtag with
                their own, different texts in synchronised waves and reply to
                each other;
  reply_swarm   ordinary-looking accounts (some created in a three-week burst)
                that pile short hostile replies and a few quotes onto four
                critics' posts 3-90 minutes after them (half the posts draw
                the swarm, 20-50% of it each time), with everyday activity
                besides (added after the others, in session 4);
  mixed_small   a 40-account operation of each of the three kinds above in the
                same world (a precision test).

Every world also has an organic population (heavy-tailed activity, eleven time
zones, retweet cascades with log-normal delays, replies, quotes, hashtags,
links, varied clients, heavy-tailed followers, accounts from 2008 on) and four
organic look-alike groups: a fandom that retweets its idol within minutes, a
breaking-news crowd, a grassroots hashtag campaign with tweet-storms, and
giveaway entrants who all paste the same entry text.

Outputs: DIR/tweets.csv (the 31 IO-archive columns; snowflake tweet ids carry
the exact millisecond, tweet_time the minute) and DIR/truth.csv
(userid,kind,network,role) as `lockstep eval --truth` reads it.

Usage: genworld.py --style STYLE --seed N [--scale F] -o DIR
Standard library only; the same arguments give the same bytes.
"""
import argparse
import bisect
import csv
import math
import os
import random
import sys
from datetime import datetime, timedelta, timezone

EPOCH_MS = 1288834974657                     # Twitter snowflake epoch
START = datetime(2021, 5, 3, tzinfo=timezone.utc)   # a Monday
DAYS = 28
START_MS = int(START.timestamp() * 1000)
END_MS = START_MS + DAYS * 86400000
MIN = 60000
HOUR = 3600000
DAY = 86400000

HEADER = ("tweetid,userid,user_display_name,user_screen_name,user_reported_location,"
          "user_profile_description,user_profile_url,follower_count,following_count,"
          "account_creation_date,account_language,tweet_language,tweet_text,tweet_time,"
          "tweet_client_name,in_reply_to_userid,in_reply_to_tweetid,quoted_tweet_tweetid,"
          "is_retweet,retweet_userid,retweet_tweetid,latitude,longitude,quote_count,"
          "reply_count,like_count,retweet_count,hashtags,urls,user_mentions,"
          "poll_choices").split(",")

FIRST = ("james mary john patricia robert jennifer michael linda william elizabeth david "
         "barbara richard susan joseph jessica thomas sarah charles karen chris nancy daniel "
         "lisa matthew betty anthony margaret mark sandra donald ashley steven kim paul emily "
         "andrew donna josh michelle kevin carol brian amanda george melissa tim deborah ana "
         "lucas sofia mateo valentina diego camila luis mariana carlos isabela pedro laura "
         "ahmed fatima omar aisha yusuf amina raj priya arjun ananya vikram neha ravi pooja "
         "kenji yuki haruto sakura minho jiwoo seojun hana wei li ming hui tuan linh duc mai "
         "oliver amelia harry isla jack ava noah mia leo ella finn chloe lars anna jonas "
         "lena felix emma pierre claire hugo julie marco giulia luca chiara").split()
LAST = ("smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez "
        "lopez gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson "
        "white harris sanchez clark ramirez lewis robinson walker young allen king wright "
        "scott torres nguyen hill flores green adams nelson baker hall rivera campbell "
        "mitchell carter roberts silva santos oliveira costa pereira khan ali ahmed patel "
        "sharma singh kumar gupta tanaka suzuki sato kim park choi chen wang zhang liu tran "
        "pham muller schmidt schneider fischer weber dubois moreau rossi russo ferrari "
        "okafor mensah diallo kamau").split()
WORDS = ("coffee morning weekend game music movie tonight friends family work office "
         "rain sunny happy tired excited dinner lunch pizza book reading gym running city "
         "train traffic weather season episode album concert football match goal team win "
         "lose birthday party holiday beach summer garden dog cat kids school exam study "
         "project deadline meeting boss launch update phone app bug code release news "
         "story photo video podcast art painting recipe bread market price shop sale street "
         "bridge river mountain trip flight airport hotel night sleep dream idea plan hope "
         "love life time day week month year really finally again always never maybe "
         "great awful funny weird amazing honestly literally totally").split()
WORDS_ES = ("hola gracias noche dia semana trabajo casa familia amigos futbol musica "
            "lluvia calor cafe comida feliz cansado partido ciudad playa viaje").split()
WORDS_PT = ("obrigado noite dia semana trabalho casa familia amigos futebol musica chuva "
            "calor cafe comida feliz cansado jogo cidade praia viagem").split()
WORDS_JA = "おはよう ありがとう 今日 明日 仕事 週末 ごはん 映画 音楽 雨 晴れ 猫 犬 電車 ラーメン".split()
TAGS = ("MondayMotivation tbt nowplaying football NBA WorldCup covid19 vaccine Bitcoin "
        "crypto NFT gaming kpop anime photography travel foodie fitness music art "
        "Eurovision ClimateChange tech AI startup books WWDC F1").split()
DOMAINS = ("youtube.com nytimes.com bbc.co.uk theguardian.com medium.com github.com "
           "instagram.com spotify.com reddit.com cnn.com espn.com substack.com "
           "twitch.tv imdb.com wikipedia.org").split()
CLIENTS = [("Twitter for iPhone", 38), ("Twitter for Android", 33), ("Twitter Web App", 19),
           ("TweetDeck", 3), ("Twitter for iPad", 3), ("Tweetbot for iΟS", 1),
           ("Hootsuite Inc.", 1), ("Buffer", 1), ("Twitter for Mac", 1)]
CLIENT_NAMES = [c[0] for c in CLIENTS]
CLIENT_CUM = [sum(c[1] for c in CLIENTS[:i + 1]) for i in range(len(CLIENTS))]
# (UTC offset in hours, weight, language, location)
ZONES = [(-5, 18, "en", "New York"), (-8, 10, "en", "Los Angeles"), (0, 10, "en", "London"),
         (1, 9, "en", "Berlin"), (-3, 8, "pt", "São Paulo"), (-6, 6, "es", "Ciudad de México"),
         (3, 5, "en", "Nairobi"), (5.5, 9, "en", "Mumbai"), (7, 6, "en", "Jakarta"),
         (9, 10, "ja", "Tokyo"), (10, 5, "en", "Sydney"), (8, 4, "en", "Singapore")]
# Weight of each local hour for organic people: asleep at night, peaks at lunch and evening.
DIURNAL = [2, 1, 0.6, 0.4, 0.4, 0.7, 1.5, 3, 4, 4.5, 4.5, 5, 6, 5.5, 5, 5, 5, 5.5, 6.5, 7.5,
           8, 8, 6.5, 4]

HOURS = list(range(24))
DIURNAL_CUM = [sum(DIURNAL[:i + 1]) for i in range(24)]


def wchoice(rng, items, weights):
    """One item by weight (small lists)."""
    return rng.choices(items, weights=weights, k=1)[0]


def lognorm(rng, median, sigma):
    return median * math.exp(rng.gauss(0.0, sigma))


def pylist(items):
    """Python-style list as the IO archives write it: ['a', 'b'] or []."""
    if not items:
        return "[]"
    return "[" + ", ".join("'" + str(x).replace("\\", "\\\\").replace("'", "\\'") + "'"
                           for x in items) + "]"


def reach(followers):
    """Weight of a post as an engagement target: grows with the author's followers,
    capped so that a few celebrities do not take most of a small world's retweets
    (with the cap, idols and outlets get about a fifth of organic engagement)."""
    return min((followers + 1) ** 0.8, 2000.0)


class World:
    def __init__(self, seed, scale):
        self.seed = seed
        self.scale = scale
        self.accounts = []          # dicts
        self.tweets = []            # lists, see add_tweet
        self.names = set()
        self.next_uid = 0
        self.seq = 0
        # Organic-side originals that anyone may retweet/reply/quote: (ms, tid, uid)
        self.pool = []
        self.pool_w = []

    def rng(self, name):
        # str seeds are hashed with SHA-512 by random.seed: deterministic across runs.
        return random.Random("%d/%s" % (self.seed, name))

    def n(self, count, floor=5):
        return max(floor, int(round(count * self.scale)))

    # ---- accounts -------------------------------------------------------
    def screen_name(self, rng, first, last, style):
        if style == "digits8":
            base = first + str(rng.randint(10000000, 99999999))
        elif style == "digits":
            base = rng.choice([first + last, first + "_" + last, first]) + str(rng.randint(1, 9999))
        else:
            w = rng.choice(WORDS)
            base = rng.choice([first + last, first + "_" + last, first.capitalize() + last.capitalize(),
                               first + "_" + w, w + "_" + first, first[0] + last, last + first[0],
                               "the" + first + last, first + "the" + w])
        base = base[:15]
        name = base
        k = 1
        while name.lower() in self.names:
            k += 1
            name = (base[:13] + str(k))[:15]
        self.names.add(name.lower())
        return name

    def account(self, rng, kind, network="", role="", created=None, followers=None,
                zone=None, client=None, name_style=None, display=None):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        if name_style is None:
            r = rng.random()
            name_style = "digits8" if r < 0.07 else "digits" if r < 0.22 else "plain"
        if zone is None:
            zone = wchoice(rng, ZONES, [z[1] for z in ZONES])
        if created is None:
            # Spread over 2008-2021, more accounts from recent years.
            span = (START - datetime(2008, 1, 1, tzinfo=timezone.utc)).days - 30
            created = START - timedelta(days=30 + int(span * (rng.random() ** 0.7)))
        if followers is None:
            followers = 0 if rng.random() < 0.07 else int(lognorm(rng, 150, 1.9))
        if client is None:
            client = wchoice(rng, [c[0] for c in CLIENTS], [c[1] for c in CLIENTS])
        self.next_uid += 1
        # Numeric ids that grow with creation time, like real user ids.
        days = (created - datetime(2006, 3, 21, tzinfo=timezone.utc)).days
        uid = str(10 ** 12 + days * 10 ** 7 + self.next_uid)
        if display is None:
            display = rng.choice([first.capitalize() + " " + last.capitalize(), first.capitalize(),
                                  first.capitalize() + " " + last[0].upper() + ".",
                                  first.capitalize() + " " + rng.choice(["✨", "🌻", "⚽", "🎧", ""])])
        desc = "" if rng.random() < 0.35 else " ".join(rng.sample(WORDS, rng.randint(3, 9)))
        a = {
            "uid": uid, "display": display, "screen": self.screen_name(rng, first, last, name_style),
            "loc": zone[3] if rng.random() < 0.55 else "", "desc": desc,
            "url": "" if rng.random() < 0.8 else "https://t.co/" + "%08x" % rng.getrandbits(32),
            "followers": followers, "following": int(lognorm(rng, 220, 1.2)),
            "created": created.strftime("%Y-%m-%d"), "lang": zone[2], "tz": zone[0],
            "client": client, "kind": kind, "network": network, "role": role,
        }
        self.accounts.append(a)
        return a

    # ---- tweets ---------------------------------------------------------
    def tid(self, ms):
        self.seq += 1
        return str(((ms - EPOCH_MS) << 22) | (self.seq & 0x3fffff))

    def add(self, rng, a, ms, text, lang=None, reply=None, quote=None, rt=None, tags=(),
            urls=(), mentions=(), client=None):
        """Appends one tweet; reply/quote/rt are (ms, tid, account) of the target."""
        ms = int(ms)
        if ms < START_MS or ms >= END_MS:
            return None
        if client is None:
            client = a["client"] if rng.random() < 0.92 else \
                rng.choices(CLIENT_NAMES, cum_weights=CLIENT_CUM, k=1)[0]
        t = [ms, self.tid(ms), a, text, lang or a["lang"], client, reply, quote, rt,
             list(tags), list(urls), list(mentions)]
        self.tweets.append(t)
        return t

    def local_time(self, rng, a, day=None, profile=DIURNAL):
        if day is None:
            day = rng.randrange(DAYS)
        h = rng.choices(HOURS, cum_weights=DIURNAL_CUM if profile is DIURNAL else
                        [sum(profile[:i + 1]) for i in range(24)], k=1)[0]
        local = day * DAY + h * HOUR + rng.randrange(HOUR)
        return START_MS + local - int(a["tz"] * HOUR)

    def chatter(self, rng, a):
        lang = a["lang"]
        bank = {"es": WORDS_ES, "pt": WORDS_PT, "ja": WORDS_JA}.get(lang, WORDS)
        k = rng.randint(4, 14)
        text = (" " if lang != "ja" else "").join(rng.choice(bank) for _ in range(k))
        tags, urls = [], []
        if rng.random() < 0.22:
            tags = rng.sample(TAGS, rng.randint(1, 2))
            text += " " + " ".join("#" + x for x in tags)
        if rng.random() < 0.15:
            urls = ["https://www.%s/%s/%d" % (rng.choice(DOMAINS), rng.choice(WORDS), rng.randrange(10 ** 6))]
            text += " https://t.co/" + "%08x" % rng.getrandbits(32)
        return text, tags, urls

    def original(self, rng, a, ms, pool=True):
        text, tags, urls = self.chatter(rng, a)
        t = self.add(rng, a, ms, text, tags=tags, urls=urls)
        if t is not None and pool:
            self.pool.append(t)
            self.pool_w.append(reach(a["followers"]))
        return t

    def pick_target(self, rng, cum, before_ms=None):
        x = rng.random() * cum[-1]
        return self.pool[bisect.bisect_right(cum, x)]

    def engage(self, rng, a, target, kind, delay_ms):
        """A retweet, reply or quote of target by a after delay_ms."""
        ms = target[0] + max(1000, int(delay_ms))
        author = target[2]
        if author is a:
            return None
        if kind == "rt":
            return self.add(rng, a, ms, "RT @%s: %s" % (author["screen"], target[3]),
                            rt=target, tags=target[9], urls=target[10], mentions=[author["uid"]])
        text, tags, urls = self.chatter(rng, a)
        if kind == "reply":
            return self.add(rng, a, ms, "@%s %s" % (author["screen"], text), reply=target,
                            tags=tags, mentions=[author["uid"]])
        return self.add(rng, a, ms, text + " https://twitter.com/%s/status/%s" % (author["screen"], target[1]),
                        quote=target, tags=tags)

    def organic_activity(self, rng, accts, mean_scale=1.0):
        """Heavy-tailed everyday activity of accts: originals first, then engagement."""
        plans = []
        for a in accts:
            n = min(400, int(2.0 / (rng.random() ** (1 / 1.6)) * mean_scale))
            plans.append((a, n))
        return plans

    def run_organic(self, rng, plans):
        engage = []
        for a, n in plans:
            for _ in range(n):
                r = rng.random()
                if r < 0.40:
                    self.original(rng, a, self.local_time(rng, a))
                else:
                    engage.append((a, "rt" if r < 0.83 else "reply" if r < 0.95 else "quote"))
        cum = list(self.pool_w)
        for i in range(1, len(cum)):
            cum[i] += cum[i - 1]
        for a, kind in engage:
            for _ in range(4):   # retry when the cascade would run past the window
                target = self.pick_target(rng, cum)
                if self.engage(rng, a, target, kind, lognorm(rng, 20 * MIN, 2.0)) is not None:
                    break

    # ---- output ---------------------------------------------------------
    def write(self, out):
        os.makedirs(out, exist_ok=True)
        rts, reps, qts = {}, {}, {}
        for t in self.tweets:
            if t[8] is not None:
                rts[t[8][1]] = rts.get(t[8][1], 0) + 1
            if t[6] is not None:
                reps[t[6][1]] = reps.get(t[6][1], 0) + 1
            if t[7] is not None:
                qts[t[7][1]] = qts.get(t[7][1], 0) + 1
        self.tweets.sort(key=lambda t: (t[0], int(t[1])))
        lr = random.Random("%d/likes" % self.seed)
        minutes = {}
        with open(os.path.join(out, "tweets.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(HEADER)
            for t in self.tweets:
                ms, tid, a = t[0], t[1], t[2]
                reply, quote, rt = t[6], t[7], t[8]
                tm = minutes.get(ms // MIN)
                if tm is None:
                    tm = datetime.fromtimestamp(ms // MIN * 60, tz=timezone.utc).strftime("%Y-%m-%d %H:%M")
                    minutes[ms // MIN] = tm
                rc = rts.get(tid, 0)
                w.writerow([tid, a["uid"], a["display"], a["screen"], a["loc"], a["desc"], a["url"],
                            "%d.0" % a["followers"], "%d.0" % a["following"], a["created"], a["lang"],
                            t[4], t[3], tm, t[5],
                            reply[2]["uid"] if reply else "", reply[1] if reply else "",
                            quote[1] if quote else "", "True" if rt else "False",
                            rt[2]["uid"] if rt else "", rt[1] if rt else "",
                            "absent", "absent", "%d.0" % qts.get(tid, 0), "%d.0" % reps.get(tid, 0),
                            "%d.0" % (0 if rt else int(rc * 2.5 + lr.random() * 3)), "%d.0" % rc,
                            pylist(t[9]), pylist(t[10]), pylist(t[11]), ""])
        with open(os.path.join(out, "truth.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["userid", "kind", "network", "role"])
            active = {t[2]["uid"] for t in self.tweets}
            for a in self.accounts:
                if a["uid"] in active:
                    w.writerow([a["uid"], a["kind"], a["network"], a["role"]])


# ---- look-alikes ----------------------------------------------------------
def lookalikes(W, organic_cum_plans):
    """Fandom, breaking news, hashtag campaign, giveaway.  Returns extra organic plans."""
    plans = []
    # Fandom: idols post ~2 a day; each fan follows one idol and retweets its posts
    # with a personal probability, median delay 60 s.
    rng = W.rng("fandom")
    idols = [W.account(rng, "lookalike_fandom", followers=int(rng.uniform(2e6, 1.2e7)),
                       zone=ZONES[9 if i % 2 else 11], name_style="plain") for i in range(3)]
    fans = [W.account(rng, "lookalike_fandom", zone=wchoice(rng, ZONES, [1, 1, 1, 1, 2, 2, 1, 3, 5, 6, 2, 6]),
                      followers=int(lognorm(rng, 60, 1.5))) for _ in range(W.n(3000))]
    for idol in idols:
        for d in range(DAYS):
            for _ in range(rng.choice([1, 2, 2, 3])):
                t = W.original(rng, idol, W.local_time(rng, idol, d))
                if t is None:
                    continue
                for f in fans:
                    if hash_follow(f, idols) is idol and rng.random() < f.setdefault("p", rng.betavariate(2, 4)):
                        W.engage(rng, f, t, "rt", lognorm(rng, 60000, 1.0))
    plans += W.organic_activity(rng, fans, 0.7)
    # Breaking news: outlets post 8 a day; in 8 moments ~10% of a news-junkie pool
    # retweets one post within a couple of minutes.
    rng = W.rng("news")
    outlets = [W.account(rng, "lookalike_news", followers=int(rng.uniform(1e6, 2e7)),
                         zone=ZONES[i % 4], name_style="plain", client="SocialFlow") for i in range(4)]
    pool = [W.account(rng, "lookalike_news") for _ in range(W.n(5000))]
    prop = [lognorm(rng, 1.0, 0.8) for _ in pool]
    posts = []
    for o in outlets:
        for d in range(DAYS):
            for _ in range(8):
                t = W.original(rng, o, START_MS + d * DAY + rng.randrange(DAY))
                if t is not None:
                    posts.append(t)
    posts.sort(key=lambda t: t[0])
    for m in range(8):
        t = posts[rng.randrange(len(posts))]
        share = 0.10 * math.exp(rng.gauss(0, 0.4))
        mean_p = sum(prop) / len(prop)
        for a, p in zip(pool, prop):
            if rng.random() < share * p / mean_p:
                W.engage(rng, a, t, "rt", lognorm(rng, 70000, 1.0))
    plans += W.organic_activity(rng, pool, 0.8)
    # Grassroots campaign: organisers announce tweet-storms at 19:00 New York time;
    # 60% of participants post 1-3 tweets in their own words within ~15 minutes,
    # 35% also retweet an organiser.
    rng = W.rng("campaign")
    orgs = [W.account(rng, "lookalike_campaign", zone=ZONES[0], followers=int(lognorm(rng, 5000, 1.0)))
            for _ in range(20)]
    parts = [W.account(rng, "lookalike_campaign", zone=wchoice(rng, ZONES, [8, 4, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1]))
             for _ in range(W.n(1500))]
    for s in range(3):
        day = 4 + s * 8
        t0 = START_MS + day * DAY + 23 * HOUR   # 19:00 New York (EDT, UTC-4)
        tag = ["SaveTheBay", "CleanWaterNow"][s % 2]
        anns = []
        for o in orgs[:6]:
            t = W.add(rng, o, t0 - rng.randrange(10 * MIN),
                      "Storm time! Tell them why the bay matters #%s %s" % (tag, " ".join(rng.sample(WORDS, 4))),
                      tags=[tag])
            if t is not None:
                anns.append(t)
        for p in parts:
            if rng.random() < 0.6:
                for _ in range(rng.randint(1, 3)):
                    text, _, urls = W.chatter(rng, p)
                    W.add(rng, p, t0 + lognorm(rng, 6 * MIN, 0.7),
                          "%s #%s" % (text, tag), lang="en", tags=[tag], urls=urls)
                if anns and rng.random() < 0.35:
                    W.engage(rng, p, rng.choice(anns), "rt", lognorm(rng, 8 * MIN, 0.8))
    plans += W.organic_activity(rng, orgs + parts, 0.8)
    # Giveaway: a brand posts 5 giveaways; entrants retweet and reply with the same
    # entry text (tagging friends) over the following hours.
    rng = W.rng("giveaway")
    brand = W.account(rng, "lookalike_giveaway", followers=250000, zone=ZONES[0], name_style="plain",
                      client="Sprout Social")
    ents = [W.account(rng, "lookalike_giveaway", followers=int(lognorm(rng, 90, 1.4)))
            for _ in range(W.n(1200))]
    for g in range(5):
        t = W.add(rng, brand, START_MS + (2 + g * 5) * DAY + 16 * HOUR,
                  "GIVEAWAY! Win a new console. RT + reply with #WinWithNova and tag 2 friends",
                  tags=["WinWithNova", "giveaway"])
        for e in ents:
            if t is not None and rng.random() < 0.3:
                d = lognorm(rng, 40 * MIN, 1.2)
                W.engage(rng, e, t, "rt", d)
                fr = rng.sample(ents, 2)
                W.add(rng, e, t[0] + d + rng.randrange(1000, 90000),
                      "@%s I want to win! #WinWithNova @%s @%s" % (brand["screen"], fr[0]["screen"], fr[1]["screen"]),
                      reply=t, tags=["WinWithNova"], mentions=[brand["uid"], fr[0]["uid"], fr[1]["uid"]])
    plans += W.organic_activity(rng, ents, 0.8)
    return plans


def hash_follow(fan, idols):
    """The idol a fan follows (stable per fan)."""
    return idols[int(fan["uid"]) % len(idols)]


# ---- operations -----------------------------------------------------------
THIN = False


def thin_profiles(W, rng, accs):
    """The control of --thin-profiles: june2020-like personas for an operation
    (name + 8 digits, created within three days, 78% without followers, three
    clients), its behaviour unchanged.  Shows what the profile signals carry."""
    if not THIN:
        return
    burst = datetime(2021, 2, 8, tzinfo=timezone.utc)
    for a in accs:
        W.names.discard(a["screen"].lower())
        a["screen"] = W.screen_name(rng, rng.choice(FIRST).capitalize(), "", "digits8")
        a["followers"] = 0 if rng.random() < 0.78 else rng.randint(1, 7)
        a["client"] = wchoice(rng, ["Twitter Web App", "Twitter for Android", "Twitter for iPhone"], [55, 30, 15])
        a["created"] = (burst + timedelta(days=rng.randrange(3))).strftime("%Y-%m-%d")


def op_aged_ring(W, name, n_acc, tag):
    """Aged accounts that retweet a few seed accounts' posts 2-30 min later, all day."""
    rng = W.rng(name)
    n_seed = max(3, n_acc // 60)
    seeds = [W.account(rng, "operation", name, "core", followers=int(lognorm(rng, 4000, 0.8)),
                       name_style="plain") for _ in range(n_seed)]
    ring = [W.account(rng, "operation", name, "amplifier") for _ in range(n_acc - n_seed)]
    thin_profiles(W, rng, ring)
    seed_posts = []
    for s in seeds:
        for d in range(DAYS):
            for _ in range(rng.randint(3, 6)):
                ms = START_MS + d * DAY + rng.randrange(DAY)   # around the clock
                text = "%s %s. %s #%s" % (rng.choice(["The truth about", "Nobody reports", "Wake up:",
                                                      "Look what they did to", "Why is no one asking about"]),
                                          " ".join(rng.sample(WORDS, 3)), " ".join(rng.sample(WORDS, 6)), tag)
                t = W.add(rng, s, ms, text, tags=[tag])
                if t is not None:
                    seed_posts.append(t)
                    W.pool.append(t)
                    W.pool_w.append(reach(s["followers"]))
    # Each post is retweeted by 10-20% of the ring, 2-30 minutes later.
    for t in seed_posts:
        share = rng.uniform(0.10, 0.20)
        for a in ring:
            if rng.random() < share:
                W.engage(rng, a, t, "rt", rng.uniform(2, 30) * MIN)
    return W.organic_activity(rng, ring, 1.0)      # camouflage: ordinary activity


COPY_TEMPLATES = [
    ("{I} {cant} believe {they} are still {ignoring} the {crisis} in our {town}. {act} #{tag}",
     {"I": ["I", "I honestly", "I really"], "cant": ["can't", "cannot", "just can't"],
      "they": ["they", "our leaders", "politicians"], "ignoring": ["ignoring", "hiding", "covering up"],
      "crisis": ["water crisis", "water scandal", "poisoned water"], "town": ["town", "city", "community"],
      "act": ["Share this!", "Spread the word!", "Retweet if you agree!", "Everyone needs to see this."]}),
    ("{Hey} everyone, {the} {mayor} {lied} about the {budget}. {Wake} {link}",
     {"Hey": ["Hey", "Listen", "Attention"], "the": ["the", "our"], "mayor": ["mayor", "council", "governor"],
      "lied": ["lied", "is lying", "misled us"], "budget": ["budget", "numbers", "contracts"],
      "Wake": ["Wake up.", "Open your eyes.", "Don't be fooled."], "link": ["", ""]}),
    ("{This} is {exactly} why we {need} {change} now. {They} {failed} us again. #{tag}",
     {"This": ["This", "That"], "exactly": ["exactly", "precisely", "just"], "need": ["need", "want", "demand"],
      "change": ["change", "new leadership", "real change"], "They": ["They", "Officials", "The council"],
      "failed": ["failed", "betrayed", "let down"]}),
]


def fill(rng, tpl, slots, tag):
    out = tpl
    for k, v in slots.items():
        out = out.replace("{%s}" % k, rng.choice(v), 1)
    return out.replace("{tag}", tag)


def op_copypasta(W, name, n_acc, tag):
    """Accounts created in one burst that paste a template with word swaps."""
    rng = W.rng(name)
    burst = datetime(2021, 3, 16, tzinfo=timezone.utc)
    accs = [W.account(rng, "operation", name, "core",
                      created=burst + timedelta(days=rng.randrange(2)),
                      followers=int(lognorm(rng, 25, 1.0))) for _ in range(n_acc)]
    thin_profiles(W, rng, accs)
    for m in range(40):
        tpl, slots = COPY_TEMPLATES[m % len(COPY_TEMPLATES)]
        t0 = START_MS + rng.randrange(DAYS * DAY - 6 * HOUR)
        link = "https://www.%s-watch.org/%d" % (["cityhall", "truth", "bayarea"][m % 3], m)
        for a in accs:
            if rng.random() < 0.35:
                text = fill(rng, tpl, slots, tag)
                urls = []
                if "{link}" in tpl or m % 4 == 0:
                    urls = [link]
                    text += " https://t.co/" + "%08x" % rng.getrandbits(32)
                W.add(rng, a, t0 + rng.randrange(4 * HOUR), text, lang="en",
                      tags=[tag] if "#" in text else [], urls=urls)
    # A few retweets inside the network.
    mine = [t for t in W.tweets if t[2]["network"] == name]
    for _ in range(len(mine) // 25):
        t = rng.choice(mine)
        W.engage(rng, rng.choice(accs), t, "rt", lognorm(rng, 30 * MIN, 1.0))
    return W.organic_activity(rng, accs, 0.6)


PUSH_OPEN = ["Our farmers deserve better", "Support local farms", "Food security starts here",
             "Farmers feed the nation", "No farms, no food", "Stand with growers",
             "Time to protect our land", "Every meal starts with a farmer", "Fair prices for farmers"]
PUSH_MID = ["the new bill would ruin small producers", "imports are undercutting families",
            "the ministry keeps ignoring rural towns", "prices at the gate have collapsed",
            "young people are leaving the countryside", "water rights are being sold off",
            "subsidies only reach the giants", "we need a fair deal this season"]
PUSH_END = ["Speak up!", "Call your MP today.", "Don't stay silent.", "Share if you care.",
            "Let's make noise.", "This matters to all of us.", "Who is with us?", ""]


def op_hashtag_push(W, name, n_acc, tag):
    """Waves of different original posts with one hashtag, plus replies inside."""
    rng = W.rng(name)
    burst = datetime(2021, 4, 6, tzinfo=timezone.utc)
    accs = []
    for i in range(n_acc):
        created = burst + timedelta(days=rng.randrange(3)) if rng.random() < 0.5 else None
        accs.append(W.account(rng, "operation", name, "core", created=created,
                              followers=int(lognorm(rng, 80, 1.3)), zone=ZONES[6]))
    thin_profiles(W, rng, accs)
    for wv in range(12):
        day = 1 + wv * 2 + rng.randrange(2)
        t0 = START_MS + day * DAY + rng.choice([6, 9, 14, 17]) * HOUR   # daytime UTC+3
        posts = []
        for a in accs:
            if rng.random() < 0.75:
                for _ in range(rng.choice([1, 1, 2])):
                    text = "%s: %s. %s %s #%s" % (rng.choice(PUSH_OPEN), rng.choice(PUSH_MID),
                                                   " ".join(rng.sample(WORDS, rng.randint(1, 4))),
                                                   rng.choice(PUSH_END), tag)
                    tags = [tag] + ([rng.choice(["farmers", "food"])] if rng.random() < 0.3 else [])
                    t = W.add(rng, a, t0 + rng.randrange(10 * MIN), text, lang="en", tags=tags)
                    if t is not None:
                        posts.append(t)
        for t in posts:
            if rng.random() < 0.3:
                a = rng.choice(accs)
                if a is not t[2]:
                    W.add(rng, a, t[0] + rng.uniform(2, 15) * MIN,
                          "@%s %s #%s" % (t[2]["screen"], rng.choice(["Exactly!", "So true.", "100% agree",
                                                                       "Well said", "This!"]), tag),
                          lang="en", reply=t, tags=[tag], mentions=[t[2]["uid"]])
    return W.organic_activity(rng, accs, 0.6)


SWARM_LINES = ["You should be ashamed", "Nobody believes you anymore", "Delete your account",
               "Another lie from a paid shill", "Who pays you to write this", "Fake news again",
               "You are a disgrace to journalism", "Stop spreading propaganda", "Everyone sees through you",
               "Your bias is showing", "Typical", "Clown", "Resign", "This aged badly"]


def op_reply_swarm(W, name, n_acc):
    """Accounts that pile replies (and a few quotes) onto four critics' posts within minutes."""
    rng = W.rng(name)
    # The targets: organic accounts with an audience (journalists, critics), not the operation.
    targets = [W.account(rng, "organic", followers=int(lognorm(rng, 20000, 0.6)), name_style="plain")
               for _ in range(4)]
    burst = datetime(2020, 11, 2, tzinfo=timezone.utc)
    accs = [W.account(rng, "operation", name, "core",
                      created=burst + timedelta(days=rng.randrange(20)) if rng.random() < 0.4 else None,
                      followers=int(lognorm(rng, 60, 1.2))) for _ in range(n_acc)]
    thin_profiles(W, rng, accs)
    for tg in targets:
        for d in range(DAYS):
            for _ in range(rng.randint(1, 4)):
                post = W.original(rng, tg, W.local_time(rng, tg, day=d))
                if post is None:
                    continue
                # Half the posts draw the swarm: 20-50% of it, 3-90 minutes later.
                if rng.random() < 0.5:
                    continue
                share = rng.uniform(0.2, 0.5)
                for a in accs:
                    if rng.random() >= share:
                        continue
                    delay = rng.uniform(3, 90) * MIN
                    if rng.random() < 0.85:
                        text = "@%s %s%s %s" % (tg["screen"], rng.choice(SWARM_LINES), rng.choice([".", "!", "!!", "", " 🤡"]),
                                                " ".join(rng.sample(WORDS, rng.randint(0, 3))))
                        W.add(rng, a, post[0] + delay, text.strip(), reply=post, mentions=[tg["uid"]])
                    else:
                        W.add(rng, a, post[0] + delay, "%s https://twitter.com/%s/status/%s" % (
                            rng.choice(SWARM_LINES), tg["screen"], post[1]), quote=post)
    return W.organic_activity(rng, targets, 1.0) + W.organic_activity(rng, accs, 0.8)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--style", required=True, choices=["aged_ring", "copypasta", "hashtag_push", "mixed_small",
                                                       "reply_swarm"])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0, help="multiplies account counts (1: ~200k tweets)")
    ap.add_argument("--op-size", type=int, default=0,
                    help="accounts of the operation (0: 500/300/400 times --scale; mixed_small: 40 each)")
    ap.add_argument("--thin-profiles", action="store_true",
                    help="control: give the operation june2020-like personas, same behaviour")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args(argv)
    global THIN
    THIN = args.thin_profiles
    W = World(args.seed, args.scale)
    rng = W.rng("organic")
    organic = [W.account(rng, "organic") for _ in range(W.n(24000))]
    plans = W.organic_activity(rng, organic)
    plans += lookalikes(W, None)
    s = args.style
    if s == "aged_ring":
        plans += op_aged_ring(W, "op_aged_ring", args.op_size or W.n(500, 40), "RealStory")
    elif s == "copypasta":
        plans += op_copypasta(W, "op_copypasta", args.op_size or W.n(300, 40), "FixOurWater")
    elif s == "hashtag_push":
        plans += op_hashtag_push(W, "op_hashtag_push", args.op_size or W.n(400, 40), "StandWithFarmers")
    elif s == "reply_swarm":
        plans += op_reply_swarm(W, "op_reply_swarm", args.op_size or W.n(200, 40))
    else:
        k = args.op_size or 40
        plans += op_aged_ring(W, "op_aged_ring", k, "RealStory")
        plans += op_copypasta(W, "op_copypasta", k, "WaterTruth")
        plans += op_hashtag_push(W, "op_hashtag_push", k, "StandWithFarmers")
    # Ordinary activity of everyone runs last so that it can engage with any original.
    W.run_organic(W.rng("engage"), plans)
    W.write(args.output)
    print("%s seed %d: %d accounts, %d tweets" % (s, args.seed, len(W.accounts), len(W.tweets)),
          file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
