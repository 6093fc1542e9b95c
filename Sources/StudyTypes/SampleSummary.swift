/// The one summary of a sample of numbers: count, mean, sample standard deviation and the
/// Student-t 95% confidence interval of the mean, minimum, quartiles, median and maximum (every
/// quantile from `quantile(sorted:_:)`).
public struct SampleSummary: Codable, Equatable, Sendable {
    /// The order the mean (and the deviations from it) is summed in: the values as given (the
    /// default), or ascending, as summary.json's attack statistics and the quartile tables always have.
    public enum Summation: Sendable { case given, ascending }

    public var count: Int
    public var mean: Double
    /// Sample standard deviation (n - 1 in the denominator); 0 for a single value.
    public var sd: Double
    public var min: Double
    /// First quartile, median and third quartile (`quantile` at 0.25, 0.5, 0.75).
    public var q1: Double
    public var median: Double
    public var q3: Double
    public var max: Double

    public init(_ values: [Double], summing order: Summation = .given) {
        precondition(!values.isEmpty, "cannot summarise an empty sample")
        let sorted = values.sorted(), summed = order == .given ? values : sorted
        count = values.count
        let n = Double(values.count)
        mean = summed.reduce(0, +) / n
        let m = mean
        // sd = sqrt(sum (x - mean)^2 / (n - 1))
        sd = values.count > 1 ? (summed.map { ($0 - m) * ($0 - m) }.reduce(0, +) / (n - 1)).squareRoot() : 0
        min = sorted[0]
        q1 = quantile(sorted: sorted, 0.25)
        median = quantile(sorted: sorted, 0.5)
        q3 = quantile(sorted: sorted, 0.75)
        max = sorted[sorted.count - 1]
    }

    /// Half-width of the 95% confidence interval of the mean: t_{0.975, n-1} * sd / sqrt(n); nil for n < 2.
    public var ci95: Double? {
        guard count > 1 else { return nil }
        let n = Double(count)
        return StudentT(degreesOfFreedom: n - 1).quantile(0.975) * sd / n.squareRoot()
    }

    /// The confidence interval's ends, mean -+ ci95 (nil for n < 2).
    public var lower: Double? { ci95.map { mean - $0 } }
    public var upper: Double? { ci95.map { mean + $0 } }
}

/// The q-quantile (0 <= q <= 1) of an ascending, non-empty sample by linear interpolation between
/// order statistics (R's type 7): h = (n - 1) q, x_floor(h) + (h - floor(h)) (x_floor(h)+1 - x_floor(h)).
/// The median of an even count is the mean of the two middle values (bit for bit whenever they
/// are within a factor 2 of each other, where the difference is exact).
public func quantile(sorted: [Double], _ q: Double) -> Double {
    precondition(!sorted.isEmpty && q >= 0 && q <= 1, "a quantile needs a non-empty sample and 0 <= q <= 1")
    let h = Double(sorted.count - 1) * q, i = Int(h)
    return i + 1 < sorted.count ? sorted[i] + (h - Double(i)) * (sorted[i + 1] - sorted[i]) : sorted[i]
}

/// The median of a non-empty sample in any order.
public func median(_ values: [Double]) -> Double { quantile(sorted: values.sorted(), 0.5) }
