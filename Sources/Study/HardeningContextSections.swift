import Analysis
import Engine
import Experiments
import Report
import StudyTypes

extension HardeningContext {
    /// Steps to convergence of one SD cell against its control, converged runs only.
    struct ConvergenceRatio {
        var cell: SeedCell
        /// SD mean steps / control mean steps over converged runs; nil when either has none.
        var ratio: Double?
    }

    func convergenceRatios() -> [ConvergenceRatio] {
        seedCells().map { c in
            guard let own = c.cell.convergence.meanSteps, let control = c.control.convergence.meanSteps, control > 0 else {
                return ConvergenceRatio(cell: c, ratio: nil)
            }
            return ConvergenceRatio(cell: c, ratio: own / control)
        }
    }

    /// Per column over every grouping, rate and seed: mean steps of the converged runs, the
    /// censored runs, and the median of the cells' ratios to their control.
    func convergence() -> JSONValue {
        let ratios = convergenceRatios()
        return .array(columns.map { column in
            let cells = settings.groupings.flatMap { g in
                settings.learningRates.map { results.cell(HardeningCellKey(g, $0, column.model)) }
            }
            let steps = cells.flatMap { c in (0..<settings.seeds).compactMap { results.run(seed: $0, c.key).convergenceSteps } }
            let censored = cells.map(\.convergence.censored).reduce(0, +)
            let runs = cells.count * settings.seeds
            let own = ratios.filter { $0.cell.column.model == column.model }.compactMap(\.ratio)
            let ratio = steps.isEmpty ? "n/a" : column.model == .control ? "1.00" : own.isEmpty ? "n/a" : Format.fixed(median(own), 2)
            let meanSteps = steps.isEmpty ? "n/a" : Format.count(Int((Double(steps.reduce(0, +)) / Double(steps.count)).rounded()))
            return modelJSON(column, adding: [("steps", .string(meanSteps)), ("ratio", .string(ratio)),
                                              ("censored", .string("\(censored) of \(runs)"))])
        })
    }

    /// MNIST test accuracy after hardening (seed 0, all test images), averaged over groupings and rates.
    func originalAccuracy() -> JSONValue {
        .array(columns.map { column in
            let values = settings.groupings.flatMap { g in
                settings.learningRates.map { results.run(seed: 0, HardeningCellKey(g, $0, column.model)).finalTestAccuracy! }
            }
            let mean = values.reduce(0, +) / Double(max(values.count, 1))
            return modelJSON(column, adding: [("accuracy", .string(Format.percent(mean))),
                                              ("change", .string(Format.signed(100 * (mean - baseTestAccuracy), 2)))])
        })
    }

    /// Per seed, the mean of `value` over `cells` and over their controls.
    func perSeedSeries(_ cells: [CellStatistics], _ value: (CellStatistics) -> [Double] = \.values)
        -> (own: [Double], control: [Double])? {
        guard let first = cells.first else { return nil }
        let seeds = first.values.count
        var own = [Double](repeating: 0, count: seeds), control = own
        for cell in cells {
            let mine = value(cell), theirs = value(results.cell(cell.key.control))
            // own_s = mean over cells of value_s; control_s likewise
            for s in 0..<seeds {
                own[s] += mine[s] / Double(cells.count)
                control[s] += theirs[s] / Double(cells.count)
            }
        }
        return (own, control)
    }

    /// The per-seed means of `cells` summarised, and their mean difference to the controls.
    func perSeedMeans(_ cells: [CellStatistics]) -> (own: SampleSummary, difference: Double)? {
        guard let (own, control) = perSeedSeries(cells) else { return nil }
        let difference = zip(own, control).map { $0 - $1 }.reduce(0, +) / Double(own.count)
        return (SampleSummary(own), difference)
    }

    /// The extra cells whose policy `matches`, on `layer`.
    func extraCells(layer: UnitLayer, _ matches: (DropoutPolicy) -> Bool) -> [CellStatistics] {
        results.extraCells.filter { c in c.key.model.policy.map { $0.layer == layer && matches($0) } ?? false }
    }

    /// The ablations and the selection variants: each one switch away from the table's SD models.
    func ablations() -> JSONValue {
        let primary = settings.selection
        var kinds: [(String, String, (DropoutPolicy) -> Bool)] = [
            ("gradient mask", "forward pass unchanged, gradient only through the retained units",
             { $0.mode == .gradientMask && $0.selection == primary }),
            ("inverted selection", "the least volatile units retained (the notebook's literal code)",
             { $0.inverted && $0.selection == primary }),
        ]
        for variant in settings.selectionVariants where variant != primary {
            let what = variant.source != primary.source
                ? "volatility measured on the network being trained, before each pair's steps (\(variant))"
                : "volatility measured \(variant.point == .postReLU ? "after" : "before") the layer's ReLU (\(variant))"
            kinds.append(("selection: \(variant)", what, { $0.selection == variant && $0.mode == .switchOff && !$0.inverted }))
        }
        var rows: [JSONValue] = []
        for (name, description, matches) in kinds {
            for layer in settings.layers {
                guard let (own, difference) = perSeedMeans(extraCells(layer: layer, matches)) else { continue }
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
                let cells = extraCells(layer: layer) { $0.scheduleRate > 0 && $0.proportion == p0 }
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

    /// Runs not converged by the epoch cap, over every table model's runs (the control once).
    func censoredRuns() -> (censored: Int, runs: Int) {
        var censored = 0, runs = 0
        for g in settings.groupings {
            for lr in settings.learningRates {
                for model in settings.tableModels {
                    let c = results.cell(HardeningCellKey(g, lr, model)).convergence
                    censored += c.censored
                    runs += c.censored + c.converged
                }
            }
        }
        return (censored, runs)
    }

    func hardening() -> JSONValue {
        let c = singleSeedComparison()
        let rule = settings.convergence
        let censored = censoredRuns()
        return [
            "epochs": .string("\(settings.epochs)"),
            "learning_rates": .string(settings.learningRates.map(Self.rate).joined(separator: " and ")),
            "selection": .string("volatility of the target layer's units measured \(settings.selection.point == .preReLU ? "before" : "after") its ReLU on \(settings.selection.source == .baseNet ? "the fixed base net, once per pair before training (the notebook's compareActivities(net, ...) while a copy trains), so a pair's mask is the same for the whole run" : "the network being trained, before each pair's two steps")"),
            "training_accuracy_definition": "the training accuracy of an epoch is the fraction of its adversarial (or original) steps whose forward pass, taken before the step's update, classified the image as its true label; validation accuracies are evaluated after the epoch's last step",
            "convergence_definition": .string("the first epoch from which the adversarial training accuracy stays within \(Format.fixed(100 * rule.tolerance, 0)) percentage point of its final value, provided that plateau spans at least \(rule.plateauEpochs) epochs, times the steps per epoch (two per training pair); a run without such a plateau by epoch \(settings.epochs) has not converged (right-censored) and is left out of the step means and ratios"),
            "censored_sentence": .string("\(censored.censored) of \(censored.runs) runs of the table models (all seeds) had not converged by epoch \(settings.epochs)"),
            "sd_cells": .string("\(c.cells)"), "sd_wins": .string("\(c.wins)"), "sd_ties": .string("\(c.ties)"),
            "sd_wins_sentence": .string("SD beat the control in \(c.wins) of \(c.cells) cells of the single-seed tables, tied in \(c.ties) and lost in \(c.losses)"),
            "some_sd_beats_control": .string("in \(c.rowsWithWin) of \(c.rows) (grouping, learning rate) rows some SD_p beats the control"),
            "convergence": convergence(),
            "original_accuracy": originalAccuracy(),
        ]
    }

    /// The paper's section 5 reads its metric on training error: our final adversarial training
    /// accuracy against the validation accuracy, mean over the single-seed table cells.
    func trainingErrorPoint() -> String {
        var training: [Double] = [], validation: [Double] = []
        for g in settings.groupings {
            for lr in settings.learningRates {
                for model in settings.tableModels {
                    let run = results.run(seed: 0, HardeningCellKey(g, lr, model))
                    training.append(run.final.adversarialTraining)
                    validation.append(run.final.adversarialValidation)
                }
            }
        }
        let t = training.reduce(0, +) / Double(max(training.count, 1)), v = validation.reduce(0, +) / Double(max(validation.count, 1))
        return "The paper's section 5 says \"Evaluation was done based on training error (which is not a good metric, and it is no wonder the control beat selective dropout given this method)\", while its tables are said to report the withheld validation pairs: in this run the final adversarial training accuracy averages \(Format.percent(t, 1)) over the single-seed table cells against \(Format.percent(v, 1)) on the withheld pairs: \(abs(t - v) >= 0.05 ? "tables read on training error would look very different from tables read on the withheld pairs" : "the two readings differ little here")."
    }
}
