@testable import Engine
import Random
import XCTest

/// The paper net and padded test images shared by the engine's tests.
extension XCTestCase {
    func paperModel(seed: UInt64) -> Model {
        var rng = RandomStream(seed: seed)
        return Model.torchDefault(.paper, normalisation: Normalisation(mean: 0.13, std: 0.31), rng: &rng)
    }

    /// Padded 32x32 images with MNIST-like structure: a blank background with a bright random
    /// blob, which can reach into the padding border (the attack may put ink there).
    func blobImages(_ count: Int, seed: UInt64) -> [(pixels: [Float], label: Int)] {
        var rng = RandomStream(seed: seed)
        return (0..<count).map { _ in
            var pixels = [Float](repeating: 0, count: 1024)
            let cy = 6 + rng.nextInt(below: 20), cx = 6 + rng.nextInt(below: 20)
            for y in 0..<32 { for x in 0..<32 where abs(y - cy) + abs(x - cx) < 7 { pixels[y * 32 + x] = rng.nextFloat() } }
            return (pixels, rng.nextInt(below: 10))
        }
    }

    func assertClose(_ a: [Float], _ b: [Float], tolerance: Float, _ what: String,
                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        var worst: Float = 0, at = 0
        for i in 0..<a.count where abs(a[i] - b[i]) > worst { worst = abs(a[i] - b[i]); at = i }
        XCTAssertLessThanOrEqual(worst, tolerance, "\(what): largest difference \(worst) at \(at) (\(a[at]) vs \(b[at]))",
                                 file: file, line: line)
    }
}
