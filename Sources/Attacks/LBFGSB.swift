import CLBFGSB

/// Settings of one L-BFGS-B solve (Byrd, Lu, Nocedal & Zhu; the 3.0 Fortran code in Debian's
/// liblbfgsb). The defaults are the attack's: m = 15, factr = 1e7, pgtol = 1e-5, 200 evaluations.
public struct LBFGSBSettings: Codable, Hashable, Sendable {
    /// Number of correction pairs kept (m).
    public var memory: Int
    /// Stop when (f_k - f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) <= factr * machine epsilon.
    public var factr: Double
    /// Stop when the largest component of the projected gradient is <= pgtol.
    public var pgtol: Double
    /// Hard cap on function + gradient evaluations (never exceeded).
    public var maxEvaluations: Int

    public init(memory: Int = 15, factr: Double = 1e7, pgtol: Double = 1e-5, maxEvaluations: Int = 200) {
        self.memory = memory
        self.factr = factr
        self.pgtol = pgtol
        self.maxEvaluations = maxEvaluations
    }

    /// Throws unless every setting is usable.
    public func validate() throws {
        guard memory >= 1 else { throw LBFGSBError.invalidSetting("memory m must be >= 1, got \(memory)") }
        guard factr >= 0, factr.isFinite else { throw LBFGSBError.invalidSetting("factr must be finite and >= 0, got \(factr)") }
        guard pgtol >= 0, pgtol.isFinite else { throw LBFGSBError.invalidSetting("pgtol must be finite and >= 0, got \(pgtol)") }
        guard maxEvaluations >= 1 else {
            throw LBFGSBError.invalidSetting("maxEvaluations must be >= 1, got \(maxEvaluations)")
        }
    }
}

/// Why a solve ended.
public enum LBFGSBStop: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The relative reduction of f fell below factr * epsilon.
    case convergedRelativeReduction
    /// The projected gradient's largest component fell below pgtol.
    case convergedProjectedGradient
    /// The evaluation budget was spent; the result is the last accepted iterate.
    case evaluationLimit
    /// The caller's `stopWhen` accepted an iterate.
    case stoppedByCaller
    /// The line search could not find an acceptable point (often: f and g disagree, or f is flat).
    case abnormalLineSearch
    /// Any other message of the Fortran code (ERROR: bad input; WARNING: rounding errors).
    case message(String)

    public var converged: Bool { self == .convergedRelativeReduction || self == .convergedProjectedGradient }

    public var description: String {
        switch self {
        case .convergedRelativeReduction: return "converged (relative reduction of f)"
        case .convergedProjectedGradient: return "converged (projected gradient)"
        case .evaluationLimit: return "evaluation limit"
        case .stoppedByCaller: return "stopped by caller"
        case .abnormalLineSearch: return "abnormal line search"
        case .message(let text): return text
        }
    }

    /// Maps the Fortran `task` text to a stop reason.
    init(task: String) {
        if task.hasPrefix("CONVERGENCE: REL") { self = .convergedRelativeReduction }
        else if task.hasPrefix("CONVERGENCE: NORM") { self = .convergedProjectedGradient }
        else if task.hasPrefix("ABNORMAL") { self = .abnormalLineSearch }
        else { self = .message(task) }
    }
}

public enum LBFGSBError: Error, CustomStringConvertible, Equatable {
    case invalidSetting(String)
    case badBounds(String)

    public var description: String {
        switch self {
        case .invalidSetting(let what): return "L-BFGS-B setting invalid: \(what)"
        case .badBounds(let what): return "L-BFGS-B bounds invalid: \(what)"
        }
    }
}

/// The outcome of one solve: the last accepted iterate and its objective.
public struct LBFGSBResult: Sendable {
    public var x: [Double]
    public var f: Double
    public var stop: LBFGSBStop
    /// Iterations of the algorithm (`isave[29]`, 0-based).
    public var iterations: Int
    /// Function + gradient evaluations.
    public var evaluations: Int

    public init(x: [Double], f: Double, stop: LBFGSBStop, iterations: Int, evaluations: Int) {
        self.x = x
        self.f = f
        self.stop = stop
        self.iterations = iterations
        self.evaluations = evaluations
    }
}

/// Minimises f over the box lower <= x <= upper (use -infinity / +infinity for a free side) by
/// the reverse-communication loop of `setulb`. `evaluate(x, g)` returns f(x) and writes the
/// gradient into g; `stopWhen(x, f)`, if given, may end the solve at any accepted iterate.
public func minimizeLBFGSB(
    start: [Double], lower: [Double], upper: [Double], settings: LBFGSBSettings = LBFGSBSettings(),
    wrapper: SolveWrapper = .acceptedIterate,
    stopWhen: ((UnsafeBufferPointer<Double>, Double) -> Bool)? = nil,
    evaluate: (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Double
) throws -> LBFGSBResult {
    let (nbd, l, u) = try checkedBounds(start: start, lower: lower, upper: upper, settings: settings)
    if wrapper == .authorLua {
        precondition(stopWhen == nil, "the author's loop has no caller stop")
        return runAuthorLoop(start: start, lower: l, upper: u, nbd: nbd, settings: settings, evaluate: evaluate)
    }
    let n = start.count
    var solver = SetulbWorkspace(variables: n, memory: settings.memory)
    var x = start, g = [Double](repeating: 0, count: n), f = 0.0
    var accepted = start, acceptedF = Double.nan
    var evaluations = 0
    var stop = LBFGSBStop.message("not started")
    solver.setTask("START")
    while true {
        solver.call(x: &x, f: &f, g: &g, lower: l, upper: u, nbd: nbd, settings: settings)
        let task = solver.task
        if task.hasPrefix("FG") {
            if evaluations == settings.maxEvaluations { stop = .evaluationLimit; break }
            f = x.withUnsafeBufferPointer { xp in g.withUnsafeMutableBufferPointer { evaluate(xp, $0) } }
            evaluations += 1
            // The first evaluation is at the start projected into the box: an accepted iterate.
            if evaluations == 1 { accepted = x; acceptedF = f }
        } else if task.hasPrefix("NEW_X") {
            accepted = x; acceptedF = f
            if evaluations >= settings.maxEvaluations { stop = .evaluationLimit; break }
            if let stopWhen, x.withUnsafeBufferPointer({ stopWhen($0, f) }) { stop = .stoppedByCaller; break }
        } else {
            stop = LBFGSBStop(task: task)
            // On convergence or a failed line search, x holds the final iterate.
            if evaluations > 0 { accepted = x; acceptedF = f }
            break
        }
    }
    return LBFGSBResult(x: accepted, f: acceptedF, stop: stop, iterations: solver.iterations, evaluations: evaluations)
}

/// Validates the settings and bounds; returns the Fortran code's bound kinds (nbd: 0 free,
/// 1 lower only, 2 both, 3 upper only) and the bounds with infinite sides as 0.
func checkedBounds(start: [Double], lower: [Double], upper: [Double], settings: LBFGSBSettings) throws
    -> (nbd: [Int32], lower: [Double], upper: [Double]) {
    try settings.validate()
    let n = start.count
    guard n >= 1 else { throw LBFGSBError.badBounds("no variables") }
    guard lower.count == n, upper.count == n else {
        throw LBFGSBError.badBounds("\(n) variables but \(lower.count) lower and \(upper.count) upper bounds")
    }
    if let i = (0..<n).first(where: { !(lower[$0] <= upper[$0]) }) {
        throw LBFGSBError.badBounds("variable \(i): lower \(lower[i]) > upper \(upper[i])")
    }
    let nbd: [Int32] = (0..<n).map { i in
        switch (lower[i].isFinite, upper[i].isFinite) {
        case (false, false): return 0
        case (true, false): return 1
        case (true, true): return 2
        case (false, true): return 3
        }
    }
    return (nbd, lower.map { $0.isFinite ? $0 : 0 }, upper.map { $0.isFinite ? $0 : 0 })
}

/// Convenience with arrays: `evaluate(x)` returns (f, gradient).
public func minimizeLBFGSB(
    start: [Double], lower: [Double], upper: [Double], settings: LBFGSBSettings = LBFGSBSettings(),
    wrapper: SolveWrapper = .acceptedIterate, evaluate: ([Double]) -> (Double, [Double])
) throws -> LBFGSBResult {
    try minimizeLBFGSB(start: start, lower: lower, upper: upper, settings: settings, wrapper: wrapper) { x, g in
        let (f, gradient) = evaluate(Array(x))
        precondition(gradient.count == g.count, "gradient has \(gradient.count) values, expected \(g.count)")
        for i in 0..<g.count { g[i] = gradient[i] }
        return f
    }
}

/// The Fortran routine's working storage; sizes from the 3.0 code's documentation.
struct SetulbWorkspace {
    static let textLength = 60
    let n: Int32, m: Int32
    var wa: [Double]        // 2mn + 5n + 11m^2 + 8m
    var iwa: [Int32]        // 3n
    var taskText: [CChar]   // CHARACTER*60, space-padded (NUL padding breaks START)
    var csave: [CChar]
    var lsave = [Int32](repeating: 0, count: 4)
    var isave = [Int32](repeating: 0, count: 44)
    var dsave = [Double](repeating: 0, count: 29)

    init(variables: Int, memory: Int) {
        n = Int32(variables); m = Int32(memory)
        wa = [Double](repeating: 0, count: 2 * memory * variables + 5 * variables + 11 * memory * memory + 8 * memory)
        iwa = [Int32](repeating: 0, count: 3 * variables)
        let blank = CChar(UInt8(ascii: " "))
        taskText = [CChar](repeating: blank, count: Self.textLength)
        csave = [CChar](repeating: blank, count: Self.textLength)
    }

    mutating func setTask(_ text: String) {
        let bytes = Array(text.utf8.prefix(Self.textLength))
        for i in 0..<Self.textLength { taskText[i] = CChar(bitPattern: i < bytes.count ? bytes[i] : UInt8(ascii: " ")) }
    }

    var task: String {
        var bytes = taskText.map { UInt8(bitPattern: $0) }
        while let last = bytes.last, last == UInt8(ascii: " ") || last == 0 { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Iterations so far (isave(30) in Fortran numbering).
    var iterations: Int { Int(isave[29]) }

    mutating func call(x: inout [Double], f: inout Double, g: inout [Double], lower: [Double], upper: [Double],
                       nbd: [Int32], settings: LBFGSBSettings) {
        var n = self.n, m = self.m, factr = settings.factr, pgtol = settings.pgtol, iprint: Int32 = -1
        setulb_(&n, &m, &x, lower, upper, nbd, &f, &g, &factr, &pgtol, &wa, &iwa, &taskText, &iprint,
                &csave, &lsave, &isave, &dsave, Self.textLength, Self.textLength)
    }
}
