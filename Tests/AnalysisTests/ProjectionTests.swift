import Analysis
import Engine
import Random
import StudyTypes
import XCTest

/// The projections against an independent reference on the tiny net: a Double-precision forward
/// pass that records the ReLU masks and pool switches, the layers written out as explicit
/// matrices, and the projection computed as the transposed chain of those matrices.
final class ProjectionTests: XCTestCase {
    let arch = Architecture.tiny

    func makeNet(seed: UInt64) -> (Network, [Float]) {
        var rng = RandomStream(seed: seed)
        let model = Model.torchDefault(arch, normalisation: Normalisation(mean: 0.2, std: 0.4), rng: &rng)
        return (Network(model), (0..<arch.pixels).map { _ in rng.nextFloat() })
    }

    func testUnitProjectionsMatchTheExplicitTransposedChain() {
        var nonZero = 0
        for seed: UInt64 in [1, 2, 3] {
            let (net, pixels) = makeNet(seed: seed)
            let ref = ReferenceNet(model: net.model, pixels: pixels)
            for layer in [UnitLayer.conv2, .fc] {
                for unit in 0..<arch.width(of: layer) {
                    for rule in [ReLURule.forwardMask, .rectifySignal] {
                        let ours = net.projection(of: pixels, layer: layer, unit: unit, rule: rule)
                        let expected = ref.project(layer: layer, unit: unit, rule: rule)
                        let scale = max(1e-3, expected.map(abs).max()!)
                        if scale > 1e-3 { nonZero += 1 }
                        for k in 0..<ours.count {
                            XCTAssertEqual(Double(ours[k]), expected[k], accuracy: 1e-4 * scale,
                                           "seed \(seed) \(layer) unit \(unit) \(rule) pixel \(k)")
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThan(nonZero, 20, "too few live units to test")
    }

    func testGradientProjectionIsTheInputGradientOfHalfTheSquaredActivation() {
        // For the forward-mask rule, J^T a_j = d/dx (1/2 ||a_j(x)||^2): central differences in Double.
        let (net, pixels) = makeNet(seed: 4)
        let ref = ReferenceNet(model: net.model, pixels: pixels)
        for (layer, unit) in [(UnitLayer.conv2, 1), (.fc, 2)] {
            let ours = net.projection(of: pixels, layer: layer, unit: unit, rule: .forwardMask)
            let h = 1e-6
            for k in stride(from: 0, to: pixels.count, by: 7) {
                var up = ref.x, down = ref.x
                up[k] += h; down[k] -= h
                let f = { (x: [Double]) in ReferenceNet(model: net.model, x: x).halfSquaredActivation(layer, unit: unit) }
                XCTAssertEqual(Double(ours[k]), (f(up) - f(down)) / (2 * h), accuracy: 1e-4, "\(layer) pixel \(k)")
            }
        }
    }

    func testLayerProjectionIsTheSumOfItsUnitProjectionsUnderTheGradientRule() {
        let (net, pixels) = makeNet(seed: 5)
        let whole = net.projection(of: pixels, layer: .conv2, unit: nil, rule: .forwardMask)
        var sum = [Float](repeating: 0, count: pixels.count)
        for j in 0..<arch.conv2Channels {
            let p = net.projection(of: pixels, layer: .conv2, unit: j, rule: .forwardMask)
            for k in 0..<sum.count { sum[k] += p[k] }
        }
        for k in 0..<sum.count { XCTAssertEqual(whole[k], sum[k], accuracy: 1e-5) }
    }

    func testGroupProjectionDifferenceIsAdversarialMinusOriginal() {
        let (net, a) = makeNet(seed: 6)
        let (_, b) = makeNet(seed: 7)
        let pairs = [AdversarialPair(original: a, adversarial: b, trueLabel: 0, targetLabel: 1),
                     AdversarialPair(original: b, adversarial: a, trueLabel: 1, targetLabel: 2)]
        let g = net.groupProjection(pairs, members: [0], layer: .conv2, unit: 2, rule: .rectifySignal)
        XCTAssertEqual(g.original, net.projection(of: a, layer: .conv2, unit: 2, rule: .rectifySignal))
        XCTAssertEqual(g.difference, zip(g.adversarial, g.original).map { $0 - $1 })
        let perUnit = net.unitProjectionDifferences(pairs, members: [0, 1], layer: .conv2, rule: .forwardMask)
        XCTAssertEqual(perUnit.count, arch.conv2Channels)
        // The two pairs swap their images, so the mean difference cancels.
        for row in perUnit { for v in row { XCTAssertEqual(v, 0, accuracy: 1e-6) } }
    }
}
