@testable import Attacks
import XCTest

/// The C search against a scripted oracle: the net's answer is a function of C alone, so the
/// sequence of runs, their starts and the final C can be pinned exactly.
final class CSearchTests: XCTestCase {
    /// One call of the oracle: the C and the start it was given.
    struct Call: Equatable { var c: Double; var start: [Double]? }

    final class Recorder { var calls: [Call] = [] }

    /// Runs the search with `predicted(c)` as the net's class; r = [c] so warm starts show
    /// which run they came from; every run costs 10 evaluations.
    func search(_ settings: AttackSettings, trueLabel: Int = 0, target: Int = 1,
                predicted: @escaping (Double) -> Int) -> (AttackOutcome, [Call]) {
        let recorder = Recorder()
        let outcome = searchPenalty(settings: settings, trueLabel: trueLabel, target: target) { c, start in
            recorder.calls.append(Call(c: c, start: start))
            let solve = LBFGSBResult(x: [c], f: 0, stop: .evaluationLimit, iterations: 3, evaluations: 10)
            return AttackRun(c: c, warmStart: false, perturbation: [c], adversarial: [0], predicted: predicted(c),
                             target: target, solve: solve)
        }
        return (outcome, recorder.calls)
    }

    let c0 = 0.01, c1 = 0.01 * 10, c2 = 0.01 * 10 * 10

    func testAuthorsSearchGrowsWarmUntilTheOriginalClassBisectsFromZeroAndLagsOneStep() {
        // Target for C <= 0.6, another class in (0.6, 1), the original from 1 on.
        let (outcome, calls) = search(.author) { c in c <= 0.6 ? 1 : c < 1 ? 2 : 0 }
        // Growth 0.01, 0.1, 1 (original: stop, C_fail = 1); bisection 0.5 (+), 0.75 (-), 0.625 (-), 0.5625 (+).
        XCTAssertEqual(calls.map(\.c), [c0, c1, c2, 0.5, 0.75, 0.625, 0.5625])
        XCTAssertEqual(calls.map(\.start), [nil, [c0], [c1], nil, nil, nil, nil], "growth warm-started, bisection from r = 0")
        XCTAssertEqual(outcome.cFail, c2)
        // C_final = the lower bound before the last update (0.5, not the last success 0.5625);
        // its run from r = 0 is the bisection's run at 0.5, reused.
        XCTAssertEqual(outcome.final.c, 0.5)
        XCTAssertFalse(outcome.final.warmStart)
        XCTAssertTrue(outcome.success)
        XCTAssertEqual(outcome.runs.map(\.phase), [.growth, .growth, .growth, .bisection, .bisection, .bisection, .bisection, .final])
        XCTAssertEqual(outcome.evaluations, 80, "eight runs of 10, the reused final run counted as the author's code runs it")
    }

    func testLaggedFinalCIsZeroWhenOnlyTheLastBisectionRunSucceeds() {
        // Target only for C < 0.07; growth passes another class at 0.1 without stopping.
        let (outcome, calls) = search(.author) { c in c < 0.07 ? 1 : c < 1 ? 2 : 0 }
        XCTAssertEqual(calls.map(\.c), [c0, c1, c2, 0.5, 0.25, 0.125, 0.0625, 0])
        XCTAssertEqual(calls.last?.start, nil, "the unregularised final run starts from r = 0")
        XCTAssertEqual(outcome.final.c, 0)
        XCTAssertEqual(outcome.runs.count, 8)
        XCTAssertEqual(outcome.evaluations, 80)
    }

    func testGrowthNeverStoppingOnTheOriginalTakesTheLastCAsCFail() {
        var settings = AttackSettings.author
        settings.maxGrowthRuns = 3
        let (outcome, calls) = search(settings) { _ in 1 }
        XCTAssertEqual(Array(calls.map(\.c).prefix(3)), [c0, c1, c2])
        XCTAssertEqual(outcome.cFail, c2)
        XCTAssertEqual(calls[3].c, c2 / 2)
    }

    func testAFinalImageNotClassifiedAsTheTargetIsAFailure() {
        // Nothing ever reaches the target: the lagged C is 0 and its run fails too.
        let (outcome, calls) = search(.author) { c in c < 1 ? 2 : 0 }
        XCTAssertEqual(calls.last?.c, 0)
        XCTAssertFalse(outcome.success)
        XCTAssertEqual(outcome.final.predicted, 2)
    }

    func testMinimalDistortionStopsAtTheFirstFailureAndReportsTheLargestSuccessfulC() {
        let (outcome, calls) = search(.minimalDistortion) { c in c < 0.07 ? 1 : c < 1 ? 2 : 0 }
        // Growth 0.01 (+), 0.1 (-: stop, C_fail = 0.1); bisection on [0, 0.1].
        let mids = [c1 / 2, (c1 / 2 + c1) / 2]
        XCTAssertEqual(Array(calls.map(\.c).prefix(4)), [c0, c1, mids[0], mids[1]])
        XCTAssertEqual(calls[1].start, [c0])
        XCTAssertEqual(outcome.cFail, c1)
        XCTAssertTrue(outcome.success)
        XCTAssertLessThan(outcome.final.c, 0.07)
        XCTAssertEqual(outcome.final.c, calls.filter { $0.c < 0.07 }.map(\.c).max())
        XCTAssertEqual(calls.count, 6, "2 growth + 4 bisection runs; the final run reuses the bisection's")
    }
}
