import Digest
import Foundation
import TestSupport
import XCTest

/// Every bad input gives a non-zero exit, a one-line cause naming the problem, and an untouched
/// `out/`: the built `report` executable, run as a user would.
final class BadInputTests: XCTestCase {
    /// Runs `arguments` with a previous `out/` in place and checks the failure's shape.
    @discardableResult
    func assertRefused(_ arguments: (URL) throws -> [String], status: Int32? = nil, naming words: [String],
                       file: StaticString = #filePath, line: UInt = #line) throws -> Harness.Result {
        let dir = try makeScratchFolder(self)
        let out = try Harness.previousOut(in: dir)
        let before = Harness.snapshot(out)
        let result = try Harness.run(try arguments(dir), in: dir)
        XCTAssertNotEqual(result.status, 0, "exit status", file: file, line: line)
        if let status { XCTAssertEqual(result.status, status, result.stderr, file: file, line: line) }
        for word in words {
            XCTAssertTrue(result.message.contains(word), "'\(word)' not in the message '\(result.message)'", file: file, line: line)
        }
        XCTAssertEqual(Harness.snapshot(out), before, "out/ changed", file: file, line: line)
        XCTAssertEqual(Harness.leftovers(beside: out), [], "staging left behind", file: file, line: line)
        return result
    }

    func testAnUnknownProfileIsRefused() throws {
        try assertRefused({ ["--profile", "huge", "--out", $0.appendingPathComponent("out").path] }, status: 64,
                          naming: ["unknown profile 'huge'", "smoke"])
    }

    func testAnUnknownSubcommandIsRefused() throws {
        try assertRefused({ _ in ["frobnicate"] }, status: 64, naming: ["frobnicate"])
    }

    func testABadSeedIsRefused() throws {
        try assertRefused({ ["--seed", "twelve", "--out", $0.appendingPathComponent("out").path] }, status: 64,
                          naming: ["twelve", "--seed"])
        try assertRefused({ ["--seed=-1", "--out", $0.appendingPathComponent("out").path] }, status: 64, naming: ["'-1'", "--seed"])
    }

    func testAnOutputFolderThatCannotBeWrittenIsRefusedBeforeAnyWork() throws {
        // /proc refuses new folders even to root; a path under a regular file cannot be a folder.
        try assertRefused({ Harness.smoke(out: URL(fileURLWithPath: "/proc/report-out"), cache: $0.appendingPathComponent("cache")) },
                          naming: ["/proc"])
        let result = try assertRefused({ dir in
            try Data("x".utf8).write(to: dir.appendingPathComponent("plain-file"))
            return Harness.smoke(out: dir.appendingPathComponent("plain-file/out"), cache: dir.appendingPathComponent("cache"))
        }, naming: ["plain-file", "not an existing folder"])
        XCTAssertFalse(result.stderr.contains("[base]"), "refused before the stages ran")
    }

    func testAFileInTheWayOfTheOutputFolderIsRefusedAndKept() throws {
        let dir = try makeScratchFolder(self)
        let blocker = dir.appendingPathComponent("report-out")
        try Data("keep me\n".utf8).write(to: blocker)
        let result = try Harness.run(Harness.smoke(out: blocker, cache: dir.appendingPathComponent("cache")), in: dir)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.message.contains("report-out") && result.message.contains("a file is in the way"), result.message)
        XCTAssertEqual(try Data(contentsOf: blocker), Data("keep me\n".utf8))
        XCTAssertFalse(result.stderr.contains("[base]"), "refused before the stages ran")
    }

    /// The vendored SHA-256 of an MNIST file.
    func vendoredDigest(of name: String) throws -> String {
        let sums = try String(contentsOf: repositoryRoot.appendingPathComponent("data/mnist/SHA256SUMS"), encoding: .utf8)
        let line = try XCTUnwrap(sums.split(separator: "\n").first { $0.hasSuffix(name) })
        return String(line.split(separator: " ")[0])
    }

    func testMissingTruncatedAndAlteredMNISTFilesAreNamedWithBothChecksums() throws {
        let name = "t10k-labels-idx1-ubyte.gz"
        let original = try Data(contentsOf: repositoryRoot.appendingPathComponent("data/mnist/" + name))
        try assertRefused({ dir in
            let data = try Harness.dataFolder(in: dir)
            try FileManager.default.removeItem(at: data.appendingPathComponent(name))
            return Harness.smoke(out: dir.appendingPathComponent("out"), cache: dir.appendingPathComponent("cache"), data: data)
        }, status: 1, naming: ["missing", name])
        var altered = original
        altered[altered.count / 2] ^= 0x01
        for (what, bytes) in [("truncated", original.prefix(original.count / 2)), ("altered", altered)] {
            let result = try assertRefused({ dir in
                let data = try Harness.dataFolder(in: dir)
                try FileManager.default.removeItem(at: data.appendingPathComponent(name))
                try Data(bytes).write(to: data.appendingPathComponent(name))
                return Harness.smoke(out: dir.appendingPathComponent("out"), cache: dir.appendingPathComponent("cache"), data: data)
            }, status: 1, naming: [name, try vendoredDigest(of: name), SHA256.hex([UInt8](bytes))])
            XCTAssertFalse(result.stderr.contains("[base]"), "\(what): refused before training")
        }
    }

    func testABrokenTemplateIsNamedWithItsLineBeforeAnyStageRuns() throws {
        let result = try assertRefused({ dir in
            let templates = dir.appendingPathComponent("templates")
            try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("Templates"), to: templates)
            let file = templates.appendingPathComponent("report.md.mustache")
            var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
            lines.insert("{{#never_closed}}", at: 2)  // line 3
            try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
            return Harness.smoke(out: dir.appendingPathComponent("out"), cache: dir.appendingPathComponent("cache"), templates: templates)
        }, status: 1, naming: ["report.md.mustache:"])
        XCTAssertFalse(result.stderr.contains("[base]"), "refused before the stages ran")
    }

    func testDiffAgainstARevisionAndAgainstABadOne() throws {
        let dir = try makeScratchFolder(self)
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        func write(accuracy: Double) throws {
            try Data("{\"base\": {\"test_accuracy\": \(accuracy)}, \"profile\": \"smoke\"}\n".utf8)
                .write(to: out.appendingPathComponent("summary.json"))
            try Data("{\"settings_hash\": \"s\", \"files\": {\"summary.json\": {\"sha256\": \"\(accuracy)\", \"bytes\": 1}}}\n".utf8)
                .write(to: out.appendingPathComponent("manifest.json"))
        }
        try write(accuracy: 0.5)
        try git("init", "-q", in: dir)
        try git("add", "-A", in: dir)
        try git("commit", "-qm", "first", in: dir)
        try write(accuracy: 0.75)
        let before = Harness.snapshot(out)
        let diff = try Harness.run(["diff", "HEAD"], in: dir)
        XCTAssertEqual(diff.status, 0, diff.stderr)
        XCTAssertTrue(diff.stdout.contains("base.test_accuracy"), diff.stdout)
        XCTAssertTrue(diff.stdout.contains("0.5") && diff.stdout.contains("0.75"), diff.stdout)
        let bad = try Harness.run(["diff", "no-such-revision"], in: dir)
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.message.contains("no-such-revision"), bad.message)
        XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1, "one line: \(bad.stderr)")
        XCTAssertEqual(Harness.snapshot(out), before, "diff changes nothing")
    }
}
