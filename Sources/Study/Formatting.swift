import Foundation
import Report

/// How numbers read in the report: fixed decimals, percentages, thousands separators.
enum Format {
    static func fixed(_ x: Double, _ digits: Int) -> String {
        let s = String(format: "%.\(digits)f", x)
        return s.hasPrefix("-") && Double(s) == 0 ? String(s.dropFirst()) : s
    }

    static func signed(_ x: Double, _ digits: Int) -> String {
        let s = fixed(x, digits)
        return s.hasPrefix("-") ? "\u{2212}" + s.dropFirst() : "+" + s
    }

    static func percent(_ x: Double, _ digits: Int = 2) -> String { fixed(100 * x, digits) + "%" }

    static func count(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + String(out.reversed())
    }

    static func pValue(_ p: Double) -> String { p < 0.001 ? "< 0.001" : fixed(p, 3) }

    /// "p < 0.001" or "p = 0.026", for running text.
    static func pClause(_ p: Double) -> String { p < 0.001 ? "p < 0.001" : "p = " + fixed(p, 3) }

    static func interval(_ lower: Double?, _ upper: Double?, _ digits: Int = 3) -> String {
        guard let lower, let upper else { return "n/a" }
        return "[\(fixed(lower, digits)), \(fixed(upper, digits))]"
    }

    /// A Float setting as written (1e-4 stays 0.0001).
    static func setting(_ x: Float) -> String { "\(x)" }

    static func plural(_ n: Int, _ word: String) -> String { "\(count(n)) \(word)\(n == 1 ? "" : "s")" }
}

extension JSONValue {
    /// A list of strings.
    static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
}
