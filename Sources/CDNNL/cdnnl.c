#define _GNU_SOURCE
#include "cdnnl.h"
#include <dlfcn.h>

void *cdnnl_memory_allocate(void) { return DNNL_MEMORY_ALLOCATE; }

void cdnnl_set_num_threads(int count) {
    void (*set)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_num_threads");
    if (set && count > 0) set(count);
}

int cdnnl_get_max_threads(void) {
    int (*get)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "omp_get_max_threads");
    return get ? get() : 1;
}
