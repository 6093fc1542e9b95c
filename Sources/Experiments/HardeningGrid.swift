import Analysis
import Engine
import Random
import StudyTypes

/// The hardening experiment's settings: the paper's grid, the seeds past the paper, the
/// ablations and the p schedule.
public struct HardeningSettings: Codable, Hashable, Sendable {
    public var groupings: [Grouping] = Grouping.allCases
    public var learningRates: [Double] = [0.001, 0.003]
    /// Retained proportions of the SD models, per target layer.
    public var proportions: [Double] = [0.2, 0.5, 0.7]
    public var layers: [UnitLayer] = [.conv2, .fc]
    /// The fixed number of epochs of every run (the paper does not state its maximum). 20 keeps
    /// the default plan (900 runs: 10 seeds x 90) near 6.3 million SGD steps and 11 million
    /// forward passes, about 6 minutes on 2 cores at 60 us per step and 20 us per forward pass
    /// (see `cost`); every run still reaches its final plateau well before then.
    public var epochs: Int = 20
    /// Seed 0 gives the tables; seeds 0..<seeds give the multi-seed statistics.
    public var seeds: Int = 10
    /// MNIST test images evaluated after every epoch of seed 0 (all of them after its last
    /// epoch); the other seeds evaluate this subset once, at the end.
    public var monitorSize: Int = 1000
    public var volatility: VolatilityDefinition = .normOfDifference
    public var convergenceTolerance: Double = 0.01
    /// Learning rates at which the two SD ablations (gradient mask, inverted selection) run,
    /// on every seed, grouping, layer and p.
    public var ablationLearningRates: [Double] = [0.001]
    /// p_0 values and rate alpha (per epoch) of the scheduled models, and their learning rates.
    public var scheduleStarts: [Double] = [0.2, 0.5]
    public var scheduleRate: Double = 0.1
    public var scheduleLearningRates: [Double] = [0.001]
    /// Shares of a pair's volatility that set its own p_0 (`VolatilityShareRule`), run as fixed-p
    /// models (no schedule) on every seed, grouping and layer at `volatilityShareLearningRates`.
    public var volatilityShares: [Double] = [0.8]
    public var volatilityShareLearningRates: [Double] = [0.001]
    /// Parallel runs (one `Network` each); the results do not depend on it.
    public var workers: Int = 2

    public init() {}

    /// The models of one table row, in the paper's column order: for each layer, the control
    /// then SD_p for each p (C^c, SD^c_0.2, SD^c_0.5, SD^c_0.7, C^f, SD^f_0.2, ...).
    public var tableColumns: [HardeningModel] {
        layers.flatMap { layer in [HardeningModel.control] + proportions.map { HardeningModel.selective(layer, $0) } }
    }

    /// The ablation and schedule models run at `learningRate`.
    public func extraModels(learningRate: Double) -> [HardeningModel] {
        var models: [HardeningModel] = []
        if ablationLearningRates.contains(learningRate) {
            for layer in layers {
                for p in proportions {
                    models.append(HardeningModel(policy: DropoutPolicy(layer: layer, proportion: p, mode: .gradientMask)))
                    models.append(HardeningModel(policy: DropoutPolicy(layer: layer, proportion: p, inverted: true)))
                }
            }
        }
        if scheduleLearningRates.contains(learningRate) {
            for layer in layers {
                for p0 in scheduleStarts {
                    models.append(HardeningModel(policy: DropoutPolicy(layer: layer, proportion: p0, scheduleRate: scheduleRate)))
                }
            }
        }
        if volatilityShareLearningRates.contains(learningRate) {
            for layer in layers {
                for share in volatilityShares {
                    models.append(HardeningModel(policy: DropoutPolicy(layer: layer, proportion: 1, volatilityShare: share)))
                }
            }
        }
        return models
    }

    /// Every run, in a fixed order: seed, grouping, learning rate, then the distinct table
    /// models (the control once) and the extra models.
    public var plan: [HardeningRunSpec] {
        var specs: [HardeningRunSpec] = []
        for seed in 0..<seeds {
            for grouping in groupings {
                for lr in learningRates {
                    var models: [HardeningModel] = []
                    for model in tableColumns + extraModels(learningRate: lr) where !models.contains(model) {
                        models.append(model)
                    }
                    specs += models.map {
                        HardeningRunSpec(seed: seed, grouping: grouping, learningRate: lr, model: $0, epochs: epochs,
                                         monitorEveryEpoch: seed == 0, finalFullTest: seed == 0)
                    }
                }
            }
        }
        return specs
    }

    /// SGD steps and forward passes of the whole plan for `trainingPairs` training pairs per
    /// grouping, and `monitor`/`test` sizes: a budget to pick `epochs` and `seeds` by.
    public func cost(trainingPairs: [Grouping: Int], validationPairs: [Grouping: Int], testImages: Int)
        -> (trainSteps: Int, forwards: Int) {
        var steps = 0, forwards = 0
        for spec in plan {
            let n = trainingPairs[spec.grouping] ?? 0, m = validationPairs[spec.grouping] ?? 0
            steps += spec.epochs * 2 * n
            let evaluation = 2 * (n + m) + (spec.monitorEveryEpoch ? monitorSize : 0)
            forwards += spec.epochs * ((spec.model.policy == nil ? 0 : 2 * n) + evaluation)
            forwards += spec.finalFullTest ? testImages : monitorSize
        }
        return (steps, forwards)
    }
}

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
    var trainers: [String: HardeningTrainer] = [:]
    for seed in 0..<settings.seeds {
        for grouping in settings.groupings {
            var splitStream = streams.split(seed: seed, grouping: grouping)
            let split = HardeningSplit(pairs: pairs, grouping: grouping, rng: &splitStream)
            trainers["\(seed) \(grouping.rawValue)"] = HardeningTrainer(
                inputs: inputs, split: split, volatility: settings.volatility,
                convergenceTolerance: settings.convergenceTolerance)
        }
    }
    let plan = settings.plan
    let frozenTrainers = trainers
    let runs = runIndependentJobs(count: plan.count, workers: settings.workers, progress: progress) { index in
        let spec = plan[index]
        let trainer = frozenTrainers["\(spec.seed) \(spec.grouping.rawValue)"]!
        return trainer.run(spec, order: streams.order(seed: spec.seed, grouping: spec.grouping)).result
    }
    let splits = settings.groupings.map { trainers["0 \($0.rawValue)"]!.split }
    return HardeningResults(settings: settings, splits: splits, runs: runs)
}
