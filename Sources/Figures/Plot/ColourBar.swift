extension Canvas {
    /// A vertical colour bar for `map` in `rect` (the bar itself), ticks and labels on its right,
    /// an optional label rotated alongside. Diverging maps get a tick at 0 (their white).
    public func colourBar(_ map: ColourMap, in rect: Rect, label: String? = nil, maxTicks: Int = 5) {
        let steps = 128
        let colours = (0..<steps).map { i in
            map.colour(map.upper - (Double(i) + 0.5) / Double(steps) * (map.upper - map.lower))
        }
        raster(colours, rows: steps, columns: 1, in: rect)
        stroke(rect, .ink, width: 0.5)
        let scale = AxisScale.fixed(map.lower, map.upper, maxTicks: maxTicks)
        var widest = 0.0
        for (t, text) in zip(scale.ticks, scale.labels) {
            let y = rect.maxY - scale.fraction(t) * rect.height
            line(Point(rect.maxX, y), Point(rect.maxX + 3, y), .ink, width: 0.6)
            self.text(text, at: Point(rect.maxX + 5, y), font: .tick, h: .left, v: .middle)
            widest = max(widest, textWidth(text, .tick))
        }
        if let label {
            text(label, at: Point(rect.maxX + 9 + widest, rect.midY), font: .tick, h: .center, v: .top,
                 rotation: .pi / 2)
        }
    }

    /// A horizontal colour bar in `rect` with tick labels underneath.
    public func horizontalColourBar(_ map: ColourMap, in rect: Rect, label: String? = nil, maxTicks: Int = 5) {
        let steps = 128
        let colours = (0..<steps).map { i in
            map.colour(map.lower + (Double(i) + 0.5) / Double(steps) * (map.upper - map.lower))
        }
        raster(colours, rows: 1, columns: steps, in: rect)
        stroke(rect, .ink, width: 0.5)
        let scale = AxisScale.fixed(map.lower, map.upper, maxTicks: maxTicks)
        for (t, text) in zip(scale.ticks, scale.labels) {
            let x = rect.minX + scale.fraction(t) * rect.width
            line(Point(x, rect.maxY), Point(x, rect.maxY + 3), .ink, width: 0.6)
            self.text(text, at: Point(x, rect.maxY + 5), font: .tick, h: .center, v: .top)
        }
        if let label {
            text(label, at: Point(rect.minX - 6, rect.midY), font: .tick, h: .right, v: .middle)
        }
    }
}
