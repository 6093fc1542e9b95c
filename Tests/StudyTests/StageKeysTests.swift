import StudyTypes
import Analysis
import Attacks
import Digest
import Engine
import Experiments
import Foundation
import Report
@testable import Study
import XCTest

/// The stage cache's keys: the code digest, the mapping from stages to the code they run, and
/// every profile setting reaching a key.
final class StageKeysTests: XCTestCase {
    let repository = SmokeRunTests.repository

    func options(_ profile: Profile = .smoke) -> StudyOptions {
        StudyOptions(profile: profile, seed: 1, outDirectory: URL(fileURLWithPath: "/nonexistent"),
                     cacheDirectory: URL(fileURLWithPath: "/nonexistent"), dataDirectory: URL(fileURLWithPath: "/nonexistent"),
                     templatesDirectory: URL(fileURLWithPath: "/nonexistent"), fresh: false)
    }

    // MARK: The digest function

    func testTheDigestHashesOnePathAndFileDigestLinePerCoveredFileInByteOrder() {
        let table = ["Sources/A/y.swift": "22", "Sources/A/x.swift": "11", "Sources/AB/q.swift": "55",
                     "Sources/B/z.swift": "33", "Package.swift": "44"]
        let code = StageCode(["Sources/A", "Package.swift"])
        XCTAssertEqual(code.files(in: table), ["Package.swift", "Sources/A/x.swift", "Sources/A/y.swift"],
                       "a folder covers its own files only, not a folder whose name merely starts the same")
        XCTAssertEqual(code.digest(in: table),
                       SHA256.hex(Array("Package.swift 44\nSources/A/x.swift 11\nSources/A/y.swift 22\n".utf8)))
    }

    func testOnlyCoveredFilesChangeTheDigest() {
        let table = ["Sources/A/x.swift": "11", "Sources/A/skip.swift": "66", "Sources/B/z.swift": "33"]
        let code = StageCode(["Sources/A"], excluding: ["Sources/A/skip.swift"])
        var edited = table
        edited["Sources/A/x.swift"] = "12"
        XCTAssertNotEqual(code.digest(in: table), code.digest(in: edited), "an edit of a covered file")
        for outside in ["Sources/A/skip.swift", "Sources/B/z.swift"] {
            edited = table
            edited[outside] = "99"
            XCTAssertEqual(code.digest(in: table), code.digest(in: edited), outside)
        }
        edited = table
        edited["Sources/A/new.swift"] = "77"
        XCTAssertNotEqual(code.digest(in: table), code.digest(in: edited), "a new file in a covered folder")
    }

    /// The table compiled in by the CodeDigestPlugin is the tree on disk: no file missed, none stale.
    func testTheBuiltDigestsAreThoseOfTheFilesOnDisk() throws {
        var onDisk = ["Package.swift": SHA256.hex(try FileTree.bytes(of: repository.appendingPathComponent("Package.swift")))]
        for folder in ["Sources", "Templates"] {
            let base = repository.appendingPathComponent(folder)
            for path in try FileTree.relativeFilePaths(under: base) where !path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
                onDisk[folder + "/" + path] = SHA256.hex(try FileTree.bytes(of: base.appendingPathComponent(path)))
            }
        }
        XCTAssertEqual(Set(StageCode.builtFiles.keys), Set(onDisk.keys))
        for (path, digest) in onDisk { XCTAssertEqual(StageCode.builtFiles[path], digest, "\(path) changed since the build") }
    }

    // MARK: Stages and the code they run

    /// The modules each folder of Sources imports (only those that are folders of Sources).
    func imports() throws -> [String: Set<String>] {
        let sources = repository.appendingPathComponent("Sources")
        let targets = Set(try FileManager.default.contentsOfDirectory(atPath: sources.path))
        var result: [String: Set<String>] = [:]
        for target in targets {
            var modules = Set<String>()
            for path in try FileTree.relativeFilePaths(under: sources.appendingPathComponent(target)) where path.hasSuffix(".swift") {
                let text = String(decoding: try FileTree.bytes(of: sources.appendingPathComponent(target + "/" + path)), as: UTF8.self)
                for line in text.split(separator: "\n") {
                    let words = line.split(separator: " ").filter { $0 != "@testable" && !$0.hasPrefix("@_") }
                    if words.count >= 2, words[0] == "import", targets.contains(String(words[1])) { modules.insert(String(words[1])) }
                }
            }
            result[target] = modules
        }
        return result
    }

    func testEveryComputingStageRunsEveryTargetItsTargetsImport() throws {
        let graph = try imports()
        for (name, code) in [("training", StageCode.training), ("attack", StageCode.attack)] {
            let targets = Set(code.paths.filter { $0.hasPrefix("Sources/") }.map { String($0.dropFirst("Sources/".count)) })
            for target in targets where target != "Study" {
                XCTAssertNotNil(graph[target], "\(name) names Sources/\(target), which does not exist")
                for module in graph[target] ?? [] {
                    XCTAssertTrue(targets.contains(module), "\(name) runs \(target), which imports \(module), not in its code")
                }
            }
            XCTAssertTrue(code.contains("Package.swift"), "\(name): the compiler flags decide the bits too")
            XCTAssertTrue(code.contains("Sources/Study/Stages.swift"), "\(name): Study's stage code")
        }
        XCTAssertTrue(StageCode.training.contains("Sources/Experiments/BaseTraining.swift"))
        XCTAssertTrue(StageCode.attack.contains("Sources/Attacks/SzegedyAttack.swift"))
        XCTAssertFalse(StageCode.training.contains("Sources/Attacks/SzegedyAttack.swift"))
    }

    func testPresentationCodeReachesNoCachedStage() throws {
        for file in StageCode.presentation {
            XCTAssertTrue(FileManager.default.fileExists(atPath: repository.appendingPathComponent(file).path), "\(file) is gone")
        }
        let presentation = StageCode.builtFiles.keys.filter {
            $0.hasPrefix("Sources/Figures/") || $0.hasPrefix("Sources/Report/") || $0.hasPrefix("Templates/")
                || $0.hasPrefix("Sources/ReportCommand/") || StageCode.presentation.contains($0)
        }
        XCTAssertGreaterThan(presentation.count, 30)
        for file in presentation {
            XCTAssertFalse(StageCode.training.contains(file), file)
            XCTAssertFalse(StageCode.attack.contains(file), file)
            XCTAssertTrue(StageCode.report.contains(file), "\(file) reaches out/ and must be in the manifest's code digest")
        }
    }

    /// An edit of one file of `folder` (simulated on the build's digest table).
    func keys(editing file: String) throws -> [String: String] {
        var table = StageCode.builtFiles
        XCTAssertNotNil(table[file], file)
        table[file] = String(repeating: "0", count: 64)
        return try StageKeys(options: options(), code: table).all.mapValues(\.hex)
    }

    func testEditingAStagesCodeRecomputesItAndTheStagesAfterItOnly() throws {
        let original = try StageKeys(options: options()).all.mapValues(\.hex)
        let everything = Set(original.keys)
        let cases: [(String, Set<String>)] = [
            ("Sources/Engine/Network.swift", everything),
            ("Sources/MNIST/MNIST.swift", everything),
            ("Sources/Experiments/BaseTraining.swift", everything),
            ("Sources/Study/Stages.swift", everything),
            ("Package.swift", everything),
            ("Sources/Attacks/SzegedyAttack.swift", ["attack", "hardening", "sensitivity", "sensitivity-authors", "monte-carlo", "darwinian"]),
            ("Sources/CLBFGSB/shim.h", ["attack", "hardening", "sensitivity", "sensitivity-authors", "monte-carlo", "darwinian"]),
            ("Sources/Figures/Figure.swift", []),
            ("Sources/Report/Manifest.swift", []),
            ("Sources/Study/ReportContext.swift", []),
            ("Sources/Study/Summary.swift", []),
            ("Templates/report.md.mustache", []),
            ("Sources/bench/main.swift", []),
        ]
        for (file, expected) in cases {
            let edited = try keys(editing: file)
            let changed = Set(original.keys.filter { original[$0] != edited[$0] })
            XCTAssertEqual(changed, expected, "editing \(file)")
        }
    }

    // MARK: Every setting reaches a key

    /// Fields that decide no cached result, with the reason.
    let exempt = ["name": "labels the report only"]

    func testEveryFieldOfProfileIsEncodedAndReachesAStageKey() throws {
        for profile in Profile.all {
            let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(profile))
            var leaves: [[PathStep]] = []
            collectLeaves(json, path: [], into: &leaves)
            // Mirror: every stored property (recursively) is in the encoding, so nothing escapes the walk.
            let encodedPaths = Set(leaves.map { $0.filter { if case .key = $0 { true } else { false } } }.map(render))
            for field in mirrorLeaves(profile, path: "") {
                XCTAssertTrue(encodedPaths.contains(where: { $0 == field || $0.hasPrefix(field + ".") }),
                              "\(profile.name): Profile.\(field) is not encoded, so no key can see it")
            }
            let original = try StageKeys(options: options(profile)).all.mapValues(\.hex)
            for leaf in leaves {
                let path = render(leaf)
                if exempt[path] != nil { continue }
                let changed = try XCTUnwrap(perturbed(json, at: leaf), "\(profile.name): cannot vary \(path)")
                let variant = try JSONDecoder().decode(Profile.self, from: JSONSerialization.data(withJSONObject: changed))
                XCTAssertNotEqual(variant, profile, path)
                let keys = try StageKeys(options: options(variant)).all.mapValues(\.hex)
                XCTAssertNotEqual(keys, original, "\(profile.name): Profile.\(path) reaches no stage key")
            }
        }
        XCTAssertNotEqual(try StageKeys(options: options()).all.mapValues(\.hex),
                          try { var o = options(); o.seed = 2; return try StageKeys(options: o).all.mapValues(\.hex) }(),
                          "the seed reaches the keys")
    }

    func testTheAttackKeyCoversTheFGSMEpsilons() throws {
        var profile = Profile.smoke
        profile.fgsmEpsilons = profile.fgsmEpsilons.map { $0 * 2 }
        XCTAssertNotEqual(try StageKeys(options: options()).attack, try StageKeys(options: options(profile)).attack)
    }

    enum PathStep { case key(String), index(Int) }

    func render(_ path: [PathStep]) -> String {
        path.map { step in
            switch step {
            case .key(let k): return k
            case .index(let i): return "[\(i)]"
            }
        }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }

    func collectLeaves(_ value: Any, path: [PathStep], into leaves: inout [[PathStep]]) {
        if let object = value as? [String: Any] {
            for (key, member) in object { collectLeaves(member, path: path + [.key(key)], into: &leaves) }
        } else if let array = value as? [Any], !array.isEmpty {
            for (i, element) in array.enumerated() { collectLeaves(element, path: path + [.index(i)], into: &leaves) }
        } else {
            leaves.append(path)
        }
    }

    func mirrorLeaves(_ value: Any, path: String) -> [String] {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .struct, !mirror.children.isEmpty else { return [path] }
        return mirror.children.flatMap { child in
            mirrorLeaves(child.value, path: path.isEmpty ? child.label! : path + "." + child.label!)
        }
    }

    /// Enumerations' raw values, the alternatives tried for a string setting.
    let alternatives = Grouping.allCases.map(\.rawValue) + VolatilityDefinition.allCases.map(\.rawValue)
        + UnitLayer.allCases.map(\.rawValue) + VolatilitySource.allCases.map(\.rawValue)
        + ActivationPoint.allCases.map(\.rawValue) + AttackDomain.allCases.map(\.rawValue)
        + GrowthStop.allCases.map(\.rawValue) + FinalCRule.allCases.map(\.rawValue)
        + SolveWrapper.allCases.map(\.rawValue) + AttackSource.allCases.map(\.rawValue)
        + ProbeCentre.allCases.map(\.rawValue) + ProbeNoise.allCases.map(\.rawValue)
        + ProbedPairs.allCases.map(\.rawValue) + ["switchOff", "gradientMask"]

    /// `json` with the scalar at `path` changed to a value that still decodes (nil if none found).
    func perturbed(_ json: Any, at path: [PathStep]) -> Any? {
        for candidate in candidates(for: value(json, at: path)) {
            let changed = replacing(json, at: path[...], with: candidate)
            if let data = try? JSONSerialization.data(withJSONObject: changed),
               (try? JSONDecoder().decode(Profile.self, from: data)) != nil { return changed }
        }
        return nil
    }

    func candidates(for value: Any) -> [Any] {
        if let number = value as? NSNumber {
            let x = number.doubleValue
            // Integers stay integers; a flag (decoded only from a boolean) is flipped.
            return (x == x.rounded() ? [x + 1, x * 2 + 1] : [x * 0.5, x + 0.125]) + [!number.boolValue]
        }
        if let text = value as? String { return alternatives.filter { $0 != text } + [text + "x"] }
        return []
    }

    func value(_ json: Any, at path: [PathStep]) -> Any {
        path.reduce(json) { node, step in
            switch step {
            case .key(let k): return (node as! [String: Any])[k]!
            case .index(let i): return (node as! [Any])[i]
            }
        }
    }

    func replacing(_ json: Any, at path: ArraySlice<PathStep>, with new: Any) -> Any {
        guard let step = path.first else { return new }
        switch step {
        case .key(let k):
            var object = json as! [String: Any]
            object[k] = replacing(object[k]!, at: path.dropFirst(), with: new)
            return object
        case .index(let i):
            var array = json as! [Any]
            array[i] = replacing(array[i], at: path.dropFirst(), with: new)
            return array
        }
    }
}
