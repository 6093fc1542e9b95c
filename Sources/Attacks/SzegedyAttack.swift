import Engine

/// One L-BFGS-B run of the attack at a fixed C: its perturbation and whether it fooled the net.
public struct AttackRun: Sendable {
    public var c: Double
    /// r in pixel units (x + r stays in [0, 1]).
    public var perturbation: [Double]
    /// x + r rounded to Float: the image the net sees and the one that is stored.
    public var adversarial: [Float]
    /// The net's class for `adversarial` (first maximum of the log-probabilities).
    public var predicted: Int
    public var success: Bool
    public var solve: LBFGSBResult
}

/// The outcome of a whole C search on one image.
public struct AttackOutcome: Sendable {
    /// The reported run: the final run at the last successful C, or, if no C succeeded, the last run.
    public var final: AttackRun
    public var success: Bool { final.success }
    /// Totals over every run of the search.
    public var evaluations: Int
    public var iterations: Int
    public var runs: Int
}

/// Szegedy et al.'s box-constrained attack as the author's code runs it:
///
///     minimise  NLL(net(x + r), target) + C ||r||^2   over r,  subject to 0 <= x + r <= 1,
///
/// by L-BFGS-B, with a search over C. **Success** means the net's predicted class for x + r
/// (as stored, in Float; ties to the lower class) equals the target.
///
/// The search: C = 0.01, warm-started runs with C multiplied by 10 after each success until a
/// run fails (C_fail); then `bisectionRuns` runs on [0, C_fail], each from r = 0, keeping the
/// upper half after a success; then a final run from r = 0 at the last successful C. When that
/// C's success came from a run from r = 0, the final run would repeat it bit for bit (the solve
/// is deterministic), so that run is reused instead of recomputed; if a final run from r = 0
/// fails where the warm-started run at the same C succeeded, the warm-started run is reported.
/// Not thread-safe: one per thread, like its `Network`.
public final class SzegedyAttack {
    public let network: Network
    public let settings: AttackSettings
    let pixels: UnsafeMutableBufferPointer<Float>
    let gradient: UnsafeMutableBufferPointer<Float>

    public init(network: Network, settings: AttackSettings = AttackSettings()) throws {
        try settings.validate()
        self.network = network
        self.settings = settings
        pixels = .allocate(capacity: network.architecture.pixels)
        pixels.initialize(repeating: 0)
        gradient = .allocate(capacity: network.architecture.pixels)
        gradient.initialize(repeating: 0)
    }

    deinit {
        pixels.deallocate()
        gradient.deallocate()
    }

    /// Runs the C search for `original` (pixels in [0, 1]) of class `trueLabel` towards `target`.
    public func attack(original: [Float], trueLabel: Int, target: Int) throws -> AttackOutcome {
        try checkInput(original: original, trueLabel: trueLabel, target: target)
        let zero = [Double](repeating: 0, count: original.count)
        var runs: [AttackRun] = []
        func run(_ c: Double, from start: [Double]) throws -> AttackRun {
            let result = try solve(original: original, target: target, c: c, start: start)
            runs.append(result)
            return result
        }
        // Growth: C x growth, each run warm-started from the previous success.
        var c = settings.initialC, start = zero
        var lastSuccess: (run: AttackRun, fromZero: Bool)?
        var cFail: Double?
        for step in 0..<settings.maxGrowthRuns {
            let result = try run(c, from: start)
            guard result.success else { cFail = c; break }
            lastSuccess = (result, step == 0)
            start = result.perturbation
            c *= settings.growth
        }
        // Bisection on [0, C_fail], each run from r = 0.
        if let cFail {
            var low = 0.0, high = cFail
            for _ in 0..<settings.bisectionRuns {
                let middle = (low + high) / 2
                let result = try run(middle, from: zero)
                if result.success { low = middle; lastSuccess = (result, true) } else { high = middle }
            }
        }
        var final = runs[runs.count - 1]
        if let lastSuccess {
            final = lastSuccess.run
            if !lastSuccess.fromZero {
                let rerun = try run(lastSuccess.run.c, from: zero)
                if rerun.success { final = rerun }
            }
        }
        return AttackOutcome(final: final, evaluations: runs.reduce(0) { $0 + $1.solve.evaluations },
                             iterations: runs.reduce(0) { $0 + $1.solve.iterations }, runs: runs.count)
    }

    /// One L-BFGS-B solve at a fixed C from `start`.
    public func solve(original: [Float], target: Int, c: Double, start: [Double]) throws -> AttackRun {
        let n = original.count
        // Bounds on r so that x + r stays in [0, 1].
        let lower = original.map { -Double($0) }, upper = original.map { 1 - Double($0) }
        let net = network, x = pixels, dLoss = gradient
        let result = try minimizeLBFGSB(start: start, lower: lower, upper: upper, settings: settings.optimizer) { r, g in
            for i in 0..<n { x[i] = Float(Double(original[i]) + r[i]) }
            let loss = Double(net.lossAndInputGradient(UnsafePointer(x.baseAddress!), label: target,
                                                       gradient: dLoss.baseAddress!))
            // f = NLL + C sum r_i^2,  df/dr_i = dNLL/dx_i + 2 C r_i.
            var penalty = 0.0
            for i in 0..<n {
                penalty += r[i] * r[i]
                g[i] = Double(dLoss[i]) + 2 * c * r[i]
            }
            return loss + c * penalty
        }
        // x + r in Double lies in [0, 1]; rounding to Float is monotone, so it stays there.
        let adversarial = (0..<n).map { Float(Double(original[$0]) + result.x[$0]) }
        network.forward(adversarial)
        let predicted = network.predictedClass
        return AttackRun(c: c, perturbation: result.x, adversarial: adversarial, predicted: predicted,
                         success: predicted == target, solve: result)
    }

    func checkInput(original: [Float], trueLabel: Int, target: Int) throws {
        let a = network.architecture
        guard original.count == a.pixels else {
            throw AttackError.badImage("\(original.count) pixels, the network takes \(a.pixels)")
        }
        if let i = original.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
            throw AttackError.badImage("pixel \(i) is \(original[i]), outside [0, 1]")
        }
        guard (0..<a.classes).contains(trueLabel) else {
            throw AttackError.labelOutOfRange(what: "true label", value: trueLabel, classes: a.classes)
        }
        guard (0..<a.classes).contains(target) else {
            throw AttackError.labelOutOfRange(what: "target", value: target, classes: a.classes)
        }
        guard target != trueLabel else { throw AttackError.targetIsTrueLabel(label: trueLabel) }
    }
}
