import Analysis
import Engine
import Experiments
import Random
import StudyTypes

/// Synthetic inputs on the tiny architecture: a random base net, pairs whose adversarial image
/// is the original plus clipped noise, and a small labelled test set.
struct TinyWorld {
    let arch = Architecture.tiny
    let base: Model
    let pairs: [AdversarialPair]
    let test: LabelledImages

    init(seed: UInt64 = 1, pairs count: Int = 24) {
        var rng = RandomStream(seed: seed)
        base = Model.torchDefault(arch, normalisation: Normalisation(mean: 0.3, std: 0.3), rng: &rng)
        var pairs: [AdversarialPair] = []
        for i in 0..<count {
            let label = i % arch.classes
            let target = (label + 1 + rng.nextInt(below: arch.classes - 1)) % arch.classes
            let original = TinyWorld.image(label: label, rng: &rng, pixels: arch.pixels)
            let adversarial = original.map { min(1, max(0, $0 + rng.uniform(-0.3, 0.3))) }
            pairs.append(AdversarialPair(original: original, adversarial: adversarial, trueLabel: label, targetLabel: target))
        }
        self.pairs = pairs
        let labels = (0..<30).map { $0 % 3 }, pixels = arch.pixels
        test = try! LabelledImages(pixels: labels.flatMap { TinyWorld.image(label: $0, rng: &rng, pixels: pixels) },
                                   labels: labels, pixelsPerImage: arch.pixels)
    }

    /// A noisy image whose brightness band depends on the label.
    static func image(label: Int, rng: inout RandomStream, pixels: Int) -> [Float] {
        (0..<pixels).map { k in (k / 48 == label ? 0.8 : 0.1) + rng.uniform(0, 0.2) }
    }

    func inputs(monitorSize: Int = 10) -> HardeningInputs {
        try! HardeningInputs(base: base, pairs: pairs, test: test, monitorSize: monitorSize, rng: RandomStream(seed: 5))
    }
}
