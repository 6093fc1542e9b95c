// The benchmark: `swift run -c release bench [seconds]` (default 3 s per timed run, median of 3),
// or `bench trace [rows]` (Trace.swift).
//
// Prints the engine's training and inference throughput on the paper's net with real MNIST
// images at batch sizes 1, 10 and 128, the GFLOP/s that implies, and the machine's
// single-threaded sgemm peak, and each figure's ratio to that peak (dense-count GFLOP/s per
// CPU-s over sgemm GFLOP/s per CPU-s, both measured in this run). Timings go to the terminal only; nothing is written to out/.
import Engine
import Formatting
import Foundation
import MNIST

OpenBLASRuntime.ensurePinnedEnvironment(arguments: CommandLine.arguments)
OpenBLASRuntime.pinToOneThread()

let arguments = Array(CommandLine.arguments.dropFirst())
// `bench trace [rows]`: the two-thread step over time (Trace.swift), 0.4 s per measurement, then nothing else.
let tracing = arguments.first == "trace"
let seconds = tracing ? 0.4 : arguments.first.flatMap(Double.init) ?? 3
let mnist: MNIST
do {
    mnist = try MNIST(directory: URL(fileURLWithPath: "data/mnist"))
} catch {
    FileHandle.standardError.write(Data("bench: \(error)\n(run it from the package folder)\n".utf8))
    exit(1)
}

print("Engine benchmark: paper net \(Architecture.paper.parameterCount) parameters, one thread")
print(OpenBLASRuntime.describe())
if !tracing {
    print("median of 3 runs of \(seconds) s; 'per CPU-s' counts this thread's CPU time only (the two differ under load)\n")
}

// The peak first, so that every figure below can be stated as a ratio to it (same run, same load).
let peak = sgemmPeak(n: 2048)
print("cblas_sgemm peak, 1 thread, 2048^3: \(Format.fixed(peak.wall, 1)) GFLOP/s per wall-s, \(Format.fixed(peak.cpu, 1)) per CPU-s\n")

if tracing {
    EngineBenchmark(mnist: mnist, seconds: seconds, peak: peak).trace(rows: arguments.dropFirst().first.flatMap(Int.init) ?? 25)
    exit(0)
}
EngineBenchmark(mnist: mnist, seconds: seconds, peak: peak).run()

// MARK: - Attack benchmark

runAttackBenchmark()
