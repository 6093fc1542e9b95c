/// Torch7's `optim.sgd`, step for step:
///
///     g  += weightDecay * x                       (on every parameter, biases too)
///     v   = g  (first step),  v = momentum * v + (1 - dampening) * g  (later steps)
///     x  -= learningRate / (1 + t * learningRateDecay) * v     (t = steps taken before)
///
/// With momentum 0 and weight decay 0 this is plain SGD.
public struct SGDSettings: Codable, Hashable, Sendable {
    public var learningRate: Float
    public var learningRateDecay: Float
    public var weightDecay: Float
    public var momentum: Float
    public var dampening: Float

    public init(learningRate: Float, learningRateDecay: Float = 0, weightDecay: Float = 0,
                momentum: Float = 0, dampening: Float? = nil) {
        self.learningRate = learningRate
        self.learningRateDecay = learningRateDecay
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.dampening = dampening ?? momentum  // Torch's default: dampening = momentum
    }

    /// Plain SGD at a fixed rate (the hardening stage).
    public static func plain(_ learningRate: Float) -> SGDSettings { SGDSettings(learningRate: learningRate) }

    /// No momentum and no weight decay: each step is x -= lr g, and the optimiser keeps no
    /// velocity (its buffer stays zero: v = g would never be read).
    public var isStateless: Bool { momentum == 0 && weightDecay == 0 }
}

/// A checkpoint of an optimiser's running state.
public struct SGDState: Codable, Equatable, Sendable {
    public var steps: Int
    public var velocity: [Float]
    public init(steps: Int, velocity: [Float]) {
        self.steps = steps
        self.velocity = velocity
    }
}

/// An optimiser's running state: the step count and the velocity buffer.
public final class SGD {
    public let settings: SGDSettings
    public private(set) var steps: Int = 0
    public let velocity: UnsafeMutableBufferPointer<Float>

    public init(settings: SGDSettings, parameterCount: Int) {
        self.settings = settings
        velocity = .allocateCacheAligned(parameterCount)
    }

    deinit { velocity.deallocate() }

    /// The running state, for checkpoints: steps taken and the velocity of every parameter.
    public var state: SGDState { SGDState(steps: steps, velocity: Array(velocity)) }

    /// Resumes from a checkpointed state (same settings and parameter count).
    public convenience init(settings: SGDSettings, state: SGDState) {
        self.init(settings: settings, parameterCount: state.velocity.count)
        steps = state.steps
        _ = velocity.update(fromContentsOf: state.velocity)
    }

    /// lr / (1 + t * decay) for the step about to be taken.
    public var currentLearningRate: Float {
        settings.learningRate / (1 + Float(steps) * settings.learningRateDecay)
    }

    /// Applies one update to `x` from gradient `g` over `range` of the parameter vector; call
    /// `finishStep()` once all ranges of a step are done.
    @inline(__always)
    public func update(_ x: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, range: Range<Int>, rate: Float) {
        let wd = settings.weightDecay, mom = settings.momentum, keep = 1 - settings.dampening
        let first = steps == 0
        let v = velocity.baseAddress!
        if settings.isStateless {
            for i in range { x[i] -= rate * g[i] }
            return
        }
        for i in range {
            let gi = g[i] + wd * x[i]
            let vi: Float
            if mom == 0 { vi = gi } else if first { vi = gi } else { vi = mom * v[i] + keep * gi }
            v[i] = vi
            x[i] -= rate * vi
        }
    }

    public func finishStep() { steps += 1 }
}
