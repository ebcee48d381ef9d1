#ifndef SEGEVAL_CDNNL_H
#define SEGEVAL_CDNNL_H
#include <oneapi/dnnl/dnnl.h>

/// `DNNL_MEMORY_ALLOCATE` is a macro (a pointer constant) that Swift cannot import.
void *cdnnl_memory_allocate(void);
#endif
