import Foundation
import TestSupport
import XCTest

/// The `report` executable on the smoke profile, sharing one filled cache: a damaged cache entry,
/// `--check`, and interruptions (SIGTERM, SIGINT, kill -9).
final class SmokeCommandTests: XCTestCase {
    var reference: URL { get throws { try Harness.sharedSmoke().appendingPathComponent("out") } }

    func testADamagedCacheEntryIsReportedAndRecomputed() throws {
        let dir = try makeScratchFolder(self)
        let cache = try Harness.cacheCopy(in: dir)
        let entry = try Harness.entry("transfer-net", in: cache)
        var bytes = try Data(contentsOf: entry)
        bytes[bytes.count - 10] ^= 0x20
        try bytes.write(to: entry)
        let out = dir.appendingPathComponent("out")
        let result = try Harness.run(Harness.smoke(out: out, cache: cache), in: dir)
        XCTAssertEqual(result.status, 0, result.stderr)
        let line = try XCTUnwrap(result.stderr.split(separator: "\n").first { $0.contains("damaged") }, result.stderr)
        XCTAssertTrue(line.contains("transfer-net") && line.contains("SHA-256") && line.contains("recomputing"), String(line))
        XCTAssertTrue(result.stderr.contains("[transfer-net] started"), "recomputed, not trusted")
        XCTAssertTrue(result.stderr.contains("[hardening] from cache"), "other entries still serve")
        XCTAssertEqual(Harness.snapshot(out), Harness.snapshot(try reference), "the same report as the undamaged run")
        XCTAssertTrue(Harness.everyEntryIsWhole(cache), "the entry was rewritten whole")

        // A truncated entry (a file cut short by a crash elsewhere) is caught the same way.
        let cut = try Harness.entry("base", in: cache)
        try Data(try Data(contentsOf: cut).prefix(100)).write(to: cut)
        let again = try Harness.run(Harness.smoke(out: out, cache: cache), in: dir)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("cache entry base/") && again.stderr.contains("damaged"), again.stderr)
        XCTAssertEqual(Harness.snapshot(out), Harness.snapshot(try reference))
    }

    func testCheckExitsZeroOnTheSameReportAndOneOnADifferenceLeavingOutAlone() throws {
        let dir = try makeScratchFolder(self)
        let cache = try Harness.cacheCopy(in: dir)
        let out = dir.appendingPathComponent("out")
        try FileManager.default.copyItem(at: try reference, to: out)
        let same = try Harness.run(Harness.smoke(out: out, cache: cache) + ["--check"], in: dir)
        XCTAssertEqual(same.status, 0, same.stderr)
        XCTAssertTrue(same.stderr.contains("reproduced byte for byte"), same.stderr)

        let summary = out.appendingPathComponent("summary.json")
        try (try Data(contentsOf: summary) + Data(" ".utf8)).write(to: summary)
        try FileManager.default.removeItem(at: out.appendingPathComponent("style.css"))
        let before = Harness.snapshot(out)
        let changed = try Harness.run(Harness.smoke(out: out, cache: cache) + ["--check"], in: dir)
        XCTAssertEqual(changed.status, 1, changed.stderr)
        let text = changed.stdout + changed.stderr
        XCTAssertTrue(text.contains("summary.json") && text.contains("differs"), text)
        XCTAssertTrue(text.contains("style.css") && text.contains("new in this run"), text)
        XCTAssertEqual(Harness.snapshot(out), before, "--check never writes into out/")
        XCTAssertEqual(Harness.leftovers(beside: out), [])
    }

    /// Starts a smoke run and sends `signal` once standard error shows `trigger`; returns the run.
    func interrupt(_ arguments: [String], in dir: URL, at trigger: String, with signal: Int32) throws -> Harness.Result {
        let (process, _, err) = Harness.process(arguments, in: dir)
        let seen = Locked(Data())
        let sent = Locked(false)
        err.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            seen.withLock { $0.append(chunk) }
            if String(decoding: seen.value, as: UTF8.self).contains(trigger), !sent.value {
                sent.set(true)
                kill(process.processIdentifier, signal)
            }
        }
        try process.run()
        process.waitUntilExit()
        err.fileHandleForReading.readabilityHandler = nil
        seen.withLock { $0.append(err.fileHandleForReading.readDataToEndOfFile()) }
        XCTAssertTrue(sent.value, "'\(trigger)' never appeared: \(String(decoding: seen.value, as: UTF8.self))")
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return Harness.Result(status: status, stdout: "", stderr: String(decoding: seen.value, as: UTF8.self))
    }

    func testSIGTERMAndSIGINTStopCleanlyAndLeaveOutAsItWas() throws {
        let dir = try makeScratchFolder(self)
        let cache = try Harness.cacheCopy(in: dir)
        try FileManager.default.removeItem(at: try Harness.entry("transfer-net", in: cache))
        let out = try Harness.previousOut(in: dir)
        let before = Harness.snapshot(out)
        for (signal, name, trigger) in [(SIGTERM, "SIGTERM", "[transfer-net] started"), (SIGINT, "SIGINT", "[figures] started")] {
            let result = try interrupt(Harness.smoke(out: out, cache: cache), in: dir, at: trigger, with: signal)
            XCTAssertEqual(result.status, 128 + signal, result.stderr)
            XCTAssertTrue(result.stderr.contains("stopped by \(name)") && result.stderr.contains("as it was"), result.stderr)
            XCTAssertEqual(Harness.snapshot(out), before, "\(name): out/ untouched")
            XCTAssertEqual(Harness.leftovers(beside: out), [], "\(name): the staging folder is removed")
            XCTAssertTrue(Harness.everyEntryIsWhole(cache), "\(name): cache entries are whole")
        }
    }

    func testAKillAtAnyStageLeavesOutIntactAndTheNextRunResumes() throws {
        let dir = try makeScratchFolder(self)
        let cache = try Harness.cacheCopy(in: dir)
        try FileManager.default.removeItem(at: try Harness.entry("transfer-net", in: cache))
        let out = try Harness.previousOut(in: dir)
        let before = Harness.snapshot(out)
        for trigger in ["[transfer-net] started", "[figures] started", "[report] started"] {
            let result = try interrupt(Harness.smoke(out: out, cache: cache), in: dir, at: trigger, with: SIGKILL)
            XCTAssertEqual(result.status, 128 + SIGKILL)
            XCTAssertEqual(Harness.snapshot(out), before, "killed at \(trigger): out/ untouched")
            XCTAssertTrue(Harness.everyEntryIsWhole(cache), "killed at \(trigger): cache entries are whole")
        }
        let resumed = try Harness.run(Harness.smoke(out: out, cache: cache), in: dir)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("[attack] from cache"), resumed.stderr)
        XCTAssertEqual(Harness.snapshot(out), Harness.snapshot(try reference), "the resumed run gives the same report")
        XCTAssertEqual(Harness.leftovers(beside: out), [], "leftovers of the killed runs are cleaned up")
    }
}
