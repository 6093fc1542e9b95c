/// A point in the canvas's coordinate system (points, origin top left, y down).
public struct Point: Equatable, Sendable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
}

/// An axis-aligned rectangle in points; the layout helpers carve figures out of these.
public struct Rect: Equatable, Sendable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }

    public var minX: Double { x }
    public var maxX: Double { x + width }
    public var minY: Double { y }
    public var maxY: Double { y + height }
    public var midX: Double { x + width / 2 }
    public var midY: Double { y + height / 2 }
    public var center: Point { Point(midX, midY) }

    /// The rectangle shrunk by the given margins.
    public func inset(top: Double = 0, left: Double = 0, bottom: Double = 0, right: Double = 0) -> Rect {
        Rect(x: x + left, y: y + top, width: max(0, width - left - right), height: max(0, height - top - bottom))
    }

    /// The rectangle shrunk by `all` on every side.
    public func inset(_ all: Double) -> Rect { inset(top: all, left: all, bottom: all, right: all) }

    /// Splits off a band of `height` at the top: (band, rest).
    public func splitTop(_ band: Double, gap: Double = 0) -> (Rect, Rect) {
        (Rect(x: x, y: y, width: width, height: band), inset(top: band + gap))
    }

    /// Splits off a band of `height` at the bottom: (rest, band).
    public func splitBottom(_ band: Double, gap: Double = 0) -> (Rect, Rect) {
        (inset(bottom: band + gap), Rect(x: x, y: maxY - band, width: width, height: band))
    }

    /// Splits off a column of `width` at the right: (rest, column).
    public func splitRight(_ column: Double, gap: Double = 0) -> (Rect, Rect) {
        (inset(right: column + gap), Rect(x: maxX - column, y: y, width: column, height: height))
    }

    /// Splits off a column of `width` at the left: (column, rest).
    public func splitLeft(_ column: Double, gap: Double = 0) -> (Rect, Rect) {
        (Rect(x: x, y: y, width: column, height: height), inset(left: column + gap))
    }

    /// Equal cells in `rows` x `columns`, row-major, separated by gaps.
    public func grid(rows: Int, columns: Int, hGap: Double = 0, vGap: Double = 0) -> [[Rect]] {
        let cellW = (width - hGap * Double(columns - 1)) / Double(columns)
        let cellH = (height - vGap * Double(rows - 1)) / Double(rows)
        return (0..<rows).map { r in
            (0..<columns).map { c in
                Rect(x: x + Double(c) * (cellW + hGap), y: y + Double(r) * (cellH + vGap), width: cellW, height: cellH)
            }
        }
    }

    /// Columns of the given relative weights, separated by `gap`.
    public func columns(weights: [Double], gap: Double = 0) -> [Rect] {
        let total = weights.reduce(0, +)
        let free = width - gap * Double(weights.count - 1)
        var left = x
        return weights.map { w in
            let cell = Rect(x: left, y: y, width: free * w / total, height: height)
            left += cell.width + gap
            return cell
        }
    }

    /// Rows of the given relative weights, separated by `gap`.
    public func rows(weights: [Double], gap: Double = 0) -> [Rect] {
        let total = weights.reduce(0, +)
        let free = height - gap * Double(weights.count - 1)
        var top = y
        return weights.map { w in
            let cell = Rect(x: x, y: top, width: width, height: free * w / total)
            top += cell.height + gap
            return cell
        }
    }

    /// The largest centred square inside the rectangle.
    public var centredSquare: Rect {
        let side = min(width, height)
        return Rect(x: midX - side / 2, y: midY - side / 2, width: side, height: side)
    }

    /// A rectangle of the given size centred in this one.
    public func centred(width w: Double, height h: Double) -> Rect {
        Rect(x: midX - w / 2, y: midY - h / 2, width: w, height: h)
    }
}
