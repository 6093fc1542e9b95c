// Debian's liblbfgsb: L-BFGS-B 3.0 (Byrd, Lu, Nocedal, Zhu), Fortran, no header of its own.
// Fortran passes everything by reference; INTEGER and LOGICAL are 4 bytes; the two
// CHARACTER*60 arguments (task, csave) add hidden length arguments at the end.
#include <stddef.h>
void setulb_(const int *n, const int *m, double *x, const double *l, const double *u,
             const int *nbd, double *f, double *g, const double *factr, const double *pgtol,
             double *wa, int *iwa, char *task, const int *iprint, char *csave, int *lsave,
             int *isave, double *dsave, size_t task_len, size_t csave_len);
