#!/usr/bin/env bash
# Memory and time of `segeval` at scale (issue 15): synthetic pairs (bench/make_pairs.py), peak RSS
# and wall time from /usr/bin/time, for the table only and with --out, at 10^3 .. 10^5 pairs,
# and a 4-way sharded run plus merge. Not a test. Prints a Markdown table (bench/README.md).
#
#   bash bench/scale_bench.sh                       # 128^2: 1e3 1e4 1e5; 512^2: 1e3 1e4
#   SEGEVAL_SCALE_512="1000 10000 100000" bash bench/scale_bench.sh
#   SEGEVAL_SCALE_BASELINE=/path/to/older/segeval bash bench/scale_bench.sh   # the same rows for another binary
#
# Variables: SEGEVAL_SCALE_DATA (default /tmp/segeval-scale: generated pairs, reused),
# SEGEVAL_SCALE_128 / SEGEVAL_SCALE_512 (pair counts), SEGEVAL_BENCH_VENV (a venv with numpy,
# created if needed), SEGEVAL_BENCH_NO_BUILD=1 (use .build/release/segeval as it is).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATA=${SEGEVAL_SCALE_DATA:-/tmp/segeval-scale}
COUNTS_128=${SEGEVAL_SCALE_128-"1000 10000 100000"}
COUNTS_512=${SEGEVAL_SCALE_512-"1000 10000"}
VENV=${SEGEVAL_BENCH_VENV:-/tmp/segeval-bench-venv}

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import numpy" 2>/dev/null; then
    python3 -m venv "$VENV" && "$VENV/bin/pip" install -q numpy
fi
if [ "${SEGEVAL_BENCH_NO_BUILD:-0}" != 1 ]; then (cd "$ROOT" && swift build -c release >/dev/null); fi
BIN=${SEGEVAL_SCALE_BASELINE:-$ROOT/.build/release/segeval}

# "seconds peak-RSS-MiB" of a command (stdout discarded).
measure() {
    local log; log=$(mktemp)
    /usr/bin/time -f "%e %M" -o "$log" "$@" > /dev/null
    awk '{ printf "%.2f %.1f\n", $1, $2 / 1024 }' "$log"
    rm -f "$log"
}

echo "segeval: $("$BIN" --version)  cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
echo
echo "| size | pairs | mode | wall s | µs/pair | peak RSS MiB |"
echo "|---|---|---|---|---|---|"
for spec in $(for n in $COUNTS_128; do echo "128:$n"; done) $(for n in $COUNTS_512; do echo "512:$n"; done); do
    size=${spec%%:*}; n=${spec##*:}
    dir="$DATA/$size-$n"
    if [ ! -f "$dir/.complete" ]; then
        rm -rf "$dir"
        "$VENV/bin/python" "$ROOT/bench/make_pairs.py" "$dir" "$size" "$n" 1000
        touch "$dir/.complete"
    fi
    for mode in table out; do
        out="$DATA/out-$size-$n"; rm -rf "$out"
        args=(--pred "$dir/Pred" --gt "$dir/GT" -q --format csv)
        [ "$mode" = out ] && args+=(--out "$out")
        read -r wall rss < <(measure "$BIN" "${args[@]}")
        echo "| ${size}² | $n | $mode | $wall | $(awk -v w="$wall" -v n="$n" 'BEGIN { printf "%.0f", w * 1e6 / n }') | $rss |"
        rm -rf "$out"
    done
done

# 4 shards at once (the machine's cores shared), then the merge; compared with the single run.
n=$(echo $COUNTS_128 | awk '{ print $NF }')
dir="$DATA/128-$n"
parts="$DATA/parts"; rm -rf "$parts" "$DATA/merged" "$DATA/single"
start=$(date +%s.%N)
peak=0
for i in 0 1 2 3; do
    /usr/bin/time -f "%M" -o "$parts.rss$i" "$BIN" --pred "$dir/Pred" --gt "$dir/GT" --shard "$i/4" --out "$parts/$i" -q > /dev/null &
done
wait
shard_wall=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
for i in 0 1 2 3; do peak=$(awk -v a="$peak" -v b="$(cat "$parts.rss$i")" 'BEGIN { print (b > a ? b : a) }'); done
rm -f "$parts".rss*
read -r merge_wall merge_rss < <(measure "$BIN" merge "$parts"/0 "$parts"/1 "$parts"/2 "$parts"/3 --out "$DATA/merged" -q --format csv)
echo "| 128² | $n | 4 shards at once | $shard_wall | $(awk -v w="$shard_wall" -v n="$n" 'BEGIN { printf "%.0f", w * 1e6 / n }') | $(awk -v p="$peak" 'BEGIN { printf "%.1f", p / 1024 }') each |"
echo "| 128² | $n | merge of 4 | $merge_wall | | $merge_rss |"
"$BIN" --pred "$dir/Pred" --gt "$dir/GT" -q --format csv --out "$DATA/single" > /dev/null
if diff -r "$DATA/single" "$DATA/merged" > /dev/null; then
    echo; echo "merged files identical to the single run's: yes"
else
    echo; echo "merged files identical to the single run's: NO"; exit 1
fi
du -sh "$parts" "$DATA/single" | sed 's/^/size: /'
