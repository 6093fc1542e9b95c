// MNIST: the gzip + IDX reader of the four vendored files, each checked against its SHA-256.
// It imports Digest and the CZlib shim.

import Digest
import Foundation

/// One split of MNIST: images as bytes (row-major 28x28 each) and labels 0...9.
public struct DigitSet: Sendable {
    public static let side = 28
    public static let pixelsPerImage = 784
    public var images: [UInt8]
    public var labels: [UInt8]

    public init(images: [UInt8], labels: [UInt8]) {
        precondition(images.count == labels.count * DigitSet.pixelsPerImage)
        self.images = images
        self.labels = labels
    }

    public var count: Int { labels.count }

    /// Image `index` scaled to [0, 1]: pixel / 255.
    public func pixels(_ index: Int) -> [Float] {
        let start = index * DigitSet.pixelsPerImage
        return images[start..<start + DigitSet.pixelsPerImage].map { Float($0) / 255 }
    }

    /// The first `count` images (for reduced profiles).
    public func prefix(_ count: Int) -> DigitSet {
        let n = min(count, self.count)
        return DigitSet(images: Array(images[0..<n * DigitSet.pixelsPerImage]), labels: Array(labels[0..<n]))
    }
}

/// The MNIST training and test sets, read from the four gzip IDX files with their checksums.
public struct MNIST: Sendable {
    public var train: DigitSet
    public var test: DigitSet

    /// The four files and their SHA-256 (of the .gz bytes), as in `data/mnist/SHA256SUMS`.
    public static let files: [(name: String, sha256: String)] = [
        ("train-images-idx3-ubyte.gz", "0b367032e93c5d0cea0925647cfdb18614af8ee15f83e6f2fc2ad904a6835971"),
        ("train-labels-idx1-ubyte.gz", "1787548bbe0bff1ec2ecdc0ef292b02df999e2d1a6002d27500982c652b17203"),
        ("t10k-images-idx3-ubyte.gz", "1a1a05eab793c14bb050b398624a11b0ffd1a2953baed553b1b9bd079e2a20be"),
        ("t10k-labels-idx1-ubyte.gz", "b91679a0acfe4ba0e50a2437a903084cba1f5f92592b016a25a7dfd00455798b"),
    ]

    public init(train: DigitSet, test: DigitSet) {
        self.train = train
        self.test = test
    }

    /// Loads the vendored files from `directory`, verifying each checksum before parsing.
    public init(directory: URL) throws {
        func load(_ index: Int, rank: Int) throws -> IDXArray {
            let (name, expected) = MNIST.files[index]
            let url = directory.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw MNISTError.missing(file: url.path)
            }
            let bytes = [UInt8](data)
            let actual = SHA256.hex(bytes)
            guard actual == expected else {
                throw MNISTError.checksumMismatch(file: url.path, expected: expected, actual: actual)
            }
            do {
                let array = try IDXArray(parsing: try gunzip(bytes))
                guard array.dimensions.count == rank else {
                    throw MNISTError.malformed(file: url.path, reason: "expected \(rank) dimensions, found \(array.dimensions)")
                }
                return array
            } catch let error as MNISTError {
                throw error
            } catch {
                throw MNISTError.malformed(file: url.path, reason: "\(error)")
            }
        }
        let trainImages = try load(0, rank: 3), trainLabels = try load(1, rank: 1)
        let testImages = try load(2, rank: 3), testLabels = try load(3, rank: 1)
        train = DigitSet(images: trainImages.bytes, labels: trainLabels.bytes)
        test = DigitSet(images: testImages.bytes, labels: testLabels.bytes)
    }
}

public enum MNISTError: Error, CustomStringConvertible, Equatable {
    case missing(file: String)
    case checksumMismatch(file: String, expected: String, actual: String)
    case malformed(file: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let file):
            return "MNIST file missing: \(file) (the repository vendors it under data/mnist/)"
        case .checksumMismatch(let file, let expected, let actual):
            return "MNIST file altered or truncated: \(file) (expected SHA-256 \(expected), found \(actual))"
        case .malformed(let file, let reason):
            return "MNIST file unreadable: \(file): \(reason)"
        }
    }
}
