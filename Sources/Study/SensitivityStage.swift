import StudyTypes
import Analysis
import Engine
import Experiments
import Foundation
import MNIST

/// The "why our tables differ" stage's output: every level of every factor, one factor at a
/// time from the primary configuration.
struct SensitivityStage: Codable {
    var primary: SensitivityConfiguration
    var settings: SensitivitySettings
    var levels: [SensitivityLevelResult]
    /// Per extra attack: the pairs it made, and its attempts (successes + failures).
    var attacks: [ExtraAttack]
    /// Hardening runs trained by this stage (the primary's come from the hardening stage).
    var newRuns: Int
    /// Runs of other levels that the hardening stage had already made with the same inputs
    /// (its selection variants at the ablation learning rate), read from it instead.
    var reusedRuns: Int
    /// The paper's tables (reference.json) and which of the 8 columns are the control.
    var paperTables: SensitivityTable
    var controlColumns: [Bool]

    struct ExtraAttack: Codable {
        var key: SensitivityPairKey
        var pairs: Int
        var attempts: Int
        /// The attack stage's own C searches finished under this key's final-C rule (the same
        /// draws, growth and bisection runs; only the final runs are its own), not a search of its own.
        var sharesPrimarySearches: Bool
    }
}

extension Study {
    /// Trains the jobs on our base net (the control's runs, the read-out levels and every run
    /// that shares the hardening stage's inputs come from the hardening stage: seeds
    /// 0..<seeds of its grid), takes `authors` (the jobs on the author's net, run beside base
    /// training) and reads each level's 48 cells.
    func sensitivityStage(base: Model, attack: AttackStage, hardening: HardeningResults, authors: SensitivityJobRuns,
                          data: MNIST, paper: SensitivityTable) throws -> SensitivityStage {
        let planning = SensitivityPlanning(profile: options.profile)
        let primary = planning.primary, seeds = planning.seeds
        let tableModels = hardening.settings.tableModels
        let primaryRuns = hardening.runs.filter { $0.spec.seed < seeds && tableModels.contains($0.spec.model) }
        // The pairs of the primary attack, and of its searches finished under other final-C rules.
        var known = [primary.grid.pairs: attack.generation.pairs.map(\.pair)]
        var sharedSearchAttacks: [SensitivityStage.ExtraAttack] = []
        for alternative in attack.generation.finalRuleAlternatives {
            var key = primary.grid.pairs
            key.attack.finalC = alternative.settings.finalC
            known[key] = alternative.pairs.map(\.pair)
            sharedSearchAttacks.append(.init(key: key, pairs: alternative.pairs.count, attempts: alternative.attempts.count,
                                             sharesPrimarySearches: true))
        }
        let own = try trainSensitivityJobs(
            planning.ownJobs, planning: planning, models: [.ours: base], pairSets: known, reusable: hardening.runs, data: data,
            workers: options.profile.sensitivity.workers, label: "sensitivity")
        guard authors.jobs == planning.authorsJobs else {
            throw AnalysisInputError("sensitivity: the author's-net runs were made for another plan")
        }

        // Runs by grid key, and the extra attacks, in the plan's order.
        var runs: [SensitivityGridKey: [HardeningRunResult]] = [primary.grid: primaryRuns]
        if primary.grid.control != primary.grid { runs[primary.grid.control] = primaryRuns.filter { $0.spec.model == .control } }
        var attacksByKey = Dictionary(uniqueKeysWithValues: sharedSearchAttacks.map { ($0.key, $0) })
        var newRuns = 0, reusedRuns = 0
        for part in [own, authors] {
            for (i, job) in part.jobs.enumerated() {
                runs[job.key, default: []] += part.reusedRuns[i] + part.newRuns[i]
                newRuns += part.newRuns[i].count
                reusedRuns += part.reusedRuns[i].count
            }
            for a in part.attacks { attacksByKey[a.key] = a }
        }
        var attacks: [SensitivityStage.ExtraAttack] = []
        for key in planning.jobs.map(\.key.pairs) {
            if let a = attacksByKey.removeValue(forKey: key) { attacks.append(a) }
        }

        let columns = hardening.settings.tableColumns
        let controlColumns = columns.map { $0 == .control }
        let levels = try planning.configurations.map { level, c -> SensitivityLevelResult in
            let own = (runs[c.grid] ?? []).filter { $0.spec.model != .control }
            let control = (runs[c.grid.control] ?? []).filter { $0.spec.model == .control }
            let tables = try readSensitivityTables(
                runs: own + control, columns: planning.columns(c.grid), groupings: hardening.settings.groupings,
                learningRates: hardening.settings.learningRates, seeds: seeds, epoch: c.epochs, metric: c.metric)
            return SensitivityLevelResult(level: level, isPrimary: c == primary, perSeed: tables,
                                          controlColumns: controlColumns, paper: paper)
        }
        return SensitivityStage(primary: primary, settings: options.profile.sensitivity, levels: levels, attacks: attacks,
                                newRuns: newRuns, reusedRuns: reusedRuns, paperTables: paper, controlColumns: controlColumns)
    }
}
