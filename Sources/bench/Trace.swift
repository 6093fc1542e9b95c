import Engine
import Formatting
import Foundation

/// `bench trace [rows]`: the two-thread step over time beside what explains it. Each row, in
/// turn and for `seconds` each (0.4 s from `bench trace`): the `.two` step's rate, one
/// barrier's cost, one one-thread step alone and two of them side by side (each on a network
/// and core of its own). On these VMs the two-thread rate jumps between two levels within
/// seconds while the one-thread and side-by-side rates stay put; the barrier shows which level
/// the cores are at.
extension EngineBenchmark {
    func trace(rows: Int) {
        let net = Network(model, threads: .two)
        let optimizer = SGD(settings: settings, parameterCount: architecture.parameterCount)
        let lanes = makeLanes()
        var next = 0
        print("each row 4 x \(seconds) s, in turn; images/s at batch 1")
        print(pad("2 threads", 10), pad("barrier ns", 11), pad("1 thread", 10), pad("side by side, each", 19))
        for _ in 0..<rows {
            let two = stepRate(net, optimizer: optimizer, seconds: seconds, runs: 1, from: &next)
            let barrier = StepThreads.barrierNanoseconds(rounds: 20_000, runs: 1)
            let alone = together(lanes[..<1], seconds), both = together(lanes[...], seconds)
            print(pad(grouped(two.wall), 10), pad(Format.fixed(barrier, 0), 11), pad(grouped(alone), 10), pad(grouped(both), 19))
        }
    }
}
