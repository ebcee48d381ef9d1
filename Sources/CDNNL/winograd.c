// Winograd F(2x2, 3x3) convolution on nChw8c activations (see cdnnl.h for the contract).
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
#include "cdnnl.h"
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

typedef float v8 __attribute__((vector_size(32)));
typedef float v8u __attribute__((vector_size(32), aligned(4)));

// Clones of the hot functions for AVX2 + FMA (x86-64-v3) and a baseline, picked at load time.
#if defined(__x86_64__) && defined(__clang__)
#define HOT __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define HOT
#endif
#define INLINE static inline __attribute__((always_inline))

/// Rows of tiles and columns of output channels one register block of the product computes.
enum { MR = 6, NR = 16 };

struct cdnnl_winograd {
    int in_channels, out_channels, height, width;
    int tiles_y, tiles_x, tiles;
    int chunk;            // tiles per chunk, a multiple of MR
    int post_sum, post_relu;
    float *u;             // [16][Cout / NR][Cin][NR], 32-byte aligned
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

cdnnl_winograd *cdnnl_winograd_create(int in_channels, int out_channels, int height, int width,
                                      const double *weights, const double *bias, int post_sum, int post_relu,
                                      int threads) {
    if (in_channels <= 0 || in_channels % 8 || out_channels <= 0 || out_channels % NR || height < 2 || width < 2 ||
        height % 2 || width % 2 || threads < 1)
        return NULL;
    resolve_openmp();
    cdnnl_winograd *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->in_channels = in_channels;
    w->out_channels = out_channels;
    w->height = height;
    w->width = width;
    w->tiles_y = height / 2;
    w->tiles_x = width / 2;
    w->tiles = w->tiles_y * w->tiles_x;
    w->post_sum = post_sum;
    w->post_relu = post_relu;
    w->threads = gomp_parallel ? threads : 1;
    // V and M of a chunk within ~768 KB (L2 is 512 KB to 2 MB on current x86 cores), and at
    // least one chunk per thread.
    int widest = in_channels > out_channels ? in_channels : out_channels;
    int chunk = (int)(768 * 1024 / (16 * sizeof(float) * 2 * (size_t)widest));
    int per_thread = (w->tiles + w->threads - 1) / w->threads;
    if (chunk > per_thread) chunk = per_thread;
    chunk = (chunk + MR - 1) / MR * MR;
    if (chunk < MR) chunk = MR;
    w->chunk = chunk;
    w->scratch_floats = (size_t)16 * chunk * (in_channels + out_channels);
    w->u = aligned_floats((size_t)16 * in_channels * out_channels);
    w->bias = aligned_floats(out_channels);
    w->scratch = aligned_floats(w->scratch_floats * w->threads);
    if (!w->u || !w->bias || !w->scratch) {
        cdnnl_winograd_destroy(w);
        return NULL;
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
                    w->u[((xi * (out_channels / NR) + o / NR) * in_channels + i) * NR + o % NR] = (float)v;
                }
        }
    }
    return w;
}

void cdnnl_winograd_destroy(cdnnl_winograd *w) {
    if (!w) return;
    free(w->u);
    free(w->bias);
    free(w->scratch);
    free(w);
}

// ---- the three steps of one chunk ------------------------------------------------------------

/// V[xi][t][c] = (B^T d B)[xi] for the chunk's tiles, d the 4x4 input patch (zero outside).
INLINE void transform_input(const cdnnl_winograd *w, const float *src, int first, int count, float *v) {
    const int C = w->in_channels, H = w->height, W = w->width, chunk = w->chunk;
    const v8 zero = {0};
    for (int n = 0; n < count; n++) {
        int t = first + n, y0 = (t / w->tiles_x) * 2 - 1, x0 = (t % w->tiles_x) * 2 - 1;
        for (int cb = 0; cb < C / 8; cb++) {
            const float *plane = src + (size_t)cb * H * W * 8;
            v8 d[4][4];
            for (int r = 0; r < 4; r++) {
                int y = y0 + r;
                for (int c = 0; c < 4; c++) {
                    int x = x0 + c;
                    d[r][c] = (y >= 0 && y < H && x >= 0 && x < W) ? *(const v8 *)(plane + ((size_t)y * W + x) * 8) : zero;
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

/// C[MR][NR] = A[MR][K] . B[K][NR] (A rows lda apart, B packed NR-wide rows, C rows ldc apart).
INLINE void product_block(int K, const float *a, int lda, const float *b, float *c, int ldc) {
    v8 c00 = {0}, c01 = {0}, c10 = {0}, c11 = {0}, c20 = {0}, c21 = {0};
    v8 c30 = {0}, c31 = {0}, c40 = {0}, c41 = {0}, c50 = {0}, c51 = {0};
    const float *a0 = a, *a1 = a + lda, *a2 = a + 2 * lda, *a3 = a + 3 * lda, *a4 = a + 4 * lda, *a5 = a + 5 * lda;
    for (int k = 0; k < K; k++) {
        const v8 b0 = *(const v8 *)(b + (size_t)k * NR), b1 = *(const v8 *)(b + (size_t)k * NR + 8);
        float s;
        s = a0[k]; c00 += b0 * s; c01 += b1 * s;
        s = a1[k]; c10 += b0 * s; c11 += b1 * s;
        s = a2[k]; c20 += b0 * s; c21 += b1 * s;
        s = a3[k]; c30 += b0 * s; c31 += b1 * s;
        s = a4[k]; c40 += b0 * s; c41 += b1 * s;
        s = a5[k]; c50 += b0 * s; c51 += b1 * s;
    }
    *(v8u *)(c + 0 * ldc) = c00; *(v8u *)(c + 0 * ldc + 8) = c01;
    *(v8u *)(c + 1 * ldc) = c10; *(v8u *)(c + 1 * ldc + 8) = c11;
    *(v8u *)(c + 2 * ldc) = c20; *(v8u *)(c + 2 * ldc + 8) = c21;
    *(v8u *)(c + 3 * ldc) = c30; *(v8u *)(c + 3 * ldc + 8) = c31;
    *(v8u *)(c + 4 * ldc) = c40; *(v8u *)(c + 4 * ldc + 8) = c41;
    *(v8u *)(c + 5 * ldc) = c50; *(v8u *)(c + 5 * ldc + 8) = c51;
}

/// M[xi] = V[xi] . U[xi] for the 16 positions, rows = the chunk's tiles rounded up to MR.
INLINE void multiply(const cdnnl_winograd *w, const float *v, int count, float *m) {
    const int C = w->in_channels, O = w->out_channels, chunk = w->chunk, rows = (count + MR - 1) / MR * MR;
    for (int xi = 0; xi < 16; xi++) {
        const float *vx = v + (size_t)xi * chunk * C;
        float *mx = m + (size_t)xi * chunk * O;
        for (int panel = 0; panel < O / NR; panel++) {
            const float *u = w->u + ((size_t)xi * (O / NR) + panel) * C * NR;
            for (int r = 0; r < rows; r += MR) product_block(C, vx + (size_t)r * C, C, u, mx + (size_t)r * O + panel * NR, O);
        }
    }
}

/// Y = A^T M A + bias, then the post-ops (dst + Y, ReLU), into the 2x2 output tiles.
INLINE void transform_output(const cdnnl_winograd *w, const float *m, int first, int count, float *dst) {
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
            float *plane = dst + (size_t)ob * H * W * 8;
            for (int c = 0; c < 2; c++) {
                v8 y[2] = {s[0][c] + s[1][c] + s[2][c] + b, s[1][c] - s[2][c] - s[3][c] + b};
                for (int r = 0; r < 2; r++) {
                    v8 *out = (v8 *)(plane + ((size_t)(y0 + r) * W + x0 + c) * 8);
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

struct run_args {
    const cdnnl_winograd *w;
    const float *src;
    float *dst;
};

HOT static void run_thread(const cdnnl_winograd *w, const float *src, float *dst, int thread, int threads) {
    float *v = w->scratch + w->scratch_floats * (size_t)thread;
    float *m = v + (size_t)16 * w->chunk * w->in_channels;
    int chunks = (w->tiles + w->chunk - 1) / w->chunk;
    for (int k = thread; k < chunks; k += threads) {
        int first = k * w->chunk, count = w->tiles - first < w->chunk ? w->tiles - first : w->chunk;
        transform_input(w, src, first, count, v);
        multiply(w, v, count, m);
        transform_output(w, m, first, count, dst);
    }
}

static void run_team(void *data) {
    const struct run_args *a = data;
    int threads = omp_num_threads(), thread = omp_thread_num();
    if (threads > a->w->threads) threads = a->w->threads;  // never index past the scratch
    if (thread < threads) run_thread(a->w, a->src, a->dst, thread, threads);
}

void cdnnl_winograd_run(const cdnnl_winograd *w, const float *src, float *dst) {
    if (w->threads > 1 && gomp_parallel) {
        struct run_args args = {w, src, dst};
        gomp_parallel(run_team, &args, (unsigned)w->threads, 0);
    } else {
        run_thread(w, src, dst, 0, 1);
    }
}
