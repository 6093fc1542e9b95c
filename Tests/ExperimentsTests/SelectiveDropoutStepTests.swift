@testable import Experiments
import Analysis
import Engine
import Random
import XCTest

final class SelectiveDropoutStepTests: XCTestCase {
    let world = TinyWorld()

    func rows(_ net: Network, _ layer: UnitLayer) -> [[Float]] {
        let (offset, length) = net.incomingRows(of: layer)
        return (0..<net.architecture.width(of: layer)).map { Array(net.parameters[offset + $0 * length..<offset + ($0 + 1) * length]) }
    }

    func testSwitchedOffUnitsKeepTheirIncomingWeights() {
        var stream = RandomStream(seed: 2)
        let trainer = HardeningTrainer(inputs: world.inputs(),
                                       split: HardeningSplit(pairs: world.pairs, grouping: .orig, rng: &stream))
        for layer in [UnitLayer.conv2, .fc] {
            let net = Network(world.base)
            let sgd = SGD(settings: .plain(0.5), parameterCount: net.architecture.parameterCount)
            // Post-ReLU selection keeps units active on one of the images, so every retained unit gets a gradient.
            let policy = DropoutPolicy(layer: layer, proportion: 0.5, selection: UnitSelection(source: .baseNet, point: .postReLU))
            let pair = world.pairs[0]
            let kept = trainer.retainedUnits(net, pair: 0, policy: policy, count: 2)
            XCTAssertEqual(kept.filter { $0 }.count, 2)
            let before = rows(net, layer)
            let mask = UnitMask(layer: layer, retained: kept, mode: .switchOff)
            net.trainStep(pair.adversarial, label: pair.trueLabel, optimizer: sgd, mask: mask)
            net.trainStep(pair.original, label: pair.trueLabel, optimizer: sgd, mask: mask)
            let after = rows(net, layer)
            for j in kept.indices {
                if kept[j] {
                    XCTAssertNotEqual(after[j], before[j], "\(layer) retained unit \(j) did not train")
                } else {
                    XCTAssertEqual(after[j], before[j], "\(layer) switched-off unit \(j) changed")
                }
            }
        }
    }

    func testGradientMaskLeavesTheForwardPassUnchanged() {
        let pair = world.pairs[1]
        for layer in [UnitLayer.conv2, .fc] {
            let net = Network(world.base)
            let unmaskedLoss = -net.forward(pair.adversarial)[pair.trueLabel]
            let sgd = SGD(settings: .plain(0.1), parameterCount: net.architecture.parameterCount)
            let width = net.architecture.width(of: layer)
            let retained = (0..<width).map { $0 % 2 == 0 }
            let step = net.trainStep(pair.adversarial, label: pair.trueLabel, optimizer: sgd,
                                     mask: UnitMask(layer: layer, retained: retained, mode: .gradientMask))
            XCTAssertEqual(step.loss, unmaskedLoss, "\(layer): the gradient mask changed the forward pass")
            let switched = Network(world.base)
            let switchedStep = switched.trainStep(pair.adversarial, label: pair.trueLabel, optimizer: sgd,
                                                  mask: UnitMask(layer: layer, retained: retained, mode: .switchOff))
            XCTAssertNotEqual(switchedStep.loss, unmaskedLoss, "\(layer): switching units off should change the forward pass")
        }
    }

    func testControlEqualsSelectiveDropoutWithPOne() {
        var stream = RandomStream(seed: 3)
        let split = HardeningSplit(pairs: world.pairs, grouping: .adv, rng: &stream)
        let trainer = HardeningTrainer(inputs: world.inputs(), split: split)
        let order = RandomStream(seed: 4)
        func spec(_ model: HardeningModel) -> HardeningRunSpec {
            HardeningRunSpec(seed: 0, grouping: .adv, learningRate: 0.05, model: model, epochs: 3,
                             evaluation: .adversarialOnly)
        }
        let control = trainer.run(spec(.control), order: order)
        for layer in [UnitLayer.conv2, .fc] {
            let full = trainer.run(spec(.selective(layer, 1)), order: order)
            XCTAssertEqual(full.model.parameters, control.model.parameters, "\(layer)")
            XCTAssertEqual(full.result.epochs.map(\.adversarialTraining), control.result.epochs.map(\.adversarialTraining))
        }
        let half = trainer.run(spec(.selective(.fc, 0.5)), order: order)
        XCTAssertNotEqual(half.model.parameters, control.model.parameters)
    }

    func testAnAdversarialOnlyRunTrainsTheSameNetAndRecordsTheSameMetricWithoutTheOtherEvaluations() {
        var stream = RandomStream(seed: 8)
        let split = HardeningSplit(pairs: world.pairs, grouping: .both, rng: &stream)
        let trainer = HardeningTrainer(inputs: world.inputs(), split: split)
        func run(_ evaluation: RunEvaluation) -> (result: HardeningRunResult, model: Model) {
            trainer.run(HardeningRunSpec(seed: 0, grouping: .both, learningRate: 0.01, model: .selective(.fc, 0.5),
                                         epochs: 3, evaluation: evaluation), order: RandomStream(seed: 9))
        }
        let full = run(.curvesAndFullTest), lean = run(.adversarialOnly)
        XCTAssertEqual(lean.model.parameters, full.model.parameters)
        XCTAssertEqual(lean.result.epochs.map(\.adversarialValidation), full.result.epochs.map(\.adversarialValidation))
        XCTAssertEqual(lean.result.epochs.map(\.adversarialTraining), full.result.epochs.map(\.adversarialTraining))
        XCTAssertEqual(lean.result.convergenceEpoch, full.result.convergenceEpoch)
        XCTAssertTrue(lean.result.epochs.allSatisfy { $0.originalValidation == nil && $0.mnistMonitor == nil })
        XCTAssertTrue(full.result.epochs.allSatisfy { $0.originalValidation != nil && $0.mnistMonitor != nil })
        XCTAssertNil(lean.result.finalTestAccuracy)
        XCTAssertEqual(lean.result.finalTestImages, 0)
    }

    func testATrainerMadeForAdversarialOnlyRunsGivesTheSameRunsWithoutEvaluatingTheBaseNetsMonitor() {
        var stream = RandomStream(seed: 8)
        let split = HardeningSplit(pairs: world.pairs, grouping: .both, rng: &stream)
        let everything = HardeningTrainer(inputs: world.inputs(), split: split)
        let lean = HardeningTrainer(inputs: world.inputs(), split: split, evaluation: .adversarialOnly)
        let spec = HardeningRunSpec(seed: 0, grouping: .both, learningRate: 0.01, model: .selective(.fc, 0.5),
                                    epochs: 2, evaluation: .adversarialOnly)
        let a = everything.run(spec, order: RandomStream(seed: 9)), b = lean.run(spec, order: RandomStream(seed: 9))
        XCTAssertEqual(b.result, a.result)
        XCTAssertEqual(b.model.parameters, a.model.parameters)
        XCTAssertNotNil(everything.baseRecord.mnistMonitor)
        XCTAssertNil(lean.baseRecord.mnistMonitor)
        XCTAssertNil(lean.baseRecord.originalValidation)
    }

    func testAnEvaluationIsWithinThoseThatReadAtLeastWhatItReads() {
        let order: [RunEvaluation] = [.adversarialOnly, .finalMonitor, .curvesAndFullTest]
        for (i, poorer) in order.enumerated() {
            for (j, richer) in order.enumerated() {
                XCTAssertEqual(poorer.within(richer), i <= j, "\(poorer) within \(richer)")
            }
        }
        XCTAssertEqual(RunEvaluation.grid(seed: 0), .curvesAndFullTest)
        XCTAssertEqual(RunEvaluation.grid(seed: 3), .finalMonitor)
    }

    func testSelectionCountsAddUpToKPerPairAndEpoch() {
        var stream = RandomStream(seed: 8)
        let split = HardeningSplit(pairs: world.pairs, grouping: .both, rng: &stream)
        let trainer = HardeningTrainer(inputs: world.inputs(), split: split)
        let run = trainer.run(HardeningRunSpec(seed: 0, grouping: .both, learningRate: 0.01, model: .selective(.fc, 0.5),
                                               epochs: 2, evaluation: .curvesAndFullTest),
                              order: RandomStream(seed: 9)).result
        XCTAssertEqual(run.selectionOpportunities, split.training.count * 2)
        XCTAssertEqual(run.selectionCounts.reduce(0, +), 3 * run.selectionOpportunities)  // ceil(0.5 * 6) = 3
        XCTAssertEqual(run.epochs.map(\.epoch), [0, 1, 2])
        XCTAssertNotNil(run.epochs[1].mnistMonitor)
        XCTAssertEqual(run.finalTestImages, world.test.count)
    }
}
