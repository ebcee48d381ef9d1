// Winograd F(2x2, 3x3) convolution on nChw8c or nChw16c activations (see ckernels.h for the contract).
//
// A 3x3 convolution computes each 2x2 output tile from a 4x4 input patch d:
//     Y = A^T [ (G g G^T) ⊙ (B^T d B) ] A
// (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", CVPR 2016). Summed over
// input channels, the elementwise product becomes 16 independent matrix products, one per
// position xi of the 4x4 transformed tile:  M[xi] (tiles x Cout) = V[xi] (tiles x Cin) . U[xi]
// (Cin x Cout). That is 16 multiply-adds per 2x2 outputs per channel pair instead of 36.
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
    int tiles_y, tiles_x, tiles;
    int chunk;            // tiles per chunk, a multiple of mr
    int post_sum, post_relu;
    float *u;             // [16][Cout / nr][Cin][nr], 64-byte aligned
    float *bias;          // [Cout]
    float *scratch;       // per thread: V [16][chunk][Cin] then M [16][chunk][Cout]
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
                             int wide, const double *weights, const double *bias, int post_sum, int post_relu, int threads,
                             ck_winograd **out) {
    *out = NULL;
    if ((int)level < (int)CK_KERNELS_PORTABLE || level > ck_kernel_level_supported()) return CK_UNSUPPORTED;
    wide = wide ? 1 : 0;
    const int mr = rows_per_block(wide), nr = ck_winograd_output_multiple(wide);
    if ((block != 8 && block != 16) || in_channels <= 0 || in_channels % block || out_channels <= 0 ||
        out_channels % block || out_channels % nr || height < 2 || width < 2 || height % 2 || width % 2 || threads < 1)
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
    w->tiles_y = height / 2;
    w->tiles_x = width / 2;
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
    int chunk = (int)((size_t)4096 * 1024 / (16 * sizeof(float) * 2 * (size_t)widest));
    int per_thread = (w->tiles + w->threads - 1) / w->threads;
    if (chunk > per_thread) chunk = per_thread;
    chunk = (chunk + mr - 1) / mr * mr;
    if (chunk < mr) chunk = mr;
    w->chunk = chunk;
    w->scratch_floats = (size_t)16 * chunk * (in_channels + out_channels);
    w->u = aligned_floats((size_t)16 * in_channels * out_channels);
    w->bias = aligned_floats(out_channels);
    w->scratch = aligned_floats(w->scratch_floats * w->threads);
    if (!w->u || !w->bias || !w->scratch) {
        ck_winograd_destroy(w);
        return CK_OUT_OF_MEMORY;
    }
    static const double G[4][3] = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
    for (int o = 0; o < out_channels; o++) {
        w->bias[o] = bias ? (float)bias[o] : 0.0f;
        for (int i = 0; i < in_channels; i++) {
            const double *g = weights + ((size_t)o * in_channels + i) * 9;
            double gg[4][3];  // G g
            for (int r = 0; r < 4; r++)
                for (int c = 0; c < 3; c++) gg[r][c] = G[r][0] * g[c] + G[r][1] * g[3 + c] + G[r][2] * g[6 + c];
            for (int r = 0; r < 4; r++)
                for (int c = 0; c < 4; c++) {
                    double v = gg[r][0] * G[c][0] + gg[r][1] * G[c][1] + gg[r][2] * G[c][2];
                    size_t xi = (size_t)(r * 4 + c);
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

/// V[xi][t][c] = (B^T d B)[xi] for the chunk's tiles, d the 4x4 input patch (zero outside).
INLINE void transform_input(const ck_winograd *w, const float *src, int first, int count, float *v, const int block) {
    const int C = w->in_channels, H = w->height, W = w->width, chunk = w->chunk;
    const v8 zero = {0};
    for (int n = 0; n < count; n++) {
        int t = first + n, y0 = (t / w->tiles_x) * 2 - 1, x0 = (t % w->tiles_x) * 2 - 1;
        for (int cb = 0; cb < C / 8; cb++) {
            // Channels cb*8 .. cb*8+7: block cb*8/block, lane offset cb*8%block within it.
            const float *plane = src + (size_t)(cb * 8 / block) * H * W * block + (cb * 8) % block;
            v8 d[4][4];
            for (int r = 0; r < 4; r++) {
                int y = y0 + r;
                for (int c = 0; c < 4; c++) {
                    int x = x0 + c;
                    d[r][c] = (y >= 0 && y < H && x >= 0 && x < W) ? *(const v8 *)(plane + ((size_t)y * W + x) * block) : zero;
                }
            }
            v8 e[4][4];  // B^T d: rows d0 - d2, d1 + d2, d2 - d1, d1 - d3
            for (int c = 0; c < 4; c++) {
                e[0][c] = d[0][c] - d[2][c];
                e[1][c] = d[1][c] + d[2][c];
                e[2][c] = d[2][c] - d[1][c];
                e[3][c] = d[1][c] - d[3][c];
            }
            float *out = v + (size_t)n * C + cb * 8;
            const size_t plane_stride = (size_t)chunk * C;
            for (int r = 0; r < 4; r++) {  // (B^T d) B: the same combination of columns
                *(v8u *)(out + (r * 4 + 0) * plane_stride) = e[r][0] - e[r][2];
                *(v8u *)(out + (r * 4 + 1) * plane_stride) = e[r][1] + e[r][2];
                *(v8u *)(out + (r * 4 + 2) * plane_stride) = e[r][2] - e[r][1];
                *(v8u *)(out + (r * 4 + 3) * plane_stride) = e[r][1] - e[r][3];
            }
        }
    }
}

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

/// M[xi] = V[xi] . U[xi] for the 16 positions, rows = the chunk's tiles rounded up to mr.
INLINE void multiply(const ck_winograd *w, const float *v, int count, float *m, const int wide) {
    const int C = w->in_channels, O = w->out_channels, chunk = w->chunk;
    const int mr = rows_per_block(wide), nr = ck_winograd_output_multiple(wide);
    const int rows = (count + mr - 1) / mr * mr;
    for (int xi = 0; xi < 16; xi++) {
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

/// Y = A^T M A + bias, then the post-ops (dst + Y, ReLU), into the 2x2 output tiles.
INLINE void transform_output(const ck_winograd *w, const float *m, int first, int count, float *dst, const int block) {
    const int O = w->out_channels, H = w->height, W = w->width, chunk = w->chunk;
    const size_t plane_stride = (size_t)chunk * O;
    const v8 zero = {0};
    for (int n = 0; n < count; n++) {
        int t = first + n, y0 = (t / w->tiles_x) * 2, x0 = (t % w->tiles_x) * 2;
        for (int ob = 0; ob < O / 8; ob++) {
            const float *in = m + (size_t)n * O + ob * 8;
            v8 s[4][2];  // rows of M A: columns m0 + m1 + m2, m1 - m2 - m3
            for (int r = 0; r < 4; r++) {
                v8 m0 = *(const v8u *)(in + (r * 4 + 0) * plane_stride), m1 = *(const v8u *)(in + (r * 4 + 1) * plane_stride);
                v8 m2 = *(const v8u *)(in + (r * 4 + 2) * plane_stride), m3 = *(const v8u *)(in + (r * 4 + 3) * plane_stride);
                s[r][0] = m0 + m1 + m2;
                s[r][1] = m1 - m2 - m3;
            }
            const v8 b = *(const v8u *)(w->bias + ob * 8);
            float *plane = dst + (size_t)(ob * 8 / block) * H * W * block + (ob * 8) % block;
            for (int c = 0; c < 2; c++) {
                v8 y[2] = {s[0][c] + s[1][c] + s[2][c] + b, s[1][c] - s[2][c] - s[3][c] + b};
                for (int r = 0; r < 2; r++) {
                    v8 *out = (v8 *)(plane + ((size_t)(y0 + r) * W + x0 + c) * block);
                    v8 value = y[r];
                    if (w->post_sum) value += *out;
                    if (w->post_relu) value = __builtin_elementwise_max(value, zero);
                    *out = value;
                }
            }
        }
    }
}

// ---- running ---------------------------------------------------------------------------------

/// One thread's share of the chunks, for one layout and register block.
INLINE void run_chunks(const ck_winograd *w, const float *src, float *dst, int thread, int threads, const int block,
                       const int wide) {
    float *v = w->scratch + w->scratch_floats * (size_t)thread;
    float *m = v + (size_t)16 * w->chunk * w->in_channels;
    int chunks = (w->tiles + w->chunk - 1) / w->chunk;
    for (int k = thread; k < chunks; k += threads) {
        int first = k * w->chunk, count = w->tiles - first < w->chunk ? w->tiles - first : w->chunk;
        transform_input(w, src, first, count, v, block);
        multiply(w, v, count, m, wide);
        transform_output(w, m, first, count, dst, block);
    }
}

// The entry points, one per level: the same steps, compiled for that level's instructions.
#define DEFINE_ENTRY(NAME, FEATURES)                                                                  \
    FEATURES static void NAME(const ck_winograd *w, const float *src, float *dst, int thread, int threads) { \
        if (w->block == 8 && !w->wide)                                                               \
            run_chunks(w, src, dst, thread, threads, 8, 0);                                          \
        else if (w->block == 8)                                                                      \
            run_chunks(w, src, dst, thread, threads, 8, 1);                                          \
        else if (!w->wide)                                                                           \
            run_chunks(w, src, dst, thread, threads, 16, 0);                                         \
        else                                                                                         \
            run_chunks(w, src, dst, thread, threads, 16, 1);                                         \
    }
DEFINE_ENTRY(run_portable, )
#if defined(__x86_64__)
DEFINE_ENTRY(run_avx, TARGET("avx"))
DEFINE_ENTRY(run_avx2, TARGET("avx2,fma"))
DEFINE_ENTRY(run_avx512, TARGET("avx512f,avx512bw,avx512dq,avx512vl,avx2,fma"))
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
