// The instruction-set levels of segeval's own kernels (see ckernels.h).
#include "ckernels.h"

ck_kernel_level ck_kernel_level_supported(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("fma"))
        return CK_KERNELS_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return CK_KERNELS_AVX2;
    if (__builtin_cpu_supports("avx")) return CK_KERNELS_AVX;
#endif
    return CK_KERNELS_PORTABLE;
}

const char *ck_kernel_level_name(ck_kernel_level level) {
    switch (level) {
    case CK_KERNELS_AVX: return "avx";
    case CK_KERNELS_AVX2: return "avx2";
    case CK_KERNELS_AVX512: return "avx512";
    default: return "portable";
    }
}
