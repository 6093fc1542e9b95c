import Report
import XCTest

final class JSONPathTests: XCTestCase {
    let summary: JSONValue = [
        "base": ["test_accuracy": 0.99, "per_epoch": [["loss": 0.5], ["loss": 0.25]]],
        "hardening": ["tables": ["Both": ["0.001": [0.46, 0.58]]]],
        "profile": "paper",
    ]

    func testDottedPathsFindNestedValues() {
        XCTAssertEqual(summary.value(atPath: "base.test_accuracy"), 0.99)
        XCTAssertEqual(summary.value(atPath: "base.per_epoch[1].loss"), 0.25)
        XCTAssertEqual(summary.value(atPath: #"hardening.tables.Both["0.001"][1]"#), 0.58)
        XCTAssertNil(summary.value(atPath: "base.missing"))
        XCTAssertNil(summary.value(atPath: "base.per_epoch[7]"))
        XCTAssertNil(summary.value(atPath: "base..x"))
    }

    func testKeysWithDotsArePrintedQuotedAndReadBack() throws {
        let path = JSONPath([.key("hardening"), .key("tables"), .key("Both"), .key("0.001"), .index(0)])
        XCTAssertEqual(path.description, #"hardening.tables.Both["0.001"][0]"#)
        XCTAssertEqual(JSONPath(path.description), path)
    }

    func testFlatteningListsEveryNumberByPath() {
        let flat = summary.flattenedNumbers()
        XCTAssertEqual(flat.count, 5)
        XCTAssertEqual(flat[JSONPath("base.per_epoch[0].loss")!], 0.5)
        XCTAssertNil(flat[JSONPath("profile")!])
    }

    func testSetCreatesMissingObjectsAndRefusesToCrossScalars() {
        var value = summary
        XCTAssertTrue(value.set(7, at: JSONPath("adversarial.pairs")!))
        XCTAssertEqual(value.value(atPath: "adversarial.pairs"), 7)
        XCTAssertTrue(value.set(0.3, at: JSONPath("base.per_epoch[1].loss")!))
        XCTAssertEqual(value.value(atPath: "base.per_epoch[1].loss"), 0.3)
        XCTAssertFalse(value.set(1, at: JSONPath("profile.x")!))
    }
}
