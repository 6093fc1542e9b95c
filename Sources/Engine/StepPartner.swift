#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSIMD
import Foundation

/// One persistent helper thread that runs numbered phases of work beside the calling thread,
/// signalled through two counters (no locks, no allocation per phase).
///
/// `run(phase)` publishes the phase and a new sequence number (release), runs the caller's own
/// share, then waits until the helper has acknowledged that sequence number (acquire), so every
/// write of either thread in a phase is visible to both after it. Waiting spins with `pause`
/// for `spinLimit` rounds, then yields the core (`sched_yield`: a descheduled partner on a
/// shared 2-vCPU machine gets to run); an idle helper (no step for `idleBeforeSleep` rounds,
/// some tens of milliseconds) falls back to 50 us naps, and after `idleBeforeLongSleep` more
/// rounds (about a second) to 1 ms naps, so a network that is not training costs almost no CPU
/// (its first step after a long pause waits up to a millisecond for the helper).
/// Created once per `Network` with `.two`; `stop()` (from `Network.deinit`) ends the thread.
final class StepPartner {
    /// Rounds of `pause` before a waiter starts yielding (about 25-50 us on current x86).
    static let spinLimit = 1000
    /// Rounds of waiting (spins and yields) before the idle helper naps between checks.
    static let idleBeforeSleep = 20_000
    /// Rounds of waiting before the idle helper's naps grow from 50 us to 1 ms.
    static let idleBeforeLongSleep = 40_000

    /// [0]: sequence number posted by the caller, [8]: phase, [16]: sequence number acknowledged
    /// by the helper, [24]: stop flag, [32]: the helper has exited; each on its own cache line.
    private let words: UnsafeMutablePointer<Int>
    private var posted = 0

    /// Starts the helper thread; it calls `work(phase)` for each phase the caller posts.
    init(_ work: @escaping (Int) -> Void) {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: 40 * MemoryLayout<Int>.stride, alignment: 64)
        words = raw.initializeMemory(as: Int.self, repeating: 0, count: 40)
        // The helper alone calls `work`; the words are shared through the atomics above.
        let job = Job(words: words, work: work)
        let thread = Thread { StepPartner.serve(job.words, job.work) }
        thread.name = "Network step helper"
        thread.start()
    }

    deinit {
        stop()
        words.deallocate()
    }

    private struct Job: @unchecked Sendable {
        let words: UnsafeMutablePointer<Int>
        let work: (Int) -> Void
    }

    /// The helper's loop: wait for a new sequence number, run its phase, acknowledge it.
    private static func serve(_ words: UnsafeMutablePointer<Int>, _ work: (Int) -> Void) {
        var seen = 0
        while true {
            var rounds = 0
            while engine_load_acquire(words) == seen && engine_load_acquire(words + 24) == 0 {
                wait(&rounds, mayNap: true)
            }
            if engine_load_acquire(words + 24) != 0 { break }
            seen = engine_load_acquire(words)
            work(words[8])
            engine_store_release(words + 16, seen)
        }
        engine_store_release(words + 32, 1)
    }

    /// One round of waiting: `pause`, then `sched_yield`, then (the idle helper only) a nap.
    @inline(__always)
    static func wait(_ rounds: inout Int, mayNap: Bool) {
        rounds &+= 1
        if rounds < spinLimit {
            engine_pause()
        } else if !mayNap || rounds < idleBeforeSleep {
            sched_yield()
        } else {
            usleep(rounds < idleBeforeLongSleep ? 50 : 1000)
        }
    }

    /// Runs `phase` on the helper (its share) and `mine` on the calling thread, and returns
    /// when both are done.
    @inline(__always)
    func run(_ phase: Int, mine: () -> Void) {
        posted &+= 1
        words[8] = phase
        engine_store_release(words, posted)
        mine()
        var rounds = 0
        while engine_load_acquire(words + 16) != posted { StepPartner.wait(&rounds, mayNap: false) }
    }

    /// Ends the helper thread and waits until it has left its loop (idempotent).
    func stop() {
        engine_store_release(words + 24, 1)
        var rounds = 0
        while engine_load_acquire(words + 32) == 0 { StepPartner.wait(&rounds, mayNap: false) }
    }
}

/// A one-way signal inside a phase of the two-thread step: one thread posts growing numbers
/// (release), the other waits until it reads a number (acquire), so what the first wrote before
/// posting it is visible to the second. Its word has a cache line of its own.
final class StepSignal {
    private let word: UnsafeMutablePointer<Int>

    init() {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64)
        word = raw.initializeMemory(as: Int.self, repeating: 0, count: 8)
    }

    deinit { word.deallocate() }

    @inline(__always)
    func post(_ number: Int) { engine_store_release(word, number) }

    /// Waits until the posted number is `number` or more (numbers only grow).
    @inline(__always)
    func wait(forAtLeast number: Int) {
        var rounds = 0
        while engine_load_acquire(word) < number { StepPartner.wait(&rounds, mayNap: false) }
    }
}

extension StepThreads {
    /// Diagnostics: the cost of one barrier of the two-thread step in nanoseconds (wall clock),
    /// the median of `runs` timings of `rounds` empty phases (post, acknowledge, wait) with a
    /// fresh helper thread.
    public static func barrierNanoseconds(rounds: Int = 200_000, runs: Int = 3) -> Double {
        let partner = StepPartner { _ in }
        defer { partner.stop() }
        for _ in 0..<1000 { partner.run(0) {} }
        let timings = (0..<runs).map { _ -> Double in
            let start = monotonicSeconds()
            for _ in 0..<rounds { partner.run(0) {} }
            return (monotonicSeconds() - start) / Double(rounds) * 1e9
        }.sorted()
        return timings[runs / 2]
    }
}

extension StepThreads {
    /// Diagnostics: what it costs, in nanoseconds of wall clock per cache line, to update
    /// (read, add, write back) a line that the other core updated last, over updating a line
    /// the same core owns: the price of every weight line that the two-thread step's forward
    /// half reads on one core and its backward half updates on the other. Each round, the
    /// helper updates `lines` lines and then the caller updates them (2 x `lines` hand-overs);
    /// the baseline round has each thread update lines of its own. The median of `runs`.
    public static func lineHandoffNanoseconds(lines: Int = 1600, rounds: Int = 2000, runs: Int = 3) -> Double {
        let shared = AlignedFloats(16 &* lines), mine = AlignedFloats(16 &* lines), theirs = AlignedFloats(16 &* lines)
        let touch = { (buffer: AlignedFloats) in for i in 0..<lines { buffer.p[16 &* i] += 1 } }
        let partner = StepPartner { phase in touch(phase == 0 ? shared : theirs) }
        defer { partner.stop() }
        func round(handOver: Bool) {
            partner.run(handOver ? 0 : 1) {}
            touch(handOver ? shared : mine)
        }
        func seconds(handOver: Bool) -> Double {
            for _ in 0..<rounds / 10 { round(handOver: handOver) }
            let start = monotonicSeconds()
            for _ in 0..<rounds { round(handOver: handOver) }
            return monotonicSeconds() - start
        }
        let costs = (0..<runs).map { _ in
            (seconds(handOver: true) - seconds(handOver: false)) / Double(rounds &* 2 &* lines) * 1e9
        }.sorted()
        return costs[runs / 2]
    }
}
