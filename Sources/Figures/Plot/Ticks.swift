import Foundation
import Formatting

/// An axis range with "nice" tick positions (multiples of 1, 2 or 5 times a power of ten;
/// Heckbert, Graphics Gems 1990) and their labels.
public struct AxisScale: Equatable, Sendable {
    public var lower: Double
    public var upper: Double
    public var ticks: [Double]
    public var labels: [String]

    public init(lower: Double, upper: Double, ticks: [Double], labels: [String]) {
        self.lower = lower; self.upper = upper; self.ticks = ticks; self.labels = labels
    }

    /// A scale covering [min, max] whose limits are extended outward to the nearest ticks.
    /// `maxTicks` bounds how many ticks appear (about 4-7 reads well).
    /// `minStep` keeps counts (epochs, units) on whole numbers.
    public static func nice(_ min: Double, _ max: Double, maxTicks: Int = 6, minStep: Double = 0) -> AxisScale {
        var (lo, hi) = (min, max)
        if !(lo.isFinite && hi.isFinite) { (lo, hi) = (0, 1) }
        if hi < lo { swap(&lo, &hi) }
        if hi == lo { (lo, hi) = lo == 0 ? (0, 1) : (lo - abs(lo) * 0.5, hi + abs(hi) * 0.5) }
        let step = Swift.max(minStep, niceStep(hi - lo, maxTicks: maxTicks))
        let first = (lo / step).rounded(.down), last = (hi / step).rounded(.up)
        let ticks = stride(from: first, through: last + 0.5, by: 1).map { $0 * step }
        return AxisScale(lower: first * step, upper: last * step, ticks: ticks,
                         labels: ticks.map { tickLabel($0, step: step) })
    }

    /// A scale with fixed limits and nice ticks inside them (e.g. accuracy in [0, 1]).
    /// If the nice step leaves fewer than 3 ticks inside the limits (e.g. +-0.47 with step 0.5),
    /// finer steps are tried so that a colour bar always shows its scale, not just its zero.
    public static func fixed(_ lower: Double, _ upper: Double, maxTicks: Int = 6) -> AxisScale {
        var allowed = maxTicks, step = 1.0, ticks: [Double] = []
        repeat {
            step = niceStep(upper - lower, maxTicks: allowed)
            let first = (lower / step - 1e-9).rounded(.up), last = (upper / step + 1e-9).rounded(.down)
            ticks = first <= last ? stride(from: first, through: last, by: 1).map { $0 * step } : []
            allowed += 1
        } while ticks.count < 3 && allowed <= 3 * maxTicks
        return AxisScale(lower: lower, upper: upper, ticks: ticks, labels: ticks.map { tickLabel($0, step: step) })
    }

    /// Categories 0..<count centred on integer positions, labelled by `names`.
    public static func categories(_ names: [String]) -> AxisScale {
        AxisScale(lower: -0.5, upper: Double(names.count) - 0.5,
                  ticks: names.indices.map(Double.init), labels: names)
    }

    /// The smallest step in {1, 2, 5} x 10^k giving at most `maxTicks` ticks over `span`.
    public static func niceStep(_ span: Double, maxTicks: Int) -> Double {
        let rough = span / Double(max(1, maxTicks - 1))
        let magnitude = pow(10, (log10(rough)).rounded(.down))
        for m in [1.0, 2, 2.5, 5, 10] where m * magnitude >= rough * (1 - 1e-9) {
            if m == 2.5 && magnitude < 1 { continue }  // 0.25 steps need an extra digit; prefer 0.5
            return m * magnitude
        }
        return 10 * magnitude
    }

    /// A tick label with just enough decimals that every multiple of `step` reads exactly
    /// (2.5 needs one, 0.25 two; no "-0").
    public static func tickLabel(_ value: Double, step: Double) -> String {
        var decimals = 0
        while decimals < 6 {
            let scaled = step * pow(10, Double(decimals))
            if abs(scaled - scaled.rounded()) <= 1e-6 * max(1, scaled) { break }
            decimals += 1
        }
        let clean = abs(value) < step * 1e-6 ? 0 : value
        return Format.fixed(clean, decimals, minus: .typographic)
    }

    /// Fraction of the way from lower to upper.
    public func fraction(_ value: Double) -> Double {
        upper == lower ? 0.5 : (value - lower) / (upper - lower)
    }
}
