@testable import Analysis
import XCTest

final class VolatilityTests: XCTestCase {
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
}
