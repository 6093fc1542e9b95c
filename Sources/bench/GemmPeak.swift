import CBLAS
import Foundation

/// Single-threaded `cblas_sgemm` GFLOP/s on square n x n x n products (median of 3 by wall
/// clock), per second of wall-clock time and per second of this thread's CPU time: the
/// machine's practical arithmetic peak, against which every engine figure is stated as a ratio.
func sgemmPeak(n: Int) -> Throughput {
    let a = [Float](repeating: 0.5, count: n * n), b = [Float](repeating: 0.25, count: n * n)
    var c = [Float](repeating: 0, count: n * n)
    let flops = 2 * Double(n) * Double(n) * Double(n)
    let repeats = max(1, Int(4e9 / flops))
    func run() -> Throughput {
        let start = Date(), cpuStart = threadCPUTime()
        for _ in 0..<repeats {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n),
                        1, a, Int32(n), b, Int32(n), 0, &c, Int32(n))
        }
        let total = flops * Double(repeats) / 1e9
        return Throughput(wall: total / Date().timeIntervalSince(start), cpu: total / max(threadCPUTime() - cpuStart, 1e-9))
    }
    _ = run()
    return [run(), run(), run()].sorted { $0.wall < $1.wall }[1]
}
