import StudyTypes
import Analysis
import Engine
import Experiments
import Random
import XCTest

/// The sensitivity plan's switches change only what they name; the read-outs need no new runs.
final class SensitivityTests: XCTestCase {
    let primary = SensitivityConfiguration(
        attack: SensitivityAttack(finalC: .laggedLowerBound, domain: .paddedNormalised, source: .test),
        selection: .notebook, baseNetwork: .ours, pipeline: .ours, epochs: 20, metric: .withheld)

    func testEveryLevelChangesItsOwnFactorAndNoOther() {
        let levels = SensitivitySettings().levels(primary: primary)
        XCTAssertEqual(Set(levels.map(\.factor)), Set(SensitivityFactor.allCases))
        XCTAssertEqual(levels.filter { $0.factor == .hardeningEpochs }.map(\.description),
                       ["20 epochs", "1 epoch", "2 epochs", "5 epochs", "10 epochs"])
        for level in levels {
            let changed = level.applied(to: primary)
            XCTAssertEqual(changed.level(of: level.factor), level)
            for other in SensitivityFactor.allCases where other != level.factor {
                XCTAssertEqual(changed.level(of: other), primary.level(of: other), "\(level) changed \(other)")
            }
        }
    }

    func testOnlyAttackFactorsChangeThePairsAndOnlyReadOutsShareThePrimaryRuns() {
        for level in SensitivitySettings().levels(primary: primary) where level != primary.level(of: level.factor) {
            let changed = level.applied(to: primary)
            XCTAssertEqual(changed.grid.pairs != primary.grid.pairs, level.factor.changesPairs, "\(level)")
            XCTAssertEqual(changed.grid == primary.grid, level.factor.isReadOut, "\(level)")
        }
        // The pipeline switch leaves the attack untouched; the volatility switches leave the control's runs untouched.
        XCTAssertEqual(InputPipeline.notebook.level.applied(to: primary).grid.pairs, primary.grid.pairs)
        for level in [SensitivityLevel.activation(.postReLU), .volatilityNetwork(.currentNet)] {
            XCTAssertEqual(level.applied(to: primary).grid.control, primary.grid.control)
        }
    }

    func tinyGrid(epochs: Int = 3, seeds: Int = 2) -> HardeningSettings {
        var s = HardeningSettings()
        s.groupings = [.orig]
        s.learningRates = [0.01]
        s.proportions = [0.5]
        s.layers = [.fc]
        s.epochs = epochs
        s.seeds = seeds
        s.monitorSize = 10
        s.ablationLearningRates = []
        s.scheduleLearningRates = []
        s.workers = 2
        return s
    }

    func testRequestsWithThePrimaryPairsRepeatTheHardeningGridSeedBySeed() throws {
        let world = TinyWorld()
        let settings = tinyGrid()
        let grid = try runHardeningGrid(base: world.base, pairs: world.pairs, test: world.test, settings: settings,
                                        rng: RandomStream(seed: 9))
        let request = SensitivityRunRequest(base: world.base, pairs: world.pairs, test: world.test, settings: settings,
                                            models: [.control, .selective(.fc, 0.5)])
        let runs = try runSensitivityRequests([request], seeds: 2, rng: RandomStream(seed: 9), workers: 2)[0]
        XCTAssertEqual(runs.count, 4)
        for run in runs {
            let same = grid.runs.first { $0.spec.seed == run.spec.seed && $0.spec.model == run.spec.model }!
            XCTAssertEqual(run.epochs.map(\.adversarialValidation), same.epochs.map(\.adversarialValidation))
            XCTAssertEqual(run.epochs.map(\.adversarialTraining), same.epochs.map(\.adversarialTraining))
        }
    }

    func testASelectionVariantsRunsRepeatOnOtherTestImagesAndExcludedRunsAreNotTrained() throws {
        let world = TinyWorld()
        var settings = tinyGrid()
        settings.ablationLearningRates = [0.01]  // the grid runs its selection variants too
        let grid = try runHardeningGrid(base: world.base, pairs: world.pairs, test: world.test, settings: settings,
                                        rng: RandomStream(seed: 9))
        let variant = UnitSelection(source: .currentNet, point: .preReLU)
        let model = HardeningModel.selective(.fc, 0.5, selection: variant)
        var levelSettings = tinyGrid()
        levelSettings.selection = variant
        let seedOne = grid.runs.first { $0.spec.seed == 1 && $0.spec.model == model }!
        let request = SensitivityRunRequest(base: world.base, pairs: world.pairs,
                                            test: world.test.subset(Array(0..<(world.test.count / 2))),
                                            settings: levelSettings, models: [model],
                                            excluding: [SensitivityRunRequest.RunID(seedOne.spec)])
        let runs = try runSensitivityRequests([request], seeds: 2, rng: RandomStream(seed: 9), workers: 2)[0]
        XCTAssertEqual(runs.map(\.spec.seed), [0])
        let same = grid.runs.first { $0.spec.seed == 0 && $0.spec.model == model }!
        XCTAssertEqual(runs[0].epochs.dropFirst().map(\.adversarialValidation), same.epochs.dropFirst().map(\.adversarialValidation))
        XCTAssertEqual(runs[0].epochs.dropFirst().map(\.adversarialTraining), same.epochs.dropFirst().map(\.adversarialTraining))
        XCTAssertEqual(runs[0].epochs.dropFirst().map(\.meanLoss), same.epochs.dropFirst().map(\.meanLoss))
    }

    func testTheEpochAndMetricReadOutsReadTheRecordedRuns() throws {
        let world = TinyWorld()
        let settings = tinyGrid()
        let grid = try runHardeningGrid(base: world.base, pairs: world.pairs, test: world.test, settings: settings,
                                        rng: RandomStream(seed: 9))
        let columns = settings.tableColumns
        for epoch in [1, 3] {
            for metric in MetricPairs.allCases {
                let tables = try readSensitivityTables(runs: grid.runs, columns: columns, groupings: [.orig],
                                                       learningRates: [0.01], seeds: 2, epoch: epoch, metric: metric)
                for seed in 0..<2 {
                    for (c, model) in columns.enumerated() {
                        let run = grid.runs.first { $0.spec.seed == seed && $0.spec.model == model }!
                        let record = run.epochs[epoch]
                        XCTAssertEqual(tables[seed][TableRow(.orig, 0.01)][c],
                                       metric == .training ? record.adversarialTraining : record.adversarialValidation)
                    }
                }
            }
        }
        // The final epoch's withheld metric is the table the hardening stage reports.
        let final = try readSensitivityTables(runs: grid.runs, columns: columns, groupings: [.orig], learningRates: [0.01],
                                              seeds: 1, epoch: 3, metric: .withheld)
        XCTAssertEqual(final[0][TableRow(.orig, 0.01)], columns.map { m in
            grid.runs.first { $0.spec.seed == 0 && $0.spec.model == m }!.final.adversarialValidation
        })
        XCTAssertThrowsError(try readSensitivityTables(runs: grid.runs, columns: columns, groupings: [.orig],
                                                       learningRates: [0.01], seeds: 1, epoch: 4, metric: .withheld))
    }

    func testTheNotebookPipelineMakesTheNetSeeEachImageStandardisedByItsOwnStatistics() {
        let normalisation = Normalisation(mean: 0.1, std: 0.3)
        let pipeline = NotebookPipeline(normalisation: normalisation)
        let image: [Float] = [0, 0.5, 0.2502, 1, 0.9]
        let q = image.map { (Double($0) * 255).rounded() / 255 }
        let m = q.reduce(0, +) / 5
        let s = (q.map { ($0 - m) * ($0 - m) }.reduce(0, +) / 5).squareRoot()
        let seen = pipeline.transform(image).map { (Double($0) - 0.1) / 0.3 }
        for (a, b) in zip(seen, q.map { ($0 - m) / s }) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        let pair = AdversarialPair(original: image, adversarial: image.reversed(), trueLabel: 3, targetLabel: 7)
        let out = pipeline.transform([pair])[0]
        XCTAssertEqual(out.trueLabel, 3)
        XCTAssertEqual(out.targetLabel, 7)
        XCTAssertEqual(out.original, pipeline.transform(image))
    }

    func testLevelStatisticsOnAHandMadeTable() {
        // Columns: C, SD, C, SD. Both (Table 1) and Adv (Table 3), one lr.
        let ours = SensitivityTable([TableRow(.both, 0.001): [0.5, 0.7, 0.5, 0.4], TableRow(.adv, 0.001): [0.2, 0.2, 0.2, 0.3]])
        let paper = SensitivityTable([TableRow(.both, 0.001): [0.4, 0.6, 0.4, 0.5], TableRow(.adv, 0.001): [0.2, 0.2, 0.2, 0.2]])
        let r = SensitivityLevelResult(level: .epochs(1), isPrimary: false, perSeed: [ours], controlColumns: [true, false, true, false],
                                       paper: paper, table3: .adv)
        XCTAssertEqual(r.controlMean.mean, 0.35, accuracy: 1e-12)
        XCTAssertEqual(r.sdMinusControl.mean, (0.2 - 0.1 + 0 + 0.1) / 4, accuracy: 1e-12)
        XCTAssertEqual(r.distanceWithoutTable3.mean, 0.1, accuracy: 1e-12)
        XCTAssertEqual(r.distanceToPaper.mean, (0.4 + 0.1) / 8, accuracy: 1e-12)
        XCTAssertEqual(r.rowsWhereSDBeatsControl, 2)
    }

    func testTableRowsSortAsTheSummaryListsThemWhateverTheInsertionOrder() {
        let t = SensitivityTable([TableRow(.orig, 0.003): [1], TableRow(.both, 0.001): [2], TableRow(.adv, 0.003): [3],
                                  TableRow(.adv, 0.001): [4]])
        XCTAssertEqual(t.keys, [TableRow(.adv, 0.001), TableRow(.adv, 0.003), TableRow(.both, 0.001), TableRow(.orig, 0.003)])
        XCTAssertEqual(t[TableRow(.both, 0.001)], [2])
        XCTAssertEqual(t[TableRow(.orig, 0.001)], [], "a missing row reads as no cells")
    }
}

extension InputPipeline {
    var level: SensitivityLevel { .pipeline(self) }
}
