@testable import Analysis
import Engine
import XCTest

final class ConcentrationTests: XCTestCase {
    func testGiniIsZeroForEvenSpreadAndMaximalForOneCarrier() {
        XCTAssertEqual(gini([2, 2, 2, 2]), 0, accuracy: 1e-12)
        XCTAssertEqual(gini([0, 0, 0, 5]), 0.75, accuracy: 1e-12)
        // x = 1, 2, 3, 4: sum |x_i - x_j| over ordered pairs = 20, / (2 n^2 mean) = 20 / 80
        XCTAssertEqual(gini([3, 1, 4, 2]), 0.25, accuracy: 1e-12)
        XCTAssertEqual(gini([0, 0]), 0)
    }

    func testTopShareTakesTheCeilingOfTheFraction() {
        let values: [Float] = [10] + [Float](repeating: 1, count: 19)  // top 10% = 2 units
        XCTAssertEqual(topShare(values), 11.0 / 29.0, accuracy: 1e-9)
        XCTAssertEqual(topShare([1, 3]), 0.75, accuracy: 1e-9)
    }

    func testVolatilityDefinitionsOnTwoFeatureMaps() {
        // two units of 2 values: orig (3, 4), (1, 0); adv (0, 0), (0, 1)
        let orig: [Float] = [3, 4, 1, 0], adv: [Float] = [0, 0, 0, 1]
        var out = [Float](repeating: 0, count: 2)
        unitVolatility(original: orig, adversarial: adv, units: 2, unitSize: 2, definition: .normOfDifference, into: &out)
        XCTAssertEqual(out[0], 5, accuracy: 1e-6)
        XCTAssertEqual(out[1], Float(2).squareRoot(), accuracy: 1e-6)
        unitVolatility(original: orig, adversarial: adv, units: 2, unitSize: 2, definition: .differenceOfNorms, into: &out)
        XCTAssertEqual(out[0], 5, accuracy: 1e-6)
        XCTAssertEqual(out[1], 0, accuracy: 1e-6)
    }

    func testSelectionKeepsTheMostVolatileWithTiesToTheLowerIndex() {
        let v: [Float] = [0.5, 2, 1, 2, 0.5]
        XCTAssertEqual(selectUnits(volatility: v, count: 3), [false, true, true, true, false])
        XCTAssertEqual(selectUnits(volatility: v, count: 1), [false, true, false, false, false])
        XCTAssertEqual(selectUnits(volatility: v, count: 1, inverted: true), [true, false, false, false, false])
        XCTAssertEqual(selectUnits(volatility: v, count: 5), [Bool](repeating: true, count: 5))
    }

    func testGroupsFollowTheThreeDefinitions() {
        let blank = [Float](repeating: 0, count: 4)
        let pairs = [(3, 8), (3, 8), (3, 5), (1, 8)].map {
            AdversarialPair(original: blank, adversarial: blank, trueLabel: $0.0, targetLabel: $0.1)
        }
        XCTAssertEqual(perturbationGroups(pairs, by: .both).map(\.members), [[3], [2], [0, 1]])
        XCTAssertEqual(perturbationGroups(pairs, by: .orig).map(\.members), [[3], [0, 1, 2]])
        XCTAssertEqual(perturbationGroups(pairs, by: .adv).map(\.members), [[2], [0, 1, 3]])
        XCTAssertEqual(perturbationGroups(pairs, by: .adv).map(\.name), ["*->5", "*->8"])
    }

    func testConcentrationOfAProfileAndPerPairAverages() {
        let rows: [[Float]] = [[1, 0, 0, 0], [0, 0, 0, 1]]
        let c = VolatilityAnalysis.summarise(rows, layer: .fc, units: 4, definition: .normOfDifference)
        XCTAssertEqual(c.meanGini, 0.75, accuracy: 1e-12)
        XCTAssertEqual(c.meanTopTenShare, 1, accuracy: 1e-12)
        XCTAssertEqual(c.meanVolatility, [0.5, 0, 0, 0.5])
        XCTAssertEqual(c.profileGini, 0.5, accuracy: 1e-12)
        XCTAssertEqual(c.profileTopTenShare, 0.5, accuracy: 1e-12)
    }
}
