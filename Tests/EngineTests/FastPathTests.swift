@testable import Engine
import Random
import XCTest

/// The fast batch-1 kernels against `ReferenceNetwork`, the readable oracle, on the paper net.
final class FastPathTests: XCTestCase {
    let settings = SGDSettings(learningRate: 0.05, learningRateDecay: 1e-3, weightDecay: 1e-3, momentum: 0.9)

    func testTheFastPathServesThePaperNet() {
        XCTAssertNotNil(Network(paperModel(seed: 1)).fast)
    }

    func testForwardMatchesTheReference() {
        let model = paperModel(seed: 2)
        let fast = Network(model), reference = ReferenceNetwork(model)
        for (pixels, _) in blobImages(5, seed: 3) {
            assertClose(fast.forward(pixels), reference.forward(pixels), tolerance: 1e-5, "log-probabilities")
        }
    }

    func testInputGradientMatchesTheReference() {
        let model = paperModel(seed: 4)
        let fast = Network(model), reference = ReferenceNetwork(model)
        for (pixels, label) in blobImages(4, seed: 5) {
            var g1 = [Float](repeating: 0, count: 1024), g2 = g1
            let l1 = fast.lossAndInputGradient(pixels, label: label, gradient: &g1)
            let l2 = reference.lossAndInputGradient(pixels, label: label, gradient: &g2)
            XCTAssertEqual(l1, l2, accuracy: 1e-5)
            let scale = g2.map(abs).max()!
            assertClose(g1, g2, tolerance: 1e-5 * max(1, scale), "input gradient")
        }
    }

    /// One SGD step with zero momentum history equals plain gradient descent, so the parameter
    /// change divided by the rate is the (weight-decayed) gradient: compare it per layer.
    func testOneStepMatchesTheReferenceStep() {
        let model = paperModel(seed: 6)
        let fast = Network(model), reference = ReferenceNetwork(model)
        let (pixels, label) = blobImages(1, seed: 7)[0]
        let n = model.architecture.parameterCount
        let r1 = fast.trainStep(pixels, label: label, optimizer: SGD(settings: settings, parameterCount: n))
        let r2 = reference.trainStep(pixels, label: label, optimizer: SGD(settings: settings, parameterCount: n))
        XCTAssertEqual(r1.loss, r2.loss, accuracy: 1e-5)
        XCTAssertEqual(r1.correct, r2.correct)
        assertClose(Array(fast.parameters), Array(reference.parameters), tolerance: 1e-7, "parameters after one step")
    }

    func testManyStepsWithMomentumDecayAndLearningRateDecayTrackTheReference() {
        let model = paperModel(seed: 8)
        let fast = Network(model), reference = ReferenceNetwork(model)
        let n = model.architecture.parameterCount
        let o1 = SGD(settings: settings, parameterCount: n), o2 = SGD(settings: settings, parameterCount: n)
        for (pixels, label) in blobImages(20, seed: 9) {
            let r1 = fast.trainStep(pixels, label: label, optimizer: o1)
            let r2 = reference.trainStep(pixels, label: label, optimizer: o2)
            XCTAssertEqual(r1.loss, r2.loss, accuracy: 1e-4 * max(1, r2.loss))
        }
        XCTAssertEqual(o1.steps, 20)
        assertClose(Array(fast.parameters), Array(reference.parameters), tolerance: 2e-5, "parameters after 20 steps")
        assertClose(Array(o1.velocity), Array(o2.velocity), tolerance: 2e-4, "velocities after 20 steps")
    }

    func testMaskedStepsOfBothModesMatchTheReference() {
        let model = paperModel(seed: 10)
        let n = model.architecture.parameterCount
        var rng = RandomStream(seed: 11)
        for mode in [UnitMask.Mode.switchOff, .gradientMask] {
            for layer in [UnitLayer.conv2, .fc] {
                let fast = Network(model), reference = ReferenceNetwork(model)
                let o1 = SGD(settings: settings, parameterCount: n), o2 = SGD(settings: settings, parameterCount: n)
                let retained = (0..<model.architecture.width(of: layer)).map { _ in rng.nextInt(below: 2) == 0 }
                let mask = UnitMask(layer: layer, retained: retained, mode: mode)
                for (pixels, label) in blobImages(4, seed: 12) {
                    fast.trainStep(pixels, label: label, optimizer: o1, mask: mask)
                    reference.trainStep(pixels, label: label, optimizer: o2, mask: mask)
                }
                assertClose(Array(fast.parameters), Array(reference.parameters), tolerance: 1e-5, "\(layer) \(mode)")
            }
        }
    }

    func testFastConv2AndFcActivationsMatchTheReference() {
        let model = paperModel(seed: 19)
        let fast = Network(model), reference = ReferenceNetwork(model)
        for (pixels, _) in blobImages(3, seed: 20) {
            fast.forward(pixels)
            reference.forward(pixels)
            for layer in [UnitLayer.conv2, .fc] {
                assertClose(fast.activation(layer), reference.activation(layer), tolerance: 1e-5, "\(layer)")
            }
        }
    }

    func testActivationsAfterATrainingStepUseTheUpdatedParameters() {
        let model = paperModel(seed: 21)
        let net = Network(model)
        let (pixels, label) = blobImages(1, seed: 22)[0]
        net.trainStep(pixels, label: label, optimizer: SGD(settings: settings, parameterCount: model.architecture.parameterCount))
        let reference = ReferenceNetwork(net.model)
        reference.forward(pixels)
        XCTAssertEqual(net.activation(.conv2), reference.activation(.conv2))
        XCTAssertEqual(net.activation(.fc), reference.activation(.fc))
    }

    func testActivationsDescribeTheLastForwardImage() {
        let model = paperModel(seed: 13)
        let fast = Network(model), reference = ReferenceNetwork(model)
        let images = blobImages(2, seed: 14)
        fast.forward(images[0].pixels)
        fast.forward(images[1].pixels)
        reference.forward(images[1].pixels)
        for layer in UnitLayer.allCases {
            assertClose(fast.activation(layer), reference.activation(layer), tolerance: 1e-5, "\(layer)")
        }
        let seed = reference.activation(.conv2)
        XCTAssertEqual(fast.project(from: .conv2, seed: seed, rule: .rectifySignal),
                       reference.project(from: .conv2, seed: seed, rule: .rectifySignal))
    }

    func testLogProbabilitiesDescribeTheLastStepsImageBeforeItsUpdate() {
        let model = paperModel(seed: 15)
        let net = Network(model)
        let images = blobImages(2, seed: 16)
        let optimizer = SGD(settings: settings, parameterCount: model.architecture.parameterCount)
        net.forward(images[0].pixels)
        let mask = UnitMask(layer: .fc, retained: (0..<model.architecture.hidden).map { $0 > 0 }, mode: .gradientMask)
        net.trainStep(images[1].pixels, label: images[1].label, optimizer: optimizer, mask: mask)
        XCTAssertEqual(net.logProbabilities, Network(model).forward(images[1].pixels))
    }

    func testClassifyGivesEachImagesForwardPredictionAndLeavesTheLastImagesLogProbabilities() {
        let model = paperModel(seed: 19)
        let net = Network(model), single = Network(model)
        let images = blobImages(41, seed: 20)  // 20 pairs for fc1Pair, then one alone
        let flat = images.flatMap(\.pixels)
        let classes = flat.withUnsafeBufferPointer { net.classify($0.baseAddress!, count: images.count) }
        let expected = images.map { image -> Int in single.forward(image.pixels); return single.predictedClass }
        XCTAssertEqual(classes, expected)
        XCTAssertGreaterThan(Set(expected).count, 1, "the images should not all get one class")
        XCTAssertEqual(net.logProbabilities.map(\.bitPattern), single.logProbabilities.map(\.bitPattern))
    }

    func testActivationsAfterClassifyDescribeTheLastImage() {
        let model = paperModel(seed: 21)
        let net = Network(model), reference = ReferenceNetwork(model)
        let images = blobImages(3, seed: 22)
        _ = images.flatMap(\.pixels).withUnsafeBufferPointer { net.classify($0.baseAddress!, count: 3) }
        reference.forward(images[2].pixels)
        for layer in UnitLayer.allCases { XCTAssertEqual(net.activation(layer), reference.activation(layer), "\(layer)") }
    }

    func testPool1WithoutSwitchesHasTheSameValuesAsWithThem() throws {
        let model = paperModel(seed: 23), a = model.architecture
        let fast = try XCTUnwrap(Network(model).fast), w = model.parameters
        let pixels = blobImages(1, seed: 24)[0].pixels
        func p1(switches: Bool) -> [UInt32] {
            pixels.withUnsafeBufferPointer { fast.normaliseInput($0.baseAddress!, model.normalisation) }
            fast.p1.p.update(repeating: .nan, count: 32 * fast.cells1)
            w.withUnsafeBufferPointer { fast.transposeConv1($0.baseAddress! + a.conv1WeightOffset) }
            w.withUnsafeBufferPointer { fast.conv1ReluPool(bias: $0.baseAddress! + a.conv1BiasOffset, switches: switches) }
            return UnsafeBufferPointer(start: fast.p1.p, count: 32 * fast.cells1).map(\.bitPattern)
        }
        XCTAssertEqual(p1(switches: false), p1(switches: true))
    }

    func testBlankWindowShortcutGivesTheSameBitsAsTheFullConvolution() throws {
        let model = paperModel(seed: 17), a = model.architecture
        let fast = try XCTUnwrap(Network(model).fast), w = model.parameters
        let pixels = blobImages(1, seed: 18)[0].pixels
        func pool1(computeEveryWindow: Bool) -> ([Float], [Int32]) {
            pixels.withUnsafeBufferPointer { fast.normaliseInput($0.baseAddress!, model.normalisation) }
            if computeEveryWindow { fast.inkRows.p.update(repeating: -1, count: fast.side) }
            w.withUnsafeBufferPointer { fast.transposeConv1($0.baseAddress! + a.conv1WeightOffset) }
            w.withUnsafeBufferPointer { fast.conv1ReluPool(bias: $0.baseAddress! + a.conv1BiasOffset, switches: true) }
            let n = 32 * fast.cells1
            return (Array(UnsafeBufferPointer(start: fast.p1.p, count: n)), Array(UnsafeBufferPointer(start: fast.s1.p, count: n)))
        }
        let full = pool1(computeEveryWindow: true), shortcut = pool1(computeEveryWindow: false)
        XCTAssertEqual(full.0.map(\.bitPattern), shortcut.0.map(\.bitPattern))
        XCTAssertEqual(full.1, shortcut.1)
        let blank = (0..<fast.side).filter { fast.inkRows.p[$0] == 0 }.count
        XCTAssertGreaterThan(blank, 8, "the test image should leave border rows blank")
    }
}
