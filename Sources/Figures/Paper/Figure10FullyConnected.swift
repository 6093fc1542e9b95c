import Formatting
import StudyTypes

/// Figure 10's input: fc activations (200 units after ReLU) of every pair, original and adversarial,
/// `original[p][u]` for pair p and unit u.
public struct FullyConnectedActivations: Codable, Equatable, Sendable {
    public var original: [[Float]]
    public var adversarial: [[Float]]
    public init(original: [[Float]], adversarial: [[Float]]) { self.original = original; self.adversarial = adversarial }
}

/// Figure 10: fc activations of all pairs (pairs x units), original, adversarial and difference,
/// and the mean |difference| per unit sorted, with its cumulative share (concentration of blame).
public func figure10FullyConnected(_ input: FullyConnectedActivations) throws -> Figure {
    let check = Check(figure: "figure 10")
    try check.that(!input.original.isEmpty, "no pairs")
    try check.count(input.adversarial, input.original.count, "adversarial pairs")
    let units = input.original[0].count
    for p in input.original.indices {
        try check.count(input.original[p], units, "original[\(p)]")
        try check.count(input.adversarial[p], units, "adversarial[\(p)]")
        try check.finite(input.original[p] + input.adversarial[p], "pair \(p)")
    }
    let pairs = input.original.count
    let original = input.original.flatMap { $0 }, adversarial = input.adversarial.flatMap { $0 }
    let difference = zip(adversarial, original).map { $0 - $1 }
    // meanAbs_u = (1/P) Σ_p |a_adv[p,u] - a_orig[p,u]|
    let meanAbs = (0..<units).map { u in (0..<pairs).reduce(0.0) { $0 + Double(abs(difference[$1 * units + u])) } / Double(pairs) }
    let concentration = Concentration(meanAbs)
    let top = Double(max(original.max() ?? 0, adversarial.max() ?? 0))
    let sequential = ColourMap.sequential(0, top > 0 ? top : 1)
    let diverging = ColourMap.diverging(fitting: difference)
    let silent = meanAbs.filter { $0 == 0 }.count
    let drawing = Drawing(width: 860, height: 600) { canvas in
        let (upper, lower) = canvas.bounds.inset(top: 8, left: 8, bottom: 4, right: 8).splitTop(300, gap: 14)
        let panels = upper.inset(left: 40).columns(weights: [1, 0.04, 1, 0.2, 1, 0.2], gap: 10)
        let maps = [(original, sequential, "original"), (adversarial, sequential, "adversarial"),
                    (difference, diverging, "difference (adv − orig)")]
        for (k, panelIndex) in [0, 2, 4].enumerated() {
            let area = panels[panelIndex].inset(top: 18, bottom: 30)
            canvas.image(ScalarImage(rows: pairs, columns: units, values: maps[k].0), in: area, map: maps[k].1, frame: .ink)
            canvas.text(maps[k].2, at: Point(area.midX, area.minY - 5), font: .title, h: .center, v: .bottom)
            let axes = Axes(frame: area, x: .fixed(0, Double(units), maxTicks: 5), y: .fixed(0, Double(pairs)))
            for (t, label) in zip(axes.x.ticks, axes.x.labels) {
                canvas.line(Point(axes.px(t), area.maxY), Point(axes.px(t), area.maxY + 3), .ink, width: 0.6)
                canvas.text(label, at: Point(axes.px(t), area.maxY + 5), font: .tick, h: .center, v: .top)
            }
            canvas.text("fc unit", at: Point(area.midX, area.maxY + 18), font: .label, h: .center, v: .top)
            if k == 0 {
                canvas.text("adversarial pair (\(pairs))", at: Point(area.minX - 8, area.midY), font: .label,
                            h: .center, v: .bottom, rotation: .pi / 2)
            }
            if k > 0 {
                let bar = panels[panelIndex + 1]
                canvas.colourBar(maps[k].1, in: Rect(x: bar.minX + 2, y: area.minY, width: 8, height: area.height),
                                 label: k == 1 ? "activation" : "Δ activation")
            }
        }
        let (left, right) = lower.columns(weights: [1.6, 1], gap: 16).pair
        let sorted = concentration.sortedDescending
        let bars = Axes(panel: left, x: .fixed(0, Double(units), maxTicks: 6),
                        y: .nice(0, sorted.first ?? 1, maxTicks: 5))
        bars.grid(on: canvas)
        canvas.fill(Rect(x: bars.px(0), y: bars.frame.minY, width: bars.px(Double(concentration.topCount)) - bars.px(0),
                         height: bars.frame.height), Colour.highlight.withAlpha(0.15))
        canvas.bars(sorted, on: bars, colour: Colour.series(0), width: 1, positions: sorted.indices.map { Double($0) + 0.5 })
        bars.draw(on: canvas, title: "mean |Δ| per fc unit, sorted", xLabel: "unit rank", yLabel: "mean |Δ activation|")
        canvas.text("top 10%: \(Format.percent(concentration.topShare, 1, minus: .typographic)) of the total", at: Point(bars.px(Double(concentration.topCount)) + 6, bars.frame.minY + 6),
                    font: .tick, colour: .ink, h: .left, v: .top)
        let share = Axes(panel: right, x: .fixed(0, 1, maxTicks: 6), y: .fixed(0, 1, maxTicks: 6))
        share.grid(on: canvas)
        canvas.series(xs: [0, 1], ys: [0, 1], on: share, colour: .muted, width: 0.9, dash: [4, 3])
        let xs = [0] + (1...units).map { Double($0) / Double(units) }
        canvas.series(xs: xs, ys: [0] + concentration.cumulativeShare, on: share, colour: Colour.series(1))
        share.draw(on: canvas, title: "cumulative share of mean |Δ|", xLabel: "fraction of units (largest first)",
                   yLabel: "share of total")
        canvas.text("Gini = \(Format.fixed(concentration.gini, 2, minus: .typographic))", at: Point(share.frame.maxX - 6, share.frame.maxY - 6),
                    font: .tick, h: .right, v: .bottom)
    }
    let caption = "Concentration of blame in the fully connected layer. Top: activations of its \(units) units (after ReLU) "
        + "for all \(pairs) pairs, original, adversarial and their difference (blue: lower, red: higher under the attack). "
        + "Bottom: the mean |Δ| per unit over the pairs, sorted; the top 10% of units (\(concentration.topCount)) carry "
        + "\(Format.percent(concentration.topShare, 1, minus: .typographic)) of the total (Gini coefficient \(Format.fixed(concentration.gini, 3, minus: .typographic)); "
        + "equal shares would give 10% and 0). \(silent) units never change."
    return Figure(number: 10, name: "figure10-fc-concentration", drawing: drawing, caption: caption, data: try figureJSON(input))
}

extension Array {
    /// The first two elements as a tuple (layout helpers return arrays).
    var pair: (Element, Element) { (self[0], self[1]) }
}
