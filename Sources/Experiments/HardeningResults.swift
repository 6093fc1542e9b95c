import Analysis
import Engine
import StudyTypes

/// Names a cell of the hardening grid: a grouping, a learning rate and a model (a table
/// column, an ablation, a selection variant or a schedule).
public struct HardeningCellKey: Codable, Hashable, Sendable {
    public var grouping: Grouping
    public var learningRate: Double
    public var model: HardeningModel

    public init(_ grouping: Grouping, _ learningRate: Double, _ model: HardeningModel) {
        self.grouping = grouping
        self.learningRate = learningRate
        self.model = model
    }

    /// The control of the same grouping and learning rate.
    public var control: HardeningCellKey { HardeningCellKey(grouping, learningRate, .control) }
}

/// One cell over seeds: the tables' metric per seed, its summary, convergence with censored
/// runs apart, and the paired comparisons with the control of the same seed.
public struct CellStatistics: Codable, Equatable, Sendable {
    public var key: HardeningCellKey
    /// Adversarial validation accuracy per seed (seed 0 first).
    public var values: [Double]
    public var summary: SampleSummary
    public var convergence: ConvergenceSummary
    /// Final training accuracy on the originals (the last epoch's original steps), per seed.
    public var originalTraining: [Double]
    /// Final accuracy on the held-out originals, per seed.
    public var originalValidation: [Double]
    /// MNIST test accuracy after training, per seed (all test images for seed 0, the monitor
    /// subset for the others: the same images for a cell and its control).
    public var mnistTest: [Double]
    /// Against the control (nil for the control itself, or with fewer than two seeds).
    public var pairedT: PairedTTest?
    public var sign: SignTest?
    public var wilcoxon: WilcoxonSignedRank?

    public var meanOriginalTraining: Double { originalTraining.reduce(0, +) / Double(max(originalTraining.count, 1)) }
}

/// Everything the hardening stage produced, read by typed keys. Only `settings`, `splits`
/// and `runs` are stored (and cached); the cells are derived from them.
public struct HardeningResults: Codable, Equatable, Sendable {
    public let settings: HardeningSettings
    /// Seed 0's splits, one per grouping.
    public let splits: [HardeningSplit]
    /// Every run, in `settings.plan` order.
    public let runs: [HardeningRunResult]
    /// Every cell of the plan (table and extra models) over seeds.
    public let cells: [HardeningCellKey: CellStatistics]
    let index: [RunKey: Int]

    enum CodingKeys: String, CodingKey { case settings, splits, runs }

    public init(settings: HardeningSettings, splits: [HardeningSplit], runs: [HardeningRunResult]) {
        self.settings = settings
        self.splits = splits
        self.runs = runs
        var index: [RunKey: Int] = [:]
        for (i, run) in runs.enumerated() { index[RunKey(run.spec)] = i }
        self.index = index
        var cells: [HardeningCellKey: CellStatistics] = [:]
        for g in settings.groupings {
            for lr in settings.learningRates {
                for m in settings.models(learningRate: lr) {
                    let key = HardeningCellKey(g, lr, m)
                    cells[key] = HardeningResults.cell(key, seeds: settings.seeds) { seed, key in runs[index[RunKey(seed, key)]!] }
                }
            }
        }
        self.cells = cells
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(settings: try c.decode(HardeningSettings.self, forKey: .settings),
                  splits: try c.decode([HardeningSplit].self, forKey: .splits),
                  runs: try c.decode([HardeningRunResult].self, forKey: .runs))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(settings, forKey: .settings)
        try c.encode(splits, forKey: .splits)
        try c.encode(runs, forKey: .runs)
    }

    static func cell(_ key: HardeningCellKey, seeds: Int,
                     run: (Int, HardeningCellKey) -> HardeningRunResult) -> CellStatistics {
        let own = (0..<seeds).map { run($0, key) }
        let values = own.map(\.final.adversarialValidation)
        let control = (0..<seeds).map { run($0, key.control).final.adversarialValidation }
        let compare = key.model != .control && seeds >= 2
        return CellStatistics(
            key: key, values: values, summary: SampleSummary(values),
            convergence: ConvergenceSummary(steps: own.map(\.convergenceSteps)),
            originalTraining: own.map(\.final.originalTraining), originalValidation: own.map { $0.final.originalValidation! },  // the grid evaluates both on every run
            mnistTest: own.map { $0.finalTestAccuracy! },
            pairedT: compare ? PairedTTest(treatment: values, control: control) : nil,
            sign: compare ? SignTest(treatment: values, control: control) : nil,
            wilcoxon: compare ? WilcoxonSignedRank(treatment: values, control: control) : nil)
    }

    /// The table columns (the control twice, as C^c and C^f).
    public var columns: [HardeningModel] { settings.tableColumns }

    /// The run of `key` under `seed`.
    public func run(seed: Int, _ key: HardeningCellKey) -> HardeningRunResult {
        guard let i = index[RunKey(seed, key)] else { preconditionFailure("no run for seed \(seed), \(key)") }
        return runs[i]
    }

    /// The cell of `key` over seeds.
    public func cell(_ key: HardeningCellKey) -> CellStatistics {
        guard let c = cells[key] else { preconditionFailure("no cell \(key)") }
        return c
    }

    /// Seed 0's split of `grouping`.
    public func split(_ grouping: Grouping) -> HardeningSplit {
        guard let s = splits.first(where: { $0.grouping == grouping }) else { preconditionFailure("no split \(grouping)") }
        return s
    }

    /// Validation (test) and training pairs of seed 0's split of `grouping`.
    public func testSize(_ grouping: Grouping) -> Int { split(grouping).validation.count }
    public func trainingSize(_ grouping: Grouping) -> Int { split(grouping).training.count }

    /// The extra models' cells (ablations, selection variants, schedules), in plan order.
    public var extraCells: [CellStatistics] {
        settings.groupings.flatMap { g in
            settings.learningRates.flatMap { lr in settings.extraModels(learningRate: lr).map { cell(HardeningCellKey(g, lr, $0)) } }
        }
    }
}

/// Identifies a run within a plan.
struct RunKey: Hashable {
    var seed: Int
    var cell: HardeningCellKey

    init(_ seed: Int, _ cell: HardeningCellKey) {
        self.seed = seed
        self.cell = cell
    }

    init(_ spec: HardeningRunSpec) {
        self.init(spec.seed, HardeningCellKey(spec.grouping, spec.learningRate, spec.model))
    }
}
