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

    func testConvergenceIsTheStartOfTheFinalPlateau() {
        func records(_ accuracies: [Double]) -> [EpochRecord] {
            accuracies.enumerated().map {
                EpochRecord(epoch: $0, adversarialValidation: 0, adversarialTraining: $1, originalTraining: 1,
                            originalValidation: 1, mnistMonitor: nil, meanLoss: nil, retained: nil)
            }
        }
        XCTAssertEqual(convergenceEpoch(records([0.1, 0.5, 0.9, 0.8, 0.9, 0.9]), tolerance: 0.01), 4)
        XCTAssertEqual(convergenceEpoch(records([0.1, 0.5, 0.9, 0.895, 0.9]), tolerance: 0.01), 2)
        XCTAssertEqual(convergenceEpoch(records([0.7, 0.7]), tolerance: 0.01), 0)
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
