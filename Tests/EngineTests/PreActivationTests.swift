@testable import Engine
import Random
import XCTest

/// Pre-ReLU readout (`activation(_:at: .preReLU)`) on the fast path against the reference path.
final class PreActivationTests: XCTestCase {
    func testFastPreReLUConv2AndFcMatchTheReferenceAndReLUGivesThePostReLUValues() {
        var rng = RandomStream(seed: 31)
        let model = Model.torchDefault(.paper, normalization: Normalization(mean: 0.13, std: 0.31), rng: &rng)
        let fast = Network(model), reference = ReferenceNetwork(model)
        for _ in 0..<3 {
            let pixels = (0..<model.architecture.pixels).map { _ in rng.nextFloat() < 0.2 ? rng.nextFloat() : 0 }
            fast.forward(pixels)
            reference.forward(pixels)
            for layer in [UnitLayer.conv2, .fc] {
                let pre = fast.activation(layer, at: .preReLU), expected = reference.activation(layer, preReLU: true)
                XCTAssertEqual(pre.count, expected.count)
                let worst = zip(pre, expected).map { abs($0 - $1) }.max() ?? 0
                XCTAssertLessThanOrEqual(worst, 1e-5, "\(layer)")
                XCTAssertTrue(pre.contains { $0 < 0 }, "\(layer): pre-ReLU values should include negatives")
                XCTAssertEqual(pre.map { max(0, $0) }, fast.activation(layer, at: .postReLU), "\(layer)")
            }
        }
    }

    func testPreReLUReadoutReplaysTheReferenceAfterATrainingStep() {
        var rng = RandomStream(seed: 32)
        let model = Model.torchDefault(.paper, normalization: Normalization(mean: 0.13, std: 0.31), rng: &rng)
        let net = Network(model)
        let pixels = (0..<model.architecture.pixels).map { _ in rng.nextFloat() }
        net.trainStep(pixels, label: 3, optimizer: SGD(settings: .plain(0.1), parameterCount: model.architecture.parameterCount))
        let reference = ReferenceNetwork(net.model)
        reference.forward(pixels)
        XCTAssertEqual(net.activation(.fc, at: .preReLU), reference.activation(.fc, preReLU: true))
    }
}
