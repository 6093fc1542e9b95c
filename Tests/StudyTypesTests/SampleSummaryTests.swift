import StudyTypes
import XCTest

/// Known values from scipy 1.17 (scipy.special.betainc, scipy.stats.t).
final class SampleSummaryTests: XCTestCase {
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

    func testSampleSummaryGivesMeanSampleSdAndStudentInterval() {
        let s = SampleSummary(treatment)
        XCTAssertEqual(s.mean, 0.551, accuracy: 1e-12)
        XCTAssertEqual(s.sd, 0.05087020520675907, accuracy: 1e-12)
        XCTAssertEqual(s.ci95!, 0.036390352602799964, accuracy: 1e-10)
        XCTAssertNil(SampleSummary([0.4]).ci95)
    }

    func testQuantilesInterpolateBetweenOrderStatisticsAsRType7() {
        // h = (n - 1) q over 1, 2, 3, 4: q = 0.25 -> h = 0.75 -> 1 + 0.75 (2 - 1)
        XCTAssertEqual(quantile(sorted: [1, 2, 3, 4], 0.25), 1.75)
        XCTAssertEqual(quantile(sorted: [1, 2, 3, 4], 0.75), 3.25)
        XCTAssertEqual(quantile(sorted: [1, 2, 3, 4], 1), 4)
        XCTAssertEqual(quantile(sorted: [7], 0.5), 7)
    }

    func testTheMedianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        XCTAssertEqual(median([4, 1, 3, 2]), 2.5)
        XCTAssertEqual(median([5, 1, 3]), 3)
        let s = SampleSummary([0.3, 0.1, 0.4, 0.2])
        XCTAssertEqual([s.min, s.q1, s.median, s.q3, s.max], [0.1, quantile(sorted: [0.1, 0.2, 0.3, 0.4], 0.25), 0.25, quantile(sorted: [0.1, 0.2, 0.3, 0.4], 0.75), 0.4])
    }

    func testTheAscendingMeanSumsTheSortedValues() {
        let values = [1e16, 1, -1e16, 1]
        XCTAssertEqual(SampleSummary(values).mean, values.reduce(0, +) / 4)
        XCTAssertEqual(SampleSummary(values, summing: .ascending).mean, values.sorted().reduce(0, +) / 4)
    }
}

final class ConcentrationTests: XCTestCase {
    func testGiniIsZeroForEvenSpreadAndMaximalForOneCarrier() {
        XCTAssertEqual(Concentration([2, 2, 2, 2]).gini, 0, accuracy: 1e-12)
        XCTAssertEqual(Concentration([0, 0, 0, 5]).gini, 0.75, accuracy: 1e-12)
        // x = 1, 2, 3, 4: sum |x_i - x_j| over ordered pairs = 20, / (2 n^2 mean) = 20 / 80
        XCTAssertEqual(Concentration([3, 1, 4, 2]).gini, 0.25, accuracy: 1e-12)
        XCTAssertEqual(Concentration([0, 0]).gini, 0)
        XCTAssertEqual(Concentration([0, 0, 0, 0, 0, 0, 0, 0, 0, 5]).gini, 0.9, accuracy: 1e-12)  // (n - 1) / n
    }

    func testTopShareTakesTheCeilingOfTheFraction() {
        let values: [Double] = [10] + [Double](repeating: 1, count: 19)  // top 10% = 2 units
        XCTAssertEqual(Concentration(values).topCount, 2)
        XCTAssertEqual(Concentration(values).topShare, 11.0 / 29.0, accuracy: 1e-9)
        XCTAssertEqual(Concentration([1, 3]).topShare, 0.75, accuracy: 1e-9)
        XCTAssertEqual(Concentration([Double](repeating: 2, count: 10)).topShare, 0.1, accuracy: 1e-12)
    }

    func testTheCumulativeShareRisesToOne() {
        XCTAssertEqual(Concentration([1, 3]).cumulativeShare, [0.75, 1])
    }
}
