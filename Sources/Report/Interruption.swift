import Dispatch
import Foundation

/// Clean stops on SIGINT and SIGTERM. Once `install` has run, the signal no longer kills the
/// process outright: a handler thread waits for any `critical` section to end (the swap of `out/`
/// is one), runs the registered clean-ups (staging folders are removed), prints one line and exits
/// with 128 + the signal's number. Cache entries need no clean-up: each is written to a temporary
/// file and renamed into place, so a stop at any moment (even `kill -9`) leaves whole entries only.
public enum Interruption {
    /// Installs the handlers for SIGINT and SIGTERM (once per process). `message` is printed on
    /// standard error when a signal arrives, after the clean-ups.
    public static func install(message: @escaping @Sendable (String) -> String) {
        state.withLock { state in
            guard state.sources.isEmpty else { return }
            for (signalNumber, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler { stop(signal: signalNumber, name: name, message: message) }
                source.resume()
                state.sources.append(source)
            }
        }
    }

    /// Runs `body` with `cleanup` registered: an interruption meanwhile runs `cleanup` before exiting.
    public static func cleaningUp<T>(_ cleanup: @escaping @Sendable () -> Void, _ body: () throws -> T) rethrows -> T {
        let token = state.withLock { state -> Int in
            state.next += 1
            state.cleanups[state.next] = cleanup
            return state.next
        }
        defer { _ = state.withLock { $0.cleanups.removeValue(forKey: token) } }
        return try body()
    }

    /// Runs `body` so that an interruption waits until it has finished (for steps that must not be
    /// cut in half, such as the two renames that swap `out/`).
    public static func critical<T>(_ body: () throws -> T) rethrows -> T {
        criticalLock.lock()
        defer { criticalLock.unlock() }
        return try body()
    }

    private static func stop(signal: Int32, name: String, message: (String) -> String) -> Never {
        criticalLock.lock()  // held until exit: no new critical section starts
        let cleanups = state.withLock { Array($0.cleanups.values) }
        for cleanup in cleanups { cleanup() }
        FileHandle.standardError.write(Data(("\n" + message(name) + "\n").utf8))
        exit(128 + signal)
    }

    private struct State {
        var sources: [any DispatchSourceSignal] = []
        var cleanups: [Int: @Sendable () -> Void] = [:]
        var next = 0
    }

    private static let state = Locked(State())
    private static let criticalLock = NSRecursiveLock()
}

/// A value behind a lock.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
