import StudyTypes
import Attacks
import Engine
import Experiments
import Foundation
import MNIST

/// The hardening runs one grid key of the sensitivity study needs: its table models there (the
/// SD models at a level's key, the control at its control key).
struct SensitivityJob: Codable, Hashable {
    var key: SensitivityGridKey
    var models: [HardeningModel]
}

/// What the sensitivity stage will compute, from the profile alone (so the part that does not
/// read the base net can start before base training ends): the levels, the jobs, the seeds.
struct SensitivityPlanning {
    let primary: SensitivityConfiguration
    /// Every level of every factor and the configuration it stands for.
    let configurations: [(level: SensitivityLevel, configuration: SensitivityConfiguration)]
    /// The keys that need runs of their own, in the levels' order (the primary's runs come from
    /// the hardening stage).
    let jobs: [SensitivityJob]
    /// Seeds per level: 0..<seeds of the hardening grid.
    let seeds: Int
    let hardening: HardeningSettings

    init(profile: Profile) {
        hardening = profile.hardening
        seeds = min(profile.sensitivity.seeds, hardening.seeds)
        let primary = SensitivityAdapter.primary(profile)
        self.primary = primary
        configurations = profile.sensitivity.levels(primary: primary).map { ($0, $0.applied(to: primary)) }
        var jobs: [SensitivityJob] = []
        func need(_ key: SensitivityGridKey, _ models: [HardeningModel]) {
            if key == primary.grid || (models == [.control] && key == primary.grid.control) { return }
            if let i = jobs.firstIndex(where: { $0.key == key }) {
                for m in models where !jobs[i].models.contains(m) { jobs[i].models.append(m) }
            } else {
                jobs.append(SensitivityJob(key: key, models: models))
            }
        }
        for (_, c) in configurations {
            need(c.grid, Self.sdModels(SensitivityAdapter.hardeningSettings(c.grid, main: hardening)))
            need(c.grid.control, [.control])
        }
        self.jobs = jobs
    }

    /// A grid key's 8 table columns: its selection's SD models and the control.
    func columns(_ key: SensitivityGridKey) -> [HardeningModel] {
        SensitivityAdapter.hardeningSettings(key, main: hardening).tableColumns
    }

    static func sdModels(_ settings: HardeningSettings) -> [HardeningModel] {
        var models: [HardeningModel] = []
        for m in settings.tableColumns where m != .control && !models.contains(m) { models.append(m) }
        return models
    }

    /// The final-C rules of the levels whose pairs differ from the primary's in that rule
    /// alone: the attack stage finishes its own C searches under them (their growth and
    /// bisection runs read no rule), so those pairs need no attack of their own. Read from the
    /// profile's levels only (no models built), so the stage keys can read it too.
    static func finalRulesOfPrimarySearches(_ profile: Profile) -> [FinalCRule] {
        let primary = SensitivityAdapter.primary(profile), primaryPairs = primary.grid.pairs
        var rules: [FinalCRule] = []
        for level in profile.sensitivity.levels(primary: primary) {
            let pairs = level.applied(to: primary).grid.pairs
            var asPrimary = pairs
            asPrimary.attack.finalC = primaryPairs.attack.finalC
            if pairs != primaryPairs, asPrimary == primaryPairs, !rules.contains(pairs.attack.finalC) {
                rules.append(pairs.attack.finalC)
            }
        }
        return rules
    }

    /// The jobs on the author's published net: they read neither our base net nor its pairs.
    var authorsJobs: [SensitivityJob] { jobs.filter { $0.key.baseNetwork == .authors } }
    var ownJobs: [SensitivityJob] { jobs.filter { $0.key.baseNetwork == .ours } }

    /// True when `key`'s runs train on exactly the hardening stage's inputs (its base net, pairs
    /// and pipeline), so that a run the hardening stage made of the same seed, grouping,
    /// learning rate and model is the same training run (same splits and orders, same steps).
    func sharesHardeningInputs(_ key: SensitivityGridKey) -> Bool {
        key.pairs == primary.grid.pairs && key.pipeline == primary.grid.pipeline
    }
}

/// The runs some jobs got: per job (in the jobs' order) its new runs and those reused from the
/// hardening stage, and the attacks their pairs needed.
struct SensitivityJobRuns: Codable {
    var jobs: [SensitivityJob]
    var newRuns: [[HardeningRunResult]]
    var reusedRuns: [[HardeningRunResult]]
    var attacks: [SensitivityStage.ExtraAttack]
}

extension Study {
    /// Trains `jobs` (attacking for each pair key not in `pairSets`) on `workers` threads; runs
    /// in `reusable` (the hardening stage's) stand in for the same runs of a key that shares the
    /// hardening stage's inputs. `label` names the work in progress events.
    func trainSensitivityJobs(_ jobs: [SensitivityJob], planning: SensitivityPlanning, models: [BaseNetworkChoice: Model],
                              pairSets known: [SensitivityPairKey: [StudyTypes.AdversarialPair]],
                              reusable: [HardeningRunResult], data: MNIST, workers: Int,
                              label: String) throws -> SensitivityJobRuns {
        var pairSets = known
        var attacks: [SensitivityStage.ExtraAttack] = []
        for key in jobs.map(\.key.pairs) where pairSets[key] == nil {
            let generation = try sensitivityAttack(key, model: models[key.baseNetwork]!, data: data, workers: workers,
                                                   label: label + " attack")
            pairSets[key] = generation.pairs.map(\.pair)
            attacks.append(.init(key: key, pairs: generation.pairs.count, attempts: generation.attempts.count,
                                 sharesPrimarySearches: false))
        }
        let test = try labelledImages(data.test.prefix(options.profile.base.testImages))
        let reused = jobs.map { job -> [HardeningRunResult] in
            guard planning.sharesHardeningInputs(job.key) else { return [] }
            return reusable.filter { $0.spec.seed < planning.seeds && job.models.contains($0.spec.model)
                && planning.hardening.learningRates.contains($0.spec.learningRate) && $0.spec.epochs == planning.hardening.epochs }
        }
        let requests = try zip(jobs, reused).map { job, reused -> SensitivityRunRequest in
            let model = models[job.key.baseNetwork]!
            var pairs = pairSets[job.key.pairs]!, images = test
            if job.key.pipeline == .notebook {
                let pipeline = NotebookPipeline(normalisation: model.normalisation)
                pairs = pipeline.transform(pairs)
                images = try pipeline.transform(test)
            }
            // The control trains without selection: any selection setting serves it.
            var h = job.models == [.control] ? planning.hardening
                : SensitivityAdapter.hardeningSettings(job.key, main: planning.hardening)
            h.ablationLearningRates = []
            h.scheduleLearningRates = []
            return SensitivityRunRequest(base: model, pairs: pairs, test: images, settings: h, models: job.models,
                                         excluding: Set(reused.map { SensitivityRunRequest.RunID($0.spec) }))
        }
        let total = requests.reduce(0) { $0 + $1.plan(seeds: planning.seeds).count }
        events(.message("  \(label): \(attacks.count) extra attack\(attacks.count == 1 ? "" : "s"), \(total) hardening runs "
            + "over \(planning.seeds) seeds, \(reused.joined().count) reused from the hardening stage"))
        let results = try runSensitivityRequests(
            requests, seeds: planning.seeds, rng: stream("hardening"), workers: workers,
            progress: { [events] done, total in events(.progress(label, done: done, total: total, note: "runs")) })
        return SensitivityJobRuns(jobs: jobs, newRuns: results, reusedRuns: reused, attacks: attacks)
    }

    /// The sensitivity jobs on the author's published net, with its attack: they need neither
    /// our base net nor its pairs, so they run on the second core while base training runs.
    func authorsSensitivityStage(data: MNIST) throws -> SensitivityJobRuns {
        let planning = SensitivityPlanning(profile: options.profile)
        let jobs = planning.authorsJobs
        var models: [BaseNetworkChoice: Model] = [:]
        if !jobs.isEmpty {
            let normalisation = paddedInputNormalisation(data.train, architecture: options.profile.base.architecture)
            models[.authors] = try AuthorNetwork.load(from: AuthorNetwork.directory(besideMNIST: options.dataDirectory),
                                                      normalisation: normalisation)
        }
        return try trainSensitivityJobs(jobs, planning: planning, models: models, pairSets: [:], reusable: [], data: data,
                                        workers: 1, label: "sensitivity (author's net)")
    }

    /// A new set of pairs for `key`, drawn with the main attack's stream ("attack-pairs").
    func sensitivityAttack(_ key: SensitivityPairKey, model: Model, data: MNIST, workers: Int,
                           label: String) throws -> PairGeneration {
        let profile = options.profile
        let sourceSet = key.attack.source == .train ? data.train.prefix(profile.base.trainImages)
                                                    : data.test.prefix(profile.base.testImages)
        let pool = try LabelledImages(pixels: scaledPixels(sourceSet, for: model.architecture), labels: sourceSet.labels.map(Int.init),
                                      pixelsPerImage: model.architecture.pixels)
        var rng = stream("attack-pairs")
        let settings = SensitivityAdapter.attackSettings(key.attack, main: profile.attack)
        return try generateAdversarialPairs(
            model: model, pool: pool, count: profile.pairs, settings: settings, rng: &rng, workers: workers,
            progress: { [events] p in events(.progress(label, done: p.successes, total: p.needed, note: "\(p.done) attacked")) })
    }
}
