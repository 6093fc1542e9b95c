import Attacks
import Engine
import Random
import StudyTypes

/// A quickly trained small net (12x12 images, 3 classes; `.tiny` widened so that no class
/// relies on dead ReLUs, which would leave a zero input gradient): class 0 a horizontal bar, class 1 a
/// vertical bar, class 2 the diagonal, on faint noise. Trained once and shared by the tests.
enum TinyProblem {
    static let architecture = Architecture(imageSide: 12, padding: 2, kernel: 3, conv1Channels: 4, pool1: 3,
                                           conv2Channels: 8, pool2: 2, hidden: 16, classes: 3)

    /// Image of `label` with noise from `rng`: bar pixels in [0.7, 1], background in [0, 0.2].
    static func image(_ label: Int, rng: inout RandomStream) -> [Float] {
        let side = architecture.imageSide
        return architecture.pad((0..<side * side).map { i in
            let y = i / side, x = i % side
            let onBar = label == 0 ? (y == 5 || y == 6) : label == 1 ? (x == 5 || x == 6) : abs(x - y) <= 1
            return onBar ? rng.uniform(0.7, 1) : rng.uniform(0, 0.2)
        })
    }

    static let model: Model = {
        var rng = RandomStream(rootSeed: 7, name: "tiny-problem")
        let network = Network(Model.torchDefault(architecture, normalisation: Normalisation(mean: 0.2, std: 0.3), rng: &rng))
        let sgd = SGD(settings: .plain(0.05), parameterCount: architecture.parameterCount)
        for step in 0..<1500 {
            let label = step % 3
            network.trainStep(image(label, rng: &rng), label: label, optimizer: sgd)
        }
        return network.model
    }()

    /// `count` fresh images and their labels (cycling through the classes).
    static func pool(_ count: Int, seed: UInt64) throws -> LabelledImages {
        var rng = RandomStream(rootSeed: seed, name: "tiny-pool")
        let labels = (0..<count).map { $0 % 3 }
        return try LabelledImages(pixels: labels.flatMap { image($0, rng: &rng) }, labels: labels,
                                 pixelsPerImage: architecture.pixels)
    }
}
