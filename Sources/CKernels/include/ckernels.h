#ifndef SEGEVAL_CKERNELS_H
#define SEGEVAL_CKERNELS_H
#include <stddef.h>
// segeval's own compute kernels in C: no oneDNN, no allocation on the hot path.

// ---- instruction-set levels ------------------------------------------------------------------

/// The instruction-set levels segeval's own C kernels are compiled for. Each level's code is
/// compiled into every x86-64 build (function-level `target` attributes) and chosen at run time;
/// other architectures have the portable level only (generic vectors, e.g. NEON on aarch64).
typedef enum {
    /// x86-64 baseline (SSE2) or, elsewhere, the target's own default vector unit.
    CK_KERNELS_PORTABLE = 0,
    /// AVX (256-bit vectors, no FMA).
    CK_KERNELS_AVX = 1,
    /// AVX2 + FMA (x86-64-v3).
    CK_KERNELS_AVX2 = 2,
    /// AVX-512 F, BW, DQ and VL (oneDNN's `avx512_core`).
    CK_KERNELS_AVX512 = 3,
} ck_kernel_level;

/// The highest level this CPU can run (its own feature bits, cpuid). The caller caps it further
/// (segeval: by the instruction set oneDNN reports as effective, which honours
/// `ONEDNN_MAX_CPU_ISA`, so that one variable caps oneDNN and segeval alike).
ck_kernel_level ck_kernel_level_supported(void);

/// "portable", "avx", "avx2" or "avx512".
const char *ck_kernel_level_name(ck_kernel_level level);

// ---- Winograd F(2x2, 3x3) (winograd.c) -------------------------------------------------------

/// A 3x3, stride 1, padding 1 convolution computed with Winograd F(2x2, 3x3) or F(4x4, 3x3), for
/// layers where oneDNN has no Winograd kernel (it has one for AVX-512 only).
/// Source and destination are float32 [1, C, H, W] in oneDNN's blocked layout `nChw8c` or
/// `nChw16c` (`block` channels per block), 64-byte aligned.
typedef struct ck_winograd ck_winograd;

/// The output channels one register block of the product computes: 16 (6 tiles x 16 channels,
/// for 16 vector registers) or, `wide`, 32 (12 x 32, for AVX-512's 32 registers). Other
/// `out_channels` (a multiple of the layout's block) are computed padded up to a multiple of it.
int ck_winograd_output_multiple(int wide);

/// What creating a kernel object can end in.
typedef enum {
    CK_OK = 0,
    /// The shape, layout or level is not one this kernel computes (the caller uses another).
    CK_UNSUPPORTED = 1,
    /// Memory for the transformed weights could not be allocated.
    CK_OUT_OF_MEMORY = 2,
} ck_status;

/// Transforms the weights (OIHW [C_out][C_in][3][3], double; bias [C_out] or NULL) once.
/// `tile`: outputs per tile side, 2 (F(2x2, 3x3): 16 products per 4 outputs) or 4 (F(4x4, 3x3):
/// 36 per 16, 1.8x fewer, with float32 errors several times larger; see docs/predict.md).
/// Requires `block` 8 or 16, C_in % block == 0, C_out % block == 0, H and W at least 2 (and even for tile 2; tile 4
/// cuts its last tiles at the edges), and `level` at most `ck_kernel_level_supported()`. `wide`:
/// the 12 x 32 register block (segeval uses it on AVX-512; it is correct at every level, which lets
/// a test run its code on any machine).
/// Post-ops, in this order: `post_sum` adds the destination's previous value (a residual),
/// `post_relu` applies max(x, 0). `threads`: the OpenMP team size to run on. The object goes to
/// `*out` (NULL unless CK_OK).
ck_status ck_winograd_create(int in_channels, int out_channels, int height, int width, int block, ck_kernel_level level,
                             int wide, int tile, const double *weights, const double *bias, int post_sum, int post_relu,
                             int threads, ck_winograd **out);

/// How a kernel object splits its work (see winograd.c): 1 if its threads share each chunk of
/// tiles, 0 if each thread takes whole chunks; `*chunk_tiles` (if not NULL) gets the chunk size.
int ck_winograd_shares_chunks(const ck_winograd *w, int *chunk_tiles);

/// For tests: overrides the split chosen at creation: `shared` (0 or 1), chunks of `chunk_tiles`
/// tiles (rounded up to the product's register block), on `threads` threads; the scratch it needs
/// changes with it.
ck_status ck_winograd_set_chunks(ck_winograd *w, int shared, int chunk_tiles, int threads);

/// The scratch memory `ck_winograd_run` needs, in floats (the transformed inputs and products of
/// a chunk of tiles, per thread or shared). Layers that never run at the same time can share one
/// buffer of their largest need.
size_t ck_winograd_scratch_floats(const ck_winograd *w);

/// dst = post-ops(conv(src)). `src` and `dst` must not overlap. `scratch`: at least
/// `ck_winograd_scratch_floats(w)` floats, 64-byte aligned, not in use by anything else during the
/// call (its contents before and after do not matter).
void ck_winograd_run(const ck_winograd *w, const float *src, float *dst, float *scratch);

void ck_winograd_destroy(ck_winograd *w);
#endif
