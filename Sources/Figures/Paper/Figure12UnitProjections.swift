import Formatting
import StudyTypes

/// Figure 12's input: for one perturbation group, each conv2 unit's projection difference
/// (adversarial minus original projection, averaged over the group), 1024 values (32x32 padded) per unit.
public struct UnitProjectionDifferences: Codable, Equatable, Sendable {
    public var group: String
    public var choice: String
    public var method: String
    public var layer: String
    /// How many pairs the group has (averaged over).
    public var members: Int
    /// differences[u] has 1024 values (32x32 padded).
    public var differences: [[Float]]
    public init(group: String, choice: String, method: String, layer: String, members: Int, differences: [[Float]]) {
        self.group = group; self.choice = choice; self.method = method; self.layer = layer
        self.members = members; self.differences = differences
    }
}

/// Figure 12: every unit's projection difference in one grid with one shared diverging scale.
public func figure12UnitProjections(_ input: UnitProjectionDifferences) throws -> Figure {
    let check = Check(figure: "figure 12")
    try check.that(!input.differences.isEmpty, "no units")
    for (u, d) in input.differences.enumerated() {
        try check.square(d, "differences[\(u)]", pixels: input.differences[0].count)
    }
    let units = input.differences.count
    let columns = gridColumns(units), rows = (units + columns - 1) / columns
    let map = ColourMap.diverging(fitting: input.differences.flatMap { $0 })
    // ‖Δ_u‖₂ per unit, to name the units hit hardest
    let norms = input.differences.map { $0.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot() }
    let ranked = norms.indices.sorted { norms[$0] != norms[$1] ? norms[$0] > norms[$1] : $0 < $1 }
    let concentration = Concentration(norms.map { $0 * $0 })
    let drawing = Drawing(width: 600, height: 24 + Double(rows) * 70) { canvas in
        let grid = canvas.bounds.inset(top: 8, left: 8, bottom: 8, right: 78)
        let drawn = canvas.imageGrid(input.differences.map { ScalarImage(square: $0) }, rows: rows, columns: columns,
                                     in: grid, map: map, gap: 3, label: { "\($0)" })
        canvas.colourBar(map, in: Rect(x: drawn.maxX + 12, y: drawn.minY + 9, width: 10, height: drawn.height - 9),
                         label: "projection difference")
    }
    let caption = "Per-unit projection differences (adversarial minus original) of all \(units) \(input.layer) units for "
        + "perturbation group \(input.group) (\(input.choice); averaged over its \(input.members) pairs; \(input.method)). "
        + "One diverging scale for all units (±\(Format.fixed(map.upper, 3, minus: .typographic)); white is zero); each map is numbered by its "
        + "unit. Largest ‖Δ‖₂: units " + ranked.prefix(3).map { "\($0) (\(Format.fixed(norms[$0], 3, minus: .typographic)))" }.joined(separator: ", ")
        + "; the top 10% of units carry \(Format.percent(concentration.topShare, 1, minus: .typographic)) of the total squared difference."
    return Figure(number: 12, name: "figure12-unit-projections", drawing: drawing, caption: caption, data: try figureJSON(input))
}
