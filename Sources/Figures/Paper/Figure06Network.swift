import Formatting
import Foundation

/// One tensor of the network: `channels` maps of `height` x `width` (a vector has height = width = 1).
public struct TensorShape: Codable, Equatable, Sendable {
    public var channels: Int
    public var height: Int
    public var width: Int
    public init(channels: Int, height: Int = 1, width: Int = 1) { self.channels = channels; self.height = height; self.width = width }
    var isVector: Bool { height == 1 && width == 1 }
    var label: String { isVector ? "\(channels)" : "\(channels)@\(height)×\(width)" }
}

/// Figure 6's input: the network's tensors in order and the operation between each neighbour pair
/// (e.g. "conv 5×5\nReLU"; a newline splits the label into lines).
public struct NetworkDiagram: Codable, Equatable, Sendable {
    public var shapes: [TensorShape]
    public var operations: [String]
    /// Trainable parameters, for the caption.
    public var parameters: Int
    public init(shapes: [TensorShape], operations: [String], parameters: Int) {
        self.shapes = shapes; self.operations = operations; self.parameters = parameters
    }
}

/// Figure 6: the study's CNN drawn to its actual shapes: maps as stacked slabs (side ∝ √size,
/// depth ∝ log channels), vectors as bars (height ∝ log width), operations on the arrows.
public func figure6Network(_ input: NetworkDiagram) throws -> Figure {
    let check = Check(figure: "figure 6")
    try check.that(input.shapes.count >= 2, "need at least 2 shapes")
    try check.count(input.operations, input.shapes.count - 1, "operations")
    try check.that(input.shapes.allSatisfy { $0.channels >= 1 && $0.height >= 1 && $0.width >= 1 }, "shapes must be positive")
    @Sendable func slabSide(_ s: TensorShape) -> Double { 17 * Double(max(s.height, s.width)).squareRoot() }
    @Sendable func depth(_ s: TensorShape) -> Double { 5 + 5.5 * log2(Double(s.channels)) }
    func footprint(_ s: TensorShape) -> Double { s.isVector ? 14 : slabSide(s) + depth(s) * 0.7 }
    let arrowGap = 68.0
    let width = 40 + input.shapes.map(footprint).reduce(0, +) + arrowGap * Double(input.shapes.count - 1)
    let drawing = Drawing(width: width, height: 236) { canvas in
        let centreY = 108.0
        var x = 20.0
        var previousRight: Double?
        for (i, shape) in input.shapes.enumerated() {
            if let previousRight {
                canvas.arrow(Point(previousRight + 8, centreY), Point(x - 8, centreY), width: 1, head: 6)
                let lines = input.operations[i - 1].split(separator: "\n").map(String.init)
                for (l, line) in lines.enumerated() {
                    canvas.text(line, at: Point((previousRight + x) / 2, centreY - 8 - Double(lines.count - 1 - l) * 12),
                                font: .tick, h: .center, v: .bottom)
                }
            }
            let colour = i == 0 ? Colour(hex: 0xdddddd) : (shape.isVector ? Colour(hex: 0xf6e8d8) : Colour(hex: 0xe8f1f8))
            if shape.isVector {
                let h = 14 * log2(Double(shape.channels) + 1)
                let bar = Rect(x: x, y: centreY - h / 2, width: 14, height: h)
                canvas.fill(bar, colour)
                canvas.stroke(bar, .ink, width: 0.8)
                canvas.text(shape.label, at: Point(bar.midX, 184), font: .label, h: .center, v: .top)
                x = bar.maxX
            } else {
                let side = slabSide(shape), d = depth(shape) * 0.7
                let slabs = min(shape.channels, 7)
                for s in (0..<slabs).reversed() {
                    let offset = slabs > 1 ? d * Double(s) / Double(slabs - 1) : 0
                    let slab = Rect(x: x + offset, y: centreY - side / 2 - offset * 0.6, width: side, height: side)
                    canvas.fill(slab, colour)
                    canvas.stroke(slab, .ink, width: 0.7)
                }
                canvas.text(shape.label, at: Point(x + (side + d) / 2, 184), font: .label, h: .center, v: .top)
                x += side + d
            }
            previousRight = x
            x += arrowGap
        }
        canvas.text("feature maps: channels@height×width; vectors: width", at: Point(20, 212), font: .tick, colour: .muted,
                    h: .left, v: .top)
    }
    let caption = "This study's network drawn from its layer shapes: " + input.shapes.map(\.label).joined(separator: " → ")
        + " (\(Format.count(input.parameters, minus: .typographic)) parameters). "
        + "Operations: " + input.operations.map { $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "; ") + "."
    return Figure(number: 6, name: "figure06-network", drawing: drawing, caption: caption, data: try figureJSON(input))
}
