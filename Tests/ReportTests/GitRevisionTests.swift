import Foundation
import Report
import TestSupport
import XCTest

final class GitRevisionTests: XCTestCase {
    func testReadsASummaryAsCommittedAndNamesAMissingRevision() throws {
        let repo = try makeScratchFolder(self)
        try git("init", "-q", in: repo)
        try write("{\"base\": {\"test_accuracy\": 0.9898}}\n", to: repo.appendingPathComponent("out/summary.json"))
        try git("add", ".", in: repo)
        try git("commit", "-q", "-m", "run", in: repo)
        try write("{\"base\": {\"test_accuracy\": 0.99}}\n", to: repo.appendingPathComponent("out/summary.json"))
        let old = try GitRevision.json("out/summary.json", at: "HEAD", repository: repo)
        XCTAssertEqual(old.value(atPath: "base.test_accuracy"), 0.9898)
        XCTAssertThrowsError(try GitRevision.json("out/summary.json", at: "no-such-rev", repository: repo)) { error in
            XCTAssertTrue("\(error)".contains("no-such-rev:out/summary.json"), "\(error)")
        }
    }
}
