import Mustache

/// Which context keys a render asked for and which it found, to catch a variable the context lacks.
final class LookupLog {
    var asked = Set<String>()
    var found = Set<String>()
}

/// A JSON object as the renderer sees it: members looked up by name, every lookup logged.
/// Arrays become Swift arrays (Mustache sequences), numbers their JSON text, strings and
/// booleans themselves, null an explicitly empty value.
final class ContextNode: MustacheParent {
    private let members: [String: Any]
    private let nullKeys: Set<String>
    private let log: LookupLog

    init(_ members: [(key: String, value: JSONValue)], log: LookupLog) {
        var converted: [String: Any] = [:]
        var nulls = Set<String>()
        for member in members {
            if let value = ContextNode.convert(member.value, log: log) {
                converted[member.key] = value
            } else {
                nulls.insert(member.key)
            }
        }
        self.members = converted
        self.nullKeys = nulls
        self.log = log
    }

    func child(named name: String) -> Any? {
        log.asked.insert(name)
        if members[name] != nil || nullKeys.contains(name) { log.found.insert(name) }
        return members[name]
    }

    /// The renderer's value for a JSON value; nil for null.
    static func convert(_ value: JSONValue, log: LookupLog) -> Any? {
        switch value {
        case .null: return nil
        case .bool(let b): return b
        case .number(let x): return x.isFinite ? JSONValue.format(number: x) : x.description
        case .string(let s): return s
        case .array(let elements): return elements.map { convert($0, log: log) ?? "" } as [Any]
        case .object(let members): return ContextNode(members, log: log)
        }
    }
}
