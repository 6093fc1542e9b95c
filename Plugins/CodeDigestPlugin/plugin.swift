import Foundation
import PackagePlugin

/// Build-tool plugin: before `Study` compiles, digests every file the report's results can depend
/// on (`Package.swift`, `Sources/**`, `Templates/**`) into a generated `CodeDigests.swift`, so the
/// stage cache is keyed by the code itself instead of a hand-bumped version string.
///
/// The command lists those files as its inputs, so SwiftPM reruns it whenever one changes; the
/// file list itself is taken each time the build is planned. No network, no dependencies: the
/// work is done by the package's own `CodeDigestTool` executable.
@main
struct CodeDigestPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let root = context.package.directoryURL
        let files = digestedFiles(under: root)
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("CodeDigests.swift")
        return [.buildCommand(
            displayName: "Digesting \(files.count) source files for the stage cache",
            executable: try context.tool(named: "CodeDigestTool").url,
            arguments: [root.path, output.path] + files,
            inputFiles: files.map { root.appendingPathComponent($0) },
            outputFiles: [output])]
    }

    /// `Package.swift` and every non-hidden regular file under `Sources/` and `Templates/`, as
    /// paths relative to `root`.
    func digestedFiles(under root: URL) -> [String] {
        var paths = ["Package.swift"]
        for folder in ["Sources", "Templates"] {
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(
                at: base, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) else { continue }
            for case let url as URL in walker {
                guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
                let relative = url.standardizedFileURL.path.dropFirst(base.standardizedFileURL.path.count + 1)
                paths.append(folder + "/" + relative)
            }
        }
        return paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
