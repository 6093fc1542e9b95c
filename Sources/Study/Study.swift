// Study: the only place that knows the stages' order, what is cached (StageKeys, StageCode), the
// profiles and the seeded streams; it turns results into the summary, the report context, the data
// files and the figures' plain inputs. It imports every computing target, Figures and Report; only
// the command line imports it.

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
public struct Study: Sendable {
    public let options: StudyOptions
    let events: @Sendable (StudyEvent) -> Void
    /// The cache entries `run(into:)` has started decoding ahead of their stages.
    let prefetch = StagePrefetch()

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
        _ = try TemplateSet(directory: options.templatesDirectory)  // a broken template fails now, not after the stages
        let paper = try PaperReference.load(from: options.referenceFile)
        let keys = try StageKeys(options: options, paperTables: paper.tables)
        // The largest entries first, on two threads, while MNIST loads.
        prefetch.start([[.of(AttackStage.self, keys.attack), .of(SensitivityStage.self, keys.sensitivity)],
                        [.of(HardeningResults.self, keys.hardening), .of(MonteCarloStage.self, keys.monteCarlo),
                         .of(DarwinianResults.self, keys.darwinian)]],
                       in: StageCache(folder: options.cacheDirectory, fresh: options.fresh))
        let data = try stage("data") { try MNIST(directory: options.dataDirectory) }
        // The transfer net and the sensitivity runs on the author's net need neither our base net
        // nor its pairs: they run one after the other on the other core while base training runs
        // on this one (which takes the other core too once they end, where that is faster).
        let independent = BackgroundWork { [self] in
            let net = try cachedStage(keys.transfer) { try transferNetStage(data: data) }.0
            let authors = try cachedStage(keys.sensitivityAuthors) { try authorsSensitivityStage(data: data) }.0
            return IndependentStages(transferNet: net, authorsSensitivity: authors)
        }
        let (base, _) = try cachedStage(keys.base) { () throws -> BaseTrainingResult in
            try baseStage(data: data, checkpoint: keys.baseCheckpoint, secondCoreFree: { independent.isDone })
        }
        try independent.rethrowIfFailed()
        let (attack, _) = try cachedStage(keys.attack) {
            try attackStage(base: base.model, data: data)
        }
        try independent.rethrowIfFailed()
        let pairs = attack.generation.pairs.map(\.pair)
        let (hardening, _) = try cachedStage(keys.hardening) {
            try hardeningStage(base: base.model, pairs: pairs, data: data, excludingTest: attack.testSources)
        }
        let beside = try independent.result()
        let transfer = try transferStage(net: beside.transferNet, pairs: pairs)
        // Why our tables differ (STUDY.md stage 6): one factor at a time from the primary configuration.
        let (sensitivity, _) = try cachedStage(keys.sensitivity) {
            try sensitivityStage(base: base.model, attack: attack, hardening: hardening,
                                 authors: beside.authorsSensitivity, data: data, paper: paper.tables)
        }
        let beyond = try beyondStages(base: base.model, attack: attack, keys: keys, pairs: pairs, data: data)
        let network = Network(base.model)
        let volatility = try stage("analysis") { VolatilityAnalysis(network: network, pairs: pairs) }
        let records = try stage("figures") {
            let inputs = FigureInputs(base: base, attack: attack, hardening: hardening, network: network, rng: stream("figures"))
            let sensitivityFigure = try figure18Sensitivity(SensitivityContext(stage: sensitivity).figureInput())
            return try writeFigures(try inputs.all() + [sensitivityFigure] + BeyondFigures(beyond: beyond).all(),
                                    figures: folder.appendingPathComponent("figures"), data: folder.appendingPathComponent("data"))
        }
        let results = StudyResults(base: base, attack: attack, hardening: hardening, transfer: transfer,
                                   sensitivity: sensitivity,
                                   volatility: volatility, figures: records, beyond: beyond)
        try DataFiles(results: results).write(into: folder.appendingPathComponent("data"))
        try BeyondDataFiles(beyond: beyond, pairs: pairs).write(into: folder.appendingPathComponent("data"))
        let summary = Summary(profile: options.profile, seed: options.seed, paper: paper, results: results)
        try FileTree.writeAtomically(try summary.json().serialisedBytes() + [0x0A],
                                     to: folder.appendingPathComponent("summary.json"))
        let hash = try settingsHash()
        try stage("report") {
            let context = ReportContext(options: options, settingsHash: hash, paper: paper, results: results)
            try ReportDocuments.write(context: context.json(), templates: options.templatesDirectory, into: folder)
        }
        try Manifest(scanning: folder, settingsHash: hash, codeDigest: StageCode.report.digest()).write(into: folder)
    }

    /// SHA-256 of the settings that decide the results: the profile and the seed. (The code is
    /// recorded beside it in `manifest.json` as `StageCode.report`'s digest.)
    public func settingsHash() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let profile = String(decoding: try encoder.encode(options.profile), as: UTF8.self)
        return try Manifest.settingsHash(of: ["profile": .string(profile), "seed": .number(Double(options.seed))])
    }

    /// Regenerates into a temporary folder and compares it with `options.outDirectory`
    /// (which is left untouched).
    public func check() throws -> DirectoryComparison {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("report-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        return try Interruption.cleaningUp({ try? FileManager.default.removeItem(at: scratch) }) {
            try run(into: scratch)
            return try DirectoryComparison(expected: options.outDirectory, actual: scratch)
        }
    }

    // MARK: Stage plumbing

    func stage<T>(_ name: String, _ body: () throws -> T) throws -> T {
        events(.stageStarted(name))
        let start = DispatchTime.now().uptimeNanoseconds
        let value = try body()
        events(.stageFinished(name, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9))
        return value
    }

    /// A stage cached under `key` (see `StageKeys`): read from the cache (or taken from the
    /// prefetched entries) when a sound entry exists, otherwise computed and stored. A damaged
    /// entry is reported and recomputed.
    func cachedStage<T: Codable>(_ key: CacheKey, _ body: () throws -> T) throws -> (T, CacheKey) {
        let cache = StageCache(folder: options.cacheDirectory, fresh: options.fresh)
        switch prefetch.take(key, as: T.self) ?? cache.lookup(T.self, for: key) {
        case .hit(let value):
            events(.stageCached(key.stage))
            return (value, key)
        case .damaged(let reason):
            events(.message("cache entry \(key) is damaged (\(reason)); recomputing it"))
        case .miss:
            break
        }
        let value = try stage(key.stage, body)
        try cache.store(value, for: key)
        return (value, key)
    }
}
