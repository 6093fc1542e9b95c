import Foundation

/// Reading a file as it was at a git revision, for `report diff REV`.
public enum GitRevision {
    /// The bytes of `path` (relative to the repository root) at `revision`, by `git show REV:path`
    /// run in `repository`. Throws with git's message when the revision or file does not exist.
    public static func fileContents(_ path: String, at revision: String, repository: URL) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", repository.path, "show", "\(revision):\(path)"]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw FileError(path: path, problem: "cannot run git: \(error.localizedDescription)")
        }
        // Read before waiting: a large file would otherwise fill the pipe and block git.
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw FileError(path: "\(revision):\(path)", problem: "git show failed: \(text)")
        }
        return [UInt8](bytes)
    }

    /// `summary.json` (or any JSON file) at `revision`, parsed.
    public static func json(_ path: String, at revision: String, repository: URL) throws -> JSONValue {
        let bytes = try fileContents(path, at: revision, repository: repository)
        do {
            return try JSONValue(parsing: bytes)
        } catch let error as JSONParseError {
            throw FileError(path: "\(revision):\(path)", problem: error.description)
        }
    }
}
