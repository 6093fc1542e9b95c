import Formatting
/// Figure 13's input: per-unit selection rates (fraction of selective-dropout steps in which the
/// unit was retained for training) for conv2 and fc, with the retained fraction p of each run.
public struct SelectionRates: Codable, Equatable, Sendable {
    /// Which runs (e.g. "SD 0.5, Both, lr 0.001").
    public var run: String
    public var conv2: [Double]
    public var conv2RetainedFraction: Double
    public var fc: [Double]
    public var fcRetainedFraction: Double
    public init(run: String, conv2: [Double], conv2RetainedFraction: Double, fc: [Double], fcRetainedFraction: Double) {
        self.run = run; self.conv2 = conv2; self.conv2RetainedFraction = conv2RetainedFraction
        self.fc = fc; self.fcRetainedFraction = fcRetainedFraction
    }
}

/// Figure 13: histogram and sorted per-unit selection rates for conv2 and fc, with p (the rate
/// every unit would have if selection were uniform) marked.
public func figure13SelectionRates(_ input: SelectionRates) throws -> Figure {
    let check = Check(figure: "figure 13")
    for (rates, name) in [(input.conv2, "conv2"), (input.fc, "fc")] {
        try check.that(!rates.isEmpty, "\(name) has no units")
        try check.that(rates.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(name) rates must lie in [0, 1]")
    }
    let layers = [("conv2", input.conv2, input.conv2RetainedFraction), ("fc", input.fc, input.fcRetainedFraction)]
    let drawing = Drawing(width: 760, height: 470) { canvas in
        let grid = canvas.bounds.inset(top: 6, left: 6, bottom: 4, right: 8).grid(rows: 2, columns: 2, hGap: 20, vGap: 14)
        for (row, (name, rates, p)) in layers.enumerated() {
            let histogram = Histogram(rates, bins: 20, lower: 0, upper: 1)
            let histAxes = Axes(panel: grid[row][0], x: .fixed(0, 1), y: .nice(0, Double(histogram.counts.max() ?? 1), maxTicks: 5, minStep: 1))
            histAxes.grid(on: canvas)
            canvas.histogram(histogram, on: histAxes, colour: Colour.series(row))
            canvas.referenceLine(x: p, on: histAxes, label: "p = \(Format.fixed(p, 2, minus: .typographic))")
            histAxes.draw(on: canvas, title: "\(name): \(rates.count) units", xLabel: "selection rate", yLabel: "units")
            let sorted = rates.sorted(by: >)
            let sortedAxes = Axes(panel: grid[row][1], x: .fixed(0, Double(rates.count), maxTicks: 6), y: .fixed(0, 1))
            sortedAxes.grid(on: canvas)
            canvas.bars(sorted, on: sortedAxes, colour: Colour.series(row), width: 1,
                        positions: sorted.indices.map { Double($0) + 0.5 })
            canvas.referenceLine(y: p, on: sortedAxes, label: "uniform: p")
            sortedAxes.draw(on: canvas, title: "\(name): rates sorted", xLabel: "unit rank", yLabel: "selection rate")
        }
    }
    let parts = layers.map { name, rates, p -> String in
        let never = rates.filter { $0 == 0 }.count, always = rates.filter { $0 == 1 }.count
        return "\(name) (p = \(Format.fixed(p, 2, minus: .typographic))): rates from \(Format.fixed(rates.min() ?? 0, 2, minus: .typographic)) to \(Format.fixed(rates.max() ?? 0, 2, minus: .typographic)), "
            + "\(never) of \(rates.count) units never selected, \(always) always"
    }
    let caption = "How often each unit was selected (retained for training) by selective dropout during hard-negative "
        + "training (\(input.run)). Left: histogram of the per-unit rates; right: the rates sorted; the dashed line is p, the "
        + "rate every unit would have if the selection were uniform. " + parts.joined(separator: "; ") + "."
    return Figure(number: 13, name: "figure13-selection-rates", drawing: drawing, caption: caption, data: try figureJSON(input))
}
