#include <cblas.h>
// Declared by OpenBLAS (openblas_config.h / cblas.h); repeated so the module builds against either header layout.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
