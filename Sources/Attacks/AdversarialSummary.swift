import StudyTypes

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
    public var l2: SampleSummary
    public var l2PerPixel: SampleSummary
    public var linf: SampleSummary
    public var meanAbs: SampleSummary
    public var targetConfidence: SampleSummary
    public var c: SampleSummary
    /// Successful pairs whose final C is 0 (an unregularised final run; the lagged rule's).
    public var cFinalZero: Int
    /// Every successful pair's final C, ascending.
    public var cFinalValues: [Double]
    public var evaluations: SampleSummary
    /// counts[source][target] over the successful pairs.
    public var pairsBySourceTarget: [[Int]]

    /// The primary protocol's summary.
    public init(_ generation: PairGeneration, classes: Int = 10) {
        self.init(settings: generation.settings, attempts: generation.attempts,
                  misclassifiedSkipped: generation.misclassifiedSkipped, classes: classes)
    }

    /// The summary of `attempts` (failures included) made with `settings`.
    public init(settings: AttackSettings, attempts all: [AttackRecord], misclassifiedSkipped: Int, classes: Int = 10) {
        let ok = all.filter(\.success)
        precondition(!ok.isEmpty, "a summary needs at least one successful pair")
        self.settings = settings
        pairs = ok.count
        attempts = all.count
        failures = all.count - ok.count
        self.misclassifiedSkipped = misclassifiedSkipped
        successRate = Double(ok.count) / Double(attempts)
        l2 = SampleSummary(ok.map(\.l2), summing: .ascending)
        l2PerPixel = SampleSummary(ok.map(\.l2PerPixel), summing: .ascending)
        linf = SampleSummary(ok.map(\.linf), summing: .ascending)
        meanAbs = SampleSummary(ok.map(\.meanAbs), summing: .ascending)
        targetConfidence = SampleSummary(ok.map(\.targetConfidence), summing: .ascending)
        c = SampleSummary(ok.map(\.c), summing: .ascending)
        cFinalZero = ok.filter { $0.c == 0 }.count
        cFinalValues = ok.map(\.c).sorted()
        evaluations = SampleSummary(ok.map { Double($0.evaluations) }, summing: .ascending)
        var counts = Array(repeating: Array(repeating: 0, count: classes), count: classes)
        for p in ok { counts[p.trueLabel][p.target] += 1 }
        pairsBySourceTarget = counts
    }
}
