import StudyTypes

/// A claim's verdict.
enum ClaimVerdict: String, Equatable {
    case holds = "holds"
    case partly = "partly"
    case doesNotHold = "does not hold"
    /// The run did not include the configuration the claim names.
    case notTested = "not tested"

    /// The CSS class of the verdict's badge.
    var cssClass: String {
        switch self {
        case .holds: return "holds"
        case .partly: return "partly"
        case .doesNotHold: return "fails"
        case .notTested: return "partly"
        }
    }
}

/// The rule behind each verdict, as a pure function of a few numbers (unit-tested on fixed
/// inputs). Each rule is stated in the claim's evidence.
enum ClaimRules {
    /// A figure the paper rounds (e.g. "99%", `decimals` = 0) holds when ours, rounded the
    /// same way, reaches it (98.99% reads "99%"); partly when it rounds one unit below.
    static func roundedFigure(ours: Double, paper: Double, decimals: Int) -> ClaimVerdict {
        let scale = 100 * pow10(decimals)
        let mine = (ours * scale).rounded(), theirs = (paper * scale).rounded()
        return mine >= theirs ? .holds : mine >= theirs - 1 ? .partly : .doesNotHold
    }

    /// "Converges in 1/2 to 1/3 of the control's steps": per SD cell, the ratio of its mean
    /// steps to the control's (converged runs only). Holds when the median ratio is at most 1/2
    /// and SD runs are censored no more often than control runs; partly when most cells
    /// converge faster; otherwise does not hold (also when no cell has a ratio).
    static func convergence(ratios: [Double], sdCensoredRate: Double, controlCensoredRate: Double) -> ClaimVerdict {
        guard !ratios.isEmpty else { return .doesNotHold }
        if median(ratios) <= 0.5 && sdCensoredRate <= controlCensoredRate { return .holds }
        return ratios.filter { $0 < 1 }.count * 2 > ratios.count ? .partly : .doesNotHold
    }

    /// A paired comparison of one SD cell with its control.
    struct Difference: Equatable {
        var mean: Double
        var p: Double
    }

    /// "Accuracy on par or better than the control": holds when no SD cell is significantly
    /// worse (p < 0.05); partly when at most a quarter are and the mean difference over all
    /// cells is not negative; otherwise does not hold.
    static func onParOrBetter(_ cells: [Difference]) -> ClaimVerdict {
        guard !cells.isEmpty else { return .notTested }
        let worse = cells.filter { $0.mean < 0 && $0.p < 0.05 }.count
        let mean = cells.map(\.mean).reduce(0, +) / Double(cells.count)
        if worse == 0 { return .holds }
        return worse * 4 <= cells.count && mean >= 0 ? .partly : .doesNotHold
    }

    /// "For nearly every grouping and rate some SD_p beats the control" over `rows` rows
    /// ("nearly every" = all but one): holds when nearly every row has an SD cell significantly
    /// better over seeds and a single-seed win; partly when nearly every row wins on a single
    /// seed or on the multi-seed mean.
    static func someSDBeatsControl(singleSeedRows: Int, meanRows: Int, significantRows: Int, rows: Int) -> ClaimVerdict {
        let nearlyAll = max(rows - 1, 1)
        if singleSeedRows >= nearlyAll && significantRows >= nearlyAll { return .holds }
        return singleSeedRows >= nearlyAll || meanRows >= nearlyAll ? .partly : .doesNotHold
    }

    /// Named models beat the control: holds when every one is significantly better, partly
    /// when most are better on average.
    static func allBetter(_ cells: [Difference]) -> ClaimVerdict {
        guard !cells.isEmpty else { return .notTested }
        if cells.allSatisfy({ $0.mean > 0 && $0.p < 0.05 }) { return .holds }
        return cells.filter { $0.mean > 0 }.count * 2 > cells.count ? .partly : .doesNotHold
    }

    /// "Originals stay near 100%; the control often reverses to about 98%, SD rarely": holds
    /// when every run ends at >= 97% on its training originals and SD runs reverse less than half
    /// as often as control runs that reverse in more than 20% of runs; partly when one of the two holds.
    static func originalReversal(lowestFinal: Double, controlRate: Double, sdRate: Double) -> ClaimVerdict {
        let nearFull = lowestFinal >= 0.97, rarer = sdRate < controlRate / 2 && controlRate > 0.2
        return nearFull && rarer ? .holds : nearFull || rarer ? .partly : .doesNotHold
    }

    /// "A more robust memory for the original image space", on the held-out originals and on
    /// MNIST test accuracy after hardening (SD against the control, paired over seeds): holds
    /// when SD is significantly better on both, partly when it is better on average on at least
    /// one, otherwise does not hold. A nil p (one seed) counts as not significant.
    static func robustMemory(heldOut: Difference, mnist: Difference) -> ClaimVerdict {
        let significant = { (d: Difference) in d.mean > 0 && d.p < 0.05 }
        if significant(heldOut) && significant(mnist) { return .holds }
        return heldOut.mean > 0 || mnist.mean > 0 ? .partly : .doesNotHold
    }

    /// Szegedy et al.'s "p > 70%" transfer: holds above 70%, partly above 35%.
    static func transfer(rate: Double) -> ClaimVerdict {
        rate > 0.7 ? .holds : rate > 0.35 ? .partly : .doesNotHold
    }

    static func pow10(_ n: Int) -> Double { (0..<max(n, 0)).reduce(1) { r, _ in r * 10 } }
}
