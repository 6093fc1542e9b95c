import Dispatch
import Foundation

/// Runs `task(&state, index)` for every index in 0..<count on `workers` threads, each with its
/// own `state` from `makeState` (a `Network` is one per thread), and returns the results in
/// index order. Indices are handed out dynamically, but each result depends only on its index,
/// so the output is the same whatever the timing. The first error thrown wins.
func parallelMap<State, Result: Sendable>(
    count: Int, workers: Int, makeState: @Sendable () throws -> State,
    task: @Sendable (inout State, Int) throws -> Result,
    finished: @Sendable (Result) -> Void = { _ in }
) throws -> [Result] {
    let board = WorkBoard<Result>(count: count)
    DispatchQueue.concurrentPerform(iterations: max(1, min(workers, count))) { _ in
        do {
            var state = try makeState()
            while let index = board.claim() {
                let result = try task(&state, index)
                board.store(result, at: index)
                finished(result)
            }
        } catch {
            board.fail(error)
        }
    }
    return try board.results()
}

/// The shared state of `parallelMap`: the next free index and one slot per index, under a lock.
final class WorkBoard<Result: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var slots: [Result?]
    private var error: Error?

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func claim() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard error == nil, next < slots.count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ result: Result, at index: Int) {
        lock.lock(); defer { lock.unlock() }
        slots[index] = result
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
