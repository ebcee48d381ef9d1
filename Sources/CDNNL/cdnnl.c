#define _GNU_SOURCE
#include "cdnnl.h"
#include <dlfcn.h>

void *cdnnl_memory_allocate(void) { return DNNL_MEMORY_ALLOCATE; }

void cdnnl_set_num_threads(int count) {
    void (*set)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_num_threads");
    if (set && count > 0) set(count);
}

int cdnnl_get_max_threads(void) {
    int (*get)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "omp_get_max_threads");
    return get ? get() : 1;
}

#if defined(__x86_64__)
// oneDNN's ISA values are bit sets: each level contains the bits of the levels below it.
static int isa_includes(unsigned effective, unsigned level) { return (effective & level) == level; }
#endif

cdnnl_kernel_level cdnnl_kernel_level_available(void) {
#if defined(__x86_64__)
    // Both conditions: oneDNN's cap (ONEDNN_MAX_CPU_ISA) and the CPU's own feature bits (FMA is
    // not part of oneDNN's avx2 test; no AVX2 CPU lacks it, but nothing here assumes so).
    unsigned effective = (unsigned)dnnl_get_effective_cpu_isa();
    __builtin_cpu_init();
    if (isa_includes(effective, dnnl_cpu_isa_avx512_core) && __builtin_cpu_supports("avx512f") &&
        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("fma"))
        return CDNNL_KERNELS_AVX512;
    if (isa_includes(effective, dnnl_cpu_isa_avx2) && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return CDNNL_KERNELS_AVX2;
    if (isa_includes(effective, dnnl_cpu_isa_avx) && __builtin_cpu_supports("avx")) return CDNNL_KERNELS_AVX;
#endif
    return CDNNL_KERNELS_PORTABLE;
}

const char *cdnnl_kernel_level_name(cdnnl_kernel_level level) {
    switch (level) {
    case CDNNL_KERNELS_AVX: return "avx";
    case CDNNL_KERNELS_AVX2: return "avx2";
    case CDNNL_KERNELS_AVX512: return "avx512";
    default: return "portable";
    }
}
