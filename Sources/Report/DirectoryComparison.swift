import Foundation

/// The differences between a freshly generated folder and the committed one (`--check`).
public struct DirectoryComparison: Equatable {
    /// In both, with different bytes.
    public let differing: [String]
    /// In the committed folder only.
    public let missing: [String]
    /// In the fresh folder only.
    public let extra: [String]

    /// Compares every file under `expected` (the committed `out/`) with `actual` (the fresh run).
    public init(expected: URL, actual: URL) throws {
        let before = try FileTree.relativeFilePaths(under: expected)
        let after = try FileTree.relativeFilePaths(under: actual)
        let afterSet = Set(after), beforeSet = Set(before)
        missing = before.filter { !afterSet.contains($0) }
        extra = after.filter { !beforeSet.contains($0) }
        differing = try before.filter { afterSet.contains($0) }.filter { path in
            try FileTree.bytes(of: expected.appendingPathComponent(path)) != FileTree.bytes(of: actual.appendingPathComponent(path))
        }
    }

    public var isIdentical: Bool { differing.isEmpty && missing.isEmpty && extra.isEmpty }

    /// One line per difference (`differs`, `missing`, `extra`), or a line saying all match.
    public var rendered: String {
        if isIdentical { return "identical\n" }
        var table = TextTable(header: ["file", "difference"])
        for path in differing { table.append([path, "differs"]) }
        for path in missing { table.append([path, "missing from the new run"]) }
        for path in extra { table.append([path, "new in this run"]) }
        return table.rendered
    }
}
