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

    /// The positions pool2 drops are computed with the conv2 kernel's chains too: conv2 at row
    /// used2 of an image is conv2 at row used2 - 1 of the image moved up by one pool1 cell
    /// (pool1 pixels), which the forward pass computes into z2; the same for columns, and both.
    func testFullConv2MapsWherePool2DoesNotReadCarryTheForwardsBitsForTheShiftedImage() throws {
        let model = paperModel(seed: 39), a = model.architecture
        let net = Network(model), fast = try XCTUnwrap(net.fast)
        var rng = RandomStream(seed: 40)
        let image = (0..<a.pixels).map { _ in rng.nextFloat() }, n = a.inputSide, step = a.pool1
        net.forward(image)
        let full = net.activation(.conv2, preReLU: true), side = a.conv2Side, used = fast.used2
        XCTAssertEqual(side, used + 1, "the paper's net drops one row and one column")
        for (dy, dx) in [(1, 0), (0, 1), (1, 1)] {
            // The image moved up by dy and left by dx pool1 cells, blank where it runs out.
            let moved = (0..<a.pixels).map { i -> Float in
                let y = i / n + dy * step, x = i % n + dx * step
                return y < n && x < n ? image[y * n + x] : 0
            }
            net.forward(moved)
            for o in 0..<a.conv2Channels {
                for y in 0..<side where (y == used) == (dy == 1) {
                    for x in 0..<side where (x == used) == (dx == 1) {
                        let there = fast.z2.p[o * used * used + (y - dy) * used + (x - dx)]
                        XCTAssertEqual(full[(o * side + y) * side + x].bitPattern, there.bitPattern, "filter \(o) at (\(y), \(x))")
                    }
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
