/// How unevenly a non-negative quantity (a unit's volatility, its mean |change|) is spread over
/// units: the one definition of the top-10% share and the Gini coefficient, read by the analysis
/// and the figures alike. Sums run in the order each formula indexes the values: the shares over
/// the values descending, the Gini coefficient over them ascending.
public struct Concentration: Codable, Equatable, Sendable {
    /// The values sorted from largest to smallest.
    public var sortedDescending: [Double]
    /// Share of the total carried by the largest `fraction` of the values (`topFraction`, 0.1 by
    /// default): sum of the top ceil(fraction * n) (at least one) / sum of all; 0 when all are 0.
    public var topShare: Double
    /// How many values that share counts: ceil(fraction * n), at least one.
    public var topCount: Int
    /// Gini coefficient: with x ascending and i = 1...n, G = 2 sum_i i x_i / (n sum_i x_i) - (n + 1) / n.
    /// 0 = evenly spread, (n - 1) / n = one unit carries everything; 0 when all are 0 (or none).
    public var gini: Double

    public init(_ values: [Double], topFraction fraction: Double = 0.1) {
        sortedDescending = values.sorted(by: >)
        let n = values.count
        let total = sortedDescending.reduce(0, +)
        topCount = Swift.max(1, Int((fraction * Double(n)).rounded(.up)))
        topShare = total > 0 ? sortedDescending.prefix(topCount).reduce(0, +) / total : 0
        let ascending = Array(sortedDescending.reversed())
        let ascendingTotal = ascending.reduce(0, +)
        var weighted = 0.0
        // sum_i i x_i over x ascending
        for (i, x) in ascending.enumerated() { weighted += Double(i + 1) * x }
        gini = ascendingTotal > 0 ? 2 * weighted / (Double(n) * ascendingTotal) - Double(n + 1) / Double(n) : 0
    }

    /// Cumulative share of the total carried by the top k units, k = 1...n.
    public var cumulativeShare: [Double] {
        let total = sortedDescending.reduce(0, +)
        var running = 0.0
        return sortedDescending.map { running += $0; return total > 0 ? running / total : 0 }
    }
}
