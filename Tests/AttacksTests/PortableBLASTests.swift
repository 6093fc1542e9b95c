@testable import Attacks
import CPortableBLAS
import XCTest

/// The sequential BLAS/LAPACK definitions that replace OpenBLAS's under liblbfgsb.
final class PortableBLASTests: XCTestCase {
    func testLBFGSBCallsTheProjectsOwnRoutinesNotOpenBLAS() throws {
        let before = PortableBLAS.calls
        let result = try minimizeLBFGSB(start: [3, -2, 1], lower: [-5, -5, -5], upper: [5, 5, 5]) { x in
            // f = sum_i (i + 1) (x_i - 1)^2
            (x.indices.reduce(0) { $0 + Double($1 + 1) * (x[$1] - 1) * (x[$1] - 1) }, x.indices.map { 2 * Double($0 + 1) * (x[$0] - 1) })
        }
        XCTAssertTrue(result.stop.converged)
        XCTAssertGreaterThan(PortableBLAS.calls - before, 10, "liblbfgsb's BLAS calls reach the interposed definitions")
    }

    func testVectorRoutinesFollowFortranStridesIncludingNegativeOnes() {
        var n: Int32 = 3, one: Int32 = 1, minusOne: Int32 = -1, two: Int32 = 2
        let x: [Double] = [1, 2, 3], y: [Double] = [4, 5, 6]
        XCTAssertEqual(ddot_(&n, x, &one, y, &one), 32)
        // A negative stride walks y backwards: 1*6 + 2*5 + 3*4.
        XCTAssertEqual(ddot_(&n, x, &one, y, &minusOne), 28)
        var a = 2.0, z: [Double] = [1, 0, 1, 0, 1, 0]
        daxpy_(&n, &a, x, &one, &z, &two)
        XCTAssertEqual(z, [3, 0, 5, 0, 7, 0])
        dscal_(&n, &a, &z, &two)
        XCTAssertEqual(z, [6, 0, 10, 0, 14, 0])
        var copy = [Double](repeating: 0, count: 3)
        dcopy_(&n, x, &one, &copy, &minusOne)
        XCTAssertEqual(copy, [3, 2, 1])
    }

    func testCholeskyAndTriangularSolveReproduceAKnownSystem() {
        // A = U^T U with U = [[2, 1, 1], [0, 3, 2], [0, 0, 4]] (column-major below).
        let u: [[Double]] = [[2, 1, 1], [0, 3, 2], [0, 0, 4]]
        var a = [Double](repeating: 0, count: 9)
        for i in 0..<3 { for j in 0..<3 { a[i + 3 * j] = (0..<3).reduce(0) { $0 + u[$1][i] * u[$1][j] } } }
        var n: Int32 = 3, info: Int32 = -99
        dpotrf_("U", &n, &a, &n, &info)
        XCTAssertEqual(info, 0)
        for i in 0..<3 { for j in i..<3 { XCTAssertEqual(a[i + 3 * j], u[i][j], accuracy: 1e-14) } }
        // U^T x = b with b = U^T [1, 1, 1] = [2, 4, 7]: x = [1, 1, 1]; then U x = U [1, 1, 1] = [4, 5, 4].
        var b: [Double] = [2, 4, 7], nrhs: Int32 = 1
        dtrtrs_("U", "T", "N", &n, &nrhs, a, &n, &b, &n, &info)
        XCTAssertEqual(info, 0)
        for v in b { XCTAssertEqual(v, 1, accuracy: 1e-14) }
        var c: [Double] = [4, 5, 4]
        dtrtrs_("U", "N", "N", &n, &nrhs, a, &n, &c, &n, &info)
        for v in c { XCTAssertEqual(v, 1, accuracy: 1e-14) }
        // Not positive definite: info names the failing minor.
        var bad: [Double] = [1, 2, 2, 1]
        var two: Int32 = 2
        dpotrf_("U", &two, &bad, &two, &info)
        XCTAssertEqual(info, 2)
    }
}
