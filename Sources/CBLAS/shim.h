#include <cblas.h>
// OpenBLAS extensions: pin the thread count so sums do not depend on it.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_corename(void);
char *openblas_get_config(void);
