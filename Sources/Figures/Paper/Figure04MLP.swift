/// Figure 4's settings: the widths of the layers, input first (the paper: depth 3, hidden width 6).
public struct MLPDiagram: Codable, Equatable, Sendable {
    public var layerWidths: [Int]
    public init(layerWidths: [Int] = [4, 6, 3]) { self.layerWidths = layerWidths }
}

/// Figure 4: a fully connected multi-layer perceptron, every edge drawn.
public func figure4MLP(_ input: MLPDiagram = .init()) throws -> Figure {
    let check = Check(figure: "figure 4")
    try check.that(input.layerWidths.count >= 2, "an MLP needs at least 2 layers, got \(input.layerWidths.count)")
    try check.that(input.layerWidths.allSatisfy { (1...10).contains($0) }, "layer widths \(input.layerWidths) must be 1-10")
    let widths = input.layerWidths
    let depth = widths.count
    let names = widths.indices.map { i in i == 0 ? "input layer" : (i == depth - 1 ? "output layer" : "hidden layer") }
    let drawing = Drawing(width: 520, height: 300) { canvas in
        let radius = 13.0, spacing = 36.0, centreY = 135.0
        let xs = (0..<depth).map { 70 + Double($0) * 380 / Double(depth - 1) }
        func position(_ layer: Int, _ i: Int) -> Point {
            Point(xs[layer], centreY + (Double(i) - Double(widths[layer] - 1) / 2) * spacing)
        }
        for layer in 0..<(depth - 1) {
            for i in 0..<widths[layer] {
                for j in 0..<widths[layer + 1] {
                    canvas.arrow(position(layer, i), position(layer + 1, j), colour: Colour.grey(0.55), width: 0.6,
                                 head: 3.5, insetStart: radius, insetEnd: radius)
                }
            }
        }
        let fills = [Colour(hex: 0xe8f1f8), Colour(hex: 0xf6e8d8), Colour(hex: 0xe6f2e6)]
        for layer in 0..<depth {
            let fill = layer == 0 ? fills[0] : (layer == depth - 1 ? fills[2] : fills[1])
            for i in 0..<widths[layer] {
                let label = layer == 0 ? "x_\(i + 1)" : (layer == depth - 1 ? "y_\(i + 1)" : nil)
                canvas.node(position(layer, i), radius: radius, label: label, fill: fill, labelSize: 10.5)
            }
            canvas.text(names[layer], at: Point(xs[layer], 262), font: .label, h: .center, v: .top)
            canvas.text("width \(widths[layer])", at: Point(xs[layer], 278), font: .tick, colour: .muted, h: .center, v: .top)
        }
    }
    let hidden = widths.dropFirst().dropLast().map(String.init).joined(separator: ", ")
    let caption = "A multi-layer perceptron of depth \(depth): \(widths[0]) inputs, hidden width \(hidden), "
        + "\(widths[depth - 1]) outputs. Every unit computes f(Σᵢ wᵢaᵢ + b) of all units in the layer before it "
        + "(\(zip(widths, widths.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 }) weights)."
    return Figure(number: 4, name: "figure04-mlp", drawing: drawing, caption: caption, data: try figureJSON(input))
}
