import StudyTypes
import Analysis
import Engine
import Random

/// One round of one chain: the attack on the network as it stood at the round's start, and the
/// network after training on the pairs found.
public struct DarwinianRound: Codable, Equatable, Sendable {
    public var round: Int
    public var attempts: Int
    public var successes: Int
    public var successRate: Double
    /// ||r||_2 (pixel units) of the successful L-BFGS pairs, in source order.
    public var successfulL2: [Double]
    /// C of the successful pairs, in source order.
    public var successfulC: [Double]
    /// FGSM at the fixed epsilon on the same sources: share misclassified and mean ||x' - x||_2.
    public var fgsmSuccessRate: Double
    public var fgsmMeanL2: Double
    /// Clean accuracy on the monitor before (the attacked network) and after training.
    public var cleanAccuracyBefore: Double
    public var cleanAccuracyAfter: Double
    /// After training: accuracy (true labels) on the adversarial images of rounds 0...round.
    public var accuracyOnRounds: [Double]
}

/// Every round of one (seed, model) chain.
public struct DarwinianChain: Codable, Equatable, Sendable {
    public var seed: Int
    public var model: HardeningModel
    public var rounds: [DarwinianRound]
}

/// Runs the chains: for each seed and model, rounds t = 0..<rounds of attack, then hardening on
/// the round's successful pairs. The sources, targets and pair orders of (seed, round) come from
/// `rng`'s children and are shared by every model (common random numbers); the network each
/// model carries into round t + 1 is the one trained in round t.
public struct DarwinianRunner: Sendable {
    public var settings: DarwinianSettings
    public var base: Model
    public var images: DarwinianImages
    public var adversary: DarwinianAdversary
    public var rng: RandomStream
    /// Volatility definition of the selective-dropout selection (hardening's).
    public var volatility: VolatilityDefinition

    public init(settings: DarwinianSettings, base: Model, images: DarwinianImages, adversary: DarwinianAdversary,
                rng: RandomStream, volatility: VolatilityDefinition = .normOfDifference) throws {
        guard images.pool.count >= settings.seeds * settings.rounds * settings.candidatesPerRound else {
            throw AnalysisInputError("darwinian: \(images.pool.count) pool images, the schedule needs \(settings.seeds * settings.rounds * settings.candidatesPerRound)")
        }
        self.settings = settings
        self.base = base
        self.images = images
        self.adversary = adversary
        self.rng = rng
        self.volatility = volatility
    }

    /// Every chain, seed-major then model, in `settings.models` order.
    public func run(progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> [DarwinianChain] {
        var chains: [DarwinianChain] = []
        let total = settings.seeds * settings.models.count
        for seed in 0..<settings.seeds {
            // Round 0 attacks the base network on the same sources for every model: once per seed.
            let first = try attack(base, seed: seed, round: 0)
            for model in settings.models {
                chains.append(try chain(seed: seed, model: model, firstRound: first))
                progress?(chains.count, total)
            }
        }
        return chains
    }

    /// The sources of (seed, round) for `model`'s network and both adversaries' results on them.
    public func attack(_ model: Model, seed: Int, round: Int) throws -> RoundAttack {
        let sources = self.sources(seed: seed, round: round, network: Network(model))
        return RoundAttack(sources: sources, lbfgs: try adversary.lbfgs(model, sources), fgsm: try adversary.fgsm(model, sources))
    }

    /// One round's attack: the sources and what each adversary did on them.
    public struct RoundAttack {
        public var sources: [DarwinianSource]
        public var lbfgs: [DarwinianAttempt]
        public var fgsm: [(fooled: Bool, l2: Double)]
    }

    /// One chain: `settings.rounds` rounds starting from the base network (`firstRound`, when
    /// given, is round 0's attack on the base network, computed once per seed).
    public func chain(seed: Int, model: HardeningModel, firstRound: RoundAttack? = nil) throws -> DarwinianChain {
        var current = base
        var earlier: [LabelledImages] = []
        var rounds: [DarwinianRound] = []
        for t in 0..<settings.rounds {
            let net = Network(current)
            let round = t == 0 && firstRound != nil ? firstRound! : try attack(current, seed: seed, round: t)
            let sources = round.sources, attempts = round.lbfgs, fgsm = round.fgsm
            let found = zip(sources, attempts).filter { $0.1.success }.map { s, a in
                AdversarialPair(original: s.image, adversarial: a.adversarial, trueLabel: s.label, targetLabel: s.target)
            }
            let before = net.accuracy(on: images.monitor)
            if !found.isEmpty { current = try train(current, on: found, seed: seed, round: t, model: model) }
            let trained = Network(current)
            earlier.append(try LabelledImages(pixels: found.flatMap(\.adversarial), labels: found.map(\.trueLabel),
                                              pixelsPerImage: base.architecture.pixels))
            let n = Double(max(sources.count, 1))
            rounds.append(DarwinianRound(
                round: t, attempts: sources.count, successes: found.count, successRate: Double(found.count) / n,
                successfulL2: zip(sources, attempts).filter { $0.1.success }.map { l2($0.0.image, $0.1.adversarial) },
                successfulC: attempts.filter(\.success).map(\.c),
                fgsmSuccessRate: Double(fgsm.filter(\.fooled).count) / n,
                fgsmMeanL2: fgsm.map(\.l2).reduce(0, +) / n,
                cleanAccuracyBefore: before, cleanAccuracyAfter: trained.accuracy(on: images.monitor),
                accuracyOnRounds: earlier.map { $0.count == 0 ? 0 : trained.accuracy(on: $0) }))
        }
        return DarwinianChain(seed: seed, model: model, rounds: rounds)
    }

    /// The sources of (seed, round): the candidates of its slice of the pool that `network`
    /// classifies correctly, at most `sourcesPerRound`, each with a target drawn uniformly from
    /// the other labels (targets drawn for every candidate, so skipping one shifts nothing).
    public func sources(seed: Int, round: Int, network: Network) -> [DarwinianSource] {
        let classes = base.architecture.classes
        let start = (seed * settings.rounds + round) * settings.candidatesPerRound
        var stream = rng.child("seed-\(seed)").child("targets-\(round)")
        var out: [DarwinianSource] = []
        for index in start..<(start + settings.candidatesPerRound) {
            let label = images.pool.labels[index]
            let target = (label + 1 + stream.nextInt(below: classes - 1)) % classes
            guard out.count < settings.sourcesPerRound else { continue }
            let image = images.pool.subset([index]).pixels
            network.forward(image)
            if network.predictedClass == label { out.append(DarwinianSource(image: image, label: label, target: target)) }
        }
        return out
    }

    /// Hardening of `model` on `pairs` (each a training pair; the selection reads the network the
    /// pairs were made for), `settings.epochs` epochs at `settings.learningRate`.
    public func train(_ start: Model, on pairs: [AdversarialPair], seed: Int, round: Int, model: HardeningModel) throws -> Model {
        let inputs = try HardeningInputs(base: start, pairs: pairs, test: images.monitor, monitor: images.monitor)
        // Only the base-net orders `model` reads (none for the control).
        let selection = BaseNetSelection(base: start, pairs: pairs, keys: BaseNetSelection.keys(for: [model]),
                                         definition: volatility)
        let trainer = HardeningTrainer(inputs: inputs, split: HardeningSplit(everyPairTrains: pairs.count),
                                       volatility: volatility, baseSelection: selection)
        let spec = HardeningRunSpec(seed: seed, grouping: .both, learningRate: settings.learningRate, model: model,
                                    epochs: settings.epochs, monitorEveryEpoch: false, finalFullTest: false)
        return trainer.run(spec, order: rng.child("seed-\(seed)").child("order-\(round)")).model
    }
}

extension HardeningSplit {
    /// A split in which every one of `count` pairs trains (and is also the "validation" set, so
    /// the trainer's per-epoch records read the training pairs).
    init(everyPairTrains count: Int) {
        grouping = .both
        groups = count
        training = Array(0..<count)
        validation = Array(0..<count)
    }
}

/// ||a - b||_2 in pixel units.
func l2(_ a: [Float], _ b: [Float]) -> Double {
    zip(a, b).reduce(0) { $0 + (Double($1.0) - Double($1.1)) * (Double($1.0) - Double($1.1)) }.squareRoot()
}
