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
// Work is split into chunks of tiles; every chunk reads all of U. Where U is small (the large,
// narrow layers) each thread takes whole chunks, sized for V and M to stay in its share of the
// cache. Where U is large (the small, wide layers: 75 MB at 1024 -> 512 channels) reading it once
// per thread's chunk would dominate, so the threads share each chunk instead ("shared chunks"):
// they transform its tiles in parts, multiply it by parts of U (positions x output panels), and
// transform it back in parts, with a barrier between the steps (choose_chunks). Threads are
// libgomp's (the team oneDNN itself runs on), found at run time; without libgomp everything runs
// on the calling thread.
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
    int padded_out;       // out_channels rounded up to the product's panel (nr): U's and M's columns
    int block;            // channels per block of the activations' layout: 8 or 16
    ck_kernel_level level;
    int wide;             // the 12 x 32 register block (rows_per_block, ck_winograd_output_multiple)
    int tile;             // outputs per tile side: 2 (F(2x2,3x3)) or 4 (F(4x4,3x3))
    int positions;        // (tile + 2)^2: the transformed tile's positions, 16 or 36
    int tiles_y, tiles_x, tiles;
    int chunk;            // tiles per chunk, a multiple of mr
    int shared;           // the threads share each chunk (else each thread takes whole chunks)
    size_t v_stride, m_stride;  // floats between two positions' planes of V and of M (planes_apart)
    int post_sum, post_relu;
    float *u;             // [positions][padded_out / nr][Cin][nr], 64-byte aligned, zero past Cout
    float *bias;          // [Cout]
    int threads;
    size_t scratch_floats;  // V [positions][chunk][Cin] then M [positions][chunk][padded_out], per thread (or one if shared)
};

static void *aligned_floats(size_t count) {
    void *p = NULL;
    if (posix_memalign(&p, 64, (count ? count : 1) * sizeof(float)) != 0) return NULL;
    memset(p, 0, (count ? count : 1) * sizeof(float));
    return p;
}

/// The distance, in floats, between two positions' planes of V (or M) holding `floats` each: an odd
/// number of 64-byte lines. The transforms read or write all 16 or 36 planes for every tile;
/// planes a multiple of 4 KB apart (chunk x channels often are: 120 x 128 floats) would all map to
/// the same set of a 4 KB-per-way L1 cache, 36 lines competing for its 8 or 12 ways.
static size_t planes_apart(size_t floats) {
    size_t lines = (floats + 15) / 16;
    return (lines | 1) * 16;
}

// ---- the OpenMP team, looked up at run time --------------------------------------------------

typedef void (*gomp_parallel_fn)(void (*)(void *), void *, unsigned, unsigned);
typedef int (*omp_int_fn)(void);
static gomp_parallel_fn gomp_parallel;
static omp_int_fn omp_thread_num, omp_num_threads;
static void (*gomp_barrier)(void);

static void resolve_openmp(void) {
    static int resolved;
    if (resolved) return;
    gomp_parallel = (gomp_parallel_fn)dlsym(RTLD_DEFAULT, "GOMP_parallel");
    omp_thread_num = (omp_int_fn)dlsym(RTLD_DEFAULT, "omp_get_thread_num");
    omp_num_threads = (omp_int_fn)dlsym(RTLD_DEFAULT, "omp_get_num_threads");
    gomp_barrier = (void (*)(void))dlsym(RTLD_DEFAULT, "GOMP_barrier");
    if (!omp_thread_num || !omp_num_threads || !gomp_barrier) gomp_parallel = NULL;
    resolved = 1;
}

// ---- chunks -----------------------------------------------------------------------------------

/// Chooses the chunk size and whether threads share chunks, by the bytes each choice moves
/// between memory and the cache: U once per chunk where it exceeds the cache (CACHED_U), plus V
/// and M written and read back where a chunk's V and M exceed the cache (CHUNK_BYTES). Chunks sized
/// for L2 (768 KB: 6 tiles at wide layers) made the wide layers stream U for every 6 tiles; a
/// thread's own chunk of ~4 MB measured 25 % faster on the multi-class U-Net (Zen 3, one thread).
/// With two threads, the 1024 -> 512 layer at 44 x 44 still read its 75 MB U six times (453 MB);
/// shared chunks of all 121 tiles read it once and move 58 MB of V and M.
static void choose_chunks(ck_winograd *w, int mr) {
    enum { CHUNK_BYTES = 4 << 20, CACHED_U = 8 << 20, SHARED_LIMIT = 64 << 20 };
    const double u_bytes = (double)w->positions * w->in_channels * w->padded_out * sizeof(float);
    const double row_bytes = (double)w->positions * (w->in_channels + w->padded_out) * sizeof(float);
    const int all = (w->tiles + mr - 1) / mr * mr;
    // Each thread its own chunks of up to CHUNK_BYTES, at least one chunk per thread.
    int own = (int)(CHUNK_BYTES / row_bytes);
    int per_thread = (w->tiles + w->threads - 1) / w->threads;
    if (own > per_thread) own = per_thread;
    own = (own + mr - 1) / mr * mr;
    if (own < mr) own = mr;
    double own_cost = u_bytes > CACHED_U ? u_bytes * ((w->tiles + own - 1) / own) : 0;
    w->chunk = own;
    w->shared = 0;
    if (w->threads < 2 || own_cost == 0) return;
    // Shared chunks: of the threads' cache together, or of all tiles (V and M then spill).
    int together = (int)((double)CHUNK_BYTES * w->threads / row_bytes) / mr * mr;
    if (together < mr) together = mr;
    if (together > all) together = all;
    double together_cost = u_bytes * ((w->tiles + together - 1) / together);
    double all_cost = row_bytes * all > (double)CHUNK_BYTES * w->threads ? u_bytes + 2 * row_bytes * all : u_bytes;
    if (row_bytes * all > SHARED_LIMIT) all_cost = together_cost;
    int shared = all_cost < together_cost ? all : together;
    double shared_cost = all_cost < together_cost ? all_cost : together_cost;
    // Equal costs: shared, which also keeps every thread busy when there are fewer chunks than threads.
    if (shared_cost <= own_cost) {
        w->chunk = shared;
        w->shared = 1;
    }
}

/// The layout of V and M for the chosen chunks.
static void lay_out_scratch(ck_winograd *w) {
    w->v_stride = planes_apart((size_t)w->chunk * w->in_channels);
    w->m_stride = planes_apart((size_t)w->chunk * w->padded_out);
    w->scratch_floats = (size_t)w->positions * (w->v_stride + w->m_stride);
}

size_t ck_winograd_scratch_floats(const ck_winograd *w) {
    return w->scratch_floats * (w->shared ? 1 : (size_t)w->threads);
}

int ck_winograd_shares_chunks(const ck_winograd *w, int *chunk_tiles) {
    if (chunk_tiles) *chunk_tiles = w->chunk;
    return w->shared;
}

ck_status ck_winograd_set_chunks(ck_winograd *w, int shared, int chunk_tiles, int threads) {
    const int mr = rows_per_block(w->wide);
    if (chunk_tiles < 1 || threads < 1) return CK_UNSUPPORTED;
    w->shared = shared ? 1 : 0;
    w->chunk = (chunk_tiles + mr - 1) / mr * mr;
    w->threads = gomp_parallel ? threads : 1;
    lay_out_scratch(w);
    return CK_OK;
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
        out_channels <= 0 || out_channels % block || height < 2 || width < 2 ||
        (tile == 2 && (height % 2 || width % 2)) || threads < 1)
        return CK_UNSUPPORTED;
    resolve_openmp();
    ck_winograd *w = calloc(1, sizeof *w);
    if (!w) return CK_OUT_OF_MEMORY;
    w->in_channels = in_channels;
    w->out_channels = out_channels;
    w->padded_out = (out_channels + nr - 1) / nr * nr;
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
    choose_chunks(w, mr);
    lay_out_scratch(w);
    w->u = aligned_floats((size_t)w->positions * in_channels * w->padded_out);  // zero: the padding's weights
    w->bias = aligned_floats(out_channels);
    if (!w->u || !w->bias) {
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
                    w->u[((xi * (w->padded_out / nr) + o / nr) * in_channels + i) * nr + o % nr] = (float)v;
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
    /* One tile's patches, all channel vectors; `interior`: the whole patch lies in the image (a   \
       constant at both call sites, so the bounds checks vanish from the common case). */         \
    INLINE void input_tile##SUFFIX(const ck_winograd *w, const float *src, int y0, int x0, float *out, const int block, \
                                   const int tile, const int interior) {                              \
        enum { PMAX = 6 };                                                                           \
        const int P = tile + 2;                                                                      \
        const int C = w->in_channels, H = w->height, W = w->width;                                   \
        const VEC zero = {0};                                                                        \
        const size_t plane_stride = w->v_stride;                                                     \
        for (int cb = 0; cb < C / VL; cb++) {                                                        \
            /* Channels cb*VL ...: block cb*VL/block, lane offset cb*VL%block within it. */          \
            const float *plane = src + (size_t)(cb * VL / block) * H * W * block + (cb * VL) % block; \
            VEC d[PMAX][PMAX]; /* d[c][r]: column c of the patch */                                  \
            _Pragma("unroll") for (int r = 0; r < P; r++) {                                          \
                int y = y0 + r;                                                                      \
                _Pragma("unroll") for (int c = 0; c < P; c++) {                                      \
                    int x = x0 + c;                                                                  \
                    d[c][r] = (interior || (y >= 0 && y < H && x >= 0 && x < W))                     \
                                  ? *(const VEC *)(plane + ((size_t)y * W + x) * block)              \
                                  : zero;                                                            \
                }                                                                                    \
            }                                                                                        \
            VEC e[PMAX][PMAX]; /* e[r][c] = (B^T d)[r][c] */                                         \
            _Pragma("unroll") for (int c = 0; c < P; c++) {                                          \
                VEC column[PMAX];                                                                    \
                input_points##SUFFIX(d[c], column, tile);                                            \
                _Pragma("unroll") for (int r = 0; r < P; r++) e[r][c] = column[r];                   \
            }                                                                                        \
            _Pragma("unroll") for (int r = 0; r < P; r++) { /* (B^T d) B: the same on columns */     \
                VEC row[PMAX];                                                                       \
                input_points##SUFFIX(e[r], row, tile);                                               \
                _Pragma("unroll") for (int c = 0; c < P; c++)                                        \
                    *(VECU *)(out + cb * VL + (r * P + c) * plane_stride) = row[c];                  \
            }                                                                                        \
        }                                                                                            \
    }                                                                                                \
    INLINE void transform_input##SUFFIX(const ck_winograd *w, const float *src, int first, int count, float *v, \
                                        const int block, const int tile) {                           \
        const int P = tile + 2;                                                                      \
        for (int n = 0; n < count; n++) {                                                            \
            int t = first + n, y0 = (t / w->tiles_x) * tile - 1, x0 = (t % w->tiles_x) * tile - 1;  \
            float *out = v + (size_t)n * w->in_channels;                                             \
            if (y0 >= 0 && x0 >= 0 && y0 + P <= w->height && x0 + P <= w->width)                     \
                input_tile##SUFFIX(w, src, y0, x0, out, block, tile, 1);                             \
            else                                                                                     \
                input_tile##SUFFIX(w, src, y0, x0, out, block, tile, 0);                             \
        }                                                                                            \
    }                                                                                                \
    INLINE void transform_output##SUFFIX(const ck_winograd *w, const float *m, int first, int count, float *dst, \
                                         const int block, const int tile) {                          \
        enum { PMAX = 6, TMAX = 4 };                                                                 \
        const int P = tile + 2;                                                                      \
        const int O = w->out_channels, H = w->height, W = w->width;                                  \
        const size_t plane_stride = w->m_stride;                                                     \
        const VEC zero = {0};                                                                        \
        for (int n = 0; n < count; n++) {                                                            \
            int t = first + n, y0 = (t / w->tiles_x) * tile, x0 = (t % w->tiles_x) * tile;          \
            int rows = H - y0 < tile ? H - y0 : tile, cols = W - x0 < tile ? W - x0 : tile;          \
            for (int ob = 0; ob < O / VL; ob++) {                                                    \
                const float *in = m + (size_t)n * w->padded_out + ob * VL;                           \
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

/// M[xi] = V[xi] . U[xi], rows = the chunk's tiles rounded up to mr, for the units [begin, end)
/// of the positions x output panels (unit = xi x panels + panel; all of them: 0 ..< units(w)).
INLINE int units(const ck_winograd *w) { return w->positions * (w->padded_out / ck_winograd_output_multiple(w->wide)); }
INLINE void multiply(const ck_winograd *w, const float *v, int count, float *m, const int wide, int begin, int end) {
    const int C = w->in_channels, O = w->padded_out;
    const int mr = rows_per_block(wide), nr = ck_winograd_output_multiple(wide), panels = O / nr;
    const int rows = (count + mr - 1) / mr * mr;
    for (int unit = begin; unit < end; unit++) {
        const int xi = unit / panels, panel = unit % panels;
        const float *vx = v + (size_t)xi * w->v_stride;
        float *mx = m + (size_t)xi * w->m_stride;
        const float *u = w->u + ((size_t)xi * panels + panel) * C * nr;
        for (int r = 0; r < rows; r += mr) {
            if (wide)
                product_12x32(C, vx + (size_t)r * C, C, u, mx + (size_t)r * O + panel * nr, O);
            else
                product_6x16(C, vx + (size_t)r * C, C, u, mx + (size_t)r * O + panel * nr, O);
        }
    }
}

// ---- running ---------------------------------------------------------------------------------

/// Part `thread` of `threads` of the range 0 ..< n.
INLINE int part(int n, int thread, int threads) { return (int)((long long)n * thread / threads); }

/// One thread's share of the work, for one layout and register block: its own chunks, or its
/// parts of every shared chunk (tiles [a, b) of the chunk are rows a ..< b of V and M).
INLINE void run_chunks(const ck_winograd *w, const float *src, float *dst, float *scratch, int thread, int threads,
                       const int block, const int wide, const int tile, const int lanes) {
    const int C = w->in_channels, O = w->padded_out;
    const int shared = w->shared;
    float *v = scratch + (shared ? 0 : w->scratch_floats * (size_t)thread);
    float *m = v + (size_t)w->positions * w->v_stride;
    int chunks = (w->tiles + w->chunk - 1) / w->chunk;
    for (int k = shared ? 0 : thread; k < chunks; k += shared ? 1 : threads) {
        int first = k * w->chunk, count = w->tiles - first < w->chunk ? w->tiles - first : w->chunk;
        int a = shared ? part(count, thread, threads) : 0, b = shared ? part(count, thread + 1, threads) : count;
        int begin = shared ? part(units(w), thread, threads) : 0;
        int end = shared ? part(units(w), thread + 1, threads) : units(w);
        if (lanes == 16)
            transform_input_16(w, src, first + a, b - a, v + (size_t)a * C, block, tile);
        else
            transform_input_8(w, src, first + a, b - a, v + (size_t)a * C, block, tile);
        if (shared) gomp_barrier();  // V complete (and every part of the last chunk's M read)
        multiply(w, v, count, m, wide, begin, end);
        if (shared) gomp_barrier();  // M complete
        if (lanes == 16)
            transform_output_16(w, m + (size_t)a * O, first + a, b - a, dst, block, tile);
        else
            transform_output_8(w, m + (size_t)a * O, first + a, b - a, dst, block, tile);
    }
}

// The entry points, one per level: the same steps, compiled for that level's instructions, once
// per layout, register block and tile size. The transforms run on 16-channel vectors where the
// level has them (AVX-512) and the layout allows (16-channel blocks), else on 8.
#define RUN_TILE(w, src, dst, scratch, thread, threads, block, wide, lanes)                          \
    do {                                                                                             \
        if ((w)->tile == 2)                                                                          \
            run_chunks(w, src, dst, scratch, thread, threads, block, wide, 2, lanes);                \
        else                                                                                         \
            run_chunks(w, src, dst, scratch, thread, threads, block, wide, 4, lanes);                \
    } while (0)
#define DEFINE_ENTRY(NAME, FEATURES, WIDE_LANES)                                                     \
    FEATURES static void NAME(const ck_winograd *w, const float *src, float *dst, float *scratch, int thread, int threads) { \
        if (w->block == 8 && !w->wide)                                                               \
            RUN_TILE(w, src, dst, scratch, thread, threads, 8, 0, 8);                                \
        else if (w->block == 8)                                                                      \
            RUN_TILE(w, src, dst, scratch, thread, threads, 8, 1, 8);                                \
        else if (!w->wide)                                                                           \
            RUN_TILE(w, src, dst, scratch, thread, threads, 16, 0, WIDE_LANES);                      \
        else                                                                                         \
            RUN_TILE(w, src, dst, scratch, thread, threads, 16, 1, WIDE_LANES);                      \
    }
DEFINE_ENTRY(run_portable, , 8)
#if defined(__x86_64__)
DEFINE_ENTRY(run_avx, TARGET("avx"), 8)
DEFINE_ENTRY(run_avx2, TARGET("avx2,fma"), 8)
DEFINE_ENTRY(run_avx512, TARGET("avx512f,avx512bw,avx512dq,avx512vl,avx2,fma"), 16)
#endif

static void run_thread(const ck_winograd *w, const float *src, float *dst, float *scratch, int thread, int threads) {
    switch (w->level) {
#if defined(__x86_64__)
    case CK_KERNELS_AVX512: run_avx512(w, src, dst, scratch, thread, threads); break;
    case CK_KERNELS_AVX2: run_avx2(w, src, dst, scratch, thread, threads); break;
    case CK_KERNELS_AVX: run_avx(w, src, dst, scratch, thread, threads); break;
#endif
    default: run_portable(w, src, dst, scratch, thread, threads); break;
    }
}

struct run_args {
    const ck_winograd *w;
    const float *src;
    float *dst, *scratch;
};

static void run_team(void *data) {
    const struct run_args *a = data;
    int threads = omp_num_threads(), thread = omp_thread_num();
    // Shared chunks: every thread of the team takes part (each meets every barrier). Own chunks:
    // never more threads than there is scratch for.
    if (!a->w->shared && threads > a->w->threads) threads = a->w->threads;
    if (thread < threads) run_thread(a->w, a->src, a->dst, a->scratch, thread, threads);
}

void ck_winograd_run(const ck_winograd *w, const float *src, float *dst, float *scratch) {
    if (w->threads > 1 && gomp_parallel) {
        struct run_args args = {w, src, dst, scratch};
        gomp_parallel(run_team, &args, (unsigned)w->threads, 0);
    } else {
        run_thread(w, src, dst, scratch, 0, 1);
    }
}
