import Formatting
/// Channel-major activations of one layer: `channels` maps of `side` x `side` (post-ReLU).
public struct LayerActivations: Codable, Equatable, Sendable {
    public var channels: Int
    public var side: Int
    public var values: [Float]
    public init(channels: Int, side: Int, values: [Float]) {
        self.channels = channels; self.side = side; self.values = values
    }
    /// Map `c` as an image.
    public func map(_ c: Int) -> ScalarImage {
        ScalarImage(rows: side, columns: side, values: Array(values[(c * side * side)..<((c + 1) * side * side)]))
    }
    func validate(_ check: Check, _ what: String) throws {
        try check.count(values, channels * side * side, what)
        try check.finite(values, what)
    }
}

/// Figure 9's input: conv1 (32 x 28 x 28) and conv2 (64 x 5 x 5) activations of one pair.
public struct FeatureMapsInput: Codable, Equatable, Sendable {
    public var trueLabel: Int
    public var targetLabel: Int
    public var conv1Original: LayerActivations
    public var conv1Adversarial: LayerActivations
    public var conv2Original: LayerActivations
    public var conv2Adversarial: LayerActivations
    public init(trueLabel: Int, targetLabel: Int, conv1Original: LayerActivations, conv1Adversarial: LayerActivations,
                conv2Original: LayerActivations, conv2Adversarial: LayerActivations) {
        self.trueLabel = trueLabel; self.targetLabel = targetLabel
        self.conv1Original = conv1Original; self.conv1Adversarial = conv1Adversarial
        self.conv2Original = conv2Original; self.conv2Adversarial = conv2Adversarial
    }
}

/// Figure 9: every conv1 and conv2 feature map of one pair, original vs adversarial, and their
/// difference; one sequential scale per layer for the activations, one diverging scale per layer
/// for the differences.
public func figure9FeatureMaps(_ input: FeatureMapsInput) throws -> Figure {
    let check = Check(figure: "figure 9")
    try input.conv1Original.validate(check, "conv1Original")
    try input.conv1Adversarial.validate(check, "conv1Adversarial")
    try input.conv2Original.validate(check, "conv2Original")
    try input.conv2Adversarial.validate(check, "conv2Adversarial")
    try check.that(input.conv1Original.channels == input.conv1Adversarial.channels
                   && input.conv2Original.channels == input.conv2Adversarial.channels, "original and adversarial shapes differ")
    var stats: [String] = []
    var layers: [(maps: [[ScalarImage]], sequential: ColourMap, diverging: ColourMap)] = []
    for (name, original, adversarial) in [("conv1", input.conv1Original, input.conv1Adversarial),
                                          ("conv2", input.conv2Original, input.conv2Adversarial)] {
        let difference = zip(adversarial.values, original.values).map { $0 - $1 }
        let top = Double(max(original.values.max() ?? 0, adversarial.values.max() ?? 0))
        let diff = LayerActivations(channels: original.channels, side: original.side, values: difference)
        let maps = [original, adversarial, diff].map { layer in (0..<layer.channels).map { layer.map($0) } }
        layers.append((maps, ColourMap.sequential(0, top > 0 ? top : 1), ColourMap.diverging(fitting: difference)))
        let change = difference.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        let norm = original.values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        stats.append("\(name) (\(original.channels) maps of \(original.side)×\(original.side)): ‖Δ‖/‖a‖ = "
                     + Format.fixed(change / max(norm, 1e-12), 3, minus: .typographic) + ", max |Δ| = " + Format.fixed(layers.last!.diverging.upper, 3, minus: .typographic))
    }
    let names = ["original (\(input.trueLabel))", "adversarial (→ \(input.targetLabel))", "difference (adv − orig)"]
    let drawing = Drawing(width: 860, height: 700) { [layers] canvas in
        let (top, bottom) = canvas.bounds.inset(top: 6, left: 8, bottom: 6, right: 8).splitTop(370, gap: 18)
        // conv1: one band per image kind, maps in 2 rows of 16
        let conv1 = layers[0], count1 = conv1.maps[0].count
        let (conv1Area, conv1Bars) = top.inset(left: 36).splitRight(64, gap: 8)
        let bands = conv1Area.rows(weights: [1, 1, 1], gap: 8)
        var drawn: [Rect] = []
        for (k, band) in bands.enumerated() {
            let columns = count1 >= 16 ? (count1 + 1) / 2 : count1
            let grid = canvas.imageGrid(conv1.maps[k], rows: (count1 + columns - 1) / columns, columns: columns,
                                        in: band.inset(top: 16), map: k < 2 ? conv1.sequential : conv1.diverging, gap: 2)
            canvas.text(names[k], at: Point(grid.minX, grid.minY - 5), font: .title, h: .left, v: .bottom)
            drawn.append(grid)
        }
        canvas.colourBar(conv1.sequential, in: Rect(x: conv1Bars.minX, y: drawn[0].minY, width: 8, height: drawn[1].maxY - drawn[0].minY),
                         label: "activation")
        canvas.colourBar(conv1.diverging, in: Rect(x: conv1Bars.minX, y: drawn[2].minY, width: 8, height: drawn[2].height),
                         label: "Δ activation")
        canvas.text("conv1", at: Point(top.minX + 4, top.midY), font: Font(size: 13, bold: true), h: .center, v: .top,
                    rotation: .pi / 2)
        // conv2: three 8 x 8 grids side by side
        let conv2 = layers[1], count2 = conv2.maps[0].count
        let columns2 = gridColumns(count2)
        let panels = bottom.inset(left: 36).columns(weights: [1, 1, 0.2, 1, 0.2], gap: 8)
        for (k, panel) in [panels[0], panels[1], panels[3]].enumerated() {
            let grid = canvas.imageGrid(conv2.maps[k], rows: (count2 + columns2 - 1) / columns2, columns: columns2,
                                        in: panel.inset(top: 16), map: k < 2 ? conv2.sequential : conv2.diverging, gap: 2.5)
            canvas.text(names[k], at: Point(grid.minX, grid.minY - 5), font: .title, h: .left, v: .bottom)
            if k > 0 {
                let bar = panels[k == 1 ? 2 : 4]
                canvas.colourBar(k == 1 ? conv2.sequential : conv2.diverging,
                                 in: Rect(x: bar.minX, y: grid.minY, width: 8, height: grid.height),
                                 label: k == 1 ? "activation" : "Δ activation")
            }
        }
        canvas.text("conv2", at: Point(bottom.minX + 4, bottom.midY), font: Font(size: 13, bold: true), h: .center, v: .top,
                    rotation: .pi / 2)
    }
    let caption = "Feature maps of one adversarial pair (\(input.trueLabel) → \(input.targetLabel)) after ReLU: conv1 "
        + "(top) and conv2 (bottom), for the original, the adversarial, and their difference (blue: lower, red: higher "
        + "under the attack; white: unchanged). Activations share one viridis scale per layer; maps are in channel order, row by row. "
        + "" + stats.joined(separator: "; ") + "."
    return Figure(number: 9, name: "figure09-feature-maps", drawing: drawing, caption: caption, data: try figureJSON(input))
}

/// Columns of a near-square grid for `count` small maps, wider than tall (32 -> 8, 64 -> 8).
func gridColumns(_ count: Int) -> Int {
    var columns = Int(Double(count).squareRoot().rounded(.up))
    if count == 32 { columns = 8 }
    while count % columns != 0 && columns < count { columns += 1 }
    return columns
}
