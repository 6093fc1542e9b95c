import Foundation
import Report
import TestSupport
import XCTest

final class ReportDocumentsTests: XCTestCase {
    func fixtureContext() throws -> JSONValue {
        try JSONValue(parsing: FileTree.bytes(of: TestPaths.fixtures.appendingPathComponent("context.json")))
    }

    /// Set `REPORT_RENDER_FIXTURE_TO=/some/folder` to keep this render for a look in a browser
    /// (`scripts/check-html /some/folder/report.html`, after adding figures there).
    func testBothTemplatesRenderFromTheFixture() throws {
        let folder = try ProcessInfo.processInfo.environment["REPORT_RENDER_FIXTURE_TO"].map {
            try FileManager.default.createDirectory(atPath: $0, withIntermediateDirectories: true)
            return URL(fileURLWithPath: $0)
        } ?? makeScratchFolder(self)
        try ReportDocuments.write(context: try fixtureContext(), templates: TestPaths.templates, into: folder)
        let markdown = try read(folder.appendingPathComponent("report.md"))
        let html = try read(folder.appendingPathComponent("report.html"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("style.css").path))
        for text in [markdown, html] {
            XCTAssertTrue(text.contains("98.97%"))
            XCTAssertTrue(text.contains("SD beat the control in 17 of 36 cells"))
            XCTAssertFalse(text.contains("{{"), "no tag left unrendered")
        }
        XCTAssertTrue(markdown.contains("\\|\\|a_adv - a_orig\\|\\|_F"), "pipes in table cells are escaped")
        XCTAssertTrue(markdown.contains("| 0.001 | 0.463 (0.463) +0.000 | 0.549 (0.585) -0.037 |"))
        XCTAssertTrue(html.contains("<figure id=\"fig-13\">"))
        XCTAssertTrue(html.contains("<p class=\"table-caption\" id=\"table-3\""))
        XCTAssertTrue(html.contains("Tables <a href=\"#table-1\">1</a>, <a href=\"#table-2\">2</a>, <a href=\"#table-3\">3</a> give"))
    }

    func testEveryInternalLinkOfTheHTMLHasATarget() throws {
        let folder = try makeScratchFolder(self)
        try ReportDocuments.write(context: try fixtureContext(), templates: TestPaths.templates, into: folder)
        let html = try read(folder.appendingPathComponent("report.html"))
        let ids = Set(matches(of: #"id="([^"]+)""#, in: html))
        let fragments = Set(matches(of: ##"href="#([^"]+)""##, in: html))
        XCTAssertFalse(fragments.isEmpty)
        XCTAssertEqual(fragments.subtracting(ids), [])
        let external = matches(of: #"(?:href|src)="([a-z]+:[^"]*)""#, in: html)
        XCTAssertEqual(external, [], "the report fetches nothing from the network")
    }

    func testRenderingIsByteIdenticalOnASecondRun() throws {
        let a = try makeScratchFolder(self), b = try makeScratchFolder(self)
        try ReportDocuments.write(context: try fixtureContext(), templates: TestPaths.templates, into: a)
        try ReportDocuments.write(context: try fixtureContext(), templates: TestPaths.templates, into: b)
        XCTAssertTrue(try DirectoryComparison(expected: a, actual: b).isIdentical)
    }

    func testAContextMissingAKeyNamesTheTemplateLine() throws {
        var context = try fixtureContext()
        context["adversarial"]?["l2_median"] = nil
        let folder = try makeScratchFolder(self)
        XCTAssertThrowsError(try ReportDocuments.write(context: context, templates: TestPaths.templates, into: folder)) { error in
            XCTAssertTrue("\(error)".contains("report.md.mustache:"), "\(error)")
            XCTAssertTrue("\(error)".contains("adversarial.l2_median"), "\(error)")
        }
    }

    private func matches(of pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
            String(text[Range($0.range(at: 1), in: text)!])
        }
    }
}
