import Digest
import Engine
import Experiments
import Foundation
import MNIST

/// The author's own trained base network (`data/author-net/`, README there: source, commit and
/// licence), as an engine `Model`.
public enum AuthorNetwork {
    /// The parameter file and the checksums file of `data/author-net/`.
    public static let parametersFile = "parameters-torch-order.f32"
    public static let checksumsFile = "SHA256SUMS"

    /// Loads the vendored parameters from `directory` after verifying their SHA-256 against
    /// `SHA256SUMS`, with the paper architecture and `normalisation` (callers pass the one the
    /// project computes from its training images, `paddedInputNormalisation`: the author's demo
    /// used the same padded-image statistics, see the README).
    public static func load(from directory: URL, normalisation: Normalisation,
                            architecture: Architecture = .paper) throws -> Model {
        let file = directory.appendingPathComponent(parametersFile)
        let sums = directory.appendingPathComponent(checksumsFile)
        guard let listing = try? String(contentsOf: sums, encoding: .utf8) else {
            throw AuthorNetworkError.unreadable(sums.path)
        }
        guard let expected = listing.split(separator: "\n").map({ $0.split(separator: " ", omittingEmptySubsequences: true) })
            .first(where: { $0.count == 2 && $0[1] == Substring(parametersFile) })?[0] else {
            throw AuthorNetworkError.noChecksum(file: parametersFile, listing: sums.path)
        }
        guard let data = try? Data(contentsOf: file) else { throw AuthorNetworkError.unreadable(file.path) }
        let bytes = [UInt8](data)
        let actual = SHA256.hex(bytes)
        guard actual == String(expected) else {
            throw AuthorNetworkError.checksumMismatch(file: file.path, expected: String(expected), actual: actual)
        }
        guard bytes.count == 4 * architecture.parameterCount else {
            throw AuthorNetworkError.wrongSize(file: file.path, bytes: bytes.count, parameters: architecture.parameterCount)
        }
        // p_i = the little-endian float32 at bytes 4i..<4i+4.
        let parameters = (0..<architecture.parameterCount).map { i -> Float in
            let b = bytes[4 * i..<4 * i + 4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            return Float(bitPattern: b)
        }
        return Model(architecture: architecture, normalisation: normalisation, parameters: parameters)
    }

    /// `data/author-net/` beside the MNIST folder `data/mnist/`.
    public static func directory(besideMNIST mnist: URL) -> URL {
        mnist.deletingLastPathComponent().appendingPathComponent("author-net")
    }
}

/// Why the author's network could not be loaded, naming the file.
public enum AuthorNetworkError: Error, CustomStringConvertible, Equatable {
    case unreadable(String)
    case noChecksum(file: String, listing: String)
    case checksumMismatch(file: String, expected: String, actual: String)
    case wrongSize(file: String, bytes: Int, parameters: Int)

    public var description: String {
        switch self {
        case .unreadable(let path): return "cannot read the author's network file \(path)"
        case .noChecksum(let file, let listing): return "\(listing) has no checksum for \(file)"
        case .checksumMismatch(let file, let expected, let actual):
            return "the author's network file \(file) is altered: SHA-256 \(actual), expected \(expected)"
        case .wrongSize(let file, let bytes, let parameters):
            return "the author's network file \(file) has \(bytes) bytes, expected \(4 * parameters) (\(parameters) float32)"
        }
    }
}
