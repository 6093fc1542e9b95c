import XCTest
@testable import Figures

final class ColourMapTests: XCTestCase {
    func testDivergingMapsZeroToWhite() {
        for limit in [0.001, 0.37, 1, 250] {
            XCTAssertEqual(ColourMap.diverging(limit: limit).colour(0), .white, "limit \(limit)")
        }
        XCTAssertEqual(ColourMap.diverging(fitting: [-0.2, 0.7, 0.1]).colour(0), .white)
    }

    func testDivergingLimitsAreSymmetricAroundTheLargestMagnitude() {
        let map = ColourMap.diverging(fitting: [-0.2, 0.7, 0.1])
        XCTAssertEqual(map.lower, -0.7, accuracy: 1e-6)
        XCTAssertEqual(map.upper, 0.7, accuracy: 1e-6)
    }

    func testDivergingIsBlueBelowAndRedAboveZero() {
        let map = ColourMap.diverging(limit: 1)
        XCTAssertGreaterThan(map.colour(-0.5).blue, map.colour(-0.5).red)
        XCTAssertGreaterThan(map.colour(0.5).red, map.colour(0.5).blue)
    }

    func testAllZeroDataStillMapsZeroToWhite() {
        XCTAssertEqual(ColourMap.diverging(fitting: [0, 0]).colour(0), .white)
    }

    func testSequentialClampsOutsideItsLimits() {
        let map = ColourMap.sequential(0, 1)
        XCTAssertEqual(map.colour(-3), map.colour(0))
        XCTAssertEqual(map.colour(7), map.colour(1))
        XCTAssertNotEqual(map.colour(0), map.colour(1))
    }

    func testInkMapDrawsZeroAsPaperAndOneAsInk() {
        XCTAssertEqual(ColourMap.ink.colour(0), .white)
        XCTAssertEqual(ColourMap.ink.colour(1), .black)
    }
}
