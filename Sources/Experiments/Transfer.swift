import Analysis
import Engine
import Random
import StudyTypes

/// How the second, independently seeded network of the transfer experiment trains: batch-1
/// SGD over the MNIST training set in a freshly shuffled order each epoch, Torch's SGD semantics
/// (momentum with dampening, lr / (1 + t * decay)). Much shorter than the base net's 100 epochs
/// at lr 1e-4; it must still reach 99% test accuracy for the comparison to be fair.
public struct TransferSettings: Codable, Hashable, Sendable {
    public var epochs: Int = 6
    public var sgd = SGDSettings(learningRate: 0.01, learningRateDecay: 1e-5, weightDecay: 0, momentum: 0.9)
    /// The accuracy the second net must reach on the test set.
    public var requiredTestAccuracy: Double = 0.99

    public init() {}
}

/// How often the adversarial images made for the base net fool a second network.
public struct TransferResult: Codable, Equatable, Sendable {
    public var settings: TransferSettings
    /// The second net's MNIST test accuracy after each epoch, and whether it reached the bar.
    public var testAccuracyPerEpoch: [Double]
    public var reachedRequiredAccuracy: Bool
    public var pairs: Int
    /// Adversarial images the second net does not classify as their true label.
    public var fooled: Int
    /// Adversarial images the second net classifies as the attack's target.
    public var fooledToTarget: Int
    /// Pairs whose original the second net classifies correctly, and the two counts among them.
    public var originalsCorrect: Int
    public var fooledAmongCorrect: Int
    public var fooledToTargetAmongCorrect: Int

    public var fooledRate: Double { pairs > 0 ? Double(fooled) / Double(pairs) : 0 }
    public var targetRate: Double { pairs > 0 ? Double(fooledToTarget) / Double(pairs) : 0 }
}

/// Trains the second network from Torch's default initialisation drawn from `rng`, with the
/// base net's architecture and input normalisation; `progress(epochs done, epochs)`.
public func trainTransferNetwork(architecture: Architecture, normalisation: Normalisation, train: LabelledImages,
                                 test: LabelledImages, settings: TransferSettings, rng: RandomStream,
                                 progress: ((Int, Int) -> Void)? = nil) throws -> (model: Model, testAccuracy: [Double]) {
    guard train.pixelsPerImage == architecture.pixels, test.pixelsPerImage == architecture.pixels, train.count > 0 else {
        throw AnalysisInputError("transfer: training images must be non-empty with \(architecture.pixels) pixels each")
    }
    var initStream = rng.child("init"), orderStream = rng.child("order")
    let net = Network(Model.torchDefault(architecture, normalisation: normalisation, rng: &initStream))
    let sgd = SGD(settings: settings.sgd, parameterCount: architecture.parameterCount)
    var order = Array(0..<train.count)
    var accuracy: [Double] = []
    train.pixels.withUnsafeBufferPointer { pixels in
        for epoch in 0..<settings.epochs {
            orderStream.shuffle(&order)
            for i in order {
                net.trainStep(pixels.baseAddress! + i &* train.pixelsPerImage, label: train.labels[i], optimizer: sgd)
            }
            accuracy.append(net.accuracy(on: test))
            progress?(epoch + 1, settings.epochs)
        }
    }
    return (net.model, accuracy)
}

/// Classifies every pair's images with `model` and counts how often the adversarial fools it.
public func measureTransfer(model: Model, pairs: [AdversarialPair], settings: TransferSettings,
                            testAccuracyPerEpoch: [Double]) throws -> TransferResult {
    try AdversarialPair.validate(pairs, pixels: model.architecture.pixels, classes: model.architecture.classes)
    let net = Network(model)
    var result = TransferResult(
        settings: settings, testAccuracyPerEpoch: testAccuracyPerEpoch,
        reachedRequiredAccuracy: (testAccuracyPerEpoch.last ?? 0) >= settings.requiredTestAccuracy, pairs: pairs.count,
        fooled: 0, fooledToTarget: 0, originalsCorrect: 0, fooledAmongCorrect: 0, fooledToTargetAmongCorrect: 0)
    for pair in pairs {
        net.forward(pair.original)
        let originalCorrect = net.predictedClass == pair.trueLabel
        net.forward(pair.adversarial)
        let fooled = net.predictedClass != pair.trueLabel, toTarget = net.predictedClass == pair.targetLabel
        result.fooled += fooled ? 1 : 0
        result.fooledToTarget += toTarget ? 1 : 0
        if originalCorrect {
            result.originalsCorrect += 1
            result.fooledAmongCorrect += fooled ? 1 : 0
            result.fooledToTargetAmongCorrect += toTarget ? 1 : 0
        }
    }
    return result
}
