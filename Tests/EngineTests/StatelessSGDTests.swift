@testable import Engine
import Random
import XCTest

/// Plain SGD without momentum or weight decay (the hardening stage's) is x -= lr g on both paths,
/// keeps no velocity, and gives the general rule's bits.
final class StatelessSGDTests: XCTestCase {
    func testStatelessSettingsAreThoseWithoutMomentumAndWeightDecay() {
        XCTAssertTrue(SGDSettings.plain(0.001).isStateless)
        XCTAssertFalse(SGDSettings(learningRate: 0.1, momentum: 0.9).isStateless)
        XCTAssertFalse(SGDSettings(learningRate: 0.1, weightDecay: 1e-3).isStateless)
    }

    func testAStatelessUpdateIsXMinusRateTimesGradientAndLeavesTheVelocityAtZero() {
        let sgd = SGD(settings: .plain(0.1), parameterCount: 2)
        var x: [Float] = [1, -2]
        sgd.update(&x, [0.5, 3], range: 0..<2, rate: sgd.currentLearningRate)
        sgd.finishStep()
        XCTAssertEqual(x, [1 - 0.1 * 0.5, -2 - 0.1 * 3])
        XCTAssertEqual(Array(sgd.velocity), [0, 0])
    }

    func testTheFusedStatelessUpdateGivesTheBitsOfTheGeneralRuleWithZeroMomentumAndDecay() {
        var rng = RandomStream(seed: 70)
        let sgd = SGD(settings: .plain(0.003), parameterCount: 32)
        let x = UnsafeMutablePointer<Float>.allocate(capacity: 32)
        defer { x.deallocate() }
        for i in 0..<32 { x[i] = Float(rng.uniform(-1, 1)) }
        let g = (0..<32).map { _ in Float(rng.uniform(-2, 2)) }
        let stale = (0..<32).map { _ in Float(rng.uniform(-5, 5)) }  // whatever a velocity held
        let rate = sgd.currentLearningRate
        // The general rule: g + wd x, v = m v + keep g, x - rate v with wd = 0, m = 0, keep = 1.
        let expected = (0..<32).map { i -> UInt32 in
            let gi = g[i] + 0 * x[i], vi = 0 * stale[i] + 1 * gi
            return (x[i] - rate * vi).bitPattern
        }
        let fused = FusedSGD(sgd, parameters: x)
        XCTAssertTrue(fused.stateless)
        fused.apply(x, gradient: Vec16((0..<16).map { g[$0] }))
        for i in 16..<32 { fused.apply(x + i, gradient: g[i]) }
        XCTAssertEqual((0..<32).map { x[$0].bitPattern }, expected)
        XCTAssertTrue(sgd.velocity.allSatisfy { $0 == 0 })
    }

    func testFastStatelessStepsTrackTheReferenceAndNeitherKeepsAVelocity() {
        let model = paperModel(seed: 71)
        let fast = Network(model), reference = ReferenceNetwork(model)
        let n = model.architecture.parameterCount
        let o1 = SGD(settings: .plain(0.05), parameterCount: n), o2 = SGD(settings: .plain(0.05), parameterCount: n)
        for (pixels, label) in blobImages(20, seed: 72) {
            let r1 = fast.trainStep(pixels, label: label, optimizer: o1)
            let r2 = reference.trainStep(pixels, label: label, optimizer: o2)
            XCTAssertEqual(r1.loss, r2.loss, accuracy: 1e-4 * max(1, r2.loss))
        }
        assertClose(Array(fast.parameters), Array(reference.parameters), tolerance: 2e-5, "parameters after 20 steps")
        XCTAssertNotEqual(Array(fast.parameters), model.parameters, "the steps changed the parameters")
        XCTAssertTrue(o1.velocity.allSatisfy { $0 == 0 } && o2.velocity.allSatisfy { $0 == 0 })
    }
}
