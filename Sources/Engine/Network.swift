/// The study's network at batch size 1: forward passes, SGD steps, the attack's input
/// gradient, activations and projections, all on preallocated workspaces.
///
/// Forward passes, training steps (with or without a mask) and `lossAndInputGradient` run on
/// the direct SIMD kernels of `FastKernels` when the architecture has the paper's shape, and so
/// do the conv2 and fc activations right after a `forward`; the rest (conv1 activations,
/// projections, other architectures) runs on `ReferenceNetwork`, which shares the parameter
/// buffer. `activation` and `project` describe the image of the last forward pass: after a
/// `trainStep`, the reference pass that records full maps is replayed on demand with the
/// parameters current at that moment (the updated ones).
/// Not thread-safe: use one per thread. With `threads: .two` its training steps also run on a
/// helper thread of its own (see `StepThreads`), created here and ended by `deinit`.
public final class Network {
    public let architecture: Architecture
    public let normalisation: Normalisation
    /// Threads of the fast training step (`.one` unless the initialiser was given `.two`).
    public let threads: StepThreads
    let reference: ReferenceNetwork
    let fast: FastKernels?
    /// The two-thread step (nil with `.one` or without fast kernels).
    let split: FastSplitStep?
    /// The pixels of the last forward pass, for replaying it on the reference path.
    let lastPixels: UnsafeMutableBufferPointer<Float>
    /// Which engine computed the last log-probabilities, and which recorded state still
    /// describes the last image: every entry point sets it, every reader switches on it.
    var state = PassState.nothing
    /// Saved incoming rows of switched-off units during a `.switchOff` step.
    let savedRows: UnsafeMutableBufferPointer<Float>

    /// A network with `model`'s parameters whose training steps run on one thread.
    public convenience init(_ model: Model) { self.init(model, threads: .one) }

    /// A network with `model`'s parameters; `threads` is how many threads its training steps use
    /// (`.two`: bit-identical results, see `StepThreads.recommended`).
    public init(_ model: Model, threads: StepThreads) {
        architecture = model.architecture
        normalisation = model.normalisation
        self.threads = threads
        let reference = ReferenceNetwork(model)
        self.reference = reference
        let fast = FastKernels.supports(model.architecture) ? FastKernels(model.architecture) : nil
        self.fast = fast
        split = threads == .two ? fast.map { FastSplitStep($0, parameters: reference.parameters.baseAddress!) } : nil
        lastPixels = .allocate(capacity: model.architecture.pixels)
        lastPixels.initialize(repeating: 0)
        let a = model.architecture
        savedRows = .allocateCacheAligned(max(a.conv2WeightCount, a.fc1WeightCount))
    }

    deinit {
        split?.stop()
        lastPixels.deallocate()
        savedRows.deallocate()
    }

    /// The parameters in Torch's layout (`Architecture`'s offsets); writes take effect at the
    /// next call.
    public var parameters: UnsafeMutableBufferPointer<Float> { reference.parameters }

    /// The current parameters as a `Model`.
    public var model: Model { reference.model }

    /// Replaces the parameters (same architecture; the network keeps its normalisation).
    public func load(_ model: Model) {
        reference.load(model)
        state = .nothing
    }

    // MARK: Forward

    /// Forward pass of one padded image (`architecture.pixels` values in [0, 1]).
    public func forward(_ pixels: UnsafePointer<Float>) {
        remember(pixels)
        guard let fast else {
            reference.forward(pixels)
            state = .reference
            return
        }
        fast.forward(pixels, normalisation: normalisation, parameters: parameters.baseAddress!)
        state = .fastForward(replayed: false)
    }

    func remember(_ pixels: UnsafePointer<Float>) {
        _ = lastPixels.update(fromContentsOf: UnsafeBufferPointer(start: pixels, count: architecture.pixels))
    }

    /// Forward pass; returns the log-probabilities.
    @discardableResult
    public func forward(_ pixels: [Float]) -> [Float] {
        precondition(pixels.count == architecture.pixels, "expected \(architecture.pixels) pixels, got \(pixels.count)")
        pixels.withUnsafeBufferPointer { forward($0.baseAddress!) }
        return logProbabilities
    }

    /// Log-probabilities of the last forward pass.
    public var logProbabilities: [Float] {
        guard let fast, state.logProbabilitiesOnFast else { return reference.logProbabilities }
        return Array(UnsafeBufferPointer(start: fast.logProbs.p, count: architecture.classes))
    }

    /// The predicted class of the last forward pass (first maximum).
    public var predictedClass: Int {
        guard let fast, state.logProbabilitiesOnFast else { return reference.predictedClass }
        return Semantics.firstMaximum(fast.logProbs.p, count: architecture.classes)
    }

    /// Activation of a layer for the last forward pass's image, after its ReLU or (`preReLU`)
    /// before it, channel-major: conv maps are full (every output position, also those
    /// floor-mode pooling drops). conv2 and fc come from the fast kernels' state right after a
    /// fast `forward`, otherwise from a reference replay; both sum in the same order per
    /// output only up to the reference's summation order (see `FastKernels`).
    public func activation(_ layer: UnitLayer, preReLU: Bool = false) -> [Float] {
        if let fast, state.fastIntermediatesCurrent, layer != .conv1 {
            let a = architecture
            if layer == .fc {
                return Array(UnsafeBufferPointer(start: (preReLU ? fast.z3 : fast.a3).p, count: a.hidden))
            }
            let w = parameters.baseAddress!
            return [Float](unsafeUninitializedCapacity: a.conv2Channels * a.conv2Side * a.conv2Side) { out, count in
                fast.fullConv2Activation(w + a.conv2WeightOffset, bias: w + a.conv2BiasOffset, preReLU: preReLU,
                                         into: out.baseAddress!)
                count = out.count
            }
        }
        replayOnReference()
        return reference.activation(layer, preReLU: preReLU)
    }

    /// Makes the reference path's recorded forward state describe the last image under the
    /// current parameters.
    func replayOnReference() {
        guard state.needsReplay else { return }
        reference.forward(UnsafePointer(lastPixels.baseAddress!))
        state = state.replayed
    }

    // MARK: Training

    /// One SGD step on one image: forward, NLL loss, backward, update by `optimizer`. With a
    /// mask, `.switchOff` zeroes the switched-off units' incoming weight rows for the step and
    /// restores them afterwards (their biases and velocities keep the update; under stateless
    /// SGD the one-thread fast kernels do this without touching the rows, same bits);
    /// `.gradientMask` blocks the gradient through them.
    @discardableResult
    public func trainStep(_ pixels: UnsafePointer<Float>, label: Int, optimizer: SGD, mask: UnitMask? = nil) -> StepResult {
        precondition(label >= 0 && label < architecture.classes, "label \(label) out of range")
        precondition(optimizer.velocity.count == architecture.parameterCount, "optimizer sized for another network")
        guard let fast else {
            remember(pixels)
            let result = reference.trainStep(pixels, label: label, optimizer: optimizer, mask: mask)
            state = .reference
            return result
        }
        guard let mask else { return fastStep(fast, pixels, label: label, optimizer: optimizer) }
        precondition(mask.retained.count == architecture.width(of: mask.layer),
                     "mask has \(mask.retained.count) units, layer \(mask.layer) has \(architecture.width(of: mask.layer))")
        if mask.mode == .gradientMask {
            return fastStep(fast, pixels, label: label, optimizer: optimizer, blocked: (mask.layer, mask.retained.map { !$0 }))
        }
        // Under stateless SGD the one-thread kernels switch the units off themselves, with the
        // same bits and without copying the rows out and back.
        if split == nil && optimizer.settings.isStateless {
            return fast.switchOff(layer: mask.layer, retained: mask.retained) {
                fastStep(fast, pixels, label: label, optimizer: optimizer)
            }
        }
        return mask.withSwitchedOffRows(in: parameters.baseAddress!, rows: incomingRows(of: mask.layer),
                                        saved: savedRows.baseAddress!) {
            fastStep(fast, pixels, label: label, optimizer: optimizer)
        }
    }

    /// Convenience for arrays.
    @discardableResult
    public func trainStep(_ pixels: [Float], label: Int, optimizer: SGD, mask: UnitMask? = nil) -> StepResult {
        precondition(pixels.count == architecture.pixels, "expected \(architecture.pixels) pixels, got \(pixels.count)")
        return pixels.withUnsafeBufferPointer { trainStep($0.baseAddress!, label: label, optimizer: optimizer, mask: mask) }
    }

    func fastStep(_ fast: FastKernels, _ pixels: UnsafePointer<Float>, label: Int, optimizer: SGD,
                  blocked: (layer: UnitLayer, units: [Bool])? = nil) -> StepResult {
        if let split {
            remember(pixels)
            let w = parameters.baseAddress!
            split.step(pixels, label: label, normalisation: normalisation, parameters: w,
                       update: FusedSGD(optimizer, parameters: w), blocked: blocked)
            optimizer.finishStep()
            state = .fastLogProbabilities(replayed: false)
            return StepResult(loss: -fast.logProbs.p[label],
                              correct: Semantics.firstMaximum(fast.logProbs.p, count: architecture.classes) == label)
        }
        forward(pixels)
        let result = StepResult(loss: -fast.logProbs.p[label],
                                correct: Semantics.firstMaximum(fast.logProbs.p, count: architecture.classes) == label)
        let w = parameters.baseAddress!
        fast.backward(label: label, normalisation: normalisation, parameters: w,
                      update: FusedSGD(optimizer, parameters: w), inputGradient: nil, blocked: blocked)
        optimizer.finishStep()
        state = .fastLogProbabilities(replayed: false)
        return result
    }

    /// The incoming weight rows of a layer's units: unit j owns `length` values from
    /// `offset + j * length` (a conv2 filter, or an fc1 weight row).
    public func incomingRows(of layer: UnitLayer) -> (offset: Int, length: Int) {
        reference.incomingRows(of: layer)
    }

    // MARK: Gradients

    /// NLL(net(x), label) and its gradient with respect to the pixels of x (the attack's oracle).
    /// Returns the loss; the log-probabilities stay readable in `logProbabilities`.
    @discardableResult
    public func lossAndInputGradient(_ pixels: UnsafePointer<Float>, label: Int,
                                     gradient: UnsafeMutablePointer<Float>) -> Float {
        guard let fast else {
            remember(pixels)
            state = .reference
            return reference.lossAndInputGradient(pixels, label: label, gradient: gradient)
        }
        forward(pixels)
        fast.backward(label: label, normalisation: normalisation, parameters: parameters.baseAddress!,
                      update: nil, inputGradient: gradient)
        return -fast.logProbs.p[label]
    }

    /// Gradient of NLL(net(x), label) with respect to every parameter (tests, analyses; reference path).
    public func parameterGradient(_ pixels: [Float], label: Int) -> [Float] {
        forward(pixels)
        let gradient = reference.parameterGradient(pixels, label: label)
        // The reference has just recorded the same image under the same parameters.
        state = state.replayed
        return gradient
    }

    /// The notebook's `mapBack` projection of `unit` of `layer` (nil: the sum over the layer's
    /// units, `mapLayer`) for the last forward pass's image; see `ReferenceNetwork.mapBack`.
    public func mapBack(layer: UnitLayer, unit: Int?) -> [Float] {
        replayOnReference()
        return reference.mapBack(layer: layer, unit: unit)
    }

    /// Projects a signal placed on `layer`'s post-ReLU activation back to input pixels, through
    /// the last forward pass's max-pool switches, crossing each ReLU by `rule`. Seeding with one
    /// unit's own activation (others zero) gives that unit's projection.
    public func project(from layer: UnitLayer, seed: [Float], rule: ReLURule) -> [Float] {
        replayOnReference()
        return reference.project(from: layer, seed: seed, rule: rule)
    }
}

/// What `Network`'s last pass left behind. One value instead of separate flags, so no entry
/// point can leave the fast and reference paths' states out of step.
enum PassState: Equatable {
    /// Nothing has run since the network was made or loaded (a replay is needed).
    case nothing
    /// A fast forward pass: the fast kernels' intermediates describe the last image under the
    /// current parameters; `replayed` when the reference path has recorded it too.
    case fastForward(replayed: Bool)
    /// A fast training step or `classify`: its log-probabilities (from before a step's update)
    /// count, but the fast intermediates do not describe the last image under the current
    /// parameters (they predate the update, or lack the switches); `replayed` when the
    /// reference path has recorded the image since.
    case fastLogProbabilities(replayed: Bool)
    /// The reference path ran last (no fast kernels, or a reference-only operation).
    case reference

    /// The last log-probabilities are the fast kernels' (else the reference path's).
    var logProbabilitiesOnFast: Bool { self != .reference }

    /// The fast kernels' recorded forward state describes the last image now.
    var fastIntermediatesCurrent: Bool {
        if case .fastForward = self { return true }
        return false
    }

    /// The reference path must replay the last image before its state can be read.
    var needsReplay: Bool {
        switch self {
        case .nothing, .fastForward(replayed: false), .fastLogProbabilities(replayed: false): return true
        case .fastForward(replayed: true), .fastLogProbabilities(replayed: true), .reference: return false
        }
    }

    /// The state after the reference path has recorded the last image.
    var replayed: PassState {
        switch self {
        case .nothing, .reference: return .reference
        case .fastForward: return .fastForward(replayed: true)
        case .fastLogProbabilities: return .fastLogProbabilities(replayed: true)
        }
    }
}
