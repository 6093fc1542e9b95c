import Foundation
import Engine

/// The fast-gradient-sign adversary (Goodfellow, Shlens & Szegedy, 2015) at one epsilon:
///
///     x' = clip(x + eps * sign(d NLL(net(x), y) / dx), 0, 1)      (untargeted; sign(0) = 0)
///
/// Success means the net's class for x' differs from the true label y.
public struct FGSMResult: Codable, Equatable, Sendable {
    public var epsilon: Float
    public var images: Int
    /// Images whose x' the net misclassifies.
    public var fooled: Int
    public var successRate: Double
    /// Means over all images of ||x' - x||_2 and ||x' - x||_inf (pixel units).
    public var meanL2: Double
    public var meanLinf: Double
    /// Mean over fooled images of p(true label | x').
    public var meanTrueConfidenceWhenFooled: Double
}

/// FGSM at every epsilon on the same images (pixels in [0, 1]), one gradient per image.
public func fastGradientSign(network: Network, images: [[Float]], labels: [Int], epsilons: [Float]) throws -> [FGSMResult] {
    let a = network.architecture
    guard images.count == labels.count, !images.isEmpty else {
        throw AttackError.badImage("FGSM needs as many labels as images and at least one image (\(images.count) images, \(labels.count) labels)")
    }
    if let e = epsilons.first(where: { !($0 >= 0 && $0 <= 1) }) {
        throw AttackError.invalidSetting("FGSM epsilon \(e) is outside [0, 1]")
    }
    var fooled = [Int](repeating: 0, count: epsilons.count)
    var l2 = [Double](repeating: 0, count: epsilons.count), linf = l2, trueConfidence = l2
    var gradient = [Float](repeating: 0, count: a.pixels)
    for (image, label) in zip(images, labels) {
        guard image.count == a.pixels else { throw AttackError.badImage("\(image.count) pixels, the network takes \(a.pixels)") }
        guard (0..<a.classes).contains(label) else {
            throw AttackError.labelOutOfRange(what: "FGSM label", value: label, classes: a.classes)
        }
        image.withUnsafeBufferPointer { x in
            gradient.withUnsafeMutableBufferPointer { _ = network.lossAndInputGradient(x.baseAddress!, label: label, gradient: $0.baseAddress!) }
        }
        for (k, epsilon) in epsilons.enumerated() {
            let perturbed = (0..<a.pixels).map { i -> Float in
                let step: Float = gradient[i] > 0 ? epsilon : gradient[i] < 0 ? -epsilon : 0
                return min(max(image[i] + step, 0), 1)
            }
            let logProbs = network.forward(perturbed)
            let d = Distortion(original: image, perturbed: perturbed)
            l2[k] += d.l2
            linf[k] += d.linf
            if network.predictedClass != label {
                fooled[k] += 1
                trueConfidence[k] += Double(exp(logProbs[label]))
            }
        }
    }
    let n = Double(images.count)
    return epsilons.indices.map { k in
        FGSMResult(epsilon: epsilons[k], images: images.count, fooled: fooled[k], successRate: Double(fooled[k]) / n,
                   meanL2: l2[k] / n, meanLinf: linf[k] / n,
                   meanTrueConfidenceWhenFooled: fooled[k] > 0 ? trueConfidence[k] / Double(fooled[k]) : 0)
    }
}

/// The epsilons of the comparison (pixel units).
public let defaultFGSMEpsilons: [Float] = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3]
