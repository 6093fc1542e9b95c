/// A JSON tree whose objects keep their keys in insertion order, so `summary.json` reads in the
/// order the study wrote it and two runs serialise to identical bytes.
///
/// Numbers are `Double`s; see `JSONValue.format(number:)` for the fixed way they are written.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// An empty object, to be filled with `set(_:at:)` or the key subscript.
    public static let emptyObject = JSONValue.object([])

    /// The member named `key` of an object; nil for a missing key or a non-object.
    /// Setting replaces a member in place (keeping its position) or appends a new one;
    /// setting nil removes it. Setting on a non-object turns it into an object.
    public subscript(key: String) -> JSONValue? {
        get {
            guard case .object(let members) = self else { return nil }
            return members.first { $0.key == key }?.value
        }
        set {
            var members: [(key: String, value: JSONValue)] = []
            if case .object(let existing) = self { members = existing }
            let index = members.firstIndex { $0.key == key }
            switch (index, newValue) {
            case let (i?, value?): members[i].value = value
            case let (i?, nil): members.remove(at: i)
            case let (nil, value?): members.append((key, value))
            case (nil, nil): break
            }
            self = .object(members)
        }
    }

    /// The element at `index` of an array; nil when out of range or not an array.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The number, or nil for any other kind.
    public var numberValue: Double? {
        if case .number(let x) = self { return x }
        return nil
    }

    /// The string, or nil for any other kind.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The members of an object in order, or nil for any other kind.
    public var objectMembers: [(key: String, value: JSONValue)]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The elements of an array, or nil for any other kind.
    public var arrayElements: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// Dictionary literals keep their written order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(elements.map { (key: $0.0, value: $0.1) })
    }
}

extension JSONValue {
    /// Numbers as a JSON array.
    public init<S: Sequence>(numbers: S) where S.Element: BinaryFloatingPoint {
        self = .array(numbers.map { .number(Double($0)) })
    }

    /// Integers as a JSON array.
    public init<S: Sequence>(integers: S) where S.Element: BinaryInteger {
        self = .array(integers.map { .number(Double($0)) })
    }
}
