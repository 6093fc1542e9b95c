import Formatting
/// A model's result over seeds: mean and confidence interval.
public struct IntervalEntry: Codable, Equatable, Sendable {
    public var model: String
    public var mean: Double
    public var lower: Double
    public var upper: Double
    public init(model: String, mean: Double, lower: Double, upper: Double) {
        self.model = model; self.mean = mean; self.lower = lower; self.upper = upper
    }
}

/// One panel of intervals (e.g. "Both, lr 0.001").
public struct IntervalPanel: Codable, Equatable, Sendable {
    public var title: String
    public var entries: [IntervalEntry]
    public init(title: String, entries: [IntervalEntry]) { self.title = title; self.entries = entries }
}

/// Figure 17's input: per grouping and learning rate, each model's mean and 95% CI over seeds.
public struct SeedIntervals: Codable, Equatable, Sendable {
    /// The metric (a fraction), e.g. "adversarial validation accuracy".
    public var metric: String
    public var seeds: Int
    public var panels: [IntervalPanel]
    public init(metric: String, seeds: Int, panels: [IntervalPanel]) { self.metric = metric; self.seeds = seeds; self.panels = panels }
}

/// Figure 17: dot and error-bar plot of every model's mean and 95% CI over seeds, one panel per setting;
/// the control's mean is a dashed line for comparison.
public func figure17SeedIntervals(_ input: SeedIntervals) throws -> Figure {
    let check = Check(figure: "figure 17")
    try check.that(!input.panels.isEmpty, "no panels")
    for panel in input.panels {
        try check.that(!panel.entries.isEmpty, "\(panel.title) has no entries")
        for e in panel.entries {
            try check.that(e.lower <= e.mean && e.mean <= e.upper, "\(panel.title) / \(e.model): need lower <= mean <= upper")
        }
    }
    let columns = min(3, input.panels.count), rows = (input.panels.count + columns - 1) / columns
    let all = input.panels.flatMap(\.entries)
    let yScale = AxisScale.nice((all.map(\.lower).min() ?? 0) * 100, min(100, (all.map(\.upper).max() ?? 1) * 100), maxTicks: 6)
    let drawing = Drawing(width: 270 * Double(columns) + 16, height: 12 + 236 * Double(rows)) { canvas in
        let cells = canvas.bounds.inset(top: 6, left: 8, bottom: 6, right: 8).grid(rows: rows, columns: columns, hGap: 6, vGap: 6)
        for (p, panel) in input.panels.enumerated() {
            let axes = Axes(panel: cells[p / columns][p % columns].inset(bottom: 22), x: .categories(panel.entries.map(\.model)), y: yScale)
            axes.grid(on: canvas)
            if let control = panel.entries.first {
                canvas.referenceLine(y: control.mean * 100, on: axes, label: nil, colour: Colour.series(0).withAlpha(0.6))
            }
            for (i, e) in panel.entries.enumerated() {
                canvas.errorBar(x: Double(i), centre: e.mean * 100, lower: e.lower * 100, upper: e.upper * 100, on: axes,
                                colour: Colour.series(i))
            }
            axes.draw(on: canvas, title: panel.title, yLabel: p % columns == 0 ? "\(input.metric) (%)" : nil, xTickRotation: .pi / 5)
        }
    }
    let parts = input.panels.map { panel in
        panel.title + ": " + panel.entries.map { "\($0.model) \(Format.fixed($0.mean * 100, 1, minus: .typographic)) [\(Format.fixed($0.lower * 100, 1, minus: .typographic)), \(Format.fixed($0.upper * 100, 1, minus: .typographic))]" }
            .joined(separator: ", ")
    }
    let caption = "\(input.metric.prefix(1).uppercased() + input.metric.dropFirst()) over \(input.seeds) seeds: mean (dot) and 95% "
        + "confidence interval (bar) per model; the dashed line is the first model's mean (the control). In %: "
        + parts.joined(separator: "; ") + "."
    return Figure(number: 17, name: "figure17-seed-intervals", drawing: drawing, caption: caption, data: try figureJSON(input))
}
