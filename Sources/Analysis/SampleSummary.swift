/// Mean, sample standard deviation and the 95% confidence interval of the mean (Student t).
public struct SampleSummary: Codable, Equatable, Sendable {
    public var count: Int
    public var mean: Double
    /// Sample standard deviation (n - 1 in the denominator); 0 for a single value.
    public var sd: Double
    /// Half-width of the 95% confidence interval: t_{0.975, n-1} * sd / sqrt(n); nil for n < 2.
    public var ci95: Double?

    public init(_ values: [Double]) {
        precondition(!values.isEmpty, "cannot summarise an empty sample")
        count = values.count
        let n = Double(values.count)
        mean = values.reduce(0, +) / n
        guard values.count > 1 else { sd = 0; ci95 = nil; return }
        let m = mean
        sd = (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / (n - 1)).squareRoot()
        ci95 = StudentT(degreesOfFreedom: n - 1).quantile(0.975) * sd / n.squareRoot()
    }

    public var lower: Double? { ci95.map { mean - $0 } }
    public var upper: Double? { ci95.map { mean + $0 } }
}
