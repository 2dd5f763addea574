#!/bin/sh
# run.sh — runs every test and counts them: unit tests (ASan+UBSan build),
# golden CLI tests (tests/cli/*.sh) and the fuzz corpus replay.  Each test
# prints "PASS name" or "FAIL name"; the last line is "N passed, N failed".
# A test program that crashes or exits non-zero without a FAIL line counts
# as one more failure.  Full output: build-asan/test.log.
cd "$(dirname "$0")/.." || exit 1
mkdir -p build-asan
log=build-asan/test.log
: > "$log"
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LOCKSTEP="$PWD/build-asan/lockstep"
export LOCKSTEP_REL="$PWD/build/lockstep"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
: > "$out/results"

note() { echo "$1" | tee -a "$out/results"; }

run_one() { # name, command...
    name=$1; shift
    echo "== $name" >> "$log"
    if "$@" > "$out/o" 2> "$out/e"; then status=0; else status=$?; fi
    cat "$out/o" "$out/e" >> "$log"
    grep -E '^(PASS|FAIL) ' "$out/o" | tee -a "$out/results"
    if grep -q '^FAIL ' "$out/o"; then
        tail -n 30 "$out/e" | sed 's/^/    /'
    elif [ $status -ne 0 ]; then
        note "FAIL $name (exit $status)"
        tail -n 30 "$out/e" | sed 's/^/    /'
    fi
}

for t in build-asan/tests/test_*; do
    [ -x "$t" ] || continue
    run_one "$(basename "$t")" "$t"
done
for t in tests/cli/*.sh; do
    [ -f "$t" ] || continue
    case "$t" in */lib.sh) continue;; esac
    run_one "$(basename "$t" .sh)" sh "$t"
done
for f in build-asan/fuzz/fuzz_*; do
    [ -x "$f" ] || continue
    n=$(basename "$f")
    corpus=tests/fuzz/corpus/$n
    if [ -d "$corpus" ] && [ -n "$(ls -A "$corpus")" ]; then
        if "$f" -runs=0 "$corpus"/* > "$out/f" 2>&1; then note "PASS replay_$n"
        else note "FAIL replay_$n"; tail -n 30 "$out/f" | sed 's/^/    /'; fi
        cat "$out/f" >> "$log"
    else
        note "FAIL replay_$n (no corpus in $corpus)"
    fi
done
pass=$(grep -c '^PASS ' "$out/results")
fail=$(grep -c '^FAIL ' "$out/results")
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
