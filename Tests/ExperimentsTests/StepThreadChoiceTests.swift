import Engine
@testable import Experiments
import MNIST
import Random
import XCTest

/// Base training's choice between the one- and two-thread step: made on the training itself,
/// only while the second core is free, and invisible in the results.
final class StepThreadChoiceTests: XCTestCase {
    let steps = 2 * StepThreadChoice.calibrationSteps + 1000

    func chooser(secondCoreFree: @escaping () -> Bool) -> StepThreadChoice {
        var rng = RandomStream(seed: 3)
        let model = Model.torchDefault(.paper, normalisation: Normalisation(mean: 0.13, std: 0.31), rng: &rng)
        return StepThreadChoice(Network(model), stepsPerEpoch: steps, secondCoreFree: secondCoreFree)
    }

    func testWithTheSecondCoreFreeTheFirstEpochTimesOneThreadThenTwoAndKeepsTheFaster() throws {
        try XCTSkipIf(ProcessInfo.processInfo.activeProcessorCount < 2, "a one-core machine never uses two threads")
        let choice = chooser { true }
        let n = StepThreadChoice.calibrationSteps
        var used: [StepThreads] = []
        for i in 0..<steps {
            _ = choice.network(forStep: i, epoch: 1)
            used.append(choice.current)
        }
        XCTAssertEqual(Set(used[0..<n]), [.one])
        XCTAssertEqual(Set(used[n..<2 * n]), [.two])
        let kept = try XCTUnwrap(choice.preferred)
        XCTAssertEqual(Set(used[(2 * n)...]), [kept])
    }

    func testTwoThreadStepsCountsTheEpochsStepsOnTwoThreadsAndRestartsEachEpoch() throws {
        try XCTSkipIf(ProcessInfo.processInfo.activeProcessorCount < 2, "a one-core machine never uses two threads")
        let choice = chooser { true }
        var onTwo = 0
        for i in 0..<steps {
            _ = choice.network(forStep: i, epoch: 1)
            if choice.current == .two { onTwo += 1 }
        }
        XCTAssertEqual(choice.twoThreadSteps, onTwo)
        XCTAssertGreaterThanOrEqual(onTwo, StepThreadChoice.calibrationSteps)
        // The next epoch starts with a calibration's one-thread half.
        _ = choice.network(forStep: 0, epoch: 2)
        XCTAssertEqual(choice.twoThreadSteps, 0)
    }

    func testWhileTheSecondCoreIsBusyEveryStepRunsOnOneThread() {
        let choice = chooser { false }
        for i in 0..<steps { _ = choice.network(forStep: i, epoch: 1); XCTAssertEqual(choice.current, .one) }
        XCTAssertNil(choice.preferred)
        XCTAssertEqual(choice.twoThreadSteps, 0)
    }

    func testTrainingThatSwitchesThreadsGivesTheOneThreadBits() throws {
        // Long enough epochs for a calibration (one thread, then two), 2 epochs.
        let data = syntheticDigits(train: steps, test: 100)
        let settings = BaseTrainingSettings(trainImages: steps, epochs: 2,
                                            optimizer: SGDSettings(learningRate: 0.001, learningRateDecay: 1e-5, weightDecay: 1e-3, momentum: 0.9),
                                            testImages: 100)
        var seed = RandomStream(seed: 1)
        let alone = try trainBaseNetwork(data: data, settings: settings, rng: &seed)
        seed = RandomStream(seed: 1)
        let switching = try trainBaseNetwork(data: data, settings: settings, rng: &seed, secondCoreFree: { true })
        XCTAssertEqual(switching.model.parameters, alone.model.parameters)
        XCTAssertEqual(switching.perEpoch, alone.perEpoch)
        XCTAssertEqual(switching.trainAccuracy, alone.trainAccuracy)
    }
}
