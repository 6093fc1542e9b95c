import StudyTypes
/// One L-BFGS-B run of the attack at a fixed C: its perturbation and what the net made of it.
public struct AttackRun: Sendable {
    public var c: Double
    /// The run started from the previous run's r (growth) rather than from r = 0.
    public var warmStart: Bool
    /// r over the domain's free pixels, in the domain's units (the returned point of the solve).
    public var perturbation: [Double]
    /// The image the net sees for that r (every pixel, in [0, 1], rounded to Float): the stored one.
    public var adversarial: [Float]
    /// The net's class for `adversarial` (first maximum of the log-probabilities).
    public var predicted: Int
    public var success: Bool
    public var solve: LBFGSBResult

    public init(c: Double, warmStart: Bool, perturbation: [Double], adversarial: [Float], predicted: Int, target: Int,
                solve: LBFGSBResult) {
        self.c = c
        self.warmStart = warmStart
        self.perturbation = perturbation
        self.adversarial = adversarial
        self.predicted = predicted
        self.success = predicted == target
        self.solve = solve
    }
}

/// The phase of the C search a run belongs to.
public enum SearchPhase: String, Codable, Hashable, Sendable {
    case growth, bisection, final
}

/// The outcome of a whole C search on one image.
public struct AttackOutcome: Sendable {
    /// The reported run (the final run; its image is re-checked: success = classified as the target).
    public var final: AttackRun
    public var success: Bool { final.success }
    /// C_fail: where the growth stopped (nil if it never stopped under `.notTarget`).
    public var cFail: Double?
    /// Every run in order with its phase. The final run appears once even when it is the
    /// identical earlier run at the same C from r = 0, reused rather than recomputed.
    public var runs: [(phase: SearchPhase, run: AttackRun)]
    /// Totals over every run of the search, the final run included (also when reused: the
    /// author's code runs it).
    public var evaluations: Int { runs.reduce(0) { $0 + $1.run.solve.evaluations } }
    public var iterations: Int { runs.reduce(0) { $0 + $1.run.solve.iterations } }
}

/// The growth and bisection phases of a C search: everything the final run's C is chosen
/// from. Neither phase reads the final-C rule, so one search serves every rule (`finished`).
public struct PenaltySearch: Sendable {
    /// The runs so far, in order, with their phases.
    public var runs: [(phase: SearchPhase, run: AttackRun)]
    /// C_fail: where the growth stopped (nil if it never stopped under `.notTarget`).
    public var cFail: Double?
    /// The bisection's lower bound before its last update (the author's C_final).
    var lagged: Double?
    /// The last successful run of either phase.
    var lastSuccess: AttackRun?
}

/// The C search of `settings` for one image of class `trueLabel` towards `target`: the growth
/// and bisection of `penaltySearchPhases`, then the final run of `settings.finalC`.
public func searchPenalty(settings: AttackSettings, trueLabel: Int, target: Int,
                          solve: (_ c: Double, _ start: [Double]?) throws -> AttackRun) rethrows -> AttackOutcome {
    let search = try penaltySearchPhases(settings: settings, trueLabel: trueLabel, target: target, solve: solve)
    return try search.finished(rule: settings.finalC, solve: solve)
}

/// The growth and bisection phases of the C search. `solve(c, start)` runs L-BFGS-B at C from
/// `start` (nil: r = 0) and is deterministic.
///
/// Growth: C = initialC, warm-started runs, C x growth after each, until `growthStop` (C_fail).
/// Bisection: `bisectionRuns` runs on [0, C_fail], each from r = 0; success (the target) raises
/// the lower bound, anything else lowers the upper one.
public func penaltySearchPhases(settings: AttackSettings, trueLabel: Int, target: Int,
                                solve: (_ c: Double, _ start: [Double]?) throws -> AttackRun) rethrows -> PenaltySearch {
    var search = PenaltySearch(runs: [], cFail: nil, lagged: nil, lastSuccess: nil)
    func run(_ phase: SearchPhase, _ c: Double, from start: [Double]?) throws -> AttackRun {
        try search.run(phase, c, from: start, solve: solve)
    }
    // Growth, each run warm-started from the previous one's r.
    var c = settings.initialC, start: [Double]? = nil
    for _ in 0..<settings.maxGrowthRuns {
        let result = try run(.growth, c, from: start)
        let stops = settings.growthStop == .originalClass ? result.predicted == trueLabel : !result.success
        if stops { search.cFail = c; break }
        if result.success { search.lastSuccess = result }
        start = result.perturbation
        c *= settings.growth
    }
    if search.cFail == nil, settings.growthStop == .originalClass { search.cFail = c / settings.growth }
    // Bisection on [0, C_fail], each run from r = 0; `lagged` = the lower bound before the update.
    if let cFail = search.cFail {
        var low = 0.0, high = cFail
        for _ in 0..<settings.bisectionRuns {
            let middle = (low + high) / 2
            let result = try run(.bisection, middle, from: nil)
            search.lagged = low
            if result.success { low = middle; search.lastSuccess = result } else { high = middle }
        }
    }
    return search
}

extension PenaltySearch {
    /// Runs L-BFGS-B at `c` from `start` (nil: r = 0) and appends the run under `phase`.
    mutating func run(_ phase: SearchPhase, _ c: Double, from start: [Double]?,
                      solve: (_ c: Double, _ start: [Double]?) throws -> AttackRun) rethrows -> AttackRun {
        var result = try solve(c, start)
        result.warmStart = start != nil
        runs.append((phase, result))
        return result
    }

    /// The whole search under `rule`: a final run from r = 0 at the rule's C (see
    /// `FinalCRule`), reusing an identical earlier run (same C, from r = 0) if there is one.
    public func finished(rule: FinalCRule,
                         solve: (_ c: Double, _ start: [Double]?) throws -> AttackRun) rethrows -> AttackOutcome {
        var search = self
        func finalRun(at c: Double) throws -> AttackRun {
            if let same = search.runs.last(where: { !$0.run.warmStart && $0.run.c == c })?.run {
                search.runs.append((.final, same))
                return same
            }
            return try search.run(.final, c, from: nil, solve: solve)
        }
        let final: AttackRun
        switch rule {
        case .laggedLowerBound:
            final = try finalRun(at: lagged ?? lastSuccess?.c ?? 0)
        case .largestSuccessful:
            if let best = lastSuccess {
                let rerun = try finalRun(at: best.c)
                final = rerun.success || !best.warmStart ? rerun : best
            } else {
                final = search.runs[search.runs.count - 1].run
            }
        }
        return AttackOutcome(final: final, cFail: cFail, runs: search.runs)
    }
}
