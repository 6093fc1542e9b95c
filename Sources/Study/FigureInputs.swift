import Analysis
import Attacks
import Engine
import Experiments
import Figures
import Random
import StudyTypes

/// Turns the run's results into the plain values figures 1-17 take. The only place that
/// decides which pair, group or run a figure shows; each choice is stated in its caption.
struct FigureInputs {
    let base: BaseTrainingResult
    let attack: AttackStage
    let hardening: HardeningResults
    let network: Network
    let rng: RandomStream
    /// How figures 11-12 project back to input space: the author's notebook's mapBack (the
    /// paper's figures come from it); `.gradient` and `.deconvnet` are the named alternatives.
    let projectionMethod = ProjectionMethod.mapBack

    var pairs: [Attacks.AttackRecord] { attack.generation.pairs }
    var analysisPairs: [StudyTypes.AdversarialPair] { pairs.map(\.pair) }

    func pairFigureInput(_ p: Attacks.AttackRecord) -> PairFigureInput {
        PairFigureInput(p.pair, originalConfidence: p.originalConfidence, adversarialConfidence: p.targetConfidence)
    }

    func all() throws -> [Figure] {
        let first = pairFigureInput(pairs[0])
        return [
            try figure1AdversarialPair(first),
            try figure2PerturbationRenderings(first),
            try figure3Neuron(),
            try figure4MLP(),
            try figure5Convolution(convolutionExample()),
            try figure6Network(networkDiagram()),
            try figure7FoolingImages(FoolingImages(
                images: attack.fooling.map(\.pixels), classes: attack.fooling.map(\.label),
                confidences: attack.fooling.map(\.confidence),
                method: "L-BFGS-B on -log p(class) over the pixels in [0, 1], from seeded uniform noise, stopped at p >= 0.996")),
            try figure8PairsGallery(galleryPairs(), drawnFrom: pairs.count),
            try figure9FeatureMaps(featureMaps(pairs[0])),
            try figure10FullyConnected(fullyConnected()),
            try figure11GroupProjections(groupProjections()),
            try figure12UnitProjections(unitProjections()),
            try figure13SelectionRates(selectionRates()),
            try figure14TrainingCurves(TrainingCurves(
                loss: base.perEpoch.map(\.loss), testAccuracy: base.perEpoch.map(\.testAccuracy),
                trainAccuracy: base.perEpoch.map(\.runningTrainAccuracy),
                protocolDescription: "batch size 1, fixed order, lr 1e-4 / (1 + 5e-7 t), momentum 0.9, weight decay 1e-3")),
            try figure15HardeningCurves(hardeningCurves()),
            try figure16DistortionHistogram(DistortionValues(measure: "L2 norm of r (pixels in [0, 1])", values: pairs.map(\.l2))),
            try figure17SeedIntervals(seedIntervals()),
        ]
    }

    /// Five pairs drawn at random (seeded) from all of them.
    func galleryPairs() -> [PairFigureInput] {
        var stream = rng.child("figure-8")
        var indices = Array(pairs.indices)
        stream.shuffle(&indices)
        return indices.prefix(5).sorted().map { pairFigureInput(pairs[$0]) }
    }

    /// The conv1 unit and position that respond most strongly to figure 1's original digit.
    func convolutionExample() -> ConvolutionExample {
        let a = network.architecture
        network.forward(pairs[0].original)
        let maps = network.activation(.conv1), area = a.conv1Side * a.conv1Side
        let best = maps.indices.max { maps[$0] < maps[$1] }!
        let channel = best / area, row = (best % area) / a.conv1Side, column = best % a.conv1Side
        let side = a.inputSide, n = base.model.normalisation
        let input = pairs[0].original.map { ($0 - n.mean) / n.std }
        let k = a.kernel * a.kernel, w = base.model.parameters
        return ConvolutionExample(
            input: input, inputSide: side, inputDescription: "training digit \(pairs[0].trueLabel), padded to \(side)x\(side) and normalised",
            kernel: Array(w[a.conv1WeightOffset + channel * k..<a.conv1WeightOffset + (channel + 1) * k]), kernelSide: a.kernel,
            bias: w[a.conv1BiasOffset + channel], channel: channel, patchRow: row, patchColumn: column)
    }

    func networkDiagram() -> NetworkDiagram {
        let a = network.architecture
        return NetworkDiagram(
            shapes: [TensorShape(channels: 1, height: a.inputSide, width: a.inputSide),
                     TensorShape(channels: a.conv1Channels, height: a.conv1Side, width: a.conv1Side),
                     TensorShape(channels: a.conv1Channels, height: a.pool1Side, width: a.pool1Side),
                     TensorShape(channels: a.conv2Channels, height: a.conv2Side, width: a.conv2Side),
                     TensorShape(channels: a.conv2Channels, height: a.pool2Side, width: a.pool2Side),
                     TensorShape(channels: a.hidden), TensorShape(channels: a.classes)],
            operations: ["conv \(a.kernel)x\(a.kernel)\n+ ReLU", "max-pool\n\(a.pool1)x\(a.pool1)", "conv \(a.kernel)x\(a.kernel)\n+ ReLU",
                         "max-pool\n\(a.pool2)x\(a.pool2)", "fc + ReLU", "fc +\nlog-softmax"],
            parameters: a.parameterCount)
    }

    func featureMaps(_ pair: Attacks.AttackRecord) -> FeatureMapsInput {
        let a = network.architecture
        network.forward(pair.original)
        let c1o = network.activation(.conv1), c2o = network.activation(.conv2)
        network.forward(pair.adversarial)
        let c1a = network.activation(.conv1), c2a = network.activation(.conv2)
        return FeatureMapsInput(
            trueLabel: pair.trueLabel, targetLabel: pair.target,
            conv1Original: LayerActivations(channels: a.conv1Channels, side: a.conv1Side, values: c1o),
            conv1Adversarial: LayerActivations(channels: a.conv1Channels, side: a.conv1Side, values: c1a),
            conv2Original: LayerActivations(channels: a.conv2Channels, side: a.conv2Side, values: c2o),
            conv2Adversarial: LayerActivations(channels: a.conv2Channels, side: a.conv2Side, values: c2a))
    }

    func fullyConnected() -> FullyConnectedActivations {
        var original: [[Float]] = [], adversarial: [[Float]] = []
        for pair in pairs {
            network.forward(pair.original); original.append(network.activation(.fc))
            network.forward(pair.adversarial); adversarial.append(network.activation(.fc))
        }
        return FullyConnectedActivations(original: original, adversarial: adversarial)
    }

    /// The (source, target) group the paper shows if it has `minimum` members, else the largest.
    func group(source: Int, target: Int, minimum: Int) -> (PerturbationGroup, String) {
        let groups = perturbationGroups(analysisPairs, by: .both)
        let wanted = groups.first { $0.source == source && $0.target == target }
        if let wanted, wanted.members.count >= minimum {
            return (wanted, "the paper's group \(source)->\(target)")
        }
        let largest = groups.max { ($0.members.count, -groupOrder($0)) < ($1.members.count, -groupOrder($1)) }!
        let have = wanted?.members.count ?? 0
        return (largest, "group \(source)->\(target) has \(have) pair\(have == 1 ? "" : "s") here, so the largest group, \(largest.name) (\(largest.members.count) pairs), is shown")
    }

    func groupOrder(_ g: PerturbationGroup) -> Int { (g.source ?? 0) * 10 + (g.target ?? 0) }

    func groupProjections() -> GroupProjections {
        let (group, choice) = self.group(source: 9, target: 1, minimum: 4)
        let members = group.members.prefix(4).map { i -> ProjectionMember in
            let p = pairs[i]
            return ProjectionMember(
                original: p.original, adversarial: p.adversarial,
                originalProjection: network.projection(of: p.original, layer: .conv2, unit: nil, method: projectionMethod),
                adversarialProjection: network.projection(of: p.adversarial, layer: .conv2, unit: nil, method: projectionMethod))
        }
        let whole = projectionMethod == .mapBack ? ", the layer as the sum over its units (the notebook's mapLayer)" : ""
        return GroupProjections(group: group.name, choice: choice, method: projectionMethod.description + whole,
                                layer: "conv2", members: members)
    }

    func unitProjections() -> UnitProjectionDifferences {
        let (group, choice) = self.group(source: 0, target: 9, minimum: 1)
        let differences = network.unitProjectionDifferences(analysisPairs, members: group.members, layer: .conv2,
                                                            method: projectionMethod)
        return UnitProjectionDifferences(group: group.name, choice: choice,
                                         method: projectionMethod.description, layer: "conv2",
                                         members: group.members.count, differences: differences)
    }

    /// Selection rates of SD_0.5 on each layer: seed 0, grouping Both, the lower learning rate.
    func selectionRates() -> SelectionRates {
        let lr = hardening.settings.learningRates.min()!, p = 0.5
        func rates(_ layer: UnitLayer) -> (rates: [Double], retained: Double) {
            let run = hardening.runs.first {
                $0.spec.seed == 0 && $0.spec.grouping == .both && $0.spec.learningRate == lr && $0.spec.model == hardening.settings.selective(layer, p)
            }!
            let width = network.architecture.width(of: layer)
            let retained = Double(DropoutPolicy.retainedCount(proportion: p, width: width)) / Double(width)
            return (run.selectionCounts.map { Double($0) / Double(max(run.selectionOpportunities, 1)) }, retained)
        }
        let conv2 = rates(.conv2), fc = rates(.fc)
        return SelectionRates(run: "SD_0.5, grouping Both, lr \(lr), seed 0", conv2: conv2.rates,
                              conv2RetainedFraction: conv2.retained, fc: fc.rates, fcRetainedFraction: fc.retained)
    }

    /// Adversarial validation accuracy per epoch, mean over seeds with a 95% band, lr 0.001.
    func hardeningCurves() -> HardeningCurves {
        let lr = hardening.settings.learningRates.min()!
        let models: [HardeningModel] = [.control, hardening.settings.selective(.conv2, 0.2), hardening.settings.selective(.fc, 0.7)]
        let panels = hardening.settings.groupings.map { g in
            CurvePanel(title: "\(g.rawValue), lr \(lr)", series: models.map { m in
                let runs = hardening.runs.filter { $0.spec.grouping == g && $0.spec.learningRate == lr && $0.spec.model == m }
                // Records start at epoch 0 (before training); the figure plots epochs 1, 2, ...
                let epochs = runs[0].epochs.count
                let summaries = (1..<epochs).map { e in SampleSummary(runs.map { $0.epochs[e].adversarialValidation }) }
                return CurveSeries(name: m.description, values: summaries.map(\.mean),
                                   lower: summaries.map { $0.lower ?? $0.mean }, upper: summaries.map { $0.upper ?? $0.mean })
            })
        }
        return HardeningCurves(metric: "adversarial validation accuracy", panels: panels,
                               bandDescription: "mean over \(hardening.settings.seeds) seeds with its 95% confidence interval")
    }

    func seedIntervals() -> SeedIntervals {
        var panels: [IntervalPanel] = []
        for g in hardening.settings.groupings {
            for lr in hardening.settings.learningRates {
                // The control appears twice in the paper's columns (C^c, C^f): show it once, first.
                let cells = hardening.settings.tableModels.map { hardening.cell(HardeningCellKey(g, lr, $0)) }
                let entries = cells.map { c in
                    IntervalEntry(model: c.key.model.description, mean: c.summary.mean, lower: c.summary.lower ?? c.summary.mean,
                                  upper: c.summary.upper ?? c.summary.mean)
                }
                panels.append(IntervalPanel(title: "\(g.rawValue), lr \(lr)", entries: entries))
            }
        }
        return SeedIntervals(metric: "adversarial validation accuracy", seeds: hardening.settings.seeds, panels: panels)
    }
}
