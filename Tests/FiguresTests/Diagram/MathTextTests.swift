import XCTest
@testable import Figures

final class MathTextTests: XCTestCase {
    func testUnderscoreLowersOneCharacter() {
        XCTAssertEqual(parseMath("w_i"), [MathRun(text: "w", shift: .none), MathRun(text: "i", shift: .sub)])
    }

    func testBracesLowerAGroupAndTextContinuesAfterIt() {
        XCTAssertEqual(parseMath("a_{12} + b"), [MathRun(text: "a", shift: .none), MathRun(text: "12", shift: .sub),
                                                 MathRun(text: " + b", shift: .none)])
    }

    func testCaretRaises() {
        XCTAssertEqual(parseMath("x^2"), [MathRun(text: "x", shift: .none), MathRun(text: "2", shift: .sup)])
    }

    func testTrailingUnderscoreIsPlainText() {
        XCTAssertEqual(parseMath("a_"), [MathRun(text: "a_", shift: .none)])
    }
}
