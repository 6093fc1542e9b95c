/// The L-BFGS-B tests' problem: f = sum_i 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2, its gradient
/// written to `g`; the minimum is f = 0 at x = (1, ..., 1).
func rosenbrock(_ x: UnsafeBufferPointer<Double>, _ g: UnsafeMutableBufferPointer<Double>) -> Double {
    let n = x.count
    var f = 0.0
    for i in 0..<n { g[i] = 0 }
    for i in 0..<(n - 1) {
        let a = x[i + 1] - x[i] * x[i], b = 1 - x[i]
        f += 100 * a * a + b * b
        g[i] += -400 * a * x[i] - 2 * b
        g[i + 1] += 200 * a
    }
    return f
}
