/// p_0 from a layer's volatility (the paper's section 6: "p may be estimated based on the
/// distributions of the Frobenius norm of difference of neuron activations over a layer"):
/// the smallest fraction k / width of units whose k largest volatilities carry at least `share`
/// of the layer's total volatility.
public struct VolatilityShareRule: Codable, Hashable, Sendable {
    /// The share of the total volatility the retained units must carry (0.8: 80%).
    public var share: Double

    public init(share: Double) {
        precondition(share > 0 && share <= 1, "the share must be in (0, 1]")
        self.share = share
    }

    /// The smallest k such that the k largest v_j sum to >= share * sum_j v_j (1 for an all-zero
    /// volatility vector).
    public func retainedCount(_ volatility: [Float]) -> Int {
        precondition(!volatility.isEmpty, "no units")
        let sorted = volatility.map(Double.init).sorted(by: >)
        let total = sorted.reduce(0, +)
        guard total > 0 else { return 1 }
        var carried = 0.0
        for (k, v) in sorted.enumerated() {
            carried += v
            // stop at the first k with sum of the top k >= share * total (1e-12 absorbs rounding)
            if carried >= share * total * (1 - 1e-12) { return k + 1 }
        }
        return sorted.count
    }

    /// p_0 = k / width.
    public func proportion(_ volatility: [Float]) -> Double {
        Double(retainedCount(volatility)) / Double(volatility.count)
    }
}
