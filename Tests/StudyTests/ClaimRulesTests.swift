@testable import Study
import XCTest

/// Each verdict rule on fixed inputs.
final class ClaimRulesTests: XCTestCase {
    func testARoundedFigureHoldsWhenOursRoundsToIt() {
        XCTAssertEqual(ClaimRules.roundedFigure(ours: 0.9899, paper: 0.99, decimals: 0), .holds, "98.99% reads 99%")
        XCTAssertEqual(ClaimRules.roundedFigure(ours: 0.9951, paper: 0.99, decimals: 0), .holds)
        XCTAssertEqual(ClaimRules.roundedFigure(ours: 0.9849, paper: 0.99, decimals: 0), .partly, "98.49% reads 98%")
        XCTAssertEqual(ClaimRules.roundedFigure(ours: 0.9740, paper: 0.99, decimals: 0), .doesNotHold)
        XCTAssertEqual(ClaimRules.roundedFigure(ours: 0.9849, paper: 0.99, decimals: 1), .doesNotHold, "98.5% is not 99.0%")
    }

    func testConvergenceHoldsOnAMedianOfAtMostHalfWithoutExtraCensoring() {
        XCTAssertEqual(ClaimRules.convergence(ratios: [0.3, 0.5, 0.9], sdCensoredRate: 0, controlCensoredRate: 0), .holds)
        XCTAssertEqual(ClaimRules.convergence(ratios: [0.3, 0.5, 0.9], sdCensoredRate: 0.2, controlCensoredRate: 0.1), .partly,
                       "SD censored more often: not a clean win")
        XCTAssertEqual(ClaimRules.convergence(ratios: [0.6, 0.8, 1.2], sdCensoredRate: 0, controlCensoredRate: 0), .partly)
        XCTAssertEqual(ClaimRules.convergence(ratios: [0.9, 1.1, 1.2], sdCensoredRate: 0, controlCensoredRate: 0), .doesNotHold)
        XCTAssertEqual(ClaimRules.convergence(ratios: [], sdCensoredRate: 1, controlCensoredRate: 1), .doesNotHold)
    }

    func testOnParOrBetterFailsOnlyOnSignificantlyWorseCells() {
        let d = ClaimRules.Difference.init
        XCTAssertEqual(ClaimRules.onParOrBetter([d(-0.05, 0.4), d(0.02, 0.01)]), .holds, "worse but not significantly")
        XCTAssertEqual(ClaimRules.onParOrBetter([d(-0.05, 0.01), d(0.1, 0.2), d(0.02, 0.5), d(0.0, 1)]), .partly)
        XCTAssertEqual(ClaimRules.onParOrBetter([d(-0.05, 0.01), d(-0.1, 0.02), d(0.02, 0.5)]), .doesNotHold)
        XCTAssertEqual(ClaimRules.onParOrBetter([]), .notTested)
    }

    func testSomeSDBeatsControlNeedsNearlyEveryRow() {
        XCTAssertEqual(ClaimRules.someSDBeatsControl(singleSeedRows: 5, meanRows: 5, significantRows: 5, rows: 6), .holds)
        XCTAssertEqual(ClaimRules.someSDBeatsControl(singleSeedRows: 6, meanRows: 3, significantRows: 2, rows: 6), .partly)
        XCTAssertEqual(ClaimRules.someSDBeatsControl(singleSeedRows: 4, meanRows: 4, significantRows: 4, rows: 6), .doesNotHold)
    }

    func testNamedModelsMustAllBeSignificantlyBetterToHold() {
        let d = ClaimRules.Difference.init
        XCTAssertEqual(ClaimRules.allBetter([d(0.1, 0.01), d(0.2, 0.001)]), .holds)
        XCTAssertEqual(ClaimRules.allBetter([d(0.1, 0.2), d(0.2, 0.001), d(-0.1, 0.5)]), .partly)
        XCTAssertEqual(ClaimRules.allBetter([d(0.1, 0.2), d(-0.2, 0.001)]), .doesNotHold)
    }

    func testOriginalReversalAndRobustMemoryAndTransfer() {
        XCTAssertEqual(ClaimRules.originalReversal(lowestFinal: 0.98, controlRate: 0.5, sdRate: 0.1), .holds)
        XCTAssertEqual(ClaimRules.originalReversal(lowestFinal: 0.98, controlRate: 0.1, sdRate: 0.0), .partly)
        XCTAssertEqual(ClaimRules.originalReversal(lowestFinal: 0.9, controlRate: 0.1, sdRate: 0.1), .doesNotHold)
        let d = ClaimRules.Difference.init
        XCTAssertEqual(ClaimRules.robustMemory(heldOut: d(0.01, 0.01), mnist: d(0.002, 0.03)), .holds)
        XCTAssertEqual(ClaimRules.robustMemory(heldOut: d(0.01, 0.3), mnist: d(-0.002, 0.03)), .partly)
        XCTAssertEqual(ClaimRules.robustMemory(heldOut: d(-0.01, 0.01), mnist: d(-0.002, 0.03)), .doesNotHold)
        XCTAssertEqual(ClaimRules.transfer(rate: 0.71), .holds)
        XCTAssertEqual(ClaimRules.transfer(rate: 0.5), .partly)
        XCTAssertEqual(ClaimRules.transfer(rate: 0.1), .doesNotHold)
    }
}
