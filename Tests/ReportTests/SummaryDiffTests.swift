import Report
import XCTest

final class SummaryDiffTests: XCTestCase {
    func testListsChangedAddedAndRemovedValuesWithDeltas() {
        let old: JSONValue = ["profile": "paper", "base": ["test_accuracy": 0.9898, "epochs": 100], "gone": 1]
        let new: JSONValue = ["profile": "quick", "base": ["test_accuracy": 0.9901, "epochs": 100], "added": ["x": 2]]
        let diff = SummaryDiff(old: old, new: new)
        XCTAssertEqual(diff.numbers.map(\.path.description), ["base.test_accuracy"])
        XCTAssertEqual(diff.numbers[0].delta, 0.9901 - 0.9898, accuracy: 1e-15)
        XCTAssertEqual(diff.values.map(\.path.description), ["added.x", "gone", "profile"])
        XCTAssertEqual(diff.rendered, """
            path                   old     new    delta
            ------------------  ------  ------  -------
            base.test_accuracy  0.9898  0.9901  +0.0003

            path     old       new
            -------  --------  --------
            added.x  (absent)  2
            gone     1         (absent)
            profile  "paper"   "quick"

            """)
    }

    func testManifestChangesAreListed() {
        var diff = SummaryDiff(old: ["a": 1], new: ["a": 1])
        XCTAssertTrue(diff.isEmpty)
        XCTAssertEqual(diff.rendered, "no differences\n")
        let old = Manifest(settingsHash: "s1", entries: [.init(path: "report.md", sha256: "1", bytes: 1), .init(path: "old.png", sha256: "2", bytes: 1)])
        let new = Manifest(settingsHash: "s1", entries: [.init(path: "report.md", sha256: "9", bytes: 1), .init(path: "new.png", sha256: "3", bytes: 1)])
        diff.compare(oldManifest: old, newManifest: new)
        XCTAssertEqual(diff.files.changed, ["report.md"])
        XCTAssertEqual(diff.files.added, ["new.png"])
        XCTAssertEqual(diff.files.removed, ["old.png"])
        XCTAssertFalse(diff.settingsHashChanged)
        XCTAssertEqual(diff.rendered, "file       change\n---------  -------\nreport.md  changed\nnew.png    added\nold.png    removed\n")
    }

    func testTableColumnsAlign() {
        var table = TextTable(header: ["name", "n"], rightAligned: [1])
        table.append(["a", "100"])
        table.append(["long name", "2"])
        XCTAssertEqual(table.rendered, "name         n\n---------  ---\na          100\nlong name    2\n")
    }
}
