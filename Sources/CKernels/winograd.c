// Winograd F(2x2, 3x3) and F(4x4, 3x3) convolutions on nChw8c or nChw16c activations (see ckernels.h
// for the contract).
//
// A 3x3 convolution computes each m x m output tile (m = 2 or 4) from an (m + 2)^2 input patch d:
//     Y = A^T [ (G g G^T) ⊙ (B^T d B) ] A
// (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", CVPR 2016; the Toom-Cook
// points 0, 1, -1 for m = 2 and 0, 1, -1, 2, -2 for m = 4, each with infinity). Summed over input
// channels, the elementwise product becomes (m + 2)^2 independent matrix products, one per
// position xi of the transformed tile:  M[xi] (tiles x Cout) = V[xi] (tiles x Cin) . U[xi]
// (Cin x Cout). That is 16 multiply-adds per 2x2 outputs per channel pair (m = 2) or 36 per 4x4
// (m = 4) instead of 36 or 144. m = 4 costs float32 accuracy: its transforms' larger
// coefficients amplify rounding about 10-25x (WinogradTests), so each network chooses.
//
// Work is split into chunks of tiles small enough for the transformed inputs V and products M of
// one chunk to stay in the core's L2 cache; each chunk is transformed, multiplied and
// transformed back by one thread. Threads are libgomp's (the team oneDNN itself runs on), found
// at run time; without libgomp the chunks run on the calling thread.
#define _GNU_SOURCE
#include "ckernels.h"
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

typedef float v8 __attribute__((vector_size(32)));
typedef float v8u __attribute__((vector_size(32), aligned(4)));
typedef float v16 __attribute__((vector_size(64)));
typedef float v16u __attribute__((vector_size(64), aligned(4)));

// Each instruction-set level's entry point is compiled with that level's `target` attribute and
// chosen at run time (`ck_winograd_create` refuses a level above `ck_kernel_level_supported()`;
// segeval caps the level further by ONEDNN_MAX_CPU_ISA, as oneDNN is capped).
// The step functions below are always inlined into each entry point and so compiled for its
// level. No `target_clones`: its load-time resolver ignores ONEDNN_MAX_CPU_ISA, exists on x86 only,
// and runs before sanitizers are initialised.
#if defined(__x86_64__)
#define TARGET(features) __attribute__((target(features)))
#else
#define TARGET(features)
#endif
#define INLINE static inline __attribute__((always_inline))

/// The product's register block: 6 tiles x 16 output channels (12 accumulators of 8 floats: 256-bit
/// registers, 16 of them) or, `wide`, 12 x 32 (24 of 16 floats: AVX-512, 32 registers).
static int rows_per_block(int wide) { return wide ? 12 : 6; }

int ck_winograd_output_multiple(int wide) { return wide ? 32 : 16; }

struct ck_winograd {
    int in_channels, out_channels, height, width;
    int block;            // channels per block of the activations' layout: 8 or 16
    ck_kernel_level level;
    int wide;             // the 12 x 32 register block (rows_per_block, ck_winograd_output_multiple)
    int tile;             // outputs per tile side: 2 (F(2x2,3x3)) or 4 (F(4x4,3x3))
    int positions;        // (tile + 2)^2: the transformed tile's positions, 16 or 36
    int tiles_y, tiles_x, tiles;
    int chunk;            // tiles per chunk, a multiple of mr
    int post_sum, post_relu;
    float *u;             // [positions][Cout / nr][Cin][nr], 64-byte aligned
    float *bias;          // [Cout]
    float *scratch;       // per thread: V [positions][chunk][Cin] then M [positions][chunk][Cout]
    int threads;
    size_t scratch_floats;
};

static void *aligned_floats(size_t count) {
    void *p = NULL;
    if (posix_memalign(&p, 64, (count ? count : 1) * sizeof(float)) != 0) return NULL;
    memset(p, 0, (count ? count : 1) * sizeof(float));
    return p;
}

// ---- the OpenMP team, looked up at run time --------------------------------------------------

typedef void (*gomp_parallel_fn)(void (*)(void *), void *, unsigned, unsigned);
typedef int (*omp_int_fn)(void);
static gomp_parallel_fn gomp_parallel;
static omp_int_fn omp_thread_num, omp_num_threads;

static void resolve_openmp(void) {
    static int resolved;
    if (resolved) return;
    gomp_parallel = (gomp_parallel_fn)dlsym(RTLD_DEFAULT, "GOMP_parallel");
    omp_thread_num = (omp_int_fn)dlsym(RTLD_DEFAULT, "omp_get_thread_num");
    omp_num_threads = (omp_int_fn)dlsym(RTLD_DEFAULT, "omp_get_num_threads");
    if (!omp_thread_num || !omp_num_threads) gomp_parallel = NULL;
    resolved = 1;
}

// ---- creation: U = G g G^T in double ---------------------------------------------------------

ck_status ck_winograd_create(int in_channels, int out_channels, int height, int width, int block, ck_kernel_level level,
                             int wide, int tile, const double *weights, const double *bias, int post_sum, int post_relu,
                             int threads, ck_winograd **out) {
    *out = NULL;
    if ((int)level < (int)CK_KERNELS_PORTABLE || level > ck_kernel_level_supported()) return CK_UNSUPPORTED;
    wide = wide ? 1 : 0;
    const int mr = rows_per_block(wide), nr = ck_winograd_output_multiple(wide);
    if ((block != 8 && block != 16) || (tile != 2 && tile != 4) || in_channels <= 0 || in_channels % block ||
        out_channels <= 0 || out_channels % block || out_channels % nr || height < 2 || width < 2 ||
        (tile == 2 && (height % 2 || width % 2)) || threads < 1)
        return CK_UNSUPPORTED;
    resolve_openmp();
    ck_winograd *w = calloc(1, sizeof *w);
    if (!w) return CK_OUT_OF_MEMORY;
    w->in_channels = in_channels;
    w->out_channels = out_channels;
    w->height = height;
    w->width = width;
    w->block = block;
    w->level = level;
    w->wide = wide;
    w->tile = tile;
    w->positions = (tile + 2) * (tile + 2);
    w->tiles_y = (height + tile - 1) / tile;
    w->tiles_x = (width + tile - 1) / tile;
    w->tiles = w->tiles_y * w->tiles_x;
    w->post_sum = post_sum;
    w->post_relu = post_relu;
    w->threads = gomp_parallel ? threads : 1;
    // V and M of a chunk within ~4 MB (the last-level cache's share of a core), and at least one
    // chunk per thread. Every chunk reads all of U (16 x Cin x Cout floats: 32 MB at 1024 -> 512
    // channels), so chunks sized for L2 (768 KB: 6 tiles there) made the wide layers stream U
    // from memory for every 6 tiles; 4 MB measured 25 % faster on the multi-class U-Net with one
    // thread (Zen 3; 2.25 s -> 1.70 s) and no slower on CoSupNet.
    int widest = in_channels > out_channels ? in_channels : out_channels;
    int chunk = (int)((size_t)4096 * 1024 / ((size_t)w->positions * sizeof(float) * 2 * (size_t)widest));
    int per_thread = (w->tiles + w->threads - 1) / w->threads;
    if (chunk > per_thread) chunk = per_thread;
    chunk = (chunk + mr - 1) / mr * mr;
    if (chunk < mr) chunk = mr;
    w->chunk = chunk;
    w->scratch_floats = (size_t)w->positions * chunk * (in_channels + out_channels);
    w->u = aligned_floats((size_t)w->positions * in_channels * out_channels);
    w->bias = aligned_floats(out_channels);
    w->scratch = aligned_floats(w->scratch_floats * w->threads);
    if (!w->u || !w->bias || !w->scratch) {
        ck_winograd_destroy(w);
        return CK_OUT_OF_MEMORY;
    }
    // G: F(2x2, 3x3) at the points 0, 1, -1 (and infinity); F(4x4, 3x3) at 0, 1, -1, 2, -2
    // (Lavin & Gray's matrices; `WinogradTests` checks both against a direct convolution).
    static const double G2[4][3] = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
    static const double G4[6][3] = {{1.0 / 4, 0, 0},
                                    {-1.0 / 6, -1.0 / 6, -1.0 / 6},
                                    {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                                    {1.0 / 24, 1.0 / 12, 1.0 / 6},
                                    {1.0 / 24, -1.0 / 12, 1.0 / 6},
                                    {0, 0, 1}};
    const int P = tile + 2;
    for (int o = 0; o < out_channels; o++) {
        w->bias[o] = bias ? (float)bias[o] : 0.0f;
        for (int i = 0; i < in_channels; i++) {
            const double *g = weights + ((size_t)o * in_channels + i) * 9;
            double gg[6][3];  // G g
            for (int r = 0; r < P; r++)
                for (int c = 0; c < 3; c++) {
                    const double *row = tile == 2 ? G2[r] : G4[r];
                    gg[r][c] = row[0] * g[c] + row[1] * g[3 + c] + row[2] * g[6 + c];
                }
            for (int r = 0; r < P; r++)
                for (int c = 0; c < P; c++) {
                    const double *col = tile == 2 ? G2[c] : G4[c];
                    double v = gg[r][0] * col[0] + gg[r][1] * col[1] + gg[r][2] * col[2];
                    size_t xi = (size_t)(r * P + c);
                    w->u[((xi * (out_channels / nr) + o / nr) * in_channels + i) * nr + o % nr] = (float)v;
                }
        }
    }
    *out = w;
    return CK_OK;
}

void ck_winograd_destroy(ck_winograd *w) {
    if (!w) return;
    free(w->u);
    free(w->bias);
    free(w->scratch);
    free(w);
}

// ---- the three steps of one chunk ------------------------------------------------------------
// `block` is a constant at every call site (the entry points below), so each step is compiled
// once per layout; a 16-channel block is two 8-float vectors side by side.

/// The two transforms for vectors of VL channels (8: 256-bit; 16: AVX-512's 512-bit, on
/// 16-channel blocks only), one definition for both widths.
///
/// input_points: B^T x for one column x of a (TILE + 2)-point patch (rows of B^T: F(2,3) d0 - d2,
/// d1 + d2, d2 - d1, d1 - d3; F(4,3) 4d0 - 5d2 + d4, -4d1 - 4d2 + d3 + d4, 4d1 - 4d2 - d3 + d4,
/// -2d1 - d2 + 2d3 + d4, 2d1 - d2 - 2d3 + d4, 4d1 - 5d3 + d5).
/// output_points: A^T x for one column x of TILE + 2 transformed points (rows of A^T: F(2,3)
/// m0 + m1 + m2, m1 - m2 - m3; F(4,3) m0 + m1 + m2 + m3 + m4, m1 - m2 + 2(m3 - m4),
/// m1 + m2 + 4(m3 + m4), m1 - m2 + 8(m3 - m4) + m5).
/// transform_input: V[xi][t][c] = (B^T d B)[xi] for the chunk's tiles, d the (TILE + 2)^2 input
/// patch (zero outside the image).
/// transform_output: Y = A^T M A + bias, then the post-ops (dst + Y, ReLU), into the TILE x TILE
/// output tiles (cut at the image's right and bottom edges).
#define DEFINE_TRANSFORMS(SUFFIX, VEC, VECU, VL)                                                        \
    INLINE void input_points##SUFFIX(const VEC *x, VEC *y, const int tile) {                          \
        if (tile == 2) {                                                                             \
            y[0] = x[0] - x[2];                                                                      \
            y[1] = x[1] + x[2];                                                                      \
            y[2] = x[2] - x[1];                                                                      \
            y[3] = x[1] - x[3];                                                                      \
        } else {                                                                                     \
            const VEC a = x[4] - 4.0f * x[2], b = x[3] - 4.0f * x[1]; /* rows 1, 2 */                \
            const VEC c = x[4] - x[2], d = 2.0f * (x[3] - x[1]);      /* rows 3, 4 */                \
            y[0] = 4.0f * x[0] - 5.0f * x[2] + x[4];                                                 \
            y[1] = a + b;                                                                            \
            y[2] = a - b;                                                                            \
            y[3] = c + d;                                                                            \
            y[4] = c - d;                                                                            \
            y[5] = 4.0f * x[1] - 5.0f * x[3] + x[5];                                                 \
        }                                                                                            \
    }                                                                                                \
    INLINE void output_points##SUFFIX(const VEC *x, VEC *y, const int tile) {                         \
        if (tile == 2) {                                                                             \
            y[0] = x[0] + x[1] + x[2];                                                               \
            y[1] = x[1] - x[2] - x[3];                                                               \
        } else {                                                                                     \
            const VEC sum12 = x[1] + x[2], diff12 = x[1] - x[2], sum34 = x[3] + x[4], diff34 = x[3] - x[4]; \
            y[0] = x[0] + sum12 + sum34;                                                             \
            y[1] = diff12 + 2.0f * diff34;                                                           \
            y[2] = sum12 + 4.0f * sum34;                                                             \
            y[3] = diff12 + 8.0f * diff34 + x[5];                                                    \
        }                                                                                            \
    }                                                                                                \
    INLINE void transform_input##SUFFIX(const ck_winograd *w, const float *src, int first, int count, float *v, \
                                        const int block, const int tile) {                           \
        enum { PMAX = 6 };                                                                           \
        const int P = tile + 2;                                                                      \
        const int C = w->in_channels, H = w->height, W = w->width, chunk = w->chunk;                 \
        const VEC zero = {0};                                                                        \
        for (int n = 0; n < count; n++) {                                                            \
            int t = first + n, y0 = (t / w->tiles_x) * tile - 1, x0 = (t % w->tiles_x) * tile - 1;  \
            for (int cb = 0; cb < C / VL; cb++) {                                                    \
                /* Channels cb*VL ...: block cb*VL/block, lane offset cb*VL%block within it. */      \
                const float *plane = src + (size_t)(cb * VL / block) * H * W * block + (cb * VL) % block; \
                VEC d[PMAX][PMAX]; /* d[c][r]: column c of the patch */                              \
                _Pragma("unroll") for (int r = 0; r < P; r++) {                                      \
                    int y = y0 + r;                                                                  \
                    _Pragma("unroll") for (int c = 0; c < P; c++) {                                  \
                        int x = x0 + c;                                                              \
                        d[c][r] = (y >= 0 && y < H && x >= 0 && x < W) ? *(const VEC *)(plane + ((size_t)y * W + x) * block) \
                                                                       : zero;                       \
                    }                                                                                \
                }                                                                                    \
                VEC e[PMAX][PMAX]; /* e[r][c] = (B^T d)[r][c] */                                     \
                _Pragma("unroll") for (int c = 0; c < P; c++) {                                      \
                    VEC column[PMAX];                                                                \
                    input_points##SUFFIX(d[c], column, tile);                                        \
                    _Pragma("unroll") for (int r = 0; r < P; r++) e[r][c] = column[r];               \
                }                                                                                    \
                float *out = v + (size_t)n * C + cb * VL;                                            \
                const size_t plane_stride = (size_t)chunk * C;                                       \
                _Pragma("unroll") for (int r = 0; r < P; r++) { /* (B^T d) B: the same on columns */ \
                    VEC row[PMAX];                                                                   \
                    input_points##SUFFIX(e[r], row, tile);                                           \
                    _Pragma("unroll") for (int c = 0; c < P; c++) *(VECU *)(out + (r * P + c) * plane_stride) = row[c]; \
                }                                                                                    \
            }                                                                                        \
        }                                                                                            \
    }                                                                                                \
    INLINE void transform_output##SUFFIX(const ck_winograd *w, const float *m, int first, int count, float *dst, \
                                         const int block, const int tile) {                          \
        enum { PMAX = 6, TMAX = 4 };                                                                 \
        const int P = tile + 2;                                                                      \
        const int O = w->out_channels, H = w->height, W = w->width, chunk = w->chunk;                \
        const size_t plane_stride = (size_t)chunk * O;                                               \
        const VEC zero = {0};                                                                        \
        for (int n = 0; n < count; n++) {                                                            \
            int t = first + n, y0 = (t / w->tiles_x) * tile, x0 = (t % w->tiles_x) * tile;          \
            int rows = H - y0 < tile ? H - y0 : tile, cols = W - x0 < tile ? W - x0 : tile;          \
            for (int ob = 0; ob < O / VL; ob++) {                                                    \
                const float *in = m + (size_t)n * O + ob * VL;                                       \
                VEC s[TMAX][PMAX]; /* s[r][c] = (A^T M)[r][c] */                                     \
                _Pragma("unroll") for (int c = 0; c < P; c++) {                                      \
                    VEC column[PMAX], reduced[TMAX];                                                 \
                    _Pragma("unroll") for (int r = 0; r < P; r++) column[r] = *(const VECU *)(in + (r * P + c) * plane_stride); \
                    output_points##SUFFIX(column, reduced, tile);                                    \
                    _Pragma("unroll") for (int r = 0; r < tile; r++) s[r][c] = reduced[r];           \
                }                                                                                    \
                const VEC b = *(const VECU *)(w->bias + ob * VL);                                    \
                float *plane = dst + (size_t)(ob * VL / block) * H * W * block + (ob * VL) % block;  \
                for (int r = 0; r < rows; r++) {                                                     \
                    VEC y[TMAX];                                                                     \
                    output_points##SUFFIX(s[r], y, tile);                                            \
                    for (int c = 0; c < cols; c++) {                                                 \
                        VEC *out = (VEC *)(plane + ((size_t)(y0 + r) * W + x0 + c) * block);         \
                        VEC value = y[c] + b;                                                        \
                        if (w->post_sum) value += *out;                                              \
                        if (w->post_relu) value = __builtin_elementwise_max(value, zero);            \
                        *out = value;                                                                \
                    }                                                                                \
                }                                                                                    \
            }                                                                                        \
        }                                                                                            \
    }
DEFINE_TRANSFORMS(_8, v8, v8u, 8)
DEFINE_TRANSFORMS(_16, v16, v16u, 16)

/// C[ROWS][2 VL] = A[ROWS][K] . B[K][2 VL] (A rows lda apart, B packed 2 VL-wide rows, C rows ldc
/// apart): ROWS x 2 accumulators of VL floats. One definition, two register blocks.
#define DEFINE_PRODUCT_BLOCK(NAME, VEC, VECU, VL, ROWS)                                              \
    INLINE void NAME(int K, const float *a, int lda, const float *b, float *c, int ldc) {            \
        VEC acc[ROWS][2];                                                                            \
        _Pragma("unroll") for (int r = 0; r < ROWS; r++) acc[r][0] = acc[r][1] = (VEC){0};          \
        for (int k = 0; k < K; k++) {                                                                \
            const VEC b0 = *(const VEC *)(b + (size_t)k * 2 * VL), b1 = *(const VEC *)(b + (size_t)k * 2 * VL + VL); \
            _Pragma("unroll") for (int r = 0; r < ROWS; r++) {                                       \
                const float s = a[(size_t)r * lda + k];                                              \
                acc[r][0] += b0 * s;                                                                 \
                acc[r][1] += b1 * s;                                                                 \
            }                                                                                        \
        }                                                                                            \
        _Pragma("unroll") for (int r = 0; r < ROWS; r++) {                                           \
            *(VECU *)(c + (size_t)r * ldc) = acc[r][0];                                              \
            *(VECU *)(c + (size_t)r * ldc + VL) = acc[r][1];                                         \
        }                                                                                            \
    }
DEFINE_PRODUCT_BLOCK(product_6x16, v8, v8u, 8, 6)
DEFINE_PRODUCT_BLOCK(product_12x32, v16, v16u, 16, 12)

/// M[xi] = V[xi] . U[xi] for the 16 or 36 positions, rows = the chunk's tiles rounded up to mr.
INLINE void multiply(const ck_winograd *w, const float *v, int count, float *m, const int wide) {
    const int C = w->in_channels, O = w->out_channels, chunk = w->chunk;
    const int mr = rows_per_block(wide), nr = ck_winograd_output_multiple(wide);
    const int rows = (count + mr - 1) / mr * mr;
    for (int xi = 0; xi < w->positions; xi++) {
        const float *vx = v + (size_t)xi * chunk * C;
        float *mx = m + (size_t)xi * chunk * O;
        for (int panel = 0; panel < O / nr; panel++) {
            const float *u = w->u + ((size_t)xi * (O / nr) + panel) * C * nr;
            for (int r = 0; r < rows; r += mr) {
                if (wide)
                    product_12x32(C, vx + (size_t)r * C, C, u, mx + (size_t)r * O + panel * nr, O);
                else
                    product_6x16(C, vx + (size_t)r * C, C, u, mx + (size_t)r * O + panel * nr, O);
            }
        }
    }
}

// ---- running ---------------------------------------------------------------------------------

/// One thread's share of the chunks, for one layout and register block.
INLINE void run_chunks(const ck_winograd *w, const float *src, float *dst, int thread, int threads, const int block,
                       const int wide, const int tile, const int lanes) {
    float *v = w->scratch + w->scratch_floats * (size_t)thread;
    float *m = v + (size_t)w->positions * w->chunk * w->in_channels;
    int chunks = (w->tiles + w->chunk - 1) / w->chunk;
    for (int k = thread; k < chunks; k += threads) {
        int first = k * w->chunk, count = w->tiles - first < w->chunk ? w->tiles - first : w->chunk;
        if (lanes == 16) {
            transform_input_16(w, src, first, count, v, block, tile);
            multiply(w, v, count, m, wide);
            transform_output_16(w, m, first, count, dst, block, tile);
        } else {
            transform_input_8(w, src, first, count, v, block, tile);
            multiply(w, v, count, m, wide);
            transform_output_8(w, m, first, count, dst, block, tile);
        }
    }
}

// The entry points, one per level: the same steps, compiled for that level's instructions, once
// per layout, register block and tile size. The transforms run on 16-channel vectors where the
// level has them (AVX-512) and the layout allows (16-channel blocks), else on 8.
#define RUN_TILE(w, src, dst, thread, threads, block, wide, lanes)                                    \
    do {                                                                                             \
        if ((w)->tile == 2)                                                                          \
            run_chunks(w, src, dst, thread, threads, block, wide, 2, lanes);                         \
        else                                                                                         \
            run_chunks(w, src, dst, thread, threads, block, wide, 4, lanes);                         \
    } while (0)
#define DEFINE_ENTRY(NAME, FEATURES, WIDE_LANES)                                                      \
    FEATURES static void NAME(const ck_winograd *w, const float *src, float *dst, int thread, int threads) { \
        if (w->block == 8 && !w->wide)                                                               \
            RUN_TILE(w, src, dst, thread, threads, 8, 0, 8);                                         \
        else if (w->block == 8)                                                                      \
            RUN_TILE(w, src, dst, thread, threads, 8, 1, 8);                                         \
        else if (!w->wide)                                                                           \
            RUN_TILE(w, src, dst, thread, threads, 16, 0, WIDE_LANES);                               \
        else                                                                                         \
            RUN_TILE(w, src, dst, thread, threads, 16, 1, WIDE_LANES);                               \
    }
DEFINE_ENTRY(run_portable, , 8)
#if defined(__x86_64__)
DEFINE_ENTRY(run_avx, TARGET("avx"), 8)
DEFINE_ENTRY(run_avx2, TARGET("avx2,fma"), 8)
DEFINE_ENTRY(run_avx512, TARGET("avx512f,avx512bw,avx512dq,avx512vl,avx2,fma"), 16)
#endif

static void run_thread(const ck_winograd *w, const float *src, float *dst, int thread, int threads) {
    switch (w->level) {
#if defined(__x86_64__)
    case CK_KERNELS_AVX512: run_avx512(w, src, dst, thread, threads); break;
    case CK_KERNELS_AVX2: run_avx2(w, src, dst, thread, threads); break;
    case CK_KERNELS_AVX: run_avx(w, src, dst, thread, threads); break;
#endif
    default: run_portable(w, src, dst, thread, threads); break;
    }
}

struct run_args {
    const ck_winograd *w;
    const float *src;
    float *dst;
};

static void run_team(void *data) {
    const struct run_args *a = data;
    int threads = omp_num_threads(), thread = omp_thread_num();
    if (threads > a->w->threads) threads = a->w->threads;  // never index past the scratch
    if (thread < threads) run_thread(a->w, a->src, a->dst, thread, threads);
}

void ck_winograd_run(const ck_winograd *w, const float *src, float *dst) {
    if (w->threads > 1 && gomp_parallel) {
        struct run_args args = {w, src, dst};
        gomp_parallel(run_team, &args, (unsigned)w->threads, 0);
    } else {
        run_thread(w, src, dst, 0, 1);
    }
}
