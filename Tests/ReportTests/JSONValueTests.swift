import Report
import XCTest

final class JSONValueTests: XCTestCase {
    let sample: JSONValue = [
        "profile": "paper",
        "seed": 42,
        "base": ["test_accuracy": 0.9897, "per_epoch": [0.5, 0.25], "architecture": "conv"],
        "tables": ["Both": ["0.001": [0.4634, 0.5854]]],
        "flags": [true, false, nil],
        "empty": [:],
        "list": [],
    ]

    func testSerialisationKeepsInsertionOrderAndFixedLayout() throws {
        let text = try (["z": 1, "a": ["y": 2.5, "b": [1, 2]], "e": []] as JSONValue).serialised()
        XCTAssertEqual(text, """
            {
              "z": 1,
              "a": {
                "y": 2.5,
                "b": [1, 2]
              },
              "e": []
            }

            """)
    }

    func testArraysOfObjectsGoOneElementPerLine() throws {
        let text = try (["rows": [["a": 1], ["a": 2]]] as JSONValue).serialised()
        XCTAssertEqual(text, "{\n  \"rows\": [\n    {\n      \"a\": 1\n    },\n    {\n      \"a\": 2\n    }\n  ]\n}\n")
    }

    func testNumbersUseTheFixedFormat() {
        XCTAssertEqual(JSONValue.format(number: 3), "3")
        XCTAssertEqual(JSONValue.format(number: -0.0), "0")
        XCTAssertEqual(JSONValue.format(number: 0.1), "0.1")
        XCTAssertEqual(JSONValue.format(number: 1e-5), "1e-05")
        XCTAssertEqual(JSONValue.format(number: 105_506), "105506")
        XCTAssertEqual(JSONValue.format(number: 1.5e20), "1.5e+20")
        XCTAssertEqual(JSONValue.format(number: Double(Float(0.1))), "0.10000000149011612")
    }

    func testNonFiniteNumbersAreRejectedWithTheirPath() {
        let value: JSONValue = ["a": ["b": [1, .number(.nan)]]]
        XCTAssertThrowsError(try value.serialised()) { error in
            XCTAssertEqual((error as? JSONWriteError)?.path, "a.b[1]")
            XCTAssertTrue("\(error)".contains("a.b[1]"))
        }
        XCTAssertThrowsError(try JSONValue.number(.infinity).serialised())
    }

    func testSerialisationIsIdenticalOnASecondRun() throws {
        XCTAssertEqual(try sample.serialisedBytes(), try sample.serialisedBytes())
    }

    func testParsingTheSerialisedTextGivesTheSameTree() throws {
        let text = try sample.serialised()
        let parsed = try JSONValue(parsing: text)
        XCTAssertEqual(parsed, sample)
        XCTAssertEqual(try parsed.serialised(), text)
    }

    func testEveryFloatSurvivesTheRoundTrip() throws {
        var rng = SystemRandomNumberGenerator()
        let numbers = (0..<500).map { _ in Double(bitPattern: rng.next() >> 2) } + [Double.leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.1 + 0.2]
        let parsed = try JSONValue(parsing: try JSONValue(numbers: numbers).serialised())
        XCTAssertEqual(parsed, JSONValue(numbers: numbers))
    }

    func testStringsWithEscapesRoundTrip() throws {
        let value: JSONValue = ["s": "quote \" backslash \\ newline \n tab \t bell \u{07} é 😀"]
        XCTAssertEqual(try JSONValue(parsing: try value.serialised()), value)
        XCTAssertEqual(try JSONValue(parsing: #"["\ud83d\ude00\u00e9"]"#), ["😀é"])
    }

    func testMalformedTextNamesLineAndColumn() {
        XCTAssertThrowsError(try JSONValue(parsing: "{\n  \"a\": 1,\n  \"b\": tru\n}")) { error in
            let parseError = error as? JSONParseError
            XCTAssertEqual(parseError?.line, 3)
            XCTAssertEqual(parseError?.column, 8)
        }
        XCTAssertThrowsError(try JSONValue(parsing: "{\"a\": 1, \"a\": 2}")) { error in
            XCTAssertTrue("\(error)".contains("duplicate key 'a'"))
        }
        XCTAssertThrowsError(try JSONValue(parsing: "[1, 2] x"))
        XCTAssertThrowsError(try JSONValue(parsing: "[01]"))
        XCTAssertThrowsError(try JSONValue(parsing: "\"\\u+abc\""))
    }

    func testKeySubscriptReplacesInPlaceAndAppendsNewKeys() {
        var value: JSONValue = ["a": 1, "b": 2]
        value["a"] = 10
        value["c"] = 3
        value["b"] = nil
        XCTAssertEqual(value, ["a": 10, "c": 3])
    }
}
