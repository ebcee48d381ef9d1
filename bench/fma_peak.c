// The CPU's float32 FMA peak, measured: each thread runs independent AVX-512 (or, built without
// it, AVX2) fused multiply-adds on registers only, 12 accumulators deep (more than FMA latency x
// FMA ports), so nothing but the FMA units limits it. The roofline that docs/predict.md compares
// Inf-Net's 1x1 convolutions against.
//
//   gcc -O2 -march=native -pthread bench/fma_peak.c -o /tmp/fma_peak && /tmp/fma_peak 2
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__AVX512F__)
typedef __m512 vec;
#define LANES 16
#define SET1 _mm512_set1_ps
#define FMA _mm512_fmadd_ps
#define SUM _mm512_reduce_add_ps
#else
typedef __m256 vec;
#define LANES 8
#define SET1 _mm256_set1_ps
#define FMA _mm256_fmadd_ps
static float SUM(__m256 v) {
    float f[8];
    _mm256_storeu_ps(f, v);
    return f[0] + f[1] + f[2] + f[3] + f[4] + f[5] + f[6] + f[7];
}
#endif

enum { ROUNDS = 330000000 };  // x 12 FMAs per thread

static void *spin(void *result) {
    const vec b = SET1(0.9999f), c = SET1(1e-7f);
    vec a0 = SET1(0), a1 = SET1(1), a2 = SET1(2), a3 = SET1(3), a4 = SET1(4), a5 = SET1(5);
    vec a6 = SET1(6), a7 = SET1(7), a8 = SET1(8), a9 = SET1(9), a10 = SET1(10), a11 = SET1(11);
    for (long n = 0; n < ROUNDS; n++) {
        a0 = FMA(a0, b, c); a1 = FMA(a1, b, c); a2 = FMA(a2, b, c); a3 = FMA(a3, b, c);
        a4 = FMA(a4, b, c); a5 = FMA(a5, b, c); a6 = FMA(a6, b, c); a7 = FMA(a7, b, c);
        a8 = FMA(a8, b, c); a9 = FMA(a9, b, c); a10 = FMA(a10, b, c); a11 = FMA(a11, b, c);
    }
    // Used, so the loop is not optimised away.
    *(float *)result = SUM(a0) + SUM(a1) + SUM(a2) + SUM(a3) + SUM(a4) + SUM(a5) + SUM(a6) + SUM(a7) +
                       SUM(a8) + SUM(a9) + SUM(a10) + SUM(a11);
    return NULL;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    if (threads < 1 || threads > 256) return 2;
    pthread_t ids[256];
    float results[256];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < threads; i++) pthread_create(&ids[i], NULL, spin, &results[i]);
    for (int i = 0; i < threads; i++) pthread_join(ids[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec);
    double flops = 2.0 * LANES * 12.0 * ROUNDS * threads;
    printf("%d thread%s, %d-float FMAs: %.1f GFLOP/s (%.2f s; checksum %g)\n", threads, threads == 1 ? "" : "s", LANES,
           flops / seconds / 1e9, seconds, results[0]);
    return 0;
}
