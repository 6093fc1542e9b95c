import Engine
import StudyTypes

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
        let perPair = rows.map { Concentration($0.map(Double.init)) }, whole = Concentration(profile.map(Double.init))
        return LayerConcentration(
            layer: layer, units: units, definition: definition,
            meanTopTenShare: perPair.map(\.topShare).reduce(0, +) / count,
            meanGini: perPair.map(\.gini).reduce(0, +) / count,
            profileTopTenShare: whole.topShare, profileGini: whole.gini, meanVolatility: profile)
    }
}
