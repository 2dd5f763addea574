#!/usr/bin/env python3
"""summarise.py: the markdown table of docs/generality.md from run_all.sh's output.

Reads OUTDIR/STYLE.SEED/eval.json (lockstep eval --json) for every style and seed
found and prints one row per run plus a mean and worst row per style.
Usage: summarise.py OUTDIR
"""
import csv
import glob
import json
import os
import sys

# genworld.py's groups and styles in the order of docs/generality.md; any other group
# or style found (genworld2.py's) follows in name order.
GROUPS = ["organic", "lookalike_fandom", "lookalike_news", "lookalike_campaign", "lookalike_giveaway"]
STYLES = ["aged_ring", "copypasta", "hashtag_push", "mixed_small", "reply_swarm"]


def ordered(known, found):
    """The known names that were found, then the others sorted."""
    return [x for x in known if x in found] + sorted(x for x in found if x not in known)


def fmt(x):
    return "n/a" if x is None else "%.3f" % x


def main(out):
    runs = {}
    for p in sorted(glob.glob(os.path.join(out, "*", "eval.json"))):
        style, seed = os.path.basename(os.path.dirname(p)).rsplit(".", 1)
        runs.setdefault(style, []).append((int(seed), json.load(open(p))))
    found = {g for rs in runs.values() for _, e in rs for g in e["groups"]}
    groups = ordered(GROUPS, found) if found else GROUPS
    print("| style | seed | precision | recall | F1 | role acc | per-operation recall | " +
          " | ".join("FP " + g.replace("lookalike_", "") for g in groups) + " |")
    print("|---|---|---|---|---|---|---|" + "---|" * len(groups))
    for style in ordered(STYLES, set(runs)):
        rs = sorted(runs.get(style, []), key=lambda r: r[0])
        for seed, e in rs:
            ops = ", ".join("%s %.2f" % (o["network"][3:], o["recall"]) for o in e["operations"])
            fps = ["%d" % e["groups"].get(g, {}).get("false_positives", 0) for g in groups]
            print("| %s | %d | %s | %s | %s | %s | %s | %s |" % (
                style, seed, fmt(e["precision"]), fmt(e["recall"]), fmt(e["f1"]),
                fmt(e["role_accuracy"]), ops, " | ".join(fps)))
        if rs:
            def agg(key, f):
                vals = [e[key] for _, e in rs if e[key] is not None]
                return fmt(f(vals)) if vals else "n/a"
            mean = lambda v: sum(v) / len(v)
            for label, f in (("mean", mean), ("worst", min)):
                fps = ["%s" % (max if label == "worst" else mean)(
                    [e["groups"].get(g, {}).get("false_positives", 0) for _, e in rs]) for g in groups]
                if label == "mean":
                    fps = ["%.1f" % float(x) for x in fps]
                print("| **%s** | %s | %s | %s | %s | %s | | %s |" % (
                    style, label, agg("precision", f), agg("recall", f), agg("f1", f),
                    agg("role_accuracy", f), " | ".join(fps)))


def ranking(out):
    """From DIR/run0 (--min-score 0): for each operation, the detected network that
    holds most of it, the share of the operation there, the share of that network
    that is the operation, its score, and the best score of a network that is
    mostly look-alike or organic accounts."""
    print()
    print("| world | operation | in best network | purity | op network score | "
          "best non-operation network score |")
    print("|---|---|---|---|---|---|")
    for d in sorted(glob.glob(os.path.join(out, "*", "run0"))):
        world = os.path.dirname(d)
        truth = {}
        with open(os.path.join(world, "truth.csv"), newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                truth[r["userid"]] = (r["kind"], r["network"])
        members = {}
        with open(os.path.join(d, "accounts.csv"), newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                members.setdefault(r["network"], []).append(truth.get(r["userid"], ("unknown", "")))
        score = {n["id"]: n["score"] for n in json.load(open(os.path.join(d, "networks.json")))["networks"]}
        other = [score[n] for n, ms in members.items()
                 if sum(k == "operation" for k, _ in ms) * 2 < len(ms)]
        ops = {}
        for k, net in truth.values():
            if k == "operation":
                ops[net] = ops.get(net, 0) + 1
        for op in sorted(ops):
            best, bn = None, 0
            for n, ms in members.items():
                c = sum(1 for _, net in ms if net == op)
                if c > bn:
                    best, bn = n, c
            if best is None:
                row = ("0.000", "n/a", "n/a")
            else:
                row = ("%.3f" % (bn / ops[op]), "%.3f" % (bn / len(members[best])), "%.3f" % score[best])
            print("| %s | %s | %s | %s | %s | %s |" % (os.path.basename(world), op, row[0], row[1], row[2],
                                                   "%.3f" % max(other) if other else "n/a"))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/genworlds")
    ranking(sys.argv[1] if len(sys.argv) > 1 else "/tmp/genworlds")
