import StudyTypes

/// One outcome's share at one level over pairs: quartiles of the per-pair shares, and the share
/// pooled over all pairs' samples with its Wilson interval (which treats the samples as
/// independent, although samples of one pair are not: read it as a lower bound on the spread).
public struct OutcomeShare: Codable, Equatable, Sendable {
    public var perPair: SampleSummary
    public var pooled: WilsonInterval
}

/// One level of a network's probe, summarised over pairs.
public struct MonteCarloLevel: Codable, Equatable, Sendable {
    public var centre: ProbeCentre
    public var noise: ProbeNoise
    public var level: Int
    /// Median over pairs of the requested and the realised noise std (pixel units).
    public var noiseStdMedian: Double
    public var actualNoiseStdMedian: Double
    public var original: OutcomeShare
    public var target: OutcomeShare
    public var other: OutcomeShare
    /// Per pair (pair order): the Wilson interval of the share classified as the original.
    public var originalPerPair: [WilsonInterval]
}

/// Every level of one network's probe, summarised over pairs.
public struct MonteCarloNetworkSummary: Codable, Equatable, Sendable {
    public var levels: [MonteCarloLevel]

    /// `curves[pair]` = that pair's curves for this network, all with the same layout.
    public init(curves: [[ProbeCurve]]) {
        precondition(!curves.isEmpty, "no pairs")
        var levels: [MonteCarloLevel] = []
        for (c, layout) in curves[0].enumerated() {
            for (l, first) in layout.levels.enumerated() {
                let counts = curves.map { $0[c].levels[l] }
                func share(_ k: (LevelCounts) -> Int) -> OutcomeShare {
                    OutcomeShare(perPair: SampleSummary(counts.map { Double(k($0)) / Double(max($0.samples, 1)) }, summing: .ascending),
                                 pooled: WilsonInterval(successes: counts.map(k).reduce(0, +),
                                                        trials: counts.map(\.samples).reduce(0, +)))
                }
                levels.append(MonteCarloLevel(
                    centre: layout.centre, noise: layout.noise, level: first.level,
                    noiseStdMedian: median(counts.map(\.noiseStd)),
                    actualNoiseStdMedian: median(counts.map(\.actualNoiseStd)),
                    original: share(\.original), target: share(\.target), other: share(\.other),
                    originalPerPair: counts.map { WilsonInterval(successes: $0.original, trials: $0.samples) }))
            }
        }
        self.levels = levels
    }

    /// The levels of one centre and noise, ascending.
    public func curve(_ centre: ProbeCentre, _ noise: ProbeNoise) -> [MonteCarloLevel] {
        levels.filter { $0.centre == centre && $0.noise == noise }
    }
}
