/// How unevenly a non-negative quantity (e.g. mean |Δ activation| per unit) is spread over units.
public struct Concentration: Codable, Equatable, Sendable {
    /// Units' values sorted from largest to smallest.
    public var sortedDescending: [Double]
    /// Share of the total carried by the top 10% of units (ceil(0.1 n) units).
    public var topDecileShare: Double
    /// Gini coefficient: 0 when all units carry the same, near 1 when one unit carries all.
    public var gini: Double

    public init(_ values: [Double]) {
        sortedDescending = values.sorted(by: >)
        let total = values.reduce(0, +)
        let n = values.count
        let top = Int((Double(n) * 0.1).rounded(.up))
        topDecileShare = total > 0 ? sortedDescending.prefix(top).reduce(0, +) / total : 0
        // G = 2 Σ_i i x_(i) / (n Σ x) - (n + 1) / n, x ascending, i from 1
        let weighted = sortedDescending.reversed().enumerated().reduce(0.0) { $0 + Double($1.offset + 1) * $1.element }
        gini = total > 0 && n > 0 ? 2 * weighted / (Double(n) * total) - Double(n + 1) / Double(n) : 0
    }

    /// Cumulative share of the total carried by the top k units, k = 1...n.
    public var cumulativeShare: [Double] {
        let total = sortedDescending.reduce(0, +)
        var running = 0.0
        return sortedDescending.map { running += $0; return total > 0 ? running / total : 0 }
    }
}
