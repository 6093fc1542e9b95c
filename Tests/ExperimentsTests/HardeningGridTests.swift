@testable import Experiments
import Analysis
import Engine
import Random
import Foundation
import XCTest

final class HardeningGridTests: XCTestCase {
    func smallSettings(workers: Int) -> HardeningSettings {
        var s = HardeningSettings()
        s.epochs = 2
        s.seeds = 3
        s.monitorSize = 10
        s.proportions = [0.5]
        s.scheduleStarts = [0.5]
        s.workers = workers
        return s
    }

    func grid(workers: Int) throws -> HardeningResults {
        let world = TinyWorld()
        return try runHardeningGrid(base: world.base, pairs: world.pairs, test: world.test,
                                    settings: smallSettings(workers: workers), rng: RandomStream(seed: 77))
    }

    func testGridIsIdenticalWithOneOrTwoWorkers() throws {
        let one = try grid(workers: 1), two = try grid(workers: 2)
        XCTAssertEqual(one.runs.count, smallSettings(workers: 1).plan.count)
        XCTAssertEqual(one.runs, two.runs)
        XCTAssertEqual(one.cells, two.cells)
        XCTAssertEqual(one.curvesCSV(), two.curvesCSV())
    }

    func testTablesHaveThePaperShapeWithOneControlForBothLayers() throws {
        let results = try grid(workers: 2)
        let s = results.settings
        XCTAssertEqual(results.columns.map(\.description), ["C", "SD^c_0.5", "C", "SD^f_0.5"])
        for g in Grouping.allCases {
            for lr in s.learningRates {
                for model in s.tableModels {
                    let cell = results.cell(HardeningCellKey(g, lr, model))
                    XCTAssertEqual(cell.values.count, 3)
                    XCTAssertEqual(cell.values[0], results.run(seed: 0, HardeningCellKey(g, lr, model)).final.adversarialValidation)
                    XCTAssertEqual(cell.pairedT == nil, model == .control)
                    XCTAssertEqual(cell.convergence.converged + cell.convergence.censored, 3)
                }
            }
        }
        XCTAssertEqual(results.testSize(.orig), 3)
        // Ablations (2 modes) and selection variants (2) per layer and p, schedules (2 layers) and
        // p_0 from volatility (2 layers), at lr 0.001, per grouping.
        XCTAssertEqual(results.extraCells.count, 3 * (2 * 4 + 2 + 2))
    }

    func testResultsDecodeToTheSameCellsFromTheirStoredRuns() throws {
        let results = try grid(workers: 2)
        let decoded = try JSONDecoder().decode(HardeningResults.self, from: try JSONEncoder().encode(results))
        XCTAssertEqual(decoded, results)
    }

    func testCurvesCSVHasOneRowPerRunAndEpoch() throws {
        let results = try grid(workers: 2)
        let lines = results.curvesCSV().split(separator: "\n")
        XCTAssertEqual(lines.first.map(String.init), HardeningResults.curveHeader)
        XCTAssertEqual(lines.count, 1 + results.runs.count * 3)
    }
}
