import Formatting
import Report

/// Study's presentation files write numbers with the package's one formatter (Formatting.Format:
/// fixed decimals with "-", signed values with U+2212, percentages, thousands separators).
typealias Format = Formatting.Format

extension JSONValue {
    /// A list of strings.
    static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
}
