import Analysis
import Engine

/// One cell of a table over seeds: the tables' metric per seed, its summary, and the paired
/// comparisons with the control of the same seed, grouping and learning rate.
public struct CellStatistics: Codable, Equatable, Sendable {
    public var grouping: Grouping
    public var learningRate: Double
    public var model: String
    /// Adversarial validation accuracy per seed (seed 0 first).
    public var values: [Double]
    public var summary: SampleSummary
    /// Mean steps to convergence over seeds.
    public var meanConvergenceSteps: Double
    /// Mean final accuracy on the training pairs' original images over seeds.
    public var meanOriginalAccuracy: Double
    /// Against the control (nil for the control itself, or with fewer than two seeds).
    public var pairedT: PairedTTest?
    public var sign: SignTest?
    public var wilcoxon: WilcoxonSignedRank?
}

/// Everything the hardening stage produced. Tables are keyed `[grouping][learning rate]`
/// (as in reference.json: "Both", "0.001") with one value per column of `columns`.
public struct HardeningResults: Codable, Equatable, Sendable {
    public var settings: HardeningSettings
    /// Column names, the paper's order: C^c, SD^c_0.2, SD^c_0.5, SD^c_0.7, C^f, SD^f_0.2, ...
    public var columns: [String]
    /// Seed 0's splits, and their validation (test) and training sizes per grouping.
    public var splits: [HardeningSplit]
    public var testSizes: [String: Int]
    public var trainingSizes: [String: Int]
    /// Seed 0: final adversarial validation accuracy (tables 1-3).
    public var tables: [String: [String: [Double]]]
    /// Seed 0: steps to convergence (see `convergenceEpoch`).
    public var convergenceSteps: [String: [String: [Int]]]
    /// Seed 0: final accuracy on the training pairs' originals, and its fall from the best epoch
    /// (the paper's "reversal").
    public var originalAccuracy: [String: [String: [Double]]]
    public var originalReversal: [String: [String: [Double]]]
    /// Seed 0: accuracy on the whole MNIST test set after training.
    public var testAccuracy: [String: [String: [Double]]]
    /// Every seed: the table cells with summaries and tests against the control.
    public var seeds: [String: [String: [CellStatistics]]]
    /// Every seed: the ablation and schedule models, each against the control.
    public var extraModels: [CellStatistics]
    /// Every run, in `settings.plan` order.
    public var runs: [HardeningRunResult]

    public init(settings: HardeningSettings, splits: [HardeningSplit], runs: [HardeningRunResult]) {
        self.settings = settings
        self.splits = splits
        self.runs = runs
        let columns = settings.tableColumns
        self.columns = columns.map(\.description)
        testSizes = Dictionary(uniqueKeysWithValues: splits.map { ($0.grouping.rawValue, $0.validation.count) })
        trainingSizes = Dictionary(uniqueKeysWithValues: splits.map { ($0.grouping.rawValue, $0.training.count) })
        var index: [RunKey: Int] = [:]
        for (i, run) in runs.enumerated() { index[RunKey(run.spec)] = i }
        func run(_ seed: Int, _ g: Grouping, _ lr: Double, _ m: HardeningModel) -> HardeningRunResult {
            runs[index[RunKey(seed: seed, grouping: g, learningRate: lr, model: m)]!]
        }
        func table<T>(_ value: (HardeningRunResult) -> T) -> [String: [String: [T]]] {
            var out: [String: [String: [T]]] = [:]
            for g in settings.groupings {
                for lr in settings.learningRates {
                    out[g.rawValue, default: [:]]["\(lr)"] = columns.map { value(run(0, g, lr, $0)) }
                }
            }
            return out
        }
        tables = table { $0.final.adversarialValidation }
        convergenceSteps = table { $0.convergenceSteps }
        originalAccuracy = table { $0.final.originalTraining }
        originalReversal = table { r in r.epochs.map(\.originalTraining).max()! - r.final.originalTraining }
        testAccuracy = table { $0.finalTestAccuracy }

        func cell(_ g: Grouping, _ lr: Double, _ m: HardeningModel) -> CellStatistics {
            let seeds = 0..<settings.seeds
            let own = seeds.map { run($0, g, lr, m) }
            let values = own.map(\.final.adversarialValidation)
            let control = seeds.map { run($0, g, lr, .control).final.adversarialValidation }
            let compare = m != .control && settings.seeds >= 2
            return CellStatistics(
                grouping: g, learningRate: lr, model: m.description, values: values, summary: SampleSummary(values),
                meanConvergenceSteps: own.map { Double($0.convergenceSteps) }.reduce(0, +) / Double(own.count),
                meanOriginalAccuracy: own.map(\.final.originalTraining).reduce(0, +) / Double(own.count),
                pairedT: compare ? PairedTTest(treatment: values, control: control) : nil,
                sign: compare ? SignTest(treatment: values, control: control) : nil,
                wilcoxon: compare ? WilcoxonSignedRank(treatment: values, control: control) : nil)
        }
        var seeds: [String: [String: [CellStatistics]]] = [:]
        var extra: [CellStatistics] = []
        for g in settings.groupings {
            for lr in settings.learningRates {
                seeds[g.rawValue, default: [:]]["\(lr)"] = columns.map { cell(g, lr, $0) }
                extra += settings.extraModels(learningRate: lr).map { cell(g, lr, $0) }
            }
        }
        self.seeds = seeds
        extraModels = extra
    }
}

/// Identifies a run within a plan.
struct RunKey: Hashable {
    var seed: Int
    var grouping: Grouping
    var learningRate: Double
    var model: HardeningModel

    init(seed: Int, grouping: Grouping, learningRate: Double, model: HardeningModel) {
        self.seed = seed
        self.grouping = grouping
        self.learningRate = learningRate
        self.model = model
    }

    init(_ spec: HardeningRunSpec) {
        self.init(seed: spec.seed, grouping: spec.grouping, learningRate: spec.learningRate, model: spec.model)
    }
}
