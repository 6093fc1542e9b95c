@testable import Engine
import Foundation
import Random
import XCTest

/// Determinism, model files, the optimiser's Torch semantics and selective dropout's masks.
final class TrainingTests: XCTestCase {
    let settings = SGDSettings(learningRate: 0.05, learningRateDecay: 1e-3, weightDecay: 1e-3, momentum: 0.9)

    func makeModel(_ arch: Architecture = .paper, seed: UInt64) -> Model {
        var rng = RandomStream(seed: seed)
        return Model.torchDefault(arch, normalisation: Normalisation(mean: 0.13, std: 0.31), rng: &rng)
    }

    func makeImages(_ count: Int, seed: UInt64) -> [([Float], Int)] {
        var rng = RandomStream(seed: seed)
        return (0..<count).map { _ in ((0..<Architecture.paper.pixels).map { _ in rng.nextFloat() < 0.8 ? 0 : rng.nextFloat() }, rng.nextInt(below: 10)) }
    }

    func train(_ model: Model, _ images: [([Float], Int)], mask: UnitMask? = nil) -> (Network, SGD) {
        let net = Network(model), optimizer = SGD(settings: settings, parameterCount: model.parameters.count)
        for (pixels, label) in images { net.trainStep(pixels, label: label, optimizer: optimizer, mask: mask) }
        return (net, optimizer)
    }

    func testTwoIdenticalRunsGiveIdenticalParameters() {
        let model = makeModel(seed: 31), images = makeImages(30, seed: 32)
        let (a, _) = train(model, images), (b, _) = train(model, images)
        XCTAssertEqual(a.model.parameters.map(\.bitPattern), b.model.parameters.map(\.bitPattern))
        XCTAssertNotEqual(a.model.parameters, model.parameters)
    }

    func testAModelSurvivesASaveAndLoadRoundTrip() throws {
        let (net, _) = train(makeModel(seed: 33), makeImages(3, seed: 34))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("engine-roundtrip-\(getpid()).sdnn")
        defer { try? FileManager.default.removeItem(at: url) }
        try net.model.write(to: url)
        let loaded = try Model(contentsOf: url)
        XCTAssertEqual(loaded, net.model)
        let copy = Network(makeModel(seed: 35))
        copy.load(loaded)
        let probe = makeImages(1, seed: 36)[0].0
        XCTAssertEqual(copy.forward(probe), net.forward(probe))
    }

    func testATruncatedModelFileIsRejectedWithItsReason() {
        let bytes = Array(makeModel(.tiny, seed: 37).serialised().dropLast(3))
        XCTAssertThrowsError(try Model(serialised: bytes, source: "m.sdnn")) {
            XCTAssertTrue("\($0)".contains("m.sdnn"), "\($0)")
        }
    }

    func testWritesThroughParametersTakeEffectAtTheNextForwardPass() {
        let model = makeModel(seed: 38), net = Network(model), probe = makeImages(1, seed: 39)[0].0
        let before = net.forward(probe)
        let a = model.architecture
        for i in a.fc2BiasOffset..<a.parameterCount { net.parameters[i] = 0 }
        net.parameters[a.fc2BiasOffset] = 5
        XCTAssertGreaterThan(net.forward(probe)[0], before[0])
    }

    func testFirstStepVelocityIsTheGradientAndLaterStepsAreDampened() {
        // Torch's optim.sgd on a single parameter: x = 1, gradients 2 then 4.
        let s = SGDSettings(learningRate: 0.1, learningRateDecay: 0.5, weightDecay: 0.01, momentum: 0.9, dampening: 0.5)
        let sgd = SGD(settings: s, parameterCount: 1)
        var x: [Float] = [1]
        var g: [Float] = [2]
        sgd.update(&x, g, range: 0..<1, rate: sgd.currentLearningRate); sgd.finishStep()
        XCTAssertEqual(sgd.velocity[0], 2.01, accuracy: 1e-6)                 // v = g + wd x
        XCTAssertEqual(x[0], 1 - 0.1 * 2.01, accuracy: 1e-6)
        g = [4]
        let x1 = x[0]
        sgd.update(&x, g, range: 0..<1, rate: sgd.currentLearningRate); sgd.finishStep()
        let v = 0.9 * 2.01 + 0.5 * (4 + 0.01 * x1)
        XCTAssertEqual(sgd.velocity[0], v, accuracy: 1e-5)
        XCTAssertEqual(x[0], x1 - 0.1 / 1.5 * v, accuracy: 1e-5)               // lr / (1 + t decay)
    }

    func testSwitchedOffUnitsKeepTheirIncomingWeights() {
        let model = makeModel(seed: 40)
        for layer in [UnitLayer.conv2, .fc] {
            let width = model.architecture.width(of: layer)
            let retained = (0..<width).map { $0 % 3 != 0 }
            let (net, _) = train(model, makeImages(3, seed: 41), mask: UnitMask(layer: layer, retained: retained))
            let rows = net.incomingRows(of: layer)
            for j in 0..<width {
                let range = rows.offset + j * rows.length..<rows.offset + (j + 1) * rows.length
                let unchanged = Array(net.parameters[range]) == Array(model.parameters[range])
                XCTAssertEqual(unchanged, !retained[j], "\(layer) unit \(j)")
            }
        }
    }

    func testAGradientMaskLeavesTheForwardPassUnchanged() {
        let model = makeModel(seed: 42), images = makeImages(2, seed: 43)
        let retained = (0..<model.architecture.hidden).map { $0 % 2 == 0 }
        let masked = Network(model), plain = Network(model)
        let o1 = SGD(settings: settings, parameterCount: model.parameters.count)
        let o2 = SGD(settings: settings, parameterCount: model.parameters.count)
        let r1 = masked.trainStep(images[0].0, label: images[0].1, optimizer: o1,
                                  mask: UnitMask(layer: .fc, retained: retained, mode: .gradientMask))
        let r2 = plain.trainStep(images[0].0, label: images[0].1, optimizer: o2)
        XCTAssertEqual(r1.loss, r2.loss, accuracy: 1e-5)
        // Blocked units' incoming rows only decay (g = wd x), retained rows follow the gradient.
        let rows = masked.incomingRows(of: .fc)
        let j = 1, row = rows.offset + j * rows.length
        let lr = settings.learningRate, wd = settings.weightDecay
        XCTAssertEqual(masked.parameters[row], model.parameters[row] * (1 - lr * wd), accuracy: 1e-7)
    }

    func testAMaskRetainingEveryUnitEqualsNoMask() {
        let model = makeModel(seed: 44), images = makeImages(5, seed: 45)
        let all = [Bool](repeating: true, count: model.architecture.conv2Channels)
        let (a, _) = train(model, images, mask: UnitMask(layer: .conv2, retained: all))
        let (b, _) = train(model, images)
        XCTAssertEqual(a.model.parameters, b.model.parameters)
    }
}
