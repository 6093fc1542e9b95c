import XCTest
@testable import Figures

final class TicksTests: XCTestCase {
    func testNiceScaleExtendsToRoundTicks() {
        let scale = AxisScale.nice(0.13, 0.87, maxTicks: 6)
        XCTAssertEqual(scale.lower, 0, accuracy: 1e-12)
        XCTAssertEqual(scale.upper, 1, accuracy: 1e-12)
        XCTAssertEqual(scale.labels, ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    func testNiceStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        for (span, ticks) in [(7.3, 6), (0.042, 5), (1234.0, 7), (98.0, 4)] {
            let step = AxisScale.niceStep(span, maxTicks: ticks)
            let mantissa = step / pow(10, log10(step).rounded(.down))
            XCTAssertTrue([1, 2, 2.5, 5].contains { abs($0 - mantissa) < 1e-9 }, "step \(step) for span \(span)")
            XCTAssertLessThanOrEqual(span / step, Double(ticks - 1) + 1e-9)
        }
    }

    func testNiceScaleHandlesAnEmptyRange() {
        let scale = AxisScale.nice(3, 3)
        XCTAssertLessThan(scale.lower, 3)
        XCTAssertGreaterThan(scale.upper, 3)
    }

    func testFixedScaleKeepsItsLimitsAndPutsTicksInside() {
        let scale = AxisScale.fixed(-0.37, 0.37, maxTicks: 5)
        XCTAssertEqual(scale.lower, -0.37)
        XCTAssertEqual(scale.upper, 0.37)
        XCTAssertEqual(scale.labels, ["−0.2", "0.0", "0.2"])
    }

    func testAFixedScaleShowsAtLeastThreeTicks() {
        XCTAssertEqual(AxisScale.fixed(-0.47, 0.47, maxTicks: 5).labels, ["−0.4", "−0.2", "0.0", "0.2", "0.4"])
    }

    func testTickLabelsNeverShowNegativeZero() {
        XCTAssertEqual(AxisScale.tickLabel(-1e-17, step: 0.1), "0.0")
        XCTAssertEqual(AxisScale.tickLabel(-2, step: 1), "\u{2212}2")
    }

    func testTickLabelsShowEveryMultipleOfAFractionalStepExactly() {
        XCTAssertEqual(AxisScale.nice(0, 10, maxTicks: 5).labels, ["0.0", "2.5", "5.0", "7.5", "10.0"])
        XCTAssertEqual(AxisScale.tickLabel(0.75, step: 0.25), "0.75")
        XCTAssertEqual(AxisScale.tickLabel(40, step: 10), "40")
    }

    func testHistogramPutsTheUpperEdgeIntoTheLastBin() {
        let h = Histogram([0, 0.1, 0.5, 1], bins: 2, lower: 0, upper: 1)
        XCTAssertEqual(h.counts, [2, 2])
    }
}
