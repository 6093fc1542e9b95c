import Foundation
import Report

/// The cache key of every cached stage, computed from the options and the build's code digests
/// before anything runs. A key hashes the stage's name, the digest of the code it runs
/// (`StageCode`), the seed, the profile settings it reads and the keys of the stages it reads, so
/// a change to any of them recomputes the stage and every stage after it.
struct StageKeys {
    var base: CacheKey
    /// Base training's periodic checkpoint (same inputs as `base`).
    var baseCheckpoint: CacheKey
    var attack: CacheKey
    var hardening: CacheKey
    var transfer: CacheKey

    /// `code` maps each source file to its SHA-256 (default: the build's).
    init(options: StudyOptions, code: [String: String] = StageCode.builtFiles) throws {
        let profile = options.profile
        func key(_ stage: String, _ code: StageCode, _ settings: [any Encodable], upstream: [CacheKey]) throws -> CacheKey {
            try CacheKey(stage: stage, codeDigest: code.digest(in: codeTable),
                         inputs: try StageKeys.description(seed: options.seed, settings, upstream: upstream))
        }
        let codeTable = code
        base = try key("base", .training, [profile.base], upstream: [])
        baseCheckpoint = try key("base-checkpoint", .training, [profile.base], upstream: [])
        attack = try key("attack", .attack, [["pairs": profile.pairs], profile.attack, profile.fooling,
                                            ["fgsmEpsilons": profile.fgsmEpsilons]], upstream: [base])
        hardening = try key("hardening", .training, [profile.hardening], upstream: [attack])
        transfer = try key("transfer", .training, [profile.transfer, ["images": profile.transferTrainImages]],
                           upstream: [attack])
    }

    /// Every key by stage name (for tests).
    var all: [String: CacheKey] {
        ["base": base, "base-checkpoint": baseCheckpoint, "attack": attack, "hardening": hardening, "transfer": transfer]
    }

    /// The text a key hashes besides the stage name and code: seed, settings (JSON, sorted keys),
    /// the upstream keys.
    static func description(seed: UInt64, _ settings: [any Encodable], upstream: [CacheKey]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let texts = try settings.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        return "seed=\(seed)|\(texts.joined(separator: "|"))|" + upstream.map(\.hex).joined(separator: ",")
    }
}
