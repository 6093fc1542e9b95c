import StudyTypes
import Foundation
import MNIST
@testable import Figures

/// Realistic synthetic inputs for every figure: real MNIST digits where a digit is shown,
/// deterministic pseudo-random values (a fixed LCG) elsewhere.
struct Samples {
    let digits: DigitSet
    var rng = LCG(seed: 7)

    init() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        digits = try MNIST(directory: root.appendingPathComponent("data/mnist")).test.prefix(200)
    }

    /// A pair from test digit `index`: a smooth, sparse perturbation standing in for L-BFGS-B's.
    mutating func pair(_ index: Int, target: Int) -> PairFigureInput {
        let x = digits.pixels(index)
        var adv = x
        for i in 0..<784 where (i / 28 + i % 28) % 3 != 0 {
            let r = Float(rng.gaussian() * 0.12) * (x[i] > 0.3 ? 1.2 : 0.6)
            adv[i] = min(1, max(0, x[i] + r))
        }
        return PairFigureInput(AdversarialPair(original: x, adversarial: adv, trueLabel: Int(digits.labels[index]), targetLabel: target),
                         originalConfidence: 0.999 - rng.uniform() * 0.01, adversarialConfidence: 0.6 + rng.uniform() * 0.39)
    }

    mutating func values(_ count: Int, scale: Double = 1, relu: Bool = false) -> [Float] {
        (0..<count).map { _ in
            let v = rng.gaussian() * scale
            return Float(relu ? max(0, v) : v)
        }
    }
}

/// Knuth's MMIX LCG with a Box-Muller Gaussian: test data only.
struct LCG {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func gaussian() -> Double {
        let u = max(uniform(), 1e-12), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}

extension Samples {
    /// Valid 5x5 cross-correlation of a side x side image, plus ReLU when asked.
    static func convolve(_ image: [Float], side: Int, kernel: [Float], relu: Bool) -> [Float] {
        let out = side - 4
        return (0..<(out * out)).map { o in
            let (r, c) = (o / out, o % out)
            var sum: Float = 0
            for u in 0..<5 { for v in 0..<5 { sum += kernel[u * 5 + v] * image[(r + u) * side + c + v] } }
            return relu ? max(0, sum) : sum
        }
    }

    /// The 28x28 digit zero-padded to 32x32.
    static func padded(_ x: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: 1024)
        for r in 0..<28 { for c in 0..<28 { out[(r + 2) * 32 + c + 2] = x[r * 28 + c] } }
        return out
    }

    mutating func kernels(_ count: Int) -> [[Float]] { (0..<count).map { _ in values(25, scale: 0.3) } }

    mutating func featureMaps(_ pair: PairFigureInput) -> FeatureMapsInput {
        let ks = kernels(32)
        func conv1(_ x: [Float]) -> LayerActivations {
            LayerActivations(channels: 32, side: 28, values: ks.flatMap { Samples.convolve(Samples.padded(x), side: 32, kernel: $0, relu: true) })
        }
        let c2o = values(64 * 25, scale: 1.2, relu: true)
        let c2a = c2o.map { max(0, $0 + Float(rng.gaussian() * 0.5)) }
        return FeatureMapsInput(trueLabel: pair.pair.trueLabel, targetLabel: pair.pair.targetLabel,
                                conv1Original: conv1(pair.pair.original), conv1Adversarial: conv1(pair.pair.adversarial),
                                conv2Original: LayerActivations(channels: 64, side: 5, values: c2o),
                                conv2Adversarial: LayerActivations(channels: 64, side: 5, values: c2a))
    }

    mutating func fullyConnected(pairs: Int) -> FullyConnectedActivations {
        let volatility = (0..<200).map { _ in pow(rng.uniform(), 4) * 3 }
        var original: [[Float]] = [], adversarial: [[Float]] = []
        for _ in 0..<pairs {
            let o = values(200, scale: 1.5, relu: true)
            original.append(o)
            adversarial.append(zip(o, volatility).map { max(0, $0 + Float(rng.gaussian() * $1)) })
        }
        return FullyConnectedActivations(original: original, adversarial: adversarial)
    }

    /// A smooth signed "projection" of a digit: the digit convolved with a random kernel, same size.
    mutating func projection(_ x: [Float]) -> [Float] {
        let k = values(25, scale: 0.4)
        return Samples.convolve(Samples.padded(x), side: 32, kernel: k, relu: false)
    }
}

extension Samples {
    /// The study's network as the integrator describes it.
    static let network = NetworkDiagram(
        shapes: [TensorShape(channels: 1, height: 32, width: 32), TensorShape(channels: 32, height: 28, width: 28),
                 TensorShape(channels: 32, height: 9, width: 9), TensorShape(channels: 64, height: 5, width: 5),
                 TensorShape(channels: 64, height: 2, width: 2), TensorShape(channels: 256), TensorShape(channels: 200),
                 TensorShape(channels: 10)],
        operations: ["conv 5×5\nReLU", "max-pool\n3×3", "conv 5×5\nReLU", "max-pool\n2×2", "flatten",
                     "fully conn.\nReLU", "fully conn.\nlog-softmax"],
        parameters: 105_506)
}

extension Samples {
    static let models = ["C", "SD 0.2 conv2", "SD 0.5 conv2", "SD 0.7 conv2", "SD 0.2 fc", "SD 0.5 fc", "SD 0.7 fc"]
    static let settings = ["Both", "Orig", "Adv"].flatMap { g in ["0.001", "0.003"].map { "\(g), lr \($0)" } }

    mutating func trainingCurves(epochs: Int) -> TrainingCurves {
        let e = (1...epochs).map(Double.init)
        return TrainingCurves(loss: e.map { 0.02 + 0.3 / $0 + rng.uniform() * 0.005 },
                              testAccuracy: e.map { 0.99 - 0.02 / $0.squareRoot() + rng.uniform() * 0.001 },
                              trainAccuracy: e.map { min(1, 0.999 - 0.03 / $0) },
                              protocolDescription: "batch 1, lr 1e-4, momentum 0.9, \(epochs) epochs")
    }

    mutating func hardeningCurves(epochs: Int) -> HardeningCurves {
        HardeningCurves(metric: "adversarial validation accuracy", panels: Samples.settings.map { title in
            CurvePanel(title: title, series: ["C", "SD 0.5 conv2", "SD 0.5 fc"].enumerated().map { i, name in
                let rate = 0.15 + Double(i) * 0.08
                let v = (1...epochs).map { 0.9 * (1 - exp(-rate * Double($0))) + rng.uniform() * 0.03 }
                return CurveSeries(name: name, values: v, lower: v.map { max(0, $0 - 0.06) }, upper: v.map { min(1, $0 + 0.06) })
            })
        }, bandDescription: "95% CI over 10 seeds")
    }

    mutating func seedIntervals(seeds: Int) -> SeedIntervals {
        SeedIntervals(metric: "adversarial validation accuracy", seeds: seeds, panels: Samples.settings.map { title in
            IntervalPanel(title: title, entries: Samples.models.map { model in
                let mean = 0.6 + rng.uniform() * 0.3, half = 0.02 + rng.uniform() * 0.08
                return IntervalEntry(model: model, mean: mean, lower: mean - half, upper: min(1, mean + half))
            })
        })
    }
}
