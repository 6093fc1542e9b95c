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
    public var evaluation: RunEvaluation

    public init(seed: Int, grouping: Grouping, learningRate: Double, model: HardeningModel, epochs: Int,
                evaluation: RunEvaluation) {
        self.seed = seed
        self.grouping = grouping
        self.learningRate = learningRate
        self.model = model
        self.epochs = epochs
        self.evaluation = evaluation
    }
}

/// What a hardening run evaluates besides its held-out adversarial images (evaluated after
/// every epoch by every run: the tables' metric) and its steps' own training accuracies.
public enum RunEvaluation: String, Codable, Hashable, Sendable {
    /// Seed 0 of the grid (the tables and the curves): the held-out originals and the MNIST
    /// monitor subset after every epoch, all test images after the last.
    case curvesAndFullTest
    /// The grid's other seeds: the held-out originals after every epoch, the monitor subset
    /// once, after the last.
    case finalMonitor
    /// Nothing more, for runs whose readers read only the held-out adversarial images or the
    /// trained net (the sensitivity read-out, the retrained nets of Monte Carlo and Darwinian
    /// testing): their forward passes would be computed and never read.
    case adversarialOnly

    /// Held-out originals after every epoch.
    var originalValidation: Bool { self != .adversarialOnly }
    /// The monitor subset after every epoch.
    var monitorEveryEpoch: Bool { self == .curvesAndFullTest }

    /// The grid's evaluation of a seed's runs: the curves and the full test set for seed 0.
    static func grid(seed: Int) -> RunEvaluation { seed == 0 ? .curvesAndFullTest : .finalMonitor }

    /// Whether this evaluation reads nothing that `richer` does not.
    func within(_ richer: RunEvaluation) -> Bool {
        (!originalValidation || richer.originalValidation) && (!monitorEveryEpoch || richer.monitorEveryEpoch)
    }
}

/// The state of a run after an epoch (epoch 0 = the base net before training).
///
/// Validation accuracies and the MNIST monitor are evaluated after the epoch's last step. The
/// training accuracies are read from the training steps themselves: the fraction of the
/// epoch's adversarial (or original) steps whose forward pass, taken before its update,
/// classified the image as its true label (no extra forward passes). Epoch 0 evaluates the
/// base net on the training pairs instead.
public struct EpochRecord: Codable, Equatable, Sendable {
    public var epoch: Int
    /// The tables' metric: held-out adversarial images classified as their true label.
    public var adversarialValidation: Double
    /// Training accuracy of the epoch's adversarial steps (see above; the convergence rule reads it).
    public var adversarialTraining: Double
    /// Training accuracy of the epoch's original steps.
    public var originalTraining: Double
    /// Held-out originals classified as their label (nil when the run does not evaluate them).
    public var originalValidation: Double?
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
    /// MNIST test accuracy after training, on `finalTestImages` images (nil and 0 when the run
    /// does not evaluate it).
    public var finalTestAccuracy: Double?
    public var finalTestImages: Int
    /// See `ConvergenceRule`; steps = epochs * 2 * training pairs; nil when the run had not
    /// converged by the epoch cap (right-censored).
    public var convergenceEpoch: Int?
    public var convergenceSteps: Int?
    /// How often each unit of the target layer was retained (figure 13), out of
    /// `selectionOpportunities` = training pairs * epochs. Empty for the control.
    public var selectionCounts: [Int]
    public var selectionOpportunities: Int

    public var final: EpochRecord { epochs[epochs.count - 1] }
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
