# thp.sh — the release binary's re-execution with glibc's allocator on
# transparent huge pages (src/cli/thp.c): outputs are the same with it, without
# it (LOCKSTEP_MALLOC_THP=0) and with the tunable already set (no second
# re-execution, no loop); where the kernel's THP mode is "madvise" the running
# process carries the tunable, and LOCKSTEP_MALLOC_THP=0 keeps it out.
. tests/cli/lib.sh
REL=${LOCKSTEP_REL:-build/lockstep}
IN=tests/data/ingest/io_quirks.csv

check_cmd thp_ingest_default 0 "$REL" ingest -q --threads 2 -o "$TMP/a.lss" "$IN"
check_cmd thp_ingest_off 0 env LOCKSTEP_MALLOC_THP=0 "$REL" ingest -q --threads 2 -o "$TMP/b.lss" "$IN"
check_cmd thp_ingest_preset 0 timeout 60 env GLIBC_TUNABLES=glibc.malloc.hugetlb=1 "$REL" ingest -q --threads 2 -o "$TMP/c.lss" "$IN"
check_same thp_same_store_off "$TMP/b.lss" "$TMP/a.lss"
check_same thp_same_store_preset "$TMP/c.lss" "$TMP/a.lss"

# The environment of the running process: an ingest waiting on a FIFO.
env_of() {   # env_of OUT_FILE [VAR=VALUE]: GLIBC_TUNABLES of a running ingest
    rm -f "$TMP/fifo"; mkfifo "$TMP/fifo"
    env ${2:+"$2"} "$REL" ingest -q --format qut -o "$TMP/w.lss" - < "$TMP/fifo" &
    pid=$!
    exec 9> "$TMP/fifo"
    sleep 0.5
    tr '\0' '\n' < /proc/$pid/environ 2>/dev/null | grep '^GLIBC_TUNABLES=' > "$1"
    printf 'message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n1,u1,a,,,hi,1590969600,\n' >&9
    exec 9>&-
    wait $pid
}
mode=$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)
glibc=$(ldd --version 2>/dev/null | head -n 1 | sed 's/.* //')
case "$mode" in
*"[madvise]"*)
    if [ -n "$glibc" ] && [ "$(printf '%s\n2.35\n' "$glibc" | sort -V | head -n 1)" = 2.35 ]; then
        env_of "$TMP/on"
        check_grep thp_reexec_sets_tunable 'glibc.malloc.hugetlb=1' "$TMP/on"
        env_of "$TMP/off" LOCKSTEP_MALLOC_THP=0
        if [ -s "$TMP/off" ]; then fail thp_off_keeps_tunable_out "$(cat "$TMP/off")"
        else pass thp_off_keeps_tunable_out; fi
    else
        pass "thp_reexec_not_applicable_glibc_$glibc"
    fi ;;
*) pass thp_reexec_not_applicable_mode ;;
esac
