import StudyTypes
import Analysis
import Experiments

/// The sentences that state what the Monte-Carlo and Darwinian results show, computed from them
/// (figure captions and the report read these; nothing here is asserted in advance).
struct BeyondFindings {
    let beyond: BeyondResults

    var mc: MonteCarloStage { beyond.monteCarlo }

    /// "base 12% [8%, 17%]": a pooled share and its Wilson interval.
    func pooled(_ o: OutcomeShare) -> String {
        "\(Format.percent(o.pooled.share, 0)) [\(Format.percent(o.pooled.lower, 0)), \(Format.percent(o.pooled.upper, 0))]"
    }

    /// The level of one net's Gaussian curve at which the median pair's share of `outcome` first
    /// reaches `threshold` (nil if never).
    func firstLevel(_ k: Int, _ subset: ProbedPairs, _ centre: ProbeCentre, reaching threshold: Double,
                    _ pick: (MonteCarloLevel) -> OutcomeShare) -> Int? {
        mc.summary(k, subset).curve(centre, .gaussian).first { pick($0).perPair.median >= threshold }?.level
    }

    /// The highest level up to which the median pair's share of the original stays >= threshold
    /// when probing from the original (nil if already below at the lowest level).
    func lastLevelHolding(_ k: Int, threshold: Double) -> Int? {
        var last: Int?
        for l in mc.summary(k, .all).curve(.original, .gaussian) {
            guard l.original.perPair.median >= threshold else { break }
            last = l.level
        }
        return last
    }

    func monteCarlo() -> [String] {
        let names = mc.nets.map(\.name)
        func level(_ l: Int?) -> String { l.map { "i = \($0)" } ?? "no level" }
        let zero = mc.nets.indices.map { k in mc.summary(k, .heldOut).curve(.adversarial, .gaussian).first { $0.level == 0 } }
        var out: [String] = []
        if zero.allSatisfy({ $0 != nil }) {
            out.append("At i = 0 from the adversarial image of the \(mc.heldOut.count) held-out pairs, the share of samples classified as the original (pooled, Wilson 95%) is "
                + mc.nets.indices.map { "\(names[$0]) \(pooled(zero[$0]!.original))" }.joined(separator: ", ") + ".")
        }
        let back = mc.nets.indices.map { firstLevel($0, .heldOut, .adversarial, reaching: 0.5) { $0.original } }
        out.append("The median held-out pair returns to its original class in at least half of the samples from "
            + mc.nets.indices.map { "\(level(back[$0])) (\(names[$0]))" }.joined(separator: ", ") + ".")
        let holds = mc.nets.indices.map { lastLevelHolding($0, threshold: 0.99) }
        let baseHold = holds[0] ?? Int.min
        let wider = mc.nets.indices.dropFirst().filter { (holds[$0] ?? Int.min) > baseHold }.map { names[$0] }
        out.append("From the original image, the median pair keeps at least 99% of its samples in the original class up to "
            + mc.nets.indices.map { "\(level(holds[$0])) (\(names[$0]))" }.joined(separator: ", ") + ": "
            + (wider.isEmpty ? "no hardened net widens the region around the originals beyond the base net's."
                             : "wider than the base net for \(wider.joined(separator: ", ")).") )
        return out
    }

    /// The claim of section 6.3, tested: does selective dropout force the adversary to larger noise
    /// than the control does?
    func darwinian() -> [String] {
        let d = beyond.darwinian, s = d.settings, last = s.rounds - 1
        guard let control = s.models.first(where: { $0.policy == nil }) else { return [] }
        func perSeedMedianL2(_ m: HardeningModel, _ t: Int) -> [Double] {
            d.chains.filter { $0.model == m }.sorted { $0.seed < $1.seed }.map { c in
                c.rounds[t].successfulL2.isEmpty ? 0 : median(c.rounds[t].successfulL2)
            }
        }
        func mean(_ x: SampleSummary?) -> String {
            guard let x else { return "n/a" }
            return Format.fixed(x.mean, 2) + (x.ci95.map { " ± " + Format.fixed($0, 2) } ?? "")
        }
        var out: [String] = []
        let growth = s.models.map { m -> String in
            let r = d.rounds(of: m)
            return "\(m.description) \(mean(r[0].medianL2)) at t = 0 and \(mean(r[last].medianL2)) at t = \(last)"
        }
        out.append("Median L2 of the successful L-BFGS perturbations (mean over seeds ± 95% CI): " + growth.joined(separator: "; ") + ".")
        let controlGrowth = zip(perSeedMedianL2(control, last), perSeedMedianL2(control, 0)).map { $0 - $1 }
        for m in s.models where m.policy != nil {
            let sdLast = perSeedMedianL2(m, last), cLast = perSeedMedianL2(control, last)
            let test = PairedTTest(treatment: sdLast, control: cLast)
            let sdGrowth = zip(sdLast, perSeedMedianL2(m, 0)).map { $0 - $1 }
            let grows = sdGrowth.allSatisfy { $0 > 0 }
            let verdict: String
            if test.meanDifference > 0 && test.p < 0.05 {
                verdict = "the paper's expectation holds here: \(m.description) forces a larger distortion than the control"
            } else if grows && controlGrowth.allSatisfy({ $0 > 0 }) {
                verdict = "the distortion grows under both, so adaptive hard-negative training, not selective dropout, is what raises it"
            } else if grows {
                verdict = "the distortion grows under \(m.description) in every seed, but not significantly more than under the control"
            } else {
                verdict = "the paper's \"noise of increasing magnitude\" does not appear for \(m.description)"
            }
            out.append("At t = \(last), \(m.description) minus the control: \(Format.signed(test.meanDifference, 2)) in median L2 (paired over \(sdLast.count) seeds, \(Format.pClause(test.p))): \(verdict).")
        }
        let forgetting = s.models.map { m -> String in
            let r = d.rounds(of: m)[last]
            return "\(m.description) \(Format.percent(r.roundZeroAccuracyAfter.mean, 0)) on round 0's adversarials and \(Format.percent(r.cleanAccuracyAfter.mean, 2)) clean"
        }
        out.append("After the last round: " + forgetting.joined(separator: "; ") + ".")
        return out
    }
}
