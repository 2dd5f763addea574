#!/bin/sh
# run.sh — `make bench`: runs every bench/*.sh (except this file) with the
# release binary as $1.  Each script writes its own section to
# docs/bench/NAME.md; this script then concatenates them, in name order,
# into docs/benchmarks.md.  Benchmarks are not tests: they report figures
# and never fail on a slow machine, only on a broken one.
set -u
cd "$(dirname "$0")/.." || exit 1
BIN=${1:-build/lockstep}
case "$BIN" in /*) ;; *) BIN="$PWD/$BIN";; esac
[ -x "$BIN" ] || { echo "bench: no binary at $BIN (run make first)" >&2; exit 1; }
mkdir -p docs/bench build/bench
status=0
for s in bench/*.sh; do
    n=$(basename "$s" .sh)
    [ "$n" = run ] && continue
    echo "== bench $n" >&2
    if ! sh "$s" "$BIN"; then echo "bench: $n failed" >&2; status=1; fi
done
{
    echo "# Benchmarks"
    echo
    echo "Made by \`make bench\` (bench/run.sh), which runs each bench/*.sh; every"
    echo "section below is docs/bench/NAME.md as its script last wrote it."
    echo
    for f in docs/bench/*.md; do
        [ -f "$f" ] || continue
        cat "$f"
        echo
    done
} > docs/benchmarks.md
echo "wrote docs/benchmarks.md" >&2
exit $status
