#!/usr/bin/env python3
"""diagnose.py: where an operation of a genworld.py world went in a detect run.

For a run made with `lockstep detect --min-score 0` (every network listed, whatever
its score), prints for each true operation the detected networks that hold its
accounts, with each network's size, make-up by truth kind, score and signals.
This is what docs/generality.md's failure analysis is read from.
Usage: diagnose.py WORLD_DIR RUN_DIR
"""
import csv
import json
import sys
from collections import Counter, defaultdict


def main(world, run):
    truth = {}
    with open(world + "/truth.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            truth[r["userid"]] = (r["kind"], r["network"], r["role"])
    members = defaultdict(list)
    with open(run + "/accounts.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            members[r["network"]].append(r)
    nets = {n["id"]: n for n in json.load(open(run + "/networks.json"))["networks"]}
    ops = Counter(v[1] for v in truth.values() if v[0] == "operation")
    for op, size in sorted(ops.items()):
        where = Counter(r["network"] for rs in members.values() for r in rs
                        if truth.get(r["userid"], ("", "", ""))[1] == op)
        print("%s (%d accounts): %d listed at min-score 0" % (op, size, sum(where.values())))
        for nid, k in where.most_common(4):
            n = nets.get(nid, {})
            kinds = Counter(truth.get(r["userid"], ("unknown",))[0] for r in members[nid])
            print("  %s: %d of the op; network %d accounts (%s), score %s" % (
                nid, k, len(members[nid]), ", ".join("%s %d" % kv for kv in kinds.most_common(4)),
                n.get("score")))
            print("    signals " + " ".join("%s=%.2f" % kv for kv in n.get("signals", {}).items()))
    print("top networks by score:")
    for n in sorted(nets.values(), key=lambda n: -n.get("score", 0))[:6]:
        kinds = Counter(truth.get(r["userid"], ("unknown",))[0] for r in members[n["id"]])
        print("  %s score %.3f: %s" % (n["id"], n["score"], ", ".join("%s %d" % kv for kv in kinds.most_common(3))))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
