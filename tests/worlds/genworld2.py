#!/usr/bin/env python3
"""genworld2.py: a second, independent world generator for lockstep's generality checks.

genworld.py (the first independent generator) was written once and lockstep was then
improved against its worlds, so its figures are no longer out of sample.  This file is
a fresh design by another hand, with other styles of operation and other organic
look-alikes, and a different model of how ordinary accounts behave:

  * engagement follows a follow graph (interest communities, preferential attachment):
    an account retweets, replies to or quotes what the accounts it follows posted
    recently, so delays come from when people are online, not from a fixed law;
  * each account has a chronotype (its day shifted by up to a few hours) and a home
    region; activity is drawn hour by hour from a two-peak day;
  * texts come from small per-topic grammars (openers, subjects, predicates, endings).

Operation styles (truth kind `operation`, network `op_<style>`):

  sleeper        aged accounts dormant until a staggered wake-up, then retweeting a dozen
                 "voices" with delays from 10 minutes to 6 hours (a wide log-uniform /
                 log-normal mix, a shift-work queue in UTC+3), and spending most of their
                 retweets on popular organic posts as camouflage;
  link_launder   accounts that share articles of four obscure domains with their own
                 words, never retweeting: each URL is posted by a rotating subset of the
                 network over several hours, some with tracking parameters;
  hashtag_hijack accounts that post near-duplicate texts (emoji, word swaps, case,
                 mentions of popular accounts) into large organic trends: a football
                 final's hashtag and a budget debate;
  mixed          a small operation of each style above in one world.

Organic look-alikes (each with ordinary activity besides):

  lookalike_sports   two clubs' supporters and casual viewers; on three match days
                     thousands tweet the match hashtags and the same short cries
                     ("GOAL!!!") within minutes of each goal and retweet their club;
  lookalike_newsbot  six families of automated news aggregators (20 bots each at scale
                     1) posting the same headline and link from one feed seconds apart:
                     automated and coordinated, but authentic (they declare themselves
                     bots and nobody pretends to be a person);
  lookalike_fandom   a pop star, fan-base "update" accounts and thousands of stans, many
                     of them recent accounts with fandom-word names, who retweet within
                     seconds, reply with the same adoring lines and hold streaming parties
                     with a hashtag at announced times;
  organic            everyone else; a budget-debate trend draws a few thousand of them.

Outputs: DIR/tweets.csv (the IO-archive columns, the same header as genworld.py) and
DIR/truth.csv (userid,kind,network,role), as `lockstep eval --truth` reads it.

Usage: genworld2.py --style STYLE --seed N [--scale F] [--op-size N] -o DIR
Python 3 standard library only; the same arguments give the same bytes.
"""
import argparse
import bisect
import csv
import math
import os
import random
import sys
from datetime import datetime, timezone

T0 = datetime(2022, 3, 7, tzinfo=timezone.utc)        # a Monday
NDAYS = 21
T0_MS = int(T0.timestamp() * 1000)
T1_MS = T0_MS + NDAYS * 86400000
SEC, MINUTE, HR, DY = 1000, 60000, 3600000, 86400000
SNOWFLAKE_EPOCH = 1288834974657

COLUMNS = ["tweetid", "userid", "user_display_name", "user_screen_name",
           "user_reported_location", "user_profile_description", "user_profile_url",
           "follower_count", "following_count", "account_creation_date", "account_language",
           "tweet_language", "tweet_text", "tweet_time", "tweet_client_name",
           "in_reply_to_userid", "in_reply_to_tweetid", "quoted_tweet_tweetid", "is_retweet",
           "retweet_userid", "retweet_tweetid", "latitude", "longitude", "quote_count",
           "reply_count", "like_count", "retweet_count", "hashtags", "urls", "user_mentions",
           "poll_choices"]

# Home regions: (name, UTC offset h, weight, language).
REGIONS = [("Chicago", -6, 12, "en"), ("Toronto", -5, 8, "en"), ("Seattle", -8, 6, "en"),
           ("Manchester", 0, 10, "en"), ("Dublin", 0, 3, "en"), ("Paris", 1, 8, "fr"),
           ("Hamburg", 1, 8, "de"), ("Madrid", 1, 7, "es"), ("Istanbul", 3, 5, "en"),
           ("Lagos", 1, 5, "en"), ("Cape Town", 2, 3, "en"), ("Manila", 8, 7, "en"),
           ("Seoul", 9, 5, "en"), ("Melbourne", 11, 4, "en"), ("Buenos Aires", -3, 5, "es"),
           ("", 0, 14, "en")]
# A two-peak day (local hour -> relative rate); the chronotype shifts it per account.
DAYCURVE = [0.9, 0.5, 0.25, 0.15, 0.12, 0.2, 0.6, 1.6, 2.6, 3.0, 2.8, 2.7, 3.4, 3.1, 2.6,
            2.5, 2.7, 3.2, 3.8, 4.4, 4.8, 4.6, 3.6, 2.0]
HOURS24 = list(range(24))
DAYCUM = [sum(DAYCURVE[:i + 1]) for i in range(24)]
APPS = ["Twitter for iPhone", "Twitter for Android", "Twitter Web App", "Twitter for iPad",
        "TweetDeck", "Twitter Web Client", "Echofon", "Twitterrific for iOS", "Fenix for Android",
        "Tweetbot for Mac"]
APP_W = [35, 34, 20, 3, 2, 2, 1, 1, 1, 1]

GIVEN = ("alex sam jordan taylor casey morgan riley jamie avery quinn noah liam emma olivia ava "
         "isabella mason ethan logan lucas amir sara omar layla yusuf zeynep emre elif mehmet "
         "aylin chidi ngozi tunde amaka kwame thabo lerato sipho naledi jose maria juan carmen "
         "pablo lucia marta javier sofia diego pierre camille louis chloe hugo manon jules lea "
         "jan lukas leonie finn mia paul hannah tim marie ben anna jin minji seojun jiho dara "
         "mark grace joy paolo andrea miguel angel rosa tom kate dan beth rob jess nick amy "
         "will lily jack ruby harry sophie charlie ellie").split()
FAMILY = ("brennan okoro yilmaz kaya demir garcia lopez martin bernard dubois petit moreau "
          "schulz wagner becker hoffmann koch richter kim lee park choi santos reyes cruz "
          "bautista murphy kelly walsh byrne obi adeyemi nwosu mensah dlamini nkosi mokoena "
          "fernandez gomez diaz ruiz alvarez ortiz muller weber novak horvat silva costa "
          "hughes evans price ward cooper bailey bell shaw mills").split()
NICKS = ("sunny pixel coffee quiet wild lucky cosmic velvet rusty neon lazy brave tiny "
         "urban midnight paper stormy golden salty mellow").split()
NOUNS2 = ("fox owl wolf cat panda otter bear fern maple river comet moon tiger lark raven "
          "koi penguin bee moth").split()

TOPICS = {
    "city": ("the bus", "my street", "the new bike lane", "rent", "the council", "the market",
             "this neighbourhood", "the tram", "the library", "parking"),
    "tech": ("this update", "my laptop", "the new phone", "rust", "the api", "my build",
             "the beta", "dark mode", "this bug", "the keyboard"),
    "music": ("this album", "the new single", "the gig", "that bassline", "the setlist",
              "my playlist", "the chorus", "vinyl", "the festival lineup", "this band"),
    "food": ("sourdough", "the ramen place", "my curry", "brunch", "this recipe", "the bakery",
             "street tacos", "coffee", "the farmers market", "leftovers"),
    "games": ("the raid", "this patch", "ranked", "the speedrun", "my save file", "the boss",
              "the new map", "co-op", "the trailer", "this indie game"),
    "politics": ("the bill", "the minister", "the vote", "this policy", "the opposition",
                 "the polls", "the debate", "tax", "the committee", "the budget"),
    "pets": ("my dog", "the cat", "our puppy", "the vet", "the hamster", "my rabbit",
             "the walk", "treats", "the groomer", "the parrot"),
    "fitness": ("leg day", "my run", "the gym", "this stretch", "protein", "the 10k",
                "yoga", "the climbing wall", "my knee", "cardio"),
    "film": ("the sequel", "this series", "the finale", "the director", "that scene",
             "the soundtrack", "the cinema", "the reboot", "season two", "the trailer"),
    "books": ("this novel", "the author", "my reading list", "the ending", "the library",
              "chapter nine", "the audiobook", "poetry", "the bookshop", "my book club"),
}
TOPIC_NAMES = sorted(TOPICS)
PRED = ("is honestly great", "is a mess again", "made my day", "is overrated", "is underrated",
        "needs fixing", "was worth it", "surprised me", "keeps getting better", "is so loud today",
        "deserves more love", "broke again", "is everything", "is not it", "hit different",
        "was a disappointment", "is the best part of the week", "could be worse", "is wild",
        "is too expensive now")
OPEN = ("ok but", "honestly", "not gonna lie", "today", "lowkey", "reminder:", "hot take:",
        "so", "update:", "can we talk about how", "", "", "", "")
TAIL = ("lol", "!!", ".", "...", "tbh", "😅", "🙃", "👀", "💯", "ngl", "", "", "", "", "?")
WORDS_FR = "bonjour merci soir journée travail maison amis musique pluie soleil café".split()
WORDS_DE = "hallo danke abend arbeit hause freunde musik regen sonne kaffee heute".split()
WORDS_ES = "hola gracias noche trabajo casa amigos musica lluvia sol cafe hoy".split()
TAGS2 = ("MondayBlues", "FridayFeeling", "photooftheday", "indiedev", "100DaysOfCode",
         "bookstagram", "NowWatching", "caturday", "dogsoftwitter", "recipe", "running",
         "vinyl", "gamedev", "localnews", "WomenInTech", "throwback", "foodie", "cycling")
NEWS_SITES = ("reuters.com", "apnews.com", "bbc.com", "theguardian.com", "dw.com",
              "lemonde.fr", "elpais.com", "aljazeera.com", "npr.org", "ft.com")
OTHER_SITES = ("youtube.com", "instagram.com", "spotify.com", "github.com", "medium.com",
               "twitch.tv", "letterboxd.com", "goodreads.com", "strava.com", "imgur.com")


def snowflake(ms, seq):
    return ((ms - SNOWFLAKE_EPOCH) << 22) | (seq & 0x3fffff)


def pyrepr_list(xs):
    """The archives' Python-style lists."""
    if not xs:
        return "[]"
    return "[" + ", ".join("'%s'" % str(x).replace("\\", "\\\\").replace("'", "\\'") for x in xs) + "]"


class Person:
    __slots__ = ("uid", "screen", "display", "loc", "bio", "url", "followers", "following",
                 "created", "lang", "tz", "chrono", "app", "kind", "net", "role", "fame",
                 "community", "follows", "posts", "awake_from")

    def __init__(self):
        self.posts = []          # indices into World.tw, in time order once sorted
        self.follows = []
        self.awake_from = T0_MS


class World:
    def __init__(self, seed, scale):
        self.seed, self.scale = seed, scale
        self.people = []
        self.tw = []             # [ms, tid, person, text, lang, app, reply, quote, rt, tags, urls, mentions]
        self.taken_names = set()
        self.taken_ids = set()
        self.seq = 0
        self.thin_rng = None     # set by --thin-profiles: the control's personas

    def rand(self, label):
        return random.Random("genworld2:%d:%s" % (self.seed, label))

    def count(self, n, least=5):
        return max(least, int(round(n * self.scale)))

    # ---- people ----------------------------------------------------------
    def unique_screen(self, base):
        base = base[:15] or "user"
        s, k = base, 0
        while s.lower() in self.taken_names:
            k += 1
            s = (base[:15 - len(str(k))] + str(k))
        self.taken_names.add(s.lower())
        return s

    def screen_for(self, r, given, family, kind="person"):
        if kind == "stan":
            stan = r.choice(["sunrise", "sunr1se", "aurora", "sunnies", "srtwt"])
            base = r.choice(["%s_%s" % (given, stan), "%s%s" % (stan, r.choice(NOUNS2)),
                             "%slover%d" % (stan, r.randint(1, 99)), "%s4%s" % (given, stan),
                             "%s_%s%d" % (r.choice(NICKS), stan, r.randint(1, 9))])
        elif kind == "default8":
            base = given.capitalize() + "%08d" % r.randint(0, 99999999)
        else:
            u = r.random()
            if u < 0.3:
                base = given + family
            elif u < 0.45:
                base = "%s_%s" % (given, family)
            elif u < 0.6:
                base = "%s%s" % (r.choice(NICKS), r.choice(NOUNS2))
            elif u < 0.75:
                base = "%s%d" % (given, r.randint(1, 2000))
            elif u < 0.85:
                base = "%s%s%d" % (given[0], family, r.randint(0, 99))
            else:
                base = "%s_%s" % (r.choice(NICKS), given)
        return self.unique_screen(base)

    def make_id(self, r, created_ms):
        # Old accounts have small sequential-looking ids, newer ones snowflakes.
        while True:
            if created_ms < 1384000000000:
                days = (created_ms - 1142899200000) // DY
                uid = 1000000 + days * 350000 + r.randrange(350000)
            else:
                uid = snowflake(created_ms, r.getrandbits(22))
            if uid not in self.taken_ids:
                self.taken_ids.add(uid)
                return str(uid)

    def person(self, r, kind, net="", role="", created_ms=None, region=None, followers=None,
               app=None, name_kind="person", display=None, fame=None):
        p = Person()
        given, family = r.choice(GIVEN), r.choice(FAMILY)
        if region is None:
            region = r.choices(REGIONS, weights=[x[2] for x in REGIONS])[0]
        if created_ms is None:
            # Sign-ups since 2007, growing, with a long tail of recent accounts.
            u = r.random()
            created_ms = T0_MS - 20 * DY - int((T0_MS - 1167609600000 - 20 * DY) * (u ** 1.4))
        if fame is None:
            fame = min(5000.0, 1.0 / (r.random() ** (1 / 1.25)))
        if followers is None:
            followers = int(fame * 25 * math.exp(r.gauss(0, 0.7))) if r.random() > 0.05 else 0
        p.fame = fame
        p.uid = self.make_id(r, created_ms)
        p.screen = self.screen_for(r, given, family, name_kind)
        if display is None:
            display = r.choice(["%s %s" % (given.title(), family.title()), given.title(),
                                "%s %s." % (given.title(), family[0].upper()),
                                "%s | %s" % (given.title(), r.choice(list(TOPICS))),
                                given.lower() + " " + r.choice(["🌙", "🌿", "☕", "🎮", "📚", "✌️"])])
        p.display = display
        p.loc = region[0] if r.random() < 0.6 else ""
        p.lang, p.tz = region[3], region[1]
        p.bio = "" if r.random() < 0.3 else " / ".join(r.sample(TOPIC_NAMES, r.randint(1, 3))) + \
            r.choice(["", " | opinions mine", " | she/her", " | he/him", " | dad", " | student"])
        p.url = "" if r.random() < 0.85 else "https://%s/%s" % (r.choice(OTHER_SITES), p.screen.lower())
        p.followers = followers
        p.following = int(math.exp(r.gauss(5.3, 1.1)))
        p.created = created_ms
        p.chrono = r.gauss(0, 1.6)
        p.app = app or r.choices(APPS, weights=APP_W)[0]
        p.kind, p.net, p.role = kind, net, role
        p.community = r.randrange(len(TOPIC_NAMES))
        if kind == "operation" and self.thin_rng is not None:
            thin(self, self.thin_rng, p)
        self.people.append(p)
        return p

    # ---- time ------------------------------------------------------------
    def when(self, r, p, day=None, curve=DAYCURVE):
        """A moment when p is plausibly online: day, then local hour by the curve."""
        if day is None:
            day = r.randrange(NDAYS)
        h = r.choices(HOURS24, cum_weights=DAYCUM if curve is DAYCURVE else None,
                      weights=None if curve is DAYCURVE else curve)[0]
        local = day * DY + int((h + r.random() - p.chrono) * HR)
        return T0_MS + local - int(p.tz * HR)

    # ---- tweets ----------------------------------------------------------
    def post(self, r, p, ms, text, lang=None, reply=None, quote=None, rt=None, tags=(), urls=(),
             mentions=(), app=None):
        ms = int(ms)
        if ms < T0_MS or ms >= T1_MS or ms < p.awake_from:
            return None
        self.seq += 1
        if app is None:
            app = p.app if r.random() < 0.94 else r.choices(APPS, weights=APP_W)[0]
        t = [ms, str(snowflake(ms, self.seq)), p, text, lang or p.lang, app, reply, quote, rt,
             list(tags), list(urls), list(mentions)]
        self.tw.append(t)
        p.posts.append(t)
        return t

    def chatter(self, r, p):
        if p.lang != "en" and r.random() < 0.7:
            bank = {"fr": WORDS_FR, "de": WORDS_DE, "es": WORDS_ES}[p.lang]
            text = " ".join(r.choice(bank) for _ in range(r.randint(3, 9)))
        else:
            topic = TOPIC_NAMES[p.community] if r.random() < 0.7 else r.choice(TOPIC_NAMES)
            text = ("%s %s %s %s" % (r.choice(OPEN), r.choice(TOPICS[topic]), r.choice(PRED),
                                     r.choice(TAIL))).strip()
        tags, urls = [], []
        if r.random() < 0.12:
            tags = [r.choice(TAGS2)]
            text += " #" + tags[0]
        if r.random() < 0.1:
            urls = ["https://%s/%s/%d" % (r.choice(OTHER_SITES + NEWS_SITES), r.choice(TOPIC_NAMES),
                                          r.randrange(10 ** 7))]
            text += " https://t.co/%s" % "".join(r.choice("abcdefghkmnpqrstuvwxyzABCDEFGH23456789")
                                                  for _ in range(10))
        return text, tags, urls

    def retweet(self, r, p, target, ms):
        a = target[2]
        if a is p or target[8] is not None:
            return None
        return self.post(r, p, ms, "RT @%s: %s" % (a.screen, target[3]), rt=target, tags=target[9],
                         urls=target[10], mentions=[a.uid])

    def reply(self, r, p, target, ms, text=None):
        a = target[2]
        if a is p:
            return None
        if text is None:
            text, tags, _ = self.chatter(r, p)
        else:
            tags = []
        return self.post(r, p, ms, "@%s %s" % (a.screen, text), reply=target, tags=tags,
                         mentions=[a.uid])

    def quote(self, r, p, target, ms):
        a = target[2]
        if a is p:
            return None
        text, tags, _ = self.chatter(r, p)
        return self.post(r, p, ms, "%s https://twitter.com/%s/status/%s" % (text, a.screen, target[1]),
                         quote=target, tags=tags)

    # ---- output ----------------------------------------------------------
    def save(self, out):
        os.makedirs(out, exist_ok=True)
        n_rt, n_rep, n_q = {}, {}, {}
        for t in self.tw:
            for slot, d in ((8, n_rt), (6, n_rep), (7, n_q)):
                if t[slot] is not None:
                    d[t[slot][1]] = d.get(t[slot][1], 0) + 1
        self.tw.sort(key=lambda t: (t[0], t[1]))
        likes = self.rand("likes")
        stamp = {}
        with open(os.path.join(out, "tweets.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(COLUMNS)
            for t in self.tw:
                ms, tid, p = t[0], t[1], t[2]
                m = ms // MINUTE
                if m not in stamp:
                    stamp[m] = datetime.fromtimestamp(m * 60, tz=timezone.utc).strftime("%Y-%m-%d %H:%M")
                rep, qt, rt = t[6], t[7], t[8]
                k = n_rt.get(tid, 0)
                w.writerow([tid, p.uid, p.display, p.screen, p.loc, p.bio, p.url, str(p.followers),
                            str(p.following),
                            datetime.fromtimestamp(p.created // 1000, tz=timezone.utc).strftime("%Y-%m-%d"),
                            p.lang, t[4], t[3], stamp[m], t[5],
                            rep[2].uid if rep else "", rep[1] if rep else "",
                            qt[1] if qt else "", "True" if rt else "False",
                            rt[2].uid if rt else "", rt[1] if rt else "", "absent", "absent",
                            str(n_q.get(tid, 0)), str(n_rep.get(tid, 0)),
                            "0" if rt else str(int(k * 3 + likes.random() * 4)), str(k),
                            pyrepr_list(t[9]), pyrepr_list(t[10]), pyrepr_list(t[11]), ""])
        with open(os.path.join(out, "truth.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["userid", "kind", "network", "role"])
            for p in self.people:
                if p.posts:
                    w.writerow([p.uid, p.kind, p.net, p.role])


# ---- the organic side -------------------------------------------------------
def build_follow_graph(W, r, people):
    """Each account follows people of its own community mostly, by fame
    (preferential attachment), and some famous accounts of any community."""
    by_comm = {}
    for p in people:
        by_comm.setdefault(p.community, []).append(p)
    cum_comm = {}
    for c, ps in by_comm.items():
        acc, cs = 0.0, []
        for p in ps:
            acc += p.fame
            cs.append(acc)
        cum_comm[c] = cs
    acc, cum_all = 0.0, []
    for p in people:
        acc += p.fame ** 1.3
        cum_all.append(acc)
    for p in people:
        k = max(3, min(400, int(math.exp(r.gauss(3.4, 0.9)))))
        ps, cs = by_comm[p.community], cum_comm[p.community]
        fol = set()
        for _ in range(k):
            if r.random() < 0.72:
                q = ps[bisect.bisect_left(cs, r.random() * cs[-1])]
            else:
                q = people[bisect.bisect_left(cum_all, r.random() * cum_all[-1])]
            if q is not p:
                fol.add(q)
        p.follows = sorted(fol, key=lambda q: q.uid)


def organic_originals(W, r, people, mult=1.0):
    """Originals of ordinary accounts; returns the engagement still to make."""
    todo = []
    for p in people:
        rate = math.exp(r.gauss(math.log(0.12), 1.25)) * mult     # originals a day
        n_orig = min(250, int(rate * NDAYS + r.random()))
        eng_ratio = r.betavariate(2.0, 1.6) * 2.2                  # engagements per original
        n_eng = min(500, int((n_orig + 0.5) * eng_ratio + r.random()))
        for _ in range(n_orig):
            text, tags, urls = W.chatter(r, p)
            W.post(r, p, W.when(r, p), text, tags=tags, urls=urls)
        todo.append((p, n_eng))
    return todo


def organic_engagement(W, r, todo):
    """Ordinary engagement: at a moment when p is online, something recent from the
    accounts p follows (the newer the likelier), retweeted, replied to or quoted."""
    for p in W.people:
        p.posts.sort(key=lambda t: t[0])
    times = {id(p): [t[0] for t in p.posts] for p in W.people}
    for p, n in todo:
        if not p.follows:
            continue
        for _ in range(n):
            ms = W.when(r, p)
            best = None
            for _try in range(4):
                q = p.follows[r.randrange(len(p.follows))]
                ts = times[id(q)]
                i = bisect.bisect_left(ts, ms) - 1
                while i >= 0 and q.posts[i][8] is not None:
                    i -= 1
                if i < 0 or ms - ts[i] > 2 * DY:
                    continue
                # Walk back over the newest few posts: a fresh post is the usual target.
                j = i
                while j > 0 and r.random() < 0.35 and ms - ts[j - 1] < 2 * DY:
                    j -= 1
                if q.posts[j][8] is None:
                    best = q.posts[j]
                    break
            if best is None:
                continue
            u = r.random()
            if u < 0.74:
                W.retweet(r, p, best, ms)
            elif u < 0.92:
                W.reply(r, p, best, ms)
            else:
                W.quote(r, p, best, ms)


def budget_trend(W, r, people):
    """A big organic trend: a budget announcement and the debate two days later.
    Returns the trend windows (start ms, end ms, hashtag)."""
    wins = []
    for day, tag in ((4, "Budget2022"), (6, "BudgetDebate")):
        start = T0_MS + day * DY + 11 * HR
        wins.append((start, start + 8 * HR, tag))
        lines = ("what a joke", "finally some relief for renters", "nothing for students again",
                 "the fuel duty bit is interesting", "watching this live", "who is this for",
                 "pensions got a mention at least", "so the tax cut is tiny",
                 "read the small print on housing", "my bills say otherwise")
        for p in r.sample(people, min(len(people), W.count(3500))):
            for _ in range(r.choice([1, 1, 1, 2, 3])):
                ms = start + int(abs(r.gauss(2.5, 2.0)) * HR)
                extra = [tag] if r.random() < 0.8 else [tag, "UKPolitics"]
                W.post(r, p, ms, "%s %s %s" % (r.choice(OPEN), r.choice(lines),
                                              " ".join("#" + x for x in extra)), lang="en", tags=extra)
    return wins


def sports(W, r):
    """Two clubs, supporters and casual viewers; three matches."""
    clubs = []
    for name, short, region in (("Riverside FC", "RFC", REGIONS[3]), ("Atletico Norte", "ATN", REGIONS[7])):
        off = W.person(r, "lookalike_sports", region=region, followers=int(r.uniform(2e6, 6e6)),
                       app="Twitter Media Studio", display=name, fame=2000.0)
        off.community = TOPIC_NAMES.index("fitness")
        fans = [W.person(r, "lookalike_sports", region=region if r.random() < 0.8 else None)
                for _ in range(W.count(2500))]
        clubs.append((off, short, fans, {id(p) for p in fans}))
    casual = [W.person(r, "lookalike_sports") for _ in range(W.count(1500))]
    cries = ("GOAL!!!", "GOOOOOAL", "what a goal", "WHAT A STRIKE", "unbelievable scenes",
             "get in!!!", "are you kidding me", "YESSSS", "no way", "ref you clown", "var again??",
             "come on lads", "that keeper though", "goal goal goal")
    wins = []
    for g, day in enumerate((3, 10, 17)):
        kick = T0_MS + day * DY + 19 * HR + 45 * MINUTE
        tags = ["RFCvATN", "CupFinal" if g == 2 else "LeagueNight"]
        wins.append((kick - HR, kick + 3 * HR, tags[0]))
        goals = sorted(r.sample(range(2, 110), r.randint(2, 5)))
        for off, short, _f, _s in clubs:
            W.post(r, off, kick - 30 * MINUTE, "Team news is in! #%s #%s" % tuple(tags), tags=tags)
        for gm in goals:
            scorer = r.randrange(2)
            off, short, fans, is_fan = clubs[scorer]
            ann = W.post(r, off, kick + gm * MINUTE + r.randrange(20, 70) * SEC,
                         "GOAL! %s score in minute %d #%s" % (short, gm, tags[0]), tags=tags)
            for p in fans + casual:
                fan = id(p) in is_fan
                if fan and r.random() < 0.35 and ann is not None:
                    W.retweet(r, p, ann, ann[0] + int(math.exp(r.gauss(math.log(40), 0.9)) * SEC))
                if r.random() < (0.3 if fan else 0.12):
                    ms = kick + gm * MINUTE + int(math.exp(r.gauss(math.log(70), 0.8)) * SEC)
                    used = tags[:1] if r.random() < 0.6 else tags
                    W.post(r, p, ms, "%s %s" % (r.choice(cries), " ".join("#" + x for x in used)),
                           lang="en", tags=used)
        # Full time.
        for p in r.sample(casual + clubs[0][2] + clubs[1][2], W.count(1200)):
            W.post(r, p, kick + 112 * MINUTE + int(abs(r.gauss(0, 12)) * MINUTE),
                   "%s #%s" % (r.choice(("full time", "what a night", "gutted", "deserved",
                                         "robbed", "champions!!", "proud of this team")), tags[0]),
                   lang="en", tags=tags[:1])
    people = casual + [x for c in clubs for x in [c[0]] + c[2]]
    return people, wins


def newsbots(W, r):
    """Six families of aggregator bots; each family mirrors one feed, every bot posting
    each item with the same headline and link within about a minute and a half."""
    bots = []
    subjects = ("council", "transport", "weather", "markets", "schools", "football", "health",
                "housing", "police", "energy")
    verbs = ("approves", "delays", "warns over", "reports record", "cuts", "launches",
             "reviews", "expands", "scraps", "confirms")
    for fam, (site, label) in enumerate((("localwire.co.uk", "LocalWire"), ("citybeat.news", "CityBeat"),
                                         ("marketpulse.io", "MktPulse"), ("sportsdesk.net", "SportsDesk"),
                                         ("techbrief.dev", "TechBrief"), ("regionpost.de", "RegionPost"))):
        members = []
        for i in range(W.count(20, 3)):
            c_ms = T0_MS - int(r.uniform(60, 2500)) * DY
            b = W.person(r, "lookalike_newsbot", created_ms=c_ms, followers=int(math.exp(r.gauss(5, 1.2))),
                         app=r.choice(["dlvr.it", "IFTTT", "twitterfeed"]) if i % 3 else "dlvr.it",
                         display="%s %s (bot)" % (label, r.choice(REGIONS[:15])[0] or "Wire"))
            b.chrono = 0.0
            b.screen = W.unique_screen("%s%s" % (label, (b.loc or "Wire").replace(" ", "")))
            members.append(b)
            bots.append(b)
        item = 0
        t = T0_MS + r.randrange(HR)
        while t < T1_MS:
            item += 1
            head = "%s %s %s" % (r.choice(subjects).title(), r.choice(verbs), r.choice(
                ("plan", "budget", "figures", "changes", "scheme", "rules", "deal")))
            url = "https://%s/%s/%d" % (site, head.split()[0].lower(), 100000 + fam * 10000 + item)
            for b in members:
                if r.random() < 0.93:
                    W.post(r, b, t + r.randrange(2, 95) * SEC, "%s %s" % (head, url), lang="en",
                           urls=[url], app=b.app)
            t += int(math.exp(r.gauss(math.log(70), 0.6)) * MINUTE)
    return bots


def fandom(W, r):
    """A pop star, fan-base update accounts and stans."""
    star = W.person(r, "lookalike_fandom", region=REGIONS[12], followers=15000000, fame=5000.0,
                    display="SUNRISE ☀", app="Twitter for iPhone")
    star.community = TOPIC_NAMES.index("music")
    bases = [W.person(r, "lookalike_fandom", followers=int(r.uniform(4e4, 4e5)), fame=800.0,
                      name_kind="stan", display="Sunrise Updates %d" % (i + 1))
             for i in range(max(3, W.count(8)))]
    stans = []
    for _ in range(W.count(4000)):
        recent = r.random() < 0.55
        c_ms = T0_MS - int(r.uniform(20, 400) if recent else r.uniform(400, 4000)) * DY
        stans.append(W.person(r, "lookalike_fandom", created_ms=c_ms, name_kind="stan",
                              followers=int(math.exp(r.gauss(4.2, 1.3)))))
    for p in bases + stans:
        p.community = TOPIC_NAMES.index("music")
    love = ("we love you so much", "QUEEN", "so proud of you", "you deserve the world",
            "MOTHER IS MOTHERING", "i'm crying", "best artist ever", "this era >>>",
            "streaming rn", "sunrise supremacy")
    eager = {id(p): r.betavariate(1.5, 3.0) for p in stans}
    for d in range(NDAYS):
        for _ in range(r.choice([0, 1, 1, 2])):
            post = W.post(r, star, W.when(r, star, d), "%s ☀" % r.choice(
                ("new music friday!!", "thank you for everything", "see you tonight", "rehearsals",
                 "my heart is full", "tour dates soon")))
            if post is None:
                continue
            for p in stans:
                if r.random() < eager[id(p)]:
                    W.retweet(r, p, post, post[0] + int(math.exp(r.gauss(math.log(25), 1.4)) * SEC))
                if r.random() < eager[id(p)] * 0.3:
                    W.reply(r, p, post, post[0] + int(math.exp(r.gauss(math.log(90), 1.2)) * SEC),
                            "%s %s" % (r.choice(love), r.choice(("☀", "💛", "😭", "🥺", ""))))
        for b in bases:
            for _ in range(r.randint(2, 6)):
                up = W.post(r, b, W.when(r, b, d), "UPDATE: %s #SUNRISE" % r.choice(
                    ("new chart record", "tour rumour", "photo from rehearsal", "radio interview tonight",
                     "streaming numbers up", "merch restock")), tags=["SUNRISE"])
                if up is None:
                    continue
                for p in r.sample(stans, max(1, len(stans) // 40)):
                    if r.random() < eager[id(p)] * 1.5:
                        W.retweet(r, p, up, up[0] + int(math.exp(r.gauss(math.log(120), 1.3)) * SEC))
    # Streaming parties announced by the fan bases.
    for day in (2, 9, 16):
        t0 = T0_MS + day * DY + 12 * HR
        for b in bases[:2]:
            W.post(r, b, t0 - 20 * MINUTE, "STREAMING PARTY in 20 min! use #StreamSUNRISE", tags=["StreamSUNRISE"])
        for p in stans:
            if r.random() < 0.4:
                for _ in range(r.randint(1, 4)):
                    W.post(r, p, t0 + int(abs(r.gauss(0, 25)) * MINUTE), "%s #StreamSUNRISE %s" % (
                        r.choice(("streaming", "on repeat", "day 3 of streaming", "let's go army of suns",
                                  "goal 10M today")), r.choice(("☀", "💛", "", "!!"))), tags=["StreamSUNRISE"])
    return [star] + bases + stans


# ---- operations -----------------------------------------------------------
POL = ("the energy plan", "the minister", "the new tax", "the grid deal", "fuel prices",
       "the pipeline", "the sanctions", "the election board", "the central bank")
CLAIMS = ("is hiding the real numbers", "will ruin small business", "was written by lobbyists",
          "is a disaster for families", "failed every test", "is being covered up by the media",
          "benefits only the elite", "has already collapsed")


def op_sleeper(W, r, tag, size, popular):
    """Voices plus dormant aged amplifiers with slow, widely spread retweets and
    heavy camouflage."""
    nv = max(3, size // 25)
    hq = ("Istanbul", 3, 1, "en")
    voices = [W.person(r, "operation", tag, "core", followers=int(r.uniform(3000, 40000)),
                       fame=float(r.uniform(20, 200)), region=hq if r.random() < 0.5 else None)
              for _ in range(nv)]
    amps = []
    for _ in range(size - nv):
        c_ms = T0_MS - int(r.uniform(3 * 365, 11 * 365)) * DY
        a = W.person(r, "operation", tag, "amplifier", created_ms=c_ms,
                     followers=int(math.exp(r.gauss(4.5, 1.2))))
        a.awake_from = T0_MS + int(r.uniform(1, 8) * DY)        # dormant until its wake-up
        amps.append(a)
    posts = []
    for v in voices:
        for d in range(NDAYS):
            for _ in range(r.randint(1, 4)):
                ms = T0_MS + d * DY + int(r.uniform(6, 19) * HR)     # 09-22 in UTC+3
                text = "%s %s %s" % (r.choice(POL).capitalize(), r.choice(CLAIMS),
                                     r.choice(("#GridScandal", "", "", "!", ". RT if you agree")))
                t = W.post(r, v, ms, text, tags=["GridScandal"] if "#GridScandal" in text else [])
                if t is not None:
                    posts.append(t)
    posts.sort(key=lambda t: t[0])
    pop_cum, acc = [], 0.0
    for t in popular:
        acc += t[2].fame
        pop_cum.append(acc)
    for a in amps:
        part = r.betavariate(1.2, 14.0)
        own = 0
        for t in posts:
            if r.random() < part:
                if r.random() < 0.55:
                    delay = math.exp(r.uniform(math.log(10 * MINUTE), math.log(6 * HR)))
                else:
                    delay = min(6 * HR, max(10 * MINUTE, math.exp(r.gauss(math.log(80 * MINUTE), 0.8))))
                ms = t[0] + int(delay)
                local_h = ((ms - T0_MS) / HR + 3) % 24
                if local_h < 7 and r.random() < 0.7:           # the night queue waits for the shift
                    ms += int((7 - local_h + r.random() * 2) * HR)
                if W.retweet(r, a, t, ms) is not None:
                    own += 1
        # Camouflage: retweets of popular organic posts, 1.5-3x the operation's own.
        for _ in range(int(own * r.uniform(1.5, 3.0)) + r.randint(2, 8)):
            t = popular[bisect.bisect_left(pop_cum, r.random() * pop_cum[-1])]
            W.retweet(r, a, t, t[0] + int(math.exp(r.gauss(math.log(40 * MINUTE), 1.5))))
        for _ in range(r.randint(0, 6)):
            text, tags, urls = W.chatter(r, a)
            W.post(r, a, W.when(r, a), text, tags=tags, urls=urls)
    for v in voices:                  # voices boost one another now and then
        for t in posts:
            if t[2] is not v and r.random() < 0.04:
                W.retweet(r, v, t, t[0] + r.randrange(5, 120) * MINUTE)
    return voices + amps


def op_link_launder(W, r, tag, size, popular):
    """Obscure sites' articles shared in the members' own words by a rotating subset."""
    sites = ("eu-truthwire.com", "dailyfactcheck24.net", "nordic-observer.info", "freepressmonitor.org")
    members = []
    for i in range(size):
        c_ms = T0_MS - int(r.uniform(30, 900) if i % 3 else r.uniform(900, 3000)) * DY
        members.append(W.person(r, "operation", tag, "core", created_ms=c_ms,
                                followers=int(math.exp(r.gauss(5.0, 1.0)))))
    order = list(members)
    r.shuffle(order)
    shifts = [order[k::6] for k in range(6)]
    comments = ("Must read:", "This is what they don't tell you.", "Wow.", "Interesting 👇",
                "Share before it disappears", "Finally someone says it:", "Read this.",
                "Not surprised at all.", "Everyone needs to see this", "Thread-worthy:", "Hmm.",
                "Explains a lot.", "👀", "So it was true.")
    syn = {"reveals": ("exposes", "uncovers", "shows"), "secret": ("hidden", "quiet", "undisclosed"),
           "deal": ("agreement", "pact", "arrangement"), "officials": ("bureaucrats", "insiders", "ministers"),
           "report": ("study", "document", "dossier")}
    art = 0
    for d in range(NDAYS):
        for _ in range(r.randint(4, 8)):
            art += 1
            site = sites[art % len(sites)]
            head = "%s %s %s %s" % (r.choice(("Leaked report", "New document", "Insider", "Analysis")),
                                    "reveals", r.choice(("secret", "")) or "the",
                                    r.choice(("deal", "officials", "report")) + " " + r.choice(POL))
            url = "https://%s/%d/%02d/%s-%d" % (site, 2022, 3, "-".join(head.lower().split()[:4]), art)
            pub = T0_MS + d * DY + int(r.uniform(5, 18) * HR)
            sharers = [m for m in shifts[art % 6] if r.random() < 0.7] + r.sample(members, min(3, len(members)))
            for m in sharers:
                words = [r.choice(syn[w]) if w in syn and r.random() < 0.6 else w for w in head.split()]
                if r.random() < 0.3:
                    r.shuffle(words)
                text = "%s %s" % (r.choice(comments), " ".join(words))
                u = url if r.random() < 0.75 else url + "?utm_source=tw&utm_medium=%s" % r.choice(
                    ("social", "share", m.screen.lower()))
                tags = []
                if r.random() < 0.25:
                    tags = [r.choice(TAGS2[:6] + ("news", "truth"))]
                    text += " #" + tags[0]
                W.post(r, m, pub + int(min(12 * HR, math.exp(r.gauss(math.log(40 * MINUTE), 1.2)))),
                       text + " https://t.co/%08x" % r.getrandbits(32), tags=tags, urls=[u])
    pop_cum, acc = [], 0.0
    for t in popular:
        acc += t[2].fame
        pop_cum.append(acc)
    for m in members:      # everyday life: chatter and a few retweets of popular posts
        for _ in range(r.randint(3, 20)):
            text, tags, urls = W.chatter(r, m)
            W.post(r, m, W.when(r, m), text, tags=tags, urls=urls)
        for _ in range(r.randint(0, 8)):
            t = popular[bisect.bisect_left(pop_cum, r.random() * pop_cum[-1])]
            W.retweet(r, m, t, t[0] + int(math.exp(r.gauss(math.log(30 * MINUTE), 1.5))))
    return members


def op_hijack(W, r, tag, size, trends, celebs):
    """Near-duplicate messages pushed into large organic trends."""
    members = []
    for i in range(size):
        c_ms = T0_MS - int(r.uniform(5, 70) if i % 5 < 3 else r.uniform(300, 3000)) * DY
        members.append(W.person(r, "operation", tag, "core", created_ms=c_ms,
                                followers=int(math.exp(r.gauss(3.5, 1.1))),
                                name_kind="default8" if r.random() < 0.3 else "person",
                                app="Twitter Web App" if r.random() < 0.4 else None))
    bases = ("{t} is a distraction. The real story: {p} {c}. Wake up {e}",
             "While you watch {t}, {p} {c} {e} #{own}",
             "Nobody at {t} will tell you that {p} {c}. Share! {e}")
    emo = ("🔥", "‼️", "👇", "😡", "", "", "🇺🇦", "💥")
    for k, (start, end, trend_tag) in enumerate(trends):
        base = bases[k % len(bases)]
        p_, c_ = r.choice(POL), r.choice(CLAIMS)
        for m in members:
            if r.random() < 0.6:
                for _ in range(r.randint(1, 3)):
                    text = base.format(t="#" + trend_tag, p=p_, c=c_, e=r.choice(emo), own="EnergyTruth")
                    words = text.split()
                    if r.random() < 0.3:
                        i = r.randrange(len(words))
                        words[i] = words[i].upper()
                    if r.random() < 0.3:
                        words.insert(r.randrange(len(words) + 1), r.choice(("really", "again", "now", "!!")))
                    mention = []
                    if r.random() < 0.35:
                        c = r.choice(celebs)
                        words.append("@" + c.screen)
                        mention = [c.uid]
                    text = " ".join(words)
                    tags = [x.strip("#.!,") for x in words if x.startswith("#")]
                    W.post(r, m, start + int(r.random() * (end - start)), text, lang="en", tags=tags,
                           mentions=mention)
    for m in members:
        for _ in range(r.randint(2, 12)):
            text, tags, urls = W.chatter(r, m)
            W.post(r, m, W.when(r, m), text, tags=tags, urls=urls)
    for m in members:             # a few retweets of one another
        for t in list(r.choice(members).posts[:2]):
            if r.random() < 0.08:
                W.retweet(r, m, t, t[0] + r.randrange(2, 60) * MINUTE)
    return members


def thin(W, r, p):
    """The control: a throwaway persona on the same behaviour (its own random
    stream, so the behaviour is drawn exactly as without it).  It tells what the
    behaviour alone lets lockstep see (segmentation) from what the personas decide
    (the score's anomalies).  The user id keeps the original creation date."""
    p.screen = W.unique_screen(r.choice(GIVEN).capitalize() + "%08d" % r.randint(0, 99999999))
    p.created = T0_MS - 45 * DY + r.randrange(3 * DY)
    p.followers = 0 if r.random() < 0.8 else r.randint(1, 7)
    p.app = r.choice(["Twitter Web App", "Twitter Web App", "Twitter for Android", "Twitter for iPhone"])


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--style", required=True, choices=["sleeper", "link_launder", "hashtag_hijack", "mixed"])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--op-size", type=int, default=0,
                    help="accounts per operation (0: sleeper 300, link_launder 150, hashtag_hijack "
                         "250 times --scale; mixed 50 each)")
    ap.add_argument("--thin-profiles", action="store_true",
                    help="control: the operation's accounts get thin personas (created within three "
                         "days, default names with 8 digits, almost no followers, three clients), "
                         "behaviour unchanged")
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args(argv)
    W = World(a.seed, a.scale)
    if a.thin_profiles:
        W.thin_rng = W.rand("thin")
    r = W.rand("people")
    everyday = [W.person(r, "organic") for _ in range(W.count(15000))]
    sport_people, match_wins = sports(W, W.rand("sports"))
    fans = fandom(W, W.rand("fandom"))
    bots = newsbots(W, W.rand("newsbots"))
    people = everyday + sport_people + fans
    build_follow_graph(W, W.rand("graph"), people)
    todo = organic_originals(W, W.rand("originals"), everyday)
    todo += organic_originals(W, W.rand("originals2"), sport_people + fans, 0.6)
    trend_wins = budget_trend(W, W.rand("trend"), everyday)
    # Popular organic posts (camouflage targets): originals of the most famous accounts.
    famous = sorted((p for p in people if p.kind == "organic"), key=lambda p: -p.fame)[:max(20, len(people) // 200)]
    popular = sorted((t for p in famous for t in p.posts if t[8] is None), key=lambda t: t[0])
    celebs = famous[:10]
    s, ops = a.style, []
    if s == "sleeper":
        ops += op_sleeper(W, W.rand("op_sleeper"), "op_sleeper", a.op_size or W.count(300, 30), popular)
    elif s == "link_launder":
        ops += op_link_launder(W, W.rand("op_link"), "op_link_launder", a.op_size or W.count(150, 30), popular)
    elif s == "hashtag_hijack":
        ops += op_hijack(W, W.rand("op_hijack"), "op_hashtag_hijack", a.op_size or W.count(250, 30),
                         match_wins + trend_wins, celebs)
    else:
        k = a.op_size or 50
        ops += op_sleeper(W, W.rand("op_sleeper"), "op_sleeper", k, popular)
        ops += op_link_launder(W, W.rand("op_link"), "op_link_launder", k, popular)
        ops += op_hijack(W, W.rand("op_hijack"), "op_hashtag_hijack", k, match_wins + trend_wins, celebs)
    # Ordinary people follow operation accounts as they follow anyone (by fame), so the
    # operation's posts get some organic engagement: traction, as real operations have.
    rf = W.rand("opfollow")
    for p in ops:
        for q in rf.sample(everyday, min(len(everyday), int(p.fame))):
            q.follows.append(p)
    organic_engagement(W, W.rand("engage"), todo)
    W.save(a.output)
    print("genworld2 %s seed %d: %d accounts (%d bots, %d operation), %d tweets" % (
        s, a.seed, len(W.people), len(bots), len(ops), len(W.tw)), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
