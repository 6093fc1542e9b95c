import Engine
import StudyTypes

/// Share of the total carried by the largest `fraction` of the values (at least one value):
/// sum of the top ceil(fraction * n) / sum of all. Zero when every value is zero.
public func topShare(_ values: [Float], fraction: Double = 0.1) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.map(Double.init).sorted(by: >)
    let k = max(1, Int((fraction * Double(values.count)).rounded(.up)))
    let total = sorted.reduce(0, +)
    return total > 0 ? sorted.prefix(k).reduce(0, +) / total : 0
}

/// Gini coefficient of non-negative values: with x sorted ascending and i = 1...n,
/// G = 2 sum_i i x_i / (n sum_i x_i) - (n + 1) / n. 0 = evenly spread, (n - 1) / n = one unit
/// carries everything. Zero when every value is zero.
public func gini(_ values: [Float]) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.map(Double.init).sorted()
    let n = Double(sorted.count), total = sorted.reduce(0, +)
    guard total > 0 else { return 0 }
    var weighted = 0.0
    for (i, x) in sorted.enumerated() { weighted += Double(i + 1) * x }
    return 2 * weighted / (n * total) - (n + 1) / n
}

/// How concentrated the change between original and adversarial activations is in one layer,
/// over a set of pairs: the "concentration of blame".
public struct LayerConcentration: Codable, Equatable, Sendable {
    public var layer: UnitLayer
    public var units: Int
    public var definition: VolatilityDefinition
    /// Mean over pairs of each pair's top-10% share and Gini coefficient.
    public var meanTopTenShare: Double
    public var meanGini: Double
    /// The same two numbers for the mean volatility profile (v_j averaged over pairs first).
    public var profileTopTenShare: Double
    public var profileGini: Double
    /// v_j averaged over pairs, per unit.
    public var meanVolatility: [Float]
}

/// The volatility of every unit of one layer for every pair, and its concentration.
public struct LayerVolatility: Codable, Equatable, Sendable {
    public var layer: UnitLayer
    /// `perPair[i][j]`: volatility of unit j for pair i.
    public var perPair: [[Float]]
    public var concentration: LayerConcentration
}

/// The volatility of every unit of conv1, conv2 and fc for every pair, on one network.
public struct VolatilityAnalysis: Codable, Equatable, Sendable {
    public var definition: VolatilityDefinition
    /// conv1, conv2, fc in that order.
    public var layers: [LayerVolatility]

    /// Forward every pair's two images through `network` and summarise each layer.
    public init(network: Network, pairs: [AdversarialPair], definition: VolatilityDefinition = .normOfDifference) {
        self.definition = definition
        var rows = [[[Float]]](repeating: [], count: UnitLayer.allCases.count)
        for pair in pairs {
            let acts = network.pairActivations(pair)
            for (l, layer) in UnitLayer.allCases.enumerated() {
                rows[l].append(acts.volatility(layer, architecture: network.architecture, definition: definition))
            }
        }
        layers = UnitLayer.allCases.enumerated().map { l, layer in
            LayerVolatility(layer: layer, perPair: rows[l],
                            concentration: VolatilityAnalysis.summarise(rows[l], layer: layer,
                                units: network.architecture.width(of: layer), definition: definition))
        }
    }

    /// The analysis of one layer.
    public subscript(layer: UnitLayer) -> LayerVolatility { layers.first { $0.layer == layer }! }

    static func summarise(_ rows: [[Float]], layer: UnitLayer, units: Int,
                          definition: VolatilityDefinition) -> LayerConcentration {
        var profile = [Float](repeating: 0, count: units)
        for row in rows { for j in 0..<units { profile[j] += row[j] } }
        let n = Float(max(rows.count, 1))
        for j in 0..<units { profile[j] /= n }
        let count = Double(max(rows.count, 1))
        return LayerConcentration(
            layer: layer, units: units, definition: definition,
            meanTopTenShare: rows.map { topShare($0) }.reduce(0, +) / count,
            meanGini: rows.map { gini($0) }.reduce(0, +) / count,
            profileTopTenShare: topShare(profile), profileGini: gini(profile), meanVolatility: profile)
    }
}
