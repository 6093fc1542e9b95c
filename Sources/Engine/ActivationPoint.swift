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
    /// conv maps full. Post-ReLU values are `activation(_:)`; pre-ReLU conv2 and fc values come
    /// from the fast kernels right after a `forward` (fc1's z3 as the forward left it, conv2's
    /// full maps as `activation(.conv2)` computes them without the ReLU), else from the
    /// reference path (replayed once per image).
    public func activation(_ layer: UnitLayer, at point: ActivationPoint) -> [Float] {
        guard point == .preReLU else { return activation(layer) }
        if let fast, fastForwardIsCurrent, layer != .conv1 {
            if layer == .fc { return Array(UnsafeBufferPointer(start: fast.z3.p, count: architecture.hidden)) }
            let w = parameters.baseAddress!, a = architecture
            return [Float](unsafeUninitializedCapacity: a.conv2Channels * a.conv2Side * a.conv2Side) { out, count in
                fast.fullConv2Activation(w + a.conv2WeightOffset, bias: w + a.conv2BiasOffset, into: out.baseAddress!, relu: false)
                count = out.count
            }
        }
        replayOnReference()
        return reference.preActivation(layer)
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
