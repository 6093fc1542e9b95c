import Foundation
import Report
import XCTest
@testable import Study

final class StagePrefetchTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("prefetch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func key(_ stage: String) throws -> CacheKey {
        try CacheKey(stage: stage, codeDigest: "code", inputs: .string("inputs"))
    }

    func testAPrefetchedEntryIsHandedOverOnceWithItsValue() throws {
        let cache = StageCache(folder: folder), stored = try key("stored")
        try cache.store([1.5, 2.5], for: stored)
        let prefetch = StagePrefetch()
        prefetch.start([[.of([Double].self, stored)]], in: cache)
        guard case .hit(let value)? = prefetch.take(stored, as: [Double].self) else { return XCTFail("expected a hit") }
        XCTAssertEqual(value, [1.5, 2.5])
        XCTAssertNil(prefetch.take(stored, as: [Double].self), "taken once: the stage looks it up itself after that")
    }

    func testEntriesNotPrefetchedAreLeftToTheStage() throws {
        let prefetch = StagePrefetch()
        prefetch.start([], in: StageCache(folder: folder))
        XCTAssertNil(prefetch.take(try key("other"), as: Int.self))
    }

    func testMissingFreshAndDamagedEntriesArriveAsTheCacheReportsThem() throws {
        let cache = StageCache(folder: folder), missing = try key("missing"), damaged = try key("damaged"),
            stored = try key("stored")
        try cache.store(7, for: stored)
        try cache.storeBytes(Array("not json".utf8), for: damaged)
        let prefetch = StagePrefetch()
        prefetch.start([[.of(Int.self, missing), .of(Int.self, damaged)]], in: cache)
        prefetch.start([[.of(Int.self, stored)]], in: StageCache(folder: folder, fresh: true))
        guard case .miss? = prefetch.take(missing, as: Int.self) else { return XCTFail("expected a miss") }
        guard case .damaged? = prefetch.take(damaged, as: Int.self) else { return XCTFail("expected a damaged entry") }
        guard case .miss? = prefetch.take(stored, as: Int.self) else { return XCTFail("--fresh: every lookup misses") }
    }

    func testAnEntryTakenAsAnotherTypeIsReportedDamaged() throws {
        let cache = StageCache(folder: folder), stored = try key("stored")
        try cache.store(7, for: stored)
        let prefetch = StagePrefetch()
        prefetch.start([[.of(Int.self, stored)]], in: cache)
        guard case .damaged? = prefetch.take(stored, as: String.self) else { return XCTFail("expected a damaged entry") }
    }
}
