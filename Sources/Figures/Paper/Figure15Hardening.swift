import Formatting
/// One line of a line chart: a value per epoch (epoch 1 first) and an optional band (e.g. a 95% CI).
public struct CurveSeries: Codable, Equatable, Sendable {
    public var name: String
    public var values: [Double]
    public var lower: [Double]?
    public var upper: [Double]?
    public init(name: String, values: [Double], lower: [Double]? = nil, upper: [Double]? = nil) {
        self.name = name; self.values = values; self.lower = lower; self.upper = upper
    }
}

/// A panel of curves under one title (e.g. "Both, lr 0.001").
public struct CurvePanel: Codable, Equatable, Sendable {
    public var title: String
    public var series: [CurveSeries]
    public init(title: String, series: [CurveSeries]) { self.title = title; self.series = series }
}

/// Figure 15's input: hardening learning curves, one panel per setting, one series per model.
/// Series with the same name get the same colour in every panel.
public struct HardeningCurves: Codable, Equatable, Sendable {
    /// The plotted metric (a fraction), e.g. "adversarial validation accuracy".
    public var metric: String
    public var panels: [CurvePanel]
    /// What the bands are, if any (e.g. "95% CI over 10 seeds").
    public var bandDescription: String?
    public init(metric: String, panels: [CurvePanel], bandDescription: String? = nil) {
        self.metric = metric; self.panels = panels; self.bandDescription = bandDescription
    }
}

/// Figure 15: control vs selective-dropout learning curves per epoch, in a grid of panels.
public func figure15HardeningCurves(_ input: HardeningCurves) throws -> Figure {
    let check = Check(figure: "figure 15")
    try check.that(!input.panels.isEmpty, "no panels")
    for panel in input.panels {
        for s in panel.series {
            try check.that(!s.values.isEmpty, "\(panel.title) / \(s.name) has no values")
            try check.finite(s.values.map(Float.init), "\(panel.title) / \(s.name)")
            if let l = s.lower { try check.count(l, s.values.count, "\(panel.title) / \(s.name) lower") }
            if let u = s.upper { try check.count(u, s.values.count, "\(panel.title) / \(s.name) upper") }
        }
    }
    var names: [String] = []
    for s in input.panels.flatMap(\.series) where !names.contains(s.name) { names.append(s.name) }
    let columns = min(3, input.panels.count), rows = (input.panels.count + columns - 1) / columns
    let epochs = input.panels.flatMap(\.series).map(\.values.count).max() ?? 1
    let drawing = Drawing(width: 260 * Double(columns) + 16, height: 30 + 210 * Double(rows)) { [names] canvas in
        let (legendBand, body) = canvas.bounds.inset(top: 6, left: 8, bottom: 2, right: 8).splitTop(20, gap: 4)
        var x = legendBand.minX + 46
        for (i, name) in names.enumerated() {
            canvas.line(Point(x, legendBand.midY), Point(x + 16, legendBand.midY), Colour.series(i), width: 2)
            canvas.text(name, at: Point(x + 20, legendBand.midY), font: .tick, h: .left, v: .middle)
            x += 20 + canvas.textWidth(name, .tick) + 16
        }
        let cells = body.grid(rows: rows, columns: columns, hGap: 6, vGap: 4)
        for (p, panel) in input.panels.enumerated() {
            let axes = Axes(panel: cells[p / columns][p % columns], x: .nice(0, Double(epochs), maxTicks: 6, minStep: 1), y: .fixed(0, 1, maxTicks: 6))
            axes.grid(on: canvas)
            for s in panel.series {
                let colour = Colour.series(names.firstIndex(of: s.name) ?? 0)
                let xs = s.values.indices.map { Double($0 + 1) }
                let band = s.lower.flatMap { l in s.upper.map { (lower: l, upper: $0) } }
                canvas.series(xs: xs, ys: s.values, on: axes, colour: colour, width: 1.4, band: band, markers: epochs <= 25)
            }
            axes.draw(on: canvas, title: panel.title, xLabel: "epoch", yLabel: p % columns == 0 ? input.metric : nil)
        }
    }
    let finals = input.panels.map { panel in
        panel.title + ": " + panel.series.map { "\($0.name) \(Format.percent($0.values.last ?? 0, 1, minus: .typographic))" }.joined(separator: ", ")
    }
    let caption = "Hard-negative training of the base net: \(input.metric) per epoch for the control and selective dropout"
        + (input.bandDescription.map { " (bands: \($0))" } ?? "") + ". Final values: " + finals.joined(separator: "; ") + "."
    return Figure(number: 15, name: "figure15-hardening-curves", drawing: drawing, caption: caption, data: try figureJSON(input))
}
