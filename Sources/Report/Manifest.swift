import Digest
import Foundation

/// Every file of an output folder with its SHA-256 and size, plus the hash of the settings that
/// produced it: `manifest.json`, which makes a diff across commits show at a glance what changed.
public struct Manifest: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public let path: String
        public let sha256: String
        public let bytes: Int
        public init(path: String, sha256: String, bytes: Int) {
            self.path = path
            self.sha256 = sha256
            self.bytes = bytes
        }
    }

    /// The manifest's own name; it is never listed in itself.
    public static let fileName = "manifest.json"

    public var settingsHash: String
    /// The digest of the code that wrote the folder (its sources and templates); nil in a
    /// manifest written before it was recorded.
    public var codeDigest: String?
    /// Sorted by path (UTF-8 byte order).
    public var entries: [Entry]

    public init(settingsHash: String, codeDigest: String? = nil, entries: [Entry]) {
        self.settingsHash = settingsHash
        self.codeDigest = codeDigest
        self.entries = entries.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// Hashes every file under `folder` except a top-level `manifest.json`.
    public init(scanning folder: URL, settingsHash: String, codeDigest: String? = nil) throws {
        let paths = try FileTree.relativeFilePaths(under: folder).filter { $0 != Manifest.fileName }
        let entries = try paths.map { path in
            let bytes = try FileTree.bytes(of: folder.appendingPathComponent(path))
            return Entry(path: path, sha256: SHA256.hex(bytes), bytes: bytes.count)
        }
        self.init(settingsHash: settingsHash, codeDigest: codeDigest, entries: entries)
    }

    /// The settings hash: SHA-256 of the settings' deterministic JSON text.
    public static func settingsHash(of settings: JSONValue) throws -> String {
        SHA256.hex(try settings.serialisedBytes())
    }

    /// `{"settings_hash": ..., "code_digest": ..., "files": {path: {"sha256": ..., "bytes": ...}}}`
    /// (`code_digest` only when known).
    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [("settings_hash", .string(settingsHash))]
        if let codeDigest { members.append(("code_digest", .string(codeDigest))) }
        members.append(("files", .object(entries.map { entry in
            (entry.path, ["sha256": .string(entry.sha256), "bytes": .number(Double(entry.bytes))])
        })))
        return .object(members)
    }

    /// Reads the form `json` writes.
    public init(json: JSONValue) throws {
        guard let hash = json["settings_hash"]?.stringValue, let files = json["files"]?.objectMembers else {
            throw FileError(path: Manifest.fileName, problem: "lacks 'settings_hash' or 'files'")
        }
        let entries = try files.map { member -> Entry in
            guard let sha = member.value["sha256"]?.stringValue, let size = member.value["bytes"]?.numberValue else {
                throw FileError(path: Manifest.fileName, problem: "entry '\(member.key)' lacks 'sha256' or 'bytes'")
            }
            return Entry(path: member.key, sha256: sha, bytes: Int(size))
        }
        self.init(settingsHash: hash, codeDigest: json["code_digest"]?.stringValue, entries: entries)
    }

    /// Writes `manifest.json` into `folder`.
    public func write(into folder: URL) throws {
        try FileTree.writeAtomically(try json.serialisedBytes(), to: folder.appendingPathComponent(Manifest.fileName))
    }

    /// Reads `manifest.json` from `folder`.
    public static func read(from folder: URL) throws -> Manifest {
        let url = folder.appendingPathComponent(fileName)
        do {
            return try Manifest(json: JSONValue(parsing: FileTree.bytes(of: url)))
        } catch let error as JSONParseError {
            throw FileError(path: url.path, problem: error.description)
        }
    }
}
