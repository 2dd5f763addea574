#!/bin/sh
# ingest_memory.sh — does ingest's peak memory stop growing with the input?
# (issue 2: "peak memory stays under 2 GB whatever the input size").
#
# The pools of the namespaces that grow with the input (post ids, texts,
# URLs, hashtags, domains, images, accounts, names, profile strings)
# freeze once their index reaches a budget, and the write-time sort works
# in runs past 2 million events (docs/store.md, "Ingest memory"); past
# both, what still grows is at most a bit an event.  With the defaults that
# shows only on inputs of tens of GB, so this benchmark lowers the pools'
# budgets to BENCH_FREEZE_AT bytes (16 MiB by default) and the sort's runs
# to BENCH_SORT_RUN events (1 million), the same code paths, and ingests
# synthetic IO-archive CSVs (bench/gen_io.c) of 2, 4 and 8 million rows
# (BENCH_MEM_ROWS) by half as many accounts as rows (so the accounts,
# their names and profiles grow with the rows too), with the defaults and
# with the low settings: the peak RSS of the first grows with the rows,
# that of the second should not.  The two stores of each size must be
# byte-identical.
# Writes docs/bench/ingest_memory.md.
set -eu
BIN=$1
ROWS_LIST=${BENCH_MEM_ROWS:-2000000 4000000 8000000}
AT=${BENCH_FREEZE_AT:-16777216}
RUN=${BENCH_SORT_RUN:-1000000}
RUNS=${BENCH_RUNS:-3}
PAUSE=${BENCH_PAUSE:-4}
W=build/bench
mkdir -p "$W" docs/bench
cc -O2 -o "$W/gen_io" bench/gen_io.c
load=$(cut -d' ' -f1-3 /proc/loadavg)
: > "$W/mem.rows"
for rows in $ROWS_LIST; do
    CSV="$W/io_${rows}_acc.csv"
    if [ ! -s "$CSV" ]; then
        echo "generating $CSV ($rows rows, $((rows / 2)) accounts)" >&2
        "$W/gen_io" "$rows" $((rows / 2)) > "$CSV.part" && mv "$CSV.part" "$CSV"
    fi
    cat "$CSV" > /dev/null
    : > "$W/mem.dflt"
    : > "$W/mem.low"
    i=0
    while [ $i -lt "$RUNS" ]; do
        sleep "$PAUSE"
        /usr/bin/time -f "%e %U %S %M" -o "$W/t" "$BIN" ingest --quiet --threads 2 -o "$W/mem_d.lss" "$CSV"
        cat "$W/t" >> "$W/mem.dflt"
        sleep "$PAUSE"
        LOCKSTEP_FREEZE_AT=$AT LOCKSTEP_SORT_RUN=$RUN /usr/bin/time -f "%e %U %S %M" -o "$W/t" \
            "$BIN" ingest --quiet --threads 2 -o "$W/mem_l.lss" "$CSV"
        cat "$W/t" >> "$W/mem.low"
        i=$((i + 1))
    done
    if ! cmp -s "$W/mem_d.lss" "$W/mem_l.lss"; then
        echo "ingest_memory: the stores of $CSV differ with frozen pools" >&2
        exit 1
    fi
    mb=$(awk -v b="$(wc -c < "$CSV")" 'BEGIN { printf "%.0f", b / 1e6 }')
    # Medians of wall, CPU (user + sys) and peak RSS (MB).
    med() { awk "$1" "$2" | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] }'; }
    echo "$rows $mb $(med '{ print $1 }' "$W/mem.dflt") $(med '{ print $2 + $3 }' "$W/mem.dflt") \
$(med '{ print $4 / 1024 }' "$W/mem.dflt") $(med '{ print $1 }' "$W/mem.low") \
$(med '{ print $2 + $3 }' "$W/mem.low") $(med '{ print $4 / 1024 }' "$W/mem.low")" >> "$W/mem.rows"
    rm -f "$W/mem_d.lss" "$W/mem_l.lss"
done

{
    echo "## Ingest memory: pools that freeze (bench/ingest_memory.sh)"
    echo
    echo "Synthetic IO-archive CSV (bench/gen_io.c) with half as many accounts as rows,"
    echo "\`ingest --threads 2\`, median of $RUNS runs alternating, load average $load at the"
    echo "start; \"low budget\" sets LOCKSTEP_FREEZE_AT=$AT (bytes of index a pool may reach) and"
    echo "LOCKSTEP_SORT_RUN=$RUN (events a write-time sort run holds), so that the pools (post ids,"
    echo "texts, URLs, accounts, names, profile strings...) freeze and the sort runs on disk early,"
    echo "as they do with the defaults past 1.4-11 million distinct strings (by namespace) and 2"
    echo "million events; the two stores of each size are byte-identical."
    echo
    echo "| rows | accounts | CSV MB | default: wall s | CPU s | peak MB | low budget: wall s | CPU s | peak MB |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    awk '{ printf "| %s | %d | %s | %s | %s | %s | %s | %s | %s |\n", $1, $1 / 2, $2, $3, $4, $5, $6, $7, $8 }' "$W/mem.rows"
    echo
    # Between the last two sizes: the fixed-size buffers and caches (the
    # columns' and pools' RAM parts, the read-back caches) fill during the
    # first few million rows.
    awk '{ r0 = r; d0 = d; l0 = l; r = $1; d = $5; l = $8 }
         END { if (r > r0 && r0 > 0) printf "- Peak growth per million rows between the last two sizes: default %.1f MB, low budget %.1f MB (the buffers and caches of fixed size fill during the first few million rows).\n", (d - d0) / ((r - r0) / 1e6), (l - l0) / ((r - r0) / 1e6) }' "$W/mem.rows"
} > docs/bench/ingest_memory.md
cat docs/bench/ingest_memory.md
