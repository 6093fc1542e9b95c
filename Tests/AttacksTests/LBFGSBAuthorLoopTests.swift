@testable import Attacks
import XCTest

/// `SolveWrapper.authorLua`: the loop of the author's `lbfgsb.lua`.
final class LBFGSBAuthorLoopTests: XCTestCase {
    final class Log { var points: [[Double]] = []; var values: [Double] = [] }

    /// `rosenbrock` in 6 dimensions from (-1.2, 1, ...), logging every evaluation.
    func solveRosenbrock(_ settings: LBFGSBSettings, wrapper: SolveWrapper) throws -> (LBFGSBResult, Log) {
        let log = Log()
        let n = 6, start = (0..<n).map { $0 % 2 == 0 ? -1.2 : 1.0 }
        let result = try minimizeLBFGSB(start: start, lower: Array(repeating: -2, count: n), upper: Array(repeating: 2, count: n),
                                        settings: settings, wrapper: wrapper) { x, g in
            let f = rosenbrock(x, g)
            log.points.append(Array(x)); log.values.append(f)
            return f
        }
        return (result, log)
    }

    func testTheStartEvaluationIsCountedAndRepeatedByTheFortranCode() throws {
        let settings = LBFGSBSettings(memory: 10, factr: 1e7, pgtol: 1e-5, maxEvaluations: 1000)
        let (author, log) = try solveRosenbrock(settings, wrapper: .authorLua)
        let (plain, _) = try solveRosenbrock(settings, wrapper: .acceptedIterate)
        XCTAssertEqual(log.points[0], log.points[1], "START, then FG_START at the same point")
        XCTAssertEqual(author.evaluations, plain.evaluations + 1)
        XCTAssertEqual(author.evaluations, log.points.count)
        XCTAssertEqual(author.stop, plain.stop)
        XCTAssertEqual(author.stop, .convergedRelativeReduction, "the Fortran code's own task string")
        XCTAssertEqual(author.x, plain.x, "at convergence the last evaluated point is the final iterate")
    }

    func testTheCapStopsAtTheCountAndReturnsTheLastEvaluatedPoint() throws {
        for cap in [1, 2, 7, 13] {
            let (result, log) = try solveRosenbrock(LBFGSBSettings(memory: 10, maxEvaluations: cap), wrapper: .authorLua)
            XCTAssertEqual(result.evaluations, cap)
            XCTAssertEqual(log.points.count, cap)
            XCTAssertEqual(result.stop, .evaluationLimit)
            XCTAssertEqual(result.x, log.points.last, "cap \(cap): the last evaluated point, not the best iterate")
            XCTAssertEqual(result.f, log.values.last)
        }
        // Somewhere in the first evaluations a line search tries a worse point than the best so far:
        // a cap there returns that worse point.
        let (_, log) = try solveRosenbrock(LBFGSBSettings(memory: 10, maxEvaluations: 40), wrapper: .authorLua)
        let worse = (1..<log.values.count).first { log.values[$0] > log.values[..<$0].min()! }
        let cap = try XCTUnwrap(worse, "some trial point is worse than an earlier one") + 1
        let (result, _) = try solveRosenbrock(LBFGSBSettings(memory: 10, maxEvaluations: cap), wrapper: .authorLua)
        XCTAssertGreaterThan(result.f, log.values[..<(cap - 1)].min()!)
    }
}
