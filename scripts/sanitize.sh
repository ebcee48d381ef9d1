#!/usr/bin/env bash
# Runs the whole test suite under a sanitizer (docs/fuzzing.md, "Sanitizers"):
#
#   scripts/sanitize.sh address      # AddressSanitizer + LeakSanitizer
#   scripts/sanitize.sh thread       # ThreadSanitizer
#
# Builds into .build-asan/ or .build-tsan/ (apart from the normal build), with Swift's backtracer off (it
# stalls each report under a sanitizer) and the suppressions of leaks and races that are not
# segeval's: scripts/lsan-suppressions.txt, scripts/tsan-suppressions.txt (each entry says why).
# Any other report fails the tests (LeakSanitizer and ThreadSanitizer exit non-zero).
set -euo pipefail
cd "$(dirname "$0")/.."
sanitizer=${1:?usage: scripts/sanitize.sh address|thread}
case "$sanitizer" in
    address) export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan-suppressions.txt"; scratch=.build-asan ;;
    thread) export TSAN_OPTIONS="suppressions=$PWD/scripts/tsan-suppressions.txt:halt_on_error=0"; scratch=.build-tsan ;;
    *) echo "usage: scripts/sanitize.sh address|thread" >&2; exit 2 ;;
esac
export SWIFT_BACKTRACE=enable=no
swift test --sanitize="$sanitizer" --scratch-path "$scratch"
