import StudyTypes
import Analysis
import Experiments

/// The settings of the experiments past the paper's own (Monte-Carlo probing, Darwinian
/// testing), per profile. `paper` keeps the author's 100 samples per level and T = 4; its
/// budget on 2 cores (~33 us per forward pass, ~0.22 s per L-BFGS search on one core as the
/// attack stage measures it): Monte Carlo 208 pairs x 2,400 samples x 8 nets = 4.0 million
/// forward passes (about 70 s), Darwinian 3 seeds x (24 + 4 rounds x 3 models x 24) = 936
/// searches (about 105 s), so with the 60 p0-from-volatility hardening runs (about 40 s) the
/// new work stays under 4 minutes.
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
            break
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
