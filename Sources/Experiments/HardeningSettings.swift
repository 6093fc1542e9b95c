import Analysis
import Engine

/// The hardening experiment's settings: the paper's grid, the seeds past the paper, the
/// ablations, the selection variants and the p schedule.
public struct HardeningSettings: Codable, Hashable, Sendable {
    public var groupings: [Grouping] = Grouping.allCases
    public var learningRates: [Double] = [0.001, 0.003]
    /// Retained proportions of the SD models, per target layer.
    public var proportions: [Double] = [0.2, 0.5, 0.7]
    public var layers: [UnitLayer] = [.conv2, .fc]
    /// The fixed number of epochs of every run (the paper does not state its maximum).
    public var epochs: Int = 20
    /// Seed 0 gives the tables; seeds 0..<seeds give the multi-seed statistics.
    public var seeds: Int = 10
    /// MNIST test images evaluated after every epoch of seed 0 (all of them after its last
    /// epoch); the other seeds evaluate this subset once, at the end.
    public var monitorSize: Int = 1000
    public var volatility: VolatilityDefinition = .normOfDifference
    /// How the table models and the ablations measure volatility (default: the notebook's,
    /// pre-ReLU on the fixed base net).
    public var selection: UnitSelection = .notebook
    /// Selection variants, each run like an ablation (every seed, grouping, layer and p at
    /// `ablationLearningRates`); default: post-ReLU on the base net, and pre-ReLU on the network
    /// being trained, each one factor away from the notebook's.
    public var selectionVariants: [UnitSelection] = [
        UnitSelection(source: .baseNet, point: .postReLU), UnitSelection(source: .currentNet, point: .preReLU),
    ]
    public var convergence = ConvergenceRule()
    /// Learning rates at which the two SD ablations (gradient mask, inverted selection) and the
    /// selection variants run, on every seed, grouping, layer and p.
    public var ablationLearningRates: [Double] = [0.001]
    /// p_0 values and rate alpha (per epoch) of the scheduled models, and their learning rates.
    public var scheduleStarts: [Double] = [0.2, 0.5]
    public var scheduleRate: Double = 0.1
    public var scheduleLearningRates: [Double] = [0.001]
    /// Shares of a pair's volatility that set its own p_0 (`VolatilityShareRule`), run as fixed-p
    /// models (no schedule) on every seed, grouping and layer at `volatilityShareLearningRates`.
    public var volatilityShares: [Double] = [0.8]
    public var volatilityShareLearningRates: [Double] = [0.001]
    /// Parallel runs (one `Network` each); the results do not depend on it.
    public var workers: Int = 2

    public init() {}

    /// SD_p on `layer` with this study's selection.
    public func selective(_ layer: UnitLayer, _ p: Double) -> HardeningModel {
        .selective(layer, p, selection: selection)
    }

    /// One layer's block of a table row: the control, then SD_p for each p.
    public struct TableBlock: Hashable, Sendable {
        public var layer: UnitLayer
        public var models: [HardeningModel]
    }

    /// The table's blocks in the paper's order (conv2, then fc).
    public var tableBlocks: [TableBlock] {
        layers.map { layer in TableBlock(layer: layer, models: [.control] + proportions.map { selective(layer, $0) }) }
    }

    /// The models of one table row, in the paper's column order: C^c, SD^c_0.2, SD^c_0.5,
    /// SD^c_0.7, C^f, SD^f_0.2, ... (the control twice: C^c and C^f are the same run).
    public var tableColumns: [HardeningModel] { tableBlocks.flatMap(\.models) }

    /// The distinct table models in column order (the control once).
    public var tableModels: [HardeningModel] {
        var models: [HardeningModel] = []
        for model in tableColumns where !models.contains(model) { models.append(model) }
        return models
    }

    /// The ablation, selection-variant and schedule models run at `learningRate`.
    public func extraModels(learningRate: Double) -> [HardeningModel] {
        var models: [HardeningModel] = []
        if ablationLearningRates.contains(learningRate) {
            for layer in layers {
                for p in proportions {
                    models.append(HardeningModel(policy: DropoutPolicy(layer: layer, proportion: p, mode: .gradientMask,
                                                                       selection: selection)))
                    models.append(HardeningModel(policy: DropoutPolicy(layer: layer, proportion: p, inverted: true,
                                                                       selection: selection)))
                    for variant in selectionVariants where variant != selection {
                        models.append(.selective(layer, p, selection: variant))
                    }
                }
            }
        }
        if scheduleLearningRates.contains(learningRate) {
            for layer in layers {
                for p0 in scheduleStarts {
                    models.append(HardeningModel(policy: DropoutPolicy(layer: layer, proportion: p0, scheduleRate: scheduleRate,
                                                                       selection: selection)))
                }
            }
        }
        if volatilityShareLearningRates.contains(learningRate) {
            for layer in layers {
                for share in volatilityShares {
                    models.append(HardeningModel(policy: DropoutPolicy(layer: layer, proportion: 1, selection: selection,
                                                                       volatilityShare: share)))
                }
            }
        }
        return models
    }

    /// The distinct models run at `learningRate`: the table's (the control once), then the extra ones.
    public func models(learningRate: Double) -> [HardeningModel] {
        var models = tableModels
        for model in extraModels(learningRate: learningRate) where !models.contains(model) {
            models.append(model)
        }
        return models
    }

    /// Every run, in a fixed order: seed, grouping, learning rate, then `models(learningRate:)`.
    public var plan: [HardeningRunSpec] {
        var specs: [HardeningRunSpec] = []
        for seed in 0..<seeds {
            for grouping in groupings {
                for lr in learningRates {
                    specs += models(learningRate: lr).map {
                        HardeningRunSpec(seed: seed, grouping: grouping, learningRate: lr, model: $0, epochs: epochs,
                                         evaluation: .grid(seed: seed))
                    }
                }
            }
        }
        return specs
    }

    /// SGD steps and forward passes of the whole plan for `trainingPairs` training pairs per
    /// grouping, and `monitor`/`test` sizes: a budget to pick `epochs` and `seeds` by. Base-net
    /// selection and epoch 0 are computed once per split and not counted; a current-net
    /// selection costs two forward passes per pair and epoch.
    public func cost(trainingPairs: [Grouping: Int], validationPairs: [Grouping: Int], testImages: Int)
        -> (trainSteps: Int, forwards: Int) {
        var steps = 0, forwards = 0
        for spec in plan {
            let n = trainingPairs[spec.grouping] ?? 0, m = validationPairs[spec.grouping] ?? 0
            steps += spec.epochs * 2 * n
            let selection = spec.model.policy?.selection.source == .currentNet ? 2 * n : 0
            let validation = spec.evaluation.originalValidation ? 2 * m : m
            forwards += spec.epochs * (selection + validation + (spec.evaluation.monitorEveryEpoch ? monitorSize : 0))
            switch spec.evaluation {
            case .curvesAndFullTest: forwards += testImages
            case .finalMonitor: forwards += monitorSize
            case .adversarialOnly: break
            }
        }
        return (steps, forwards)
    }
}
