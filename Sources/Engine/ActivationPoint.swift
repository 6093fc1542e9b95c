/// Where a layer's activation is read: before or after its ReLU (a typed setting for
/// `Network.activation(_:preReLU:)`).
public enum ActivationPoint: String, Codable, CaseIterable, Sendable {
    /// The conv / fc1 output before its ReLU (the notebook reads `net.modules[6]` and `[10]`
    /// of the attack-wrapped net: conv2 and fc1 before their ReLU).
    case preReLU
    /// After the ReLU.
    case postReLU
}

extension Network {
    /// The activation of `layer` for the last forward pass's image at `point`
    /// (`activation(_:preReLU:)`).
    public func activation(_ layer: UnitLayer, at point: ActivationPoint) -> [Float] {
        activation(layer, preReLU: point == .preReLU)
    }
}
