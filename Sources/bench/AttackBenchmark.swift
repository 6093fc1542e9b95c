import Attacks
import Engine
import Formatting
import Foundation
import MNIST
import Random
import StudyTypes

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
            print("  image \(Format.padded("\(index - 1)", 5))  \(label) -> \(target)  \(pair.success ? "fooled" : "failed")"
                  + "  C \(Format.significant(pair.c, 3))  L2 \(Format.fixed(pair.l2, 3))  runs \(Format.padded("\(pair.runs)", 2))"
                  + "  evaluations \(Format.padded("\(pair.evaluations)", 4))  \(Format.fixed(elapsed, 3)) s")
        }
        print("attack: \(Format.fixed(seconds / Double(max(attacked, 1)), 3)) s per image, "
              + "\(Format.fixed(Double(evaluations) / seconds, 0)) evaluations/s (\(Format.fixed(1000 * seconds / Double(evaluations), 3)) ms each), "
              + "\(successes)/\(attacked) fooled, mean L2 \(Format.fixed(l2 / Double(max(successes, 1)), 3))")
        try Data(cases.utf8).write(to: URL(fileURLWithPath: ".build/bench/attack-cases.csv"))
        try benchmarkParallelGeneration(model: model, test: mnist.test, pairs: images)
    } catch {
        print("attack benchmark failed: \(error)")
    }
}

/// Seconds per successful pair when `generateAdversarialPairs` runs on two worker threads.
func benchmarkParallelGeneration(model: Model, test: DigitSet, pairs: Int) throws {
    let poolSize = 20 * pairs
    let pool = try LabelledImages(pixels: (0..<poolSize).flatMap { Architecture.paper.pad(test.pixels($0)) },
                                 labels: (0..<poolSize).map { Int(test.labels[$0]) },
                                 pixelsPerImage: Architecture.paper.pixels)
    var rng = RandomStream(rootSeed: 1, name: "attack-benchmark-pairs")
    let start = DispatchTime.now().uptimeNanoseconds
    let generation = try generateAdversarialPairs(model: model, pool: pool, count: pairs, rng: &rng, workers: 2)
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let evaluations = generation.attempts.reduce(0) { $0 + $1.evaluations }
    print("attack, 2 workers: \(Format.fixed(elapsed / Double(pairs), 3)) s per pair (\(generation.pairs.count) pairs, "
          + "\(generation.attempts.count) attempts), \(Format.fixed(Double(evaluations) / elapsed, 0)) evaluations/s")
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
    let network = Network(Model.torchDefault(a, normalisation: Normalisation(mean: Float(mean), std: Float(std)), rng: &rng))
    let sgd = SGD(settings: SGDSettings.plain(0.01), parameterCount: a.parameterCount)
    let start = DispatchTime.now().uptimeNanoseconds
    for step in 0..<steps {
        let i = step % train.count
        network.trainStep(a.pad(train.pixels(i)), label: Int(train.labels[i]), optimizer: sgd)
    }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    print("attack benchmark: trained \(steps) steps in \(Format.fixed(elapsed, 1)) s (\(Format.fixed(Double(steps) / elapsed, 0)) images/s)")
    let model = network.model
    let folder = URL(fileURLWithPath: ".build/bench")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try model.write(to: folder.appendingPathComponent("attack-model.bin"))
    return model
}
