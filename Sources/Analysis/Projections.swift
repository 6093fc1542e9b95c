import Engine
import StudyTypes

/// Averaged projections of a perturbation group: the mean input-space image of the original
/// images, of the adversarial images, and adversarial minus original.
public struct GroupProjection: Codable, Equatable, Sendable {
    public var original: [Float]
    public var adversarial: [Float]
    public var difference: [Float]
}

extension Network {
    /// The seed for one unit: that unit's block of `activation` (its feature map, or the fc
    /// neuron's value), every other unit zero.
    public func unitSeed(_ activation: [Float], layer: UnitLayer, unit: Int) -> [Float] {
        let size = architecture.unitSize(of: layer)
        precondition((0..<architecture.width(of: layer)).contains(unit), "\(layer) has no unit \(unit)")
        var seed = [Float](repeating: 0, count: activation.count)
        for k in unit * size..<(unit + 1) * size { seed[k] = activation[k] }
        return seed
    }

    /// Forward `pixels`, then project unit `unit` of `layer` (seeded with its own activation),
    /// or the whole layer when `unit` is nil, back to the input pixels by `rule`.
    /// `.forwardMask` is the author's gradient back-projection (the input gradient of
    /// 1/2 * ||a_unit||^2 with the forward pass's ReLU masks and pool switches); `.rectifySignal`
    /// is Zeiler-Fergus's deconvnet.
    public func projection(of pixels: [Float], layer: UnitLayer, unit: Int?, rule: ReLURule) -> [Float] {
        forward(pixels)
        let activation = activation(layer)
        let seed = unit.map { unitSeed(activation, layer: layer, unit: $0) } ?? activation
        return project(from: layer, seed: seed, rule: rule)
    }

    /// Projections of one unit (or the whole layer, `unit` nil) averaged over the `members` of
    /// a group, for the originals and the adversarials.
    public func groupProjection(_ pairs: [AdversarialPair], members: [Int], layer: UnitLayer, unit: Int?,
                                rule: ReLURule) -> GroupProjection {
        let n = architecture.pixels
        var original = [Float](repeating: 0, count: n), adversarial = original
        for i in members {
            accumulate(&original, projection(of: pairs[i].original, layer: layer, unit: unit, rule: rule))
            accumulate(&adversarial, projection(of: pairs[i].adversarial, layer: layer, unit: unit, rule: rule))
        }
        let scale = 1 / Float(max(members.count, 1))
        original = original.map { $0 * scale }
        adversarial = adversarial.map { $0 * scale }
        return GroupProjection(original: original, adversarial: adversarial,
                               difference: zip(adversarial, original).map { $0 - $1 })
    }

    /// For every unit of `layer`: the group mean of (projection of the adversarial - projection
    /// of the original), each image projecting the unit seeded by its own activation (figure 12).
    public func unitProjectionDifferences(_ pairs: [AdversarialPair], members: [Int], layer: UnitLayer,
                                          rule: ReLURule) -> [[Float]] {
        let width = architecture.width(of: layer), n = architecture.pixels
        var out = [[Float]](repeating: [Float](repeating: 0, count: n), count: width)
        for i in members {
            for (image, sign) in [(pairs[i].adversarial, Float(1)), (pairs[i].original, Float(-1))] {
                forward(image)
                let activation = activation(layer)
                for j in 0..<width {
                    let p = project(from: layer, seed: unitSeed(activation, layer: layer, unit: j), rule: rule)
                    for k in 0..<n { out[j][k] += sign * p[k] }
                }
            }
        }
        let scale = 1 / Float(max(members.count, 1))
        return out.map { $0.map { $0 * scale } }
    }
}

func accumulate(_ sum: inout [Float], _ values: [Float]) {
    for k in 0..<sum.count { sum[k] += values[k] }
}
