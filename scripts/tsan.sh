#!/bin/sh
# tsan.sh TSAN_BINARY RELEASE_BINARY — runs the multi-threaded paths under
# ThreadSanitizer (`make tsan`): simulate (io, v1 and v2 writers), ingest
# with the builder thread (IO archive CSV with a users file, v1 JSON), every
# co-action layer, and detect on a small simulated world, each at
# --threads 2 and 3.
# Fails on the first data race reported; prints "tsan: N runs, clean".
set -eu
T=$1
REL=$2
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export TSAN_OPTIONS="halt_on_error=1 exitcode=66"
"$REL" simulate --scale 0.004 --seed 7 -o "$W/sim" > /dev/null
"$REL" simulate --scale 0.002 --seed 8 --format v1 -o "$W/simv1" > /dev/null
n=0
run() {
    n=$((n + 1))
    if ! "$@" > "$W/out" 2> "$W/err"; then
        echo "tsan: failed: $*" >&2
        head -n 40 "$W/err" >&2
        exit 1
    fi
}
for t in 2 3; do
    for f in io v1 v2; do run "$T" simulate --scale 0.002 --seed 9 --format $f --threads $t -o "$W/s_$f$t"; done
    run "$T" ingest -q --threads $t -o "$W/io$t.lss" "$W/sim/tweets.csv" "$W/sim/users.csv"
    run "$T" ingest -q --threads $t -o "$W/v1$t.lss" "$W/simv1/tweets.jsonl"
    run "$T" network all --threads $t -q "$W/io$t.lss" -o "$W/all$t.csv"
    run "$T" network co_retweet --compat qut --threads $t -q "$W/sim/tweets.csv" -o "$W/qut$t.csv"
    run "$T" detect --threads $t "$W/io$t.lss" -o "$W/det$t"
done
cmp -s "$W/io2.lss" "$W/io3.lss" || { echo "tsan: stores differ between 2 and 3 threads" >&2; exit 1; }
for f in io v1 v2; do
    diff -r "$W/s_${f}2" "$W/s_${f}3" > /dev/null || { echo "tsan: simulate $f differs between 2 and 3 threads" >&2; exit 1; }
done
echo "tsan: $n runs, clean"
