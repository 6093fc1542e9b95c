import Engine
import Foundation

/// Two one-thread steps at once, each on a network of its own on its own core: the rate each
/// keeps of its rate alone. Two threads on one step cannot beat twice that (side by side there
/// is no split, no barrier and no data shared between the cores), so it is the ceiling the
/// machine itself puts on `.two` at the time of the measurement; what `.two` reaches below it
/// is the split's own cost.
extension EngineBenchmark {
    /// One thread's steps in a side-by-side run: its own network, optimiser, place in the
    /// images and result.
    final class Lane: @unchecked Sendable {
        let bench: EngineBenchmark
        let network: Network
        let optimizer: SGD
        var next: Int
        var rate = 0.0

        init(_ bench: EngineBenchmark, first: Int) {
            self.bench = bench
            network = Network(bench.model)
            optimizer = SGD(settings: bench.settings, parameterCount: bench.architecture.parameterCount)
            next = first
        }

        /// Steps for `seconds` after a short warm-up (`measure`, one run); sets `rate` (images
        /// per wall-second).
        func run(seconds: Double) {
            rate = bench.stepRate(network, optimizer: optimizer, seconds: seconds, runs: 1, from: &next).wall
        }
    }

    /// The lanes' mean rate when started together over the first lane's rate alone (on a
    /// thread of its own, the same code), the two measured in turn three times: the median ratio.
    func sideBySide() -> Double {
        let lanes = makeLanes()
        let ratios = (0..<3).map { _ in
            let alone = together(lanes[..<1], seconds)
            return together(lanes[...], seconds) / alone
        }
        return ratios.sorted()[1]
    }

    /// Two lanes, starting at the first and the second half of the images.
    func makeLanes() -> [Lane] { (0..<2).map { Lane(self, first: $0 * imageCount / 2) } }

    /// Runs `lanes` at once, each on a thread of its own, for `duration` seconds: their mean rate.
    func together(_ lanes: ArraySlice<Lane>, _ duration: Double) -> Double {
        let group = DispatchGroup(), go = DispatchSemaphore(value: 0)
        for lane in lanes {
            group.enter()
            Thread.detachNewThread {
                go.wait()
                lane.run(seconds: duration)
                group.leave()
            }
        }
        for _ in lanes { go.signal() }
        group.wait()
        return lanes.map(\.rate).reduce(0, +) / Double(lanes.count)
    }
}
