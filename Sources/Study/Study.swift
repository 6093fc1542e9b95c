import Engine
import Experiments
import Foundation
import MNIST
import Random

/// What a run of the study is asked to do.
public struct StudyOptions: Sendable {
    public var profile: Profile
    public var seed: UInt64
    public var outDirectory: URL
    public var cacheDirectory: URL
    public var dataDirectory: URL
    public var templatesDirectory: URL
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
        self.fresh = fresh
    }
}

/// Something a long run reports while it works (for the terminal, never for `out/`).
public enum StudyEvent: Sendable {
    case stageStarted(String)
    case stageCached(String)
    case stageFinished(String, seconds: Double)
    case training(TrainingProgress)
    case message(String)
}

/// The study's stages, in order. The only place that knows that order and what is cached.
public struct Study {
    public let options: StudyOptions
    let events: (StudyEvent) -> Void

    public init(options: StudyOptions, events: @escaping (StudyEvent) -> Void = { _ in }) {
        self.options = options
        self.events = events
    }

    /// Named random streams, one per stage, all derived from the root seed.
    func stream(_ name: String) -> RandomStream { RandomStream(rootSeed: options.seed, name: name) }

    /// Runs every stage and replaces `out/` with the new report once it is complete.
    public func run() throws {
        let data = try stage("data") { try MNIST(directory: options.dataDirectory) }
        let base = try cachedStage("base", key: options.profile.base) { () throws -> BaseTrainingResult in
            var rng = stream("base-init")
            return try trainBaseNetwork(data: data, settings: options.profile.base, rng: &rng) { events(.training($0)) }
        }
        let summary = Summary(profile: options.profile, seed: options.seed, base: base)
        try writeOutputs { staging in
            try summary.json().write(to: staging.appendingPathComponent("summary.json"))
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

    /// A stage whose result is cached under a hash of its settings, the seed and the code version.
    func cachedStage<T: Codable, K: Encodable>(_ name: String, key: K, _ body: () throws -> T) throws -> T {
        let cache = SimpleCache(directory: options.cacheDirectory)
        let keyText = cacheKey(name: name, key: key)
        if !options.fresh, let hit: T = cache.load(keyText) {
            events(.stageCached(name))
            return hit
        }
        let value = try stage(name, body)
        try cache.store(value, for: keyText)
        return value
    }

    func cacheKey<K: Encodable>(name: String, key: K) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let settings = (try? encoder.encode(key)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return "\(name)|\(Study.codeVersion)|seed=\(options.seed)|\(settings)"
    }

    /// Bumped whenever a change alters what a stage computes.
    public static let codeVersion = "2026-11-26.1"

    /// Assembles the report in a temporary folder beside `out/` and swaps it in when complete.
    func writeOutputs(_ body: (URL) throws -> Void) throws {
        let fm = FileManager.default
        let out = options.outDirectory.standardizedFileURL
        let parent = out.deletingLastPathComponent()
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let staging = parent.appendingPathComponent(".\(out.lastPathComponent).staging")
        try? fm.removeItem(at: staging)
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        do {
            try body(staging)
        } catch {
            try? fm.removeItem(at: staging)
            throw error
        }
        let backup = parent.appendingPathComponent(".\(out.lastPathComponent).previous")
        try? fm.removeItem(at: backup)
        if fm.fileExists(atPath: out.path) { try fm.moveItem(at: out, to: backup) }
        try fm.moveItem(at: staging, to: out)
        try? fm.removeItem(at: backup)
    }
}
