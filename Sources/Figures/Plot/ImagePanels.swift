extension Rect {
    /// The largest square inside this rectangle whose side is a whole number of device pixels
    /// per image pixel (so PNG blocks are all equally large), centred, origin on the pixel grid.
    public func pixelSquare(pixels: Int) -> Rect {
        let side = min(width, height)
        let perPixel = max(1, (side * Drawing.pngScale / Double(pixels)).rounded(.down))
        let snapped = perPixel * Double(pixels) / Drawing.pngScale
        let x0 = ((midX - snapped / 2) * Drawing.pngScale).rounded() / Drawing.pngScale
        let y0 = ((midY - snapped / 2) * Drawing.pngScale).rounded() / Drawing.pngScale
        return Rect(x: x0, y: y0, width: snapped, height: snapped)
    }
}

extension Canvas {
    /// An image in `cell` with optional text lines above and below; returns the image's rect.
    @discardableResult
    public func labelledImage(_ image: ScalarImage, in cell: Rect, map: ColourMap, above: [String] = [],
                              below: [String] = [], font: Font = .label, aboveFont: Font? = nil) -> Rect {
        let topFont = aboveFont ?? font
        let lineTop = topFont.size * 1.3, lineBottom = font.size * 1.3
        let space = cell.inset(top: Double(above.count) * lineTop + (above.isEmpty ? 0 : 2),
                               bottom: Double(below.count) * lineBottom + (below.isEmpty ? 0 : 3))
        let rect = image.rows == image.columns ? space.pixelSquare(pixels: image.rows)
            : space.centred(width: min(space.width, space.height * Double(image.columns) / Double(image.rows)),
                            height: min(space.height, space.width * Double(image.rows) / Double(image.columns)))
        self.image(image, in: rect, map: map)
        for (i, line) in above.enumerated() {
            text(line, at: Point(rect.midX, rect.minY - 3 - Double(above.count - 1 - i) * lineTop),
                 font: topFont, h: .center, v: .bottom)
        }
        for (i, line) in below.enumerated() {
            text(line, at: Point(rect.midX, rect.maxY + 4 + Double(i) * lineBottom), font: font, h: .center, v: .top)
        }
        return rect
    }

    /// Images in a rows x columns grid inside `rect`, all through one colour map, each square and
    /// the same size; `label(i)` (if given) is written small above each cell.
    /// Returns the bounding rect of the drawn grid (labels included).
    @discardableResult
    public func imageGrid(_ images: [ScalarImage], rows: Int, columns: Int, in rect: Rect, map: ColourMap,
                          gap: Double = 2, label: ((Int) -> String)? = nil) -> Rect {
        let pixels = images.first?.rows ?? 1
        let labelFont = Font(size: 8)
        let labelHeight = label == nil ? 0.0 : 10.0
        let cellSide = min((rect.width - gap * Double(columns - 1)) / Double(columns),
                           (rect.height - (gap + labelHeight) * Double(rows - 1) - labelHeight) / Double(rows))
        let side = Rect(x: 0, y: 0, width: cellSide, height: cellSide).pixelSquare(pixels: pixels).width
        let totalW = side * Double(columns) + gap * Double(columns - 1)
        let totalH = (side + labelHeight) * Double(rows) + gap * Double(rows - 1)
        let origin = Point(((rect.midX - totalW / 2) * 2).rounded() / 2, ((rect.midY - totalH / 2) * 2).rounded() / 2)
        for (i, image) in images.enumerated() where i < rows * columns {
            let top = origin.y + Double(i / columns) * (side + gap + labelHeight)
            let cell = Rect(x: origin.x + Double(i % columns) * (side + gap), y: top + labelHeight, width: side, height: side)
            self.image(image, in: cell, map: map, frame: Colour.grey(0.8))
            if let label {
                text(label(i), at: Point(cell.midX, cell.minY - 1.5), font: labelFont, colour: .muted, h: .center, v: .bottom)
            }
        }
        return Rect(x: origin.x, y: origin.y, width: totalW, height: totalH)
    }
}
