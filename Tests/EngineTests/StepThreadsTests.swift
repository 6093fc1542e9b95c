@testable import Engine
import Random
import XCTest

/// The two-thread training step (`StepThreads.two`) gives the one-thread step's bits: the same
/// losses, correct flags, parameters and velocities after many steps, also with masks of both
/// modes on both maskable layers, and the same forward and input gradient afterwards.
final class StepThreadsTests: XCTestCase {
    let settings = SGDSettings(learningRate: 0.01, learningRateDecay: 1e-4, weightDecay: 1e-3, momentum: 0.9, dampening: 0.1)

    /// Runs `steps` training steps from `model` on `threads`, returning every loss and correct
    /// flag's bits, then the parameters and velocities.
    func train(_ model: Model, threads: StepThreads, images: [(pixels: [Float], label: Int)], settings: SGDSettings? = nil,
               mask: (Int) -> UnitMask?) -> (losses: [UInt32], correct: [Bool], parameters: [UInt32], velocity: [UInt32]) {
        let net = Network(model, threads: threads)
        XCTAssertEqual(net.threads, threads)
        XCTAssertEqual(net.split != nil, threads == .two, "the paper net's .two step runs on the split kernels")
        let optimizer = SGD(settings: settings ?? self.settings, parameterCount: model.architecture.parameterCount)
        var losses: [UInt32] = [], correct: [Bool] = []
        for (i, (pixels, label)) in images.enumerated() {
            let result = net.trainStep(pixels, label: label, optimizer: optimizer, mask: mask(i))
            losses.append(result.loss.bitPattern)
            correct.append(result.correct)
        }
        return (losses, correct, net.parameters.map(\.bitPattern), optimizer.velocity.map(\.bitPattern))
    }

    func assertSameBits(_ a: [UInt32], _ b: [UInt32], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        let differing = zip(a, b).filter { $0 != $1 }.count
        XCTAssertEqual(differing, 0, "\(what): \(differing) of \(a.count) values differ in their bits", file: file, line: line)
    }

    func testTwoThreadStepsGiveTheOneThreadStepsBits() {
        let model = paperModel(seed: 51), images = blobImages(40, seed: 52)
        let one = train(model, threads: .one, images: images) { _ in nil }
        let two = train(model, threads: .two, images: images) { _ in nil }
        assertSameBits(one.losses, two.losses, "losses")
        XCTAssertEqual(one.correct, two.correct)
        assertSameBits(one.parameters, two.parameters, "parameters after 40 steps")
        assertSameBits(one.velocity, two.velocity, "velocities after 40 steps")
        XCTAssertNotEqual(one.parameters, model.parameters.map(\.bitPattern), "the steps changed the parameters")
    }

    func testTwoThreadMaskedStepsGiveTheOneThreadStepsBits() {
        let model = paperModel(seed: 53), images = blobImages(12, seed: 54)
        var rng = RandomStream(seed: 55)
        for mode in [UnitMask.Mode.switchOff, .gradientMask] {
            for layer in [UnitLayer.conv2, .fc] {
                let width = model.architecture.width(of: layer)
                let masks = (0..<3).map { _ in UnitMask(layer: layer, retained: (0..<width).map { _ in rng.nextInt(below: 2) == 0 }, mode: mode) }
                // Masked and unmasked steps alternate, as in hardening.
                let mask: (Int) -> UnitMask? = { i in i % 4 == 3 ? nil : masks[i % 4] }
                let one = train(model, threads: .one, images: images, mask: mask)
                let two = train(model, threads: .two, images: images, mask: mask)
                assertSameBits(one.losses, two.losses, "\(layer) \(mode) losses")
                assertSameBits(one.parameters, two.parameters, "\(layer) \(mode) parameters")
                assertSameBits(one.velocity, two.velocity, "\(layer) \(mode) velocities")
            }
        }
    }

    func testTwoThreadStatelessStepsWithMasksGiveTheOneThreadStepsBits() {
        // The hardening stage's SGD: the kernels skip the units whose gradient is zero.
        let model = paperModel(seed: 60), images = blobImages(12, seed: 61)
        var rng = RandomStream(seed: 62)
        let masks = (0..<2).map { _ in UnitMask(layer: .fc, retained: (0..<200).map { _ in rng.nextInt(below: 2) == 0 }, mode: .switchOff) }
        let mask: (Int) -> UnitMask? = { i in i % 3 == 2 ? nil : masks[i % 3] }
        let one = train(model, threads: .one, images: images, settings: .plain(0.05), mask: mask)
        let two = train(model, threads: .two, images: images, settings: .plain(0.05), mask: mask)
        assertSameBits(one.losses, two.losses, "losses")
        assertSameBits(one.parameters, two.parameters, "parameters")
        XCTAssertTrue(one.velocity.allSatisfy { $0 == 0 } && two.velocity.allSatisfy { $0 == 0 }, "stateless SGD keeps no velocity")
    }

    func testATwoThreadNetworkAnswersLikeAOneThreadNetworkAfterTraining() {
        let model = paperModel(seed: 56), images = blobImages(8, seed: 57)
        let nets = [Network(model, threads: .one), Network(model, threads: .two)]
        var answers: [[UInt32]] = []
        for net in nets {
            let optimizer = SGD(settings: settings, parameterCount: model.architecture.parameterCount)
            for (pixels, label) in images { net.trainStep(pixels, label: label, optimizer: optimizer) }
            var gradient = [Float](repeating: 0, count: images[0].pixels.count)
            let loss = net.lossAndInputGradient(images[0].pixels, label: images[0].label, gradient: &gradient)
            answers.append(([loss] + gradient + net.forward(images[1].pixels) + net.activation(.conv1)).map(\.bitPattern))
        }
        assertSameBits(answers[0], answers[1], "input gradient, log-probabilities and activations")
    }

    func testNetworksWithHelperThreadsComeAndGo() {
        let model = paperModel(seed: 58), image = blobImages(1, seed: 59)[0]
        for _ in 0..<20 {
            let net = Network(model, threads: .two)
            net.trainStep(image.pixels, label: image.label,
                          optimizer: SGD(settings: settings, parameterCount: model.architecture.parameterCount))
        }
        _ = Network(model, threads: .two)   // never trained: its helper still stops
    }
}
