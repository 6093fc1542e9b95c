// Formatting: how numbers read in the report, the figures, the progress line and the benchmark,
// written once. It sits at the bottom of the graph and imports only Foundation (for printf's
// formats, which never depend on the locale).
import Foundation

/// How numbers are written: fixed decimals, significant digits, percentages, thousands
/// separators, p-values and intervals. A negative sign is the ASCII hyphen-minus by default (the
/// report's text and tables); figures ask for the typographic minus U+2212 (`minus: .typographic`).
/// Nothing prints "-0": a value that rounds to zero is written without a sign.
public enum Format {
    /// The character a negative number starts with.
    public enum Minus: Sendable {
        /// "-" (U+002D).
        case hyphen
        /// "−" (U+2212), as typeset.
        case typographic
    }

    /// `x` with `digits` decimals ("%.{digits}f"), e.g. fixed(-0.004, 2) = "0.00", fixed(-1.5, 1) = "-1.5".
    public static func fixed(_ x: Double, _ digits: Int, minus: Minus = .hyphen) -> String {
        let s = String(format: "%.\(digits)f", x)
        return s.hasPrefix("-") && Double(s) == 0 ? String(s.dropFirst()) : sign(s, minus)
    }

    /// `x` with an explicit sign: "+0.12" or "−0.12" (always the typographic minus).
    public static func signed(_ x: Double, _ digits: Int) -> String {
        let s = fixed(x, digits)
        return s.hasPrefix("-") ? "\u{2212}" + s.dropFirst() : "+" + s
    }

    /// A fraction as a percentage with `digits` decimals (2 by default), e.g. 0.9912 -> "99.12%".
    public static func percent(_ fraction: Double, _ digits: Int = 2, minus: Minus = .hyphen) -> String {
        fixed(100 * fraction, digits, minus: minus) + "%"
    }

    /// `x` with `digits` significant digits ("%.{digits}g"), e.g. significant(0.0123456, 3) = "0.0123".
    public static func significant(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)g", x) }

    /// `x` in exponent notation with `digits` decimals ("%.{digits}e"), e.g. scientific(1e7, 0) = "1e+07".
    public static func scientific(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)e", x) }

    /// An integer with thousands separators, e.g. 105506 -> "105,506".
    public static func count(_ n: Int, minus: Minus = .hyphen) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? sign("-" + out, minus) : out
    }

    /// "12 runs", "1 run" (the count with thousands separators).
    public static func plural(_ n: Int, _ word: String) -> String { "\(count(n)) \(word)\(n == 1 ? "" : "s")" }

    /// A p-value for a table: "< 0.001" or three decimals.
    public static func pValue(_ p: Double) -> String { p < 0.001 ? "< 0.001" : fixed(p, 3) }

    /// "p < 0.001" or "p = 0.026", for running text.
    public static func pClause(_ p: Double) -> String { p < 0.001 ? "p < 0.001" : "p = " + fixed(p, 3) }

    /// "[0.123, 0.456]", or "n/a" when either end is missing.
    public static func interval(_ lower: Double?, _ upper: Double?, _ digits: Int = 3) -> String {
        guard let lower, let upper else { return "n/a" }
        return "[\(fixed(lower, digits)), \(fixed(upper, digits))]"
    }

    /// A Float setting as written (1e-4 stays 0.0001).
    public static func setting(_ x: Float) -> String { "\(x)" }

    /// `text` right-aligned in `width` characters, filled on the left with `fill` (e.g. padded("7", 3) = "  7").
    public static func padded(_ text: String, _ width: Int, fill: Character = " ") -> String {
        text.count >= width ? text : String(repeating: fill, count: width - text.count) + text
    }

    /// A duration: "12.3 s" under 90 seconds, "4m05s" from there.
    public static func duration(_ seconds: Double) -> String {
        seconds < 90 ? fixed(seconds, 1) + " s"
            : "\(Int(seconds) / 60)m" + padded("\(Int(seconds) % 60)", 2, fill: "0") + "s"
    }

    private static func sign(_ s: String, _ minus: Minus) -> String {
        minus == .typographic && s.hasPrefix("-") ? "\u{2212}" + s.dropFirst() : s
    }
}
