import Digest
import Foundation

/// A content-addressed store of stage outputs: file name = SHA-256 of the key text.
/// An entry that fails to decode is treated as missing (and recomputed), never trusted.
struct SimpleCache {
    let directory: URL

    func url(_ key: String) -> URL {
        directory.appendingPathComponent(SHA256.hex(Array(key.utf8)) + ".json")
    }

    func load<T: Decodable>(_ key: String) -> T? {
        guard let data = FileManager.default.contents(atPath: url(key).path) else { return nil }
        return try? JSONDecoder().decode(T.self, from: data)
    }

    func store<T: Encodable>(_ value: T, for key: String) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try JSONEncoder().encode(value).write(to: url(key), options: .atomic)
    }
}
