#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSIMD

/// The batch-1 SGD step of `FastKernels` on two threads (`StepThreads.two`): the calling thread
/// and one persistent helper (`StepPartner`) each compute one half of every layer, by conv1
/// channel, conv2 filter or fc unit, meeting at a barrier between phases that read what the
/// other half wrote.
///
/// Bit-identical to the one-thread step: each float is computed by the same kernel code with
/// the same operands in the same order; a split only chooses which thread runs which outputs.
/// Reductions are split by what they reduce into (dP1 by channel), never by what they sum over,
/// or run in order across the threads (fc1's input gradient and conv2's patch gradients: the
/// helper continues the chains from the caller's rows), so that each weight row is read and
/// updated by the thread whose forward half reads it. Each thread has
/// its own 64-float slice of `scratch`, `scratchIndex` and `dConv1`.
final class FastSplitStep {
    enum Phase: Int, CaseIterable {
        /// conv1 + ReLU + pool1, by conv1 channel.
        case conv1
        /// conv2 and pool2, by conv2 filter; each thread gathers all the patches into a copy of
        /// its own (patch rows written on one core and read on the other cost 5 us a step).
        case conv2
        /// fc1, by hidden unit.
        case fc1
        /// fc1's backward pass by hidden unit (the rows each thread's fc1 half reads): the
        /// helper continues dP2's chains from the caller's rows, then computes dz2.
        case fc1Backward
        /// conv2's backward pass by filter (the rows each thread's conv2 half reads): the patch
        /// gradients with the old weights, the helper continuing the caller's chains, then the
        /// update.
        case conv2Backward
        /// dP1, its gate and conv1's update by conv1 channel.
        case lowerLayers
    }

    let kernels: FastKernels
    private var partner: StepPartner?
    /// The step in progress, set by the calling thread before it posts the first phase.
    private var parameters: UnsafeMutablePointer<Float>
    private var update: FusedSGD?
    private var conv2Blocked = false
    private let blockedFilters: UnsafeMutablePointer<Bool>
    /// Each part's share: [0] the calling thread's, [1] the helper's.
    private let channels: Halves, filters: Halves, units: Halves
    /// Each thread's conv2 patches: the caller's are `kernels.cols`, the helper's a copy of its own.
    private let patches: [UnsafeMutablePointer<Float>]
    private let helperPatches: AlignedFloats
    /// Inside a phase, the caller's chains are done up to a point: in fc1Backward when it posts
    /// `signalled`, in conv2Backward for position `pos` when it posts `signalled + pos + 1`.
    private let signal = StepSignal()
    private var signalled = 0

    init(_ kernels: FastKernels, parameters: UnsafeMutablePointer<Float>) {
        self.kernels = kernels
        self.parameters = parameters
        let a = kernels.architecture
        channels = Halves(32, multipleOf: FastKernels.conv1Group)
        helperPatches = AlignedFloats(kernels.positions2 * kernels.patchStride)
        patches = [kernels.cols.p, helperPatches.p]
        filters = Halves(a.conv2Channels, multipleOf: 4)
        units = Halves(a.hidden, multipleOf: 8)
        blockedFilters = .allocate(capacity: a.conv2Channels)
        blockedFilters.initialize(repeating: false, count: a.conv2Channels)
        partner = StepPartner { [unowned(unsafe) self] phase in
            guard let timings = self.timings else { return self.work(Phase(rawValue: phase)!, part: 1) }
            let start = monotonicSeconds()
            self.work(Phase(rawValue: phase)!, part: 1)
            timings[helperTimings &+ phase] += monotonicSeconds() - start
        }
    }

    deinit {
        stop()
        blockedFilters.deallocate()
        timings?.deallocate()
    }

    /// Ends the helper thread (idempotent).
    func stop() {
        partner?.stop()
        partner = nil
    }

    /// `FastKernels.forward` then `backward` with `update`, as one step on two threads; fills
    /// `logProbs` (from before the update) and updates `w` and the velocities in place.
    func step(_ pixels: UnsafePointer<Float>, label: Int, normalisation: Normalisation,
              parameters w: UnsafeMutablePointer<Float>, update: FusedSGD,
              blocked: (layer: UnitLayer, units: [Bool])?) {
        let k = kernels, a = k.architecture
        parameters = w
        self.update = update
        conv2Blocked = blocked?.layer == .conv2
        if let blocked, conv2Blocked {
            for o in 0..<a.conv2Channels { blockedFilters[o] = blocked.units[o] }
        }
        let start = timings == nil ? 0 : monotonicSeconds()
        defer { if let timings { timings[stepTiming] += monotonicSeconds() - start; timings[stepCount] += 1 } }
        k.normaliseInput(pixels, normalisation)
        k.transposeConv1(w + a.conv1WeightOffset)
        run(.conv1); run(.conv2); run(.fc1)
        k.fc2(w + a.fc2WeightOffset, bias: w + a.fc2BiasOffset)
        k.logSoftmax()
        // d NLL / d z_k = softmax_k - [k == label]
        Semantics.nllGradient(k.logProbs.p, count: a.classes, label: label, into: k.dLogits.p)
        k.fc2Backward(w + a.fc2WeightOffset, bias: w + a.fc2BiasOffset, update: update)
        if let blocked, blocked.layer == .fc {
            for h in 0..<a.hidden where blocked.units[h] { k.dz3.p[h] = 0 }
        }
        signalled &+= 1
        run(.fc1Backward)
        run(.conv2Backward)
        signalled &+= k.positions2
        run(.lowerLayers)
    }

    @inline(__always)
    private func run(_ phase: Phase) {
        guard let timings else { return partner!.run(phase.rawValue) { work(phase, part: 0) } }
        let start = monotonicSeconds()
        var mine = 0.0
        partner!.run(phase.rawValue) {
            work(phase, part: 0)
            mine = monotonicSeconds() - start
        }
        timings[phase.rawValue] += mine
        timings[waitTimings &+ phase.rawValue] += monotonicSeconds() - start - mine
    }

    // MARK: Diagnostics

    /// nil, or seconds summed over the profiled steps: [0..<8] each phase's share on the calling
    /// thread, [8..<16] its waits, [16] whole steps, [17] the step count, [32..<40] the helper's
    /// shares (a cache line of their own).
    private var timings: UnsafeMutablePointer<Double>?

    /// Starts timing the phases of every following step (costs about 0.2 us per step).
    func startProfiling() {
        if timings == nil { timings = .allocate(capacity: 48) }
        timings!.initialize(repeating: 0, count: 48)
    }

    /// Mean times per step since `startProfiling`, nil before it or before a step.
    var profile: StepProfile? {
        guard let t = timings, t[stepCount] > 0 else { return nil }
        let n = t[stepCount], us = 1e6 / n
        let phases = Phase.allCases.map {
            StepProfile.Phase(name: "\($0)", callerMicroseconds: t[$0.rawValue] * us,
                              helperMicroseconds: t[helperTimings &+ $0.rawValue] * us,
                              waitMicroseconds: t[waitTimings &+ $0.rawValue] * us)
        }
        return StepProfile(steps: Int(n), stepMicroseconds: t[stepTiming] * us, phases: phases)
    }

    /// One part's share of a phase.
    private func work(_ phase: Phase, part p: Int) {
        let k = kernels, a = k.architecture, w = parameters
        let values = k.scratch.p + 64 &* p, index = k.scratchIndex.p + 64 &* p
        switch phase {
        case .conv1:
            k.conv1ReluPool(bias: w + a.conv1BiasOffset, channels: channels[p], values: values, index: index)
        case .conv2:
            k.gatherConv2Patches(into: patches[p])
            k.conv2(w + a.conv2WeightOffset, bias: w + a.conv2BiasOffset, filters: filters[p], low: values,
                    patches: patches[p])
            k.reluPool2(filters: filters[p])
        case .fc1:
            k.fc1(w + a.fc1WeightOffset, bias: w + a.fc1BiasOffset, rows: units[p])
        case .fc1Backward:
            // The caller's rows first; the helper waits for their chains, then continues them.
            if p == 1 { signal.wait(forAtLeast: signalled) }
            k.fc1Backward(w + a.fc1WeightOffset, bias: w + a.fc1BiasOffset, update: update!, rows: units[p]) {
                if p == 0 { signal.post(signalled) } else {
                    k.conv2SwitchGradients(blocked: conv2Blocked ? UnsafePointer(blockedFilters) : nil)
                }
            }
        case .conv2Backward:
            // Position by position, the caller's filters' chains first; the helper continues them.
            if p == 0 { k.gatherContributors() }
            let base = signalled
            k.conv2PatchGradients(w + a.conv2WeightOffset, filters: filters[p],
                                  before: { if p == 1 { signal.wait(forAtLeast: base &+ $0 &+ 1) } },
                                  after: { if p == 0 { signal.post(base &+ $0 &+ 1) } })
            k.conv2Update(w + a.conv2WeightOffset, bias: w + a.conv2BiasOffset, update: update!, filters: filters[p],
                          patches: patches[p])
        case .lowerLayers:
            k.scatterPatchGradients(channels: channels[p])
            k.gatePool1Gradients(channels: channels[p])
            k.conv1Update(w + a.conv1WeightOffset, bias: w + a.conv1BiasOffset, update: update!,
                          channels: channels[p], grad: k.dConv1.p + 64 &* p)
        }
    }
}

private let waitTimings = 8, stepTiming = 16, stepCount = 17, helperTimings = 32

/// CLOCK_MONOTONIC in seconds.
func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// 0..<n in two parts whose boundary is a multiple of m (the first part the larger one).
struct Halves {
    let first: Range<Int>, second: Range<Int>

    init(_ n: Int, multipleOf m: Int) {
        let half = (n / m + 1) / 2 * m
        first = 0..<half
        second = half..<n
    }

    @inline(__always)
    subscript(part: Int) -> Range<Int> { part == 0 ? first : second }
}
