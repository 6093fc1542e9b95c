import StudyTypes
import Analysis
import Experiments
import Figures

/// Figures 19 and 20 (Monte-Carlo probing, Darwinian testing) from the results past the paper.
struct BeyondFigures {
    let beyond: BeyondResults

    func all() throws -> [Figure] {
        [try figure19MonteCarlo(monteCarloCurves()), try figure20Darwinian(darwinianCurves())]
    }

    /// A panel per (centre, outcome, pair subset): per net the median share over pairs and its
    /// interquartile band, against the level i.
    func monteCarloCurves() -> MonteCarloCurves {
        let mc = beyond.monteCarlo
        let specs: [(ProbeCentre, ProbedPairs, String, (MonteCarloLevel) -> OutcomeShare)] = [
            (.adversarial, .heldOut, "original", { $0.original }),
            (.adversarial, .heldOut, "target", { $0.target }),
            (.adversarial, .training, "original", { $0.original }),
            (.original, .all, "original", { $0.original }),
        ]
        let shown = mc.nets.indices.filter { BeyondFigures.plottedNets.contains(mc.nets[$0]) }
        let range = [Double(mc.settings.lowestLevel), Double(mc.settings.highestLevel)]
        let panels = specs.map { centre, subset, outcome, pick in
            LinePanel(title: "\(centre == .adversarial ? "adversarial" : "original") + noise, \(subsetName(subset)) (\(mc.indices(subset).count))",
                      xLabel: "noise level i", yLabel: "share classified as the \(outcome)", yRange: [0, 1], xRange: range,
                      series: shown.map { k in
                          let levels = mc.summary(k, subset).curve(centre, .gaussian)
                          return LineSeries(name: mc.nets[k].name, xs: levels.map { Double($0.level) },
                                            ys: levels.map { pick($0).perPair.median },
                                            lower: levels.map { pick($0).perPair.q1 }, upper: levels.map { pick($0).perPair.q3 })
                      })
        }
        return MonteCarloCurves(panels: panels, samplesPerLevel: mc.settings.samplesPerLevel,
                                findings: BeyondFindings(beyond: beyond).monteCarlo())
    }

    /// The nets figure 19 draws (the table lists all): the base net, the control and SD at the
    /// paper's best p (its claims: SD^c_0.2 and SD^f_0.7), so that four bands stay readable.
    static let plottedNets: [ProbedNet] = [.base, .hardened(.control), .hardened(.selective(.conv2, 0.2)),
                                           .hardened(.selective(.fc, 0.7))]

    func darwinianCurves() -> DarwinianCurves {
        let d = beyond.darwinian
        // Bands of a fraction are clamped to [0, 1] (a t interval over 3 seeds can pass 100%).
        func panel(_ title: String, _ y: String, range: [Double]?, fraction: Bool = true,
                   _ value: (DarwinianRoundSummary) -> SampleSummary?) -> LinePanel {
            let top = fraction ? 1.0 : Double.infinity
            return LinePanel(title: title, xLabel: "round t", yLabel: y, yRange: range, series: d.settings.models.map { m in
                let rounds = d.rounds(of: m).filter { value($0) != nil }
                let s = rounds.map { value($0)! }
                return LineSeries(name: m.description, xs: rounds.map { Double($0.round) }, ys: s.map(\.mean),
                                  lower: s.map { max(0, $0.lower ?? $0.mean) }, upper: s.map { min(top, $0.upper ?? $0.mean) })
            })
        }
        return DarwinianCurves(panels: [
            panel("distortion the L-BFGS adversary needs", "median L2 of r (pixels)", range: nil, fraction: false, { $0.medianL2 }),
            panel("L-BFGS success", "share of sources fooled", range: [0, 1], { $0.successRate }),
            panel("FGSM at eps = \(d.settings.fgsmEpsilon)", "share of sources fooled", range: [0, 1], { $0.fgsmSuccessRate }),
            panel("clean accuracy after the round", "MNIST test accuracy", range: nil, { $0.cleanAccuracyAfter }),
            panel("memory of round 0's pairs", "accuracy on round 0's adversarials", range: [0, 1], { $0.roundZeroAccuracyAfter }),
        ], seeds: d.settings.seeds, findings: BeyondFindings(beyond: beyond).darwinian())
    }
}

func subsetName(_ s: ProbedPairs) -> String {
    switch s {
    case .all: return "all"
    case .heldOut: return "held out"
    case .training: return "training"
    }
}
