@testable import Analysis
import XCTest

/// Known values from scipy 1.17 (scipy.special.betainc, scipy.stats.t, ttest_rel, wilcoxon, binomtest).
final class StatisticsTests: XCTestCase {
    let treatment = [0.52, 0.61, 0.48, 0.55, 0.59, 0.50, 0.57, 0.62, 0.49, 0.58]
    let control = [0.46, 0.58, 0.50, 0.51, 0.55, 0.47, 0.52, 0.60, 0.49, 0.53]

    func testPairedTTestMatchesScipyTtestRel() {
        let test = PairedTTest(treatment: treatment, control: control)
        XCTAssertEqual(test.t!, 3.872983346207417, accuracy: 1e-9)
        XCTAssertEqual(test.p, 0.0037715575587059873, accuracy: 1e-10)
        XCTAssertEqual(PairedTTest(treatment: [1, 2, 3], control: [1, 2, 3]).p, 1)
        let shifted = PairedTTest(treatment: [2, 3, 4], control: [1, 2, 3])
        XCTAssertNil(shifted.t)
        XCTAssertEqual(shifted.p, 0)
    }

    func testExactWilcoxonWithoutTiesMatchesScipy() {
        let x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
        let y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
        let test = WilcoxonSignedRank(treatment: x, control: y)
        XCTAssertEqual(test.p, 0.0390625, accuracy: 1e-12)
        XCTAssertEqual(test.wPlus, 40)
    }

    func testExactWilcoxonWithTiesMatchesBruteForcePermutation() {
        // d = 1, 1, 2, -2, 3, 3, 3, 4: W+ = 32.5; enumerating all 256 sign patterns gives p = 0.046875.
        let d: [Double] = [1, 1, 2, -2, 3, 3, 3, 4]
        let test = WilcoxonSignedRank(treatment: d, control: [Double](repeating: 0, count: d.count))
        XCTAssertEqual(test.wPlus, 32.5)
        XCTAssertEqual(test.p, 0.046875, accuracy: 1e-12)
    }

    func testTiedFloatingPointDifferencesShareARank() {
        XCTAssertEqual(doubledRanks([38.0 / 82 - 36.0 / 82, 40.0 / 82 - 38.0 / 82, 0.5]), [3, 3, 6])
    }

    func testExactSignTestMatchesScipyBinomtest() {
        let nine = SignTest(treatment: [1, 1, 1, 1, 1, 1, 1, 0, 0, 5], control: [0, 0, 0, 0, 0, 0, 0, 1, 1, 5])
        XCTAssertEqual(nine.ties, 1)
        XCTAssertEqual(nine.p, 0.1796875, accuracy: 1e-12)
        let ten = SignTest(treatment: [Double](repeating: 1, count: 9) + [0], control: [Double](repeating: 0, count: 9) + [1])
        XCTAssertEqual(ten.p, 0.021484375, accuracy: 1e-12)
    }
}
