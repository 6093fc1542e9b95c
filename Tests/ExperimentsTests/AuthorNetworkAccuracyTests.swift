import Engine
import Experiments
import Foundation
import MNIST
import XCTest

/// The author's published network (`data/author-net`, Torch's parameter order, which is `Model`'s
/// layout) classifies the vendored MNIST test set as published. Study's checksum-verified loader
/// is pinned to the same parameters by `AuthorNetworkTests`.
final class AuthorNetworkAccuracyTests: XCTestCase {
    static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("data")

    /// The 105,506 little-endian float32 parameters of `parameters-torch-order.f32`.
    static func authorParameters() throws -> [Float] {
        let bytes = try Data(contentsOf: data.appendingPathComponent("author-net/parameters-torch-order.f32"))
        // Little-endian float32, four bytes each.
        let words: [UInt32] = stride(from: 0, to: bytes.count, by: 4).map { (i: Int) -> UInt32 in
            var w: UInt32 = 0
            for k in 0..<4 { w |= UInt32(bytes[bytes.startIndex + i + k]) << UInt32(8 * k) }
            return w
        }
        return words.map(Float.init(bitPattern:))
    }

    func testTheAuthorsPublishedParametersReach99Point05PercentOnTheMNISTTestSet() throws {
        let mnist = try MNIST(directory: Self.data.appendingPathComponent("mnist"))
        let normalisation = paddedInputNormalisation(mnist.train, architecture: .paper)
        XCTAssertEqual(Double(normalisation.mean), 0.100037, accuracy: 1e-6)
        XCTAssertEqual(Double(normalisation.std), 0.275217, accuracy: 1e-6)
        let parameters = try Self.authorParameters()
        XCTAssertEqual(parameters.count, Architecture.paper.parameterCount)
        let model = Model(architecture: .paper, normalisation: normalisation, parameters: parameters)
        XCTAssertEqual(Network(model).accuracy(on: try labelledImages(mnist.test)), 0.9905, accuracy: 0.00005)
    }
}
