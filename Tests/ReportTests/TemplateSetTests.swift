import Report
import TestSupport
import XCTest

final class TemplateSetTests: XCTestCase {
    func render(_ text: String, _ context: JSONValue, file: String = "t.mustache") throws -> String {
        try TemplateSet(sources: [(file, text)]).render("t", context: context)
    }

    func testRendersNestedSectionsAndNumbers() throws {
        let text = "{{#rows}}{{name}}={{value}};{{/rows}}{{^none}}empty{{/none}}"
        XCTAssertEqual(try render(text, ["rows": [["name": "a", "value": 0.5], ["name": "b", "value": 3]], "none": []]),
                       "a=0.5;b=3;empty")
    }

    func testHTMLTemplatesEscapeAndMarkdownTemplatesEscapeOnlyPipes() throws {
        XCTAssertEqual(try render("{{v}}", ["v": "a < b | c"]), "a &lt; b | c")
        XCTAssertEqual(try render("{{%CONTENT_TYPE: MARKDOWN}}\n{{v}}", ["v": "a < b | c"]), "a < b \\| c")
    }

    func testUnclosedSectionNamesFileAndLine() {
        let text = "line 1\nline 2 {{#results}}\nline 3\n"
        XCTAssertThrowsError(try render(text, [:], file: "Templates/broken.md.mustache")) { error in
            let templateError = error as? TemplateError
            XCTAssertEqual(templateError?.file, "Templates/broken.md.mustache")
            XCTAssertEqual(templateError?.line, 2)
            XCTAssertTrue("\(error)".hasPrefix("Templates/broken.md.mustache:2:8:"), "\(error)")
        }
    }

    func testMismatchedCloseNamesItsLine() {
        XCTAssertThrowsError(try render("{{#a}}\n\n{{/b}}", [:])) { error in
            XCTAssertEqual((error as? TemplateError)?.line, 3)
            XCTAssertTrue("\(error)".contains("opened at line 1"), "\(error)")
        }
    }

    func testUnterminatedTagNamesItsLine() {
        XCTAssertThrowsError(try render("ok\nok\n{{title\nmore", [:])) { error in
            XCTAssertEqual((error as? TemplateError)?.line, 3)
        }
    }

    func testMissingPartialNamesFileAndLine() {
        XCTAssertThrowsError(try TemplateSet(sources: [("report.html.mustache", "a\n{{> figure}}\n")])) { error in
            XCTAssertEqual((error as? TemplateError)?.file, "report.html.mustache")
            XCTAssertEqual((error as? TemplateError)?.line, 2)
            XCTAssertTrue("\(error)".contains("partial 'figure' not found"))
        }
        XCTAssertNoThrow(try TemplateSet(sources: [("a.mustache", "{{> b}}"), ("b.mustache", "x")]))
    }

    func testVariableMissingFromTheContextIsAnError() {
        XCTAssertThrowsError(try render("a\n{{base.test_acuracy}}", ["base": ["test_accuracy": 0.99]])) { error in
            XCTAssertEqual((error as? TemplateError)?.line, 2)
            XCTAssertTrue("\(error)".contains("test_acuracy"))
        }
        XCTAssertEqual(try render("{{#base}}{{test_accuracy}}{{/base}}{{#gone}}{{x}}{{/gone}}", ["base": ["test_accuracy": 0.99]]), "0.99")
    }

    func testBrokenTemplateFileOnDiskIsReportedWithItsPath() throws {
        let folder = try makeScratchFolder(self)
        try write("fine\n{{#a}}\n{{/a}}\n{{^b}}\n", to: folder.appendingPathComponent("report.md.mustache"))
        XCTAssertThrowsError(try TemplateSet(directory: folder)) { error in
            XCTAssertTrue("\(error)".hasPrefix(folder.appendingPathComponent("report.md.mustache").path + ":4:"), "\(error)")
        }
    }
}
