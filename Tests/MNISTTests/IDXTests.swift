@testable import MNIST
import Foundation
import XCTest

final class IDXTests: XCTestCase {
    func testRoundTripOfASmallArray() throws {
        let array = IDXArray(dimensions: [2, 3, 3], bytes: Array(0..<18))
        XCTAssertEqual(try IDXArray(parsing: array.serialised()), array)
    }

    func testTruncatedDataIsRejectedWithBothSizes() {
        let bytes = IDXArray(dimensions: [4], bytes: [1, 2, 3, 4]).serialised().dropLast()
        XCTAssertThrowsError(try IDXArray(parsing: Array(bytes))) { error in
            XCTAssertEqual(error as? IDXError, .tooShort(have: 11, need: 12))
        }
    }

    func testWrongMagicIsRejected() {
        XCTAssertThrowsError(try IDXArray(parsing: [0x1f, 0x8b, 8, 0, 0, 0, 0, 0])) { error in
            guard case .badMagic = error as? IDXError else { return XCTFail("\(error)") }
        }
    }

    func testNonByteElementTypeIsRejected() {
        XCTAssertThrowsError(try IDXArray(parsing: [0, 0, 0x0D, 1, 0, 0, 0, 0])) { error in
            XCTAssertEqual(error as? IDXError, .unsupportedType(0x0D))
        }
    }

    func testTruncatedGzipIsRejected() throws {
        let url = MNISTTests.dataDirectory.appendingPathComponent("t10k-labels-idx1-ubyte.gz")
        let bytes = [UInt8](try Data(contentsOf: url))
        XCTAssertThrowsError(try gunzip(Array(bytes.prefix(bytes.count / 2))))
    }
}

final class MNISTTests: XCTestCase {
    static let dataDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("data/mnist")

    func testTheVendoredFilesLoadWithTheKnownLabelCounts() throws {
        let mnist = try MNIST(directory: MNISTTests.dataDirectory)
        XCTAssertEqual(mnist.train.count, 60000)
        XCTAssertEqual(mnist.test.count, 10000)
        var trainCounts = [Int](repeating: 0, count: 10), testCounts = trainCounts
        for l in mnist.train.labels { trainCounts[Int(l)] += 1 }
        for l in mnist.test.labels { testCounts[Int(l)] += 1 }
        XCTAssertEqual(trainCounts, [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
        XCTAssertEqual(testCounts, [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
        let mean = Double(mnist.train.images.reduce(0) { $0 + Int($1) }) / Double(mnist.train.images.count)
        XCTAssertEqual(mean, 33.3184, accuracy: 1e-4)
    }

    func testAnAlteredFileIsNamedWithBothChecksums() throws {
        let dir = try copyOfData()
        let victim = dir.appendingPathComponent("train-labels-idx1-ubyte.gz")
        var bytes = [UInt8](try Data(contentsOf: victim))
        bytes[100] ^= 0xFF
        try Data(bytes).write(to: victim)
        XCTAssertThrowsError(try MNIST(directory: dir)) { error in
            guard case .checksumMismatch(let file, let expected, let actual) = error as? MNISTError else { return XCTFail("\(error)") }
            XCTAssertTrue(file.hasSuffix("train-labels-idx1-ubyte.gz"))
            XCTAssertEqual(expected, "1787548bbe0bff1ec2ecdc0ef292b02df999e2d1a6002d27500982c652b17203")
            XCTAssertNotEqual(actual, expected)
            XCTAssertTrue("\(error)".contains("train-labels-idx1-ubyte.gz"))
        }
    }

    func testAMissingFileIsNamed() throws {
        let dir = try copyOfData()
        try FileManager.default.removeItem(at: dir.appendingPathComponent("t10k-images-idx3-ubyte.gz"))
        XCTAssertThrowsError(try MNIST(directory: dir)) { error in
            XCTAssertTrue("\(error)".contains("t10k-images-idx3-ubyte.gz"), "\(error)")
        }
    }

    func copyOfData() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mnist-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, _) in MNIST.files {
            try FileManager.default.copyItem(at: MNISTTests.dataDirectory.appendingPathComponent(name),
                                             to: dir.appendingPathComponent(name))
        }
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }
}
