import Analysis
import Random
import StudyTypes

/// The paper's split for one grouping: one random pair of every perturbation group (groups of
/// size 1 included) is held out for validation; every other pair trains.
public struct HardeningSplit: Codable, Equatable, Sendable {
    public var grouping: Grouping
    /// Number of perturbation groups (= validation pairs).
    public var groups: Int
    /// Held-out pair indices, one per group, in group order.
    public var validation: [Int]
    /// Training pair indices, ascending.
    public var training: [Int]

    /// Draws one member per group (in the groups' (source, target) order) from `rng`.
    public init(pairs: [AdversarialPair], grouping: Grouping, rng: inout RandomStream) {
        self.grouping = grouping
        let groups = perturbationGroups(pairs, by: grouping)
        self.groups = groups.count
        validation = groups.map { $0.members[rng.nextInt(below: $0.members.count)] }
        let held = Set(validation)
        training = pairs.indices.filter { !held.contains($0) }
    }
}
