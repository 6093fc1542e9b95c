import Engine
import StudyTypes

/// Averaged projections of a perturbation group: the mean input-space image of the original
/// images, of the adversarial images, and adversarial minus original.
public struct GroupProjection: Codable, Equatable, Sendable {
    public var original: [Float]
    public var adversarial: [Float]
    public var difference: [Float]
}

/// How a unit (or a whole layer) is projected back to the input pixels.
public enum ProjectionMethod: String, Codable, CaseIterable, Sendable {
    /// The author's notebook's `mapBack` (figures 11-12 of the paper): the chosen unit's weight
    /// rows set to 1 and every other unit's to 0, the log-probabilities back-propagated as their
    /// own gradient (`ReferenceNetwork.mapBack`); a whole layer is the sum over its units.
    case mapBack
    /// The gradient rule: the unit's own activation back-propagated through the forward pass's
    /// ReLU masks and max-pool switches (d/dx of 1/2 ||a_unit||^2).
    case gradient
    /// Zeiler-Fergus's deconvnet: as `gradient`, but each ReLU rectifies the backward signal.
    case deconvnet

    /// The ReLU rule of the activation-seeded projections (nil for `mapBack`).
    public var rule: ReLURule? {
        switch self {
        case .mapBack: return nil
        case .gradient: return .forwardMask
        case .deconvnet: return .rectifySignal
        }
    }

    /// One line for captions and the report.
    public var description: String {
        switch self {
        case .mapBack:
            return "the notebook's mapBack: the unit's incoming weights set to 1 and every other unit's to 0, the log-probabilities back-propagated (the author's)"
        case .gradient:
            return "gradient back-projection of the unit's own activation through the forward pass's ReLU masks and max-pool switches"
        case .deconvnet:
            return "Zeiler-Fergus deconvnet (the backward signal rectified at each ReLU)"
        }
    }
}

extension ProjectionMethod {
    init(_ rule: ReLURule) { self = rule == .forwardMask ? .gradient : .deconvnet }
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

    /// The projection of unit `unit` of `layer` (nil: the whole layer) for the last forward
    /// pass's image, `activation` being that layer's post-ReLU activation for it.
    func projectLastImage(layer: UnitLayer, unit: Int?, method: ProjectionMethod, activation: [Float]) -> [Float] {
        guard let rule = method.rule else { return mapBack(layer: layer, unit: unit) }
        let seed = unit.map { unitSeed(activation, layer: layer, unit: $0) } ?? activation
        return project(from: layer, seed: seed, rule: rule)
    }

    /// Forward `pixels`, then project unit `unit` of `layer` (or the whole layer when `unit` is
    /// nil) back to the input pixels by `method`.
    public func projection(of pixels: [Float], layer: UnitLayer, unit: Int?, method: ProjectionMethod) -> [Float] {
        forward(pixels)
        let activation = method.rule == nil ? [] : activation(layer)
        return projectLastImage(layer: layer, unit: unit, method: method, activation: activation)
    }

    /// The activation-seeded projections by ReLU rule: `.forwardMask` is the gradient rule,
    /// `.rectifySignal` Zeiler-Fergus's deconvnet (see `ProjectionMethod`).
    public func projection(of pixels: [Float], layer: UnitLayer, unit: Int?, rule: ReLURule) -> [Float] {
        projection(of: pixels, layer: layer, unit: unit, method: ProjectionMethod(rule))
    }

    /// Projections of one unit (or the whole layer, `unit` nil) averaged over the `members` of
    /// a group, for the originals and the adversarials.
    public func groupProjection(_ pairs: [AdversarialPair], members: [Int], layer: UnitLayer, unit: Int?,
                                method: ProjectionMethod) -> GroupProjection {
        let n = architecture.pixels
        var original = [Float](repeating: 0, count: n), adversarial = original
        for i in members {
            accumulate(&original, projection(of: pairs[i].original, layer: layer, unit: unit, method: method))
            accumulate(&adversarial, projection(of: pairs[i].adversarial, layer: layer, unit: unit, method: method))
        }
        let scale = 1 / Float(max(members.count, 1))
        original = original.map { $0 * scale }
        adversarial = adversarial.map { $0 * scale }
        return GroupProjection(original: original, adversarial: adversarial,
                               difference: zip(adversarial, original).map { $0 - $1 })
    }

    public func groupProjection(_ pairs: [AdversarialPair], members: [Int], layer: UnitLayer, unit: Int?,
                                rule: ReLURule) -> GroupProjection {
        groupProjection(pairs, members: members, layer: layer, unit: unit, method: ProjectionMethod(rule))
    }

    /// For every unit of `layer`: the group mean of (projection of the adversarial - projection
    /// of the original) by `method` (figure 12; the notebook's projectDiffs per unit).
    public func unitProjectionDifferences(_ pairs: [AdversarialPair], members: [Int], layer: UnitLayer,
                                          method: ProjectionMethod) -> [[Float]] {
        let width = architecture.width(of: layer), n = architecture.pixels
        var out = [[Float]](repeating: [Float](repeating: 0, count: n), count: width)
        for i in members {
            for (image, sign) in [(pairs[i].adversarial, Float(1)), (pairs[i].original, Float(-1))] {
                forward(image)
                let activation = method.rule == nil ? [] : activation(layer)
                for j in 0..<width {
                    let p = projectLastImage(layer: layer, unit: j, method: method, activation: activation)
                    for k in 0..<n { out[j][k] += sign * p[k] }
                }
            }
        }
        let scale = 1 / Float(max(members.count, 1))
        return out.map { $0.map { $0 * scale } }
    }

    public func unitProjectionDifferences(_ pairs: [AdversarialPair], members: [Int], layer: UnitLayer,
                                          rule: ReLURule) -> [[Float]] {
        unitProjectionDifferences(pairs, members: members, layer: layer, method: ProjectionMethod(rule))
    }
}

func accumulate(_ sum: inout [Float], _ values: [Float]) {
    for k in 0..<sum.count { sum[k] += values[k] }
}
