import Formatting
/// One member of a perturbation group: its images and a layer's projection back to input space.
public struct ProjectionMember: Codable, Equatable, Sendable {
    /// 1024 padded pixels (32x32) in [0, 1].
    public var original: [Float]
    public var adversarial: [Float]
    /// The layer's projection (1024 values, signed) for the original and for the adversarial.
    public var originalProjection: [Float]
    public var adversarialProjection: [Float]
    public init(original: [Float], adversarial: [Float], originalProjection: [Float], adversarialProjection: [Float]) {
        self.original = original; self.adversarial = adversarial
        self.originalProjection = originalProjection; self.adversarialProjection = adversarialProjection
    }
    var difference: [Float] { zip(adversarialProjection, originalProjection).map { $0 - $1 } }
}

/// Figure 11's input: projections of a whole layer (all its units, averaged) for members of one group.
public struct GroupProjections: Codable, Equatable, Sendable {
    /// The group as "source → target", e.g. "9 → 1".
    public var group: String
    /// Why this group (e.g. "group 9 → 1 as in the paper" or "the largest group; 9 → 1 has 2 members").
    public var choice: String
    /// The projection method (e.g. "gradient back-projection through ReLU masks and max-pool switches").
    public var method: String
    /// The projected layer's name, e.g. "conv2".
    public var layer: String
    public var members: [ProjectionMember]
    public init(group: String, choice: String, method: String, layer: String, members: [ProjectionMember]) {
        self.group = group; self.choice = choice; self.method = method; self.layer = layer; self.members = members
    }
}

/// Figure 11: per member, the original, its projection, the adversarial, its projection, and the
/// difference of projections; a last row averages the members. Projections share one diverging
/// scale; differences another.
public func figure11GroupProjections(_ input: GroupProjections) throws -> Figure {
    let check = Check(figure: "figure 11")
    try check.that(!input.members.isEmpty, "group \(input.group) has no members")
    for (i, m) in input.members.enumerated() {
        for (values, what) in [(m.original, "original"), (m.adversarial, "adversarial"),
                               (m.originalProjection, "originalProjection"), (m.adversarialProjection, "adversarialProjection")] {
            try check.square(values, "members[\(i)].\(what)", pixels: input.members[0].original.count)
        }
    }
    let n = Float(input.members.count)
    func mean(_ key: (ProjectionMember) -> [Float]) -> [Float] {
        input.members.map(key).reduce([Float](repeating: 0, count: input.members[0].original.count)) { zip($0, $1).map { $0 + $1 } }.map { $0 / n }
    }
    let average = ProjectionMember(original: mean(\.original), adversarial: mean(\.adversarial),
                                   originalProjection: mean(\.originalProjection), adversarialProjection: mean(\.adversarialProjection))
    let rows = input.members + [average]
    let projection = ColourMap.diverging(fitting: rows.flatMap { $0.originalProjection + $0.adversarialProjection })
    let difference = ColourMap.diverging(fitting: rows.flatMap(\.difference))
    let rowHeight = 104.0
    let drawing = Drawing(width: 700, height: 40 + rowHeight * Double(rows.count)) { canvas in
        let body = canvas.bounds.inset(top: 28, left: 70, bottom: 8, right: 8)
        let columns = body.columns(weights: [1, 1, 1, 1, 1, 0.55], gap: 8)
        let titles = ["original x", "projection of x", "adversarial x′", "projection of x′", "difference"]
        var imageRects: [Rect] = []
        for (r, member) in rows.enumerated() {
            let images: [([Float], ColourMap)] = [(member.original, .ink), (member.originalProjection, projection),
                                                  (member.adversarial, .ink), (member.adversarialProjection, projection),
                                                  (member.difference, difference)]
            for (c, (values, map)) in images.enumerated() {
                let cell = Rect(x: columns[c].minX, y: body.minY + Double(r) * rowHeight, width: columns[c].width, height: rowHeight - 8)
                let rect = canvas.labelledImage(ScalarImage(square: values), in: cell, map: map)
                if r == 0 { canvas.text(titles[c], at: Point(rect.midX, rect.minY - 6), font: .title, h: .center, v: .bottom) }
                if c == 0 {
                    canvas.text(r < input.members.count ? "member \(r + 1)" : "mean of \(input.members.count)",
                                at: Point(rect.minX - 10, rect.midY), font: .label, h: .right, v: .middle)
                }
                imageRects.append(rect)
            }
        }
        if rows.count > 1 {
            let y = (imageRects[5 * (rows.count - 2)].maxY + imageRects[5 * (rows.count - 1)].minY) / 2
            canvas.line(Point(body.minX - 60, y), Point(columns[4].maxX, y), .rule, width: 0.6)
        }
        let top = imageRects[0].minY, bottom = imageRects.last!.maxY
        let (projBar, diffBar) = Rect(x: columns[5].minX + 4, y: top, width: 8, height: bottom - top).rows(weights: [1, 1], gap: 30).pair
        canvas.colourBar(projection, in: projBar, label: "projection")
        canvas.colourBar(difference, in: diffBar, label: "difference")
    }
    let caption = "Projections of the whole \(input.layer) layer back to input space for \(input.members.count) members "
        + "of perturbation group \(input.group) (\(input.choice)), by \(input.method). Per row: the original, its "
        + "projection, the adversarial, its projection, and the difference of the two projections; the last row "
        + "averages the members. Projections share one diverging scale (±\(Format.fixed(projection.upper, 3, minus: .typographic))), differences "
        + "another (±\(Format.fixed(difference.upper, 3, minus: .typographic))); white is zero."
    return Figure(number: 11, name: "figure11-group-projections", drawing: drawing, caption: caption, data: try figureJSON(input))
}
