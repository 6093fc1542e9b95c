@testable import Attacks
import XCTest

/// The wrapper against the known answers of PLATFORM.md (scipy's L-BFGS-B gives the same).
final class LBFGSBTests: XCTestCase {
    let start = (0..<10).map { $0 % 2 == 0 ? -1.2 : 1.0 }
    let settings = LBFGSBSettings(memory: 10, factr: 1e7, pgtol: 1e-5, maxEvaluations: 1000)

    func solveRosenbrock(upper: Double) throws -> LBFGSBResult {
        try minimizeLBFGSB(start: start, lower: Array(repeating: -2, count: 10),
                           upper: Array(repeating: upper, count: 10), settings: settings, evaluate: rosenbrock)
    }

    func testRosenbrockInsideLooseBoundsReachesTheMinimumInTheKnownSteps() throws {
        let result = try solveRosenbrock(upper: 2)
        XCTAssertEqual(result.iterations, 62)
        XCTAssertEqual(result.evaluations, 76)
        XCTAssertEqual(result.stop, .convergedRelativeReduction)
        XCTAssertLessThan(result.f, 1e-9)
        for v in result.x { XCTAssertEqual(v, 1, accuracy: 1e-5) }
    }

    func testRosenbrockWithAnActiveUpperBoundStopsOnTheBoundAtTheKnownPoint() throws {
        let result = try solveRosenbrock(upper: 0.5)
        XCTAssertEqual(result.iterations, 27)
        XCTAssertEqual(result.evaluations, 33)
        XCTAssertEqual(result.stop, .convergedProjectedGradient)
        XCTAssertEqual(result.f, 7.594813, accuracy: 1e-6)
        let expected = [0.5, 0.263066, 0.080031, 0.016574, 0.010381, 0.010212, 0.010208, 0.010204, 0.010004, 0.0001]
        for (v, e) in zip(result.x, expected) { XCTAssertEqual(v, e, accuracy: 2e-6) }
        XCTAssertEqual(result.x[0], 0.5, "the first variable sits exactly on its bound")
    }

    func testEvaluationLimitIsNeverExceededAndReturnsTheLastAcceptedIterate() throws {
        var limited = settings
        limited.maxEvaluations = 20
        var count = 0
        let result = try minimizeLBFGSB(start: start, lower: Array(repeating: -2, count: 10),
                                        upper: Array(repeating: 2, count: 10), settings: limited) { x, g in
            count += 1
            return rosenbrock(x, g)
        }
        XCTAssertEqual(result.stop, .evaluationLimit)
        XCTAssertEqual(result.evaluations, 20)
        XCTAssertEqual(count, 20)
        let check = [Double](repeating: 0, count: 10)
        var g = check
        let f = result.x.withUnsafeBufferPointer { x in g.withUnsafeMutableBufferPointer { rosenbrock(x, $0) } }
        XCTAssertEqual(f, result.f, "f belongs to the returned x")
    }

    func testOneSidedAndFreeBoundsAreHonoured() throws {
        // min (x0 - 3)^2 + (x1 + 3)^2 with x0 <= 1 (upper only) and x1 >= -1 (lower only), x2 free.
        let result = try minimizeLBFGSB(start: [0, 0, 5], lower: [-.infinity, -1, -.infinity],
                                        upper: [1, .infinity, .infinity], settings: settings) { x, g in
            g[0] = 2 * (x[0] - 3); g[1] = 2 * (x[1] + 3); g[2] = 2 * x[2]
            return (x[0] - 3) * (x[0] - 3) + (x[1] + 3) * (x[1] + 3) + x[2] * x[2]
        }
        XCTAssertTrue(result.stop.converged, "\(result.stop)")
        XCTAssertEqual(result.x[0], 1)
        XCTAssertEqual(result.x[1], -1)
        XCTAssertEqual(result.x[2], 0, accuracy: 1e-6)
    }

    func testStopWhenEndsTheSolveAtTheFirstAcceptedIterateItApproves() throws {
        let result = try minimizeLBFGSB(start: start, lower: Array(repeating: -2, count: 10),
                                        upper: Array(repeating: 2, count: 10), settings: settings,
                                        stopWhen: { _, f in f < 1 }, evaluate: rosenbrock)
        XCTAssertEqual(result.stop, .stoppedByCaller)
        XCTAssertLessThan(result.f, 1)
        XCTAssertLessThan(result.iterations, 62)
    }

    func testBadSettingsAndBoundsThrowClearErrors() {
        XCTAssertThrowsError(try minimizeLBFGSB(start: [0], lower: [0], upper: [1],
                                                settings: LBFGSBSettings(memory: 0)) { _ in (0, [0]) }) {
            XCTAssertTrue("\($0)".contains("memory m must be >= 1"), "\($0)")
        }
        XCTAssertThrowsError(try minimizeLBFGSB(start: [0, 0], lower: [0, 2], upper: [1, 1]) { _ in (0, [0, 0]) }) {
            XCTAssertTrue("\($0)".contains("variable 1"), "\($0)")
        }
    }
}
