@testable import Engine
import Random
import XCTest

/// Pre-ReLU activations (selective dropout's volatility is taken before the ReLU) and the
/// direct conv2 loop that replaced the sgemm.
final class PreReLUActivationTests: XCTestCase {
    let settings = SGDSettings(learningRate: 0.05, learningRateDecay: 1e-3, weightDecay: 1e-3, momentum: 0.9)

    func testPreReLUActivationsMatchTheReferenceAndTheirReLUIsThePostReLUActivation() {
        let model = paperModel(seed: 31)
        let fast = Network(model), reference = ReferenceNetwork(model)
        for (pixels, _) in blobImages(3, seed: 32) {
            fast.forward(pixels)
            reference.forward(pixels)
            for layer in UnitLayer.allCases {
                let pre = fast.activation(layer, preReLU: true)
                assertClose(pre, reference.activation(layer, preReLU: true), tolerance: 1e-5, "\(layer) pre-ReLU")
                XCTAssertTrue(pre.contains { $0 < 0 }, "\(layer): pre-ReLU values should include negatives")
                XCTAssertEqual(pre.map { $0 > 0 ? $0 : 0 }, fast.activation(layer), "\(layer): ReLU of pre-ReLU")
            }
        }
    }

    func testFullConv2MapsCarryTheTrainingForwardsBitsWherePool2Reads() throws {
        let model = paperModel(seed: 33), a = model.architecture
        let net = Network(model), fast = try XCTUnwrap(net.fast)
        net.forward(blobImages(1, seed: 34)[0].pixels)
        let full = net.activation(.conv2, preReLU: true), side = a.conv2Side, used = fast.used2
        for o in 0..<a.conv2Channels {
            for y in 0..<used {
                for x in 0..<used {
                    XCTAssertEqual(full[(o * side + y) * side + x].bitPattern, fast.z2.p[o * used * used + y * used + x].bitPattern)
                }
            }
        }
    }

    func testPreReLUAfterATrainingStepUsesTheUpdatedParameters() {
        let model = paperModel(seed: 35)
        let net = Network(model)
        let (pixels, label) = blobImages(1, seed: 36)[0]
        net.trainStep(pixels, label: label, optimizer: SGD(settings: settings, parameterCount: model.architecture.parameterCount))
        let reference = ReferenceNetwork(net.model)
        reference.forward(pixels)
        for layer in UnitLayer.allCases {
            XCTAssertEqual(net.activation(layer, preReLU: true), reference.activation(layer, preReLU: true))
        }
    }

    func testTheActivationPointNamesTheSameReadoutsAsThePreReLUFlag() {
        let net = Network(paperModel(seed: 37))
        net.forward(blobImages(1, seed: 38)[0].pixels)
        for layer in UnitLayer.allCases {
            XCTAssertEqual(net.activation(layer, at: .preReLU), net.activation(layer, preReLU: true), "\(layer)")
            XCTAssertEqual(net.activation(layer, at: .postReLU), net.activation(layer), "\(layer)")
        }
    }
}
