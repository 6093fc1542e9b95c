import Analysis
import Engine
import Experiments
import Random
import StudyTypes
import XCTest

final class TransferTests: XCTestCase {
    func testTransferCountsFooledAndTargetedImages() throws {
        let world = TinyWorld()
        let net = Network(world.base)
        // Each adversarial image is the next pair's original: what the net predicts for it decides the counts.
        var pairs: [AdversarialPair] = []
        var expectedFooled = 0, expectedTarget = 0
        for (i, pair) in world.pairs.enumerated() {
            let other = world.pairs[(i + 1) % world.pairs.count].original
            net.forward(other)
            let predicted = net.predictedClass
            expectedFooled += predicted != pair.trueLabel ? 1 : 0
            expectedTarget += predicted == pair.targetLabel ? 1 : 0
            pairs.append(AdversarialPair(original: pair.original, adversarial: other, trueLabel: pair.trueLabel,
                                         targetLabel: pair.targetLabel))
        }
        let result = try measureTransfer(model: world.base, pairs: pairs, settings: TransferSettings(),
                                         testAccuracyPerEpoch: [0.5])
        XCTAssertEqual(result.fooled, expectedFooled)
        XCTAssertEqual(result.fooledToTarget, expectedTarget)
        XCTAssertFalse(result.reachedRequiredAccuracy)
        XCTAssertEqual(result.pairs, pairs.count)
    }

    func testTransferNetworkTrainsDeterministicallyFromItsOwnStream() throws {
        let world = TinyWorld()
        var settings = TransferSettings()
        settings.epochs = 2
        let norm = world.base.normalisation
        let a = try trainTransferNetwork(architecture: .tiny, normalisation: norm, train: world.test, test: world.test,
                                         settings: settings, rng: RandomStream(seed: 3))
        let b = try trainTransferNetwork(architecture: .tiny, normalisation: norm, train: world.test, test: world.test,
                                         settings: settings, rng: RandomStream(seed: 3))
        XCTAssertEqual(a.model, b.model)
        XCTAssertEqual(a.testAccuracy.count, 2)
        XCTAssertNotEqual(a.model.parameters, world.base.parameters)
    }

    func testBadPairsAreRejectedWithTheirIndex() {
        let world = TinyWorld()
        var pairs = world.pairs
        pairs[3].targetLabel = pairs[3].trueLabel
        XCTAssertThrowsError(try HardeningInputs(base: world.base, pairs: pairs, test: world.test, monitorSize: 5,
                                                 rng: RandomStream(seed: 1))) { error in
            XCTAssertTrue("\(error)".contains("pair 3"), "\(error)")
        }
    }
}
