import Analysis
import Engine
import Random
import StudyTypes

/// What a hardening run trains: which seed's split and order, grouping, learning rate, model,
/// and how much to evaluate.
public struct HardeningRunSpec: Codable, Hashable, Sendable {
    public var seed: Int
    public var grouping: Grouping
    public var learningRate: Double
    public var model: HardeningModel
    public var epochs: Int
    /// Evaluate the MNIST monitor subset after every epoch (else only after the last).
    public var monitorEveryEpoch: Bool
    /// Evaluate all test images after the last epoch (else the monitor subset).
    public var finalFullTest: Bool

    public init(seed: Int, grouping: Grouping, learningRate: Double, model: HardeningModel, epochs: Int,
                monitorEveryEpoch: Bool, finalFullTest: Bool) {
        self.seed = seed
        self.grouping = grouping
        self.learningRate = learningRate
        self.model = model
        self.epochs = epochs
        self.monitorEveryEpoch = monitorEveryEpoch
        self.finalFullTest = finalFullTest
    }
}

/// The state of a run after an epoch (epoch 0 = the base net before training). Accuracies
/// after the epoch's last step; "training" accuracies are re-evaluated, not running averages.
public struct EpochRecord: Codable, Equatable, Sendable {
    public var epoch: Int
    /// The tables' metric: held-out adversarial images classified as their true label.
    public var adversarialValidation: Double
    public var adversarialTraining: Double
    public var originalTraining: Double
    public var originalValidation: Double
    /// Accuracy on the fixed MNIST test subset (nil when not evaluated this epoch).
    public var mnistMonitor: Double?
    /// Mean NLL over the epoch's steps, each taken before its update (nil for epoch 0).
    public var meanLoss: Double?
    /// Units kept per pair this epoch (nil for the control).
    public var retained: Int?
}

/// Everything recorded about one run.
public struct HardeningRunResult: Codable, Equatable, Sendable {
    public var spec: HardeningRunSpec
    public var validationPairs: Int
    public var trainingPairs: Int
    public var epochs: [EpochRecord]
    /// MNIST test accuracy after training, on `finalTestImages` images.
    public var finalTestAccuracy: Double
    public var finalTestImages: Int
    /// See `convergenceEpoch(_:tolerance:)`; steps = epochs * 2 * training pairs.
    public var convergenceEpoch: Int
    public var convergenceSteps: Int
    /// How often each unit of the target layer was retained (figure 13), out of
    /// `selectionOpportunities` = training pairs * epochs. Empty for the control.
    public var selectionCounts: [Int]
    public var selectionOpportunities: Int

    public var final: EpochRecord { epochs[epochs.count - 1] }
}

/// Steps to convergence, as the Methods text defines it: the first epoch from which the
/// adversarial training accuracy stays within `tolerance` of its final value for every later
/// epoch (the start of its final plateau). 0 when the base net already sits there.
public func convergenceEpoch(_ records: [EpochRecord], tolerance: Double) -> Int {
    guard let last = records.last else { return 0 }
    var epoch = last.epoch
    for record in records.reversed() {
        guard abs(record.adversarialTraining - last.adversarialTraining) <= tolerance else { break }
        epoch = record.epoch
    }
    return epoch
}

/// The fixed inputs of every hardening run.
public struct HardeningInputs: Sendable {
    public var base: Model
    public var pairs: [AdversarialPair]
    /// The full MNIST test set (final evaluation) and the fixed subset evaluated every epoch.
    public var test: LabelledImages
    public var monitor: LabelledImages

    public init(base: Model, pairs: [AdversarialPair], test: LabelledImages, monitor: LabelledImages) throws {
        try AdversarialPair.validate(pairs, pixels: base.architecture.pixels, classes: base.architecture.classes)
        guard test.pixelsPerImage == base.architecture.pixels, monitor.pixelsPerImage == base.architecture.pixels else {
            throw AnalysisInputError("hardening: test images have \(test.pixelsPerImage) pixels, the net takes \(base.architecture.pixels)")
        }
        self.base = base
        self.pairs = pairs
        self.test = test
        self.monitor = monitor
    }
}

/// The adversarial and original images of some pairs, each labelled with the true label.
struct PairImages {
    let adversarial: LabelledImages
    let original: LabelledImages

    init(_ pairs: [AdversarialPair], _ indices: [Int]) {
        let labels = indices.map { pairs[$0].trueLabel }
        // Sizes agree by construction.
        adversarial = try! LabelledImages(pixels: indices.flatMap { pairs[$0].adversarial }, labels: labels,
                                          pixelsPerImage: pairs.first?.original.count ?? 0)
        original = try! LabelledImages(pixels: indices.flatMap { pairs[$0].original }, labels: labels,
                                       pixelsPerImage: pairs.first?.original.count ?? 0)
    }
}
