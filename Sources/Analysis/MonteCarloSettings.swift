/// Where the Monte-Carlo noise is added: to the adversarial image (the author's default) or to
/// the original (`-orig`).
public enum ProbeCentre: String, Codable, CaseIterable, Sendable {
    case adversarial, original
}

/// The noise of a probe: Gaussian with r's own mean and a scaled standard deviation, or r's own
/// values resampled with replacement (`-hist`, the non-parametric variant).
public enum ProbeNoise: String, Codable, CaseIterable, Sendable {
    case gaussian, resampled
}

/// The Monte-Carlo probing of the author's `adversarial.lua` (`-mc`, `-numbermc`, `-hist`,
/// `-orig`). Defaults are the author's: levels i = -5...5, 100 samples per level, the standard
/// deviation shrunk by 0.9 after every level, both centres and both noises.
public struct MonteCarloSettings: Codable, Hashable, Sendable {
    /// Samples per level and centre (`-numbermc`, 100 in the author's code).
    public var samplesPerLevel: Int = 100
    /// The Gaussian levels i = lowestLevel...highestLevel; the resampled noise has level 0 only
    /// (the author's code sets max_mc = 0 for `-hist`).
    public var lowestLevel: Int = -5
    public var highestLevel: Int = 5
    /// The author's code multiplies its running std by this after each level.
    public var levelDecay: Double = 0.9
    public var centres: [ProbeCentre] = ProbeCentre.allCases
    public var noises: [ProbeNoise] = ProbeNoise.allCases
    /// Parallel pairs; the results do not depend on it.
    public var workers: Int = 2

    public init() {}

    /// The levels a noise runs at.
    public func levels(_ noise: ProbeNoise) -> [Int] {
        noise == .gaussian ? Array(lowestLevel...highestLevel) : [0]
    }

    /// The std of Gaussian level i for a perturbation of std s, as the author's loop computes it:
    /// s * 2^i * decay^(i - lowestLevel) (the running std starts at s and shrinks after each level).
    public func standardDeviation(level: Int, perturbationStd s: Double) -> Double {
        precondition((lowestLevel...highestLevel).contains(level), "level \(level) outside the schedule")
        var running = s
        for _ in lowestLevel..<level { running *= levelDecay }
        return running * Foundation.pow(2, Double(level))
    }

    /// Forward passes per pair and network.
    public var forwardsPerPair: Int {
        centres.count * noises.reduce(0) { $0 + levels($1).count } * samplesPerLevel
    }
}

import Foundation
