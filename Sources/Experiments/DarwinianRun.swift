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
    /// Threads the searches and the chains' training share; the results do not depend on it.
    public var workers: Int

    public init(settings: DarwinianSettings, base: Model, images: DarwinianImages, adversary: DarwinianAdversary,
                rng: RandomStream, volatility: VolatilityDefinition = .normOfDifference, workers: Int = 2) throws {
        guard images.pool.count >= settings.seeds * settings.rounds * settings.candidatesPerRound else {
            throw AnalysisInputError("darwinian: \(images.pool.count) pool images, the schedule needs \(settings.seeds * settings.rounds * settings.candidatesPerRound)")
        }
        self.settings = settings
        self.base = base
        self.images = images
        self.adversary = adversary
        self.rng = rng
        self.volatility = volatility
        self.workers = workers
    }

    /// Every chain, seed-major then model, in `settings.models` order. The chains advance
    /// together, a round at a time: every chain's searches of the round share one pool of
    /// `workers` threads, then the chains train side by side, so the cores stay busy (one chain
    /// at a time left one idle while its last searches ran). Each result depends only on its
    /// seed, model and round, so the chains are those of running them one after another.
    /// `progress(done, total)` counts rounds.
    public func run(progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> [DarwinianChain] {
        // Round 0's clean accuracy "before" is the base net's, the same for every chain.
        let baseAccuracy = Network(base).accuracy(on: images.monitor)
        var chains = (0..<settings.seeds).flatMap { seed in
            settings.models.map { ChainState(seed: seed, model: $0, network: base, cleanAccuracy: baseAccuracy) }
        }
        for t in 0..<settings.rounds {
            let attacks = try attackRound(t, chains: chains)
            chains = try parallelMap(count: chains.count, workers: workers, makeState: {}) { [chains] _, i in
                try advance(chains[i], round: t, attack: attacks[i])
            }
            progress?(t + 1, settings.rounds)
        }
        return chains.map { DarwinianChain(seed: $0.seed, model: $0.model, rounds: $0.rounds) }
    }

    /// One round's attack: the sources and what each adversary did on them.
    struct RoundAttack: Sendable {
        var sources: [DarwinianSource]
        var lbfgs: [DarwinianAttempt]
        var fgsm: [FGSMOutcome]
    }

    /// Round `t`'s attack on every chain's network, all searches in one pool. Round 0 attacks
    /// the base network on the same sources for every model: once per seed.
    func attackRound(_ t: Int, chains: [ChainState]) throws -> [RoundAttack] {
        // The distinct (seed, network) targets of the round and the target each chain reads.
        let targets: [(seed: Int, network: Model)] = t == 0
            ? (0..<settings.seeds).map { (seed: $0, network: base) } : chains.map { (seed: $0.seed, network: $0.network) }
        let targetOfChain = chains.indices.map { t == 0 ? chains[$0].seed : $0 }
        let perTarget = targets.map { sources(seed: $0.seed, round: t, network: Network($0.network)) }
        let jobs = perTarget.indices.flatMap { target in perTarget[target].indices.map { (target: target, source: $0) } }
        let outcomes = try parallelMap(count: jobs.count, workers: workers, makeState: {}) { [adversary] _, j in
            let model = targets[jobs[j].target].network, source = perTarget[jobs[j].target][jobs[j].source]
            return (lbfgs: try adversary.lbfgs(model, source), fgsm: try adversary.fgsm(model, source))
        }
        var attacks = perTarget.map { RoundAttack(sources: $0, lbfgs: [], fgsm: []) }
        for (job, outcome) in zip(jobs, outcomes) {
            attacks[job.target].lbfgs.append(outcome.lbfgs)
            attacks[job.target].fgsm.append(outcome.fgsm)
        }
        return targetOfChain.map { attacks[$0] }
    }

    /// A chain between rounds: the network it carries, its clean accuracy on the monitor, the
    /// adversarial images of every earlier round, and its rounds so far.
    struct ChainState: Sendable {
        var seed: Int
        var model: HardeningModel
        var network: Model
        var cleanAccuracy: Double
        var earlier: [LabelledImages] = []
        var rounds: [DarwinianRound] = []
    }

    /// `chain` after round `t`: trained on the successful pairs of `attack` (made on its network).
    func advance(_ chain: ChainState, round t: Int, attack: RoundAttack) throws -> ChainState {
        let sources = attack.sources, attempts = attack.lbfgs, fgsm = attack.fgsm
        let found = zip(sources, attempts).filter { $0.1.success }.map { s, a in
            AdversarialPair(original: s.image, adversarial: a.adversarial, trueLabel: s.label, targetLabel: s.target)
        }
        var next = chain
        if !found.isEmpty { next.network = try train(chain.network, on: found, seed: chain.seed, round: t, model: chain.model) }
        let trained = Network(next.network)
        next.earlier.append(try LabelledImages(pixels: found.flatMap(\.adversarial), labels: found.map(\.trueLabel),
                                               pixelsPerImage: base.architecture.pixels))
        // The clean accuracy before is the one measured after the previous round (the same net);
        // a round without pairs leaves the net, and so its accuracy, as it was.
        next.cleanAccuracy = found.isEmpty ? chain.cleanAccuracy : trained.accuracy(on: images.monitor)
        let n = Double(max(sources.count, 1))
        next.rounds.append(DarwinianRound(
            round: t, attempts: sources.count, successes: found.count, successRate: Double(found.count) / n,
            successfulL2: zip(sources, attempts).filter { $0.1.success }.map { l2($0.0.image, $0.1.adversarial) },
            successfulC: attempts.filter(\.success).map(\.c),
            fgsmSuccessRate: Double(fgsm.filter(\.fooled).count) / n,
            fgsmMeanL2: fgsm.map(\.l2).reduce(0, +) / n,
            cleanAccuracyBefore: chain.cleanAccuracy, cleanAccuracyAfter: next.cleanAccuracy,
            accuracyOnRounds: next.earlier.map { $0.count == 0 ? 0 : trained.accuracy(on: $0) }))
        return next
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
                                       volatility: volatility, baseSelection: selection, evaluation: .adversarialOnly)
        let spec = HardeningRunSpec(seed: seed, grouping: .both, learningRate: settings.learningRate, model: model,
                                    epochs: settings.epochs, evaluation: .adversarialOnly)
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

/// ||a - b||_2 in pixel units, each difference and square in Double.
func l2(_ a: [Float], _ b: [Float]) -> Double {
    zip(a, b).reduce(0) { $0 + (Double($1.0) - Double($1.1)) * (Double($1.0) - Double($1.1)) }.squareRoot()
}
