import Analysis
import Engine
import Experiments
import Report
import StudyTypes

/// The paper's claims (its abstract, sections 5.1, 5.5 and 5.6) and one cited claim, each
/// judged against this run's numbers by a rule of `ClaimRules` stated in its evidence.
struct ClaimsContext {
    let hardening: HardeningContext
    let baseTestAccuracy: Double
    let transfer: TransferStage

    var results: HardeningResults { hardening.results }
    var settings: HardeningSettings { hardening.settings }

    struct Verdict {
        var claim: String
        /// Where the claim is made ("abstract", "section 5.6", or the cited paper).
        var source: String
        var verdict: ClaimVerdict
        var evidence: String
        /// A claim of a cited paper, listed apart from the paper's own.
        var cited = false
    }

    func verdicts() -> [Verdict] {
        [baseAccuracy(), convergence(), onParOrBetter(), robustMemory(), someSDBeatsControl(), lowRateModels(),
         originalReversal(), crossModel()]
    }

    func baseAccuracy() -> Verdict {
        Verdict(claim: "by the end of 100 epochs, the CNN has an accuracy rate of 99%", source: "section 5.1",
                verdict: ClaimRules.roundedFigure(ours: baseTestAccuracy, paper: 0.99, decimals: 0),
                evidence: "this run: \(Format.percent(baseTestAccuracy)) on the 10,000 test images, which reads \(Format.percent(baseTestAccuracy, 0)) at the paper's precision (rule: holds when ours rounds to 99% or more, partly at 98%)")
    }

    /// SD and control runs not converged by the epoch cap, over the SD table cells and their controls.
    func censoredRates() -> (sd: Double, control: Double, sdCensored: Int, sdRuns: Int, controlCensored: Int, controlRuns: Int) {
        let cells = hardening.seedCells()
        let sdCensored = cells.map(\.cell.convergence.censored).reduce(0, +)
        let sdRuns = cells.count * settings.seeds
        var controlCensored = 0, controlRuns = 0
        for g in settings.groupings {
            for lr in settings.learningRates {
                controlCensored += results.cell(HardeningCellKey(g, lr, .control)).convergence.censored
                controlRuns += settings.seeds
            }
        }
        return (Double(sdCensored) / Double(max(sdRuns, 1)), Double(controlCensored) / Double(max(controlRuns, 1)),
                sdCensored, sdRuns, controlCensored, controlRuns)
    }

    func convergence() -> Verdict {
        let all = hardening.convergenceRatios(), ratios = all.compactMap(\.ratio)
        let c = censoredRates()
        let verdict = ClaimRules.convergence(ratios: ratios, sdCensoredRate: c.sd, controlCensoredRate: c.control)
        let medianText = ratios.isEmpty ? "no cell has converged runs on both sides" : "median ratio of SD to control steps to convergence \(Format.fixed(median(ratios), 2)) over \(ratios.count) of \(all.count) SD cells (converged runs only, \(settings.seeds) seeds)"
        return Verdict(claim: "networks trained with selective dropout converge in 1/2-1/3 fewer steps (\"usually converging 2-3 times faster than the baseline\")",
                       source: "abstract; section 5.6", verdict: verdict, evidence:
            "\(medianText); \(ratios.filter { $0 <= 0.5 }.count) cells at <= 0.5, \(ratios.filter { $0 < 1 }.count) below 1; not converged by epoch \(settings.epochs) (right-censored, left out): SD \(c.sdCensored) of \(c.sdRuns) runs, control \(c.controlCensored) of \(c.controlRuns) (rule: holds if the median ratio is <= 0.5 and SD runs are censored no more often than the control's, partly if most cells are faster)")
    }

    func differences(_ cells: [HardeningContext.SeedCell]) -> [ClaimRules.Difference] {
        cells.compactMap { c in c.cell.pairedT.map { ClaimRules.Difference(mean: $0.meanDifference, p: $0.p) } }
    }

    func onParOrBetter() -> Verdict {
        let cells = differences(hardening.seedCells())
        let worse = cells.filter { $0.mean < 0 && $0.p < 0.05 }.count, better = cells.filter { $0.mean > 0 && $0.p < 0.05 }.count
        let mean = cells.isEmpty ? 0 : cells.map(\.mean).reduce(0, +) / Double(cells.count)
        return Verdict(claim: "selective dropout generalises to unseen adversarial images with accuracy on par or better than the control",
                       source: "abstract", verdict: ClaimRules.onParOrBetter(cells), evidence:
            "adversarial validation accuracy over \(settings.seeds) seeds, \(cells.count) SD cells against the control of the same seed: \(worse) significantly worse, \(better) significantly better (paired t, p < 0.05), mean difference \(Format.signed(mean, 3)) (rule: holds if none is significantly worse, partly if at most a quarter are and the mean difference is not negative)")
    }

    /// SD (every table SD cell) against the control, paired over seeds, on a per-cell series.
    func memoryDifference(_ value: (CellStatistics) -> [Double]) -> (difference: ClaimRules.Difference, text: String) {
        guard let (own, control) = hardening.perSeedSeries(hardening.seedCells().map(\.cell), value) else {
            return (ClaimRules.Difference(mean: 0, p: 1), "no SD cells")
        }
        let seeds = own.count
        let mean = zip(own, control).map { $0 - $1 }.reduce(0, +) / Double(seeds)
        let p = seeds >= 2 ? PairedTTest(treatment: own, control: control).p : 1
        return (ClaimRules.Difference(mean: mean, p: p), "\(Format.signed(100 * mean, 2)) points (\(seeds >= 2 ? Format.pClause(p) : "one seed"))")
    }

    func robustMemory() -> Verdict {
        let heldOut = memoryDifference(\.originalValidation), mnist = memoryDifference(\.mnistTest)
        return Verdict(claim: "selective dropout exhibits a more robust memory for the original, expected image space",
                       source: "abstract", verdict: ClaimRules.robustMemory(heldOut: heldOut.difference, mnist: mnist.difference),
                       evidence: "SD minus control, mean over the SD table cells, paired over \(settings.seeds) seeds: held-out original images \(heldOut.text); MNIST test accuracy after hardening \(mnist.text) (rule: holds if SD is significantly better on both, partly if better on average on one)")
    }

    func someSDBeatsControl() -> Verdict {
        let single = hardening.singleSeedComparison()
        var rowsByMean = 0, rowsSignificant = 0, rows = 0
        for g in settings.groupings {
            for lr in settings.learningRates {
                let cells = hardening.seedCells().filter { $0.key.grouping == g && $0.key.learningRate == lr }
                rows += 1
                if cells.contains(where: { $0.cell.summary.mean > $0.control.summary.mean }) { rowsByMean += 1 }
                if cells.contains(where: { ($0.cell.pairedT?.p ?? 1) < 0.05 && ($0.cell.pairedT?.meanDifference ?? 0) > 0 }) { rowsSignificant += 1 }
            }
        }
        let verdict = ClaimRules.someSDBeatsControl(singleSeedRows: single.rowsWithWin, meanRows: rowsByMean,
                                                    significantRows: rowsSignificant, rows: rows)
        return Verdict(claim: "for nearly every perturbation grouping and learning rate, selective dropout with some p < 1 outperformed the baseline",
                       source: "section 5.6", verdict: verdict, evidence:
            "single seed: \(single.rowsWithWin) of \(rows) rows; mean over \(settings.seeds) seeds: \(rowsByMean) of \(rows) rows; significantly better (paired t, p < 0.05): \(rowsSignificant) of \(rows) rows (rule: holds if nearly every row wins significantly, partly if only by single seed or by mean)")
    }

    /// At eta = 0.001, SD^c_0.2 and SD^f_0.7 beat the control.
    func lowRateModels() -> Verdict {
        let claim = "at eta = 0.001, SD^c_0.2 learned faster and ended better than the control; SD^f_0.7 significantly outperformed the control"
        let lr = 0.001
        let named = [(UnitLayer.conv2, 0.2), (.fc, 0.7)]
        guard settings.learningRates.contains(lr),
              named.allSatisfy({ settings.layers.contains($0.0) && settings.proportions.contains($0.1) }) else {
            return Verdict(claim: claim, source: "section 5.5", verdict: .notTested, evidence: "this run's grid has no lr 0.001 or lacks SD^c_0.2 / SD^f_0.7")
        }
        var parts: [String] = [], cells: [ClaimRules.Difference] = []
        for (layer, p) in named {
            for g in settings.groupings {
                let key = HardeningCellKey(g, lr, settings.selective(layer, p))
                guard let t = results.cell(key).pairedT else { continue }
                cells.append(ClaimRules.Difference(mean: t.meanDifference, p: t.p))
                parts.append("SD^\(layer == .conv2 ? "c" : "f")_\(p) \(g.rawValue) \(Format.signed(t.meanDifference, 3)) (\(Format.pClause(t.p)))")
            }
        }
        return Verdict(claim: claim, source: "section 5.5", verdict: ClaimRules.allBetter(cells), evidence:
            "mean difference to the control over seeds at lr 0.001: " + (parts.isEmpty ? "none (one seed)" : parts.joined(separator: "; "))
            + " (rule: holds if all are significantly better, partly if most are better on average)")
    }

    /// Originals stay near 100%; the control reverses to about 98%, SD (p <= 0.7) rarely.
    func originalReversal() -> Verdict {
        var controlReversals = 0, controlRuns = 0, sdReversals = 0, sdRuns = 0, lowest = 1.0
        let tableModels = Set(settings.tableColumns)
        for run in results.runs where tableModels.contains(run.spec.model) {
            let series = run.epochs.map(\.originalTraining)
            let reversal = (series.max() ?? 0) - (series.last ?? 0)
            lowest = min(lowest, series.last ?? 0)
            if run.spec.model.policy == nil {
                controlRuns += 1
                if reversal >= 0.01 { controlReversals += 1 }
            } else {
                sdRuns += 1
                if reversal >= 0.01 { sdReversals += 1 }
            }
        }
        let controlRate = Double(controlReversals) / Double(max(controlRuns, 1))
        let sdRate = Double(sdReversals) / Double(max(sdRuns, 1))
        return Verdict(claim: "training on the originals keeps their accuracy close to 100%; the control frequently reverses to about 98%, selective dropout with p <= 0.7 rarely",
                       source: "section 5.6", verdict: ClaimRules.originalReversal(lowestFinal: lowest, controlRate: controlRate, sdRate: sdRate),
                       evidence: "training accuracy on the training pairs' originals (the epoch's original steps): lowest final value over all runs \(Format.percent(lowest)); runs whose accuracy fell by >= 1 point from its peak: control \(controlReversals) of \(controlRuns) (\(Format.percent(controlRate, 0))), SD \(sdReversals) of \(sdRuns) (\(Format.percent(sdRate, 0))) (rule: holds if every run ends >= 97% and SD reverses less than half as often as a control that often reverses)")
    }

    /// Szegedy et al.'s cross-model generalisation, as the paper's introduction cites it.
    func crossModel() -> Verdict {
        let r = transfer.result
        return Verdict(claim: "adversarial images made for one network fool another, differently trained network with p > 70%",
                       source: "Szegedy et al., cited in the paper's introduction", verdict: ClaimRules.transfer(rate: r.fooledRate),
                       evidence: "\(r.fooled) of \(r.pairs) (\(Format.percent(r.fooledRate, 1))) fool an independently seeded net with \(Format.percent(transfer.secondNetTestAccuracy)) test accuracy; \(r.fooledToTarget) reach the attack's target (rule: holds above 70%, partly above 35%)",
                       cited: true)
    }

    func entry(_ v: Verdict) -> JSONValue {
        ["claim": .string(v.claim), "source": .string(v.source), "verdict": .string(v.verdict.rawValue),
         "verdict_class": .string(v.verdict.cssClass), "evidence": .string(v.evidence)]
    }

    /// The report's claims (the paper's own, then the cited ones apart), the summary sentence,
    /// and summary.json's list of {claim, source, verdict, evidence}.
    func json() -> (claims: JSONValue, cited: JSONValue, summary: String, list: JSONValue) {
        let all = verdicts(), own = all.filter { !$0.cited }
        let count = { (v: ClaimVerdict) in own.filter { $0.verdict == v }.count }
        let holds = count(.holds), partly = count(.partly), untested = count(.notTested)
        let fails = own.count - holds - partly - untested
        var summary = "\(holds) hold\(holds == 1 ? "s" : ""), \(partly) hold\(partly == 1 ? "s" : "") partly, \(fails) do\(fails == 1 ? "es" : "") not hold"
        if untested > 0 { summary += ", \(untested) not tested" }
        let list = JSONValue.array(all.map { v in
            ["claim": .string(v.claim), "source": .string(v.source), "verdict": .string(v.verdict.rawValue), "evidence": .string(v.evidence)]
        })
        return (.array(own.map(entry)), .array(all.filter(\.cited).map(entry)), summary, list)
    }
}
