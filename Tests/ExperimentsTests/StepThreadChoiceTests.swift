import Engine
@testable import Experiments
import MNIST
import Random
import XCTest

/// Base training's choice between the one- and two-thread step: made block by block on the
/// training itself, only while the second core is free, and invisible in the results.
final class StepThreadChoiceTests: XCTestCase {
    let steps = 6 * StepThreadChoice.blockSteps

    func chooser(secondCoreFree: @escaping () -> Bool = { true },
                 clock: @escaping () -> Double = { ProcessInfo.processInfo.systemUptime }) -> StepThreadChoice {
        var rng = RandomStream(seed: 3)
        let model = Model.torchDefault(.paper, normalisation: Normalisation(mean: 0.13, std: 0.31), rng: &rng)
        return StepThreadChoice(Network(model), stepsPerEpoch: steps, secondCoreFree: secondCoreFree, clock: clock)
    }

    /// A simulated machine: one thread takes 65 us a step; two take `twoThreadStep(step)`.
    final class Machine: @unchecked Sendable {
        var seconds = 0.0
        var step = 0
        let twoThreadStep: (Int) -> Double
        init(twoThreadStep: @escaping (Int) -> Double) { self.twoThreadStep = twoThreadStep }
        func run(_ choice: StepThreadChoice, steps: Int) -> [StepThreads] {
            (0..<steps).map { i in
                _ = choice.network(forStep: i)
                seconds += choice.current == .two ? twoThreadStep(step) : 65e-6
                step += 1
                return choice.current
            }
        }
    }

    func testTheFirstFreeBlockTimesOneThreadThenAProbeTimesTwo() throws {
        try XCTSkipIf(ProcessInfo.processInfo.activeProcessorCount < 2, "a one-core machine never uses two threads")
        let machine = Machine { _ in 46e-6 }
        let choice = chooser(clock: { machine.seconds })
        let used = machine.run(choice, steps: steps)
        let n = StepThreadChoice.blockSteps, probe = StepThreadChoice.probeSteps
        XCTAssertEqual(Set(used[0..<n]), [.one])
        XCTAssertEqual(Set(used[n..<n + probe]), [.two])
        XCTAssertEqual(try XCTUnwrap(choice.oneThreadStep), 65e-6, accuracy: 1e-9)
        // Faster on two threads: it stays there.
        XCTAssertEqual(Set(used[(n + probe)...]), [.two])
    }

    func testAProbeSlowerThanOneThreadGoesBackAndProbesEverLessOften() throws {
        try XCTSkipIf(ProcessInfo.processInfo.activeProcessorCount < 2, "a one-core machine never uses two threads")
        let machine = Machine { _ in 90e-6 }
        let choice = chooser(clock: { machine.seconds })
        let used = machine.run(choice, steps: 60 * StepThreadChoice.blockSteps)
        // Probes: after 1 reference block, then 2, 4, 8, 16, 16, ...
        var probes: [Int] = [], i = 0
        while i < used.count {
            if used[i] == .two { probes.append(i); i += StepThreadChoice.probeSteps } else { i += 1 }
        }
        let n = StepThreadChoice.blockSteps, p = StepThreadChoice.probeSteps
        XCTAssertEqual(Array(probes.prefix(3)), [n, 3 * n + p, 7 * n + 2 * p])
        XCTAssertEqual(choice.probeGap, StepThreadChoice.maxProbeGap)
        let twoShare = Double(used.filter { $0 == .two }.count) / Double(used.count)
        XCTAssertLessThan(twoShare, 0.1)
    }

    func testItFollowsATwoThreadStepThatTurnsSlowAndFastAgain() throws {
        try XCTSkipIf(ProcessInfo.processInfo.activeProcessorCount < 2, "a one-core machine never uses two threads")
        // Fast for 20 blocks' worth of steps, slow for 20, then fast.
        let n = StepThreadChoice.blockSteps
        let machine = Machine { $0 < 20 * n || $0 >= 40 * n ? 46e-6 : 90e-6 }
        let choice = chooser(clock: { machine.seconds })
        let used = machine.run(choice, steps: 60 * n)
        // Back on one thread one block after the turn, probing ever less often; on two again
        // within 16 blocks and a probe of the turn back.
        XCTAssertTrue(used[(22 * n)..<(40 * n)].contains(.two), "it keeps probing")
        XCTAssertGreaterThan(used[(22 * n)..<(40 * n)].filter { $0 == .one }.count, 16 * n)
        XCTAssertEqual(Set(used[(58 * n)...]), [.two])
    }

    func testTwoThreadStepsCountsTheEpochsStepsOnTwoThreadsAndRestartsEachEpoch() throws {
        try XCTSkipIf(ProcessInfo.processInfo.activeProcessorCount < 2, "a one-core machine never uses two threads")
        let machine = Machine { _ in 46e-6 }
        let choice = chooser(clock: { machine.seconds })
        let used = machine.run(choice, steps: steps)
        XCTAssertEqual(choice.twoThreadSteps, used.filter { $0 == .two }.count)
        XCTAssertGreaterThan(choice.twoThreadSteps, 0)
        // The next epoch: its steps count from 0 again.
        let next = machine.run(choice, steps: 10)
        XCTAssertEqual(choice.twoThreadSteps, next.filter { $0 == .two }.count)
    }

    func testWhileTheSecondCoreIsBusyEveryStepRunsOnOneThreadAndSetsNoReference() {
        let machine = Machine { _ in 46e-6 }
        let choice = chooser(secondCoreFree: { false }, clock: { machine.seconds })
        XCTAssertEqual(Set(machine.run(choice, steps: steps)), [.one])
        XCTAssertNil(choice.oneThreadStep)
        XCTAssertEqual(choice.twoThreadSteps, 0)
    }

    func testTrainingThatSwitchesThreadsGivesTheOneThreadBits() throws {
        // Long enough epochs for a reference block and a probe (one thread, then two), 2 epochs.
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
