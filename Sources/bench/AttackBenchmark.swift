import Attacks
import Engine
import Foundation
import MNIST
import Random

/// Times Szegedy's attack on the paper net: seconds per adversarial image (the whole C search)
/// and function + gradient evaluations per second. The net is trained briefly (plain SGD,
/// `trainingSteps` images in order) to make a realistic target; the weights are written to
/// `.build/bench/attack-model.bin` and the attacked cases to `.build/bench/attack-cases.csv` for
/// `scripts/reference/attack_reference.py`. Then the same number of pairs is generated on two
/// worker threads (`generateAdversarialPairs`) for the throughput the study sees.
func runAttackBenchmark(trainingSteps: Int = 6000, images: Int = 6) {
    do {
        let mnist = try MNIST(directory: URL(fileURLWithPath: "data/mnist"))
        let model = try trainBenchmarkNet(mnist.train, steps: trainingSteps)
        let network = Network(model)
        let attack = try SzegedyAttack(network: network)
        var rng = RandomStream(rootSeed: 1, name: "attack-benchmark")
        var seconds = 0.0, evaluations = 0, successes = 0, l2 = 0.0
        var attacked = 0, index = 0, cases = "index,label,target\n"
        print("attack benchmark: \(images) test images, L-BFGS-B m=15 factr=1e7 pgtol=1e-5, <= 200 evaluations per run")
        while attacked < images, index < mnist.test.count {
            let pixels = Architecture.paper.pad(mnist.test.pixels(index)), label = Int(mnist.test.labels[index])
            index += 1
            network.forward(pixels)
            guard network.predictedClass == label else { continue }
            let target = (label + 1 + rng.nextInt(below: 9)) % 10
            let start = DispatchTime.now().uptimeNanoseconds
            let pair = try attack.pair(original: pixels, sourceIndex: index - 1, trueLabel: label, target: target)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            seconds += elapsed; evaluations += pair.evaluations; attacked += 1
            cases += "\(index - 1),\(label),\(target)\n"
            if pair.success { successes += 1; l2 += pair.l2 }
            print(String(format: "  image %5d  %d -> %d  %@  C %.3g  L2 %.3f  runs %2d  evaluations %4d  %.3f s",
                         index - 1, label, target, pair.success ? "fooled" : "failed", pair.c, pair.l2, pair.runs,
                         pair.evaluations, elapsed))
        }
        print(String(format: "attack: %.3f s per image, %.0f evaluations/s (%.3f ms each), %d/%d fooled, mean L2 %.3f",
                     seconds / Double(max(attacked, 1)), Double(evaluations) / seconds, 1000 * seconds / Double(evaluations),
                     successes, attacked, l2 / Double(max(successes, 1))))
        try Data(cases.utf8).write(to: URL(fileURLWithPath: ".build/bench/attack-cases.csv"))
        try benchmarkParallelGeneration(model: model, test: mnist.test, pairs: images)
    } catch {
        print("attack benchmark failed: \(error)")
    }
}

/// Seconds per successful pair when `generateAdversarialPairs` runs on two worker threads.
func benchmarkParallelGeneration(model: Model, test: DigitSet, pairs: Int) throws {
    let poolSize = 20 * pairs
    let pool = try CandidatePool(images: (0..<poolSize).flatMap { Architecture.paper.pad(test.pixels($0)) },
                                 labels: (0..<poolSize).map { Int(test.labels[$0]) })
    var rng = RandomStream(rootSeed: 1, name: "attack-benchmark-pairs")
    let start = DispatchTime.now().uptimeNanoseconds
    let generation = try generateAdversarialPairs(model: model, pool: pool, count: pairs, rng: &rng, workers: 2)
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let evaluations = generation.attempts.reduce(0) { $0 + $1.evaluations }
    print(String(format: "attack, 2 workers: %.3f s per pair (%d pairs, %d attempts), %.0f evaluations/s",
                 elapsed / Double(pairs), generation.pairs.count, generation.attempts.count, Double(evaluations) / elapsed))
}

/// The paper net after `steps` plain-SGD steps (lr 0.01) over the training set in
/// order, normalised by the padded training images' mean and std; saved for the reference script.
func trainBenchmarkNet(_ train: DigitSet, steps: Int) throws -> Model {
    let a = Architecture.paper
    var sum = 0.0, squares = 0.0
    for byte in train.images { let p = Double(byte) / 255; sum += p; squares += p * p }
    let count = Double(train.count * a.inputSide * a.inputSide)
    let mean = sum / count, std = (squares / count - mean * mean).squareRoot()
    var rng = RandomStream(rootSeed: 1, name: "attack-benchmark-init")
    let network = Network(Model.torchDefault(a, normalization: Normalization(mean: Float(mean), std: Float(std)), rng: &rng))
    let sgd = SGD(settings: SGDSettings.plain(0.01), parameterCount: a.parameterCount)
    let start = DispatchTime.now().uptimeNanoseconds
    for step in 0..<steps {
        let i = step % train.count
        network.trainStep(a.pad(train.pixels(i)), label: Int(train.labels[i]), optimizer: sgd)
    }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    print(String(format: "attack benchmark: trained %d steps in %.1f s (%.0f images/s)", steps, elapsed, Double(steps) / elapsed))
    let model = network.model
    let folder = URL(fileURLWithPath: ".build/bench")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try model.write(to: folder.appendingPathComponent("attack-model.bin"))
    return model
}
