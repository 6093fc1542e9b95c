import CPortableBLAS

/// The BLAS and LAPACK routines L-BFGS-B runs on: this project's own sequential C definitions
/// (`Sources/CPortableBLAS`), which interpose OpenBLAS's for liblbfgsb in every executable that
/// links this module, so no bit of an attack depends on the CPU's kernel family.
public enum PortableBLAS {
    /// The routines liblbfgsb imports (`nm -D liblbfgsb.so.0`), all defined here.
    public static let routines = ["ddot", "daxpy", "dcopy", "dscal", "dpotrf", "dtrtrs"]

    /// Calls of those routines in this process so far (grows during every L-BFGS-B solve while
    /// the interposition is in effect).
    public static var calls: Int { portable_blas_calls() }

    /// For the report's appendix: what the results' linear algebra runs on, whatever the CPU.
    public static let description =
        "L-BFGS-B's \(routines.joined(separator: ", ")): the project's sequential C code (CPortableBLAS), the same bits on every x86-64 CPU"
}
