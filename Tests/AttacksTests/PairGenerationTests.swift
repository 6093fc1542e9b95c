@testable import Attacks
import Engine
import Foundation
import Random
import StudyTypes
import XCTest

final class PairGenerationTests: XCTestCase {
    func generate(count: Int, workers: Int, pool: LabelledImages, settings: AttackSettings = AttackSettings(),
                  alsoFinalRules: [FinalCRule] = [],
                  progress: (@Sendable (AttackProgress) -> Void)? = nil) throws -> PairGeneration {
        var rng = RandomStream(rootSeed: 42, name: "pairs")
        return try generateAdversarialPairs(model: TinyProblem.model, pool: pool, count: count, settings: settings,
                                            alsoFinalRules: alsoFinalRules, rng: &rng, workers: workers, progress: progress)
    }

    func testAnotherFinalRuleFromTheSameSearchesEqualsItsOwnGeneration() throws {
        let pool = try TinyProblem.pool(30, seed: 16)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for (primary, other) in [(FinalCRule.laggedLowerBound, FinalCRule.largestSuccessful), (.largestSuccessful, .laggedLowerBound)] {
            var settings = AttackSettings(), otherSettings = AttackSettings()
            settings.finalC = primary
            otherSettings.finalC = other
            let shared = try generate(count: 6, workers: 2, pool: pool, settings: settings, alsoFinalRules: [other])
            let alone = try generate(count: 6, workers: 2, pool: pool, settings: settings)
            let own = try generate(count: 6, workers: 1, pool: pool, settings: otherSettings)
            XCTAssertEqual(try encoder.encode(shared.attempts), try encoder.encode(alone.attempts), "the primary is unchanged")
            XCTAssertEqual(shared.misclassifiedSkipped, alone.misclassifiedSkipped)
            XCTAssertNotEqual(try encoder.encode(own.attempts), try encoder.encode(alone.attempts),
                              "the two rules give different pairs on this problem")
            XCTAssertEqual(shared.finalRuleAlternatives.count, 1)
            XCTAssertEqual(try encoder.encode(shared.finalRuleAlternatives[0]), try encoder.encode(own),
                           "\(other) from \(primary)'s searches is \(other)'s own generation, byte for byte")
        }
    }

    func testGenerationIsByteIdenticalAcrossRunsAndWorkerCounts() throws {
        let pool = try TinyProblem.pool(20, seed: 10)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys  // JSONEncoder orders keys by hash otherwise
        let first = try encoder.encode(generate(count: 5, workers: 2, pool: pool))
        let second = try encoder.encode(generate(count: 5, workers: 2, pool: pool))
        let single = try encoder.encode(generate(count: 5, workers: 1, pool: pool))
        XCTAssertEqual(first, second)
        XCTAssertEqual(first, single)
    }

    func testGenerationStopsAtTheNeededSuccessWithDistinctSourcesAndTargetsOffTheLabel() throws {
        let pool = try TinyProblem.pool(20, seed: 11)
        let result = try generate(count: 6, workers: 2, pool: pool)
        XCTAssertEqual(result.pairs.count, 6)
        XCTAssertTrue(result.attempts.last!.success, "the last attempt is the needed success")
        XCTAssertEqual(Set(result.attempts.map(\.sourceIndex)).count, result.attempts.count, "drawn without replacement")
        for p in result.attempts {
            XCTAssertNotEqual(p.target, p.trueLabel)
            XCTAssertEqual(p.trueLabel, pool.labels[p.sourceIndex])
            XCTAssertEqual(p.original, pool.image(p.sourceIndex))
        }
    }

    func testMisclassifiedDrawsAreSkippedAndCounted() throws {
        // Relabel every image of class 2 as class 0: the net calls them 2, so they are skipped.
        let clean = try TinyProblem.pool(12, seed: 12)
        let pool = try LabelledImages(pixels: clean.pixels, labels: clean.labels.map { $0 == 2 ? 0 : $0 },
                                     pixelsPerImage: clean.pixelsPerImage)
        let result = try generate(count: 8, workers: 2, pool: pool)
        XCTAssertEqual(result.misclassifiedSkipped, 4, "all four relabelled images are drawn before the 8th success")
        XCTAssertTrue(result.attempts.allSatisfy { clean.labels[$0.sourceIndex] != 2 })
    }

    func testFailuresAreKeptAndAnExhaustedPoolThrows() throws {
        var settings = AttackSettings()
        settings.optimizer.maxEvaluations = 1
        let pool = try TinyProblem.pool(4, seed: 13)
        XCTAssertThrowsError(try generate(count: 1, workers: 2, pool: pool, settings: settings)) {
            XCTAssertEqual($0 as? AttackError, .poolExhausted(successes: 0, needed: 1, attempts: 4, poolSize: 4))
        }
    }

    func testProgressCountsEveryFinishedAttack() throws {
        let pool = try TinyProblem.pool(20, seed: 14)
        let seen = Counter()
        let result = try generate(count: 4, workers: 2, pool: pool) { seen.record($0) }
        XCTAssertGreaterThanOrEqual(seen.last.done, result.attempts.count)
        XCTAssertGreaterThanOrEqual(seen.last.successes, 4)
        XCTAssertEqual(seen.last.needed, 4)
        XCTAssertEqual(seen.calls, seen.last.done)
    }

    func testBadGenerationRequestsThrow() throws {
        let pool = try TinyProblem.pool(4, seed: 15)
        XCTAssertThrowsError(try generate(count: 0, workers: 2, pool: pool)) {
            XCTAssertTrue("\($0)".contains("pair count must be >= 1"), "\($0)")
        }
        XCTAssertThrowsError(try LabelledImages(pixels: [0, 0, 0], labels: [0], pixelsPerImage: 144)) {
            XCTAssertTrue("\($0)".contains("3 pixels for 1 labels"), "\($0)")
        }
        let wrongSize = try LabelledImages(pixels: [Float](repeating: 0, count: 784), labels: [1], pixelsPerImage: 784)
        XCTAssertThrowsError(try generate(count: 1, workers: 2, pool: wrongSize)) {
            XCTAssertTrue("\($0)".contains("784 pixels, the network takes \(TinyProblem.architecture.pixels)"), "\($0)")
        }
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var calls = 0
    private(set) var last = AttackProgress(done: 0, successes: 0, needed: 0)
    func record(_ progress: AttackProgress) {
        lock.lock(); defer { lock.unlock() }
        calls += 1
        last = progress
    }
}
