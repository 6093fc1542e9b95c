/// Which units of a layer take part in a selective-dropout step, and how the others are
/// kept out.
public struct UnitMask: Sendable, Equatable {
    public enum Mode: String, Codable, Sendable {
        /// The author's notebook: zero the switched-off units' incoming weight rows for the step,
        /// step, then restore those rows (their biases keep the update).
        case switchOff
        /// Ablation: forward unchanged, no gradient through the switched-off units.
        case gradientMask
    }
    public var layer: UnitLayer
    /// `retained[j]` is true for the units that train.
    public var retained: [Bool]
    public var mode: Mode

    public init(layer: UnitLayer, retained: [Bool], mode: Mode = .switchOff) {
        precondition(layer != .conv1, "selective dropout targets conv2 or fc")
        self.layer = layer
        self.retained = retained
        self.mode = mode
    }
}

/// Outcome of one training step, from its forward pass (before the update).
public struct StepResult: Sendable {
    public var loss: Float
    public var correct: Bool
}

extension UnitMask {
    /// Runs `body` with the incoming weight rows of the switched-off units zeroed (unit j owns
    /// `rows.length` values from `rows.offset + j * rows.length` of `parameters`) and restores
    /// them afterwards, whatever `body` did to them. `saved` must hold the switched-off rows
    /// (`rows.length` values per unit). `.switchOff` for every engine and optimiser; the one-thread
    /// fast kernels' `FastKernels.switchOff` gives the same bits under stateless SGD.
    func withSwitchedOffRows<R>(in parameters: UnsafeMutablePointer<Float>, rows: (offset: Int, length: Int),
                                saved: UnsafeMutablePointer<Float>, _ body: () -> R) -> R {
        var next = saved
        for j in 0..<retained.count where !retained[j] {
            let row = parameters + rows.offset + j * rows.length
            next.update(from: row, count: rows.length)
            row.update(repeating: 0, count: rows.length)
            next += rows.length
        }
        let result = body()
        next = saved
        for j in 0..<retained.count where !retained[j] {
            (parameters + rows.offset + j * rows.length).update(from: next, count: rows.length)
            next += rows.length
        }
        return result
    }
}
