import Engine
import Foundation
import Random

/// Images an attack may start from: `pixelsPerImage` Floats in [0, 1] per image, and labels.
public struct CandidatePool: Sendable {
    public let images: [Float]
    public let labels: [Int]
    public let pixelsPerImage: Int

    public init(images: [Float], labels: [Int], pixelsPerImage: Int = Architecture.paper.pixels) throws {
        guard pixelsPerImage > 0, images.count == labels.count * pixelsPerImage else {
            throw AttackError.badImage("pool has \(images.count) pixels for \(labels.count) labels of \(pixelsPerImage)")
        }
        self.images = images
        self.labels = labels
        self.pixelsPerImage = pixelsPerImage
    }

    public var count: Int { labels.count }

    public func image(_ index: Int) -> [Float] {
        Array(images[index * pixelsPerImage..<(index + 1) * pixelsPerImage])
    }
}

/// Where a generation stands, for a progress bar. Counts attacks as they finish (in any order).
public struct AttackProgress: Sendable {
    public var done: Int
    public var successes: Int
    /// Successes the generation needs.
    public var needed: Int
}

/// The outcome of a generation: every attacked candidate in draw order up to the needed
/// success, failures included.
public struct PairGeneration: Codable, Equatable, Sendable {
    public var settings: AttackSettings
    /// Every attack in draw order; the last one is the needed-th success.
    public var attempts: [AdversarialPair]
    /// Drawn images the net misclassified, skipped before attacking.
    public var misclassifiedSkipped: Int

    public var pairs: [AdversarialPair] { attempts.filter(\.success) }
    public var failures: Int { attempts.count - pairs.count }
}

/// Draws images at random without replacement from `pool`, skips those the net misclassifies,
/// gives each a uniformly random target != its label and attacks it, until `count` attacks
/// succeed. The draw order and every target are fixed up front from `rng` (a shuffle of the
/// pool, then one target per drawn image), attacks run in chunks on `workers` threads (one
/// `Network` each), and results are accepted in draw order, so the outcome never depends on
/// timing. Throws `poolExhausted` if the pool runs out first.
public func generateAdversarialPairs(model: Model, pool: CandidatePool, count: Int,
                                     settings: AttackSettings = AttackSettings(), rng: inout RandomStream,
                                     workers: Int = 2,
                                     progress: (@Sendable (AttackProgress) -> Void)? = nil) throws -> PairGeneration {
    try settings.validate()
    let classes = model.architecture.classes
    guard count >= 1 else { throw AttackError.invalidSetting("pair count must be >= 1, got \(count)") }
    guard workers >= 1 else { throw AttackError.invalidSetting("workers must be >= 1, got \(workers)") }
    guard pool.pixelsPerImage == model.architecture.pixels else {
        throw AttackError.badImage("pool images have \(pool.pixelsPerImage) pixels, the network takes \(model.architecture.pixels)")
    }
    if let bad = pool.labels.firstIndex(where: { !(0..<classes).contains($0) }) {
        throw AttackError.labelOutOfRange(what: "pool label of image \(bad)", value: pool.labels[bad], classes: classes)
    }
    var order = Array(0..<pool.count)
    rng.shuffle(&order)
    let targets = order.map { (pool.labels[$0] + 1 + rng.nextInt(below: classes - 1)) % classes }

    let classifier = Network(model)
    let tally = ProgressTally(needed: count, report: progress)
    var attempts: [AdversarialPair] = [], successes = 0, cursor = 0
    // Misclassified draws so far, and those before the last accepted attack.
    var skipped = 0, skippedReported = 0
    while successes < count {
        // The next chunk: as many correctly classified candidates as successes still needed.
        var chunk: [(source: Int, target: Int, skippedBefore: Int)] = []
        while chunk.count < max(count - successes, workers), cursor < order.count {
            let source = order[cursor]
            classifier.forward(pool.image(source))
            if classifier.predictedClass == pool.labels[source] {
                chunk.append((source, targets[cursor], skipped))
            } else {
                skipped += 1
            }
            cursor += 1
        }
        guard !chunk.isEmpty else {
            throw AttackError.poolExhausted(successes: successes, needed: count, attempts: attempts.count, poolSize: pool.count)
        }
        let items = chunk
        let results = try parallelMap(count: items.count, workers: workers,
                                      makeState: { try SzegedyAttack(network: Network(model), settings: settings) },
                                      task: { attack, i in
                                          try attack.pair(original: pool.image(items[i].source), sourceIndex: items[i].source,
                                                          trueLabel: pool.labels[items[i].source], target: items[i].target)
                                      },
                                      finished: { tally.finished($0.success) })
        for (item, pair) in zip(items, results) where successes < count {
            attempts.append(pair)
            if pair.success { successes += 1 }
            skippedReported = item.skippedBefore
        }
    }
    return PairGeneration(settings: settings, attempts: attempts, misclassifiedSkipped: skippedReported)
}

extension SzegedyAttack {
    /// Attacks one image and measures the result as an `AdversarialPair`.
    public func pair(original: [Float], sourceIndex: Int, trueLabel: Int, target: Int) throws -> AdversarialPair {
        let outcome = try attack(original: original, trueLabel: trueLabel, target: target)
        let originalConfidence = Double(exp(network.forward(original)[trueLabel]))
        let final = outcome.final
        let targetConfidence = Double(exp(network.forward(final.adversarial)[target]))
        return AdversarialPair(sourceIndex: sourceIndex, trueLabel: trueLabel, target: target, predicted: final.predicted,
                               targetConfidence: targetConfidence, originalConfidence: originalConfidence, c: final.c,
                               evaluations: outcome.evaluations, iterations: outcome.iterations, runs: outcome.runs,
                               stop: final.solve.stop, original: original, adversarial: final.adversarial)
    }
}

/// Counts finished attacks across worker threads and reports them.
final class ProgressTally: @unchecked Sendable {
    private let lock = NSLock()
    private var progress: AttackProgress
    private let report: (@Sendable (AttackProgress) -> Void)?

    init(needed: Int, report: (@Sendable (AttackProgress) -> Void)?) {
        progress = AttackProgress(done: 0, successes: 0, needed: needed)
        self.report = report
    }

    func finished(_ success: Bool) {
        lock.lock(); defer { lock.unlock() }
        progress.done += 1
        if success { progress.successes += 1 }
        report?(progress)
    }
}
