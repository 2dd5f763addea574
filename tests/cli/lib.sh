# lib.sh — helpers for the golden CLI tests.  Each test script sources this
# file and calls pass/fail (or check_* helpers); tests/run.sh counts the
# PASS/FAIL lines.  $LOCKSTEP is the ASan build of the binary.
: "${LOCKSTEP:=build-asan/lockstep}"
# $LOCKSTEP_REL: the release build, for the tests that need its speed or
# its own behaviour (tests/run.sh sets both to absolute paths).
: "${LOCKSTEP_REL:=build/lockstep}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1"; shift; [ $# -gt 0 ] && echo "  $*" >&2; }
# check_cmd NAME EXPECTED_EXIT CMD...: runs CMD, compares the exit status.
check_cmd() {
    n=$1; want=$2; shift 2
    "$@" > "$TMP/out" 2> "$TMP/err"; got=$?
    if [ "$got" -eq "$want" ]; then pass "$n"; else
        fail "$n" "exit $got, expected $want: $(head -c 600 "$TMP/err")"; fi
}
# check_same NAME GOT_FILE WANT_FILE: byte comparison, diff on failure.
check_same() {
    if cmp -s "$2" "$3"; then pass "$1"; else
        fail "$1" "$(diff "$3" "$2" | head -n 20)"; fi
}
# check_grep NAME PATTERN FILE
check_grep() {
    if grep -q -- "$2" "$3"; then pass "$1"; else
        fail "$1" "pattern '$2' not in $3: $(head -c 400 "$3")"; fi
}
