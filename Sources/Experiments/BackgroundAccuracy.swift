import Analysis
import Dispatch
import Engine
import Foundation
import StudyTypes

/// Accuracies of network snapshots on one image set, computed one after another in submission
/// order on a thread of their own, so that base training does not wait for its per-epoch test
/// evaluation: the other core does it. Each accuracy depends only on its snapshot, so the
/// numbers are the ones an inline evaluation gives.
final class BackgroundAccuracy: @unchecked Sendable {
    private let images: LabelledImages
    private let queue = DispatchQueue(label: "background-accuracy")
    private let lock = NSLock()
    // Guarded by `lock`: accuracies finished and not yet taken, and the last one finished.
    private var finished: [Double] = []
    private var last: (index: Int, accuracy: Double)?
    private var submitted = 0

    init(images: LabelledImages) { self.images = images }

    /// Starts evaluating `model` (a snapshot: later training does not touch it); its index is
    /// the number of snapshots submitted before it.
    func submit(_ model: Model) {
        let index = submitted
        submitted += 1
        queue.async { [self] in
            let accuracy = Network(model).accuracy(on: images)
            lock.lock()
            finished.append(accuracy)
            last = (index, accuracy)
            lock.unlock()
        }
    }

    /// Every submitted evaluation has finished (the thread it runs on is idle).
    var isIdle: Bool { (latest?.index ?? -1) + 1 == submitted }

    /// The most recent finished evaluation, nil before the first.
    var latest: (index: Int, accuracy: Double)? {
        lock.lock(); defer { lock.unlock() }
        return last
    }

    /// Waits for every submitted evaluation and returns the accuracies not yet taken, in
    /// submission order.
    func takeAll() -> [Double] {
        queue.sync {}
        lock.lock(); defer { lock.unlock() }
        let taken = finished
        finished = []
        return taken
    }
}
