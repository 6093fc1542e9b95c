import Formatting
/// Figure 18's input: per sensitivity level, statistics over seeds (mean and range), in panels.
public struct SensitivityDots: Codable, Equatable, Sendable {
    public var seeds: Int
    /// Entries carry the level's label ("factor: level"); the first entry of each panel is the primary.
    public var panels: [IntervalPanel]
    /// Per panel, a reference value drawn dashed (the paper's own value), or nil.
    public var references: [Double?]
    public init(seeds: Int, panels: [IntervalPanel], references: [Double?]) {
        self.seeds = seeds; self.panels = panels; self.references = references
    }
}

/// Figure 18: why our tables differ. One panel per statistic (distance to the paper's cells,
/// SD minus control), one dot per factor level with its range over seeds (bar: min to max);
/// the primary configuration's dot is the first and its value a dotted guide; the paper's own
/// value, where it has one, is dashed.
public func figure18Sensitivity(_ input: SensitivityDots) throws -> Figure {
    let check = Check(figure: "figure 18")
    try check.that(!input.panels.isEmpty && input.panels.count == input.references.count, "panels and references disagree")
    for panel in input.panels {
        try check.that(!panel.entries.isEmpty, "\(panel.title) has no entries")
        for e in panel.entries {
            try check.that(e.lower <= e.mean && e.mean <= e.upper, "\(panel.title) / \(e.model): need lower <= mean <= upper")
        }
    }
    let rows = input.panels.count
    let width = max(560, 28 * Double(input.panels.map(\.entries.count).max() ?? 1) + 120)
    let drawing = Drawing(width: width, height: 12 + 360 * Double(rows)) { canvas in
        let cells = canvas.bounds.inset(top: 6, left: 8, bottom: 6, right: 8).grid(rows: rows, columns: 1, hGap: 6, vGap: 6)
        for (p, panel) in input.panels.enumerated() {
            let values = panel.entries.flatMap { [$0.lower, $0.upper] } + [input.references[p]].compactMap { $0 }
            let scale = AxisScale.nice((values.min() ?? 0) * 100, (values.max() ?? 1) * 100, maxTicks: 6)
            let axes = Axes(panel: cells[p][0].inset(bottom: 120), x: .categories(panel.entries.map(\.model)), y: scale)
            axes.grid(on: canvas)
            if let reference = input.references[p] {
                canvas.referenceLine(y: reference * 100, on: axes, label: "paper", colour: Colour.series(3))
            }
            if let primary = panel.entries.first {
                canvas.referenceLine(y: primary.mean * 100, on: axes, label: nil, colour: Colour.series(0).withAlpha(0.5))
            }
            for (i, e) in panel.entries.enumerated() {
                canvas.errorBar(x: Double(i), centre: e.mean * 100, lower: e.lower * 100, upper: e.upper * 100, on: axes,
                                colour: i == 0 ? Colour.series(0) : Colour.series(1))
            }
            axes.draw(on: canvas, title: panel.title, yLabel: "percentage points", xTickRotation: .pi / 4)
        }
    }
    let parts = zip(input.panels, input.references).map { panel, reference in
        panel.title + (reference.map { " (paper \(Format.fixed($0 * 100, 1, minus: .typographic)))" } ?? "") + ": "
            + panel.entries.map { "\($0.model) \(Format.fixed($0.mean * 100, 1, minus: .typographic)) [\(Format.fixed($0.lower * 100, 1, minus: .typographic)), \(Format.fixed($0.upper * 100, 1, minus: .typographic))]" }
            .joined(separator: ", ")
    }
    let caption = "Why our tables differ, one factor at a time from the primary configuration (first dot, dotted line), "
        + "\(input.seeds) seeds per level: mean (dot) and range over seeds (bar); the dashed line is the paper's own value. "
        + "In percentage points: " + parts.joined(separator: "; ") + "."
    return Figure(number: 18, name: "figure18-sensitivity", drawing: drawing, caption: caption, data: try figureJSON(input))
}
