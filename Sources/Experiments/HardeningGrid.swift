import Analysis
import Engine
import Random
import StudyTypes

/// The seeded streams of the hardening stage, all children of the stream handed in.
struct HardeningStreams {
    let root: RandomStream

    /// The split of `grouping` under `seed`.
    func split(seed: Int, grouping: Grouping) -> RandomStream {
        root.child("seed-\(seed)").child("split-\(grouping.rawValue)")
    }

    /// Pair orders: shared by every model and learning rate of a (seed, grouping), so that a
    /// control and an SD model see the same sequence (common random numbers for the paired tests).
    func order(seed: Int, grouping: Grouping) -> RandomStream {
        root.child("seed-\(seed)").child("order-\(grouping.rawValue)")
    }

    /// One trainer per split of seeds 0..<seeds and `settings.groupings`, each split drawn from
    /// its own stream (`split(seed:grouping:)`), made for the runs' `evaluation(seed)`.
    func trainers(inputs: HardeningInputs, settings: HardeningSettings, seeds: Int, baseSelection: BaseNetSelection,
                  evaluation: (_ seed: Int) -> RunEvaluation) -> [SplitKey: HardeningTrainer] {
        var trainers: [SplitKey: HardeningTrainer] = [:]
        for seed in 0..<seeds {
            for grouping in settings.groupings {
                var stream = split(seed: seed, grouping: grouping)
                trainers[SplitKey(seed: seed, grouping: grouping)] = HardeningTrainer(
                    inputs: inputs, split: HardeningSplit(pairs: inputs.pairs, grouping: grouping, rng: &stream),
                    volatility: settings.volatility, convergence: settings.convergence, baseSelection: baseSelection,
                    evaluation: evaluation(seed))
            }
        }
        return trainers
    }

    /// `size` distinct indices below `count`, ascending: the MNIST monitor subset.
    func monitorIndices(size: Int, count: Int) -> [Int] {
        var rng = root.child("monitor")
        var indices = Array(0..<count)
        let k = min(size, count)
        for i in 0..<k { indices.swapAt(i, i + rng.nextInt(below: count - i)) }
        return indices.prefix(k).sorted()
    }
}

extension HardeningInputs {
    /// The inputs with the monitor subset drawn from `rng`'s child stream "monitor" (the same
    /// subset `runHardeningGrid` uses with that stream).
    public init(base: Model, pairs: [AdversarialPair], test: LabelledImages, monitorSize: Int,
                rng: RandomStream) throws {
        let indices = HardeningStreams(root: rng).monitorIndices(size: monitorSize, count: test.count)
        try self.init(base: base, pairs: pairs, test: test, monitor: test.subset(indices))
    }
}

/// Runs the whole plan of `settings` on `settings.workers` threads and assembles the tables and
/// statistics. Every draw comes from `rng`'s children; the results do not depend on the
/// number of workers. `progress(done, total)` reports finished runs.
public func runHardeningGrid(base: Model, pairs: [AdversarialPair], test: LabelledImages,
                             settings: HardeningSettings, rng: RandomStream,
                             progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> HardeningResults {
    let inputs = try HardeningInputs(base: base, pairs: pairs, test: test, monitorSize: settings.monitorSize, rng: rng)
    let streams = HardeningStreams(root: rng)
    let plan = settings.plan
    // Once for the whole grid: every base-net selection the plan needs.
    let selection = BaseNetSelection(base: base, pairs: pairs, keys: BaseNetSelection.keys(for: plan.map(\.model)),
                                     definition: settings.volatility)
    let trainers = streams.trainers(inputs: inputs, settings: settings, seeds: settings.seeds, baseSelection: selection,
                                    evaluation: RunEvaluation.grid)
    let runs = runIndependentJobs(count: plan.count, workers: settings.workers, progress: progress) { index in
        let spec = plan[index]
        let trainer = trainers[SplitKey(seed: spec.seed, grouping: spec.grouping)]!
        return trainer.run(spec, order: streams.order(seed: spec.seed, grouping: spec.grouping)).result
    }
    let splits = settings.groupings.map { trainers[SplitKey(seed: 0, grouping: $0)]!.split }
    return HardeningResults(settings: settings, splits: splits, runs: runs)
}

/// One split of the grid: a seed and a grouping.
struct SplitKey: Hashable {
    var seed: Int
    var grouping: Grouping
}
