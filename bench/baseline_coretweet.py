#!/usr/bin/env python3
"""baseline_coretweet.py — the plain co-retweet network, as a naive detector.

Two accounts are linked when they retweeted the same tweet within DT seconds
of each other; the edge weight is the number of distinct tweets they
co-retweeted that way.  Edges of weight >= MIN_WEIGHT are kept and every
connected component of >= MIN_SIZE accounts is flagged.  Exact times come
from the snowflake tweet ids (archive times have minute resolution).

This is the yardstick for docs/simulator.md: on the simulated june2020 data
it should flag the fandom and breaking-news crowds along with the operation
and miss most amplifiers.  Python 3 standard library only.

usage: baseline_coretweet.py SIMDIR [--dt 60] [--min-weight 2] [--min-size 5] [--markdown]
"""
import csv
import sys
from collections import defaultdict

EPOCH = 1288834974657


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    opts = dict(dt=60.0, min_weight=2, min_size=5)
    md = "--markdown" in argv
    for i, a in enumerate(argv):
        if a == "--dt":
            opts["dt"] = float(argv[i + 1])
        elif a == "--min-weight":
            opts["min_weight"] = int(argv[i + 1])
        elif a == "--min-size":
            opts["min_size"] = int(argv[i + 1])
    if not args:
        sys.stderr.write(__doc__)
        return 2
    simdir = args[0]
    dt_ms = opts["dt"] * 1000.0
    csv.field_size_limit(1 << 24)

    by_tweet = defaultdict(list)
    with open(simdir + "/tweets.csv", newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        head = next(r)
        c_id, c_user, c_rt, c_rtid = (head.index(x) for x in ("tweetid", "userid", "is_retweet", "retweet_tweetid"))
        for row in r:
            if row[c_rt] != "True" or not row[c_rtid]:
                continue
            ms = (int(row[c_id]) >> 22) + EPOCH
            by_tweet[row[c_rtid]].append((ms, row[c_user]))

    weight = defaultdict(int)
    for shares in by_tweet.values():
        if len(shares) < 2:
            continue
        shares.sort()
        pairs = set()
        j = 0
        for i in range(len(shares)):
            while shares[i][0] - shares[j][0] > dt_ms:
                j += 1
            for k in range(j, i):
                a, b = shares[k][1], shares[i][1]
                if a != b:
                    pairs.add((a, b) if a < b else (b, a))
        for p in pairs:
            weight[p] += 1

    parent = {}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (a, b), wgt in weight.items():
        if wgt < opts["min_weight"]:
            continue
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    comp = defaultdict(list)
    for x in parent:
        comp[find(x)].append(x)
    flagged = set()
    n_comp = 0
    for members in comp.values():
        if len(members) >= opts["min_size"]:
            flagged.update(members)
            n_comp += 1

    groups = defaultdict(lambda: [0, 0])
    with open(simdir + "/truth.csv", newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        next(r)
        for uid, kind, net, role in r:
            key = kind if kind != "operation" else "operation %s %s" % (net, role)
            groups[key][0] += 1
            if uid in flagged:
                groups[key][1] += 1
    tp = sum(v[1] for k, v in groups.items() if k.startswith("operation"))
    ops = sum(v[0] for k, v in groups.items() if k.startswith("operation"))
    prec = tp / len(flagged) if flagged else 0.0
    rec = tp / ops if ops else 0.0
    if md:
        print("| truth group | accounts | flagged | share flagged |")
        print("|---|---:|---:|---:|")
        for k in sorted(groups):
            n, fl = groups[k]
            print("| %s | %d | %d | %.1f%% |" % (k, n, fl, 100.0 * fl / n if n else 0))
        print()
        print("%d components of >= %d accounts, %d accounts flagged; precision %.3f, recall %.3f"
              % (n_comp, opts["min_size"], len(flagged), prec, rec))
    else:
        for k in sorted(groups):
            n, fl = groups[k]
            print("%-34s %8d %8d  %5.1f%%" % (k, n, fl, 100.0 * fl / n if n else 0))
        print("components %d, flagged %d, precision %.3f, recall %.3f" % (n_comp, len(flagged), prec, rec))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
