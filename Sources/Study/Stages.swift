import Analysis
import Attacks
import Engine
import Experiments
import Figures
import Foundation
import MNIST
import Random
import Report
import StudyTypes

/// Stage 3's outputs: the pairs, FGSM beside them, and the fooling images.
struct AttackStage: Codable {
    var generation: PairGeneration
    var fgsm: [FGSMResult]
    var fooling: [FoolingImage]

    /// Where the sources were drawn from.
    var source: AttackSource

    /// Counts and distortion statistics of the primary protocol (the summary's and the report's).
    var summary: AdversarialSummary { AdversarialSummary(generation) }
    /// The same statistics for each variant, on the same draws.
    var variantSummaries: [AdversarialSummary] {
        generation.variants.map { AdversarialSummary(settings: $0.settings, attempts: $0.attempts, misclassifiedSkipped: generation.misclassifiedSkipped) }
    }
    /// Indices into the test set of every attacked source (failures included; empty when the
    /// sources are training images): the images an MNIST test accuracy must leave out.
    var testSources: Set<Int> { source == .test ? generation.attackedSources : [] }
}

/// Everything the stages computed, as the summary and the report read it.
struct StudyResults {
    var base: BaseTrainingResult
    var attack: AttackStage
    var hardening: HardeningResults
    var transfer: TransferStage
    /// Why our tables differ: the sensitivity levels (SensitivityStage.swift).
    var sensitivity: SensitivityStage
    var volatility: VolatilityAnalysis
    var figures: [FigureRecord]
    /// Monte-Carlo probing, distortion moments, Darwinian testing (`BeyondStage.swift`).
    var beyond: BeyondResults
}

/// Something that presents the results (the summary, the report context): their parts by name.
protocol ReadsStudyResults {
    var results: StudyResults { get }
}

extension ReadsStudyResults {
    var base: BaseTrainingResult { results.base }
    var attack: AttackStage { results.attack }
    var hardening: HardeningResults { results.hardening }
    var transfer: TransferStage { results.transfer }
    var volatility: VolatilityAnalysis { results.volatility }
    var figures: [FigureRecord] { results.figures }
}

/// The transfer experiment's second network, trained from its own seed: it needs neither the
/// base net nor the pairs, so it trains while base training runs.
struct TransferNet: Codable {
    var model: Model
    var testAccuracyPerEpoch: [Double]
}

/// The stages that read neither our base net nor its pairs, run beside base training.
struct IndependentStages: Sendable {
    var transferNet: TransferNet
    var authorsSensitivity: SensitivityJobRuns
}

/// Stage 6's cross-model transfer.
struct TransferStage: Codable {
    var result: TransferResult
    var secondNetTestAccuracy: Double
}

extension Study {
    /// Base training, checkpointed every 10 epochs in the cache so that an interrupted run
    /// resumes where it stopped (with the same bits as an uninterrupted one).
    /// Base training; its steps may use the second core once `secondCoreFree` says so.
    func baseStage(data: MNIST, checkpoint key: CacheKey, secondCoreFree: @escaping () -> Bool) throws -> BaseTrainingResult {
        let cache = StageCache(folder: options.cacheDirectory, fresh: options.fresh)
        let resume = cache.load(BaseTrainingCheckpoint.self, for: key)
        if let resume { events(.message("  resuming base training after epoch \(resume.perEpoch.count)")) }
        var rng = stream("base-init")
        let result = try trainBaseNetwork(data: data, settings: options.profile.base, rng: &rng, resume: resume,
                                          checkpoint: { try cache.store($0, for: key) },
                                          secondCoreFree: secondCoreFree, progress: { events(.training($0)) })
        cache.discard(key) as Void?
        return result
    }

    /// The sources' set: the test set's first `testImages` (the hardening's MNIST test set) or
    /// the training set's first `trainImages`.
    func attackSources(_ data: MNIST) -> DigitSet {
        let profile = options.profile
        switch profile.attackSource {
        case .test: return data.test.prefix(profile.base.testImages)
        case .train: return data.train.prefix(profile.base.trainImages)
        }
    }

    func attackStage(base: Model, data: MNIST) throws -> AttackStage {
        let profile = options.profile
        let sources = attackSources(data)
        let pool = try LabelledImages(pixels: scaledPixels(sources, for: base.architecture), labels: sources.labels.map(Int.init),
                                     pixelsPerImage: base.architecture.pixels)
        var rng = stream("attack-pairs")
        let generation = try generateAdversarialPairs(
            model: base, pool: pool, count: profile.pairs, settings: profile.attack, variants: profile.attackVariants,
            alsoFinalRules: SensitivityPlanning.finalRulesOfPrimarySearches(profile), rng: &rng, workers: 2,
            progress: { [events] p in events(.progress("attack", done: p.successes, total: p.needed, note: "\(p.done) attacked")) })
        let network = Network(base)
        let pairs = generation.pairs
        let fgsm = try fastGradientSign(network: network, images: pairs.map(\.original), labels: pairs.map(\.trueLabel),
                                        epsilons: profile.fgsmEpsilons)
        let fooling = try makeFoolingImages(network: network, settings: profile.fooling, rng: stream("fooling"))
        return AttackStage(generation: generation, fgsm: fgsm, fooling: fooling, source: profile.attackSource)
    }

    /// Hardening; its MNIST test accuracy is measured on the first `testImages` test images
    /// except `excludingTest` (the attacked sources).
    func hardeningStage(base: Model, pairs: [StudyTypes.AdversarialPair], data: MNIST, excludingTest: Set<Int>) throws -> HardeningResults {
        let all = try labelledImages(data.test.prefix(options.profile.base.testImages))
        let test = all.subset((0..<all.count).filter { !excludingTest.contains($0) })
        return try runHardeningGrid(
            base: base, pairs: pairs, test: test, settings: options.profile.hardening, rng: stream("hardening"),
            progress: { [events] done, total in events(.progress("hardening", done: done, total: total, note: "runs")) })
    }

    /// Trains the transfer experiment's second net: the base net's architecture and input
    /// normalisation (both fixed by the profile and the training set), its own seed.
    func transferNetStage(data: MNIST) throws -> TransferNet {
        let profile = options.profile, architecture = profile.base.architecture
        let train = try labelledImages(data.train.prefix(profile.transferTrainImages))
        let test = try labelledImages(data.test.prefix(profile.base.testImages))
        let normalisation = paddedInputNormalisation(data.train.prefix(profile.base.trainImages), architecture: architecture)
        let (model, accuracy) = try trainTransferNetwork(
            architecture: architecture, normalisation: normalisation, train: train, test: test,
            settings: profile.transfer, rng: stream("transfer-net"),
            progress: { [events] done, total in events(.progress("transfer", done: done, total: total, note: "epochs")) })
        return TransferNet(model: model, testAccuracyPerEpoch: accuracy)
    }

    /// How often the pairs made for the base net fool the second net.
    func transferStage(net: TransferNet, pairs: [StudyTypes.AdversarialPair]) throws -> TransferStage {
        let result = try measureTransfer(model: net.model, pairs: pairs, settings: options.profile.transfer,
                                         testAccuracyPerEpoch: net.testAccuracyPerEpoch)
        return TransferStage(result: result, secondNetTestAccuracy: net.testAccuracyPerEpoch.last ?? 0)
    }
}
