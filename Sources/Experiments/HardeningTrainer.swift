import Analysis
import Engine
import Random
import StudyTypes

/// Hard-negative training of a copy of the base net on one split (STUDY.md stage 5): plain SGD,
/// one image per step; per training pair, the adversarial image labelled with its true label,
/// then the original; the pair order reshuffled every epoch.
///
/// Selective dropout: before a pair's two steps, forward its original and its adversarial
/// through the current net, compute the target layer's per-unit volatility, keep the
/// k = ceil(p_t * width) most volatile units (ties to the lower index; least volatile when
/// inverted) and train both steps with the others masked (`UnitMask`).
public struct HardeningTrainer: Sendable {
    public var inputs: HardeningInputs
    public var split: HardeningSplit
    public var volatility: VolatilityDefinition
    public var convergenceTolerance: Double
    let training: PairImages
    let validation: PairImages

    public init(inputs: HardeningInputs, split: HardeningSplit, volatility: VolatilityDefinition = .normOfDifference,
                convergenceTolerance: Double = 0.01) {
        self.inputs = inputs
        self.split = split
        self.volatility = volatility
        self.convergenceTolerance = convergenceTolerance
        training = PairImages(inputs.pairs, split.training)
        validation = PairImages(inputs.pairs, split.validation)
    }

    /// Runs `spec` with pair orders drawn from `order`; returns the record and the trained model.
    public func run(_ spec: HardeningRunSpec, order: RandomStream) -> (result: HardeningRunResult, model: Model) {
        precondition(spec.grouping == split.grouping, "run and split disagree on the grouping")
        let net = Network(inputs.base)
        let sgd = SGD(settings: .plain(Float(spec.learningRate)), parameterCount: net.architecture.parameterCount)
        let policy = spec.model.policy
        let width = policy.map { net.architecture.width(of: $0.layer) } ?? 0
        var counts = [Int](repeating: 0, count: width)
        var rng = order
        var sequence = split.training
        var records = [evaluate(net, epoch: 0, monitor: spec.monitorEveryEpoch, loss: nil, retained: nil)]
        for epoch in stride(from: 1, through: spec.epochs, by: 1) {
            rng.shuffle(&sequence)
            let k = policy?.retainedCount(width: width, afterEpochs: epoch - 1)
            var loss = 0.0, keptThisEpoch = 0
            for i in sequence {
                let pair = inputs.pairs[i]
                var mask: UnitMask?
                if let policy, let k {
                    let kept = retainedUnits(net, pair: pair, policy: policy, count: k, afterEpochs: epoch - 1)
                    for j in 0..<width where kept[j] { counts[j] += 1; keptThisEpoch += 1 }
                    mask = UnitMask(layer: policy.layer, retained: kept, mode: policy.mode)
                }
                let label = pair.trueLabel
                loss += Double(net.trainStep(pair.adversarial, label: label, optimizer: sgd, mask: mask).loss)
                loss += Double(net.trainStep(pair.original, label: label, optimizer: sgd, mask: mask).loss)
            }
            let steps = Double(max(2 * sequence.count, 1))
            // With p_0 from each pair's volatility, k varies by pair: record the epoch's mean (rounded).
            let retained = policy?.volatilityShare == nil ? k
                : Int((Double(keptThisEpoch) / Double(max(sequence.count, 1))).rounded())
            records.append(evaluate(net, epoch: epoch, monitor: spec.monitorEveryEpoch, loss: loss / steps, retained: retained))
        }
        let finalTest = spec.finalFullTest ? inputs.test : inputs.monitor
        let converged = convergenceEpoch(records, tolerance: convergenceTolerance)
        let result = HardeningRunResult(
            spec: spec, validationPairs: split.validation.count, trainingPairs: split.training.count,
            epochs: records, finalTestAccuracy: net.accuracy(on: finalTest), finalTestImages: finalTest.count,
            convergenceEpoch: converged, convergenceSteps: converged * 2 * split.training.count,
            selectionCounts: counts, selectionOpportunities: policy == nil ? 0 : split.training.count * spec.epochs)
        return (result, net.model)
    }

    /// The units kept for one pair under the current weights.
    func retainedUnits(_ net: Network, pair: AdversarialPair, policy: DropoutPolicy, count: Int, afterEpochs: Int = 0) -> [Bool] {
        net.forward(pair.original)
        let original = net.activation(policy.layer)
        net.forward(pair.adversarial)
        let v = unitVolatility(original: original, adversarial: net.activation(policy.layer), layer: policy.layer,
                               architecture: net.architecture, definition: volatility)
        return selectUnits(volatility: v, count: policy.retainedCount(volatility: v, fixed: count, afterEpochs: afterEpochs),
                           inverted: policy.inverted)
    }

    func evaluate(_ net: Network, epoch: Int, monitor: Bool, loss: Double?, retained: Int?) -> EpochRecord {
        EpochRecord(epoch: epoch, adversarialValidation: net.accuracy(on: validation.adversarial),
                    adversarialTraining: net.accuracy(on: training.adversarial),
                    originalTraining: net.accuracy(on: training.original),
                    originalValidation: net.accuracy(on: validation.original),
                    mnistMonitor: monitor ? net.accuracy(on: inputs.monitor) : nil, meanLoss: loss, retained: retained)
    }
}
