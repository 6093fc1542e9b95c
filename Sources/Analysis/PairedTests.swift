import StudyTypes

/// Paired comparisons of a treatment against a control measured on the same units (seeds).

/// Student's paired t-test on d_i = treatment_i - control_i: t = mean(d) / (sd(d) / sqrt(n)),
/// n - 1 degrees of freedom, two-sided.
public struct PairedTTest: Codable, Equatable, Sendable {
    public var count: Int
    public var meanDifference: Double
    /// nil when every difference is the same (zero spread: t would be 0/0 or infinite, and JSON
    /// has no infinity).
    public var t: Double?
    /// Two-sided p-value; 1 when every difference is zero, 0 when they are equal and non-zero.
    public var p: Double

    public init(treatment: [Double], control: [Double]) {
        let d = pairedDifferences(treatment, control)
        precondition(d.count >= 2, "a paired t-test needs at least two pairs")
        let s = SampleSummary(d)
        count = d.count
        meanDifference = s.mean
        if s.sd == 0 {
            t = nil
            p = s.mean == 0 ? 1 : 0
        } else {
            let t = s.mean / (s.sd / Double(d.count).squareRoot())
            self.t = t
            p = StudentT(degreesOfFreedom: Double(d.count - 1)).twoSidedP(t)
        }
    }
}

/// The exact two-sided sign test: under H0 each non-zero difference is positive with
/// probability 1/2; p = min(1, 2 P(Binomial(n, 1/2) <= min(positive, negative))), ties dropped.
public struct SignTest: Codable, Equatable, Sendable {
    public var positive: Int
    public var negative: Int
    public var ties: Int
    public var p: Double

    public init(treatment: [Double], control: [Double]) {
        let d = pairedDifferences(treatment, control)
        positive = d.filter { $0 > 0 }.count
        negative = d.filter { $0 < 0 }.count
        ties = d.count - positive - negative
        let n = positive + negative, k = min(positive, negative)
        guard n > 0 else { p = 1; return }
        // P(X <= k) = sum_{i<=k} C(n, i) / 2^n
        var term = 1.0, tail = 0.0
        for i in 0...k {
            if i > 0 { term *= Double(n - i + 1) / Double(i) }
            tail += term
        }
        p = min(1, 2 * tail / pow2(n))
    }
}

/// Wilcoxon's signed-rank test, exact: zero differences dropped (Wilcoxon's convention), tied
/// |d| get their average rank, and the p-value is the exact permutation probability of a
/// signed-rank sum W+ at least as extreme, two-sided (every sign pattern equally likely under H0).
public struct WilcoxonSignedRank: Codable, Equatable, Sendable {
    public var count: Int
    /// Sum of the ranks of the positive differences.
    public var wPlus: Double
    public var p: Double

    public init(treatment: [Double], control: [Double]) {
        let d = pairedDifferences(treatment, control).filter { $0 != 0 }
        count = d.count
        guard !d.isEmpty else { wPlus = 0; p = 1; return }
        let doubled = doubledRanks(d.map { abs($0) })  // 2 * rank: integers even with ties
        let observed = zip(d, doubled).filter { $0.0 > 0 }.map { $0.1 }.reduce(0, +)
        wPlus = Double(observed) / 2
        // ways[s] = number of sign patterns whose doubled W+ equals s
        let total = doubled.reduce(0, +)
        var ways = [Double](repeating: 0, count: total + 1)
        ways[0] = 1
        for r in doubled { for s in stride(from: total, through: r, by: -1) { ways[s] += ways[s - r] } }
        let patterns = pow2(d.count)
        let below = ways[0...observed].reduce(0, +) / patterns
        let above = ways[observed...total].reduce(0, +) / patterns
        p = min(1, 2 * min(below, above))
    }
}

func pairedDifferences(_ treatment: [Double], _ control: [Double]) -> [Double] {
    precondition(treatment.count == control.count, "paired samples differ in length")
    return zip(treatment, control).map { $0 - $1 }
}

func pow2(_ n: Int) -> Double { (0..<n).reduce(1.0) { r, _ in r * 2 } }

/// Twice the average rank (1-based) of each value, ties sharing their mean rank. Values within
/// a relative 1e-9 count as tied, so that differences such as 38/82 - 36/82 and 40/82 - 38/82,
/// equal in exact arithmetic, tie in floating point too.
func doubledRanks(_ values: [Double]) -> [Int] {
    let order = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
    func tied(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(abs(a), abs(b)) }
    var ranks = [Int](repeating: 0, count: values.count)
    var start = 0
    while start < order.count {
        var end = start
        while end + 1 < order.count && tied(values[order[end + 1]], values[order[start]]) { end += 1 }
        // ranks start+1 ... end+1 averaged, doubled: (start + 1) + (end + 1)
        for i in start...end { ranks[order[i]] = start + end + 2 }
        start = end + 1
    }
    return ranks
}
