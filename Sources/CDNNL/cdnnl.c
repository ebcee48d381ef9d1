#include "cdnnl.h"
void *cdnnl_memory_allocate(void) { return DNNL_MEMORY_ALLOCATE; }
