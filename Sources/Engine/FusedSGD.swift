import CSIMD

/// One optimiser step applied in place while the backward pass runs (Torch's optim.sgd, see
/// `SGDSettings`): g += wd x;  v = m v + keep g;  x -= rate v, with (m, keep) = (0, 1) on the
/// first step or without momentum, so v = g there. Plain multiplies and adds, as `SGD.update`.
/// Stateless SGD (no momentum, no weight decay: the hardening stage's) is x -= rate g and keeps
/// no velocity; there a zero gradient moves nothing, so the kernels skip the units that have one.
struct FusedSGD {
    let rate: Float, weightDecay: Float, momentum: Float, keep: Float
    /// `SGDSettings.isStateless`: x -= rate g, the velocity buffer untouched.
    let stateless: Bool
    /// `velocity - parameters`: the velocity of the parameter at `x` is at `x + velocityOffset`.
    let velocityOffset: Int

    init(_ optimizer: SGD, parameters: UnsafeMutablePointer<Float>) {
        let s = optimizer.settings, plain = s.momentum == 0 || optimizer.steps == 0
        rate = optimizer.currentLearningRate
        weightDecay = s.weightDecay
        momentum = plain ? 0 : s.momentum
        keep = plain ? 1 : 1 - s.dampening
        stateless = s.isStateless
        velocityOffset = optimizer.velocity.baseAddress! - parameters
    }

    @inline(__always)
    func apply(_ x: UnsafeMutablePointer<Float>, gradient g: Float) {
        // The same bits as the general rule: with m = 0, keep = 1, wd = 0, v = g exactly.
        if stateless { x.pointee -= rate * g; return }
        let v = x + velocityOffset
        let gi = g + weightDecay * x.pointee
        let vi = momentum * v.pointee + keep * gi
        v.pointee = vi
        x.pointee -= rate * vi
    }

    @inline(__always)
    func apply(_ x: UnsafeMutablePointer<Float>, gradient g: Vec16) {
        if stateless { store16(x, load16(x) - rate * g); return }
        let v = x + velocityOffset, xv = load16(x)
        let gi = g + weightDecay * xv
        let vi = momentum * load16(v) + keep * gi
        store16(v, vi)
        store16(x, xv - rate * vi)
    }

    /// x[i] updated with gradient d * input[i], i < count.
    @inline(__always)
    func applyRow(_ x: UnsafeMutablePointer<Float>, count: Int, scale d: Float, input: UnsafePointer<Float>) {
        for i in 0..<count { apply(x + i, gradient: d * input[i]) }
    }
}
