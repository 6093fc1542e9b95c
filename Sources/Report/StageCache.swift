import Digest
import Foundation

/// The address of one cached stage output: SHA-256 of (stage name, code digest, inputs).
public struct CacheKey: Hashable, Sendable, CustomStringConvertible {
    public let stage: String
    public let hex: String

    /// `inputs` describes everything the output depends on besides the code: settings, seeds, and
    /// the keys (or hashes) of the stages it reads. Change any of the three and the key changes.
    /// `codeDigest` identifies the code that computes the output (a digest of its sources).
    public init(stage: String, codeDigest: String, inputs: JSONValue) throws {
        guard !stage.isEmpty, stage.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw CacheError(message: "stage name '\(stage)' must be non-empty ASCII letters, digits, '-' or '_'")
        }
        self.stage = stage
        let identity: JSONValue = [.string(stage), .string(codeDigest), inputs]
        self.hex = SHA256.hex(try identity.serialisedBytes())
    }

    /// The same key with inputs given as text.
    public init(stage: String, codeDigest: String, inputs: String) throws {
        try self.init(stage: stage, codeDigest: codeDigest, inputs: .string(inputs))
    }

    public var description: String { "\(stage)/\(hex.prefix(16))" }
}

/// A cache problem that the caller cannot route around (a bad stage name, an unwritable folder).
public struct CacheError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// A content-addressed store of stage outputs (default `.cache/` in the repository, gitignored).
///
/// An entry is `<folder>/<stage>/<key>.bin`: one header line `stage-cache 1 <sha256> <length>`
/// and the payload. Writes go to a temporary file and are renamed into place, so a killed run
/// leaves either the whole entry or none. `load` returns nil for a missing entry and for one whose
/// header, checksum or decoding fails; such an entry is deleted so the caller recomputes it.
public struct StageCache: Sendable {
    public let folder: URL
    /// With `fresh` (the CLI's `--fresh`), every load misses; stores still write.
    public let fresh: Bool

    public init(folder: URL, fresh: Bool = false) {
        self.folder = folder
        self.fresh = fresh
    }

    /// The file holding `key`'s entry.
    public func url(for key: CacheKey) -> URL {
        folder.appendingPathComponent(key.stage).appendingPathComponent(key.hex + ".bin")
    }

    /// The stored payload, or nil when missing, ignored (`fresh`) or damaged (then deleted).
    public func loadBytes(_ key: CacheKey) -> [UInt8]? {
        if case .hit(let payload) = lookupBytes(key) { return payload }
        return nil
    }

    /// The stored payload; `.damaged` (and the entry deleted) when its header, length or
    /// SHA-256 does not match, `.miss` when there is none or `fresh` is set.
    public func lookupBytes(_ key: CacheKey) -> CacheLookup<[UInt8]> {
        guard !fresh, let data = FileManager.default.contents(atPath: url(for: key).path) else { return .miss }
        let bytes = [UInt8](data)
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return damaged(key, "no header line") }
        let header = String(decoding: bytes[..<newline], as: UTF8.self).split(separator: " ")
        let payload = Array(bytes[(newline + 1)...])
        guard header.count == 4, header[0] == "stage-cache", header[1] == "1" else { return damaged(key, "bad header") }
        guard Int(header[3]) == payload.count else {
            return damaged(key, "\(payload.count) bytes where the header says \(header[3])")
        }
        guard header[2] == SHA256.hex(payload) else { return damaged(key, "its SHA-256 does not match the header's") }
        return .hit(payload)
    }

    /// A decoded value; `.damaged` (and the entry deleted) when it fails its checks or does not
    /// decode, `.miss` when there is none or `fresh` is set.
    public func lookup<Value: Decodable>(_ type: Value.Type, for key: CacheKey) -> CacheLookup<Value> {
        lookupBytes(key).flatMap { payload in
            guard let value = try? JSONDecoder().decode(Value.self, from: Data(payload)) else {
                return damaged(key, "it does not decode")
            }
            return .hit(value)
        }
    }

    private func damaged<T>(_ key: CacheKey, _ reason: String) -> CacheLookup<T> {
        discard(key) as Void?
        return .damaged(reason)
    }

    /// Stores `payload` under `key` (temporary file + rename).
    public func storeBytes(_ payload: [UInt8], for key: CacheKey) throws {
        let entry = url(for: key)
        do {
            try FileManager.default.createDirectory(at: entry.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw CacheError(message: "cannot create the cache folder '\(entry.deletingLastPathComponent().path)': \(error.localizedDescription)")
        }
        let header = Array("stage-cache 1 \(SHA256.hex(payload)) \(payload.count)\n".utf8)
        try FileTree.writeAtomically(header + payload, to: entry)
    }

    /// A decoded value, or nil when missing, ignored or damaged (then deleted).
    public func load<Value: Decodable>(_ type: Value.Type, for key: CacheKey) -> Value? {
        if case .hit(let value) = lookup(type, for: key) { return value }
        return nil
    }

    /// Encodes `value` as JSON with sorted keys and stores it.
    public func store<Value: Encodable>(_ value: Value, for key: CacheKey) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try storeBytes([UInt8](try encoder.encode(value)), for: key)
    }

    /// The cached value for `key`, or `compute()`'s result, stored for next time.
    public func value<Value: Codable>(for key: CacheKey, compute: () throws -> Value) throws -> Value {
        if let cached = load(Value.self, for: key) { return cached }
        let value = try compute()
        try store(value, for: key)
        return value
    }

    /// Removes `key`'s entry (if any) and returns nil, for the failure paths of `load`.
    @discardableResult
    public func discard<T>(_ key: CacheKey) -> T? {
        try? FileManager.default.removeItem(at: url(for: key))
        return nil
    }
}

/// What a cache lookup found.
public enum CacheLookup<Value> {
    case hit(Value)
    /// No entry (or `fresh`).
    case miss
    /// An entry that failed its checks (why); it has been deleted.
    case damaged(String)

    /// A hit's value transformed (which may itself miss or find damage); a miss or damage as it was.
    public func flatMap<T>(_ transform: (Value) -> CacheLookup<T>) -> CacheLookup<T> {
        switch self {
        case .hit(let value): transform(value)
        case .miss: .miss
        case .damaged(let reason): .damaged(reason)
        }
    }
}
