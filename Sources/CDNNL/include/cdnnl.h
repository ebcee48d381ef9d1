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

/// A 3x3, stride 1, padding 1 convolution computed with Winograd F(2x2, 3x3) (winograd.c), for
/// layers where oneDNN has no Winograd kernel (it has one for AVX-512 only).
/// Source and destination are float32 [1, C, H, W] in oneDNN's `nChw8c` layout (8-channel
/// blocks), 32-byte aligned. Requires C_in % 8 == 0, C_out % 16 == 0, H and W even.
typedef struct cdnnl_winograd cdnnl_winograd;

/// Transforms the weights (OIHW [C_out][C_in][3][3], double; bias [C_out] or NULL) once.
/// Post-ops, in this order: `post_sum` adds the destination's previous value (a residual),
/// `post_relu` applies max(x, 0). `threads`: the OpenMP team size to run on. NULL when the shape
/// is unsupported or memory is short.
cdnnl_winograd *cdnnl_winograd_create(int in_channels, int out_channels, int height, int width,
                                      const double *weights, const double *bias, int post_sum, int post_relu,
                                      int threads);

/// dst = post-ops(conv(src)). `src` and `dst` must not overlap. Not reentrant for one object
/// (it owns its scratch memory).
void cdnnl_winograd_run(const cdnnl_winograd *w, const float *src, float *dst);

void cdnnl_winograd_destroy(cdnnl_winograd *w);
#endif
