@testable import Experiments
import Analysis
import Engine
import Foundation
import Random
import StudyTypes
import XCTest

/// Records every model the stub adversary is handed.
final class ModelLog: @unchecked Sendable {
    private let lock = NSLock()
    private var models: [Model] = []
    func append(_ m: Model) { lock.lock(); models.append(m); lock.unlock() }
    var all: [Model] { lock.lock(); defer { lock.unlock() }; return models }
}

final class DarwinianTests: XCTestCase {
    /// A tiny net, a pool labelled with the net's own predictions (so every candidate is a
    /// source) and a stub adversary that brightens every pixel by 0.1 and always succeeds.
    func runner(rounds: Int, log: ModelLog, workers: Int = 2, seeds: Int = 1,
                models: [HardeningModel] = [.selective(.fc, 0.5)]) throws -> DarwinianRunner {
        let world = TinyWorld()
        let net = Network(world.base)
        var rng = RandomStream(seed: 11)
        var pixels: [Float] = [], labels: [Int] = []
        for i in 0..<50 {
            let image = TinyWorld.image(label: i % 3, rng: &rng, pixels: world.arch.pixels)
            net.forward(image)
            pixels += image
            labels.append(net.predictedClass)
        }
        let all = try LabelledImages(pixels: pixels, labels: labels, pixelsPerImage: world.arch.pixels)
        var settings = DarwinianSettings()
        settings.rounds = rounds
        settings.sourcesPerRound = 3
        settings.seeds = seeds
        settings.models = models
        settings.epochs = 3
        settings.learningRate = 0.05
        settings.monitorSize = 10
        let adversary = DarwinianAdversary(
            lbfgs: { model, source in
                log.append(model)
                return DarwinianAttempt(success: true, adversarial: source.image.map { min(1, $0 + 0.1) }, c: 0.5)
            },
            fgsm: { _, _ in FGSMOutcome(fooled: false, l2: 0) })
        return try DarwinianRunner(settings: settings, base: world.base,
                                   images: DarwinianImages(pool: all.subset(Array(10..<50)), monitor: all.subset(Array(0..<10))),
                                   adversary: adversary, rng: RandomStream(seed: 4), workers: workers)
    }

    func testTheNextRoundAttacksTheUpdatedWeights() throws {
        let log = ModelLog()
        let r = try runner(rounds: 2, log: log)
        let chains = try r.run()
        let attacked = log.all
        XCTAssertEqual(attacked.count, 6, "one search per source, three sources per round")
        XCTAssertTrue(attacked.prefix(3).allSatisfy { $0 == r.base }, "round 0 attacks the base net")
        XCTAssertTrue(attacked.suffix(3).allSatisfy { $0.parameters != r.base.parameters }, "round 1 attacks a trained net")
        // Round 1's net is round 0's base trained on round 0's pairs, reproduced independently.
        let sources = r.sources(seed: 0, round: 0, network: Network(r.base))
        let pairs = sources.map {
            AdversarialPair(original: $0.image, adversarial: $0.image.map { min(1, $0 + 0.1) }, trueLabel: $0.label, targetLabel: $0.target)
        }
        let expected = try r.train(r.base, on: pairs, seed: 0, round: 0, model: r.settings.models[0])
        XCTAssertTrue(attacked.suffix(3).allSatisfy { $0.parameters == expected.parameters })
        let chain = try XCTUnwrap(chains.first)
        XCTAssertEqual(chain.rounds.map(\.round), [0, 1])
        XCTAssertEqual(chain.rounds.map(\.successes), [3, 3])
        XCTAssertEqual(chain.rounds[1].accuracyOnRounds.count, 2, "forgetting is measured on every earlier round")
        XCTAssertEqual(chain.rounds[1].cleanAccuracyBefore, chain.rounds[0].cleanAccuracyAfter, accuracy: 1e-12)
        let results = DarwinianResults(settings: r.settings, chains: chains)
        XCTAssertEqual(results.summaries.count, 2)
        XCTAssertEqual(results.summaries[0].l2?.median ?? 0, l2(pairs[0].original, pairs[0].adversarial), accuracy: 0.5)
    }

    func testTheChainsDoNotDependOnHowManyThreadsRunThem() throws {
        let models: [HardeningModel] = [.control, .selective(.fc, 0.5)]
        let one = try runner(rounds: 3, log: ModelLog(), workers: 1, seeds: 2, models: models).run()
        let two = try runner(rounds: 3, log: ModelLog(), workers: 2, seeds: 2, models: models).run()
        XCTAssertEqual(one.map(\.seed), [0, 0, 1, 1])
        XCTAssertEqual(one.map(\.model), models + models)
        XCTAssertEqual(one, two)
    }

    func testSourcesAreFreshPerRoundAndSharedByModels() throws {
        let r = try runner(rounds: 2, log: ModelLog())
        let net = Network(r.base)
        let first = r.sources(seed: 0, round: 0, network: net), second = r.sources(seed: 0, round: 1, network: net)
        XCTAssertEqual(first.count, 3)
        XCTAssertTrue(Set(first.map(\.image)).isDisjoint(with: Set(second.map(\.image))))
        XCTAssertEqual(first, r.sources(seed: 0, round: 0, network: net))
        XCTAssertTrue(first.allSatisfy { $0.target != $0.label })
    }
}
