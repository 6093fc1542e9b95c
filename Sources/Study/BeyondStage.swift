import StudyTypes
import Analysis
import Attacks
import Engine
import Experiments
import Foundation
import MNIST
import Random
import Report

/// A network the Monte-Carlo stage probes: the base net or a hardened one of seed 0.
enum ProbedNet: Codable, Hashable, Sendable {
    case base
    case hardened(HardeningModel)

    var name: String {
        switch self {
        case .base: return "base"
        case .hardened(let m): return m.description
        }
    }
}

/// Which of the pairs a Monte-Carlo summary covers.
enum ProbedPairs: String, Codable, CaseIterable, Sendable {
    /// Every pair.
    case all
    /// The pairs the hardened nets held out (seed 0's validation pairs of the probed grouping).
    case heldOut = "held_out"
    /// The pairs the hardened nets trained on.
    case training
}

/// The Monte-Carlo stage's output: every pair's curves on every probed net.
struct MonteCarloStage: Codable {
    var settings: MonteCarloSettings
    var grouping: Grouping
    var learningRate: Double
    var nets: [ProbedNet]
    /// Seed 0's held-out pair indices of `grouping`.
    var heldOut: [Int]
    /// curves[net][pair].
    var curves: [[[ProbeCurve]]]

    func indices(_ subset: ProbedPairs) -> [Int] {
        let held = Set(heldOut)
        switch subset {
        case .all: return Array(curves[0].indices)
        case .heldOut: return heldOut
        case .training: return curves[0].indices.filter { !held.contains($0) }
        }
    }

    /// The summary over `subset` of net `k`.
    func summary(_ k: Int, _ subset: ProbedPairs) -> MonteCarloNetworkSummary {
        MonteCarloNetworkSummary(curves: indices(subset).map { curves[k][$0] })
    }
}

/// The results past the paper's own: Monte-Carlo probing, distortion moments, Darwinian testing.
struct BeyondResults {
    var monteCarlo: MonteCarloStage
    var moments: DistortionMomentsSummary
    var darwinian: DarwinianResults
}

extension Study {
    /// The cached Monte-Carlo and Darwinian stages, and the distortion moments.
    func beyondStages(base: Model, attack: AttackStage, keys: StageKeys, pairs: [StudyTypes.AdversarialPair],
                      data: MNIST) throws -> BeyondResults {
        let (monteCarlo, _) = try cachedStage(keys.monteCarlo) {
            try monteCarloStage(base: base, pairs: pairs, data: data)
        }
        let (darwinian, _) = try cachedStage(keys.darwinian) {
            try darwinianStage(base: base, attack: attack, data: data)
        }
        let moments = DistortionMomentsSummary(pairs: pairs, datasetMeanByte: 255 * Double(base.normalisation.mean))
        return BeyondResults(monteCarlo: monteCarlo, moments: moments, darwinian: darwinian)
    }

    /// Probes every pair on the base net and on seed 0's hardened nets (the table's models of
    /// one grouping and learning rate), retrained exactly as the hardening stage trained them.
    func monteCarloStage(base: Model, pairs: [StudyTypes.AdversarialPair], data: MNIST) throws -> MonteCarloStage {
        let profile = options.profile, beyond = profile.beyond
        let test = try labelledImages(data.test.prefix(profile.base.testImages))
        var models: [HardeningModel] = []
        for m in profile.hardening.tableColumns where !models.contains(m) { models.append(m) }
        let (split, hardened) = try trainSeedZeroModels(
            base: base, pairs: pairs, test: test, settings: profile.hardening, rng: stream("hardening"),
            grouping: beyond.probedGrouping, learningRate: beyond.probedLearningRate, models: models)
        let curves = probePairs(pairs, models: [base] + hardened, settings: beyond.monteCarlo, rng: stream("monte-carlo"),
                                progress: { [events] done, total in events(.progress("monte-carlo", done: done, total: total, note: "pairs")) })
        return MonteCarloStage(settings: beyond.monteCarlo, grouping: beyond.probedGrouping,
                               learningRate: beyond.probedLearningRate, nets: [.base] + models.map(ProbedNet.hardened),
                               heldOut: split.validation, curves: curves)
    }

    /// Darwinian testing: sources and the clean-accuracy monitor are test images that are not
    /// the attack stage's sources, split by the stream "darwinian"; the adversaries are the
    /// stage-3 L-BFGS search and FGSM at the fixed epsilon.
    func darwinianStage(base: Model, attack: AttackStage, data: MNIST) throws -> DarwinianResults {
        let profile = options.profile, settings = profile.beyond.darwinian
        let test = try labelledImages(data.test.prefix(profile.base.testImages))
        let used = Set(attack.generation.attempts.map(\.sourceIndex))
        var free = (0..<test.count).filter { !used.contains($0) }
        var shuffle = stream("darwinian").child("pool")
        shuffle.shuffle(&free)
        guard free.count >= settings.imagesNeeded else {
            throw AnalysisInputError("darwinian: \(free.count) free test images, the schedule needs \(settings.imagesNeeded)")
        }
        let images = DarwinianImages(pool: test.subset(Array(free[settings.monitorSize..<settings.imagesNeeded])),
                                     monitor: test.subset(Array(free[0..<settings.monitorSize])))
        let adversary = DarwinianAdversary(
            lbfgs: { [attackSettings = profile.attack] model, source in
                let outcome = try SzegedyAttack(network: Network(model), settings: attackSettings)
                    .attack(original: source.image, trueLabel: source.label, target: source.target)
                return DarwinianAttempt(success: outcome.success, adversarial: outcome.final.adversarial, c: outcome.final.c)
            },
            fgsm: { [epsilon = settings.fgsmEpsilon] model, source in
                let network = Network(model)
                let x = try fastGradientSignImage(network: network, image: source.image, label: source.label, epsilon: epsilon)
                network.forward(x)
                return FGSMOutcome(fooled: network.predictedClass != source.label, adversarial: x, original: source.image)
            })
        let runner = try DarwinianRunner(settings: settings, base: base, images: images, adversary: adversary,
                                         rng: stream("darwinian").child("rounds"), volatility: profile.hardening.volatility)
        let chains = try runner.run(progress: { [events] done, total in
            events(.progress("darwinian", done: done, total: total, note: "rounds"))
        })
        return DarwinianResults(settings: settings, chains: chains)
    }
}
