import StudyTypes
import Analysis
import Attacks
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
    /// The paper's tables (reference.json) and which of the 8 columns are the control.
    var paperTables: SensitivityTable
    var controlColumns: [Bool]

    struct ExtraAttack: Codable {
        var key: SensitivityPairKey
        var pairs: Int
        var attempts: Int
    }
}

extension Study {
    /// Runs the extra attacks and hardening runs the levels need (the control's runs and the
    /// read-out levels come from the hardening stage: seeds 0..<settings.seeds of its grid) and
    /// reads each level's 48 cells.
    func sensitivityStage(base: Model, attack: AttackStage, hardening: HardeningResults, data: MNIST,
                          paper: SensitivityTable) throws -> SensitivityStage {
        let profile = options.profile
        let settings = profile.sensitivity
        let seeds = min(settings.seeds, hardening.settings.seeds)
        let primary = SensitivityAdapter.primary(profile)
        let columns = hardening.settings.tableColumns
        var tableModels: [HardeningModel] = []
        for m in columns where !tableModels.contains(m) { tableModels.append(m) }
        /// A grid key's 8 table columns: its selection's SD models and the control.
        func keyColumns(_ key: SensitivityGridKey) -> [HardeningModel] {
            SensitivityAdapter.hardeningSettings(key, main: hardening.settings).tableColumns
        }
        func sdModels(_ key: SensitivityGridKey) -> [HardeningModel] {
            var models: [HardeningModel] = []
            for m in keyColumns(key) where m != .control && !models.contains(m) { models.append(m) }
            return models
        }

        let configurations = settings.levels(primary: primary).map { ($0, $0.applied(to: primary)) }

        // Runs by grid key: SD models at the level's key, the control at its control key.
        let primaryRuns = hardening.runs.filter { $0.spec.seed < seeds && tableModels.contains($0.spec.model) }
        var jobs: [(key: SensitivityGridKey, models: [HardeningModel])] = []
        func need(_ key: SensitivityGridKey, _ models: [HardeningModel]) {
            if key == primary.grid || (models == [.control] && key == primary.grid.control) { return }
            if let i = jobs.firstIndex(where: { $0.key == key }) {
                for m in models where !jobs[i].models.contains(m) { jobs[i].models.append(m) }
            } else {
                jobs.append((key, models))
            }
        }
        for (_, c) in configurations {
            need(c.grid, sdModels(c.grid))
            need(c.grid.control, [.control])
        }

        // Pairs per pair key (the same draw stream as the main attack: same sources and targets where the pool allows).
        let normalisation = paddedInputNormalisation(data.train, architecture: base.architecture)
        let authors = { try AuthorNetwork.load(from: AuthorNetwork.directory(besideMNIST: options.dataDirectory),
                                               normalisation: normalisation) }
        var models: [BaseNetworkChoice: Model] = [.ours: base]
        var pairSets: [SensitivityPairKey: [StudyTypes.AdversarialPair]] = [primary.grid.pairs: attack.generation.pairs.map(\.pair)]
        var extraAttacks: [SensitivityStage.ExtraAttack] = []
        for key in jobs.map(\.key.pairs) where pairSets[key] == nil {
            if models[key.baseNetwork] == nil { models[key.baseNetwork] = try authors() }
            let generation = try sensitivityAttack(key, model: models[key.baseNetwork]!, data: data)
            pairSets[key] = generation.pairs.map(\.pair)
            extraAttacks.append(.init(key: key, pairs: generation.pairs.count, attempts: generation.attempts.count))
        }

        let test = try labelledImages(data.test.prefix(profile.base.testImages))
        let requests = try jobs.map { job -> SensitivityRunRequest in
            let model = models[job.key.baseNetwork]!
            var pairs = pairSets[job.key.pairs]!, images = test
            if job.key.pipeline == .notebook {
                let pipeline = NotebookPipeline(normalisation: model.normalisation)
                pairs = pipeline.transform(pairs)
                images = try pipeline.transform(test)
            }
            // The control trains without selection: any selection setting serves it.
            var h = job.models == [.control] ? hardening.settings
                : SensitivityAdapter.hardeningSettings(job.key, main: hardening.settings)
            h.ablationLearningRates = []
            h.scheduleLearningRates = []
            return SensitivityRunRequest(base: model, pairs: pairs, test: images, settings: h, models: job.models)
        }
        let total = requests.reduce(0) { $0 + $1.plan(seeds: seeds).count }
        events(.message("  sensitivity: \(extraAttacks.count) extra attacks, \(total) hardening runs over \(seeds) seeds"))
        let results = try runSensitivityRequests(
            requests, seeds: seeds, rng: stream("hardening"), workers: settings.workers,
            progress: { [events] done, total in events(.progress("sensitivity", done: done, total: total, note: "runs")) })
        var runs: [SensitivityGridKey: [HardeningRunResult]] = [primary.grid: primaryRuns]
        if primary.grid.control != primary.grid { runs[primary.grid.control] = primaryRuns.filter { $0.spec.model == .control } }
        for (job, result) in zip(jobs, results) { runs[job.key, default: []] += result }

        let controlColumns = columns.map { $0 == .control }
        let levels = try configurations.map { level, c -> SensitivityLevelResult in
            let own = (runs[c.grid] ?? []).filter { $0.spec.model != .control }
            let control = (runs[c.grid.control] ?? []).filter { $0.spec.model == .control }
            let tables = try readSensitivityTables(
                runs: own + control, columns: keyColumns(c.grid), groupings: hardening.settings.groupings,
                learningRates: hardening.settings.learningRates, seeds: seeds, epoch: c.epochs, metric: c.metric)
            return SensitivityLevelResult(level: level, isPrimary: c == primary, perSeed: tables,
                                          controlColumns: controlColumns, paper: paper)
        }
        return SensitivityStage(primary: primary, settings: settings, levels: levels,
                                attacks: extraAttacks, newRuns: total, paperTables: paper, controlColumns: controlColumns)
    }

    /// A new set of pairs for `key`, drawn with the main attack's stream ("attack-pairs").
    func sensitivityAttack(_ key: SensitivityPairKey, model: Model, data: MNIST) throws -> PairGeneration {
        let profile = options.profile
        let sourceSet = key.attack.source == .train ? data.train.prefix(profile.base.trainImages)
                                                    : data.test.prefix(profile.base.testImages)
        let pool = try LabelledImages(pixels: scaledPixels(sourceSet, for: model.architecture), labels: sourceSet.labels.map(Int.init),
                                      pixelsPerImage: model.architecture.pixels)
        var rng = stream("attack-pairs")
        let settings = SensitivityAdapter.attackSettings(key.attack, main: profile.attack)
        return try generateAdversarialPairs(
            model: model, pool: pool, count: profile.pairs, settings: settings, rng: &rng, workers: 2,
            progress: { [events] p in events(.progress("sensitivity attack", done: p.successes, total: p.needed, note: "\(p.done) attacked")) })
    }
}
