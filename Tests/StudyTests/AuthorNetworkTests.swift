import Analysis
import Engine
import Experiments
import Foundation
import MNIST
@testable import Study
import XCTest

/// The vendored author's network loads, is checksum-verified and classifies as published.
final class AuthorNetworkTests: XCTestCase {
    static let data = SmokeRunTests.repository.appendingPathComponent("data")

    func testTheAuthorsNetworkReaches99Point05PercentOnTheMNISTTestSet() throws {
        let mnist = try MNIST(directory: Self.data.appendingPathComponent("mnist"))
        let normalization = paddedInputNormalization(mnist.train, architecture: .paper)
        XCTAssertEqual(Double(normalization.mean), 0.100037, accuracy: 1e-6)
        XCTAssertEqual(Double(normalization.std), 0.275217, accuracy: 1e-6)
        let model = try AuthorNetwork.load(from: Self.data.appendingPathComponent("author-net"), normalization: normalization)
        let accuracy = Network(model).accuracy(on: try labelledImages(mnist.test))
        XCTAssertEqual(accuracy, 0.9905, accuracy: 0.00005)
    }

    func testAnAlteredFileIsRefusedNamingTheFileAndBothChecksums() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("author-net-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = Self.data.appendingPathComponent("author-net")
        var bytes = try Data(contentsOf: source.appendingPathComponent(AuthorNetwork.parametersFile))
        bytes[100] ^= 1
        try bytes.write(to: dir.appendingPathComponent(AuthorNetwork.parametersFile))
        try FileManager.default.copyItem(at: source.appendingPathComponent(AuthorNetwork.checksumsFile),
                                         to: dir.appendingPathComponent(AuthorNetwork.checksumsFile))
        XCTAssertThrowsError(try AuthorNetwork.load(from: dir, normalization: .identity)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(AuthorNetwork.parametersFile), text)
            XCTAssertTrue(text.contains("8ae5ac19792f2cf0e0109052416c0521e096558f68554e90fab89e92913b75ee"), text)
            XCTAssertTrue(text.contains("expected"), text)
        }
    }
}
