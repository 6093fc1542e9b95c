import Analysis
import Engine
import Figures
import Experiments
import Foundation
import MNIST
import Random
import Report

/// What a run of the study is asked to do.
public struct StudyOptions: Sendable {
    public var profile: Profile
    public var seed: UInt64
    public var outDirectory: URL
    public var cacheDirectory: URL
    public var dataDirectory: URL
    public var templatesDirectory: URL
    /// The paper's numbers (`data/paper/reference.json`).
    public var referenceFile: URL
    /// Ignore cached stage outputs (they are still refreshed).
    public var fresh: Bool

    public init(profile: Profile, seed: UInt64, outDirectory: URL, cacheDirectory: URL, dataDirectory: URL,
                templatesDirectory: URL, fresh: Bool) {
        self.profile = profile
        self.seed = seed
        self.outDirectory = outDirectory
        self.cacheDirectory = cacheDirectory
        self.dataDirectory = dataDirectory
        self.templatesDirectory = templatesDirectory
        referenceFile = dataDirectory.deletingLastPathComponent().appendingPathComponent("paper/reference.json")
        self.fresh = fresh
    }
}

/// Something a long run reports while it works (for the terminal, never for `out/`).
public enum StudyEvent: Sendable {
    case stageStarted(String)
    case stageCached(String)
    case stageFinished(String, seconds: Double)
    case training(TrainingProgress)
    /// `done` of `total` units of a stage's work (`note` names the units).
    case progress(String, done: Int, total: Int, note: String)
    case message(String)
}

/// The study's stages, in order. The only place that knows that order and what is cached.
public struct Study {
    public let options: StudyOptions
    let events: @Sendable (StudyEvent) -> Void

    public init(options: StudyOptions, events: @escaping @Sendable (StudyEvent) -> Void = { _ in }) {
        self.options = options
        self.events = events
    }

    /// Named random streams, one per stage, all derived from the root seed.
    func stream(_ name: String) -> RandomStream { RandomStream(rootSeed: options.seed, name: name) }

    /// Runs every stage and replaces `out/` with the new report once it is complete.
    public func run() throws {
        try OutputStaging.replace(options.outDirectory) { staging in try run(into: staging) }
    }

    /// Runs every stage, writing the report into `folder` (an empty staging folder).
    public func run(into folder: URL) throws {
        // Our own worker threads run in parallel; OpenBLAS (under liblbfgsb) must not add a pool.
        OpenBLASRuntime.pinToOneThread()
        let data = try stage("data") { try MNIST(directory: options.dataDirectory) }
        let paper = try PaperReference.load(from: options.referenceFile)
        let (base, baseKey) = try cachedStage("base", inputs: options.profile.base) { () throws -> BaseTrainingResult in
            try baseStage(data: data)
        }
        let (attack, attackKey) = try cachedStage("attack", inputs: ["pairs": options.profile.pairs], upstream: [baseKey],
                                                  settings: [options.profile.attack, options.profile.fooling]) {
            try attackStage(base: base.model, data: data)
        }
        let pairs = attack.generation.pairs.map(\.analysisPair)
        let (hardening, _) = try cachedStage("hardening", inputs: options.profile.hardening, upstream: [attackKey]) {
            try hardeningStage(base: base.model, pairs: pairs, data: data)
        }
        let (transfer, _) = try cachedStage("transfer", inputs: options.profile.transfer, upstream: [attackKey],
                                            settings: [["images": options.profile.transferTrainImages]]) {
            try transferStage(base: base.model, pairs: pairs, data: data)
        }
        let beyond = try beyondStages(base: base.model, attack: attack, attackKey: attackKey, pairs: pairs, data: data)
        let network = Network(base.model)
        let volatility = try stage("analysis") { VolatilityAnalysis(network: network, pairs: pairs) }
        let records = try stage("figures") {
            let inputs = FigureInputs(base: base, attack: attack, hardening: hardening, network: network, rng: stream("figures"))
            return try writeFigures(try inputs.all() + BeyondFigures(beyond: beyond).all(),
                                    figures: folder.appendingPathComponent("figures"), data: folder.appendingPathComponent("data"))
        }
        let results = StudyResults(base: base, attack: attack, hardening: hardening, transfer: transfer,
                                   volatility: volatility, figures: records, beyond: beyond)
        try DataFiles(results: results).write(into: folder.appendingPathComponent("data"))
        try BeyondDataFiles(beyond: beyond, pairs: pairs).write(into: folder.appendingPathComponent("data"))
        let summary = Summary(profile: options.profile, seed: options.seed, results: results)
        try FileTree.writeAtomically(try summary.json().serializedBytes() + [0x0A],
                                     to: folder.appendingPathComponent("summary.json"))
        let hash = try settingsHash()
        try stage("report") {
            let context = ReportContext(options: options, settingsHash: hash, paper: paper, results: results)
            try ReportDocuments.write(context: context.json(), templates: options.templatesDirectory, into: folder)
        }
        try Manifest(scanning: folder, settingsHash: hash).write(into: folder)
    }

    /// SHA-256 of everything that decides the results: profile settings, seed, code version.
    public func settingsHash() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let profile = String(decoding: try encoder.encode(options.profile), as: UTF8.self)
        return try Manifest.settingsHash(of: ["profile": .string(profile), "seed": .number(Double(options.seed)),
                                              "code_version": .string(Study.codeVersion)])
    }

    /// Regenerates into a temporary folder and compares it with `options.outDirectory`
    /// (which is left untouched).
    public func check() throws -> DirectoryComparison {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("report-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try run(into: scratch)
        return try DirectoryComparison(expected: options.outDirectory, actual: scratch)
    }

    // MARK: Stage plumbing

    func stage<T>(_ name: String, _ body: () throws -> T) throws -> T {
        events(.stageStarted(name))
        let start = DispatchTime.now().uptimeNanoseconds
        let value = try body()
        events(.stageFinished(name, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9))
        return value
    }

    /// A stage whose result is cached under a hash of its settings, the seed, the code version
    /// and the keys of the stages it reads (`upstream`), so changing a stage reruns it and what
    /// follows only.
    func cachedStage<T: Codable, Inputs: Encodable>(_ name: String, inputs: Inputs, upstream: [CacheKey] = [],
                                                    settings more: [any Encodable] = [],
                                                    _ body: () throws -> T) throws -> (T, CacheKey) {
        let key = try CacheKey(stage: name, codeVersion: Study.codeVersion,
                               inputs: try cacheDescription(inputs, more, upstream: upstream))
        let cache = StageCache(folder: options.cacheDirectory, fresh: options.fresh)
        if let hit = cache.load(T.self, for: key) {
            events(.stageCached(name))
            return (hit, key)
        }
        let value = try stage(name, body)
        try cache.store(value, for: key)
        return (value, key)
    }


    /// The text a stage's cache key hashes: seed, settings, and the keys of upstream stages.
    func cacheDescription(_ inputs: any Encodable, _ more: [any Encodable] = [], upstream: [CacheKey] = []) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let settings = try ([inputs] + more).map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        return "seed=\(options.seed)|\(settings.joined(separator: "|"))|" + upstream.map(\.hex).joined(separator: ",")
    }

    /// Bumped whenever a change alters what a stage computes.
    public static let codeVersion = "2026-11-26.1"
}
