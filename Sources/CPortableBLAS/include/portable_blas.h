// Plain sequential definitions of the Fortran BLAS and LAPACK routines that Debian's
// liblbfgsb calls (ddot, daxpy, dcopy, dscal, dpotrf, dtrtrs). Linked into every executable
// that links liblbfgsb, they interpose libblas.so.3 / liblapack.so.3 (OpenBLAS, whose last
// bits depend on the CPU's kernel family): the dynamic linker resolves liblbfgsb's references
// to the executable's definitions first. Every sum runs in index order with separate multiply
// and add (no FMA contraction), so the bits are the same on every x86-64 CPU.
#ifndef PORTABLE_BLAS_H
#define PORTABLE_BLAS_H

/// How many times liblbfgsb has called one of these routines in this process (a test checks
/// that the interposition is in effect: the count grows during a solve).
long portable_blas_calls(void);

// The Fortran entry points (arguments by reference; CHARACTER lengths omitted: only the
// first character is read).
double ddot_(const int *n, const double *x, const int *incx, const double *y, const int *incy);
void daxpy_(const int *n, const double *a, const double *x, const int *incx, double *y, const int *incy);
void dcopy_(const int *n, const double *x, const int *incx, double *y, const int *incy);
void dscal_(const int *n, const double *a, double *x, const int *incx);
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info);
void dtrtrs_(const char *uplo, const char *trans, const char *diag, const int *n, const int *nrhs,
             const double *a, const int *lda, double *b, const int *ldb, int *info);

#endif
