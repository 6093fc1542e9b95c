import StudyTypes
import Analysis
import Engine

/// Darwinian testing (the paper's section 6.3): an adversary attacks the current network on
/// fresh images, the network trains on the pairs it finds (as in hardening), and the next round
/// attacks the updated network. Rounds t = 0...T with T = `rounds` - 1.
public struct DarwinianSettings: Codable, Hashable, Sendable {
    /// Rounds t = 0..<rounds (5: T = 4).
    public var rounds: Int = 5
    /// Source images attacked per round (correctly classified by the current network).
    public var sourcesPerRound: Int = 24
    /// Independent chains per model (new sources, targets and orders per seed).
    public var seeds: Int = 3
    /// The control and selective dropout at the paper's best p (its claims: SD^c_0.2 and
    /// SD^f_0.7 at lr 0.001).
    public var models: [HardeningModel] = [.control, .selective(.conv2, 0.2), .selective(.fc, 0.7)]
    public var learningRate: Double = 0.001
    /// Hardening epochs per round (hardening's default).
    public var epochs: Int = 20
    /// The fast-gradient-sign adversary's fixed epsilon (pixel units).
    public var fgsmEpsilon: Float = 0.1
    /// Test images (disjoint from every source) on which clean accuracy is measured.
    public var monitorSize: Int = 1000

    public init() {}

    /// Candidates set aside per (seed, round): twice the sources, so that a few misclassified
    /// candidates can be skipped.
    public var candidatesPerRound: Int { 2 * sourcesPerRound }

    /// Test images the schedule needs: the monitor plus every (seed, round)'s candidates.
    public var imagesNeeded: Int { monitorSize + seeds * rounds * candidatesPerRound }
}

/// An image the adversary attacks: pixels in [0, 1], its label and the target.
public struct DarwinianSource: Codable, Hashable, Sendable {
    public var image: [Float]
    public var label: Int
    public var target: Int
    public init(image: [Float], label: Int, target: Int) { self.image = image; self.label = label; self.target = target }
}

/// The L-BFGS adversary's result on one source.
public struct DarwinianAttempt: Codable, Equatable, Sendable {
    public var success: Bool
    public var adversarial: [Float]
    public var c: Double
    public init(success: Bool, adversarial: [Float], c: Double) {
        self.success = success; self.adversarial = adversarial; self.c = c
    }
}

/// The adversaries, handed the current network and one source: the L-BFGS search (the study's
/// attack: the Study passes it in, so this target needs no attack code) and FGSM at the fixed
/// epsilon. The runner calls them on its worker threads, each call on its own.
public struct DarwinianAdversary: Sendable {
    public var lbfgs: @Sendable (Model, DarwinianSource) throws -> DarwinianAttempt
    public var fgsm: @Sendable (Model, DarwinianSource) throws -> FGSMOutcome
    public init(lbfgs: @escaping @Sendable (Model, DarwinianSource) throws -> DarwinianAttempt,
                fgsm: @escaping @Sendable (Model, DarwinianSource) throws -> FGSMOutcome) {
        self.lbfgs = lbfgs
        self.fgsm = fgsm
    }
}

/// FGSM's result on one source: whether the net misclassifies x', and ||x' - x||_2.
public struct FGSMOutcome: Sendable {
    public var fooled: Bool
    public var l2: Double
    public init(fooled: Bool, l2: Double) { self.fooled = fooled; self.l2 = l2 }
    /// The outcome of the FGSM image `adversarial` made from `original`: l2 is their distance,
    /// computed as for the L-BFGS pairs.
    public init(fooled: Bool, adversarial: [Float], original: [Float]) {
        self.init(fooled: fooled, l2: Experiments.l2(adversarial, original))
    }
}

/// The images of the experiment: a pool of source candidates and the clean-accuracy monitor,
/// both test images no other stage uses.
public struct DarwinianImages: Sendable {
    public var pool: LabelledImages
    public var monitor: LabelledImages
    public init(pool: LabelledImages, monitor: LabelledImages) { self.pool = pool; self.monitor = monitor }
}
