@testable import Experiments
import Analysis
import Engine
import Random
import XCTest

/// The selection inside the trainer against an independent brute-force computation on the
/// tiny net, and the precomputed base-net selection against the per-step one.
final class SelectionTests: XCTestCase {
    let world = TinyWorld()

    /// conv2 and fc1 outputs of `pixels` before (or after) their ReLU, in Double, written
    /// straight from the parameter layout: normalise the padded input, conv1, ReLU, max-pool (first
    /// maximum), conv2, ReLU, max-pool, fc1.
    func bruteForce(_ model: Model, _ pixels: [Float], preReLU: Bool) -> (conv2: [Double], fc: [Double]) {
        let a = model.architecture, w = model.parameters.map(Double.init), k = a.kernel
        let side = a.inputSide, n = model.normalisation
        // The input is the whole padded image (D1): every pixel normalised.
        precondition(pixels.count == side * side)
        let input = pixels.map { (Double($0) - Double(n.mean)) / Double(n.std) }
        func conv(_ x: [Double], _ c: Int, _ s: Int, _ wo: Int, _ bo: Int, _ o: Int) -> [Double] {
            let os = s - k + 1
            var out = [Double](repeating: 0, count: o * os * os)
            for m in 0..<o { for y in 0..<os { for xx in 0..<os {
                var z = w[bo + m]
                for i in 0..<c { for ky in 0..<k { for kx in 0..<k {
                    z += w[wo + ((m * c + i) * k + ky) * k + kx] * x[i * s * s + (y + ky) * s + xx + kx]
                } } }
                out[(m * os + y) * os + xx] = z
            } } }
            return out
        }
        func pool(_ x: [Double], _ c: Int, _ s: Int, _ size: Int) -> [Double] {
            let os = s / size
            var out: [Double] = []
            for m in 0..<c { for oy in 0..<os { for ox in 0..<os {
                var best = -Double.infinity
                for dy in 0..<size { for dx in 0..<size { best = max(best, x[m * s * s + (oy * size + dy) * s + ox * size + dx]) } }
                out.append(best)
            } } }
            return out
        }
        let relu = { (v: [Double]) in v.map { max(0, $0) } }
        let p1 = pool(relu(conv(input, 1, side, a.conv1WeightOffset, a.conv1BiasOffset, a.conv1Channels)), a.conv1Channels, a.conv1Side, a.pool1)
        let z2 = conv(p1, a.conv1Channels, a.pool1Side, a.conv2WeightOffset, a.conv2BiasOffset, a.conv2Channels)
        let p2 = pool(relu(z2), a.conv2Channels, a.conv2Side, a.pool2)
        let z3 = (0..<a.hidden).map { h in
            w[a.fc1BiasOffset + h] + (0..<a.flatSize).map { w[a.fc1WeightOffset + h * a.flatSize + $0] * p2[$0] }.reduce(0, +)
        }
        return preReLU ? (z2, z3) : (relu(z2), relu(z3))
    }

    /// Unit j is kept when fewer than `count` units rank above it (more volatile, or as volatile
    /// with a lower index).
    func bruteForceMask(original: [Double], adversarial: [Double], units: Int, count: Int) -> [Bool] {
        let size = original.count / units
        let v = (0..<units).map { j in (0..<size).map { pow(adversarial[j * size + $0] - original[j * size + $0], 2) }.reduce(0, +).squareRoot() }
        return (0..<units).map { j in (0..<units).filter { v[$0] > v[j] || (v[$0] == v[j] && $0 < j) }.count < count }
    }

    func testTrainerSelectionMatchesABruteForceComputationOnTheBaseNet() {
        var stream = RandomStream(seed: 21)
        let split = HardeningSplit(pairs: world.pairs, grouping: .both, rng: &stream)
        let trainer = HardeningTrainer(inputs: world.inputs(), split: split)
        for layer in [UnitLayer.conv2, .fc] {
            for point in ActivationPoint.allCases {
                let model = HardeningModel.selective(layer, 0.5, selection: UnitSelection(source: .baseNet, point: point))
                let epochs = 2
                let run = trainer.run(HardeningRunSpec(seed: 0, grouping: .both, learningRate: 0.05, model: model, epochs: epochs,
                                                       evaluation: .adversarialOnly),
                                      order: RandomStream(seed: 3)).result
                let width = world.arch.width(of: layer), k = model.policy!.retainedCount(width: width, afterEpochs: 0)
                var expected = [Int](repeating: 0, count: width)
                for i in split.training {
                    let o = bruteForce(world.base, world.pairs[i].original, preReLU: point == .preReLU)
                    let a = bruteForce(world.base, world.pairs[i].adversarial, preReLU: point == .preReLU)
                    let mask = layer == .conv2 ? bruteForceMask(original: o.conv2, adversarial: a.conv2, units: width, count: k)
                        : bruteForceMask(original: o.fc, adversarial: a.fc, units: width, count: k)
                    for j in 0..<width where mask[j] { expected[j] += epochs }
                }
                XCTAssertEqual(run.selectionCounts, expected, "\(layer) \(point): the mask must be the base net's, fixed all run")
            }
        }
    }

    func testPreAndPostReLUVolatilityDifferOnTheTinyNet() {
        let pair = world.pairs[0]
        let net = Network(world.base)
        let pre = pairVolatility(net, pair, layer: .fc, point: .preReLU, definition: .normOfDifference)
        let post = pairVolatility(net, pair, layer: .fc, point: .postReLU, definition: .normOfDifference)
        XCTAssertNotEqual(pre, post)
        XCTAssertTrue(zip(pre, post).allSatisfy { $0 >= $1 }, "|z_a - z_o| >= |relu(z_a) - relu(z_o)|")
    }

    func testPrecomputedBaseNetSelectionEqualsThePerStepComputationOnAnUnchangedNet() {
        var stream = RandomStream(seed: 4)
        let split = HardeningSplit(pairs: world.pairs, grouping: .adv, rng: &stream)
        let trainer = HardeningTrainer(inputs: world.inputs(), split: split)
        for layer in [UnitLayer.conv2, .fc] {
            for point in ActivationPoint.allCases {
                for inverted in [false, true] {
                    let base = DropoutPolicy(layer: layer, proportion: 0.5, inverted: inverted,
                                             selection: UnitSelection(source: .baseNet, point: point))
                    var current = base
                    current.selection.source = .currentNet
                    let net = Network(world.base)
                    for i in world.pairs.indices {
                        XCTAssertEqual(trainer.retainedUnits(net, pair: i, policy: base, count: 2),
                                       trainer.retainedUnits(net, pair: i, policy: current, count: 2), "\(layer) \(point) pair \(i)")
                    }
                }
            }
        }
        // A whole run at learning rate 0 never changes the net: both sources select alike.
        func run(_ source: VolatilitySource) -> HardeningRunResult {
            let model = HardeningModel.selective(.fc, 0.5, selection: UnitSelection(source: source, point: .preReLU))
            return trainer.run(HardeningRunSpec(seed: 0, grouping: .adv, learningRate: 0, model: model, epochs: 2,
                                                evaluation: .adversarialOnly), order: RandomStream(seed: 8)).result
        }
        XCTAssertEqual(run(.baseNet).selectionCounts, run(.currentNet).selectionCounts)
    }

    func testTrainingAccuracyIsReadFromTheStepsForwardPasses() {
        var stream = RandomStream(seed: 6)
        let split = HardeningSplit(pairs: world.pairs, grouping: .orig, rng: &stream)
        let trainer = HardeningTrainer(inputs: world.inputs(), split: split)
        // At learning rate 0 every step's forward pass sees the base net: the running accuracy
        // equals the base net's accuracy on the training pairs.
        let run = trainer.run(HardeningRunSpec(seed: 0, grouping: .orig, learningRate: 0, model: .control, epochs: 2,
                                               evaluation: .adversarialOnly), order: RandomStream(seed: 1)).result
        XCTAssertEqual(run.epochs.map(\.adversarialTraining), [Double](repeating: run.epochs[0].adversarialTraining, count: 3))
        XCTAssertEqual(run.epochs.map(\.originalTraining), [Double](repeating: run.epochs[0].originalTraining, count: 3))
    }
}
