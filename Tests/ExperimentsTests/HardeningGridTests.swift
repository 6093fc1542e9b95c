@testable import Experiments
import Analysis
import Engine
import Random
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
        XCTAssertEqual(one.seeds, two.seeds)
        XCTAssertEqual(one.curvesCSV(), two.curvesCSV())
    }

    func testTablesHaveThePaperShapeWithOneControlForBothLayers() throws {
        let results = try grid(workers: 2)
        XCTAssertEqual(results.columns, ["C", "SD^c_0.5", "C", "SD^f_0.5"])
        for g in Grouping.allCases {
            for lr in ["0.001", "0.003"] {
                let row = try XCTUnwrap(results.tables[g.rawValue]?[lr])
                XCTAssertEqual(row.count, 4)
                XCTAssertEqual(row[0], row[2], "C^c and C^f are one run")
                XCTAssertEqual(results.seeds[g.rawValue]?[lr]?.map(\.values.count), [3, 3, 3, 3])
                XCTAssertNil(results.seeds[g.rawValue]?[lr]?[0].pairedT)
                XCTAssertNotNil(results.seeds[g.rawValue]?[lr]?[1].pairedT)
            }
        }
        XCTAssertEqual(results.testSizes["Orig"], 3)
        // Ablations (2 modes x 2 layers), schedules (2 layers) and p0 from volatility (2 layers) at lr 0.001, per grouping.
        XCTAssertEqual(results.extraModels.count, 3 * 8)
    }

    func testCurvesCSVHasOneRowPerRunAndEpoch() throws {
        let results = try grid(workers: 2)
        let lines = results.curvesCSV().split(separator: "\n")
        XCTAssertEqual(lines.first.map(String.init), HardeningResults.curveHeader)
        XCTAssertEqual(lines.count, 1 + results.runs.count * 3)
    }
}
