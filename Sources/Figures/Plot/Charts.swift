/// Counts of values in equal-width bins from `lower` to `upper` (last bin closed).
public struct Histogram: Equatable, Sendable {
    public var lower: Double
    public var upper: Double
    public var counts: [Int]

    public init(_ values: [Double], bins: Int, lower: Double? = nil, upper: Double? = nil) {
        let lo = lower ?? values.min() ?? 0
        var hi = upper ?? values.max() ?? 1
        if hi <= lo { hi = lo + 1 }
        self.lower = lo; self.upper = hi
        var counts = [Int](repeating: 0, count: max(1, bins))
        for v in values where v >= lo && v <= hi {
            // bin = floor((v - lo) / width), the upper edge falling into the last bin
            counts[min(counts.count - 1, Int((v - lo) / (hi - lo) * Double(counts.count)))] += 1
        }
        self.counts = counts
    }

    public var binWidth: Double { (upper - lower) / Double(counts.count) }
    public func edge(_ i: Int) -> Double { lower + Double(i) * binWidth }
}

extension Canvas {
    /// Vertical bars at x = 0, 1, ... (or `positions`) from `base` to each value.
    public func bars(_ values: [Double], on axes: Axes, colour: Colour, width: Double = 0.8,
                     positions: [Double]? = nil, base: Double = 0) {
        for (i, v) in values.enumerated() {
            let centre = positions?[i] ?? Double(i)
            let x0 = axes.px(centre - width / 2), x1 = axes.px(centre + width / 2)
            let y0 = axes.py(base), y1 = axes.py(v)
            fill(Rect(x: x0, y: min(y0, y1), width: x1 - x0, height: abs(y1 - y0)), colour)
        }
    }

    /// A histogram as touching bars with thin white separators.
    public func histogram(_ h: Histogram, on axes: Axes, colour: Colour) {
        for (i, count) in h.counts.enumerated() where count > 0 {
            let x0 = axes.px(h.edge(i)), x1 = axes.px(h.edge(i + 1))
            let y0 = axes.py(0), y1 = axes.py(Double(count))
            let bar = Rect(x: x0, y: y1, width: x1 - x0, height: y0 - y1)
            fill(bar, colour)
            stroke(bar, .white, width: 0.5)
        }
    }

    /// A line through (xs[i], ys[i]) with an optional shaded band [lower, upper] and markers.
    public func series(xs: [Double], ys: [Double], on axes: Axes, colour: Colour, width: Double = 1.6,
                       band: (lower: [Double], upper: [Double])? = nil, markers: Bool = false,
                       dash: [Double] = []) {
        if let band, !xs.isEmpty {
            let top = zip(xs, band.upper).map { axes.point($0, $1) }
            let bottom = zip(xs, band.lower).reversed().map { axes.point($0, $1) }
            polygon(top + bottom, fill: colour.withAlpha(0.18), stroke: nil)
        }
        let points = zip(xs, ys).map { axes.point($0, $1) }
        clipped(to: axes.frame.inset(-2)) {
            polyline(points, colour, width: width, dash: dash)
            if markers { for p in points { circle(p, radius: 2.2, fill: colour, stroke: nil) } }
        }
    }

    /// A vertical error bar from `lower` to `upper` at x, with caps and a dot at `centre`.
    public func errorBar(x: Double, centre: Double, lower: Double, upper: Double, on axes: Axes,
                         colour: Colour, cap: Double = 3) {
        let px = axes.px(x)
        line(Point(px, axes.py(lower)), Point(px, axes.py(upper)), colour, width: 1.2)
        line(Point(px - cap, axes.py(lower)), Point(px + cap, axes.py(lower)), colour, width: 1.2)
        line(Point(px - cap, axes.py(upper)), Point(px + cap, axes.py(upper)), colour, width: 1.2)
        circle(axes.point(x, centre), radius: 3, fill: colour, stroke: .white, width: 0.6)
    }

    /// A horizontal reference line across the plot area with a small label at its right end.
    public func referenceLine(y: Double, on axes: Axes, label: String?, colour: Colour = .muted) {
        let p = axes.py(y)
        line(Point(axes.frame.minX, p), Point(axes.frame.maxX, p), colour, width: 0.9, dash: [4, 3])
        if let label {
            text(label, at: Point(axes.frame.maxX - 3, p - 3), font: .tick, colour: colour, h: .right, v: .bottom)
        }
    }

    /// A vertical reference line across the plot area with a label near its top.
    public func referenceLine(x: Double, on axes: Axes, label: String?, colour: Colour = .muted) {
        let p = axes.px(x)
        line(Point(p, axes.frame.minY), Point(p, axes.frame.maxY), colour, width: 0.9, dash: [4, 3])
        if let label {
            text(label, at: Point(p + 3, axes.frame.minY + 3), font: .tick, colour: colour, h: .left, v: .top)
        }
    }
}
