/// An sRGB colour with components in [0, 1].
public struct Colour: Equatable, Sendable {
    public var red: Double
    public var green: Double
    public var blue: Double
    public var alpha: Double

    public init(_ red: Double, _ green: Double, _ blue: Double, alpha: Double = 1) {
        self.red = red; self.green = green; self.blue = blue; self.alpha = alpha
    }

    /// A colour from a 24-bit hex literal such as 0x1f77b4.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(Double((hex >> 16) & 0xff) / 255, Double((hex >> 8) & 0xff) / 255,
                  Double(hex & 0xff) / 255, alpha: alpha)
    }

    /// A grey with the given lightness (0 black, 1 white).
    public static func grey(_ level: Double) -> Colour { Colour(level, level, level) }

    public func withAlpha(_ a: Double) -> Colour { Colour(red, green, blue, alpha: a) }

    /// Linear blend: self at t = 0, other at t = 1.
    public func mixed(with other: Colour, _ t: Double) -> Colour {
        Colour(red + (other.red - red) * t, green + (other.green - green) * t,
               blue + (other.blue - blue) * t, alpha: alpha + (other.alpha - alpha) * t)
    }

    public static let black = Colour(0, 0, 0)
    public static let white = Colour(1, 1, 1)
    public static let ink = Colour(hex: 0x222222)
    public static let muted = Colour(hex: 0x666666)
    public static let rule = Colour(hex: 0xbbbbbb)
    public static let highlight = Colour(hex: 0xe69f00)

    /// Okabe-Ito colour-blind-safe palette for series (order matters: control first).
    public static let series: [Colour] = [
        Colour(hex: 0x0072b2), Colour(hex: 0xd55e00), Colour(hex: 0x009e73), Colour(hex: 0xcc79a7),
        Colour(hex: 0xe69f00), Colour(hex: 0x56b4e9), Colour(hex: 0x000000), Colour(hex: 0xf0e442),
    ]

    /// The i-th series colour, cycling.
    public static func series(_ i: Int) -> Colour { series[i % series.count] }
}
