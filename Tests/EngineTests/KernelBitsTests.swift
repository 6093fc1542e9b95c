@testable import Engine
import Random
import XCTest

/// The bits of the fast path pinned: the AVX-512 (16-lane) and AVX2 (8-lane) kernels must give
/// the same parameters, log-probabilities, input gradients and activations. The same digest is
/// asserted in both builds (`swift test` natively and with `REPORT_TARGET_CPU=haswell`), so a
/// kernel change that moves one build's bits fails there. The portable build has no FMA (its
/// last bits differ by design), so it only prints its digest.
final class KernelBitsTests: XCTestCase {
    /// FNV-1a over the bit patterns.
    func digest(_ values: [Float], into hash: inout UInt64) {
        for v in values {
            var bits = v.bitPattern
            for _ in 0..<4 { hash = (hash ^ UInt64(bits & 0xff)) &* 0x100000001b3; bits >>= 8 }
        }
    }

    func fastPathDigest() -> UInt64 {
        let model = paperModel(seed: 41)
        let net = Network(model), images = blobImages(60, seed: 42)
        let optimizer = SGD(settings: SGDSettings(learningRate: 0.01, learningRateDecay: 1e-4, weightDecay: 1e-3, momentum: 0.9),
                            parameterCount: model.architecture.parameterCount)
        var hash: UInt64 = 0xcbf29ce484222325
        for (i, (pixels, label)) in images.enumerated() {
            let mask = i % 3 == 0 ? UnitMask(layer: .conv2, retained: (0..<64).map { ($0 + i) % 2 == 0 }, mode: .switchOff) : nil
            digest([net.trainStep(pixels, label: label, optimizer: optimizer, mask: mask).loss], into: &hash)
        }
        digest(Array(net.parameters), into: &hash)
        for (pixels, label) in images.prefix(5) {
            var gradient = [Float](repeating: 0, count: pixels.count)
            digest([net.lossAndInputGradient(pixels, label: label, gradient: &gradient)], into: &hash)
            digest(gradient + net.activation(.conv2, preReLU: true) + net.activation(.fc, preReLU: true), into: &hash)
        }
        return hash
    }

    func testTheFastPathsBitsArePinnedAcrossVectorWidths() {
        let hash = fastPathDigest()
        print("fast-path digest: \(String(hash, radix: 16))")
        #if ENGINE_FMA
        XCTAssertEqual(String(hash, radix: 16), KernelBitsTests.pinned)
        #endif
    }

    static let pinned = "9ff41ca76b913e7c"
}
