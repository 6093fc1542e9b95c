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

    /// The same rule on `V.scalarCount` parameters from `x`, lane by lane the scalar `apply`'s
    /// operations (so the same bits); `V` is `Vec16` or `Vec8` at every call site, where it
    /// specialises to plain vector instructions.
    @inline(__always)
    func apply<V: SIMD>(_ x: UnsafeMutablePointer<Float>, gradient g: V) where V.Scalar == Float {
        let p = UnsafeMutableRawPointer(x), xv = p.loadUnaligned(as: V.self)
        if stateless { p.storeBytes(of: xv - rate * g, as: V.self); return }
        let v = UnsafeMutableRawPointer(x + velocityOffset)
        let gi = g + weightDecay * xv
        let vi = momentum * v.loadUnaligned(as: V.self) + keep * gi
        v.storeBytes(of: vi, as: V.self)
        p.storeBytes(of: xv - rate * vi, as: V.self)
    }

    /// x[i] updated with gradient d * input[i], i < count: 8 lanes at a time, then one by one.
    /// (Written out because the AVX2 build left the one-by-one loop scalar.)
    @inline(__always)
    func applyRow(_ x: UnsafeMutablePointer<Float>, count: Int, scale d: Float, input: UnsafePointer<Float>) {
        var i = 0
        while i &+ 8 <= count {
            apply(x + i, gradient: d * load8(input + i))
            i &+= 8
        }
        while i < count {
            apply(x + i, gradient: d * input[i])
            i &+= 1
        }
    }
}
