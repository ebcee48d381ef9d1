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
#endif
