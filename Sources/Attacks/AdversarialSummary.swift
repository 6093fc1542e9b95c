/// Mean, median, minimum and maximum of a sample (median: mean of the two middle values).
public struct SampleStatistics: Codable, Equatable, Sendable {
    public var mean: Double
    public var median: Double
    public var min: Double
    public var max: Double

    public init(_ values: [Double]) {
        precondition(!values.isEmpty, "statistics of an empty sample")
        let sorted = values.sorted(), n = sorted.count
        mean = sorted.reduce(0, +) / Double(n)
        median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        min = sorted[0]
        max = sorted[n - 1]
    }
}

/// The `adversarial` section of `out/summary.json`, from a generation's successful pairs.
public struct AdversarialSummary: Codable, Equatable, Sendable {
    public var pairs: Int
    public var attempts: Int
    public var failures: Int
    public var misclassifiedSkipped: Int
    /// pairs / attempts.
    public var successRate: Double
    /// ||r||_2 in pixel units, and Szegedy's sqrt(sum r^2 / n).
    public var l2: SampleStatistics
    public var l2PerPixel: SampleStatistics
    public var linf: SampleStatistics
    public var meanAbs: SampleStatistics
    public var targetConfidence: SampleStatistics
    public var c: SampleStatistics
    public var evaluations: SampleStatistics
    /// counts[source][target] over the successful pairs.
    public var pairsBySourceTarget: [[Int]]

    public init(_ generation: PairGeneration, classes: Int = 10) {
        let ok = generation.pairs
        precondition(!ok.isEmpty, "a summary needs at least one successful pair")
        pairs = ok.count
        attempts = generation.attempts.count
        failures = generation.failures
        misclassifiedSkipped = generation.misclassifiedSkipped
        successRate = Double(ok.count) / Double(attempts)
        l2 = SampleStatistics(ok.map(\.l2))
        l2PerPixel = SampleStatistics(ok.map(\.l2PerPixel))
        linf = SampleStatistics(ok.map(\.linf))
        meanAbs = SampleStatistics(ok.map(\.meanAbs))
        targetConfidence = SampleStatistics(ok.map(\.targetConfidence))
        c = SampleStatistics(ok.map(\.c))
        evaluations = SampleStatistics(ok.map { Double($0.evaluations) })
        var counts = Array(repeating: Array(repeating: 0, count: classes), count: classes)
        for p in ok { counts[p.trueLabel][p.target] += 1 }
        pairsBySourceTarget = counts
    }
}
