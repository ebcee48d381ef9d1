#ifndef SEGEVAL_FUZZ_MAIN_H
#define SEGEVAL_FUZZ_MAIN_H
// The entry point of the FuzzTargets executable (see fuzz_main.c); nothing to call from Swift.
#endif
