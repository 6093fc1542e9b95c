import Analysis
import Engine
import MNIST
import Random
import StudyTypes

/// Settings of the base network's training (STUDY.md stage 2, the author's protocol).
public struct BaseTrainingSettings: Codable, Hashable, Sendable {
    public var architecture: Architecture
    /// Training images used, in file order (the author's fixed order 1..60000).
    public var trainImages: Int
    public var epochs: Int
    public var optimizer: SGDSettings
    /// Test images evaluated after every epoch (all 10,000 in the paper profile).
    public var testImages: Int

    public init(architecture: Architecture = .paper, trainImages: Int, epochs: Int,
                optimizer: SGDSettings = BaseTrainingSettings.authorOptimizer, testImages: Int) {
        self.architecture = architecture
        self.trainImages = trainImages
        self.epochs = epochs
        self.optimizer = optimizer
        self.testImages = testImages
    }

    /// optim.sgd as the author called it: lr 1e-4, lr decay 5e-7, weight decay 1e-3,
    /// momentum 0.9 with Torch's default dampening 0.9.
    public static let authorOptimizer = SGDSettings(learningRate: 1e-4, learningRateDecay: 5e-7, weightDecay: 1e-3,
                                                    momentum: 0.9)
    public var batchSize: Int { 1 }
}

/// One epoch of base training.
public struct BaseEpochRecord: Codable, Equatable, Sendable {
    public var epoch: Int
    /// Mean NLL over the epoch's steps (each measured before its update).
    public var loss: Double
    /// Share of the epoch's steps whose image was classified correctly before its update.
    public var runningTrainAccuracy: Double
    public var testAccuracy: Double
}

/// The trained base network and its record.
public struct BaseTrainingResult: Codable, Sendable {
    public var model: Model
    public var perEpoch: [BaseEpochRecord]
    public var trainAccuracy: Double
    public var testAccuracy: Double
}

/// The state of base training after some epochs: enough to resume with the same bits as an
/// uninterrupted run (the order is fixed, so nothing else is needed).
public struct BaseTrainingCheckpoint: Codable, Sendable {
    public var model: Model
    public var optimizer: SGDState
    public var perEpoch: [BaseEpochRecord]
}

/// Progress of a long training run, for a progress bar.
public struct TrainingProgress: Sendable {
    public var epoch: Int
    public var epochs: Int
    public var step: Int
    public var stepsPerEpoch: Int
    public var meanLoss: Double
    public var runningAccuracy: Double
    /// The latest test evaluation finished so far: the epoch after which it was taken, and its
    /// accuracy (it runs on another thread, so it may trail `epoch`).
    public var lastTest: (epoch: Int, accuracy: Double)?
    /// Of this epoch's `step` steps, those that ran on two threads (`StepThreadChoice`).
    public var twoThreadSteps: Int
}

public enum TrainingError: Error, CustomStringConvertible {
    case diverged(epoch: Int)

    public var description: String {
        switch self {
        case .diverged(let epoch):
            return "training diverged: the loss or the weights became NaN or infinite in epoch \(epoch); no output was written"
        }
    }
}

/// The normalisation of the author's Torch demo: one global mean and std over the training
/// images zero-padded to the network's input size, in [0, 1] pixel units.
public func paddedInputNormalisation(_ images: DigitSet, architecture: Architecture) -> Normalisation {
    var sum = 0.0, sumSquares = 0.0
    for byte in images.images {
        let p = Double(byte) / 255
        sum += p
        sumSquares += p * p
    }
    // Padding pixels are zeros: they add to the count, not to the sums.
    let n = Double(images.count * architecture.inputSide * architecture.inputSide)
    let mean = sum / n
    let variance = (sumSquares - n * mean * mean) / (n - 1)
    return Normalisation(mean: Float(mean), std: Float(variance.squareRoot()))
}

/// Trains the base network: batch size 1, fixed order, `settings.epochs` passes.
/// The `rng` seeds only Torch's default initialisation. Training continues from `resume` when
/// given, and hands a checkpoint to `checkpoint` every `checkpointEvery` epochs.
public func trainBaseNetwork(data: MNIST, settings: BaseTrainingSettings, rng: inout RandomStream,
                             resume: BaseTrainingCheckpoint? = nil, checkpointEvery: Int = 10,
                             checkpoint: (BaseTrainingCheckpoint) throws -> Void = { _ in },
                             secondCoreFree: @escaping () -> Bool = { false },
                             progress: (TrainingProgress) -> Void = { _ in }) throws -> BaseTrainingResult {
    let train = data.train.prefix(settings.trainImages), test = data.test.prefix(settings.testImages)
    let normalisation = paddedInputNormalisation(train, architecture: settings.architecture)
    let initial = Model.torchDefault(settings.architecture, normalisation: normalisation, rng: &rng)
    let optimizer = resume.map { SGD(settings: settings.optimizer, state: $0.optimizer) }
        ?? SGD(settings: settings.optimizer, parameterCount: settings.architecture.parameterCount)
    let trainImages = try labelledImages(train, for: settings.architecture)
    let testImages = try labelledImages(test, for: settings.architecture)
    let tests = BackgroundAccuracy(images: testImages)
    // Steps on two threads while the other core is free and that is faster (the same bits).
    let threads = StepThreadChoice(Network(resume?.model ?? initial), stepsPerEpoch: train.count,
                                   secondCoreFree: { [tests] in secondCoreFree() && tests.isIdle })
    let pixels = settings.architecture.pixels
    var records: [BaseEpochRecord] = resume?.perEpoch ?? []
    // Each epoch's test evaluation runs on another thread while the next epoch trains.
    let firstEpoch = records.count + 1
    var untested: [UntestedEpoch] = []
    func collectTests() {
        records += zip(untested, tests.takeAll()).map { $0.tested(accuracy: $1) }
        untested = []
    }
    func lastTest() -> (epoch: Int, accuracy: Double)? {
        if let latest = tests.latest { return (firstEpoch + latest.index, latest.accuracy) }
        return records.last.map { ($0.epoch, $0.testAccuracy) }
    }
    for epoch in firstEpoch..<(settings.epochs + 1) {
        var lossSum = 0.0, correct = 0
        trainImages.pixels.withUnsafeBufferPointer { images in
            for i in 0..<train.count {
                let r = threads.network(forStep: i)
                    .trainStep(images.baseAddress! + i * pixels, label: trainImages.labels[i], optimizer: optimizer)
                lossSum += Double(r.loss)
                if r.correct { correct += 1 }
                if i % 2000 == 1999 && i + 1 < train.count {
                    progress(TrainingProgress(epoch: epoch, epochs: settings.epochs, step: i + 1, stepsPerEpoch: train.count,
                                              meanLoss: lossSum / Double(i + 1), runningAccuracy: Double(correct) / Double(i + 1),
                                              lastTest: lastTest(), twoThreadSteps: threads.twoThreadSteps))
                }
            }
        }
        let network = threads.network
        // ReLU and max-pool turn NaN activations into zeros, so check the weights as well as the loss.
        guard lossSum.isFinite, network.parameters.allSatisfy({ $0.isFinite }) else {
            throw TrainingError.diverged(epoch: epoch)
        }
        tests.submit(network.model)
        untested.append(UntestedEpoch(epoch: epoch, loss: lossSum / Double(train.count),
                                      runningTrainAccuracy: Double(correct) / Double(train.count)))
        progress(TrainingProgress(epoch: epoch, epochs: settings.epochs, step: train.count, stepsPerEpoch: train.count,
                                  meanLoss: lossSum / Double(train.count), runningAccuracy: Double(correct) / Double(train.count),
                                  lastTest: lastTest(), twoThreadSteps: threads.twoThreadSteps))
        if epoch % checkpointEvery == 0 && epoch < settings.epochs {
            collectTests()
            try checkpoint(BaseTrainingCheckpoint(model: network.model, optimizer: optimizer.state, perEpoch: records))
        }
    }
    // The training set's accuracy is computed here while the last test evaluation finishes.
    let network = threads.network
    let trainAccuracy = network.accuracy(on: trainImages)
    collectTests()
    return BaseTrainingResult(model: network.model, perEpoch: records, trainAccuracy: trainAccuracy,
                              testAccuracy: records.last?.testAccuracy ?? 0)
}

/// An epoch's training figures while its test evaluation runs in the background.
struct UntestedEpoch {
    var epoch: Int
    var loss: Double
    var runningTrainAccuracy: Double

    func tested(accuracy: Double) -> BaseEpochRecord {
        BaseEpochRecord(epoch: epoch, loss: loss, runningTrainAccuracy: runningTrainAccuracy, testAccuracy: accuracy)
    }
}

/// All images of a set as one contiguous array of the network's inputs: each 28x28 image
/// padded to `architecture.inputSide` squared with zeros (`Architecture.pad`), pixels in [0, 1].
public func scaledPixels(_ set: DigitSet, for architecture: Architecture = .paper) -> [Float] {
    let n = architecture.imagePixels
    precondition(n == DigitSet.pixelsPerImage, "MNIST images have \(DigitSet.pixelsPerImage) pixels, the architecture \(n)")
    var out: [Float] = []
    out.reserveCapacity(set.count * architecture.pixels)
    for i in 0..<set.count {
        out += architecture.pad(set.images[(i * n)..<((i + 1) * n)].map { Float($0) / 255 })
    }
    return out
}

/// A set as the analyses' labelled images: padded pixels in [0, 1], labels as Int.
public func labelledImages(_ set: DigitSet, for architecture: Architecture = .paper) throws -> LabelledImages {
    try LabelledImages(pixels: scaledPixels(set, for: architecture), labels: set.labels.map(Int.init),
                       pixelsPerImage: architecture.pixels)
}
