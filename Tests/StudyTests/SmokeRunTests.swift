import Foundation
@testable import Study
import XCTest

/// The whole pipeline end to end at the `smoke` scale.
final class SmokeRunTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("smoke-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    func options(in dir: URL, out: String = "out", fresh: Bool = false) -> StudyOptions {
        StudyOptions(profile: .smoke, seed: 1, outDirectory: dir.appendingPathComponent(out),
                     cacheDirectory: dir.appendingPathComponent("cache"),
                     dataDirectory: Self.repository.appendingPathComponent("data/mnist"),
                     templatesDirectory: Self.repository.appendingPathComponent("Templates"), fresh: fresh)
    }

    /// Every file below `dir`, by relative path, with its bytes.
    func contents(of dir: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let base = dir.standardizedFileURL.path
        for case let url as URL in FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)! {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            files[String(url.standardizedFileURL.path.dropFirst(base.count))] = try Data(contentsOf: url)
        }
        return files
    }

    func testASmokeRunWritesTheSummary() throws {
        let dir = try temporaryDirectory()
        try Study(options: options(in: dir)).run()
        let summary = try JSONSerialization.jsonObject(
            with: Data(contentsOf: dir.appendingPathComponent("out/summary.json"))) as! [String: Any]
        XCTAssertEqual(summary["profile"] as? String, "smoke")
        let base = try XCTUnwrap(summary["base"] as? [String: Any])
        XCTAssertEqual(base["parameters"] as? Int, 105_506)
        XCTAssertGreaterThan(try XCTUnwrap(base["test_accuracy"] as? Double), 0.2)
    }

    func testTwoFreshSmokeRunsGiveByteIdenticalOutputs() throws {
        let dir = try temporaryDirectory()
        try Study(options: options(in: dir, out: "first", fresh: true)).run()
        try Study(options: options(in: dir, out: "second", fresh: true)).run()
        let first = try contents(of: dir.appendingPathComponent("first"))
        let second = try contents(of: dir.appendingPathComponent("second"))
        XCTAssertFalse(first.isEmpty)
        XCTAssertEqual(first.keys.sorted(), second.keys.sorted())
        for (path, bytes) in first { XCTAssertEqual(bytes, second[path], "\(path) differs between runs") }
    }

    func testACachedRunGivesTheSameOutputsAsAFreshOne() throws {
        let dir = try temporaryDirectory()
        try Study(options: options(in: dir, out: "first", fresh: true)).run()
        try Study(options: options(in: dir, out: "second")).run()
        XCTAssertEqual(try contents(of: dir.appendingPathComponent("first")),
                       try contents(of: dir.appendingPathComponent("second")))
    }

    func testARunThatFailsLateKeepsThePreviousOutputAndTheNextRunResumesFromTheCache() throws {
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("previous".utf8).write(to: out.appendingPathComponent("summary.json"))
        // Templates that parse but lack the stylesheet: the run fails at its very end.
        let templates = dir.appendingPathComponent("templates")
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("Templates"), to: templates)
        try FileManager.default.removeItem(at: templates.appendingPathComponent("style.css"))
        var broken = options(in: dir)
        broken.templatesDirectory = templates
        XCTAssertThrowsError(try Study(options: broken).run())
        XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("summary.json")), Data("previous".utf8))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("out.") }, [],
                       "no staging folder left behind")

        let log = EventLog()
        try Study(options: options(in: dir), events: log.record).run()
        // The transfer net and the author's-net sensitivity runs train on their own thread beside base
        // training, so their events may come first.
        XCTAssertEqual(Set(log.cached), ["transfer-net", "sensitivity-authors", "base", "attack", "hardening", "sensitivity", "monte-carlo", "darwinian"])
        XCTAssertNotEqual(try Data(contentsOf: out.appendingPathComponent("summary.json")), Data("previous".utf8))
    }

    func testAFailingRunLeavesThePreviousOutputIntact() throws {
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("previous".utf8).write(to: out.appendingPathComponent("summary.json"))
        var broken = options(in: dir)
        broken.dataDirectory = dir.appendingPathComponent("no-such-data")
        XCTAssertThrowsError(try Study(options: broken).run()) { error in
            XCTAssertTrue("\(error)".contains("train-images-idx3-ubyte.gz"), "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("summary.json")), Data("previous".utf8))
    }
}

/// Collects the names of the stages a run read from the cache.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var names: [String] = []

    var cached: [String] { lock.withLock { names } }

    func record(_ event: StudyEvent) {
        if case .stageCached(let name) = event { lock.withLock { names.append(name) } }
    }
}
