import Foundation
import Report
import TestSupport
import XCTest

final class OutputStagingTests: XCTestCase {
    struct Interrupted: Error {}

    func testAnErrorMidWriteLeavesThePreviousFolderIntact() throws {
        let parent = try makeScratchFolder(self)
        let out = parent.appendingPathComponent("out")
        try write("old report", to: out.appendingPathComponent("report.md"))
        XCTAssertThrowsError(try OutputStaging.replace(out) { staging in
            try write("new report", to: staging.appendingPathComponent("report.md"))
            throw Interrupted()
        })
        XCTAssertEqual(try read(out.appendingPathComponent("report.md")), "old report")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent.path), ["out"])
    }

    func testSuccessReplacesTheFolderCompletely() throws {
        let parent = try makeScratchFolder(self)
        let out = parent.appendingPathComponent("out")
        try write("old", to: out.appendingPathComponent("stale.txt"))
        try OutputStaging.replace(out) { staging in
            try write("new", to: staging.appendingPathComponent("report.md"))
        }
        XCTAssertEqual(try FileTree.relativeFilePaths(under: out), ["report.md"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent.path), ["out"])
    }

    func testAFirstRunCreatesTheFolder() throws {
        let out = try makeScratchFolder(self).appendingPathComponent("out")
        try OutputStaging.replace(out) { try write("x", to: $0.appendingPathComponent("a")) }
        XCTAssertEqual(try read(out.appendingPathComponent("a")), "x")
    }

    func testLeftoversOfAKilledRunAreCleanedAndABackupRestored() throws {
        let parent = try makeScratchFolder(self)
        let out = parent.appendingPathComponent("out")
        // A run killed mid-write left a temporary folder; one killed between the renames a backup.
        try write("half", to: parent.appendingPathComponent("out.tmp-1-2/report.md"))
        try write("previous", to: parent.appendingPathComponent("out.old-3/report.md"))
        let staging = try OutputStaging.begin(replacing: out)
        XCTAssertEqual(try read(out.appendingPathComponent("report.md")), "previous")
        staging.discard()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent.path), ["out"])
    }

    func testAParentThatIsNotAFolderGivesAClearError() throws {
        let parent = try makeScratchFolder(self)
        try write("a file", to: parent.appendingPathComponent("file"))
        XCTAssertThrowsError(try OutputStaging.begin(replacing: parent.appendingPathComponent("file/out"))) { error in
            XCTAssertTrue("\(error)".contains("\(parent.path)/file"), "\(error)")
            XCTAssertTrue("\(error)".contains("not an existing folder"), "\(error)")
        }
    }

    func testAnUnwritableParentGivesAnErrorNamingIt() throws {
        let parent: URL
        if geteuid() == 0 {
            // Root ignores permission bits; sysfs refuses new folders even to root.
            parent = URL(fileURLWithPath: "/sys")
            guard FileManager.default.fileExists(atPath: parent.path) else { throw XCTSkip("no /sys") }
        } else {
            parent = try makeScratchFolder(self).appendingPathComponent("locked")
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: false)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: parent.path)
            addTeardownBlock { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: parent.path) }
        }
        XCTAssertThrowsError(try OutputStaging.begin(replacing: parent.appendingPathComponent("out"))) { error in
            XCTAssertTrue("\(error)".contains("cannot write into the folder '\(parent.path)'"), "\(error)")
        }
    }
}
