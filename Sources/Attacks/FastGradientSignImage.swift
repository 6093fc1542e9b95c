import Engine

/// One FGSM image: x' = clip(x + eps * sign(d NLL(net(x), label) / dx), 0, 1) (sign(0) = 0),
/// the same rule `fastGradientSign` measures.
public func fastGradientSignImage(network: Network, image: [Float], label: Int, epsilon: Float) throws -> [Float] {
    let a = network.architecture
    guard image.count == a.pixels else { throw AttackError.badImage("\(image.count) pixels, the network takes \(a.pixels)") }
    guard (0..<a.classes).contains(label) else {
        throw AttackError.labelOutOfRange(what: "FGSM label", value: label, classes: a.classes)
    }
    var gradient = [Float](repeating: 0, count: a.pixels)
    image.withUnsafeBufferPointer { x in
        gradient.withUnsafeMutableBufferPointer { _ = network.lossAndInputGradient(x.baseAddress!, label: label, gradient: $0.baseAddress!) }
    }
    return (0..<a.pixels).map { i in
        let step: Float = gradient[i] > 0 ? epsilon : gradient[i] < 0 ? -epsilon : 0
        return min(max(image[i] + step, 0), 1)
    }
}
