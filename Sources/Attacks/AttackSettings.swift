/// Every setting of Szegedy et al.'s box-constrained attack as the author's code ran it
/// (`reference.json` author_code.attack); the defaults are those values, so an ablation changes
/// one field and nothing else.
public struct AttackSettings: Codable, Hashable, Sendable {
    /// The L-BFGS-B solve of every run: m = 15, factr = 1e7, pgtol = 1e-5, 200 evaluations.
    public var optimizer: LBFGSBSettings
    /// First penalty weight C of the search.
    public var initialC: Double
    /// C is multiplied by this after every success of the growth phase (warm start).
    public var growth: Double
    /// At most this many growth runs; if none fails, the search keeps the last success.
    public var maxGrowthRuns: Int
    /// Runs of the bisection on [0, C_fail], each from r = 0 (4: width C_fail/16 < C_fail/10).
    public var bisectionRuns: Int

    public init(optimizer: LBFGSBSettings = LBFGSBSettings(memory: 15, factr: 1e7, pgtol: 1e-5, maxEvaluations: 200),
                initialC: Double = 0.01, growth: Double = 10, maxGrowthRuns: Int = 12, bisectionRuns: Int = 4) {
        self.optimizer = optimizer
        self.initialC = initialC
        self.growth = growth
        self.maxGrowthRuns = maxGrowthRuns
        self.bisectionRuns = bisectionRuns
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
