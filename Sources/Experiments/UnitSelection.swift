import Analysis
import Engine
import StudyTypes

/// Which network a pair's unit volatility is measured on.
public enum VolatilitySource: String, Codable, CaseIterable, Sendable {
    /// The fixed base net, once per pair before any run (the notebook's
    /// `compareActivities(net, ...)` while a copy trains): a pair's mask is fixed for the run.
    case baseNet
    /// The network being trained, before each pair's two steps.
    case currentNet
}

/// How selective dropout measures volatility: on which network, and before or after the
/// target layer's ReLU. `.notebook` (base net, pre-ReLU) is the author's notebook.
public struct UnitSelection: Codable, Hashable, Sendable, CustomStringConvertible {
    public var source: VolatilitySource
    public var point: ActivationPoint

    public init(source: VolatilitySource = .baseNet, point: ActivationPoint = .preReLU) {
        self.source = source
        self.point = point
    }

    /// Pre-ReLU volatility on the fixed base net.
    public static let notebook = UnitSelection()

    /// "base net, pre-ReLU".
    public var description: String {
        (source == .baseNet ? "base net" : "current net") + ", " + (point == .preReLU ? "pre-ReLU" : "post-ReLU")
    }
}

/// Per-unit volatility of one pair at a layer and activation point under `network`'s current
/// weights: forward the original, then the adversarial.
func pairVolatility(_ network: Network, _ pair: AdversarialPair, layer: UnitLayer, point: ActivationPoint,
                    definition: VolatilityDefinition) -> [Float] {
    network.forward(pair.original)
    let original = network.activation(layer, at: point)
    network.forward(pair.adversarial)
    return unitVolatility(original: original, adversarial: network.activation(layer, at: point), layer: layer,
                          architecture: network.architecture, definition: definition)
}

/// The base net's unit orders of every pair, per (layer, activation point): computed once
/// before the grid and shared by every run whose selection reads the base net.
public struct BaseNetSelection: Sendable {
    public struct Key: Hashable, Sendable {
        public var layer: UnitLayer
        public var point: ActivationPoint
    }

    /// Per key, per pair index: the units most volatile first, and least volatile first
    /// (each with ties to the lower index, as `unitOrder`), and the volatility itself (which
    /// sizes the mask when p_0 comes from the pair's volatility).
    let orders: [Key: [(descending: [Int], ascending: [Int], volatility: [Float])]]

    /// Computes the orders of `pairs` on `base` for every key.
    public init(base: Model, pairs: [AdversarialPair], keys: Set<Key>, definition: VolatilityDefinition) {
        let network = Network(base)
        var orders: [Key: [(descending: [Int], ascending: [Int], volatility: [Float])]] = [:]
        for key in keys {
            orders[key] = pairs.map { pair in
                let v = pairVolatility(network, pair, layer: key.layer, point: key.point, definition: definition)
                return (unitOrder(volatility: v), unitOrder(volatility: v, inverted: true), v)
            }
        }
        self.orders = orders
    }

    /// The keys the base-net policies of `models` need.
    public static func keys(for models: [HardeningModel]) -> Set<Key> {
        Set(models.compactMap(\.policy).filter { $0.selection.source == .baseNet }
            .map { Key(layer: $0.layer, point: $0.selection.point) })
    }

    /// The units `policy` keeps for pair `index` when it retains `count` (or, with p_0 from the
    /// pair's volatility, the count that rule gives after `completedEpochs`).
    public func retained(pair index: Int, policy: DropoutPolicy, count: Int, afterEpochs completedEpochs: Int = 0) -> [Bool] {
        guard let perPair = orders[Key(layer: policy.layer, point: policy.selection.point)] else {
            preconditionFailure("no base-net selection computed for \(policy.layer) \(policy.selection.point)")
        }
        let order = policy.inverted ? perPair[index].ascending : perPair[index].descending
        let k = policy.retainedCount(volatility: perPair[index].volatility, fixed: count, afterEpochs: completedEpochs)
        return retainedMask(order: order, count: k)
    }
}
