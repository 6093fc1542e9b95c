import StudyTypes

/// One model's state at one round, over seeds.
public struct DarwinianRoundSummary: Codable, Equatable, Sendable {
    public var model: HardeningModel
    public var round: Int
    /// Over seeds: L-BFGS success rate, the per-seed median ||r||_2 of the successful pairs, FGSM
    /// success rate, clean accuracy after training, and accuracy on round 0's pairs after training.
    public var successRate: SampleSummary
    public var medianL2: SampleSummary?
    public var fgsmSuccessRate: SampleSummary
    public var cleanAccuracyAfter: SampleSummary
    public var roundZeroAccuracyAfter: SampleSummary
    /// Pooled over seeds' successful pairs: ||r||_2 quartiles and the median C.
    public var l2: SampleSummary?
    public var cMedian: Double?
    /// Mean over seeds of the accuracy, after this round's training, on each round 0...round's pairs.
    public var accuracyOnRounds: [Double]
}

/// The Darwinian experiment: every chain and the per-(model, round) summaries.
public struct DarwinianResults: Codable, Equatable, Sendable {
    public var settings: DarwinianSettings
    public var chains: [DarwinianChain]
    public var summaries: [DarwinianRoundSummary]

    public init(settings: DarwinianSettings, chains: [DarwinianChain]) {
        self.settings = settings
        self.chains = chains
        var summaries: [DarwinianRoundSummary] = []
        for model in settings.models {
            let own = chains.filter { $0.model == model }
            for t in 0..<settings.rounds {
                let rounds = own.map { $0.rounds[t] }
                let medians = rounds.filter { !$0.successfulL2.isEmpty }.map { median($0.successfulL2) }
                let pooledL2 = rounds.flatMap(\.successfulL2), pooledC = rounds.flatMap(\.successfulC)
                summaries.append(DarwinianRoundSummary(
                    model: model, round: t,
                    successRate: SampleSummary(rounds.map(\.successRate)),
                    medianL2: medians.isEmpty ? nil : SampleSummary(medians),
                    fgsmSuccessRate: SampleSummary(rounds.map(\.fgsmSuccessRate)),
                    cleanAccuracyAfter: SampleSummary(rounds.map(\.cleanAccuracyAfter)),
                    roundZeroAccuracyAfter: SampleSummary(rounds.map { $0.accuracyOnRounds[0] }),
                    l2: pooledL2.isEmpty ? nil : SampleSummary(pooledL2, summing: .ascending),
                    cMedian: pooledC.isEmpty ? nil : median(pooledC),
                    accuracyOnRounds: (0...t).map { s in rounds.map { $0.accuracyOnRounds[s] }.reduce(0, +) / Double(rounds.count) }))
            }
        }
        self.summaries = summaries
    }

    /// The summaries of one model, by round.
    public func rounds(of model: HardeningModel) -> [DarwinianRoundSummary] {
        summaries.filter { $0.model == model }.sorted { $0.round < $1.round }
    }
}
