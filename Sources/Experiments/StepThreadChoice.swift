import Engine
import Foundation

/// Base training's steps on one thread or two (`StepThreads`: the same bits either way, so the
/// choice changes only the time), chosen block by block as training goes: two threads only while
/// the second core has nothing else to do (`secondCoreFree`: the stages beside base training have
/// ended and the last epoch's test evaluation is done) and only while they measure faster.
///
/// Why block by block: on these VMs the two-thread step jumps between two speeds within seconds
/// while the one-thread step stays put. `bench trace` on an AMD EPYC Zen 4 (40 rows of 1.6 s):
/// 2 threads at about 20,700 images/s in 18 rows and 11,200 in 22 (one thread: 14,800), the slow
/// rows exactly those where a barrier between the cores took about 500 ns instead of 100, in
/// stretches of 5-16 s. A choice made once an epoch (about 4 s) went stale within the epoch.
///
/// How: steps run in blocks of `blockSteps`, each timed. On one thread, a block's time per step
/// is the reference. Every `probeGap` reference blocks, a probe of `probeSteps` steps runs on
/// two threads; if it beats the reference, two threads are kept, block after block, until one is
/// no faster than the reference. A probe that loses doubles the gap (up to `maxProbeGap`: about
/// 1 s of one-thread steps per probe, so a slow stretch costs under 2% in probes); one that
/// wins resets it to 1. While the second core is busy, or on a one-core machine, every step runs on
/// one thread, and those blocks set no reference (the other core's work slows them).
final class StepThreadChoice {
    static let blockSteps = 1000, probeSteps = 500, maxProbeGap = 16

    /// What a block is for.
    enum Block: Equatable {
        /// One thread, the second core busy: not timed.
        case busy
        /// One thread, timed: the reference.
        case reference
        /// Two threads for `probeSteps`, timed against the reference.
        case probe
        /// Two threads, timed against the reference.
        case twoThreads

        var threads: StepThreads { self == .probe || self == .twoThreads ? .two : .one }
        var steps: Int { self == .probe ? StepThreadChoice.probeSteps : StepThreadChoice.blockSteps }
    }

    private let one: Network
    private let two: Network?
    private let secondCoreFree: () -> Bool
    private(set) var current: StepThreads = .one
    /// Seconds per step of the last reference block (nil before the first).
    private(set) var oneThreadStep: Double?
    /// Whether the last probe or two-thread block beat the reference.
    private var twoFaster = false
    /// The block in progress: its kind, steps run so far and start time.
    private var block: (kind: Block, steps: Int, began: Double)?
    private(set) var probeGap = 1
    private var referencesSinceProbe = 0
    /// Seconds from some fixed origin (the tests pass a simulated machine's).
    private let now: () -> Double

    init(_ network: Network, stepsPerEpoch: Int, secondCoreFree: @escaping () -> Bool,
         clock: @escaping () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        one = network
        now = clock
        let cores = ProcessInfo.processInfo.activeProcessorCount
        two = cores >= 2 && stepsPerEpoch >= 4 * Self.blockSteps ? Network(network.model, threads: .two) : nil
        self.secondCoreFree = secondCoreFree
    }

    /// The network whose parameters are current.
    var network: Network { current == .two ? two! : one }

    /// Steps of the current epoch so far that ran on two threads (for the progress line).
    private(set) var twoThreadSteps = 0

    /// The network to run step `i` (0-based) of the current epoch on (step 0 starts an epoch).
    func network(forStep i: Int) -> Network {
        if i == 0 {
            // The last epoch's end submitted its test evaluation: the second core is busy again.
            twoThreadSteps = 0
            block = nil
        }
        if let b = block, b.steps == b.kind.steps { finish(b.kind, began: b.began) }
        if block == nil { start(next()) }
        block!.steps += 1
        if current == .two { twoThreadSteps += 1 }
        return network
    }

    /// Records what a complete block measured.
    private func finish(_ kind: Block, began: Double) {
        block = nil
        let perStep = (now() - began) / Double(kind.steps)
        switch kind {
        case .busy:
            return
        case .reference:
            oneThreadStep = perStep
            referencesSinceProbe += 1
        case .probe, .twoThreads:
            twoFaster = perStep < oneThreadStep!
            if twoFaster {
                probeGap = 1
            } else {
                if kind == .probe { probeGap = min(2 * probeGap, Self.maxProbeGap) }
                referencesSinceProbe = 0
            }
        }
    }

    /// The next block's kind.
    private func next() -> Block {
        guard two != nil, secondCoreFree() else { return .busy }
        guard oneThreadStep != nil else { return .reference }
        if twoFaster { return .twoThreads }
        return referencesSinceProbe >= probeGap ? .probe : .reference
    }

    private func start(_ kind: Block) {
        use(kind.threads)
        block = (kind, 0, now())
    }

    /// Moves the parameters to the network of `threads`.
    private func use(_ threads: StepThreads) {
        guard threads != current, let two else { return }
        let (from, to) = threads == .two ? (one, two) : (two, one)
        to.parameters.baseAddress!.update(from: from.parameters.baseAddress!, count: from.parameters.count)
        current = threads
    }
}
