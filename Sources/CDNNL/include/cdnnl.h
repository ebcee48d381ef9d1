#ifndef SEGEVAL_CDNNL_H
#define SEGEVAL_CDNNL_H
#include <oneapi/dnnl/dnnl.h>

/// `DNNL_MEMORY_ALLOCATE` is a macro (a pointer constant) that Swift cannot import.
void *cdnnl_memory_allocate(void);

/// Sets the OpenMP thread count oneDNN uses (`omp_set_num_threads`, looked up at run time in the
/// OpenMP runtime libdnnl loads, so that no OpenMP library is linked directly). Ignored if absent.
void cdnnl_set_num_threads(int count);

/// `omp_get_max_threads()`, or 1 if the OpenMP runtime is absent.
int cdnnl_get_max_threads(void);

// ---- segeval's own kernels: instruction-set levels -------------------------------------------

/// The instruction-set levels segeval's own C kernels are compiled for. Each level's code is
/// compiled into every x86-64 build (function-level `target` attributes) and chosen at run time;
/// other architectures have the portable level only (generic vectors, e.g. NEON on aarch64).
typedef enum {
    /// x86-64 baseline (SSE2) or, elsewhere, the target's own default vector unit.
    CDNNL_KERNELS_PORTABLE = 0,
    /// AVX (256-bit vectors, no FMA).
    CDNNL_KERNELS_AVX = 1,
    /// AVX2 + FMA (x86-64-v3).
    CDNNL_KERNELS_AVX2 = 2,
    /// AVX-512 F, BW, DQ and VL (oneDNN's `avx512_core`).
    CDNNL_KERNELS_AVX512 = 3,
} cdnnl_kernel_level;

/// The highest level that may run here: what the CPU has, capped by the instruction set oneDNN
/// reports as effective (`dnnl_get_effective_cpu_isa`, which honours `ONEDNN_MAX_CPU_ISA`), so
/// that one variable caps oneDNN and segeval alike.
cdnnl_kernel_level cdnnl_kernel_level_available(void);

/// "portable", "avx", "avx2" or "avx512".
const char *cdnnl_kernel_level_name(cdnnl_kernel_level level);

// ---- Winograd F(2x2, 3x3) (winograd.c) -------------------------------------------------------

/// A 3x3, stride 1, padding 1 convolution computed with Winograd F(2x2, 3x3), for layers where
/// oneDNN has no Winograd kernel (it has one for AVX-512 only).
/// Source and destination are float32 [1, C, H, W] in oneDNN's blocked layout `nChw8c` or
/// `nChw16c` (`block` channels per block), 64-byte aligned.
typedef struct cdnnl_winograd cdnnl_winograd;

/// The output channels one register block of the product computes: 16 (6 tiles x 16 channels,
/// for 16 vector registers) or, `wide`, 32 (12 x 32, for AVX-512's 32 registers).
/// `out_channels` must be a multiple of it.
int cdnnl_winograd_output_multiple(int wide);

/// Transforms the weights (OIHW [C_out][C_in][3][3], double; bias [C_out] or NULL) once.
/// Requires `block` 8 or 16, C_in % block == 0, C_out % block == 0 and
/// C_out % cdnnl_winograd_output_multiple(wide) == 0, H and W even, and `level` at most
/// `cdnnl_kernel_level_available()`. `wide`: the 12 x 32 register block (segeval uses it on
/// AVX-512; it is correct at every level, which lets a test run its code on any machine).
/// Post-ops, in this order: `post_sum` adds the destination's previous value (a residual),
/// `post_relu` applies max(x, 0). `threads`: the OpenMP team size to run on. NULL when the shape
/// or level is unsupported or memory is short.
cdnnl_winograd *cdnnl_winograd_create(int in_channels, int out_channels, int height, int width, int block,
                                      cdnnl_kernel_level level, int wide, const double *weights, const double *bias,
                                      int post_sum, int post_relu, int threads);

/// dst = post-ops(conv(src)). `src` and `dst` must not overlap. Not reentrant for one object
/// (it owns its scratch memory).
void cdnnl_winograd_run(const cdnnl_winograd *w, const float *src, float *dst);

void cdnnl_winograd_destroy(cdnnl_winograd *w);
#endif
