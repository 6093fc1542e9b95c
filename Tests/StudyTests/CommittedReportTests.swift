import Attacks
import Digest
import Engine
import Foundation
import Report
@testable import Study
import XCTest

/// Checks the committed `out/` (the `paper` profile's report) against what the issues require,
/// from the stored files alone.
final class CommittedReportTests: XCTestCase {
    static let out = SmokeRunTests.repository.appendingPathComponent("out")

    func summary() throws -> JSONValue {
        try JSONValue(parsing: try FileTree.bytes(of: Self.out.appendingPathComponent("summary.json")))
    }

    func testTheCommittedReportIsThePaperProfile() throws {
        XCTAssertEqual(try summary()["profile"]?.stringValue, "paper")
    }

    func testEveryStoredAdversarialIsClassifiedAsItsTargetAndStaysInThePixelRange() throws {
        let data = Self.out.appendingPathComponent("data")
        let model = try Model(contentsOf: data.appendingPathComponent("base-net.weights"))
        let attempts = try PairFiles.read(from: data, name: "adversarial-pairs")
        let pairs = attempts.filter(\.success)
        XCTAssertEqual(pairs.count, 208)
        XCTAssertEqual(try summary().value(atPath: "adversarial.pairs")?.numberValue, 208)
        let net = Network(model)
        for (i, pair) in pairs.enumerated() {
            XCTAssertTrue(pair.adversarial.allSatisfy { (0...1).contains($0) }, "pair \(i) leaves [0, 1]")
            XCTAssertNotEqual(pair.target, pair.trueLabel)
            net.forward(pair.original)
            XCTAssertEqual(net.predictedClass, pair.trueLabel, "pair \(i): original misclassified")
            net.forward(pair.adversarial)
            XCTAssertEqual(net.predictedClass, pair.target, "pair \(i): adversarial not classified as its target")
        }
    }

    func testTheTablesHaveThePapersShapeAndOneControlPerRow() throws {
        let tables = try XCTUnwrap(try summary().value(atPath: "hardening.tables"))
        for grouping in ["Both", "Orig", "Adv"] {
            for lr in ["0.001", "0.003"] {
                let row = try XCTUnwrap(tables[grouping]?[lr]?.arrayElements, "\(grouping) \(lr)").compactMap(\.numberValue)
                XCTAssertEqual(row.count, 8, "\(grouping) \(lr)")
                XCTAssertEqual(row[0], row[4], "C^c and C^f differ in \(grouping) \(lr)")
            }
        }
        let seeds = try XCTUnwrap(try summary().value(atPath: "hardening.seeds.count")?.numberValue)
        XCTAssertGreaterThanOrEqual(seeds, 10)
    }

    func testTheBaseNetReachesTheTargetAccuracy() throws {
        let accuracy = try XCTUnwrap(try summary().value(atPath: "base.test_accuracy")?.numberValue)
        XCTAssertGreaterThanOrEqual(accuracy, 0.988)
        XCTAssertEqual(try summary().value(atPath: "base.epochs")?.numberValue, 100)
    }

    /// A stale `out/` fails: the committed manifest must name the paper profile's current settings
    /// and the digest of the code this build was made from (regenerate `out/` after any edit of
    /// Sources/, Templates/ or Package.swift).
    func testTheManifestRecordsTheCurrentSettingsAndCode() throws {
        let manifest = try Manifest.read(from: Self.out)
        let options = StudyOptions(profile: .paper, seed: 1, outDirectory: Self.out, cacheDirectory: Self.out,
                                   dataDirectory: Self.out, templatesDirectory: Self.out, fresh: false)
        XCTAssertEqual(manifest.settingsHash, try Study(options: options).settingsHash(), "out/ was made with other settings")
        XCTAssertEqual(manifest.codeDigest, StageCode.report.digest(), "out/ was made by other code: regenerate it")
    }

    func testTheManifestListsEveryFileWithItsChecksum() throws {
        let manifest = try Manifest.read(from: Self.out)
        let files = try FileTree.relativeFilePaths(under: Self.out).filter { $0 != Manifest.fileName }
        XCTAssertEqual(manifest.entries.map(\.path), files.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        for entry in manifest.entries {
            XCTAssertEqual(SHA256.hex(try FileTree.bytes(of: Self.out.appendingPathComponent(entry.path))), entry.sha256, entry.path)
        }
    }

    func testFiguresOneToThirteenAreListedAndPresent() throws {
        let figures = try XCTUnwrap(try summary()["figures"]?.arrayElements)
        let numbers = Set(figures.compactMap { $0["number"]?.numberValue }.map { Int($0) })
        XCTAssertTrue(numbers.isSuperset(of: 1...13))
        for figure in figures {
            let file = try XCTUnwrap(figure["file"]?.stringValue)
            XCTAssertTrue(FileManager.default.fileExists(atPath: Self.out.appendingPathComponent(file).path), file)
        }
    }
}
