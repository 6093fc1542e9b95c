import StudyTypes
/// How pairs are grouped for the hardening split and the averaged projections.
public enum Grouping: String, Codable, CaseIterable, Sendable {
    /// By (source label, target label): up to 90 groups.
    case both = "Both"
    /// By the original's label: up to 10 groups.
    case orig = "Orig"
    /// By the adversarial target label: up to 10 groups.
    case adv = "Adv"
}

/// The pairs sharing a source and/or target label. `source` or `target` is nil where the
/// grouping ignores it.
public struct PerturbationGroup: Codable, Hashable, Sendable {
    public var source: Int?
    public var target: Int?
    /// Indices into the pair list, ascending.
    public var members: [Int]

    /// "3->8", "3->*" or "*->8".
    public var name: String {
        (source.map(String.init) ?? "*") + "->" + (target.map(String.init) ?? "*")
    }
}

/// The groups of `pairs` under `grouping`, ordered by (source, target).
public func perturbationGroups(_ pairs: [AdversarialPair], by grouping: Grouping) -> [PerturbationGroup] {
    var byKey: [Int: PerturbationGroup] = [:]
    for (i, pair) in pairs.enumerated() {
        let source = grouping == .adv ? nil : pair.trueLabel
        let target = grouping == .orig ? nil : pair.targetLabel
        // Labels are small non-negative integers: (source + 1) * 1000 + target + 1 orders lexicographically.
        let key = ((source ?? -1) + 1) * 1000 + (target ?? -1) + 1
        byKey[key, default: PerturbationGroup(source: source, target: target, members: [])].members.append(i)
    }
    return byKey.keys.sorted().map { byKey[$0]! }
}
