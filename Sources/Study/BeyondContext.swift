import StudyTypes
import Analysis
import Experiments
import Report

/// The templates' `beyond` context: Monte-Carlo probing, the author's distortion statistics,
/// Darwinian testing and p_0 from volatility (`Templates/CONTEXT.md`).
struct BeyondContext {
    let beyond: BeyondResults
    let hardening: HardeningResults

    /// Figure numbers of this part (kept out of the generic "new figures" list).
    static let figureNumbers = [19, 20]

    func json() -> JSONValue {
        let findings = BeyondFindings(beyond: beyond)
        return [
            "monte_carlo": monteCarloJSON(findings),
            "moments": momentsJSON(),
            "darwinian": darwinianJSON(findings),
            "volatility_p0": volatilityP0JSON(),
        ]
    }

    func monteCarloJSON(_ findings: BeyondFindings) -> JSONValue {
        let mc = beyond.monteCarlo, s = mc.settings
        func cell(_ k: Int, _ subset: ProbedPairs, _ centre: ProbeCentre, _ noise: ProbeNoise, _ level: Int,
                  _ pick: (MonteCarloLevel) -> OutcomeShare) -> JSONValue {
            guard let l = mc.summary(k, subset).curve(centre, noise).first(where: { $0.level == level }) else { return "n/a" }
            return .string(findings.pooled(pick(l)))
        }
        let top = s.highestLevel, bottom = s.lowestLevel
        return [
            "samples": .string("\(s.samplesPerLevel)"),
            "levels": .string("i = \(bottom)...\(top)"),
            "held_out": .string("\(mc.heldOut.count)"), "grouping": .string(mc.grouping.rawValue),
            "learning_rate": .string("\(mc.learningRate)"),
            "top_level": .string("\(top)"), "bottom_level": .string("\(bottom)"),
            "rows": .array(mc.nets.indices.map { k in
                ["net": .string(mc.nets[k].name),
                 "adv_low": cell(k, .heldOut, .adversarial, .gaussian, bottom, { $0.original }),
                 "adv_zero": cell(k, .heldOut, .adversarial, .gaussian, 0, { $0.original }),
                 "adv_high": cell(k, .heldOut, .adversarial, .gaussian, top, { $0.original }),
                 "adv_zero_target": cell(k, .heldOut, .adversarial, .gaussian, 0, { $0.target }),
                 "adv_resampled": cell(k, .heldOut, .adversarial, .resampled, 0, { $0.original }),
                 "orig_high": cell(k, .all, .original, .gaussian, top, { $0.original }),
                 "orig_resampled": cell(k, .all, .original, .resampled, 0, { $0.original })]
            }),
            "findings": .strings(findings.monteCarlo()),
        ]
    }

    func momentsJSON() -> JSONValue {
        let m = beyond.moments
        func row(_ name: String, _ q: SampleSummary, _ digits: Int) -> JSONValue {
            ["statistic": .string(name), "median": .string(Format.fixed(q.median, digits)),
             "iqr": .string("[\(Format.fixed(q.q1, digits)), \(Format.fixed(q.q3, digits))]"),
             "mean": .string(Format.fixed(q.mean, digits))]
        }
        let gaussianLike = abs(m.excessKurtosis.median) < 1 && abs(m.skewness.median) < 0.5
        return [
            "pairs": .string("\(m.perPair.count)"),
            "rows": .array([row("mean (bytes)", m.mean, 3), row("std (bytes)", m.std, 2), row("skewness", m.skewness, 2),
                            row("excess kurtosis", m.excessKurtosis, 2), row("L2 (pixels in [0, 1])", m.l2, 2),
                            row("L-inf (pixels in [0, 1])", m.linf, 2)]),
            "reading": .string(gaussianLike
                ? "the median perturbation is close to Gaussian in shape (|skewness| < 0.5, |excess kurtosis| < 1)"
                : "the median perturbation is far from Gaussian (skewness \(Format.fixed(m.skewness.median, 2)), excess kurtosis \(Format.fixed(m.excessKurtosis.median, 1))): a few pixels carry most of it, so the Gaussian probe of the same std spreads the change over pixels the attack left alone"),
        ]
    }

    func darwinianJSON(_ findings: BeyondFindings) -> JSONValue {
        let d = beyond.darwinian, s = d.settings
        func ci(_ x: SampleSummary?, percent: Bool) -> String {
            guard let x else { return "n/a" }
            let f = { (v: Double) in percent ? Format.percent(v, 0) : Format.fixed(v, 2) }
            return f(x.mean) + (x.ci95.map { " ± " + (percent ? Format.fixed(100 * $0, 0) + " pts" : Format.fixed($0, 2)) } ?? "")
        }
        return [
            "rounds": .string("\(s.rounds)"), "last_round": .string("\(s.rounds - 1)"),
            "sources": .string("\(s.sourcesPerRound)"), "seeds": .string("\(s.seeds)"),
            "epochs": .string("\(s.epochs)"), "learning_rate": .string("\(s.learningRate)"),
            "epsilon": .string(Format.setting(s.fgsmEpsilon)), "monitor": .string(Format.count(s.monitorSize)),
            "models": .string(s.models.map(\.description).joined(separator: ", ")),
            "rows": .array(d.summaries.map { r in
                ["model": .string(r.model.description), "round": .string("\(r.round)"),
                 "success": .string(ci(r.successRate, percent: true)), "median_l2": .string(ci(r.medianL2, percent: false)),
                 "iqr_l2": .string(r.l2.map { "[\(Format.fixed($0.q1, 2)), \(Format.fixed($0.q3, 2))]" } ?? "n/a"),
                 "c_median": .string(r.cMedian.map { Format.significant($0, 3) } ?? "n/a"),
                 "fgsm": .string(ci(r.fgsmSuccessRate, percent: true)),
                 "clean": .string(Format.percent(r.cleanAccuracyAfter.mean, 2)),
                 "round0": .string(Format.percent(r.roundZeroAccuracyAfter.mean, 0))]
            }),
            "findings": .strings(findings.darwinian()),
        ]
    }

    /// The p_0-from-volatility models beside the control, over seeds.
    func volatilityP0JSON() -> JSONValue {
        let cells = hardening.extraCells.filter { $0.key.model.policy?.volatilityShare != nil }
        let differences = cells.compactMap(\.pairedT)
        let better = differences.filter { $0.meanDifference > 0 && $0.p < 0.05 }.count
        let worse = differences.filter { $0.meanDifference < 0 && $0.p < 0.05 }.count
        let finding = cells.isEmpty ? "not run in this profile"
            : "over \(differences.count) (grouping, layer) cells, p0 from the volatility differs from the control at p < 0.05 in \(better + worse) (\(better) better, \(worse) worse); mean difference \(Format.signed(differences.map(\.meanDifference).reduce(0, +) / Double(max(differences.count, 1)), 3))"
        return [
            "finding": .string(finding),
            "shares": .string(hardening.settings.volatilityShares.map { Format.percent($0, 0) }.joined(separator: ", ")),
            "rows": .array(cells.map { c in
                let control = hardening.cell(c.key.control)
                let run = hardening.run(seed: 0, c.key)
                let width = run.selectionCounts.count
                let kept = Double(run.selectionCounts.reduce(0, +)) / Double(max(run.selectionOpportunities * width, 1))
                return ["grouping": .string(c.key.grouping.rawValue), "learning_rate": .string("\(c.key.learningRate)"),
                        "model": .string(c.key.model.description), "mean": .string(Format.fixed(c.summary.mean, 3)),
                        "ci95": .string(Format.interval(c.summary.lower, c.summary.upper)),
                        "control_mean": .string(Format.fixed(control.summary.mean, 3)),
                        "p_value": .string(c.pairedT.map { Format.pValue($0.p) } ?? "n/a"),
                        "kept": .string(Format.percent(kept, 0))]
            }),
        ]
    }
}
