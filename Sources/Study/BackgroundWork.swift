import Foundation

/// A throwing computation started on its own thread at once; `result()` waits for it to end and
/// returns its value or rethrows its error. The study runs one stage this way beside another
/// when neither reads the other's result (two cores, two independent trainings).
final class BackgroundWork<Value: Sendable>: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    // Written once by the worker thread before `finished` is signalled, read only after it.
    private var outcome: Result<Value, Error>?

    init(_ work: @escaping @Sendable () throws -> Value) {
        Thread.detachNewThread { [self] in
            outcome = Result { try work() }
            finished.signal()
        }
    }

    /// Returns at once: rethrows the computation's error if it has already ended with one, and
    /// does nothing while it runs or once it has succeeded. Called between long stages, so that
    /// a failure beside them stops the run then rather than where `result()` is read.
    func rethrowIfFailed() throws {
        guard finished.wait(timeout: .now()) == .success else { return }
        finished.signal()
        if case .failure(let error) = outcome! { throw error }
    }

    /// Returns at once: whether the computation has ended (its thread is free).
    var isDone: Bool {
        guard finished.wait(timeout: .now()) == .success else { return false }
        finished.signal()
        return true
    }

    /// Waits for the computation (at once if it has ended) and returns its value.
    func result() throws -> Value {
        finished.wait()
        finished.signal()  // later calls return at once too
        return try outcome!.get()
    }
}
