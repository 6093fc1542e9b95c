import Analysis
import Engine
import Experiments
import Report

/// The hardening part of the report's context: tables 1-3 beside the paper's, convergence,
/// original accuracy, the multi-seed statistics, ablations, the p schedule.
struct HardeningContext {
    let results: HardeningResults
    let paper: PaperReference
    let baseTestAccuracy: Double

    var settings: HardeningSettings { results.settings }
    var lrKeys: [String] { settings.learningRates.map { "\($0)" } }
    var columns: [HardeningModel] { settings.tableColumns }

    /// The model notation of column `index` (the control appears under both layers).
    func model(_ index: Int) -> JSONValue {
        let perLayer = 1 + settings.proportions.count
        let layer = settings.layers[index / perLayer] == .conv2 ? "c" : "f"
        guard let policy = columns[index].policy else {
            return ["kind": "C", "layer": .string(layer), "keep_fraction": .null, "is_control": true]
        }
        return ["kind": "SD", "layer": .string(layer), "keep_fraction": .string("\(policy.proportion)"), "is_control": false]
    }

    func modelJSON(_ index: Int, adding extra: [(String, JSONValue)]) -> JSONValue {
        guard case .object(var members) = model(index) else { return model(index) }
        members += extra
        return .object(members)
    }

    var models: JSONValue { .array(columns.indices.map(model)) }

    func tables() -> JSONValue {
        let descriptions = ["Both": "a group is a (source, target) label pair",
                            "Orig": "a group is the original's label", "Adv": "a group is the adversarial target label"]
        return .array(settings.groupings.map { g in
            let name = g.rawValue
            var table: JSONValue = [
                "number": .number(Double(paper.hardening.table_numbers[name] ?? 0)),
                "anchor": .string("table-\(paper.hardening.table_numbers[name] ?? 0)"),
                "grouping": .string(name),
                "grouping_description": .string(descriptions[name] ?? name),
                "test_size": .number(Double(results.testSizes[name] ?? 0)),
                "paper_test_size": .string("\(paper.expectedTestSize(name))"),
                "rows": .array(lrKeys.map { lr in
                    let ours = results.tables[name]?[lr] ?? [], theirs = paper.hardening.tables[name]?[lr] ?? []
                    return ["learning_rate": .string(lr), "cells": .array(zip(ours, theirs).map { o, p in
                        ["ours": .string(Format.fixed(o, 4)), "paper": .string(Format.fixed(p, 4)),
                         "delta": .string(Format.signed(o - p, 4)), "ours_at_least_paper": .bool(o >= p)]
                    })]
                }),
            ]
            if g == .adv {
                table["paper_note"] = .string("the paper's Table 3 repeats Table 1's conv2 columns exactly and its values are multiples of 1/82, which a grouping of at most 10 groups (so 10 validation pairs) cannot produce: most likely a copy error in the paper. The paper's cells are shown as printed; ours come from the Adv split.")
            }
            return table
        })
    }

    /// Seed-0 table cells: how often some SD_p beat, tied or lost to the control of its row and layer.
    func singleSeedComparison() -> (wins: Int, ties: Int, losses: Int, rowsWithWin: Int, rows: Int) {
        var wins = 0, ties = 0, losses = 0, rowsWithWin = 0, rows = 0
        for g in settings.groupings {
            for lr in lrKeys {
                let row = results.tables[g.rawValue]?[lr] ?? []
                var rowWin = false
                for (i, m) in columns.enumerated() where m.policy != nil {
                    let control = row[controlIndex(for: i)]
                    if row[i] > control { wins += 1; rowWin = true } else if row[i] == control { ties += 1 } else { losses += 1 }
                }
                rows += 1
                if rowWin { rowsWithWin += 1 }
            }
        }
        return (wins, ties, losses, rowsWithWin, rows)
    }

    /// The control column that column `index` is compared with (same layer block).
    func controlIndex(for index: Int) -> Int { (index / (1 + settings.proportions.count)) * (1 + settings.proportions.count) }

    /// Every SD cell of the multi-seed grid with its statistics.
    func seedCells() -> [(grouping: String, lr: String, column: Int, cell: CellStatistics, control: CellStatistics)] {
        var out: [(String, String, Int, CellStatistics, CellStatistics)] = []
        for g in settings.groupings {
            for lr in lrKeys {
                let cells = results.seeds[g.rawValue]?[lr] ?? []
                for (i, m) in columns.enumerated() where m.policy != nil {
                    out.append((g.rawValue, lr, i, cells[i], cells[controlIndex(for: i)]))
                }
            }
        }
        return out
    }

    func significantCount() -> (significant: Int, better: Int, worse: Int, total: Int) {
        let cells = seedCells()
        let significant = cells.filter { ($0.cell.pairedT?.p ?? 1) < 0.05 }
        return (significant.count, significant.filter { ($0.cell.pairedT?.meanDifference ?? 0) > 0 }.count,
                significant.filter { ($0.cell.pairedT?.meanDifference ?? 0) < 0 }.count, cells.count)
    }

    func seeds() -> JSONValue {
        let s = significantCount()
        let expected = Format.fixed(0.05 * Double(s.total), 1)
        return [
            "count": .string("\(settings.seeds)"),
            "paired_test": "two-sided paired t-test over seeds against the control of the same seed (same split and order), no correction for multiple comparisons; exact sign and Wilcoxon signed-rank tests are in summary.json",
            "summary": .string("\(s.significant) of \(s.total) SD cells differ from the control at p < 0.05 (\(s.better) better, \(s.worse) worse; \(expected) expected by chance alone)"),
            "rows": .array(seedCells().map { c in
                modelJSON(c.column, adding: [
                    ("grouping", .string(c.grouping)), ("learning_rate", .string(c.lr)),
                    ("mean", .string(Format.fixed(c.cell.summary.mean, 3))),
                    ("ci95", .string(Format.interval(c.cell.summary.lower, c.cell.summary.upper))),
                    ("control_mean", .string(Format.fixed(c.control.summary.mean, 3))),
                    ("p_value", .string(c.cell.pairedT.map { Format.pValue($0.p) } ?? "n/a")),
                    ("significant", .bool((c.cell.pairedT?.p ?? 1) < 0.05)),
                ])
            }),
        ]
    }

    /// Mean over seeds, groupings and learning rates of a per-run quantity for each table column.
    func columnMeans(_ value: (CellStatistics) -> Double) -> [Double] {
        columns.indices.map { i in
            var values: [Double] = []
            for g in settings.groupings {
                for lr in lrKeys { if let cell = results.seeds[g.rawValue]?[lr]?[i] { values.append(value(cell)) } }
            }
            return values.reduce(0, +) / Double(max(values.count, 1))
        }
    }

    func convergence() -> JSONValue {
        let steps = columnMeans(\.meanConvergenceSteps)
        return .array(columns.indices.map { i in
            modelJSON(i, adding: [("steps", .string(Format.count(Int(steps[i].rounded())))),
                                  ("ratio", .string(Format.fixed(steps[i] / max(steps[controlIndex(for: i)], 1), 2)))])
        })
    }

    /// MNIST test accuracy after hardening (seed 0, all test images), averaged over groupings and rates.
    func originalAccuracy() -> JSONValue {
        .array(columns.indices.map { i in
            var values: [Double] = []
            for g in settings.groupings { for lr in lrKeys { if let v = results.testAccuracy[g.rawValue]?[lr]?[i] { values.append(v) } } }
            let mean = values.reduce(0, +) / Double(max(values.count, 1))
            return modelJSON(i, adding: [("accuracy", .string(Format.percent(mean))),
                                         ("change", .string(Format.signed(100 * (mean - baseTestAccuracy), 2)))])
        })
    }

    /// Per-seed mean over the given extra-model cells, and over the matching controls.
    func perSeedMeans(_ cells: [CellStatistics]) -> (own: SampleSummary, difference: Double)? {
        guard !cells.isEmpty else { return nil }
        let seeds = cells[0].values.count
        var own = [Double](repeating: 0, count: seeds), control = own
        for cell in cells {
            let controlCell = results.seeds[cell.grouping.rawValue]?["\(cell.learningRate)"]?[0]
            for s in 0..<seeds {
                own[s] += cell.values[s] / Double(cells.count)
                control[s] += (controlCell?.values[s] ?? 0) / Double(cells.count)
            }
        }
        let difference = zip(own, control).map { $0 - $1 }.reduce(0, +) / Double(seeds)
        return (SampleSummary(own), difference)
    }

    func ablations() -> JSONValue {
        let kinds: [(String, String, (DropoutPolicy) -> Bool)] = [
            ("gradient mask", "forward pass unchanged, gradient only through the retained units", { $0.mode == .gradientMask }),
            ("inverted selection", "the least volatile units retained (the notebook's literal code)", { $0.inverted }),
        ]
        var rows: [JSONValue] = []
        for (name, description, matches) in kinds {
            for layer in settings.layers {
                let cells = results.extraModels.filter { c in
                    settings.extraModels(learningRate: c.learningRate).contains { $0.description == c.model && $0.policy.map(matches) == true && $0.policy?.layer == layer }
                }
                guard let (own, difference) = perSeedMeans(cells) else { continue }
                rows.append([
                    "name": .string("\(name), \(layer == .conv2 ? "conv2" : "fc")"), "description": .string(description),
                    "mean": .string(Format.fixed(own.mean, 3)), "ci95": .string(Format.interval(own.lower, own.upper)),
                    "vs_control": .string(Format.signed(difference, 3)),
                ])
            }
        }
        return .array(rows)
    }

    func schedule() -> JSONValue {
        var rows: [JSONValue] = []
        for layer in settings.layers {
            for p0 in settings.scheduleStarts {
                let cells = results.extraModels.filter { c in
                    settings.extraModels(learningRate: c.learningRate).contains {
                        $0.description == c.model && $0.policy?.scheduleRate ?? 0 > 0 && $0.policy?.layer == layer && $0.policy?.proportion == p0
                    }
                }
                guard let (own, difference) = perSeedMeans(cells) else { continue }
                rows.append([
                    "alpha": .string("\(settings.scheduleRate)"), "p0": .string("\(p0) (\(layer == .conv2 ? "conv2" : "fc"))"),
                    "mean": .string(Format.fixed(own.mean, 3)),
                    "ci95": .string(Format.interval(own.lower, own.upper) + ", vs control " + Format.signed(difference, 3)),
                ])
            }
        }
        return ["formula": "p_t = 1 - exp(-alpha t) + p0 exp(-alpha t), t = completed epochs", "rows": .array(rows)]
    }

    func hardening() -> JSONValue {
        let c = singleSeedComparison()
        let total = c.wins + c.ties + c.losses
        return [
            "epochs": .string("\(settings.epochs)"),
            "learning_rates": .string(lrKeys.joined(separator: " and ")),
            "convergence_definition": .string("the first epoch from which the adversarial training accuracy stays within \(Format.fixed(100 * settings.convergenceTolerance, 0)) percentage point of its final value, times the steps per epoch (two per training pair)"),
            "sd_cells": .string("\(total)"), "sd_wins": .string("\(c.wins)"), "sd_ties": .string("\(c.ties)"),
            "sd_wins_sentence": .string("SD beat the control in \(c.wins) of \(total) cells of the single-seed tables, tied in \(c.ties) and lost in \(c.losses)"),
            "some_sd_beats_control": .string("in \(c.rowsWithWin) of \(c.rows) (grouping, learning rate) rows some SD_p beats the control"),
            "convergence": convergence(),
            "original_accuracy": originalAccuracy(),
        ]
    }
}
