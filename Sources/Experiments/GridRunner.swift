import Foundation

/// Runs `count` independent jobs on `workers` threads. Each job's result is stored at its own
/// index, so the output does not depend on which thread ran what or in which order.
/// `progress(done, total)` is called after every finished job (from the worker threads).
public func runIndependentJobs<Result: Sendable>(count: Int, workers: Int,
                                                 progress: (@Sendable (Int, Int) -> Void)? = nil,
                                                 _ job: @escaping @Sendable (Int) -> Result) -> [Result] {
    let board = JobBoard<Result>(count: count)
    let group = DispatchGroup()
    for _ in 0..<max(1, min(workers, count)) {
        group.enter()
        Thread.detachNewThread {
            while let index = board.claim() {
                let done = board.store(job(index), at: index)
                progress?(done, count)
            }
            group.leave()
        }
    }
    group.wait()
    return board.results()
}

/// The shared state of `runIndependentJobs`: the next unclaimed index and the results.
final class JobBoard<Result: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var done = 0
    private var slots: [Result?]

    init(count: Int) { slots = [Result?](repeating: nil, count: count) }

    func claim() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next < slots.count else { return nil }
        next += 1
        return next - 1
    }

    /// Stores a result; returns how many jobs are done.
    func store(_ result: Result, at index: Int) -> Int {
        lock.lock(); defer { lock.unlock() }
        slots[index] = result
        done += 1
        return done
    }

    func results() -> [Result] {
        lock.lock(); defer { lock.unlock() }
        return slots.map { $0! }
    }
}
