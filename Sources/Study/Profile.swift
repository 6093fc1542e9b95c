import StudyTypes
import Attacks
import Engine
import Experiments

/// The scale at which the pipeline runs. All profiles run every stage and produce every figure
/// and table; only sizes differ.
public struct Profile: Codable, Hashable, Sendable {
    public var name: String
    public var base: BaseTrainingSettings
    /// Successful adversarial pairs to generate, from correctly classified `attackSource` images.
    public var pairs: Int
    /// The primary protocol (default: the author's code).
    public var attack: AttackSettings
    /// Where sources are drawn from (default: the test set, as the author's code); with `.test`,
    /// hardening's MNIST accuracy leaves the attacked sources out.
    public var attackSource: AttackSource
    /// Protocols run in the same stage on the primary's sources and targets (default: the
    /// minimal-distortion attack).
    public var attackVariants: [AttackSettings]
    public var fgsmEpsilons: [Float]
    public var fooling: FoolingSettings
    public var hardening: HardeningSettings
    public var transfer: TransferSettings
    /// Training images the transfer experiment's second net learns from.
    public var transferTrainImages: Int
    /// Monte-Carlo probing and Darwinian testing (`BeyondSettings.forProfile`).
    public var beyond: BeyondSettings

    /// The paper's scale: the author's base training (100 epochs over all 60,000 images, batch 1),
    /// 208 adversarial pairs, the full hardening grid over 10 seeds.
    public static let paper = Profile(
        name: "paper",
        base: BaseTrainingSettings(trainImages: 60_000, epochs: 100, testImages: 10_000),
        pairs: 208, hardening: HardeningSettings(), transfer: TransferSettings(), transferTrainImages: 60_000)

    /// The same pipeline in minutes, for trying changes.
    public static let quick = Profile(
        name: "quick",
        base: BaseTrainingSettings(trainImages: 60_000, epochs: 3, testImages: 10_000),
        pairs: 60,
        hardening: { var h = HardeningSettings(); h.epochs = 8; h.seeds = 3; return h }(),
        transfer: { var t = TransferSettings(); t.epochs = 1; return t }(), transferTrainImages: 60_000)

    /// Tiny, for the test suite.
    public static let smoke = Profile(
        name: "smoke",
        base: BaseTrainingSettings(trainImages: 3_000, epochs: 1, testImages: 1_000),
        pairs: 24,
        hardening: { var h = HardeningSettings(); h.epochs = 2; h.seeds = 2; h.monitorSize = 100; return h }(),
        transfer: { var t = TransferSettings(); t.epochs = 1; return t }(), transferTrainImages: 3_000)

    public static let all = [paper, quick, smoke]

    public static func named(_ name: String) -> Profile? { all.first { $0.name == name } }

    init(name: String, base: BaseTrainingSettings, pairs: Int, hardening: HardeningSettings,
         transfer: TransferSettings, transferTrainImages: Int) {
        self.name = name
        self.base = base
        self.pairs = pairs
        attack = .author
        attackSource = .test
        attackVariants = [.minimalDistortion]
        fgsmEpsilons = defaultFGSMEpsilons
        fooling = FoolingSettings()
        self.hardening = hardening
        self.transfer = transfer
        self.transferTrainImages = transferTrainImages
        beyond = BeyondSettings.forProfile(name)
    }
}
