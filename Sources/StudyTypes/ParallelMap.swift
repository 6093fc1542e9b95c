import Dispatch
import Foundation

/// The one parallel map of the project. Runs `task(&state, index)` for every index in
/// 0..<count on `workers` threads, each with its own `state` from `makeState` (a `Network` is
/// one per thread), and returns the results in index order. Indices are handed out dynamically,
/// but each result depends only on its index, so the output is the same whatever the timing or
/// the worker count. `finished(result, done)` runs after each job (on the worker's thread;
/// `done` = jobs finished so far). The first error thrown wins and stops further claims.
public func parallelMap<State, Result: Sendable>(
    count: Int, workers: Int, makeState: @Sendable () throws -> State,
    task: @Sendable (inout State, Int) throws -> Result,
    finished: @Sendable (Result, _ done: Int) -> Void = { _, _ in }
) throws -> [Result] {
    let board = WorkBoard<Result>(count: count)
    DispatchQueue.concurrentPerform(iterations: max(1, min(workers, count))) { _ in
        do {
            var state = try makeState()
            while let index = board.claim() {
                let result = try task(&state, index)
                finished(result, board.store(result, at: index))
            }
        } catch {
            board.fail(error)
        }
    }
    return try board.results()
}

/// `parallelMap` for stateless jobs that cannot fail; `progress(done, count)` after each job.
public func runIndependentJobs<Result: Sendable>(count: Int, workers: Int,
                                                 progress: (@Sendable (Int, Int) -> Void)? = nil,
                                                 _ job: @escaping @Sendable (Int) -> Result) -> [Result] {
    // Nothing here throws.
    try! parallelMap(count: count, workers: workers, makeState: { () }, task: { _, index in job(index) },
                     finished: { _, done in progress?(done, count) })
}

/// The shared state of `parallelMap`: the next free index and one slot per index, under a lock.
final class WorkBoard<Result: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var done = 0
    private var slots: [Result?]
    private var error: Error?

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func claim() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard error == nil, next < slots.count else { return nil }
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

    func fail(_ error: Error) {
        lock.lock(); defer { lock.unlock() }
        if self.error == nil { self.error = error }
    }

    func results() throws -> [Result] {
        lock.lock(); defer { lock.unlock() }
        if let error { throw error }
        return slots.map { $0! }
    }
}
