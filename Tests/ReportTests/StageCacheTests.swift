import Foundation
import Report
import TestSupport
import XCTest

final class StageCacheTests: XCTestCase {
    struct Pairs: Codable, Equatable {
        var labels: [Int]
        var distortion: [Float]
    }

    let value = Pairs(labels: [3, 8], distortion: [0.25, 1.5])

    func key(_ stage: String = "attack", code: String = "v1", inputs: JSONValue = ["seed": 1, "m": 15]) throws -> CacheKey {
        try CacheKey(stage: stage, codeDigest: code, inputs: inputs)
    }

    func testStoredValueLoadsBack() throws {
        let cache = StageCache(folder: try makeScratchFolder(self))
        XCTAssertNil(cache.load(Pairs.self, for: try key()))
        try cache.store(value, for: try key())
        XCTAssertEqual(cache.load(Pairs.self, for: try key()), value)
    }

    func testKeyChangesWithStageCodeVersionAndInputs() throws {
        let base = try key()
        XCTAssertEqual(base, try key())
        XCTAssertNotEqual(base.hex, try key("hardening").hex)
        XCTAssertNotEqual(base.hex, try key(code: "v2").hex)
        XCTAssertNotEqual(base.hex, try key(inputs: ["seed": 2, "m": 15]).hex)
        XCTAssertNotEqual(base.hex, try key(inputs: ["m": 15, "seed": 1]).hex, "inputs are hashed in their written order")
    }

    func testCorruptEntryIsRecomputedAndReplaced() throws {
        let cache = StageCache(folder: try makeScratchFolder(self))
        let k = try key()
        try cache.store(value, for: k)
        var bytes = [UInt8](try Data(contentsOf: cache.url(for: k)))
        bytes[bytes.count - 3] ^= 0x55
        try Data(bytes).write(to: cache.url(for: k))
        XCTAssertNil(cache.loadBytes(k))
        XCTAssertFalse(FileManager.default.fileExists(atPath: cache.url(for: k).path), "a bad entry is removed")
        var computed = 0
        let result = try cache.value(for: k) { computed += 1; return value }
        XCTAssertEqual(result, value)
        XCTAssertEqual(computed, 1)
        _ = try cache.value(for: k) { computed += 1; return value }
        XCTAssertEqual(computed, 1, "the second call is served from the cache")
    }

    func testEntryThatDoesNotDecodeIsRecomputed() throws {
        let cache = StageCache(folder: try makeScratchFolder(self))
        let k = try key()
        try cache.storeBytes(Array("{\"labels\": \"not a list\"}".utf8), for: k)
        XCTAssertNil(cache.load(Pairs.self, for: k))
        XCTAssertFalse(FileManager.default.fileExists(atPath: cache.url(for: k).path))
    }

    func testTruncatedEntryIsAMiss() throws {
        let cache = StageCache(folder: try makeScratchFolder(self))
        let k = try key()
        try cache.store(value, for: k)
        let bytes = try Data(contentsOf: cache.url(for: k))
        try bytes.prefix(bytes.count / 2).write(to: cache.url(for: k))
        XCTAssertNil(cache.load(Pairs.self, for: k))
    }

    func testFreshIgnoresExistingEntriesButStillStores() throws {
        let folder = try makeScratchFolder(self)
        try StageCache(folder: folder).store(value, for: try key())
        let fresh = StageCache(folder: folder, fresh: true)
        XCTAssertNil(fresh.load(Pairs.self, for: try key()))
        XCTAssertEqual(StageCache(folder: folder).load(Pairs.self, for: try key()), value)
    }

    func testBadStageNameIsRejected() {
        XCTAssertThrowsError(try key("../escape"))
    }
}
