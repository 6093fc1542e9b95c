/// Figure 3's settings: how many inputs the drawn neuron has and its activation's name.
public struct NeuronDiagram: Codable, Equatable, Sendable {
    public var inputs: Int
    public var activation: String
    public init(inputs: Int = 3, activation: String = "ReLU") { self.inputs = inputs; self.activation = activation }
}

/// Figure 3: an artificial neuron: inputs a_i, weights w_i, bias b, the sum z and activation f.
public func figure3Neuron(_ input: NeuronDiagram = .init()) throws -> Figure {
    let check = Check(figure: "figure 3")
    try check.that((2...6).contains(input.inputs), "inputs \(input.inputs) must be 2-6 for a readable diagram")
    let labels = (1..<input.inputs).map { "a_\($0)" } + ["a_n"]
    let drawing = Drawing(width: 600, height: 262) { canvas in
        let sum = Point(300, 135), sumRadius = 28.0, nodeRadius = 18.0
        let spacing = 160.0 / Double(labels.count - 1)
        for (i, label) in labels.enumerated() {
            let node = Point(70, 46 + Double(i) * spacing)
            canvas.node(node, radius: nodeRadius, label: label, fill: Colour(hex: 0xe8f1f8))
            canvas.arrow(node, sum, insetStart: nodeRadius, insetEnd: sumRadius)
            let t = 0.42
            let weight = Point(node.x + (sum.x - node.x) * t, node.y + (sum.y - node.y) * t - 9)
            canvas.math(i == labels.count - 1 ? "w_n" : "w_\(i + 1)", at: weight, size: 12, h: .center, v: .bottom)
        }
        if labels.count > 2 {
            canvas.text("⋮", at: Point(70, 46 + (Double(labels.count) - 1.5) * spacing), font: Font(size: 14), h: .center, v: .middle)
        }
        let bias = Point(300, 38)
        canvas.node(bias, radius: 16, label: "b", fill: Colour(hex: 0xf6e8d8))
        canvas.arrow(bias, sum, insetStart: 16, insetEnd: sumRadius)
        canvas.text("bias", at: Point(bias.x + 22, bias.y), font: .tick, colour: .muted, h: .left, v: .middle)
        canvas.node(sum, radius: sumRadius, label: "Σ", labelSize: 18)
        canvas.math("z = Σ_i w_i a_i + b", at: Point(sum.x, sum.y + sumRadius + 8), size: 11, h: .center, v: .top)
        let f = Rect(x: 390, y: sum.y - 24, width: 64, height: 48)
        canvas.arrow(Point(sum.x + sumRadius, sum.y), Point(f.minX, sum.y))
        canvas.roundedRect(f, radius: 5, fill: Colour(hex: 0xe6f2e6), stroke: .ink)
        canvas.math("f", at: Point(f.midX, f.midY - 5), size: 18)
        canvas.text(input.activation, at: Point(f.midX, f.maxY - 5), font: .tick, colour: .muted, h: .center, v: .bottom)
        canvas.arrow(Point(f.maxX, sum.y), Point(f.maxX + 46, sum.y))
        canvas.math("f(z)", at: Point(f.maxX + 52, sum.y), size: 13, h: .left, v: .middle)
        canvas.text("inputs", at: Point(70, 252), font: .tick, colour: .muted, h: .center, v: .bottom)
        canvas.text("weighted sum", at: Point(sum.x, 252), font: .tick, colour: .muted, h: .center, v: .bottom)
        canvas.text("activation", at: Point(f.midX, 252), font: .tick, colour: .muted, h: .center, v: .bottom)
    }
    let caption = "An artificial neuron: inputs a₁ … aₙ are weighted by w₁ … wₙ, summed with the bias b into "
        + "z = Σᵢ wᵢaᵢ + b, and passed through the activation f (\(input.activation) in this study's net) to give f(z)."
    return Figure(number: 3, name: "figure03-neuron", drawing: drawing, caption: caption, data: try figureJSON(input))
}
