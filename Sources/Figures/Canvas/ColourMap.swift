/// Maps a scalar to a colour between fixed limits.
public struct ColourMap: Sendable {
    /// Colour stops at evenly spaced positions from `lower` (first) to `upper` (last).
    public var stops: [Colour]
    public var lower: Double
    public var upper: Double
    public var name: String

    public init(name: String, stops: [Colour], lower: Double, upper: Double) {
        self.name = name; self.stops = stops; self.lower = lower; self.upper = upper
    }

    /// The colour of `value`, clamped to the limits.
    public func colour(_ value: Double) -> Colour {
        guard upper > lower, value.isFinite else { return stops[stops.count / 2] }
        let t = min(1, max(0, (value - lower) / (upper - lower)))
        let position = t * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(position))
        return stops[i].mixed(with: stops[i + 1], position - Double(i))
    }

    /// Blue-white-red with zero at white and limits +-`limit` (so the colour of 0 is exactly white).
    /// Stops from ColorBrewer's RdBu, reversed so negative is blue.
    public static func diverging(limit: Double) -> ColourMap {
        let l = limit > 0 ? limit : 1
        return ColourMap(name: "diverging", stops: [
            Colour(hex: 0x053061), Colour(hex: 0x2166ac), Colour(hex: 0x4393c3), Colour(hex: 0x92c5de),
            Colour(hex: 0xd1e5f0), .white, Colour(hex: 0xfddbc7), Colour(hex: 0xf4a582),
            Colour(hex: 0xd6604d), Colour(hex: 0xb2182b), Colour(hex: 0x67001f),
        ], lower: -l, upper: l)
    }

    /// Diverging map whose symmetric limit is the largest |value| in `values`.
    public static func diverging(fitting values: [Float]) -> ColourMap {
        diverging(limit: Double(values.reduce(0) { max($0, abs($1)) }))
    }

    /// Perceptually uniform sequential map (viridis stops) from `lower` to `upper`.
    public static func sequential(_ lower: Double, _ upper: Double) -> ColourMap {
        ColourMap(name: "sequential", stops: [
            Colour(hex: 0x440154), Colour(hex: 0x482878), Colour(hex: 0x3e4989), Colour(hex: 0x31688e),
            Colour(hex: 0x26828e), Colour(hex: 0x1f9e89), Colour(hex: 0x35b779), Colour(hex: 0x6ece58),
            Colour(hex: 0xb5de2b), Colour(hex: 0xfde725),
        ], lower: lower, upper: upper == lower ? lower + 1 : upper)
    }

    /// Single-hue sequential map, white at `lower` to dark red at `upper`.
    public static func reds(_ lower: Double, _ upper: Double) -> ColourMap {
        ColourMap(name: "reds", stops: [
            .white, Colour(hex: 0xfcbba1), Colour(hex: 0xfb6a4a), Colour(hex: 0xcb181d), Colour(hex: 0x67000d),
        ], lower: lower, upper: upper == lower ? lower + 1 : upper)
    }

    /// Digit rendering: 0 white paper, 1 black ink.
    public static let ink = ColourMap(name: "ink", stops: [.white, .black], lower: 0, upper: 1)

    /// Greys, black at `lower` to white at `upper`.
    public static func greys(_ lower: Double, _ upper: Double) -> ColourMap {
        ColourMap(name: "greys", stops: [.black, .white], lower: lower, upper: upper)
    }
}
