import Foundation
import Report
import XCTest

final class GitRevisionTests: XCTestCase {
    func testReadsASummaryAsCommittedAndNamesAMissingRevision() throws {
        let repo = try makeScratchFolder(self)
        func git(_ arguments: String...) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-C", repo.path, "-c", "user.name=t", "-c", "user.email=t@t"] + arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, "git \(arguments)")
        }
        try git("init", "-q")
        try write("{\"base\": {\"test_accuracy\": 0.9898}}\n", to: repo.appendingPathComponent("out/summary.json"))
        try git("add", ".")
        try git("commit", "-q", "-m", "run")
        try write("{\"base\": {\"test_accuracy\": 0.99}}\n", to: repo.appendingPathComponent("out/summary.json"))
        let old = try GitRevision.json("out/summary.json", at: "HEAD", repository: repo)
        XCTAssertEqual(old.value(atPath: "base.test_accuracy"), 0.9898)
        XCTAssertThrowsError(try GitRevision.json("out/summary.json", at: "no-such-rev", repository: repo)) { error in
            XCTAssertTrue("\(error)".contains("no-such-rev:out/summary.json"), "\(error)")
        }
    }
}
