import Foundation

/// A file-system problem, naming the path and what went wrong.
public struct FileError: Error, CustomStringConvertible {
    public let path: String
    public let problem: String
    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }
    public var description: String { "\(path): \(problem)" }
}

/// Listing and reading the files of an output folder.
public enum FileTree {
    /// Every regular file under `folder` as a '/'-separated path relative to it, sorted by the
    /// paths' UTF-8 bytes (so the order does not depend on locale or file system).
    public static func relativeFilePaths(under folder: URL) throws -> [String] {
        let root = folder.standardizedFileURL.resolvingSymlinksInPath()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FileError(path: folder.path, problem: "is not a folder")
        }
        guard let enumerator = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [])
        else { throw FileError(path: folder.path, problem: "cannot be listed") }
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        var paths: [String] = []
        for case let url as URL in enumerator {
            let values = try url.resourceValues(forKeys: [.isRegularFileKey])
            guard values.isRegularFile == true else { continue }
            let full = url.standardizedFileURL.resolvingSymlinksInPath().path
            guard full.hasPrefix(prefix) else { continue }
            paths.append(String(full.dropFirst(prefix.count)))
        }
        return paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The bytes of a file, or a `FileError` naming it.
    public static func bytes(of url: URL) throws -> [UInt8] {
        do {
            return [UInt8](try Data(contentsOf: url))
        } catch {
            throw FileError(path: url.path, problem: "cannot be read (\(error.localizedDescription))")
        }
    }

    /// Writes `bytes` to `url` through a temporary file beside it and a rename, so a reader never
    /// sees half a file.
    public static func writeAtomically(_ bytes: [UInt8], to url: URL) throws {
        do {
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw FileError(path: url.path, problem: "cannot be written (\(error.localizedDescription))")
        }
    }
}
