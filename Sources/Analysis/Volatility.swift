import Engine

/// How much one unit's activation moves between an original image and its adversarial.
public enum VolatilityDefinition: String, Codable, CaseIterable, Sendable {
    /// v_j = ||a_j(adv) - a_j(orig)||_F: the author's code (the default everywhere).
    case normOfDifference
    /// v_j = | ||a_j(adv)||_F - ||a_j(orig)||_F |: the other reading of the paper's sentence.
    case differenceOfNorms
}

/// Per-unit volatility of a layer whose activation holds `units` consecutive blocks of
/// `unitSize` values (a feature map, or one fc neuron), written into `out[0..<units]`.
@inline(__always)
public func unitVolatility(original: UnsafePointer<Float>, adversarial: UnsafePointer<Float>, units: Int,
                           unitSize: Int, definition: VolatilityDefinition, into out: UnsafeMutablePointer<Float>) {
    for j in 0..<units {
        let o = original + j &* unitSize, a = adversarial + j &* unitSize
        switch definition {
        case .normOfDifference:
            // v_j = sqrt(sum_k (a_k - o_k)^2)
            var s: Float = 0
            for k in 0..<unitSize { let d = a[k] - o[k]; s += d * d }
            out[j] = s.squareRoot()
        case .differenceOfNorms:
            // v_j = | sqrt(sum_k a_k^2) - sqrt(sum_k o_k^2) |
            var sa: Float = 0, so: Float = 0
            for k in 0..<unitSize { sa += a[k] * a[k]; so += o[k] * o[k] }
            out[j] = abs(sa.squareRoot() - so.squareRoot())
        }
    }
}

/// Per-unit volatility from two full activations of `layer` (channel-major, as
/// `Network.activation(_:)` returns them).
public func unitVolatility(original: [Float], adversarial: [Float], layer: UnitLayer, architecture: Architecture,
                           definition: VolatilityDefinition = .normOfDifference) -> [Float] {
    let units = architecture.width(of: layer), size = architecture.unitSize(of: layer)
    precondition(original.count == units * size && adversarial.count == units * size,
                 "\(layer) activations need \(units * size) values")
    var out = [Float](repeating: 0, count: units)
    original.withUnsafeBufferPointer { o in
        adversarial.withUnsafeBufferPointer { a in
            out.withUnsafeMutableBufferPointer {
                unitVolatility(original: o.baseAddress!, adversarial: a.baseAddress!, units: units, unitSize: size,
                               definition: definition, into: $0.baseAddress!)
            }
        }
    }
    return out
}

/// The units in selection order: most volatile first (or, `inverted`, least volatile first),
/// ties broken by the lower index. The first k are the k units selective dropout keeps.
public func unitOrder(volatility: [Float], inverted: Bool = false) -> [Int] {
    volatility.indices.sorted { i, j in
        if volatility[i] != volatility[j] { return inverted ? volatility[i] < volatility[j] : volatility[i] > volatility[j] }
        return i < j
    }
}

/// Which units to keep: the first `count` of `order` (a `unitOrder`), as a mask of `width`.
public func retainedMask(order: [Int], count: Int) -> [Bool] {
    precondition((0...order.count).contains(count), "cannot keep \(count) of \(order.count) units")
    var kept = [Bool](repeating: false, count: order.count)
    for i in order.prefix(count) { kept[i] = true }
    return kept
}

/// The `count` units to keep: the most volatile (or, `inverted`, the least volatile), ties
/// broken by the lower index.
public func selectUnits(volatility: [Float], count: Int, inverted: Bool = false) -> [Bool] {
    retainedMask(order: unitOrder(volatility: volatility, inverted: inverted), count: count)
}
