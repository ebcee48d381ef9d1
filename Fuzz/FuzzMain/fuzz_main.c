// The entry point of the FuzzTargets executable. SwiftPM links an executable with
// `--defsym main=<Target>_main`; FuzzTargets is compiled with -parse-as-library (it has no main of
// its own), so this file defines FuzzTargets_main and hands over to libFuzzer's driver.
//
// LLVMFuzzerRunDriver is weak: in a plain `swift build` (no -sanitize=fuzzer) it is absent, the
// executable still links, and says how to build it for fuzzing. scripts/fuzz.sh builds it right.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t)) __attribute__((weak));

int FuzzTargets_main(int argc, char **argv) {
    if (!LLVMFuzzerRunDriver) {
        fprintf(stderr, "FuzzTargets was built without libFuzzer: run scripts/fuzz.sh TARGET SECONDS\n");
        return 2;
    }
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}
