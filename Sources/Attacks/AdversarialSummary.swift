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

/// The `adversarial` section of `out/summary.json` for one protocol, from its successful pairs.
public struct AdversarialSummary: Codable, Equatable, Sendable {
    public var settings: AttackSettings
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
    /// Successful pairs whose final C is 0 (an unregularised final run; the lagged rule's).
    public var cFinalZero: Int
    /// Every successful pair's final C, ascending.
    public var cFinalValues: [Double]
    public var evaluations: SampleStatistics
    /// counts[source][target] over the successful pairs.
    public var pairsBySourceTarget: [[Int]]

    /// The primary protocol's summary.
    public init(_ generation: PairGeneration, classes: Int = 10) {
        self.init(settings: generation.settings, attempts: generation.attempts,
                  misclassifiedSkipped: generation.misclassifiedSkipped, classes: classes)
    }

    /// The summary of `attempts` (failures included) made with `settings`.
    public init(settings: AttackSettings, attempts all: [AdversarialPair], misclassifiedSkipped: Int, classes: Int = 10) {
        let ok = all.filter(\.success)
        precondition(!ok.isEmpty, "a summary needs at least one successful pair")
        self.settings = settings
        pairs = ok.count
        attempts = all.count
        failures = all.count - ok.count
        self.misclassifiedSkipped = misclassifiedSkipped
        successRate = Double(ok.count) / Double(attempts)
        l2 = SampleStatistics(ok.map(\.l2))
        l2PerPixel = SampleStatistics(ok.map(\.l2PerPixel))
        linf = SampleStatistics(ok.map(\.linf))
        meanAbs = SampleStatistics(ok.map(\.meanAbs))
        targetConfidence = SampleStatistics(ok.map(\.targetConfidence))
        c = SampleStatistics(ok.map(\.c))
        cFinalZero = ok.filter { $0.c == 0 }.count
        cFinalValues = ok.map(\.c).sorted()
        evaluations = SampleStatistics(ok.map { Double($0.evaluations) })
        var counts = Array(repeating: Array(repeating: 0, count: classes), count: classes)
        for p in ok { counts[p.trueLabel][p.target] += 1 }
        pairsBySourceTarget = counts
    }
}
