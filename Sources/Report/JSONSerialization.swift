/// A JSON value that cannot be written, with the dotted path where it sits.
public struct JSONWriteError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let value: Double
    public var description: String {
        "JSON cannot hold the non-finite number \(value) at '\(path.isEmpty ? "(root)" : path)'"
    }
}

extension JSONValue {
    /// The deterministic text of this value:
    /// - 2-space indentation, `"key": value`, one member per line, keys in insertion order;
    /// - an array of scalars (numbers, strings, booleans, null) on one line as `[1, 2, 3]`,
    ///   an array holding objects or arrays one element per line; empty containers as `[]`, `{}`;
    /// - numbers by `format(number:)`; strings as UTF-8 with `"` `\` and control characters escaped;
    /// - a final newline.
    /// Throws `JSONWriteError` for NaN or infinity, naming its path.
    public func serialised() throws -> String {
        var out = ""
        try write(into: &out, indent: 0, path: "")
        out += "\n"
        return out
    }

    /// `serialised()` as UTF-8 bytes.
    public func serialisedBytes() throws -> [UInt8] {
        Array(try serialised().utf8)
    }

    /// The fixed number format: an integral value of magnitude below 2^53 as an integer
    /// (`3`, `-12`, `0` also for -0); anything else as the shortest decimal that reads back to the
    /// same `Double` (Swift's `description`: `0.1`, `1e-05`, `1.5e+20`). NaN and infinity are
    /// rejected by `serialised()` before they get here.
    public static func format(number x: Double) -> String {
        if x == x.rounded(), abs(x) < 9_007_199_254_740_992 {
            return String(Int64(x))
        }
        return x.description
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    private func write(into out: inout String, indent: Int, path: String) throws {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let x):
            guard x.isFinite else { throw JSONWriteError(path: path, value: x) }
            out += JSONValue.format(number: x)
        case .string(let s): out += JSONValue.quoted(s)
        case .array(let elements):
            try writeArray(elements, into: &out, indent: indent, path: path)
        case .object(let members):
            try writeObject(members, into: &out, indent: indent, path: path)
        }
    }

    private func writeArray(_ elements: [JSONValue], into out: inout String, indent: Int, path: String) throws {
        if elements.isEmpty { out += "[]"; return }
        if elements.allSatisfy(\.isScalar) {
            out += "["
            for (i, element) in elements.enumerated() {
                if i > 0 { out += ", " }
                try element.write(into: &out, indent: indent, path: "\(path)[\(i)]")
            }
            out += "]"
            return
        }
        let pad = String(repeating: " ", count: indent + 2)
        out += "[\n"
        for (i, element) in elements.enumerated() {
            out += pad
            try element.write(into: &out, indent: indent + 2, path: "\(path)[\(i)]")
            out += i + 1 < elements.count ? ",\n" : "\n"
        }
        out += String(repeating: " ", count: indent) + "]"
    }

    private func writeObject(
        _ members: [(key: String, value: JSONValue)], into out: inout String, indent: Int, path: String
    ) throws {
        if members.isEmpty { out += "{}"; return }
        let pad = String(repeating: " ", count: indent + 2)
        out += "{\n"
        for (i, member) in members.enumerated() {
            out += pad + JSONValue.quoted(member.key) + ": "
            let childPath = path.isEmpty ? member.key : path + "." + member.key
            try member.value.write(into: &out, indent: indent + 2, path: childPath)
            out += i + 1 < members.count ? ",\n" : "\n"
        }
        out += String(repeating: " ", count: indent) + "}"
    }

    /// `s` as a JSON string literal.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
