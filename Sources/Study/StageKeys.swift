import Experiments
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
    /// The sensitivity study ("why our tables differ"): its plan, the primary attack it varies,
    /// the paper's tables it measures distances to, and the attack and hardening it starts from.
    var sensitivity: CacheKey
    /// The sensitivity study's runs on the author's published net (and their attack): the same
    /// plan and attack, no upstream stage (they run beside base training).
    var sensitivityAuthors: CacheKey
    /// Past the paper: the Monte-Carlo probes (of the base net and seed 0's hardened nets) and
    /// Darwinian testing (which attacks and hardens nets of its own).
    var monteCarlo: CacheKey
    var darwinian: CacheKey

    /// `code` maps each source file to its SHA-256 (default: the build's); `paperTables` are the
    /// paper's tables 1-3 (`reference.json`), which the sensitivity study measures against.
    init(options: StudyOptions, paperTables: SensitivityTable = SensitivityTable([:]),
         code: [String: String] = StageCode.builtFiles) throws {
        let profile = options.profile
        let table = code
        func key(_ stage: String, _ code: StageCode, _ settings: [any Encodable], upstream: [CacheKey]) throws -> CacheKey {
            try CacheKey(stage: stage, codeDigest: code.digest(in: table),
                         inputs: try StageKeys.description(seed: options.seed, settings, upstream: upstream))
        }
        base = try key("base", .training, [profile.base], upstream: [])
        baseCheckpoint = try key("base-checkpoint", .training, [profile.base], upstream: [])
        attack = try key("attack", .attack, [["pairs": profile.pairs], profile.attack, profile.attackSource,
                                            profile.attackVariants, profile.fooling,
                                            ["fgsmEpsilons": profile.fgsmEpsilons],
                                            ["alsoFinalRules": SensitivityPlanning.finalRulesOfPrimarySearches(profile)]],
                         upstream: [base])
        hardening = try key("hardening", .training, [profile.hardening], upstream: [attack])
        // The second net reads the training set's normalisation and the architecture, not the base net.
        transfer = try key("transfer-net", .training, [profile.transfer, ["images": profile.transferTrainImages],
                                                       ["normalisationImages": profile.base.trainImages],
                                                       profile.base.architecture], upstream: [])
        sensitivityAuthors = try key("sensitivity-authors", .attack,
                                     [profile.sensitivity, profile.attack, profile.hardening,
                                      ["pairs": profile.pairs, "trainImages": profile.base.trainImages,
                                       "testImages": profile.base.testImages], profile.base.architecture], upstream: [])
        sensitivity = try key("sensitivity", .attack, [profile.sensitivity, profile.attack, paperTables],
                              upstream: [attack, hardening, sensitivityAuthors])
        monteCarlo = try key("monte-carlo", .attack, [profile.beyond.monteCarlo, profile.hardening,
                                                      profile.beyond.probedGrouping, profile.beyond.probedLearningRate],
                             upstream: [attack])
        darwinian = try key("darwinian", .attack, [profile.beyond.darwinian, profile.attack, profile.hardening.volatility],
                            upstream: [attack])
    }

    /// Every key by stage name (for tests).
    var all: [String: CacheKey] {
        ["base": base, "base-checkpoint": baseCheckpoint, "attack": attack, "hardening": hardening, "transfer-net": transfer,
         "sensitivity": sensitivity, "sensitivity-authors": sensitivityAuthors, "monte-carlo": monteCarlo,
         "darwinian": darwinian]
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
