import Analysis
import Experiments

/// The settings of the experiments past the paper's own (Monte-Carlo probing, Darwinian
/// testing), per profile. `paper` keeps the author's 100 samples per level and T = 4; its
/// budget (on 2 cores, ~33 us per forward pass and ~0.1 s per L-BFGS search): Monte Carlo
/// 208 pairs x 2,400 samples x 8 nets = 4.0 million forward passes (about 70 s), Darwinian
/// 3 seeds x (30 + 4 rounds x 3 models x 30) = 1,170 searches (about 60 s).
public struct BeyondSettings: Codable, Hashable, Sendable {
    public var monteCarlo: MonteCarloSettings
    /// The hardened nets probed: seed 0's control and SD_p of this grouping and learning rate.
    public var probedGrouping: Grouping = .both
    public var probedLearningRate: Double = 0.001
    public var darwinian: DarwinianSettings

    public init(monteCarlo: MonteCarloSettings = MonteCarloSettings(), darwinian: DarwinianSettings = DarwinianSettings()) {
        self.monteCarlo = monteCarlo
        self.darwinian = darwinian
    }

    /// The settings of the profile called `name`.
    public static func forProfile(_ name: String) -> BeyondSettings {
        var s = BeyondSettings()
        switch name {
        case "paper":
            s.darwinian.sourcesPerRound = 30
        case "quick":
            s.monteCarlo.samplesPerLevel = 20
            s.darwinian.sourcesPerRound = 12
            s.darwinian.epochs = 8
        default:
            s.monteCarlo.samplesPerLevel = 4
            s.darwinian.rounds = 2
            s.darwinian.sourcesPerRound = 3
            s.darwinian.seeds = 2
            s.darwinian.epochs = 2
            s.darwinian.monitorSize = 100
        }
        return s
    }
}
