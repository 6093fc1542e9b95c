// CodeDigestTool ROOT OUTPUT FILE... : writes OUTPUT, a Swift file holding the SHA-256 of each FILE
// (paths relative to ROOT). Run by Plugins/CodeDigestPlugin at build time; imports Digest only.
import Digest
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: CodeDigestTool ROOT OUTPUT FILE...\n".utf8))
    exit(2)
}
let root = URL(fileURLWithPath: arguments[1])
let output = URL(fileURLWithPath: arguments[2])
var lines: [String] = []
for path in arguments.dropFirst(3).sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
    guard let bytes = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) else {
        FileHandle.standardError.write(Data("CodeDigestTool: cannot read \(path)\n".utf8))
        exit(1)
    }
    lines.append("        \"\(path)\": \"\(SHA256.hex([UInt8](bytes)))\",")
}
let text = """
    // Generated at build time by Plugins/CodeDigestPlugin (CodeDigestTool); do not edit.

    /// The SHA-256 of every file the results can depend on (`Package.swift`, `Sources/**`,
    /// `Templates/**`), by path relative to the package root, as they were when this binary was built.
    enum CodeDigests {
        static let files: [String: String] = [
    \(lines.joined(separator: "\n"))
        ]
    }

    """
// Rewrite only on a change, so an unchanged tree does not recompile the target.
if FileManager.default.contents(atPath: output.path) != Data(text.utf8) {
    do {
        try Data(text.utf8).write(to: output, options: .atomic)
    } catch {
        FileHandle.standardError.write(Data("CodeDigestTool: cannot write \(output.path): \(error)\n".utf8))
        exit(1)
    }
}
