import Analysis
import Engine
import Experiments
import Foundation
@testable import Study
import XCTest

/// The vendored author's network loads, is checksum-verified and classifies as published.
final class AuthorNetworkTests: XCTestCase {
    static let data = SmokeRunTests.repository.appendingPathComponent("data")

    /// The loader returns the vendored file's parameters unchanged, with the normalisation it is
    /// given (ExperimentsTests' `AuthorNetworkAccuracyTests` measures those parameters: 99.05%).
    func testTheLoaderReturnsTheVendoredParametersWithTheGivenNormalisation() throws {
        let normalisation = Normalisation(mean: 0.100037, std: 0.275217)
        let model = try AuthorNetwork.load(from: Self.data.appendingPathComponent("author-net"), normalisation: normalisation)
        let bytes = try Data(contentsOf: Self.data.appendingPathComponent("author-net/\(AuthorNetwork.parametersFile)"))
        // Little-endian float32, four bytes each.
        let words: [UInt32] = stride(from: 0, to: bytes.count, by: 4).map { (i: Int) -> UInt32 in
            var w: UInt32 = 0
            for k in 0..<4 { w |= UInt32(bytes[bytes.startIndex + i + k]) << UInt32(8 * k) }
            return w
        }
        let raw = words.map(Float.init(bitPattern:))
        XCTAssertEqual(model.parameters, raw)
        XCTAssertEqual(model.parameters.count, 105_506)
        XCTAssertEqual(model.normalisation, normalisation)
        XCTAssertEqual(model.architecture, .paper)
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
        XCTAssertThrowsError(try AuthorNetwork.load(from: dir, normalisation: .identity)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(AuthorNetwork.parametersFile), text)
            XCTAssertTrue(text.contains("8ae5ac19792f2cf0e0109052416c0521e096558f68554e90fab89e92913b75ee"), text)
            XCTAssertTrue(text.contains("expected"), text)
        }
    }
}
