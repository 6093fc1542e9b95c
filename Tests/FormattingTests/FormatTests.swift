import Formatting
import XCTest

final class FormatTests: XCTestCase {
    func testFixedDecimalsNeverShowNegativeZero() {
        XCTAssertEqual(Format.fixed(-0.0001, 2), "0.00")
        XCTAssertEqual(Format.fixed(-0.0001, 2, minus: .typographic), "0.00")
        XCTAssertEqual(Format.fixed(2.345, 1), "2.3")
    }

    func testTheReportWritesAHyphenAndFiguresATypographicMinus() {
        XCTAssertEqual(Format.fixed(-1.25, 2), "-1.25")
        XCTAssertEqual(Format.fixed(-1.25, 2, minus: .typographic), "\u{2212}1.25")
        XCTAssertEqual(Format.percent(-0.5, 0, minus: .typographic), "\u{2212}50%")
        XCTAssertEqual(Format.count(-1234), "-1,234")
        XCTAssertEqual(Format.count(-1234, minus: .typographic), "\u{2212}1,234")
    }

    func testSignedValuesAlwaysCarryASignAndTheTypographicMinus() {
        XCTAssertEqual(Format.signed(0.123, 2), "+0.12")
        XCTAssertEqual(Format.signed(-0.123, 2), "\u{2212}0.12")
        XCTAssertEqual(Format.signed(-0.001, 2), "+0.00")
    }

    func testCountsUseThousandsSeparators() {
        XCTAssertEqual(Format.count(105_506), "105,506")
        XCTAssertEqual(Format.count(999), "999")
        XCTAssertEqual(Format.count(1_000_000), "1,000,000")
        XCTAssertEqual(Format.plural(1, "run"), "1 run")
        XCTAssertEqual(Format.plural(1200, "run"), "1,200 runs")
    }

    func testPercentagesDefaultToTwoDecimals() {
        XCTAssertEqual(Format.percent(0.9912), "99.12%")
        XCTAssertEqual(Format.percent(0.9912, 1), "99.1%")
    }

    func testSignificantAndScientificFollowPrintf() {
        XCTAssertEqual(Format.significant(0.0123456, 3), "0.0123")
        XCTAssertEqual(Format.significant(1234567, 3), "1.23e+06")
        XCTAssertEqual(Format.scientific(1e7, 0), "1e+07")
    }

    func testPValuesIntervalsAndPadding() {
        XCTAssertEqual(Format.pValue(0.0004), "< 0.001")
        XCTAssertEqual(Format.pClause(0.0261), "p = 0.026")
        XCTAssertEqual(Format.interval(0.1, 0.25, 2), "[0.10, 0.25]")
        XCTAssertEqual(Format.interval(nil, 0.25), "n/a")
        XCTAssertEqual(Format.padded("7", 3), "  7")
        XCTAssertEqual(Format.padded("1234", 3), "1234")
    }

    func testDurationsSwitchToMinutesAt90Seconds() {
        XCTAssertEqual(Format.duration(12.34), "12.3 s")
        XCTAssertEqual(Format.duration(245), "4m05s")
    }
}
