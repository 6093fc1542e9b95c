import Engine
import Foundation

/// Base training's steps on one thread or two (`StepThreads`: the same bits either way, so the
/// choice changes only the time), chosen as training goes: two threads only while the second
/// core has nothing else to do (`secondCoreFree`: the stages beside base training have ended and
/// the last epoch's test evaluation is done) and only where the two-thread step measured faster.
///
/// The measurement is made on the training itself: every epoch, the first time in the epoch
/// that the second core is free, four blocks of `calibrationBlock` steps run on one thread, two,
/// one and two, and the kind whose faster block was faster is kept (on these VMs the
/// two-thread step's worth changes from hour to hour with where the two vCPUs sit on the host:
/// a choice kept for 10 epochs was measured to go stale). The faster block of each kind, not the
/// sum, decides because something else on the host only ever slows a block down: with one block
/// of each, an AMD EPYC Zen 4 measured 2,000 two-thread steps in 0.18-0.20 s instead of
/// 0.09-0.11 s in 4 of 30 epochs, and each of those epochs ran on one thread, about 1 s
/// slower. A calibration costs at most 2,000 steps at the slower rate, under 1% of an epoch.
/// On a one-core machine, or until the second core is free, every step runs on one thread.
final class StepThreadChoice {
    static let checkEvery = 2000, calibrationBlock = 1000, calibrationBlocks = 4
    /// Steps of a whole calibration.
    static var calibrationSteps: Int { calibrationBlock * calibrationBlocks }

    private let one: Network
    private let two: Network?
    private let stepsPerEpoch: Int
    private let secondCoreFree: () -> Bool
    private(set) var current: StepThreads = .one
    /// The faster at the last calibration (nil before the first) and that calibration's epoch.
    private(set) var preferred: StepThreads?
    private var calibratedEpoch: Int?
    /// A calibration in progress: its first step, when its current block began, and the
    /// fastest block of each kind so far (seconds).
    private var calibration: (start: Int, began: Double, fastest: [StepThreads: Double])?

    init(_ network: Network, stepsPerEpoch: Int, secondCoreFree: @escaping () -> Bool) {
        one = network
        let cores = ProcessInfo.processInfo.activeProcessorCount
        two = cores >= 2 && stepsPerEpoch >= Self.calibrationSteps ? Network(network.model, threads: .two) : nil
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
            guard i > c.start, (i - c.start) % Self.calibrationBlock == 0 else { return }
            var fastest = c.fastest
            fastest[current] = min(fastest[current] ?? .infinity, now() - c.began)
            if i < c.start + Self.calibrationSteps {
                calibration = (c.start, now(), fastest)
                use(current == .one ? .two : .one)
            } else {
                preferred = fastest[.two]! < fastest[.one]! ? .two : .one
                calibration = nil
                calibratedEpoch = epoch
                use(secondCoreFree() ? preferred! : .one)
            }
            return
        }
        guard i % Self.checkEvery == 0 else { return }
        let free = secondCoreFree()
        if free, calibratedEpoch != epoch, i + Self.calibrationSteps <= stepsPerEpoch {
            use(.one)
            calibration = (i, now(), [:])
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
