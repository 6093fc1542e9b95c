@testable import Analysis
import XCTest

/// Known values from scipy 1.17 (scipy.special.betainc, scipy.stats.t, ttest_rel, wilcoxon, binomtest).
final class StatisticsTests: XCTestCase {
    func testRegularizedIncompleteBetaMatchesScipy() {
        XCTAssertEqual(regularizedIncompleteBeta(0.3, a: 2.5, b: 1.5), 0.08894372317066562, accuracy: 1e-13)
        XCTAssertEqual(regularizedIncompleteBeta(0.9, a: 10, b: 0.5), 0.15164090963470994, accuracy: 1e-13)
        XCTAssertEqual(regularizedIncompleteBeta(0.01, a: 0.5, b: 0.5), 0.06376856085851985, accuracy: 1e-13)
        XCTAssertEqual(regularizedIncompleteBeta(0, a: 2, b: 3), 0)
        XCTAssertEqual(regularizedIncompleteBeta(1, a: 2, b: 3), 1)
    }

    func testStudentTCdfAndQuantileMatchScipy() {
        XCTAssertEqual(StudentT(degreesOfFreedom: 5).cdf(2.0), 0.9490302605850708, accuracy: 1e-12)
        XCTAssertEqual(StudentT(degreesOfFreedom: 3).cdf(-1.3), 0.14223375436394853, accuracy: 1e-12)
        XCTAssertEqual(StudentT(degreesOfFreedom: 9).quantile(0.975), 2.262157162798205, accuracy: 1e-10)
        XCTAssertEqual(StudentT(degreesOfFreedom: 1).quantile(0.975), 12.706204736174694, accuracy: 1e-8)
    }

    let treatment = [0.52, 0.61, 0.48, 0.55, 0.59, 0.50, 0.57, 0.62, 0.49, 0.58]
    let control = [0.46, 0.58, 0.50, 0.51, 0.55, 0.47, 0.52, 0.60, 0.49, 0.53]

    func testSampleSummaryGivesMeanSampleSdAndStudentInterval() {
        let s = SampleSummary(treatment)
        XCTAssertEqual(s.mean, 0.551, accuracy: 1e-12)
        XCTAssertEqual(s.sd, 0.05087020520675907, accuracy: 1e-12)
        XCTAssertEqual(s.ci95!, 0.036390352602799964, accuracy: 1e-10)
        XCTAssertNil(SampleSummary([0.4]).ci95)
    }

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
