import StudyTypes
import Analysis
import Engine
import Random

/// One set of hardening runs the sensitivity stage needs: a base net, its pairs and evaluation
/// images (already in the level's input pipeline), the hardening settings (the level's
/// selection), which table models to train, and which of those runs not to train (they exist).
public struct SensitivityRunRequest: Sendable {
    public var base: Model
    public var pairs: [AdversarialPair]
    public var test: LabelledImages
    public var settings: HardeningSettings
    public var models: [HardeningModel]
    /// Runs left out of `plan` (default: none).
    public var excluding: Set<RunID>

    /// A run by what decides its training: seed, grouping, learning rate and model.
    public struct RunID: Hashable, Sendable {
        public var seed: Int
        public var grouping: Grouping
        public var learningRate: Double
        public var model: HardeningModel

        public init(_ spec: HardeningRunSpec) {
            seed = spec.seed; grouping = spec.grouping; learningRate = spec.learningRate; model = spec.model
        }
    }

    public init(base: Model, pairs: [AdversarialPair], test: LabelledImages, settings: HardeningSettings,
                models: [HardeningModel], excluding: Set<RunID> = []) {
        self.base = base; self.pairs = pairs; self.test = test; self.settings = settings; self.models = models
        self.excluding = excluding
    }

    /// The runs of this request but `excluding`, in order: seed, grouping, learning rate, model.
    /// They evaluate the held-out adversarial images only (all the 48 cells read).
    public func plan(seeds: Int) -> [HardeningRunSpec] {
        var specs: [HardeningRunSpec] = []
        for seed in 0..<seeds {
            for grouping in settings.groupings {
                for lr in settings.learningRates {
                    specs += models.map {
                        HardeningRunSpec(seed: seed, grouping: grouping, learningRate: lr, model: $0,
                                         epochs: settings.epochs, evaluation: .adversarialOnly)
                    }.filter { !excluding.contains(RunID($0)) }
                }
            }
        }
        return specs
    }
}

/// Runs every request's plan over seeds 0..<seeds on `workers` threads, all jobs in one pool.
/// Splits and pair orders come from `rng` exactly as `runHardeningGrid` draws them (pass the
/// hardening stage's stream), so a request with the primary's pairs repeats the primary's
/// splits and orders seed by seed. Results per request in plan order; independent of `workers`.
public func runSensitivityRequests(_ requests: [SensitivityRunRequest], seeds: Int, rng: RandomStream, workers: Int,
                                   progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> [[HardeningRunResult]] {
    let streams = HardeningStreams(root: rng)
    var trainers: [[SplitKey: HardeningTrainer]] = []
    var jobs: [(request: Int, spec: HardeningRunSpec)] = []
    for (r, request) in requests.enumerated() {
        let inputs = try HardeningInputs(base: request.base, pairs: request.pairs, test: request.test,
                                         monitorSize: request.settings.monitorSize, rng: rng)
        // Once per request: the base-net selections its models need.
        let selection = BaseNetSelection(base: request.base, pairs: request.pairs,
                                         keys: BaseNetSelection.keys(for: request.models),
                                         definition: request.settings.volatility)
        trainers.append(streams.trainers(inputs: inputs, settings: request.settings, seeds: seeds, baseSelection: selection,
                                         evaluation: { _ in .adversarialOnly }))
        jobs += request.plan(seeds: seeds).map { (r, $0) }
    }
    let frozen = trainers, frozenJobs = jobs
    let results = runIndependentJobs(count: jobs.count, workers: workers, progress: progress) { index in
        let (r, spec) = frozenJobs[index]
        let trainer = frozen[r][SplitKey(seed: spec.seed, grouping: spec.grouping)]!
        return trainer.run(spec, order: streams.order(seed: spec.seed, grouping: spec.grouping)).result
    }
    var out = requests.map { _ in [HardeningRunResult]() }
    for (index, job) in jobs.enumerated() { out[job.request].append(results[index]) }
    return out
}
