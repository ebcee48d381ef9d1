#!/usr/bin/env bash
# Fuzzes one of segeval's parsers of untrusted input with libFuzzer (Fuzz/, issue 14 §5).
#
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]
#   TARGET: pth | pickle | safetensors | safetensors-header | png | jpeg | nifti
#   e.g.    scripts/fuzz.sh pickle 300            scripts/fuzz.sh png 60 -runs=1000000
#
# Builds the FuzzTargets executable with AddressSanitizer and libFuzzer's coverage into
# .build-fuzz/ (separate from the normal build), then runs TARGET for SECONDS with its committed
# seeds (Fuzz/corpus/TARGET, never written to) and dictionary (Fuzz/dict/), new inputs going to
# .build-fuzz/corpus/TARGET. A finding (crash, sanitizer report, timeout over 10 s, allocation over
# 1 GiB, RSS over 2 GiB) stops the run and is saved in .build-fuzz/findings/TARGET/; minimise it
# with `-minimize_crash=1 -runs=10000 FILE`, then make it a test (Tests/InferenceTests/
# MalformedWeightsTests.swift, Tests/ImageIOTests/CodecTests.swift). The last line printed gives
# the executions and the findings; the exit status is libFuzzer's (0: nothing found).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer options]}
seconds=${2:?usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer options]}
shift 2
case "$target" in
    pth|pickle|safetensors|safetensors-header|png|jpeg|nifti) ;;
    *) echo "unknown target '$target' (pth, pickle, safetensors, safetensors-header, png, jpeg, nifti)" >&2; exit 2 ;;
esac
swift build -c release --scratch-path .build-fuzz --product FuzzTargets --sanitize=address \
    -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library -Xcc -fsanitize=fuzzer-no-link 2>&1 | tail -n 1
binary=.build-fuzz/release/FuzzTargets
work=.build-fuzz/corpus/$target
findings=.build-fuzz/findings/$target
mkdir -p "$work" "$findings"
dict=Fuzz/dict/${target%%-*}.dict
[ "$target" = pickle ] && dict=Fuzz/dict/pth.dict
seeds=Fuzz/corpus/$target
[ -d "$seeds" ] || seeds=Fuzz/corpus/${target%%-*}
log=.build-fuzz/$target.log
# Swift's backtracer would stall every crash ~30 s under ASan; a failed allocation is an error
# path to test, not a crash (the limit below reports requests over 1 GiB as findings).
set +e
started=$(date +%s)
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=allocator_may_return_null=1:detect_leaks=0 SEGEVAL_FUZZ_TARGET=$target \
    "$binary" "$work" "$seeds" -dict="$dict" -max_total_time="$seconds" -timeout=10 -malloc_limit_mb=1024 \
    -rss_limit_mb=2048 -max_len=65536 -artifact_prefix="$findings/" -print_final_stats=1 "$@" 2>&1 | tee "$log" | grep -E "^#[0-9]+ +(INITED|DONE)|ERROR|SUMMARY|stat::number_of_executed_units" 
status=${PIPESTATUS[0]}
set -e
elapsed=$(( $(date +%s) - started ))
runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
echo "fuzz $target: $runs executions in ${elapsed} s (limit ${seconds} s); findings: $(ls "$findings" | wc -l) in $findings; exit $status"
exit $status
