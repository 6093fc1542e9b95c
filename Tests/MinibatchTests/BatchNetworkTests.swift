import Engine
@testable import Minibatch
import Random
import XCTest

/// The sgemm minibatch path against `ReferenceNetwork`, image by image.
final class BatchNetworkTests: XCTestCase {
    func makeCase(_ arch: Architecture, images: Int, seed: UInt64) -> (Model, [Float], [Int]) {
        var rng = RandomStream(seed: seed)
        let model = Model.torchDefault(arch, normalisation: Normalisation(mean: 0.13, std: 0.31), rng: &rng)
        let pixels = (0..<images * arch.pixels).map { _ in rng.nextFloat() < 0.7 ? 0 : rng.nextFloat() }
        let labels = (0..<images).map { _ in rng.nextInt(below: arch.classes) }
        return (model, pixels, labels)
    }

    func image(_ pixels: [Float], _ i: Int, _ arch: Architecture) -> [Float] {
        Array(pixels[i * arch.pixels..<(i + 1) * arch.pixels])
    }

    func testLogProbabilitiesMatchTheReferenceInChunks() {
        for arch in [Architecture.tiny, .paper] {
            let (model, pixels, _) = makeCase(arch, images: 7, seed: 21)
            let batch = BatchNetwork(model, capacity: 3), reference = ReferenceNetwork(model)
            let all = pixels.withUnsafeBufferPointer { batch.logProbabilities(images: $0.baseAddress!, count: 7) }
            for i in 0..<7 {
                let expected = reference.forward(image(pixels, i, arch))
                for k in 0..<arch.classes {
                    XCTAssertEqual(all[i * arch.classes + k], expected[k], accuracy: 1e-4, "\(arch) image \(i) class \(k)")
                }
            }
        }
    }

    func testPredictAndAccuracyAgreeWithTheReference() {
        let arch = Architecture.paper
        let (model, pixels, labels) = makeCase(arch, images: 12, seed: 22)
        let batch = BatchNetwork(model, capacity: 5), reference = ReferenceNetwork(model)
        let expected = (0..<12).map { i -> Int in reference.forward(image(pixels, i, arch)); return reference.predictedClass }
        XCTAssertEqual(batch.predict(images: pixels, count: 12), expected)
        let hits = zip(expected, labels).filter { $0 == $1 }.count
        XCTAssertEqual(batch.accuracy(images: pixels, labels: labels), Double(hits) / 12)
    }

    func testBatchGradientIsTheMeanOfTheReferenceGradients() {
        for arch in [Architecture.tiny, .paper] {
            let (model, pixels, labels) = makeCase(arch, images: 10, seed: 23)
            let batch = BatchNetwork(model, capacity: 10), reference = ReferenceNetwork(model)
            pixels.withUnsafeBufferPointer { batch.forward($0.baseAddress!, count: 10) }
            labels.withUnsafeBufferPointer { batch.backward(labels: $0.baseAddress!, count: 10) }
            var mean = [Float](repeating: 0, count: arch.parameterCount)
            for i in 0..<10 {
                let g = reference.parameterGradient(image(pixels, i, arch), label: labels[i])
                for j in 0..<mean.count { mean[j] += g[j] / 10 }
            }
            let scale = mean.map(abs).max()!
            for j in 0..<mean.count {
                XCTAssertEqual(batch.gradients[j], mean[j], accuracy: 1e-5 * max(1, scale), "\(arch) parameter \(j)")
            }
        }
    }

    func testABatchOfOneStepsLikeTheReference() {
        let arch = Architecture.tiny
        let (model, pixels, labels) = makeCase(arch, images: 1, seed: 24)
        let settings = SGDSettings(learningRate: 0.1, learningRateDecay: 0.01, weightDecay: 1e-3, momentum: 0.9)
        let batch = BatchNetwork(model, capacity: 1), reference = ReferenceNetwork(model)
        let o1 = SGD(settings: settings, parameterCount: arch.parameterCount)
        let o2 = SGD(settings: settings, parameterCount: arch.parameterCount)
        for _ in 0..<3 {
            let r1 = batch.trainStep(images: pixels, labels: labels, optimizer: o1)
            let r2 = reference.trainStep(pixels, label: labels[0], optimizer: o2)
            XCTAssertEqual(r1.meanLoss, r2.loss, accuracy: 1e-5)
        }
        for j in 0..<arch.parameterCount { XCTAssertEqual(batch.parameters[j], reference.parameters[j], accuracy: 1e-6) }
    }
}
