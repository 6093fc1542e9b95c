@testable import Experiments
import Analysis
import Engine
import Random
import XCTest

final class HardeningPolicyTests: XCTestCase {
    func testRetainedCountIsTheCeilingOfPTimesWidth() {
        XCTAssertEqual(DropoutPolicy(layer: .fc, proportion: 0.2).retainedCount(width: 200, afterEpochs: 0), 40)
        XCTAssertEqual(DropoutPolicy(layer: .fc, proportion: 0.7).retainedCount(width: 200, afterEpochs: 0), 140)
        XCTAssertEqual(DropoutPolicy(layer: .conv2, proportion: 0.2).retainedCount(width: 64, afterEpochs: 0), 13)
        XCTAssertEqual(DropoutPolicy(layer: .conv2, proportion: 0.5).retainedCount(width: 64, afterEpochs: 0), 32)
        XCTAssertEqual(DropoutPolicy(layer: .conv2, proportion: 0.7).retainedCount(width: 64, afterEpochs: 0), 45)
    }

    func testScheduleStartsAtP0AndRisesTowardsOne() {
        let policy = DropoutPolicy(layer: .conv2, proportion: 0.2, scheduleRate: 0.1)
        XCTAssertEqual(policy.proportion(afterEpochs: 0), 0.2, accuracy: 1e-12)
        // p_10 = 1 - e^-1 + 0.2 e^-1
        XCTAssertEqual(policy.proportion(afterEpochs: 10), 1 - 0.8 * 0.36787944117144233, accuracy: 1e-12)
        XCTAssertEqual(policy.retainedCount(width: 64, afterEpochs: 200), 64)
        XCTAssertEqual(DropoutPolicy(layer: .fc, proportion: 0.5).proportion(afterEpochs: 50), 0.5)
    }

    func testModelNamesFollowThePaper() {
        XCTAssertEqual(HardeningModel.control.description, "C")
        XCTAssertEqual(HardeningModel.selective(.conv2, 0.2).description, "SD^c_0.2")
        XCTAssertEqual(HardeningModel(policy: DropoutPolicy(layer: .fc, proportion: 0.7, inverted: true)).description,
                       "SD^f_0.7 inverted")
        XCTAssertEqual(HardeningSettings().tableColumns.map(\.description),
                       ["C", "SD^c_0.2", "SD^c_0.5", "SD^c_0.7", "C", "SD^f_0.2", "SD^f_0.5", "SD^f_0.7"])
    }

    func records(_ accuracies: [Double]) -> [EpochRecord] {
        accuracies.enumerated().map {
            EpochRecord(epoch: $0, adversarialValidation: 0, adversarialTraining: $1, originalTraining: 1,
                        originalValidation: 1, mnistMonitor: nil, meanLoss: nil, retained: nil)
        }
    }

    func testConvergenceIsTheStartOfAFinalPlateauOfAtLeastThreeEpochs() {
        let rule = ConvergenceRule(tolerance: 0.01, plateauEpochs: 3)
        XCTAssertEqual(rule.convergenceEpoch(records([0.1, 0.5, 0.9, 0.8, 0.9, 0.9, 0.9])), 4)
        XCTAssertEqual(rule.convergenceEpoch(records([0.1, 0.5, 0.9, 0.895, 0.9])), 2)
        XCTAssertEqual(rule.convergenceEpoch(records([0.7, 0.7, 0.7])), 0)
    }

    func testARunWithoutAPlateauByTheCapIsCensoredNotConvergedAtTheCap() {
        let rule = ConvergenceRule(tolerance: 0.01, plateauEpochs: 3)
        XCTAssertNil(rule.convergenceEpoch(records([0.1, 0.3, 0.5, 0.7, 0.9])), "still rising at the cap")
        XCTAssertNil(rule.convergenceEpoch(records([0.1, 0.5, 0.9, 0.9])), "a two-epoch plateau is too short")
        XCTAssertEqual(ConvergenceRule(tolerance: 0.01, plateauEpochs: 2).convergenceEpoch(records([0.1, 0.5, 0.9, 0.9])), 2)
    }

    func testConvergenceSummaryAveragesConvergedRunsAndCountsCensoredOnes() {
        let s = ConvergenceSummary(steps: [100, nil, 300, nil])
        XCTAssertEqual(s.meanSteps, 200)
        XCTAssertEqual(s.converged, 2)
        XCTAssertEqual(s.censored, 2)
        XCTAssertNil(ConvergenceSummary(steps: [nil]).meanSteps)
    }

    func testRetainedCountHasOneDefinitionAndKeepsAtLeastOneUnit() {
        XCTAssertEqual(DropoutPolicy.retainedCount(proportion: 0.001, width: 64), 1)
        XCTAssertEqual(DropoutPolicy.retainedCount(proportion: 1, width: 64), 64)
        let policy = DropoutPolicy(layer: .fc, proportion: 0.3)
        XCTAssertEqual(policy.retainedCount(width: 200, afterEpochs: 0), DropoutPolicy.retainedCount(proportion: 0.3, width: 200))
    }

    func testSelectionVariantsAreNamedAndRunBesideTheAblations() {
        let s = HardeningSettings()
        XCTAssertEqual(HardeningModel.selective(.fc, 0.5, selection: UnitSelection(source: .currentNet, point: .preReLU)).description,
                       "SD^f_0.5 current-net")
        XCTAssertEqual(HardeningModel.selective(.conv2, 0.2, selection: UnitSelection(source: .baseNet, point: .postReLU)).description,
                       "SD^c_0.2 post-ReLU")
        let extra = s.extraModels(learningRate: 0.001).compactMap(\.policy)
        for variant in s.selectionVariants {
            XCTAssertEqual(extra.filter { $0.selection == variant }.count, s.layers.count * s.proportions.count, "\(variant)")
        }
        XCTAssertTrue(s.tableColumns.compactMap(\.policy).allSatisfy { $0.selection == .notebook })
        XCTAssertTrue(s.extraModels(learningRate: 0.003).isEmpty)
    }

    func testSplitHoldsOutExactlyOnePairPerGroup() {
        let world = TinyWorld(pairs: 40)
        for grouping in Grouping.allCases {
            var rng = RandomStream(seed: 12)
            let split = HardeningSplit(pairs: world.pairs, grouping: grouping, rng: &rng)
            let groups = perturbationGroups(world.pairs, by: grouping)
            XCTAssertEqual(split.validation.count, groups.count)
            XCTAssertEqual(split.training.count + split.validation.count, world.pairs.count)
            XCTAssertEqual(Set(split.training + split.validation).count, world.pairs.count)
            for group in groups {
                XCTAssertEqual(group.members.filter(split.validation.contains).count, 1, "\(grouping) \(group.name)")
            }
        }
        // 3 classes: Orig and Adv have 3 groups, Both at most 6.
        var rng = RandomStream(seed: 1)
        XCTAssertEqual(HardeningSplit(pairs: world.pairs, grouping: .orig, rng: &rng).validation.count, 3)
    }
}
