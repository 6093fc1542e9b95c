import CBLAS
import Foundation

/// Single-threaded `cblas_sgemm` GFLOP/s on square n x n x n products (median of 3), the
/// machine's practical arithmetic peak for comparison with the engine's rates.
func sgemmPeak(n: Int) -> Double {
    let a = [Float](repeating: 0.5, count: n * n), b = [Float](repeating: 0.25, count: n * n)
    var c = [Float](repeating: 0, count: n * n)
    let flops = 2 * Double(n) * Double(n) * Double(n)
    let repeats = max(1, Int(4e9 / flops))
    func run() -> Double {
        let start = Date()
        for _ in 0..<repeats {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n),
                        1, a, Int32(n), b, Int32(n), 0, &c, Int32(n))
        }
        return flops * Double(repeats) / Date().timeIntervalSince(start) / 1e9
    }
    _ = run()
    return [run(), run(), run()].sorted()[1]
}
