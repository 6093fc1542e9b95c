import Report
import TestSupport
import XCTest

final class DirectoryComparisonTests: XCTestCase {
    func testReportsDifferingMissingAndExtraFiles() throws {
        let committed = try makeScratchFolder(self), fresh = try makeScratchFolder(self)
        for (path, text) in [("same.txt", "s"), ("figures/f.png", "old"), ("gone.csv", "g")] {
            try write(text, to: committed.appendingPathComponent(path))
        }
        for (path, text) in [("same.txt", "s"), ("figures/f.png", "new"), ("extra.csv", "e")] {
            try write(text, to: fresh.appendingPathComponent(path))
        }
        let comparison = try DirectoryComparison(expected: committed, actual: fresh)
        XCTAssertEqual(comparison.differing, ["figures/f.png"])
        XCTAssertEqual(comparison.missing, ["gone.csv"])
        XCTAssertEqual(comparison.extra, ["extra.csv"])
        XCTAssertFalse(comparison.isIdentical)
        XCTAssertTrue(comparison.rendered.contains("figures/f.png  differs"), comparison.rendered)
    }

    func testIdenticalFoldersCompareEqual() throws {
        let a = try makeScratchFolder(self), b = try makeScratchFolder(self)
        try write("x", to: a.appendingPathComponent("d/x"))
        try write("x", to: b.appendingPathComponent("d/x"))
        XCTAssertTrue(try DirectoryComparison(expected: a, actual: b).isIdentical)
    }
}
