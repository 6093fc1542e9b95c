import StudyTypes
import Analysis

/// A (grouping, learning rate) row of the paper's tables. Rows sort as summary.json and
/// reference.json list them: grouping names alphabetically (Adv, Both, Orig), then the rate.
public struct TableRow: Codable, Hashable, Comparable, Sendable {
    public var grouping: Grouping
    public var learningRate: Double

    public init(_ grouping: Grouping, _ learningRate: Double) {
        self.grouping = grouping
        self.learningRate = learningRate
    }

    public static func < (a: TableRow, b: TableRow) -> Bool {
        a.grouping != b.grouping ? a.grouping.rawValue < b.grouping.rawValue : a.learningRate < b.learningRate
    }
}

/// A level's (or the paper's) 48 cells: 3 groupings x 2 learning rates x the 8 paper columns
/// (C^c, SD^c_p..., C^f, SD^f_p...; C^c and C^f are the same control run), row by row in
/// `TableRow` order (stored as a sorted array, so its encoding does not depend on hashing).
public struct SensitivityTable: Codable, Equatable, Sendable {
    public struct Row: Codable, Equatable, Sendable {
        public var key: TableRow
        public var cells: [Double]
    }
    public private(set) var rows: [Row]

    public init(_ cells: [TableRow: [Double]]) {
        rows = cells.keys.sorted().map { Row(key: $0, cells: cells[$0]!) }
    }

    /// The row's cells, or none when the table lacks the row.
    public subscript(_ row: TableRow) -> [Double] { rows.first { $0.key == row }?.cells ?? [] }
    public var keys: [TableRow] { rows.map(\.key) }
}

/// Reads the tables of seeds 0..<seeds from `runs` (any order; each (seed, grouping, lr, model)
/// once): the metric after `epoch` epochs (the run's record for that epoch, no new runs), on
/// the withheld adversarial images (the paper's metric) or on the training pairs' adversarial
/// images (the paper's section 5 reading). Throws if a needed run or epoch is missing.
public func readSensitivityTables(runs: [HardeningRunResult], columns: [HardeningModel], groupings: [Grouping],
                                  learningRates: [Double], seeds: Int, epoch: Int,
                                  metric: MetricPairs) throws -> [SensitivityTable] {
    var index: [ReadOutKey: HardeningRunResult] = [:]
    for run in runs {
        index[ReadOutKey(seed: run.spec.seed, grouping: run.spec.grouping, learningRate: run.spec.learningRate, model: run.spec.model)] = run
    }
    return try (0..<seeds).map { seed in
        var table: [TableRow: [Double]] = [:]
        for g in groupings {
            for lr in learningRates {
                table[TableRow(g, lr)] = try columns.map { model in
                    guard let run = index[ReadOutKey(seed: seed, grouping: g, learningRate: lr, model: model)] else {
                        throw AnalysisInputError("sensitivity: no run for seed \(seed), \(g.rawValue), lr \(lr), \(model)")
                    }
                    guard let record = run.epochs.first(where: { $0.epoch == epoch }) else {
                        throw AnalysisInputError("sensitivity: run \(model) has no record of epoch \(epoch)")
                    }
                    return metric == .withheld ? record.adversarialValidation : record.adversarialTraining
                }
            }
        }
        return SensitivityTable(table)
    }
}

/// The numbers of one level: its tables, and per seed the control's mean, SD minus control and
/// the mean absolute distance to the paper's cells.
public struct SensitivityLevelResult: Codable, Equatable, Sendable {
    public var level: SensitivityLevel
    /// The primary configuration's own level of this factor (the control of the comparison).
    public var isPrimary: Bool
    public var seeds: Int
    /// Per seed, and the mean over seeds cell by cell.
    public var perSeed: [SensitivityTable]
    public var tables: SensitivityTable
    /// Mean of the control cells (C^c and C^f columns) over every grouping and learning rate.
    public var controlMean: SeedValues
    /// Mean over every SD cell of (SD cell - control of the same grouping, lr and seed).
    public var sdMinusControl: SeedValues
    /// Mean |ours - paper| over all 48 cells, and over the 32 without Table 3 (its copy error).
    public var distanceToPaper: SeedValues
    public var distanceWithoutTable3: SeedValues
    /// (grouping, lr) rows whose best SD cell beats the control, in the seed-mean table, of all rows.
    public var rowsWhereSDBeatsControl: Int
    public var rows: Int

    /// `columns` names which of the 8 columns are controls; `paper` is reference.json's tables;
    /// `table3` the grouping of the paper's Table 3 (`.adv`).
    public init(level: SensitivityLevel, isPrimary: Bool, perSeed: [SensitivityTable], controlColumns: [Bool],
                paper: SensitivityTable, table3: Grouping = .adv) {
        self.level = level
        self.isPrimary = isPrimary
        seeds = perSeed.count
        self.perSeed = perSeed
        let keys = perSeed.first?.keys ?? []
        var cellMeans: [TableRow: [Double]] = [:]
        for key in keys {
            let width = perSeed[0][key].count
            cellMeans[key] = (0..<width).map { c in perSeed.map { $0[key][c] }.reduce(0, +) / Double(perSeed.count) }
        }
        let means = SensitivityTable(cellMeans)
        tables = means
        // control mean = mean of the control columns' cells
        controlMean = SeedValues(perSeed.map { t in
            average(keys.flatMap { zip(t[$0], controlColumns).filter(\.1).map(\.0) })
        })
        // SD - control, cell by cell within a (grouping, lr) row; the control is the row's first control cell
        sdMinusControl = SeedValues(perSeed.map { t in
            average(keys.flatMap { key -> [Double] in
                let row = t[key]
                let control = zip(row, controlColumns).first(where: \.1)?.0 ?? 0
                return zip(row, controlColumns).filter { !$0.1 }.map { $0.0 - control }
            })
        })
        // distance = mean over cells of |ours - paper|
        func distance(_ t: SensitivityTable, including: (TableRow) -> Bool) -> Double {
            average(keys.filter(including).flatMap { key in zip(t[key], paper[key]).map { abs($0 - $1) } })
        }
        distanceToPaper = SeedValues(perSeed.map { distance($0) { _ in true } })
        distanceWithoutTable3 = SeedValues(perSeed.map { distance($0) { $0.grouping != table3 } })
        rows = keys.count
        rowsWhereSDBeatsControl = keys.filter { key in
            let row = means[key]
            let control = zip(row, controlColumns).first(where: \.1)?.0 ?? 0
            return zip(row, controlColumns).contains { !$0.1 && $0.0 > control }
        }.count
    }
}

/// A statistic per seed with its mean and range over seeds.
public struct SeedValues: Codable, Equatable, Sendable {
    public var values: [Double]
    public var mean: Double
    public var min: Double
    public var max: Double

    /// The summary's mean, minimum and maximum (`SampleSummary`); all 0 for no seeds.
    public init(_ values: [Double]) {
        self.values = values
        let summary = values.isEmpty ? nil : SampleSummary(values)
        mean = summary?.mean ?? 0
        min = summary?.min ?? 0
        max = summary?.max ?? 0
    }
}

private func average(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }

/// A run within the read-out: seed, grouping, learning rate, model.
private struct ReadOutKey: Hashable {
    var seed: Int
    var grouping: Grouping
    var learningRate: Double
    var model: HardeningModel
}
