import Engine
@testable import Experiments
import MNIST
import Random
import XCTest

/// Base training on a small synthetic MNIST: the author's protocol, resumable from checkpoints.
final class BaseTrainingTests: XCTestCase {
    let settings = BaseTrainingSettings(trainImages: 200, epochs: 4,
                                        optimizer: SGDSettings(learningRate: 0.01, learningRateDecay: 1e-4, weightDecay: 1e-3, momentum: 0.9),
                                        testImages: 50)

    func testAResumedRunGivesTheSameBitsAsAnUninterruptedOne() throws {
        let data = syntheticDigits()
        var rng = RandomStream(seed: 1)
        let straight = try trainBaseNetwork(data: data, settings: settings, rng: &rng)

        var checkpoints: [BaseTrainingCheckpoint] = []
        rng = RandomStream(seed: 1)
        _ = try trainBaseNetwork(data: data, settings: settings, rng: &rng, checkpointEvery: 2, checkpoint: { checkpoints.append($0) })
        XCTAssertEqual(checkpoints.map(\.perEpoch.count), [2])

        rng = RandomStream(seed: 1)
        let resumed = try trainBaseNetwork(data: data, settings: settings, rng: &rng, resume: checkpoints[0])
        XCTAssertEqual(resumed.model.parameters, straight.model.parameters)
        XCTAssertEqual(resumed.perEpoch, straight.perEpoch)
        XCTAssertEqual(resumed.testAccuracy, straight.testAccuracy)
    }

    func testEachEpochsTestAccuracyIsThatEpochsNetEvaluatedOnTheTestSet() throws {
        // The evaluations run on another thread while training goes on: each must still read
        // the net as it stood after its own epoch.
        let data = syntheticDigits()
        var slow = settings
        slow.optimizer.learningRate = 0.0003
        var rng = RandomStream(seed: 4)
        var checkpoints: [BaseTrainingCheckpoint] = []
        let result = try trainBaseNetwork(data: data, settings: slow, rng: &rng, checkpointEvery: 1,
                                          checkpoint: { checkpoints.append($0) })
        let test = try labelledImages(data.test.prefix(settings.testImages))
        let afterEach = checkpoints.map(\.model) + [result.model]
        XCTAssertEqual(result.perEpoch.map(\.testAccuracy), afterEach.map { Network($0).accuracy(on: test) })
        XCTAssertEqual(checkpoints.map { $0.perEpoch.map(\.epoch) }, [[1], [1, 2], [1, 2, 3]])
        XCTAssertGreaterThan(Set(result.perEpoch.map(\.testAccuracy)).count, 1,
                             "the accuracies change from epoch to epoch, so a stale snapshot would show")
    }

    func testTrainingLearnsTheSyntheticTask() throws {
        var rng = RandomStream(seed: 2)
        let result = try trainBaseNetwork(data: syntheticDigits(), settings: settings, rng: &rng)
        XCTAssertEqual(result.perEpoch.count, 4)
        XCTAssertGreaterThan(result.testAccuracy, 0.9)
        XCTAssertLessThan(result.perEpoch.last!.loss, result.perEpoch.first!.loss)
    }

    func testDivergenceToNaNStopsWithAClearError() {
        var diverging = settings
        // Base training's kind of optimiser (momentum and weight decay) at an absurd rate.
        diverging.optimizer = SGDSettings(learningRate: 1e30, weightDecay: 1e-3, momentum: 0.9)
        var rng = RandomStream(seed: 3)
        XCTAssertThrowsError(try trainBaseNetwork(data: syntheticDigits(), settings: diverging, rng: &rng)) { error in
            XCTAssertTrue("\(error)".contains("diverged"), "\(error)")
        }
    }

    func testTheNormalisationCountsThePaddingZeros() {
        let images = DigitSet(images: [UInt8](repeating: 255, count: 784), labels: [0])
        let n = paddedInputNormalisation(images, architecture: .paper)
        XCTAssertEqual(Double(n.mean), 784.0 / 1024.0, accuracy: 1e-6)
    }
}
