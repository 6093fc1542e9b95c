@testable import Attacks
import Engine
import Random
import XCTest

final class SzegedyAttackTests: XCTestCase {
    func testTheTinyNetLearnsItsThreePatterns() throws {
        let pool = try TinyProblem.pool(30, seed: 1)
        let network = Network(TinyProblem.model)
        let correct = (0..<pool.count).filter { network.forward(pool.image($0)); return network.predictedClass == pool.labels[$0] }
        XCTAssertGreaterThanOrEqual(correct.count, 27)
    }

    func testAttackReachesTheTargetWithTheImageInsideTheBox() throws {
        let pool = try TinyProblem.pool(6, seed: 2)
        let attack = try SzegedyAttack(network: Network(TinyProblem.model))
        let checker = Network(TinyProblem.model)
        for i in 0..<pool.count {
            let label = pool.labels[i], target = (label + 1 + i % 2) % 3
            let pair = try attack.pair(original: pool.image(i), sourceIndex: i, trueLabel: label, target: target)
            XCTAssertTrue(pair.success, "image \(i): \(label) -> \(target) failed")
            XCTAssertTrue(pair.adversarial.allSatisfy { $0 >= 0 && $0 <= 1 }, "image \(i) leaves [0, 1]")
            checker.forward(pair.adversarial)
            XCTAssertEqual(checker.predictedClass, target, "image \(i): stored adversarial is not classified as its target")
            XCTAssertGreaterThan(pair.l2, 0)
            let side = TinyProblem.architecture.imageSide
            XCTAssertEqual(pair.l2PerPixel, pair.l2 / Double(side * side).squareRoot(), accuracy: 1e-12,
                           "Szegedy's measure divides by the image's own pixels")
            XCTAssertLessThanOrEqual(pair.linf, pair.l2)
            XCTAssertGreaterThan(pair.targetConfidence, 1.0 / 3)
        }
    }

    func testMinimalDistortionSearchRunsGrowthBisectionAndReportsTheLargestSuccessfulC() throws {
        let pool = try TinyProblem.pool(3, seed: 3)
        let attack = try SzegedyAttack(network: Network(TinyProblem.model), settings: .minimalDistortion)
        let outcome = try attack.attack(original: pool.image(0), trueLabel: pool.labels[0], target: 1)
        XCTAssertTrue(outcome.success)
        // Growth runs until one fails (all before it succeed), then exactly 4 bisection runs, then one final run.
        let growth = outcome.runs.filter { $0.phase == .growth }.map(\.run)
        XCTAssertEqual(growth.map(\.success), Array(repeating: true, count: growth.count - 1) + [false])
        XCTAssertEqual(outcome.runs.filter { $0.phase == .bisection }.count, 4)
        XCTAssertEqual(outcome.runs.filter { $0.phase == .final }.count, 1)
        XCTAssertEqual(outcome.runs.count, growth.count + 5)
        // A larger C (10 x the reported one) fails from r = 0: the search did not stop early.
        let larger = try attack.solve(original: pool.image(0), target: 1, c: outcome.final.c * 10,
                                      start: Array(repeating: 0, count: attack.freePixels.count))
        XCTAssertFalse(larger.success)
    }

    func testAnAttackWithoutBudgetFailsAndIsReportedAsAFailure() throws {
        var settings = AttackSettings.minimalDistortion
        settings.optimizer.maxEvaluations = 1
        let pool = try TinyProblem.pool(3, seed: 4)
        let attack = try SzegedyAttack(network: Network(TinyProblem.model), settings: settings)
        let pair = try attack.pair(original: pool.image(0), sourceIndex: 0, trueLabel: pool.labels[0], target: 2)
        XCTAssertFalse(pair.success)
        XCTAssertEqual(pair.runs, 1 + 4, "one failed growth run, four bisection runs; no success, so no final run")
        XCTAssertEqual(pair.evaluations, 5)
        XCTAssertEqual(pair.stop, .evaluationLimit)
        XCTAssertEqual(pair.l2, 0, "one evaluation at r = 0 never moves")
    }

    /// Solves at a fixed C on the small net and recomputes, from a fresh evaluation of the net at
    /// the returned r, the objective and the Fortran code's projected gradient
    /// (g_k < 0: max(r_k - u_k, g_k); else min(r_k - l_k, g_k)), in the domain's units.
    func solveAndRecheck(_ optimizer: LBFGSBSettings, c: Double = 0.05, settings: AttackSettings = .minimalDistortion)
        throws -> (run: AttackRun, f: Double, projected: Double) {
        let pool = try TinyProblem.pool(3, seed: 5)
        let network = Network(TinyProblem.model)
        var s = settings
        s.optimizer = optimizer
        let attack = try SzegedyAttack(network: network, settings: s)
        let x = pool.image(1), target = (pool.labels[1] + 1) % 3
        let run = try attack.solve(original: x, target: target, c: c, start: Array(repeating: 0, count: attack.freePixels.count))
        var g = [Float](repeating: 0, count: x.count)
        let loss = run.adversarial.withUnsafeBufferPointer { p in
            g.withUnsafeMutableBufferPointer { network.lossAndInputGradient(p.baseAddress!, label: target, gradient: $0.baseAddress!) }
        }
        let r = run.perturbation, scale = attack.scale
        var projected = 0.0
        for (k, i) in attack.freePixels.enumerated() {
            let gk = scale * Double(g[i]) + 2 * c * r[k]
            let lower = -Double(x[i]) / scale, upper = (1 - Double(x[i])) / scale
            projected = max(projected, abs(gk < 0 ? max(r[k] - upper, gk) : min(r[k] - lower, gk)))
        }
        return (run, Double(loss) + c * r.reduce(0) { $0 + $1 * $1 }, projected)
    }

    func testProjectedGradientFlagHoldsForTheGradientRecomputedFromTheNet() throws {
        let pgtol = 0.05
        let (run, f, projected) = try solveAndRecheck(LBFGSBSettings(memory: 15, factr: 0, pgtol: pgtol, maxEvaluations: 5000))
        XCTAssertEqual(run.solve.stop, .convergedProjectedGradient)
        XCTAssertEqual(run.solve.f, f, accuracy: 1e-12, "f belongs to the returned r")
        XCTAssertLessThanOrEqual(projected, pgtol)
        XCTAssertGreaterThan(run.perturbation.map(abs).max()!, 0)
    }

    /// factr 1e10 rather than the attack's 1e7: the net computes f in Float, whose rounding
    /// (about 1e-7 relative) hides the reductions factr = 1e7 waits for, so the attack's own runs
    /// end by the evaluation limit or an abnormal line search instead.
    func testRelativeReductionFlagEndsFarBelowTheStartingObjectiveAndGradient() throws {
        let settings = LBFGSBSettings(memory: 15, factr: 1e10, pgtol: 1e-5, maxEvaluations: 5000)
        let (run, f, projected) = try solveAndRecheck(settings)
        XCTAssertEqual(run.solve.stop, .convergedRelativeReduction)
        XCTAssertEqual(run.solve.f, f, accuracy: 1e-12)
        let (atStart, _, startProjected) = try solveAndRecheck(LBFGSBSettings(maxEvaluations: 1))
        XCTAssertLessThan(run.solve.f, atStart.solve.f)
        XCTAssertLessThan(projected, startProjected / 10, "the projected gradient shrank by more than 10x")
    }

    func testBadSettingsAndInputsThrowClearErrors() throws {
        let network = Network(TinyProblem.model)
        let pool = try TinyProblem.pool(3, seed: 6)
        let attack = try SzegedyAttack(network: network)
        XCTAssertThrowsError(try attack.attack(original: pool.image(0), trueLabel: 0, target: 0)) {
            XCTAssertEqual($0 as? AttackError, .targetIsTrueLabel(label: 0))
        }
        XCTAssertThrowsError(try attack.attack(original: pool.image(0), trueLabel: 0, target: 3)) {
            XCTAssertTrue("\($0)".contains("target 3 is outside 0..<3"), "\($0)")
        }
        XCTAssertThrowsError(try attack.attack(original: [0.5], trueLabel: 0, target: 1)) {
            XCTAssertTrue("\($0)".contains("1 pixels, the network takes \(TinyProblem.architecture.pixels)"), "\($0)")
        }
        var outside = pool.image(0); outside[7] = 1.5
        XCTAssertThrowsError(try attack.attack(original: outside, trueLabel: 0, target: 1)) {
            XCTAssertTrue("\($0)".contains("pixel 7 is 1.5"), "\($0)")
        }
        for (settings, message) in [
            (AttackSettings(initialC: 0), "C must be > 0"),
            (AttackSettings(initialC: -1), "C must be > 0"),
            (AttackSettings(optimizer: LBFGSBSettings(memory: 0)), "memory m must be >= 1"),
            (AttackSettings(growth: 1), "growth must be > 1"),
            (AttackSettings(bisectionRuns: -1), "bisectionRuns must be >= 0"),
        ] {
            XCTAssertThrowsError(try SzegedyAttack(network: network, settings: settings)) {
                XCTAssertTrue("\($0)".contains(message), "\($0) should say \(message)")
            }
        }
    }

    func testAuthorsWrapperStopsOnTheProjectedGradientFlagAtTheLastEvaluatedPoint() throws {
        let pgtol = 0.1
        let (run, f, projected) = try solveAndRecheck(LBFGSBSettings(memory: 15, factr: 0, pgtol: pgtol, maxEvaluations: 5000),
                                                      settings: .author)
        XCTAssertEqual(run.solve.stop, .convergedProjectedGradient)
        XCTAssertEqual(run.solve.f, f, accuracy: 1e-9, "f belongs to the returned (last evaluated) r")
        XCTAssertLessThanOrEqual(projected, pgtol)
        XCTAssertGreaterThan(run.perturbation.map(abs).max()!, 0)
    }

    func testAuthorsAttackReachesTheTargetOrReportsAFailureWithTheLaggedC() throws {
        let pool = try TinyProblem.pool(6, seed: 8)
        let attack = try SzegedyAttack(network: Network(TinyProblem.model), settings: .author)
        let checker = Network(TinyProblem.model)
        for i in 0..<pool.count {
            let label = pool.labels[i], target = (label + 1 + i % 2) % 3
            let outcome = try attack.attack(original: pool.image(i), trueLabel: label, target: target)
            let bisection = outcome.runs.filter { $0.phase == .bisection }.map(\.run)
            XCTAssertEqual(bisection.count, 4)
            // The lagged C: the lower bound after the first three bisection runs.
            let lagged = bisection.prefix(3).filter(\.success).map(\.c).max() ?? 0
            XCTAssertEqual(outcome.final.c, lagged, "image \(i)")
            checker.forward(outcome.final.adversarial)
            XCTAssertEqual(outcome.success, checker.predictedClass == target, "image \(i): success is the re-check")
            XCTAssertTrue(outcome.final.adversarial.allSatisfy { $0 >= 0 && $0 <= 1 })
            let growth = outcome.runs.filter { $0.phase == .growth }.map(\.run)
            XCTAssertEqual(growth.last?.predicted, label, "growth stops on the original class")
            XCTAssertTrue(growth.dropLast().allSatisfy { $0.predicted != label })
            XCTAssertEqual(growth.map(\.warmStart), [false] + Array(repeating: true, count: growth.count - 1))
        }
    }

    func testTheAuthorsDomainIsEveryPaddedPixelInNormalisedUnitsAndTheInteriorDomainFixesTheBorder() throws {
        let a = TinyProblem.architecture, network = Network(TinyProblem.model)
        let author = try SzegedyAttack(network: network, settings: .author)
        XCTAssertEqual(author.freePixels, Array(0..<a.inputSide * a.inputSide))
        XCTAssertEqual(author.scale, Double(network.normalisation.std))
        let interior = try SzegedyAttack(network: Network(TinyProblem.model), settings: .minimalDistortion)
        XCTAssertEqual(interior.freePixels.count, a.imagePixels)
        XCTAssertEqual(interior.scale, 1)
        let border = Set(0..<a.pixels).subtracting(interior.freePixels)
        let pool = try TinyProblem.pool(3, seed: 9)
        let x = pool.image(0), target = (pool.labels[0] + 1) % 3
        let inside = try interior.attack(original: x, trueLabel: pool.labels[0], target: target).final.adversarial
        XCTAssertTrue(border.allSatisfy { inside[$0] == x[$0] }, "the interior domain leaves the padding as it was")
        let everywhere = try author.attack(original: x, trueLabel: pool.labels[0], target: target).final.adversarial
        XCTAssertTrue(border.contains { everywhere[$0] != x[$0] }, "the author's r puts ink on the border")
    }

    func testDefaultsAreTheAuthorsSettings() {
        let s = AttackSettings()
        XCTAssertEqual(s, .author)
        XCTAssertEqual(s.domain, .paddedNormalised)
        XCTAssertEqual(s.growthStop, .originalClass)
        XCTAssertEqual(s.finalC, .laggedLowerBound)
        XCTAssertEqual(s.wrapper, .authorLua)
        XCTAssertEqual(s.optimizer, LBFGSBSettings(memory: 15, factr: 1e7, pgtol: 1e-5, maxEvaluations: 200))
        XCTAssertEqual(s.initialC, 0.01)
        XCTAssertEqual(s.growth, 10)
        XCTAssertEqual(s.bisectionRuns, 4)
    }
}
