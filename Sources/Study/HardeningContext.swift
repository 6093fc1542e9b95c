import Analysis
import Engine
import Experiments
import Report

/// The hardening part of the report's context: tables 1-3 beside the paper's, convergence,
/// original accuracy, the multi-seed statistics, ablations, selection variants, the p schedule.
/// Every cell is read by its typed key; strings are made only for the JSON.
struct HardeningContext {
    let results: HardeningResults
    let paper: PaperReference
    let baseTestAccuracy: Double

    var settings: HardeningSettings { results.settings }

    /// A table column: a model inside its layer block (a control's notation needs the block).
    struct Column {
        var layer: UnitLayer
        var model: HardeningModel
        /// The paper's notation: "C^c", "SD^f_0.7".
        var notation: String {
            let l = layer == .conv2 ? "c" : "f"
            guard let p = model.policy else { return "C^\(l)" }
            return "SD^\(l)_\(p.proportion)"
        }
    }

    var columns: [Column] { settings.tableBlocks.flatMap { b in b.models.map { Column(layer: b.layer, model: $0) } } }
    var sdColumns: [Column] { columns.filter { $0.model.policy != nil } }

    /// A learning rate as the JSON and reference.json write it ("0.001").
    static func rate(_ lr: Double) -> String { "\(lr)" }

    func modelJSON(_ column: Column, adding extra: [(String, JSONValue)] = []) -> JSONValue {
        let layer: JSONValue = .string(column.layer == .conv2 ? "c" : "f")
        let base: [(String, JSONValue)] = column.model.policy.map { p in
            [("kind", "SD"), ("layer", layer), ("keep_fraction", .string("\(p.proportion)")), ("is_control", false)]
        } ?? [("kind", "C"), ("layer", layer), ("keep_fraction", .null), ("is_control", true)]
        return .object(base + extra)
    }

    var models: JSONValue { .array(columns.map { modelJSON($0) }) }

    /// Seed 0's final adversarial validation accuracy of a cell (tables 1-3).
    func tableValue(_ key: HardeningCellKey) -> Double { results.run(seed: 0, key).final.adversarialValidation }

    func tables() -> JSONValue {
        let descriptions: [Grouping: String] = [.both: "a group is a (source, target) label pair",
                                                .orig: "a group is the original's label", .adv: "a group is the adversarial target label"]
        return .array(settings.groupings.map { g in
            let number = paper.hardening.table_numbers[g.rawValue] ?? 0
            var table: JSONValue = [
                "number": .number(Double(number)), "anchor": .string("table-\(number)"),
                "grouping": .string(g.rawValue), "grouping_description": .string(descriptions[g] ?? g.rawValue),
                "test_size": .number(Double(results.testSize(g))),
                "paper_test_size": .string("\(paper.expectedTestSize(g))"),
                "rows": .array(settings.learningRates.map { lr in
                    ["learning_rate": .string(Self.rate(lr)), "cells": .array(columns.map { column in
                        let ours = tableValue(HardeningCellKey(g, lr, column.model))
                        guard let theirs = paper.tableValue(TableRow(g, lr), column.notation) else {
                            return ["ours": .string(Format.fixed(ours, 4)), "paper": "n/a", "delta": "n/a", "ours_at_least_paper": true]
                        }
                        return ["ours": .string(Format.fixed(ours, 4)), "paper": .string(Format.fixed(theirs, 4)),
                                "delta": .string(Format.signed(ours - theirs, 4)), "ours_at_least_paper": .bool(ours >= theirs)]
                    })]
                }),
            ]
            if g == .adv {
                table["paper_note"] = .string("the paper's Table 3 repeats Table 1's conv2 columns exactly and its values are multiples of 1/82, which a grouping of at most 10 groups (so 10 validation pairs) cannot produce: most likely a copy error in the paper. The paper's cells are shown as printed; ours come from the Adv split.")
            }
            return table
        })
    }

    /// Wins, ties and losses of SD cells against their control.
    struct Comparison: Equatable {
        var wins = 0, ties = 0, losses = 0, rowsWithWin = 0, rows = 0
        var cells: Int { wins + ties + losses }
    }

    /// Seed-0 table cells: how often an SD_p beat, tied or lost to the control of its row.
    func singleSeedComparison() -> Comparison {
        var c = Comparison()
        for g in settings.groupings {
            for lr in settings.learningRates {
                let control = tableValue(HardeningCellKey(g, lr, .control))
                var rowWin = false
                for column in sdColumns {
                    let value = tableValue(HardeningCellKey(g, lr, column.model))
                    if value > control { c.wins += 1; rowWin = true } else if value == control { c.ties += 1 } else { c.losses += 1 }
                }
                c.rows += 1
                if rowWin { c.rowsWithWin += 1 }
            }
        }
        return c
    }

    /// An SD cell of the multi-seed grid with its control.
    struct SeedCell {
        var column: Column
        var cell: CellStatistics
        var control: CellStatistics
        var key: HardeningCellKey { cell.key }
    }

    /// Every SD table cell of the multi-seed grid, grouping, then rate, then column.
    func seedCells() -> [SeedCell] {
        settings.groupings.flatMap { g in
            settings.learningRates.flatMap { lr in
                sdColumns.map { column in
                    let key = HardeningCellKey(g, lr, column.model)
                    return SeedCell(column: column, cell: results.cell(key), control: results.cell(key.control))
                }
            }
        }
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
                    ("grouping", .string(c.key.grouping.rawValue)), ("learning_rate", .string(Self.rate(c.key.learningRate))),
                    ("mean", .string(Format.fixed(c.cell.summary.mean, 3))),
                    ("ci95", .string(Format.interval(c.cell.summary.lower, c.cell.summary.upper))),
                    ("control_mean", .string(Format.fixed(c.control.summary.mean, 3))),
                    ("p_value", .string(c.cell.pairedT.map { Format.pValue($0.p) } ?? "n/a")),
                    ("significant", .bool((c.cell.pairedT?.p ?? 1) < 0.05)),
                ])
            }),
        ]
    }
}
