import Analysis
import Engine
import Foundation
import Random
import XCTest

/// The notebook's mapBack against a brute-force computation on the tiny net: the explicit
/// Double-precision matrices of the real net (masks and switches of the real forward pass),
/// the chosen layer's matrix rebuilt from weights overwritten with 1 (the unit) and 0 (the rest),
/// and gradOutput = the log-probabilities pushed through log-softmax's Jacobian by hand.
final class MapBackTests: XCTestCase {
    let arch = Architecture.tiny

    func makeNet(seed: UInt64) -> (Network, [Float]) {
        var rng = RandomStream(seed: seed)
        let model = Model.torchDefault(arch, normalisation: Normalisation(mean: 0.2, std: 0.4), rng: &rng)
        return (Network(model), (0..<arch.pixels).map { _ in rng.nextFloat() })
    }

    func bruteForce(_ model: Model, _ pixels: [Float], layer: UnitLayer, unit: Int?) -> [Double] {
        let a = model.architecture, real = ReferenceNet(model: model, pixels: pixels), w = real.w
        var overwritten = model
        let (offset, length): (Int, Int) = layer == .conv1 ? (a.conv1WeightOffset, a.kernel * a.kernel)
            : layer == .conv2 ? (a.conv2WeightOffset, a.conv1Channels * a.kernel * a.kernel) : (a.fc1WeightOffset, a.flatSize)
        for j in 0..<a.width(of: layer) {
            for i in 0..<length { overwritten.parameters[offset + j * length + i] = unit == nil || unit == j ? 1 : 0 }
        }
        let swapped = ReferenceNet(model: overwritten, pixels: pixels)  // only its layer matrices are used
        let fc2 = (0..<a.classes).map { o in (0..<a.hidden).map { w[a.fc2WeightOffset + o * a.hidden + $0] } }
        let logits = multiply(fc2, real.z3.map { max($0, 0) }).enumerated().map { $1 + w[a.fc2BiasOffset + $0] }
        let m = logits.max()!, lse = m + log(logits.map { exp($0 - m) }.reduce(0, +))
        let logProbs = logits.map { $0 - lse }
        // gradOutput g = log p; through log-softmax: d z_k = g_k - p_k sum_j g_j
        let total = logProbs.reduce(0, +)
        let dLogits = logProbs.map { $0 - exp($0) * total }
        func mask(_ s: [Double], _ z: [Double]) -> [Double] { zip(s, z).map { $1 > 0 ? $0 : 0 } }
        var s = mask(multiply(transpose(fc2), dLogits), real.z3)
        s = mask(multiply(transpose(real.pool2), multiply(transpose(layer == .fc ? swapped.fc1 : real.fc1), s)), real.z2)
        s = mask(multiply(transpose(real.pool1), multiply(transpose(layer == .conv2 ? swapped.conv2 : real.conv2), s)), real.z1)
        return multiply(transpose(real.normalise), multiply(transpose(layer == .conv1 ? swapped.conv1 : real.conv1), s))
    }

    func testMapBackMatchesTheBruteForceMatrixChainForEveryUnitAndLayer() {
        var nonZero = 0
        for seed: UInt64 in [1, 2] {
            let (net, pixels) = makeNet(seed: seed)
            for layer in UnitLayer.allCases {
                for unit in [nil] + (0..<arch.width(of: layer)).map(Optional.some) {
                    let ours = net.projection(of: pixels, layer: layer, unit: unit, method: .mapBack)
                    let expected = bruteForce(net.model, pixels, layer: layer, unit: unit)
                    let scale = max(1e-3, expected.map(abs).max()!)
                    if scale > 1e-3 { nonZero += 1 }
                    for k in 0..<ours.count {
                        XCTAssertEqual(Double(ours[k]), expected[k], accuracy: 1e-4 * scale,
                                       "seed \(seed) \(layer) unit \(String(describing: unit)) pixel \(k)")
                    }
                }
            }
        }
        XCTAssertGreaterThan(nonZero, 20, "too few non-zero projections to test")
    }

    func testMapBackLeavesTheWeightsAndTheForwardOutputUnchanged() {
        let (net, pixels) = makeNet(seed: 3)
        let before = net.model.parameters, output = net.forward(pixels)
        _ = net.mapBack(layer: .conv2, unit: 1)
        XCTAssertEqual(net.model.parameters, before)
        XCTAssertEqual(net.logProbabilities, output)
        XCTAssertEqual(net.forward(pixels), output)
    }

    func testTheLayerMapBackIsTheSumOfItsUnitsMapBacks() {
        let (net, pixels) = makeNet(seed: 4)
        net.forward(pixels)
        let whole = net.mapBack(layer: .fc, unit: nil)
        var sum = [Float](repeating: 0, count: whole.count)
        for j in 0..<arch.hidden { for (k, v) in net.mapBack(layer: .fc, unit: j).enumerated() { sum[k] += v } }
        let scale = max(1e-3, whole.map(abs).max()!)
        for k in 0..<whole.count { XCTAssertEqual(whole[k], sum[k], accuracy: 1e-5 * scale) }
    }
}
