import StudyTypes

/// When the warm-started growth of C stops (that C is C_fail, the top of the bisection).
public enum GrowthStop: String, Codable, Hashable, Sendable, CaseIterable {
    /// The author's: at the first run whose prediction is the ORIGINAL class
    /// (`until pred_init == original_target`).
    case originalClass
    /// At the first run whose prediction is not the target.
    case notTarget
}

/// How one L-BFGS-B solve counts evaluations and what it returns.
public enum SolveWrapper: String, Codable, Hashable, Sendable, CaseIterable {
    /// The author's `lbfgsb.lua`: an evaluation at START is counted (and then repeated by the
    /// Fortran code's FG_START), the loop stops when the task is neither FG nor NEW_X or when the
    /// count reaches the cap (possibly inside a line search), and the LAST EVALUATED point is
    /// returned.
    case authorLua
    /// Counts only the evaluations the Fortran code asks for and returns the last accepted iterate.
    case acceptedIterate
}

/// Every setting of Szegedy et al.'s box-constrained attack. The defaults are the author's code
/// (`reference.json` author_code.attack, = `AttackSettings.author`); `minimalDistortion` is the
/// study's earlier attack. Domain, growth stop, final-C rule and wrapper are orthogonal, so a
/// sensitivity study changes one field and nothing else.
public struct AttackSettings: Codable, Hashable, Sendable {
    /// The L-BFGS-B solve of every run: m = 15, factr = 1e7, pgtol = 1e-5, 200 evaluations.
    public var optimizer: LBFGSBSettings
    /// First penalty weight C of the search.
    public var initialC: Double
    /// C is multiplied by this after every growth run (warm start from that run's r).
    public var growth: Double
    /// At most this many growth runs. If the growth has not stopped by then, C_fail is the last
    /// C tried (`.originalClass`), or the search has no bisection (`.notTarget`).
    public var maxGrowthRuns: Int
    /// Runs of the bisection on [0, C_fail], each from r = 0 (4: the author's loop runs while the
    /// width exceeds C_fail / 10, and C_fail / 16 < C_fail / 10).
    public var bisectionRuns: Int
    public var domain: AttackDomain
    public var growthStop: GrowthStop
    public var finalC: FinalCRule
    public var wrapper: SolveWrapper

    public init(optimizer: LBFGSBSettings = LBFGSBSettings(memory: 15, factr: 1e7, pgtol: 1e-5, maxEvaluations: 200),
                initialC: Double = 0.01, growth: Double = 10, maxGrowthRuns: Int = 12, bisectionRuns: Int = 4,
                domain: AttackDomain = .paddedNormalised, growthStop: GrowthStop = .originalClass,
                finalC: FinalCRule = .laggedLowerBound, wrapper: SolveWrapper = .authorLua) {
        self.optimizer = optimizer
        self.initialC = initialC
        self.growth = growth
        self.maxGrowthRuns = maxGrowthRuns
        self.bisectionRuns = bisectionRuns
        self.domain = domain
        self.growthStop = growthStop
        self.finalC = finalC
        self.wrapper = wrapper
    }

    /// The author's `adversarial.lua` and `lbfgsb.lua`: the study's primary protocol.
    public static let author = AttackSettings()

    /// The study's earlier attack (the minimal-distortion reading): r over the 784 image pixels
    /// in [0, 1] units, growth until a run fails, the final run at the largest successful C,
    /// evaluations as the Fortran code asks for them.
    public static let minimalDistortion = AttackSettings(domain: .interiorPixels, growthStop: .notTarget,
                                                         finalC: .largestSuccessful, wrapper: .acceptedIterate)

    /// A name for files and the summary: "author", "minimal_distortion", or the fields that
    /// differ from the author's protocol.
    public var name: String {
        if self == .author { return "author" }
        if self == .minimalDistortion { return "minimal_distortion" }
        let a = AttackSettings.author
        var parts: [String] = []
        if domain != a.domain { parts.append("domain=\(domain.rawValue)") }
        if growthStop != a.growthStop { parts.append("growth_stop=\(growthStop.rawValue)") }
        if finalC != a.finalC { parts.append("final_c=\(finalC.rawValue)") }
        if wrapper != a.wrapper { parts.append("wrapper=\(wrapper.rawValue)") }
        if optimizer != a.optimizer || initialC != a.initialC || growth != a.growth || maxGrowthRuns != a.maxGrowthRuns
            || bisectionRuns != a.bisectionRuns { parts.append("search=custom") }
        return "author+" + parts.joined(separator: "+")
    }

    /// Throws `AttackError.invalidSetting` for any setting the search cannot run with.
    public func validate() throws {
        do { try optimizer.validate() } catch let error as LBFGSBError {
            throw AttackError.invalidSetting("optimizer: \(error)")
        }
        guard initialC > 0, initialC.isFinite else { throw AttackError.invalidSetting("C must be > 0, got \(initialC)") }
        guard growth > 1, growth.isFinite else { throw AttackError.invalidSetting("growth must be > 1, got \(growth)") }
        guard maxGrowthRuns >= 1 else { throw AttackError.invalidSetting("maxGrowthRuns must be >= 1, got \(maxGrowthRuns)") }
        guard bisectionRuns >= 0 else { throw AttackError.invalidSetting("bisectionRuns must be >= 0, got \(bisectionRuns)") }
        guard finalC != .laggedLowerBound || bisectionRuns >= 1 else {
            throw AttackError.invalidSetting("the lagged final C needs bisectionRuns >= 1, got \(bisectionRuns)")
        }
    }
}

/// Bad input to an attack, a generation or a data file, with what and where.
public enum AttackError: Error, CustomStringConvertible, Equatable {
    case invalidSetting(String)
    case targetIsTrueLabel(label: Int)
    case labelOutOfRange(what: String, value: Int, classes: Int)
    case badImage(String)
    case poolExhausted(successes: Int, needed: Int, attempts: Int, poolSize: Int)
    case badFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidSetting(let what):
            return "attack setting invalid: \(what)"
        case .targetIsTrueLabel(let label):
            return "attack target \(label) equals the true label: an adversarial target must differ from it"
        case .labelOutOfRange(let what, let value, let classes):
            return "\(what) \(value) is outside 0..<\(classes)"
        case .badImage(let what):
            return "attack image invalid: \(what)"
        case .poolExhausted(let successes, let needed, let attempts, let poolSize):
            return "candidate pool of \(poolSize) images exhausted after \(attempts) attacks with \(successes) of \(needed) successes"
        case .badFile(let path, let reason):
            return "adversarial pair file \(path): \(reason)"
        }
    }
}
