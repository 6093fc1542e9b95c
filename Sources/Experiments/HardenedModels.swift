import StudyTypes
import Analysis
import Engine
import Random

/// Retrains seed 0's runs of `models` for one grouping and learning rate exactly as
/// `runHardeningGrid` trains them (same monitor, split and pair order from `rng`, the hardening
/// stage's stream) and returns the trained networks in `models` order, on `settings.workers`
/// threads. The grid itself keeps only records; analyses that probe the hardened nets call this.
public func trainSeedZeroModels(base: Model, pairs: [AdversarialPair], test: LabelledImages, settings: HardeningSettings,
                                rng: RandomStream, grouping: Grouping, learningRate: Double,
                                models: [HardeningModel]) throws -> (split: HardeningSplit, models: [Model]) {
    let inputs = try HardeningInputs(base: base, pairs: pairs, test: test, monitorSize: settings.monitorSize, rng: rng)
    let streams = HardeningStreams(root: rng)
    var splitStream = streams.split(seed: 0, grouping: grouping)
    let split = HardeningSplit(pairs: pairs, grouping: grouping, rng: &splitStream)
    let selection = BaseNetSelection(base: base, pairs: pairs, keys: BaseNetSelection.keys(for: models),
                                     definition: settings.volatility)
    let trainer = HardeningTrainer(inputs: inputs, split: split, volatility: settings.volatility,
                                   convergence: settings.convergence, baseSelection: selection, evaluation: .adversarialOnly)
    let trained = runIndependentJobs(count: models.count, workers: settings.workers) { i in
        let spec = HardeningRunSpec(seed: 0, grouping: grouping, learningRate: learningRate, model: models[i],
                                    epochs: settings.epochs, evaluation: .adversarialOnly)
        return trainer.run(spec, order: streams.order(seed: 0, grouping: grouping)).model
    }
    return (split, trained)
}
