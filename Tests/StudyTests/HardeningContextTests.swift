@testable import Experiments
@testable import Study
import Analysis
import Engine
import Foundation
import XCTest

/// The hardening context and the claims on a fixed, hand-made grid of two seeds.
final class HardeningContextTests: XCTestCase {
    var settings: HardeningSettings {
        var s = HardeningSettings()
        s.groupings = [.both]
        s.learningRates = [0.001, 0.003]
        s.proportions = [0.5]
        s.seeds = 2
        s.ablationLearningRates = []
        s.scheduleLearningRates = []
        s.selectionVariants = []
        s.volatilityShareLearningRates = []
        return s
    }

    /// Final adversarial validation accuracy per (rate, model) and seed, and steps to convergence.
    func run(seed: Int, lr: Double, model: HardeningModel, validation: Double, steps: Int?) -> HardeningRunResult {
        let record = { (epoch: Int, v: Double) in
            EpochRecord(epoch: epoch, adversarialValidation: v, adversarialTraining: 1, originalTraining: 1,
                        originalValidation: 1, mnistMonitor: nil, meanLoss: nil, retained: nil)
        }
        return HardeningRunResult(
            spec: HardeningRunSpec(seed: seed, grouping: .both, learningRate: lr, model: model, epochs: 1,
                                   evaluation: .curvesAndFullTest),
            validationPairs: 1, trainingPairs: 2, epochs: [record(0, 0), record(1, validation)], finalTestAccuracy: 0.99,
            finalTestImages: 10, convergenceEpoch: steps.map { $0 / 4 }, convergenceSteps: steps, selectionCounts: [],
            selectionOpportunities: 0)
    }

    func context() throws -> HardeningContext {
        let s = settings
        let conv = s.selective(.conv2, 0.5), fc = s.selective(.fc, 0.5)
        // (lr, model) -> (validation per seed, steps per seed)
        let table: [(Double, HardeningModel, [Double], [Int?])] = [
            (0.001, .control, [0.5, 0.5], [100, 100]), (0.001, conv, [0.6, 0.7], [40, nil]), (0.001, fc, [0.5, 0.6], [nil, nil]),
            (0.003, .control, [0.5, 0.4], [200, 100]), (0.003, conv, [0.4, 0.3], [300, 300]), (0.003, fc, [0.4, 0.4], [60, 90]),
        ]
        var runs: [HardeningRunResult] = []
        for (lr, model, values, steps) in table {
            for seed in 0..<2 { runs.append(run(seed: seed, lr: lr, model: model, validation: values[seed], steps: steps[seed])) }
        }
        let split = try JSONDecoder().decode(HardeningSplit.self,
                                             from: Data(#"{"grouping":"Both","groups":1,"validation":[0],"training":[1,2]}"#.utf8))
        let paper = try PaperReference.load(from: SmokeRunTests.repository.appendingPathComponent("data/paper/reference.json"))
        return HardeningContext(results: HardeningResults(settings: s, splits: [split], runs: runs), paper: paper,
                                baseTestAccuracy: 0.99)
    }

    func testSingleSeedWinsTiesAndLossesAreCountedPerSDCell() throws {
        let c = try context().singleSeedComparison()
        // lr 0.001: conv 0.6 > 0.5 win, fc 0.5 = 0.5 tie; lr 0.003: conv 0.4 < 0.5, fc 0.4 < 0.5.
        XCTAssertEqual(c, HardeningContext.Comparison(wins: 1, ties: 1, losses: 2, rowsWithWin: 1, rows: 2))
    }

    func testConvergenceRatiosUseConvergedRunsOnly() throws {
        let ratios = try context().convergenceRatios().map(\.ratio)
        // lr 0.001: conv 40 / 100 (one run censored), fc none converged; lr 0.003: 300 / 150, 75 / 150.
        XCTAssertEqual(ratios, [0.4, nil, 2.0, 0.5])
        let h = try context()
        let conv = h.results.cell(HardeningCellKey(.both, 0.001, h.settings.selective(.conv2, 0.5))).convergence
        XCTAssertEqual(conv, ConvergenceSummary(steps: [40, nil]))
        XCTAssertEqual(conv.censored, 1)
    }

    func testTableCellsAreReadByTheirNotationInThePapersColumns() throws {
        let h = try context()
        XCTAssertEqual(h.columns.map(\.notation), ["C^c", "SD^c_0.5", "C^f", "SD^f_0.5"])
        XCTAssertEqual(h.paper.tableValue(TableRow(.both, 0.001), "SD^f_0.7"), 0.4878)
        XCTAssertNil(h.paper.tableValue(TableRow(.both, 0.001), "SD^f_0.5 post-ReLU"))
    }

    func testTheConvergenceClaimIsJudgedOnConvergedRatiosWithCensoredCountsBeside() throws {
        let h = try context()
        let claims = ClaimsContext(hardening: h, baseTestAccuracy: 0.9899,
                                   transfer: TransferStage(result: TransferResult(
                                       settings: TransferSettings(), testAccuracyPerEpoch: [0.99], reachedRequiredAccuracy: true,
                                       pairs: 10, fooled: 8, fooledToTarget: 2, originalsCorrect: 10, fooledAmongCorrect: 8,
                                       fooledToTargetAmongCorrect: 2), secondNetTestAccuracy: 0.99))
        XCTAssertEqual(claims.baseAccuracy().verdict, .holds)
        let convergence = claims.convergence()
        // Ratios 0.4, 2.0, 0.5: median 0.5, but SD runs are censored 3 of 8 times, the control's 0 of 4.
        XCTAssertEqual(convergence.verdict, .partly)
        XCTAssertTrue(convergence.evidence.contains("SD 3 of 8 runs, control 0 of 4"), convergence.evidence)
        let cited = claims.verdicts().filter(\.cited)
        XCTAssertEqual(cited.map(\.verdict), [.holds], "8 of 10 transfer: above 70%")
        XCTAssertTrue(cited[0].source.contains("Szegedy"))
    }
}
