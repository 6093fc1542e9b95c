import Engine
import Experiments

/// The scale at which the pipeline runs. All profiles run every stage and produce every figure
/// and table; only sizes differ.
public struct Profile: Codable, Hashable, Sendable {
    public var name: String
    public var base: BaseTrainingSettings
    /// Successful adversarial pairs to generate.
    public var pairs: Int

    /// The paper's scale: the author's base training (100 epochs over all 60,000 images, batch 1)
    /// and 208 adversarial pairs.
    public static let paper = Profile(
        name: "paper",
        base: BaseTrainingSettings(trainImages: 60_000, epochs: 100, testImages: 10_000),
        pairs: 208)

    /// The same pipeline in minutes, for trying changes.
    public static let quick = Profile(
        name: "quick",
        base: BaseTrainingSettings(trainImages: 60_000, epochs: 3, testImages: 10_000),
        pairs: 60)

    /// Tiny, for the test suite.
    public static let smoke = Profile(
        name: "smoke",
        base: BaseTrainingSettings(trainImages: 3_000, epochs: 1, testImages: 1_000),
        pairs: 12)

    public static let all = [paper, quick, smoke]

    public static func named(_ name: String) -> Profile? { all.first { $0.name == name } }
}
