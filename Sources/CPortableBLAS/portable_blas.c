// See include/portable_blas.h. Fortran conventions: every argument by reference, INTEGER is
// 4 bytes, matrices column-major with leading dimension lda, CHARACTER arguments add hidden
// lengths at the end (ignored here: only the first character is read).
#include <math.h>
#include <stdatomic.h>
#include "portable_blas.h"

#pragma STDC FP_CONTRACT OFF

static atomic_long calls;

long portable_blas_calls(void) { return atomic_load(&calls); }

static void count_call(void) { atomic_fetch_add_explicit(&calls, 1, memory_order_relaxed); }

// The first element a Fortran BLAS routine touches for n elements at stride inc.
static long first(int n, int inc) { return inc >= 0 ? 0 : (long)(1 - n) * inc; }

// ddot = sum_i x_i y_i, in index order.
double ddot_(const int *n, const double *x, const int *incx, const double *y, const int *incy) {
    count_call();
    double sum = 0;
    if (*n <= 0) return 0;
    long ix = first(*n, *incx), iy = first(*n, *incy);
    for (int i = 0; i < *n; i++, ix += *incx, iy += *incy) sum = sum + x[ix] * y[iy];
    return sum;
}

// y_i = y_i + a x_i.
void daxpy_(const int *n, const double *a, const double *x, const int *incx, double *y, const int *incy) {
    count_call();
    if (*n <= 0 || *a == 0) return;
    long ix = first(*n, *incx), iy = first(*n, *incy);
    for (int i = 0; i < *n; i++, ix += *incx, iy += *incy) y[iy] = y[iy] + *a * x[ix];
}

// y_i = x_i.
void dcopy_(const int *n, const double *x, const int *incx, double *y, const int *incy) {
    count_call();
    if (*n <= 0) return;
    long ix = first(*n, *incx), iy = first(*n, *incy);
    for (int i = 0; i < *n; i++, ix += *incx, iy += *incy) y[iy] = x[ix];
}

// x_i = a x_i (reference BLAS: no stride <= 0).
void dscal_(const int *n, const double *a, double *x, const int *incx) {
    count_call();
    if (*n <= 0 || *incx <= 0) return;
    for (long i = 0, k = 0; i < *n; i++, k += *incx) x[k] = *a * x[k];
}

static int is(char c, char upper) { return c == upper || c == upper + ('a' - 'A'); }

// Cholesky factorisation, unblocked (LAPACK's dpotf2): A = U^T U ('U') or L L^T ('L'), the
// factor overwriting that triangle. info = j (1-based) if the leading minor of order j is not
// positive definite.
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info) {
    count_call();
    const long ld = *lda;
    const int upper = is(*uplo, 'U');
    *info = 0;
    if (!upper && !is(*uplo, 'L')) { *info = -1; return; }
    if (*n < 0) { *info = -2; return; }
    if (ld < (*n > 1 ? *n : 1)) { *info = -4; return; }
    // A(i, j) = a[i + j ld]; with 'L' the same loops run on the transpose.
#define ELEMENT(i, j) (*(upper ? &a[(i) + (long)(j) * ld] : &a[(j) + (long)(i) * ld]))
    for (int j = 0; j < *n; j++) {
        // u_jj^2 = a_jj - sum_{k<j} u_kj^2
        double ajj = ELEMENT(j, j);
        for (int k = 0; k < j; k++) ajj = ajj - ELEMENT(k, j) * ELEMENT(k, j);
        if (ajj <= 0 || isnan(ajj)) { ELEMENT(j, j) = ajj; *info = j + 1; return; }
        ajj = sqrt(ajj);
        ELEMENT(j, j) = ajj;
        // u_ji = (a_ji - sum_{k<j} u_kj u_ki) / u_jj for i > j
        const double reciprocal = 1.0 / ajj;
        for (int i = j + 1; i < *n; i++) {
            double s = ELEMENT(j, i);
            for (int k = 0; k < j; k++) s = s - ELEMENT(k, j) * ELEMENT(k, i);
            ELEMENT(j, i) = s * reciprocal;
        }
    }
#undef ELEMENT
}

// Solves op(A) X = B for a triangular n x n A ('U' upper / 'L' lower; op = A for 'N', A^T for
// 'T' or 'C'; 'U' diag = unit diagonal), B n x nrhs overwritten by X. info = i if a_ii = 0.
void dtrtrs_(const char *uplo, const char *trans, const char *diag, const int *n, const int *nrhs,
             const double *a, const int *lda, double *b, const int *ldb, int *info) {
    count_call();
    const long la = *lda, lb = *ldb;
    const int upper = is(*uplo, 'U'), transposed = !is(*trans, 'N'), unit = is(*diag, 'U');
    *info = 0;
    if (!upper && !is(*uplo, 'L')) { *info = -1; return; }
    if (transposed && !is(*trans, 'T') && !is(*trans, 'C')) { *info = -2; return; }
    if (!unit && !is(*diag, 'N')) { *info = -3; return; }
    if (*n < 0) { *info = -4; return; }
    if (*nrhs < 0) { *info = -5; return; }
    if (la < (*n > 1 ? *n : 1)) { *info = -7; return; }
    if (lb < (*n > 1 ? *n : 1)) { *info = -9; return; }
    if (!unit) {
        for (int i = 0; i < *n; i++) if (a[i + i * la] == 0) { *info = i + 1; return; }
    }
    // op(A) is lower triangular exactly when (upper and transposed) or (lower and not):
    // then forward substitution, else backward. M(i, k) = op(A)(i, k).
#define M(i, k) (transposed ? a[(k) + (long)(i) * la] : a[(i) + (long)(k) * la])
    const int forward = upper == transposed;
    for (int c = 0; c < *nrhs; c++) {
        double *x = b + (long)c * lb;
        for (int step = 0; step < *n; step++) {
            const int i = forward ? step : *n - 1 - step;
            // x_i = (b_i - sum over solved k of M(i, k) x_k) / M(i, i)
            double s = x[i];
            if (forward) { for (int k = 0; k < i; k++) s = s - M(i, k) * x[k]; }
            else { for (int k = *n - 1; k > i; k--) s = s - M(i, k) * x[k]; }
            x[i] = unit ? s : s / M(i, i);
        }
    }
#undef M
}
