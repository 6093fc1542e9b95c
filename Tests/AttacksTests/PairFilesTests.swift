@testable import Attacks
import Engine
import Foundation
import Random
import StudyTypes
import XCTest

final class PairFilesTests: XCTestCase {
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pairfiles-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testStoredPairsReadBackEqualAndEachAdversarialIsItsTargetInsideTheBox() throws {
        var rng = RandomStream(rootSeed: 3, name: "files")
        var settings = AttackSettings()
        settings.optimizer.maxEvaluations = 40
        let generation = try generateAdversarialPairs(model: TinyProblem.model, pool: try TinyProblem.pool(12, seed: 20),
                                                      count: 4, settings: settings, rng: &rng)
        let directory = try temporaryDirectory()
        try PairFiles.write(generation.attempts, to: directory, name: "pairs")
        let read = try PairFiles.read(from: directory, name: "pairs", pixelsPerImage: TinyProblem.architecture.pixels)
        XCTAssertEqual(read, generation.attempts)
        let network = Network(TinyProblem.model)
        for pair in read where pair.success {
            XCTAssertTrue(pair.adversarial.allSatisfy { $0 >= 0 && $0 <= 1 })
            network.forward(pair.adversarial)
            XCTAssertEqual(network.predictedClass, pair.target)
        }
        let bytes = try Data(contentsOf: directory.appendingPathComponent("pairs-adversarial.f32"))
        XCTAssertEqual(bytes.count, read.count * TinyProblem.architecture.pixels * 4)
    }

    func testTruncatedImageFileIsRejectedWithItsPath() throws {
        let directory = try temporaryDirectory()
        let pair = AttackRecord(sourceIndex: 0, trueLabel: 0, target: 1, predicted: 1, targetConfidence: 0.9,
                                   originalConfidence: 0.8, c: 0.1, cFail: nil, imagePixels: 2, evaluations: 3, iterations: 2, runs: 1,
                                   stop: .message("WARNING: a, b"), original: [0, 0.5], adversarial: [0.25, 0.5])
        try PairFiles.write([pair], to: directory, name: "p")
        XCTAssertEqual(try PairFiles.read(from: directory, name: "p", pixelsPerImage: 2).first?.stop, .message("WARNING: a; b"))
        try Data([0, 0, 0]).write(to: directory.appendingPathComponent("p-original.f32"))
        XCTAssertThrowsError(try PairFiles.read(from: directory, name: "p", pixelsPerImage: 2)) {
            XCTAssertTrue("\($0)".contains("p-original.f32: 3 bytes, expected 8"), "\($0)")
        }
    }

    func testSummaryCountsPairsBySourceAndTarget() throws {
        let make = { (label: Int, target: Int, predicted: Int, l2: Float) in
            AttackRecord(sourceIndex: 0, trueLabel: label, target: target, predicted: predicted, targetConfidence: 0.5,
                            originalConfidence: 0.9, c: label == 3 ? 0 : 1, cFail: 10, imagePixels: 2, evaluations: 10, iterations: 5, runs: 6,
                            stop: .evaluationLimit, original: [0, 0], adversarial: [l2, 0])
        }
        let generation = PairGeneration(settings: AttackSettings(),
                                        attempts: [make(1, 2, 2, 0.5), make(1, 2, 1, 0.1), make(3, 0, 0, 0.25), make(1, 2, 2, 1)],
                                        misclassifiedSkipped: 2, variants: [])
        let summary = AdversarialSummary(generation)
        XCTAssertEqual(summary.pairs, 3)
        XCTAssertEqual(summary.attempts, 4)
        XCTAssertEqual(summary.failures, 1)
        XCTAssertEqual(summary.successRate, 0.75)
        XCTAssertEqual(summary.l2, SampleSummary([0.5, 0.25, 1], summing: .ascending))
        XCTAssertEqual(summary.l2.median, 0.5)
        XCTAssertEqual(summary.pairsBySourceTarget[1][2], 2)
        XCTAssertEqual(summary.pairsBySourceTarget[3][0], 1)
        XCTAssertEqual(summary.pairsBySourceTarget.flatMap { $0 }.reduce(0, +), 3)
        XCTAssertEqual(summary.cFinalZero, 1, "the successful 3 -> 0 pair had C = 0")
        XCTAssertEqual(summary.cFinalValues, [0, 1, 1])
    }
}

final class PairFormatDescriptionTests: XCTestCase {
    func testFormatDescriptionNamesEveryFileAndColumn() {
        let text = PairFiles.formatDescription(name: "pairs")
        for file in ["pairs.csv", "pairs-original.f32", "pairs-adversarial.f32"] { XCTAssertTrue(text.contains(file), file) }
        for column in PairFiles.columns { XCTAssertTrue(text.contains("`\(column)`"), column) }
    }
}
