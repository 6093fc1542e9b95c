/// A plot area with its x and y scales: maps data to canvas points and draws the frame,
/// ticks, grid lines and axis labels.
public struct Axes {
    /// The plot area (data region) on the canvas.
    public var frame: Rect
    public var x: AxisScale
    public var y: AxisScale

    public init(frame: Rect, x: AxisScale, y: AxisScale) {
        self.frame = frame; self.x = x; self.y = y
    }

    /// Space an axes panel needs around its data region for ticks, labels and a title.
    public static let margins = (top: 22.0, left: 50.0, bottom: 38.0, right: 14.0)

    /// Axes whose data region is `panel` minus the standard margins.
    public init(panel: Rect, x: AxisScale, y: AxisScale) {
        let m = Axes.margins
        self.init(frame: panel.inset(top: m.top, left: m.left, bottom: m.bottom, right: m.right), x: x, y: y)
    }

    public func px(_ value: Double) -> Double { frame.minX + x.fraction(value) * frame.width }
    public func py(_ value: Double) -> Double { frame.maxY - y.fraction(value) * frame.height }
    public func point(_ vx: Double, _ vy: Double) -> Point { Point(px(vx), py(vy)) }

    /// Light horizontal grid lines at the y ticks; draw before the data.
    public func grid(on canvas: Canvas) {
        for t in y.ticks { canvas.line(Point(frame.minX, py(t)), Point(frame.maxX, py(t)), Colour.grey(0.88), width: 0.5) }
    }

    /// Draws frame, ticks, tick labels, axis labels and a panel title above the frame; draw after the data.
    public func draw(on canvas: Canvas, title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
                     xTickRotation: Double = 0) {
        canvas.polyline([Point(frame.minX, frame.minY), Point(frame.minX, frame.maxY), Point(frame.maxX, frame.maxY)],
                        .ink, width: 0.8)
        for (t, label) in zip(x.ticks, x.labels) {
            let p = px(t)
            canvas.line(Point(p, frame.maxY), Point(p, frame.maxY + 3), .ink, width: 0.8)
            if xTickRotation == 0 {
                canvas.text(label, at: Point(p, frame.maxY + 5), font: .tick, h: .center, v: .top)
            } else {
                canvas.text(label, at: Point(p + 3, frame.maxY + 5), font: .tick, h: .right, v: .middle,
                            rotation: xTickRotation)
            }
        }
        var widest = 0.0
        for (t, label) in zip(y.ticks, y.labels) {
            let p = py(t)
            canvas.line(Point(frame.minX - 3, p), Point(frame.minX, p), .ink, width: 0.8)
            canvas.text(label, at: Point(frame.minX - 5, p), font: .tick, h: .right, v: .middle)
            widest = max(widest, canvas.textWidth(label, .tick))
        }
        if let xLabel {
            canvas.text(xLabel, at: Point(frame.midX, frame.maxY + 20), font: .label, h: .center, v: .top)
        }
        if let yLabel {
            // shrink a long label to the frame's height (plus the top margin) rather than clip it
            let room = frame.height + Axes.margins.top
            let natural = canvas.textWidth(yLabel, .label)
            let font = natural > room ? Font(size: max(8, Font.label.size * room / natural)) : .label
            canvas.text(yLabel, at: Point(frame.minX - widest - 9, frame.midY), font: font, h: .center,
                        v: .bottom, rotation: .pi / 2)
        }
        if let title {
            canvas.text(title, at: Point(frame.minX, frame.minY - 7), font: .title, h: .left, v: .baseline)
        }
    }
}

extension Canvas {
    /// A legend box of colour swatches and names, anchored at its top-left or top-right corner.
    public func legend(_ entries: [(String, Colour)], at corner: Point, alignRight: Bool = false,
                       dashed: Set<Int> = []) {
        let rowHeight = 13.0, swatch = 16.0
        let textW = entries.map { textWidth($0.0, .tick) }.max() ?? 0
        let boxW = swatch + 6 + textW + 10
        let box = Rect(x: alignRight ? corner.x - boxW : corner.x, y: corner.y, width: boxW,
                       height: Double(entries.count) * rowHeight + 6)
        fill(box, Colour.white.withAlpha(0.85))
        stroke(box, .rule, width: 0.5)
        for (i, (name, colour)) in entries.enumerated() {
            let y = box.minY + 3 + (Double(i) + 0.5) * rowHeight
            line(Point(box.minX + 5, y), Point(box.minX + 5 + swatch, y), colour, width: 2,
                 dash: dashed.contains(i) ? [4, 2] : [])
            text(name, at: Point(box.minX + 5 + swatch + 5, y), font: .tick, h: .left, v: .middle)
        }
    }
}
