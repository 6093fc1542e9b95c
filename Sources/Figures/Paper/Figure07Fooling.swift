import Formatting
/// Figure 7's input: one "garbage" image per class, optimised from noise until the net is sure.
public struct FoolingImages: Codable, Equatable, Sendable {
    /// 1024 padded pixels (32x32) in [0, 1] per image.
    public var images: [[Float]]
    /// The class each image is classified as.
    public var classes: [Int]
    /// The net's probability of that class.
    public var confidences: [Double]
    /// How they were made, for the caption (e.g. "gradient ascent from uniform noise, 40 steps").
    public var method: String

    public init(images: [[Float]], classes: [Int], confidences: [Double], method: String) {
        self.images = images; self.classes = classes; self.confidences = confidences; self.method = method
    }
}

/// Figure 7: "garbage" images, one per class, with the net's confidence in that class.
public func figure7FoolingImages(_ input: FoolingImages) throws -> Figure {
    let check = Check(figure: "figure 7")
    try check.that(!input.images.isEmpty, "no images")
    try check.count(input.classes, input.images.count, "classes")
    try check.count(input.confidences, input.images.count, "confidences")
    for (i, image) in input.images.enumerated() {
        try check.square(image, "images[\(i)]", pixels: input.images[0].count)
    }
    let columns = min(5, input.images.count)
    let rows = (input.images.count + columns - 1) / columns
    let drawing = Drawing(width: 560, height: 16 + Double(rows) * 132) { canvas in
        let cells = canvas.bounds.inset(top: 8, left: 8, bottom: 8, right: 8).grid(rows: rows, columns: columns, hGap: 12, vGap: 6)
        for (i, image) in input.images.enumerated() {
            canvas.labelledImage(ScalarImage(square: image), in: cells[i / columns][i % columns], map: .ink,
                                 above: ["class \(input.classes[i])"], below: [Format.percent(input.confidences[i], 2, minus: .typographic)],
                                 aboveFont: .title)
        }
    }
    let lowest = input.confidences.min() ?? 0
    let caption = "Images that look like nothing to a person but that the base net classifies with high confidence, "
        + "one per class (\(input.method)). The lowest of the \(input.images.count) confidences is \(Format.percent(lowest, 2, minus: .typographic)); "
        + "per class: " + zip(input.classes, input.confidences).map { "\($0) \(Format.percent($1, 2, minus: .typographic))" }.joined(separator: ", ") + "."
    return Figure(number: 7, name: "figure07-fooling-images", drawing: drawing, caption: caption, data: try figureJSON(input))
}
