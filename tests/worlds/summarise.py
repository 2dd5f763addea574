#!/usr/bin/env python3
"""summarise.py: the markdown table of docs/generality.md from run_all.sh's output.

Reads OUTDIR/STYLE.SEED/eval.json (lockstep eval --json) for every style and seed
found and prints one row per run plus a mean and worst row per style.
Usage: summarise.py OUTDIR
"""
import glob
import json
import os
import sys

GROUPS = ["organic", "lookalike_fandom", "lookalike_news", "lookalike_campaign", "lookalike_giveaway"]


def fmt(x):
    return "n/a" if x is None else "%.3f" % x


def main(out):
    runs = {}
    for p in sorted(glob.glob(os.path.join(out, "*", "eval.json"))):
        style, seed = os.path.basename(os.path.dirname(p)).rsplit(".", 1)
        runs.setdefault(style, []).append((int(seed), json.load(open(p))))
    print("| style | seed | precision | recall | F1 | role acc | per-operation recall | "
          "FP organic | FP fandom | FP news | FP campaign | FP giveaway |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for style in ["aged_ring", "copypasta", "hashtag_push", "mixed_small"]:
        rs = sorted(runs.get(style, []), key=lambda r: r[0])
        for seed, e in rs:
            ops = ", ".join("%s %.2f" % (o["network"][3:], o["recall"]) for o in e["operations"])
            fps = ["%d" % e["groups"].get(g, {}).get("false_positives", 0) for g in GROUPS]
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
                    [e["groups"].get(g, {}).get("false_positives", 0) for _, e in rs]) for g in GROUPS]
                if label == "mean":
                    fps = ["%.1f" % float(x) for x in fps]
                print("| **%s** | %s | %s | %s | %s | %s | | %s |" % (
                    style, label, agg("precision", f), agg("recall", f), agg("f1", f),
                    agg("role_accuracy", f), " | ".join(fps)))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/genworlds")
