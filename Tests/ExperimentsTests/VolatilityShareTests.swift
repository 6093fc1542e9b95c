@testable import Experiments
import Analysis
import Engine
import XCTest

final class VolatilityShareTests: XCTestCase {
    func testP0IsTheSmallestFractionCarryingTheShare() {
        // v sorted: 5, 3, 1, 1 (total 10): top 1 = 50%, top 2 = 80%, top 3 = 90%.
        let v: [Float] = [1, 5, 1, 3]
        XCTAssertEqual(VolatilityShareRule(share: 0.5).retainedCount(v), 1)
        XCTAssertEqual(VolatilityShareRule(share: 0.8).retainedCount(v), 2)
        XCTAssertEqual(VolatilityShareRule(share: 0.81).retainedCount(v), 3)
        XCTAssertEqual(VolatilityShareRule(share: 1).retainedCount(v), 4)
        XCTAssertEqual(VolatilityShareRule(share: 0.8).proportion(v), 0.5)
        XCTAssertEqual(VolatilityShareRule(share: 0.8).retainedCount([0, 0, 0]), 1, "no volatility: keep one unit")
    }

    func testPolicyUsesThePairsOwnP0AndTheSchedule() {
        let v: [Float] = [1, 5, 1, 3]
        let fixed = DropoutPolicy(layer: .fc, proportion: 0.25)
        XCTAssertEqual(fixed.retainedCount(volatility: v, fixed: 1, afterEpochs: 0), 1, "a fixed p keeps the given count")
        let share = DropoutPolicy(layer: .fc, proportion: 1, volatilityShare: 0.8)
        XCTAssertEqual(share.retainedCount(volatility: v, fixed: 4, afterEpochs: 0), 2)
        let scheduled = DropoutPolicy(layer: .fc, proportion: 1, scheduleRate: 0.1, volatilityShare: 0.8)
        // p_10 = 1 - e^-1 + 0.5 e^-1 = 0.816 -> ceil(3.26) = 4
        XCTAssertEqual(scheduled.retainedCount(volatility: v, fixed: 4, afterEpochs: 10), 4)
        XCTAssertEqual(HardeningModel(policy: share).description, "SD^f_v0.8")
        XCTAssertEqual(HardeningModel(policy: scheduled).description, "SD^f_v0.8 schedule a=0.1")
    }
}
