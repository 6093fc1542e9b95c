import Foundation

extension Canvas {
    /// A straight arrow from `a` to `b` with a filled head at `b`; `inset` shortens both ends
    /// (e.g. by node radii) so the arrow touches, not overlaps, its nodes.
    public func arrow(_ a: Point, _ b: Point, colour: Colour = .ink, width: Double = 1,
                      head: Double = 6, insetStart: Double = 0, insetEnd: Double = 0) {
        let dx = b.x - a.x, dy = b.y - a.y
        let length = (dx * dx + dy * dy).squareRoot()
        guard length > insetStart + insetEnd + 1e-9 else { return }
        let ux = dx / length, uy = dy / length
        let start = Point(a.x + ux * insetStart, a.y + uy * insetStart)
        let tip = Point(b.x - ux * insetEnd, b.y - uy * insetEnd)
        let base = Point(tip.x - ux * head, tip.y - uy * head)
        line(start, base, colour, width: width)
        let half = head * 0.38
        polygon([tip, Point(base.x - uy * half, base.y + ux * half), Point(base.x + uy * half, base.y - ux * half)],
                fill: colour, stroke: nil)
    }

    /// A circular node with a maths label in the middle.
    public func node(_ centre: Point, radius: Double, label: String? = nil, fill: Colour = .white,
                     stroke: Colour = .ink, labelSize: Double = 12) {
        circle(centre, radius: radius, fill: fill, stroke: stroke, width: 1.1)
        if let label { math(label, at: centre, size: labelSize) }
    }

    /// A rounded box with one or more centred lines of text.
    public func box(_ rect: Rect, lines: [String], fill: Colour = Colour(hex: 0xf2f2f2), stroke: Colour = .ink,
                    font: Font = .label) {
        roundedRect(rect, radius: 4, fill: fill, stroke: stroke, width: 1)
        let lineHeight = font.size * 1.25
        let top = rect.midY - lineHeight * Double(lines.count) / 2
        for (i, line) in lines.enumerated() {
            text(line, at: Point(rect.midX, top + lineHeight * (Double(i) + 0.5)), font: font, h: .center, v: .middle)
        }
    }

    /// A right-pointing curly-free bracket label: a thin line under a span with centred text.
    public func spanLabel(from x0: Double, to x1: Double, y: Double, text label: String, font: Font = .tick) {
        line(Point(x0, y), Point(x1, y), .muted, width: 0.7)
        line(Point(x0, y - 3), Point(x0, y + 3), .muted, width: 0.7)
        line(Point(x1, y - 3), Point(x1, y + 3), .muted, width: 0.7)
        text(label, at: Point((x0 + x1) / 2, y + 4), font: font, colour: .muted, h: .center, v: .top)
    }
}
