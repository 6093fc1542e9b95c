import Engine
import Foundation
import Random
import StudyTypes

extension LabelledImages {
    /// Image `index`'s pixels.
    public func image(_ index: Int) -> [Float] {
        Array(pixels[index * pixelsPerImage..<(index + 1) * pixelsPerImage])
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
/// success, failures included, and the variants' attacks of the same (source, target) draws.
public struct PairGeneration: Codable, Equatable, Sendable {
    public var settings: AttackSettings
    /// Every attack in draw order; the last one is the needed-th success.
    public var attempts: [AttackRecord]
    /// Drawn images the net misclassified, skipped before attacking.
    public var misclassifiedSkipped: Int
    /// Other protocols run on exactly `attempts`' sources and targets, in the same order, so
    /// they compare pair by pair.
    public var variants: [VariantGeneration]
    /// The generations `settings` with another final-C rule gives, one per rule asked for, made
    /// from these searches: the same draws and the same growth and bisection runs (no rule reads
    /// them), only the final run the rule's, each attempted up to its own needed-th success.
    public var finalRuleAlternatives: [PairGeneration] = []

    public var pairs: [AttackRecord] { attempts.filter(\.success) }
    public var failures: Int { attempts.count - pairs.count }
    /// Pool indices of every attacked source (failures included): images an evaluation on the
    /// same pool must leave out.
    public var attackedSources: Set<Int> { Set(attempts.map(\.sourceIndex)) }
}

/// One variant protocol's attacks of a generation's draws (index i = the primary's attempt i).
public struct VariantGeneration: Codable, Equatable, Sendable {
    public var settings: AttackSettings
    public var attempts: [AttackRecord]

    public var pairs: [AttackRecord] { attempts.filter(\.success) }
    public var failures: Int { attempts.count - pairs.count }
}

/// Draws images at random without replacement from `pool`, skips those the net misclassifies,
/// gives each a uniformly random target != its label and attacks it, until `count` attacks
/// succeed. The draw order and every target are fixed up front from `rng` (a shuffle of the
/// pool, then one target per drawn image), attacks run in chunks on `workers` threads (one
/// `Network` each), and results are accepted in draw order, so the outcome never depends on
/// timing. Throws `poolExhausted` if the pool runs out first. Each of `variants` then attacks
/// the same sources towards the same targets (`PairGeneration.variants`); each rule of
/// `alsoFinalRules` finishes the same searches its own way (`finalRuleAlternatives`), the
/// draws continuing until every rule has `count` successes.
public func generateAdversarialPairs(model: Model, pool: LabelledImages, count: Int,
                                     settings: AttackSettings = AttackSettings(), variants: [AttackSettings] = [],
                                     alsoFinalRules: [FinalCRule] = [],
                                     rng: inout RandomStream, workers: Int = 2,
                                     progress: (@Sendable (AttackProgress) -> Void)? = nil) throws -> PairGeneration {
    try settings.validate()
    for v in variants { try v.validate() }
    let rules = [settings.finalC] + alsoFinalRules
    for rule in alsoFinalRules { try settings.withFinalC(rule).validate() }
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
    // Every correctly classified draw attacked so far, in draw order: its record under each
    // rule, and how many misclassified draws came before it.
    var attacked: [[AttackRecord]] = [], skippedBefore: [Int] = []
    var successes = rules.map { _ in 0 }
    var cursor = 0, skipped = 0
    while let short = successes.map({ count - $0 }).max(), short > 0 {
        // The next chunk: as many correctly classified candidates as successes still needed.
        var chunk: [(source: Int, target: Int)] = []
        while chunk.count < max(short, workers), cursor < order.count {
            let source = order[cursor]
            classifier.forward(pool.image(source))
            if classifier.predictedClass == pool.labels[source] {
                chunk.append((source, targets[cursor]))
                skippedBefore.append(skipped)
            } else {
                skipped += 1
            }
            cursor += 1
        }
        guard !chunk.isEmpty else {
            throw AttackError.poolExhausted(successes: successes.min()!, needed: count, attempts: attacked.count, poolSize: pool.count)
        }
        let items = chunk
        let results = try parallelMap(count: items.count, workers: workers,
                                    makeState: { try SzegedyAttack(network: Network(model), settings: settings) },
                                    task: { attack, i in
                                        try attack.records(original: pool.image(items[i].source), sourceIndex: items[i].source,
                                                           trueLabel: pool.labels[items[i].source], target: items[i].target,
                                                           rules: rules)
                                    },
                                    finished: { records, _ in tally.finished(records[0].success) })
        for records in results { for r in rules.indices where records[r].success { successes[r] += 1 } }
        attacked += results
    }
    // Rule r's generation: the draws up to its count-th success.
    let generations = rules.indices.map { r -> PairGeneration in
        var seen = 0
        let last = attacked.firstIndex { records in
            if records[r].success { seen += 1 }
            return seen == count
        }!
        return PairGeneration(settings: settings.withFinalC(rules[r]), attempts: attacked[...last].map { $0[r] },
                              misclassifiedSkipped: skippedBefore[last], variants: [])
    }
    var generation = generations[0]
    generation.finalRuleAlternatives = Array(generations.dropFirst())
    let drawn = generation.attempts
    generation.variants = try variants.map { variant in
        VariantGeneration(settings: variant, attempts: try parallelMap(
            count: drawn.count, workers: workers,
            makeState: { try SzegedyAttack(network: Network(model), settings: variant) },
            task: { attack, i in
                try attack.pair(original: drawn[i].original, sourceIndex: drawn[i].sourceIndex,
                                trueLabel: drawn[i].trueLabel, target: drawn[i].target)
            }))
    }
    return generation
}

extension AttackSettings {
    /// These settings with another final-C rule.
    func withFinalC(_ rule: FinalCRule) -> AttackSettings {
        var s = self
        s.finalC = rule
        return s
    }
}

extension SzegedyAttack {
    /// Attacks one image and measures the result as an `AttackRecord` (re-checked: success =
    /// the final image is classified as the target).
    public func pair(original: [Float], sourceIndex: Int, trueLabel: Int, target: Int) throws -> AttackRecord {
        try record(attack(original: original, trueLabel: trueLabel, target: target), original: original,
                   sourceIndex: sourceIndex, trueLabel: trueLabel, target: target)
    }

    /// One C search of an image, finished under each of `rules`: a record per rule.
    func records(original: [Float], sourceIndex: Int, trueLabel: Int, target: Int, rules: [FinalCRule]) throws -> [AttackRecord] {
        let search = try searchPhases(original: original, trueLabel: trueLabel, target: target)
        return try rules.map { rule in
            try record(finish(search, original: original, target: target, rule: rule), original: original,
                       sourceIndex: sourceIndex, trueLabel: trueLabel, target: target)
        }
    }

    /// `outcome` measured as an `AttackRecord`.
    func record(_ outcome: AttackOutcome, original: [Float], sourceIndex: Int, trueLabel: Int, target: Int) -> AttackRecord {
        let originalConfidence = Double(exp(network.forward(original)[trueLabel]))
        let final = outcome.final
        let targetConfidence = Double(exp(network.forward(final.adversarial)[target]))
        let a = network.architecture
        return AttackRecord(sourceIndex: sourceIndex, trueLabel: trueLabel, target: target, predicted: final.predicted,
                               targetConfidence: targetConfidence, originalConfidence: originalConfidence, c: final.c,
                               cFail: outcome.cFail, imagePixels: a.imagePixels,
                               evaluations: outcome.evaluations, iterations: outcome.iterations, runs: outcome.runs.count,
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
