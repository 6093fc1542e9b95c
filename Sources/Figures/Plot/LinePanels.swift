/// One line of a panelled line chart: y at explicit x positions, with an optional band.
public struct LineSeries: Codable, Equatable, Sendable {
    public var name: String
    public var xs: [Double]
    public var ys: [Double]
    public var lower: [Double]?
    public var upper: [Double]?
    public init(name: String, xs: [Double], ys: [Double], lower: [Double]? = nil, upper: [Double]? = nil) {
        self.name = name; self.xs = xs; self.ys = ys; self.lower = lower; self.upper = upper
    }
}

/// A panel of lines with its axis labels and y range (nil: from the data).
public struct LinePanel: Codable, Equatable, Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var yRange: [Double]?
    /// The x range (nil: from the data).
    public var xRange: [Double]?
    public var series: [LineSeries]
    public init(title: String, xLabel: String, yLabel: String, yRange: [Double]? = nil, xRange: [Double]? = nil,
                series: [LineSeries]) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.yRange = yRange; self.xRange = xRange
        self.series = series
    }
}

/// Checks and draws panels of lines in a grid (up to `columns` across), with one legend on top;
/// series with the same name share a colour in every panel.
func drawLinePanels(_ panels: [LinePanel], figure: String, columns maxColumns: Int = 3) throws -> Drawing {
    let check = Check(figure: figure)
    try check.that(!panels.isEmpty, "no panels")
    for panel in panels {
        for s in panel.series {
            try check.that(!s.xs.isEmpty && s.xs.count == s.ys.count, "\(panel.title) / \(s.name): need as many x as y values")
            try check.finite(s.ys.map(Float.init), "\(panel.title) / \(s.name)")
            if let l = s.lower { try check.count(l, s.ys.count, "\(panel.title) / \(s.name) lower") }
            if let u = s.upper { try check.count(u, s.ys.count, "\(panel.title) / \(s.name) upper") }
        }
    }
    var names: [String] = []
    for s in panels.flatMap(\.series) where !names.contains(s.name) { names.append(s.name) }
    let columns = min(maxColumns, panels.count), rows = (panels.count + columns - 1) / columns
    let legendRows = (names.count + 5) / 6
    return Drawing(width: 280 * Double(columns) + 16, height: 12 + 16 * Double(legendRows) + 220 * Double(rows)) { [names] canvas in
        let (legendBand, body) = canvas.bounds.inset(top: 6, left: 8, bottom: 2, right: 8).splitTop(16 * Double(legendRows), gap: 4)
        var x = legendBand.minX + 46, y = legendBand.minY + 8
        for (i, name) in names.enumerated() {
            if i > 0 && i % 6 == 0 { x = legendBand.minX + 46; y += 16 }
            canvas.line(Point(x, y), Point(x + 16, y), Colour.series(i), width: 2)
            canvas.text(name, at: Point(x + 20, y), font: .tick, h: .left, v: .middle)
            x += 20 + canvas.textWidth(name, .tick) + 16
        }
        let cells = body.grid(rows: rows, columns: columns, hGap: 6, vGap: 4)
        for (p, panel) in panels.enumerated() {
            let all = panel.series.flatMap { $0.xs }
            // Bands are clamped to the fixed y range, or to >= 0 (every plotted measure is non-negative).
            let low = panel.yRange?[0] ?? 0, high = panel.yRange?[1] ?? Double.infinity
            func clamp(_ v: [Double]) -> [Double] { v.map { min(max($0, low), high) } }
            let ys = panel.series.flatMap { $0.ys + clamp($0.lower ?? []) + clamp($0.upper ?? []) }
            let yScale: AxisScale = panel.yRange.map { .fixed($0[0], $0[1], maxTicks: 6) }
                ?? .nice(ys.min() ?? 0, max((ys.max() ?? 1), (ys.min() ?? 0) + 1e-9), maxTicks: 6)
            let xScale: AxisScale = panel.xRange.map { .fixed($0[0], $0[1], maxTicks: 12) }
                ?? .nice(all.min() ?? 0, max(all.max() ?? 1, (all.min() ?? 0) + 1), maxTicks: 8, minStep: 1)
            let axes = Axes(panel: cells[p / columns][p % columns], x: xScale, y: yScale)
            axes.grid(on: canvas)
            for s in panel.series {
                let band = s.lower.flatMap { l in s.upper.map { (lower: clamp(l), upper: clamp($0)) } }
                canvas.series(xs: s.xs, ys: s.ys, on: axes, colour: Colour.series(names.firstIndex(of: s.name) ?? 0),
                              width: 1.4, band: band, markers: true)
            }
            axes.draw(on: canvas, title: panel.title, xLabel: panel.xLabel, yLabel: panel.yLabel)
        }
    }
}
