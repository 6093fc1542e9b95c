import Engine
import Foundation

/// Two one-thread steps at once, each on a network of its own on its own core: the rate each
/// keeps of its rate alone. Two threads on one step cannot beat twice that (side by side there
/// is no split, no barrier and no data shared between the cores), so it is the ceiling the
/// machine itself puts on `.two` at the time of the measurement; what `.two` reaches below it
/// is the split's own cost.
extension EngineBenchmark {
    /// One thread's steps in a side-by-side run: its own network, optimiser and result.
    final class Lane: @unchecked Sendable {
        let network: Network
        let optimizer: SGD
        let pixels: [Float], labels: [Int], stride: Int
        var next: Int
        var rate = 0.0

        init(_ model: Model, settings: SGDSettings, pixels: [Float], labels: [Int], first: Int) {
            network = Network(model)
            optimizer = SGD(settings: settings, parameterCount: model.architecture.parameterCount)
            self.pixels = pixels
            self.labels = labels
            stride = model.architecture.pixels
            next = first
        }

        /// Steps in chunks of 500 until `seconds` have passed; sets `rate` (images per wall-second).
        func run(seconds: Double) {
            let start = Date()
            var images = 0
            pixels.withUnsafeBufferPointer { p in
                repeat {
                    for _ in 0..<500 {
                        network.trainStep(p.baseAddress! + next * stride, label: labels[next], optimizer: optimizer)
                        next = (next + 1) % labels.count
                    }
                    images += 500
                } while Date().timeIntervalSince(start) < seconds
            }
            rate = Double(images) / Date().timeIntervalSince(start)
        }
    }

    /// The lanes' mean rate when started together over the first lane's rate alone (on a
    /// thread of its own, the same code), the two measured in turn three times: the median ratio.
    func sideBySide() -> Double {
        let lanes = (0..<2).map {
            Lane(model, settings: settings, pixels: pixels, labels: labels, first: $0 * imageCount / 2)
        }
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
        _ = together(lanes[...], min(0.5, seconds))
        let ratios = (0..<3).map { _ in
            let alone = together(lanes[..<1], seconds)
            return together(lanes[...], seconds) / alone
        }
        return ratios.sorted()[1]
    }
}
