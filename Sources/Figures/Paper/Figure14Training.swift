import Formatting
/// Figure 14's input: the base net's training, one value per epoch (epoch 1 first).
public struct TrainingCurves: Codable, Equatable, Sendable {
    /// Mean training loss (NLL) of each epoch.
    public var loss: [Double]
    /// Test accuracy (fraction) after each epoch.
    public var testAccuracy: [Double]
    /// Training accuracy (fraction) during each epoch, if recorded.
    public var trainAccuracy: [Double]?
    /// How the net was trained, for the caption (e.g. "batch 1, lr 1e-4, 100 epochs").
    public var protocolDescription: String
    public init(loss: [Double], testAccuracy: [Double], trainAccuracy: [Double]? = nil, protocolDescription: String) {
        self.loss = loss; self.testAccuracy = testAccuracy; self.trainAccuracy = trainAccuracy
        self.protocolDescription = protocolDescription
    }
}

/// Figure 14: base-net training curves: loss and accuracy per epoch.
public func figure14TrainingCurves(_ input: TrainingCurves) throws -> Figure {
    let check = Check(figure: "figure 14")
    try check.that(!input.loss.isEmpty, "no epochs")
    try check.count(input.testAccuracy, input.loss.count, "testAccuracy")
    if let train = input.trainAccuracy { try check.count(train, input.loss.count, "trainAccuracy") }
    try check.finite((input.loss + input.testAccuracy + (input.trainAccuracy ?? [])).map(Float.init), "curves")
    let epochs = input.loss.indices.map { Double($0 + 1) }
    let accuracies = [input.testAccuracy] + (input.trainAccuracy.map { [$0] } ?? [])
    let lowest = accuracies.flatMap { $0 }.min() ?? 0, highest = accuracies.flatMap { $0 }.max() ?? 1
    let drawing = Drawing(width: 720, height: 270) { canvas in
        let (left, right) = canvas.bounds.inset(top: 4, left: 8, bottom: 2, right: 8).columns(weights: [1, 1], gap: 24).pair
        let xScale = AxisScale.nice(0, Double(epochs.count), maxTicks: 6, minStep: 1)
        let lossAxes = Axes(panel: left, x: xScale, y: .nice(0, input.loss.max() ?? 1, maxTicks: 5))
        lossAxes.grid(on: canvas)
        canvas.series(xs: epochs, ys: input.loss, on: lossAxes, colour: Colour.series(0), markers: epochs.count <= 30)
        lossAxes.draw(on: canvas, title: "training loss", xLabel: "epoch", yLabel: "mean NLL")
        let accAxes = Axes(panel: right, x: xScale, y: .nice(lowest * 100, min(100, highest * 100), maxTicks: 6))
        accAxes.grid(on: canvas)
        var legend: [(String, Colour)] = [("test", Colour.series(1))]
        canvas.series(xs: epochs, ys: input.testAccuracy.map { $0 * 100 }, on: accAxes, colour: Colour.series(1), markers: epochs.count <= 30)
        if let train = input.trainAccuracy {
            canvas.series(xs: epochs, ys: train.map { $0 * 100 }, on: accAxes, colour: Colour.series(2), markers: epochs.count <= 30)
            legend.append(("train", Colour.series(2)))
        }
        accAxes.draw(on: canvas, title: "accuracy", xLabel: "epoch", yLabel: "accuracy (%)")
        canvas.legend(legend, at: Point(accAxes.frame.maxX - 4, accAxes.frame.maxY - 10 - 13 * Double(legend.count)), alignRight: true)
    }
    let final = input.testAccuracy.last ?? 0
    let best = input.testAccuracy.indices.max { input.testAccuracy[$0] < input.testAccuracy[$1] } ?? 0
    let caption = "Training of the base net (\(input.protocolDescription)): mean training loss and accuracy per epoch. "
        + "Test accuracy after the last of \(epochs.count) epochs: \(Format.percent(final, 2, minus: .typographic)); best \(Format.percent(input.testAccuracy[best], 2, minus: .typographic)) "
        + "after epoch \(best + 1)" + (input.trainAccuracy.map { "; final training accuracy \(Format.percent($0.last ?? 0, 2, minus: .typographic))" } ?? "") + "."
    return Figure(number: 14, name: "figure14-training-curves", drawing: drawing, caption: caption, data: try figureJSON(input))
}
