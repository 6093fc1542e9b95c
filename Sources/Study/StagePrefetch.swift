import Foundation
import Report

/// Stage-cache entries read, checked and decoded ahead of their stage, on threads of their own,
/// while the run goes on. From a full cache, decoding the JSON entries is about half of a run
/// (the attack's pairs alone about 0.5 s on the Zen 4), and the entries do not depend on each
/// other, so two threads decode them while the main one loads MNIST.
///
/// A stage takes its entry once (`take`); a stage whose entry was not prefetched, or whose entry
/// is taken twice, looks it up itself. With `--fresh` every prefetched lookup is a miss.
final class StagePrefetch: @unchecked Sendable {
    /// One entry to look up: its key and the typed lookup, its value erased.
    struct Entry: Sendable {
        let key: CacheKey
        let lookup: @Sendable (StageCache) -> CacheLookup<Any>

        static func of<Value: Decodable & SendableMetatype>(_ type: Value.Type, _ key: CacheKey) -> Entry {
            Entry(key: key) { cache in cache.lookup(Value.self, for: key).flatMap { .hit($0) } }
        }
    }

    /// An entry's lookup, written once by its thread before `done` is signalled.
    private final class Slot: @unchecked Sendable {
        let done = DispatchSemaphore(value: 0)
        var lookup: CacheLookup<Any>?
    }

    private let lock = NSLock()
    private var slots: [CacheKey: Slot] = [:]

    /// Starts one thread per lane; each looks its entries up in order.
    func start(_ lanes: [[Entry]], in cache: StageCache) {
        for lane in lanes {
            let owned = lane.map { ($0, Slot()) }
            lock.withLock { for (entry, slot) in owned { slots[entry.key] = slot } }
            Thread.detachNewThread {
                for (entry, slot) in owned {
                    slot.lookup = entry.lookup(cache)
                    slot.done.signal()
                }
            }
        }
    }

    /// Waits for `key`'s prefetched lookup and hands it over; nil when it was not prefetched
    /// (or was taken already).
    func take<Value>(_ key: CacheKey, as type: Value.Type) -> CacheLookup<Value>? {
        guard let slot = lock.withLock({ slots.removeValue(forKey: key) }) else { return nil }
        slot.done.wait()
        return slot.lookup!.flatMap { ($0 as? Value).map { .hit($0) } ?? .damaged("decoded as another type") }
    }
}
