import Analysis
import Engine
import Random
import StudyTypes

/// Hard-negative training of a copy of the base net on one split (STUDY.md stage 5): plain SGD,
/// one image per step; per training pair, the adversarial image labelled with its true label,
/// then the original; the pair order reshuffled every epoch.
///
/// Selective dropout: for each pair, keep the k = ceil(p_t * width) most volatile units of the
/// target layer (ties to the lower index; least volatile when inverted) and train both steps
/// with the others masked (`UnitMask`). Volatility is measured as the policy's `selection`
/// says: on the fixed base net (precomputed once per pair, `BaseNetSelection`, so the mask of
/// a pair is the same all run) or on the current net before the pair's steps; before or after
/// the layer's ReLU.
public struct HardeningTrainer: Sendable {
    public var inputs: HardeningInputs
    public var split: HardeningSplit
    public var volatility: VolatilityDefinition
    public var convergence: ConvergenceRule
    let baseSelection: BaseNetSelection
    let training: PairImages
    let validation: PairImages
    /// The richest evaluation this trainer's runs may ask for.
    let evaluation: RunEvaluation
    /// The base net's record (epoch 0), with what `evaluation` reads evaluated: the same for
    /// every run of the split.
    let baseRecord: EpochRecord

    /// `baseSelection` defaults to computing the notebook's and the post-ReLU base-net orders
    /// of every layer for `inputs.pairs`. `evaluation` (default: everything) is the richest
    /// evaluation the runs will ask for; the base record evaluates the held-out originals and
    /// the monitor only where it reads them.
    public init(inputs: HardeningInputs, split: HardeningSplit, volatility: VolatilityDefinition = .normOfDifference,
                convergence: ConvergenceRule = ConvergenceRule(), baseSelection: BaseNetSelection? = nil,
                evaluation: RunEvaluation = .curvesAndFullTest) {
        self.inputs = inputs
        self.split = split
        self.volatility = volatility
        self.convergence = convergence
        self.evaluation = evaluation
        let allKeys = Set([UnitLayer.conv2, .fc].flatMap { layer in
            ActivationPoint.allCases.map { BaseNetSelection.Key(layer: layer, point: $0) }
        })
        self.baseSelection = baseSelection
            ?? BaseNetSelection(base: inputs.base, pairs: inputs.pairs, keys: allKeys, definition: volatility)
        training = PairImages(inputs.pairs, split.training)
        validation = PairImages(inputs.pairs, split.validation)
        let net = Network(inputs.base)
        baseRecord = EpochRecord(
            epoch: 0, adversarialValidation: net.accuracy(on: validation.adversarial),
            adversarialTraining: net.accuracy(on: training.adversarial), originalTraining: net.accuracy(on: training.original),
            originalValidation: evaluation.originalValidation ? net.accuracy(on: validation.original) : nil,
            mnistMonitor: evaluation.monitorEveryEpoch ? net.accuracy(on: inputs.monitor) : nil,
            meanLoss: nil, retained: nil)
    }

    /// Runs `spec` with pair orders drawn from `order`; returns the record and the trained model.
    public func run(_ spec: HardeningRunSpec, order: RandomStream) -> (result: HardeningRunResult, model: Model) {
        precondition(spec.grouping == split.grouping, "run and split disagree on the grouping")
        precondition(spec.evaluation.within(evaluation), "run asks for more evaluation than its trainer was made for")
        let net = Network(inputs.base)
        let sgd = SGD(settings: .plain(Float(spec.learningRate)), parameterCount: net.architecture.parameterCount)
        let policy = spec.model.policy
        let width = policy.map { net.architecture.width(of: $0.layer) } ?? 0
        var counts = [Int](repeating: 0, count: width)
        var rng = order
        var sequence = split.training
        var first = baseRecord
        if !spec.evaluation.monitorEveryEpoch { first.mnistMonitor = nil }
        if !spec.evaluation.originalValidation { first.originalValidation = nil }
        var records = [first]
        for epoch in stride(from: 1, through: spec.epochs, by: 1) {
            rng.shuffle(&sequence)
            let k = policy?.retainedCount(width: width, afterEpochs: epoch - 1)
            var loss = 0.0, adversarialCorrect = 0, originalCorrect = 0, keptThisEpoch = 0
            for i in sequence {
                let pair = inputs.pairs[i]
                var mask: UnitMask?
                if let policy, let k {
                    let kept = retainedUnits(net, pair: i, policy: policy, count: k, afterEpochs: epoch - 1)
                    for j in 0..<width where kept[j] { counts[j] += 1; keptThisEpoch += 1 }
                    mask = UnitMask(layer: policy.layer, retained: kept, mode: policy.mode)
                }
                let label = pair.trueLabel
                let adversarial = net.trainStep(pair.adversarial, label: label, optimizer: sgd, mask: mask)
                let original = net.trainStep(pair.original, label: label, optimizer: sgd, mask: mask)
                loss += Double(adversarial.loss) + Double(original.loss)
                adversarialCorrect += adversarial.correct ? 1 : 0
                originalCorrect += original.correct ? 1 : 0
            }
            let pairs = Double(max(sequence.count, 1))
            // With p_0 from each pair's volatility, k varies by pair: record the epoch's mean (rounded).
            let retained = policy?.volatilityShare == nil ? k : Int((Double(keptThisEpoch) / pairs).rounded())
            records.append(EpochRecord(
                epoch: epoch, adversarialValidation: net.accuracy(on: validation.adversarial),
                adversarialTraining: Double(adversarialCorrect) / pairs, originalTraining: Double(originalCorrect) / pairs,
                originalValidation: spec.evaluation.originalValidation ? net.accuracy(on: validation.original) : nil,
                mnistMonitor: spec.evaluation.monitorEveryEpoch ? net.accuracy(on: inputs.monitor) : nil,
                meanLoss: loss / (2 * pairs), retained: retained))
        }
        let finalTest: LabelledImages? = switch spec.evaluation {
        case .curvesAndFullTest: inputs.test
        case .finalMonitor: inputs.monitor
        case .adversarialOnly: nil
        }
        let converged = convergence.convergenceEpoch(records)
        let result = HardeningRunResult(
            spec: spec, validationPairs: split.validation.count, trainingPairs: split.training.count,
            epochs: records, finalTestAccuracy: finalTest.map { net.accuracy(on: $0) }, finalTestImages: finalTest?.count ?? 0,
            convergenceEpoch: converged, convergenceSteps: converged.map { $0 * 2 * split.training.count },
            selectionCounts: counts, selectionOpportunities: policy == nil ? 0 : split.training.count * spec.epochs)
        return (result, net.model)
    }

    /// The units kept for pair `index` (into `inputs.pairs`): from the precomputed base-net
    /// orders, or measured on `net`'s current weights; `count` is the fixed-p count, which p_0
    /// from the pair's volatility replaces.
    func retainedUnits(_ net: Network, pair index: Int, policy: DropoutPolicy, count: Int, afterEpochs: Int = 0) -> [Bool] {
        switch policy.selection.source {
        case .baseNet:
            return baseSelection.retained(pair: index, policy: policy, count: count, afterEpochs: afterEpochs)
        case .currentNet:
            let v = pairVolatility(net, inputs.pairs[index], layer: policy.layer, point: policy.selection.point,
                                   definition: volatility)
            return selectUnits(volatility: v, count: policy.retainedCount(volatility: v, fixed: count, afterEpochs: afterEpochs),
                               inverted: policy.inverted)
        }
    }
}
