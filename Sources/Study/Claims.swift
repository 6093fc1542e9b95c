import Analysis
import Engine
import Experiments
import Report

/// The paper's claims, each judged against this run's numbers with a stated rule.
struct ClaimsContext {
    let hardening: HardeningContext
    let baseTestAccuracy: Double
    let transfer: TransferStage

    var results: HardeningResults { hardening.results }

    struct Verdict {
        var claim: String
        var verdict: String
        var evidence: String
    }

    func verdicts() -> [Verdict] {
        let claims = hardening.paper.hardening.claims
        return [
            Verdict(claim: "the base CNN reaches 99% test accuracy", verdict: baseTestAccuracy >= 0.99 ? "holds" : baseTestAccuracy >= 0.985 ? "partly" : "does not hold",
                    evidence: "this run: \(Format.percent(baseTestAccuracy)) on the 10,000 test images (rule: holds at >= 99%, partly at >= 98.5%)"),
            convergence(claims[0]), someSDBeatsControl(claims[1]), lowRateModels(claims[2]), originalAccuracy(claims[3]),
            crossModel(),
        ]
    }

    /// Claim 1: SD converges in 1/2 to 1/3 of the control's steps.
    func convergence(_ claim: String) -> Verdict {
        var ratios: [Double] = []
        for c in hardening.seedCells() where c.control.meanConvergenceSteps > 0 {
            ratios.append(c.cell.meanConvergenceSteps / c.control.meanConvergenceSteps)
        }
        let sorted = ratios.sorted(), median = sorted.isEmpty ? 1 : sorted[sorted.count / 2]
        let fast = ratios.filter { $0 <= 0.5 }.count, faster = ratios.filter { $0 < 1 }.count
        let verdict = median <= 0.5 ? "holds" : faster * 2 > ratios.count ? "partly" : "does not hold"
        return Verdict(claim: claim, verdict: verdict, evidence:
            "median ratio of SD to control steps to convergence \(Format.fixed(median, 2)) over \(ratios.count) SD cells (mean over \(hardening.settings.seeds) seeds); \(fast) cells at <= 0.5, \(faster) below 1 (rule: holds if the median is <= 0.5, partly if most cells are faster)")
    }

    /// Claim 2: for nearly every grouping and rate some SD_p beats the control.
    func someSDBeatsControl(_ claim: String) -> Verdict {
        let single = hardening.singleSeedComparison()
        var rowsByMean = 0, rowsSignificant = 0, rows = 0
        for g in hardening.settings.groupings {
            for lr in hardening.lrKeys {
                let cells = hardening.seedCells().filter { $0.grouping == g.rawValue && $0.lr == lr }
                rows += 1
                if cells.contains(where: { $0.cell.summary.mean > $0.control.summary.mean }) { rowsByMean += 1 }
                if cells.contains(where: { ($0.cell.pairedT?.p ?? 1) < 0.05 && ($0.cell.pairedT?.meanDifference ?? 0) > 0 }) { rowsSignificant += 1 }
            }
        }
        let nearlyAll = max(rows - 1, 1)
        let verdict = single.rowsWithWin >= nearlyAll && rowsSignificant >= nearlyAll ? "holds"
            : single.rowsWithWin >= nearlyAll || rowsByMean >= nearlyAll ? "partly" : "does not hold"
        return Verdict(claim: claim, verdict: verdict, evidence:
            "single seed: \(single.rowsWithWin) of \(rows) rows; mean over \(hardening.settings.seeds) seeds: \(rowsByMean) of \(rows) rows; significantly better (paired t, p < 0.05): \(rowsSignificant) of \(rows) rows (rule: holds if nearly every row wins significantly, partly if only by single seed or by mean)")
    }

    /// Claim 3: at eta = 0.001, SD^c_0.2 and SD^f_0.7 beat the control.
    func lowRateModels(_ claim: String) -> Verdict {
        let lr = hardening.lrKeys.first ?? "0.001"
        var parts: [String] = [], significantWins = 0, positive = 0, total = 0
        for (layer, p) in [(UnitLayer.conv2, 0.2), (.fc, 0.7)] {
            for g in hardening.settings.groupings {
                guard let c = hardening.seedCells().first(where: {
                    $0.grouping == g.rawValue && $0.lr == lr && hardening.columns[$0.column] == .selective(layer, p)
                }), let t = c.cell.pairedT else { continue }
                total += 1
                if t.meanDifference > 0 { positive += 1 }
                if t.meanDifference > 0 && t.p < 0.05 { significantWins += 1 }
                parts.append("\(c.cell.model) \(g.rawValue) \(Format.signed(t.meanDifference, 3)) (\(Format.pClause(t.p)))")
            }
        }
        let verdict = total > 0 && significantWins == total ? "holds" : positive * 2 > total ? "partly" : "does not hold"
        return Verdict(claim: claim, verdict: verdict, evidence:
            "mean difference to the control over seeds at lr \(lr): " + parts.joined(separator: "; ")
            + " (rule: holds if all are significantly better, partly if most are better on average)")
    }

    /// Claim 4: originals stay near 100%; the control reverses to about 98%, SD (p <= 0.7) rarely.
    func originalAccuracy(_ claim: String) -> Verdict {
        var controlReversals = 0, controlRuns = 0, sdReversals = 0, sdRuns = 0, lowest = 1.0
        for run in results.runs where run.spec.model.policy?.mode ?? .switchOff == .switchOff && !(run.spec.model.policy?.inverted ?? false)
            && (run.spec.model.policy?.scheduleRate ?? 0) == 0 {
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
        let nearFull = lowest >= 0.97, rarer = sdRate < controlRate / 2 && controlRate > 0.2
        let verdict = nearFull && rarer ? "holds" : nearFull || rarer ? "partly" : "does not hold"
        return Verdict(claim: claim, verdict: verdict, evidence:
            "lowest final accuracy on the training originals over all runs \(Format.percent(lowest)); runs whose original accuracy fell by >= 1 point from its peak: control \(controlReversals) of \(controlRuns) (\(Format.percent(controlRate, 0))), SD \(sdReversals) of \(sdRuns) (\(Format.percent(sdRate, 0))) (rule: holds if every run ends >= 97% and SD reverses less than half as often as a control that often reverses)")
    }

    /// Szegedy et al.'s cross-model generalisation, as the paper restates it.
    func crossModel() -> Verdict {
        let r = transfer.result
        let verdict = r.fooledRate > 0.7 ? "holds" : r.fooledRate > 0.35 ? "partly" : "does not hold"
        return Verdict(claim: "adversarial images fool a second, differently trained network with p > 70% (Szegedy et al., restated in the paper)",
                       verdict: verdict, evidence:
            "\(r.fooled) of \(r.pairs) (\(Format.percent(r.fooledRate, 1))) fool an independently seeded net with \(Format.percent(transfer.secondNetTestAccuracy)) test accuracy; \(r.fooledToTarget) reach the attack's target")
    }

    func json() -> (claims: JSONValue, summary: String) {
        let list = verdicts()
        let claims = JSONValue.array(list.map { v in
            ["claim": .string(v.claim), "verdict": .string(v.verdict),
             "verdict_class": .string(v.verdict == "holds" ? "holds" : v.verdict == "partly" ? "partly" : "fails"),
             "evidence": .string(v.evidence)]
        })
        let holds = list.filter { $0.verdict == "holds" }.count, partly = list.filter { $0.verdict == "partly" }.count
        let fails = list.count - holds - partly
        return (claims, "\(holds) hold\(holds == 1 ? "s" : ""), \(partly) hold\(partly == 1 ? "s" : "") partly, \(fails) do\(fails == 1 ? "es" : "") not hold")
    }
}
