import Engine
import StudyTypes

/// The post-ReLU activations of conv1, conv2 and fc for one image, channel-major
/// (32x28x28, 64x5x5 and 200 for the paper's net).
public struct LayerActivations: Codable, Equatable, Sendable {
    public var conv1: [Float]
    public var conv2: [Float]
    public var fc: [Float]

    public subscript(layer: UnitLayer) -> [Float] {
        switch layer {
        case .conv1: return conv1
        case .conv2: return conv2
        case .fc: return fc
        }
    }
}

/// Activations of a pair's original and adversarial image, and the predicted classes.
public struct PairActivations: Codable, Equatable, Sendable {
    public var original: LayerActivations
    public var adversarial: LayerActivations
    public var originalPrediction: Int
    public var adversarialPrediction: Int

    /// Per-unit volatility of `layer` for this pair.
    public func volatility(_ layer: UnitLayer, architecture: Architecture,
                           definition: VolatilityDefinition = .normOfDifference) -> [Float] {
        unitVolatility(original: original[layer], adversarial: adversarial[layer], layer: layer,
                       architecture: architecture, definition: definition)
    }
}

extension Network {
    /// Forward `pixels` and read the three layers' activations.
    public func layerActivations(_ pixels: [Float]) -> LayerActivations {
        forward(pixels)
        return LayerActivations(conv1: activation(.conv1), conv2: activation(.conv2), fc: activation(.fc))
    }

    /// Activations of both images of a pair.
    public func pairActivations(_ pair: AdversarialPair) -> PairActivations {
        let original = layerActivations(pair.original)
        let originalPrediction = predictedClass
        let adversarial = layerActivations(pair.adversarial)
        return PairActivations(original: original, adversarial: adversarial,
                               originalPrediction: originalPrediction, adversarialPrediction: predictedClass)
    }

    /// One layer's activations for every pair's original and adversarial image (e.g. fc for figure 10).
    public func layerActivations(_ pairs: [AdversarialPair], layer: UnitLayer)
        -> (original: [[Float]], adversarial: [[Float]]) {
        var original: [[Float]] = [], adversarial: [[Float]] = []
        for pair in pairs {
            forward(pair.original)
            original.append(activation(layer))
            forward(pair.adversarial)
            adversarial.append(activation(layer))
        }
        return (original, adversarial)
    }

    /// Fraction of `images` classified as their label.
    public func accuracy(on images: LabelledImages) -> Double {
        guard images.count > 0 else { return 0 }
        precondition(images.pixelsPerImage == architecture.pixels, "images do not fit the network")
        let classes = images.pixels.withUnsafeBufferPointer { classify($0.baseAddress!, count: images.count) }
        let correct = zip(classes, images.labels).count { $0 == $1 }
        return Double(correct) / Double(images.count)
    }
}
