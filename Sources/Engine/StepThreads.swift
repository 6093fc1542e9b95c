import Foundation

/// How many threads a `Network`'s batch-1 training step uses.
///
/// `.two` splits every layer of `trainStep` (with or without a mask) between the calling thread
/// and one persistent helper thread by output channel, output unit or output position, so each
/// float is computed by the same operations in the same order as with `.one`: the parameters,
/// losses and velocities are bit-identical (`FastSplitStep`). Forward passes, activations and
/// the attack's `lossAndInputGradient` stay on the calling thread. Only the fast path is split
/// (architectures of the paper's shape); other architectures run on one thread either way.
///
/// The default everywhere is `.one`: a second thread pays only when a core is otherwise idle,
/// and spinning beside other busy threads costs them time. `recommended(alone:)` is the rule.
public enum StepThreads: Int, Sendable, Hashable, Codable, CaseIterable {
    case one = 1
    case two = 2

    /// `.two` when this process has at least two processors and nothing else competes for them
    /// (`alone`: the caller runs no other compute thread and the machine is otherwise idle),
    /// else `.one`.
    public static func recommended(alone: Bool,
                                   processors: Int = ProcessInfo.processInfo.activeProcessorCount) -> StepThreads {
        alone && processors >= 2 ? .two : .one
    }
}
