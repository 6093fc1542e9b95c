import Foundation
import Formatting

/// What changed between two summaries and two manifests, as DVC's `metrics diff` shows it:
/// every changed number (old, new, delta), every added or removed value, every changed file.
public struct SummaryDiff: Equatable {
    public struct NumberChange: Equatable {
        public let path: JSONPath
        public let old: Double
        public let new: Double
        public var delta: Double { new - old }
    }

    /// A value present on one side only, or a non-numeric value that changed.
    public struct ValueChange: Equatable {
        public let path: JSONPath
        public let old: JSONValue?
        public let new: JSONValue?
    }

    public struct FileChanges: Equatable {
        public var changed: [String] = []
        public var added: [String] = []
        public var removed: [String] = []
        public var isEmpty: Bool { changed.isEmpty && added.isEmpty && removed.isEmpty }
    }

    public private(set) var numbers: [NumberChange] = []
    public private(set) var values: [ValueChange] = []
    public private(set) var files = FileChanges()
    public private(set) var settingsHashChanged = false

    /// Compares two summaries; paths in sorted order.
    public init(old: JSONValue, new: JSONValue) {
        let before = old.flattenedLeaves(), after = new.flattenedLeaves()
        for path in Set(before.keys).union(after.keys).sorted() {
            switch (before[path], after[path]) {
            case let (.number(a)?, .number(b)?):
                if a != b { numbers.append(NumberChange(path: path, old: a, new: b)) }
            case let (a, b):
                if a != b { values.append(ValueChange(path: path, old: a, new: b)) }
            }
        }
    }

    /// Adds the file differences of two manifests.
    public mutating func compare(oldManifest: Manifest, newManifest: Manifest) {
        let before = Dictionary(uniqueKeysWithValues: oldManifest.entries.map { ($0.path, $0.sha256) })
        let after = Dictionary(uniqueKeysWithValues: newManifest.entries.map { ($0.path, $0.sha256) })
        let paths = Set(before.keys).union(after.keys).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for path in paths {
            switch (before[path], after[path]) {
            case let (a?, b?) where a != b: files.changed.append(path)
            case (nil, _?): files.added.append(path)
            case (_?, nil): files.removed.append(path)
            default: break
            }
        }
        settingsHashChanged = oldManifest.settingsHash != newManifest.settingsHash
    }

    public var isEmpty: Bool { numbers.isEmpty && values.isEmpty && files.isEmpty && !settingsHashChanged }

    /// Aligned text tables: numbers (path, old, new, delta), other values, files.
    public var rendered: String {
        if isEmpty { return "no differences\n" }
        var sections: [String] = []
        if !numbers.isEmpty {
            var table = TextTable(header: ["path", "old", "new", "delta"], rightAligned: [1, 2, 3])
            for change in numbers {
                table.append([change.path.description, JSONValue.format(number: change.old),
                              JSONValue.format(number: change.new), SummaryDiff.signed(change.delta)])
            }
            sections.append(table.rendered)
        }
        if !values.isEmpty {
            var table = TextTable(header: ["path", "old", "new"])
            for change in values {
                table.append([change.path.description, SummaryDiff.show(change.old), SummaryDiff.show(change.new)])
            }
            sections.append(table.rendered)
        }
        if !files.isEmpty || settingsHashChanged {
            var table = TextTable(header: ["file", "change"])
            if settingsHashChanged { table.append(["(settings hash)", "changed"]) }
            for path in files.changed { table.append([path, "changed"]) }
            for path in files.added { table.append([path, "added"]) }
            for path in files.removed { table.append([path, "removed"]) }
            sections.append(table.rendered)
        }
        return sections.joined(separator: "\n")
    }

    /// The delta with an explicit sign; differences of decimals are rounded to 12 significant
    /// digits so 0.3 - 0.1 shows as 0.2, not 0.19999999999999998.
    static func signed(_ x: Double) -> String {
        let rounded = Double(Format.significant(x, 12)) ?? x
        let text = JSONValue.format(number: rounded)
        return rounded > 0 ? "+" + text : text
    }

    private static func show(_ value: JSONValue?) -> String {
        guard let value else { return "(absent)" }
        return ((try? value.serialised()) ?? "?").split(separator: "\n").joined(separator: " ")
    }
}
