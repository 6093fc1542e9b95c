import Foundation

/// How many threads a `Network`'s batch-1 training step uses.
///
/// `.two` splits every layer of `trainStep` (with or without a mask) between the calling thread
/// and one persistent helper thread by conv1 channel, conv2 filter or fc unit (each weight row
/// stays on the core whose forward half reads it; the helper continues the caller's gradient
/// sums in order), so each float is computed by the same operations in the same order as with
/// `.one`: the parameters,
/// losses and velocities are bit-identical (`FastSplitStep`). Forward passes, activations and
/// the attack's `lossAndInputGradient` stay on the calling thread. Only the fast path is split
/// (architectures of the paper's shape); other architectures run on one thread either way.
///
/// `Network`'s default is `.one`. The study's stages keep the second core busy with independent
/// work (the stages that do not read the base net and the per-epoch test evaluations beside base
/// training, two runs at a time after it), and a step whose helper has to share its core waits
/// for it at every barrier; so only base training uses `.two`, in the epochs where the second
/// core is free and a calibration shows it faster (Experiments' `StepThreadChoice`). On an
/// otherwise idle machine `.two` pays where the cores are close: measured with `bench` on a Zen 4
/// (KVM), 1.21-1.43x the one-thread rate while a barrier took 115-140 ns, 0.73-0.75x in the
/// hours when it took 540 ns (README, Performance).
public enum StepThreads: Int, Sendable, Hashable, Codable, CaseIterable {
    case one = 1
    case two = 2
}

/// Where a two-thread training step spends its time, mean microseconds per step over the steps
/// profiled (`Network.profileSteps`): per phase, the calling thread's share, the helper's share
/// and the calling thread's wait for the helper (the barrier plus any imbalance); the rest of
/// `stepMicroseconds` is the serial part on the calling thread (input, fc2, softmax, fc2's update).
public struct StepProfile: Sendable {
    public struct Phase: Sendable {
        public let name: String
        public let callerMicroseconds: Double, helperMicroseconds: Double, waitMicroseconds: Double
    }
    public let steps: Int
    public let stepMicroseconds: Double
    public let phases: [Phase]

    /// Step time not spent in a phase.
    public var serialMicroseconds: Double {
        stepMicroseconds - phases.reduce(0) { $0 + $1.callerMicroseconds + $1.waitMicroseconds }
    }
}

extension Network {
    /// Diagnostics of a `.two` network: times the phases of every following training step
    /// (read them in `stepProfile`). Does nothing on a `.one` network.
    public func profileSteps() { split?.startProfiling() }

    /// Mean phase times since `profileSteps` (nil on a `.one` network or before a step).
    public var stepProfile: StepProfile? { split?.profile }
}
