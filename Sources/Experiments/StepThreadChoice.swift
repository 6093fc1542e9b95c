import Engine
import Foundation

/// Base training's steps on one thread or two (`StepThreads`: the same bits either way, so the
/// choice changes only the time), chosen as training goes: two threads only while the second
/// core has nothing else to do (`secondCoreFree`: the stages beside base training have ended and
/// the last epoch's test evaluation is done) and only where the two-thread step measured faster.
///
/// The measurement is made on the training itself: every epoch, the first time in the epoch
/// that the second core is free, `calibrationSteps` steps run on one thread and the next as many
/// on two, and the faster is kept (on these VMs the two-thread step's worth changes from hour to
/// hour with where the two vCPUs sit on the host: a choice kept for 10 epochs was measured to go
/// stale). A calibration costs at most 2,000 steps at the slower rate, under 1% of an epoch. On a
/// one-core machine, or until the second core is free, every step runs on one thread.
///
/// The choice is real, not noise: on an AMD EPYC Zen 4, 44 calibrations timed 1,000 two-thread
/// steps at either about 0.048 s (29 times; one thread: 0.066 s) or about 0.089 s (15 times), and
/// a slow phase lasted up to five epochs in a row. Timing alternating blocks (one thread, two,
/// one, two) and comparing the fastest of each kind was tried: in a slow phase both two-thread
/// blocks were slow, so it chose one thread just as this does.
final class StepThreadChoice {
    static let checkEvery = 2000, calibrationSteps = 2000

    private let one: Network
    private let two: Network?
    private let stepsPerEpoch: Int
    private let secondCoreFree: () -> Bool
    private(set) var current: StepThreads = .one
    /// The faster at the last calibration (nil before the first) and that calibration's epoch.
    private(set) var preferred: StepThreads?
    private var calibratedEpoch: Int?
    /// A calibration in progress: its first step, when its current half began, the one-thread half's seconds.
    private var calibration: (start: Int, began: Double, oneThread: Double?)?

    init(_ network: Network, stepsPerEpoch: Int, secondCoreFree: @escaping () -> Bool) {
        one = network
        let cores = ProcessInfo.processInfo.activeProcessorCount
        two = cores >= 2 && stepsPerEpoch >= 2 * Self.calibrationSteps ? Network(network.model, threads: .two) : nil
        self.stepsPerEpoch = stepsPerEpoch
        self.secondCoreFree = secondCoreFree
    }

    /// The network whose parameters are current.
    var network: Network { current == .two ? two! : one }

    /// Steps of the current epoch so far that ran on two threads (for the progress line).
    private(set) var twoThreadSteps = 0

    /// The network to run step `i` (0-based) of `epoch` on.
    func network(forStep i: Int, epoch: Int) -> Network {
        if i == 0 { twoThreadSteps = 0 }
        choose(forStep: i, epoch: epoch)
        if current == .two { twoThreadSteps += 1 }
        return network
    }

    /// Sets `current` for step `i` of `epoch`: calibrates, or keeps the calibration's choice.
    private func choose(forStep i: Int, epoch: Int) {
        guard two != nil else { return }
        if let c = calibration {
            if i == c.start + Self.calibrationSteps {
                calibration = (c.start, now(), now() - c.began)
                use(.two)
            } else if i == c.start + 2 * Self.calibrationSteps {
                preferred = now() - c.began < c.oneThread! ? .two : .one
                calibration = nil
                calibratedEpoch = epoch
                use(secondCoreFree() ? preferred! : .one)
            }
            return
        }
        guard i % Self.checkEvery == 0 else { return }
        let free = secondCoreFree()
        if free, calibratedEpoch != epoch, i + 2 * Self.calibrationSteps <= stepsPerEpoch {
            use(.one)
            calibration = (i, now(), nil)
        } else {
            use(free && preferred == .two ? .two : .one)
        }
    }

    /// Moves the parameters to the network of `threads`.
    private func use(_ threads: StepThreads) {
        guard threads != current, let two else { return }
        let (from, to) = threads == .two ? (one, two) : (two, one)
        to.parameters.baseAddress!.update(from: from.parameters.baseAddress!, count: from.parameters.count)
        current = threads
    }

    private func now() -> Double { ProcessInfo.processInfo.systemUptime }
}
