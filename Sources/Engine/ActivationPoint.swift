/// Where a layer's activation is read: before or after its ReLU.
public enum ActivationPoint: String, Codable, CaseIterable, Sendable {
    /// The conv / fc1 output before its ReLU (the notebook reads `net.modules[6]` and `[10]`
    /// of the attack-wrapped net: conv2 and fc1 before their ReLU).
    case preReLU
    /// After the ReLU (what `Network.activation(_:)` returns).
    case postReLU
}

extension Network {
    /// The activation of `layer` for the last forward pass's image at `point`, channel-major,
    /// conv maps full. Pre-ReLU values are read from the reference path (replayed once per
    /// image); post-ReLU values are `activation(_:)`.
    public func activation(_ layer: UnitLayer, at point: ActivationPoint) -> [Float] {
        switch point {
        case .postReLU:
            return activation(layer)
        case .preReLU:
            replayOnReference()
            return reference.preActivation(layer)
        }
    }
}

extension ReferenceNetwork {
    /// Pre-ReLU activation of a layer from the last forward pass, channel-major, full conv maps.
    public func preActivation(_ layer: UnitLayer) -> [Float] {
        switch layer {
        case .conv1: return Array(z1.buffer)
        case .conv2: return Array(z2.buffer)
        case .fc: return Array(z3.buffer)
        }
    }
}
