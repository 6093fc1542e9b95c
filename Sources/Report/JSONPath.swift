/// A path into a JSON tree: object keys joined by dots, array indices in brackets, and keys that
/// hold a dot, a bracket or a quote (or are empty) quoted in brackets:
/// `base.per_epoch[3].loss`, `hardening.tables.Both["0.001"][0]`.
public struct JSONPath: Hashable, Comparable, CustomStringConvertible, Sendable {
    public enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component] = []) { self.components = components }

    /// Reads the textual form; nil when it is malformed.
    public init?(_ text: String) {
        guard let components = JSONPath.parse(text) else { return nil }
        self.components = components
    }

    public func appending(_ component: Component) -> JSONPath {
        JSONPath(components + [component])
    }

    public var description: String {
        var out = ""
        for component in components {
            switch component {
            case .index(let i): out += "[\(i)]"
            case .key(let key) where JSONPath.needsQuoting(key): out += "[" + JSONValue.quoted(key) + "]"
            case .key(let key): out += out.isEmpty ? key : "." + key
            }
        }
        return out
    }

    public static func < (lhs: JSONPath, rhs: JSONPath) -> Bool { lhs.description < rhs.description }

    private static func needsQuoting(_ key: String) -> Bool {
        key.isEmpty || key.contains { $0 == "." || $0 == "[" || $0 == "]" || $0 == "\"" }
    }

    private static func parse(_ text: String) -> [Component]? {
        var components: [Component] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.first == "." {
                guard !components.isEmpty else { return nil }
                rest = rest.dropFirst()
            }
            if rest.hasPrefix("[\"") {
                // A quoted key: ["..."], the content is a JSON string literal (escapes honoured).
                let literalStart = rest.index(after: rest.startIndex)
                var i = rest.index(after: literalStart)
                while i < rest.endIndex, rest[i] != "\"" {
                    i = rest.index(i, offsetBy: rest[i] == "\\" ? 2 : 1, limitedBy: rest.endIndex) ?? rest.endIndex
                }
                guard i < rest.endIndex, rest.index(after: i) < rest.endIndex, rest[rest.index(after: i)] == "]",
                    case .string(let key)? = try? JSONValue(parsing: String(rest[literalStart...i]))
                else { return nil }
                components.append(.key(key))
                rest = rest[rest.index(i, offsetBy: 2)...]
            } else if rest.first == "[" {
                guard let close = rest.firstIndex(of: "]"), let i = Int(rest[rest.index(after: rest.startIndex)..<close]), i >= 0
                else { return nil }
                components.append(.index(i))
                rest = rest[rest.index(after: close)...]
            } else {
                let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                guard end != rest.startIndex else { return nil }
                components.append(.key(String(rest[..<end])))
                rest = rest[end...]
            }
        }
        return components
    }
}

extension JSONValue {
    /// The value at `path`, or nil where a key or index is missing.
    public func value(at path: JSONPath) -> JSONValue? {
        var node = self
        for component in path.components {
            switch component {
            case .key(let key): guard let next = node[key] else { return nil }; node = next
            case .index(let i): guard let next = node[i] else { return nil }; node = next
            }
        }
        return node
    }

    /// The value at a textual path such as `base.test_accuracy`; nil if missing or malformed.
    public func value(atPath text: String) -> JSONValue? {
        JSONPath(text).flatMap { value(at: $0) }
    }

    /// Sets the value at `path`, creating objects for missing keys on the way (indices must exist).
    /// Returns false when the path crosses a scalar or names a missing array index.
    @discardableResult
    public mutating func set(_ value: JSONValue, at path: JSONPath) -> Bool {
        guard let first = path.components.first else { self = value; return true }
        let rest = JSONPath(Array(path.components.dropFirst()))
        switch first {
        case .key(let key):
            if case .object = self {} else if case .null = self {} else { return false }
            var child = self[key] ?? .null
            guard child.set(value, at: rest) else { return false }
            self[key] = child
            return true
        case .index(let i):
            guard case .array(var elements) = self, elements.indices.contains(i) else { return false }
            var child = elements[i]
            guard child.set(value, at: rest) else { return false }
            elements[i] = child
            self = .array(elements)
            return true
        }
    }

    /// Every number in the tree by its path (booleans and strings are left out).
    public func flattenedNumbers() -> [JSONPath: Double] {
        var out: [JSONPath: Double] = [:]
        visitLeaves(path: JSONPath()) { path, leaf in
            if case .number(let x) = leaf { out[path] = x }
        }
        return out
    }

    /// Every scalar leaf (number, string, bool, null) by its path; empty containers count as leaves.
    public func flattenedLeaves() -> [JSONPath: JSONValue] {
        var out: [JSONPath: JSONValue] = [:]
        visitLeaves(path: JSONPath()) { out[$0] = $1 }
        return out
    }

    private func visitLeaves(path: JSONPath, _ visit: (JSONPath, JSONValue) -> Void) {
        switch self {
        case .object(let members) where !members.isEmpty:
            for member in members { member.value.visitLeaves(path: path.appending(.key(member.key)), visit) }
        case .array(let elements) where !elements.isEmpty:
            for (i, element) in elements.enumerated() { element.visitLeaves(path: path.appending(.index(i)), visit) }
        default:
            visit(path, self)
        }
    }
}
