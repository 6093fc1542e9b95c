import Formatting
import StudyTypes

/// Figure 16's input: one distortion value per adversarial pair.
public struct DistortionValues: Codable, Equatable, Sendable {
    /// e.g. "‖r‖₂ (pixels in [0, 1])".
    public var measure: String
    public var values: [Double]
    public init(measure: String, values: [Double]) { self.measure = measure; self.values = values }
}

/// Figure 16: histogram of the pairs' distortion with mean and median marked.
public func figure16DistortionHistogram(_ input: DistortionValues) throws -> Figure {
    let check = Check(figure: "figure 16")
    try check.that(!input.values.isEmpty, "no values")
    try check.finite(input.values.map(Float.init), "values")
    let sorted = input.values.sorted()
    let summary = SampleSummary(sorted), n = summary.count, mean = summary.mean, median = summary.median
    let xScale = AxisScale.nice(0, sorted.last ?? 1, maxTicks: 7)
    let bins = max(5, min(30, Int(Double(n).squareRoot().rounded()) * 2))
    let histogram = Histogram(sorted, bins: bins, lower: xScale.lower, upper: xScale.upper)
    let drawing = Drawing(width: 520, height: 280) { canvas in
        let axes = Axes(panel: canvas.bounds.inset(top: 4, left: 6, bottom: 2, right: 8), x: xScale,
                        y: .nice(0, Double(histogram.counts.max() ?? 1), maxTicks: 5, minStep: 1))
        axes.grid(on: canvas)
        canvas.histogram(histogram, on: axes, colour: Colour.series(0))
        canvas.referenceLine(x: mean, on: axes, label: "mean \(Format.fixed(mean, 2, minus: .typographic))", colour: Colour.series(1))
        axes.draw(on: canvas, title: "distortion of \(n) adversarial pairs", xLabel: input.measure, yLabel: "pairs")
        canvas.line(Point(axes.px(median), axes.frame.minY + 18), Point(axes.px(median), axes.frame.maxY), .ink, width: 0.9, dash: [1.5, 2])
        canvas.text("median \(Format.fixed(median, 2, minus: .typographic))", at: Point(axes.px(median) - 3, axes.frame.minY + 18), font: .tick,
                    h: .right, v: .top)
    }
    let caption = "Distortion of the \(n) adversarial pairs, \(input.measure): mean \(Format.fixed(mean, 3, minus: .typographic)), median "
        + "\(Format.fixed(median, 3, minus: .typographic)), min \(Format.fixed(summary.min, 3, minus: .typographic)), max \(Format.fixed(summary.max, 3, minus: .typographic)) "
        + "(\(bins) bins of width \(Format.fixed(histogram.binWidth, 3, minus: .typographic)))."
    return Figure(number: 16, name: "figure16-distortion", drawing: drawing, caption: caption, data: try figureJSON(input))
}
