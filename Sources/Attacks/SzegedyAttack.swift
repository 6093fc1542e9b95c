import StudyTypes
import Engine

/// Szegedy et al.'s box-constrained attack as `settings` runs it (by default the author's code):
///
///     minimise  NLL(net(x + s r), target) + C ||r||^2   over r,  subject to 0 <= x + s r <= 1,
///
/// by L-BFGS-B, with the C search of `searchPenalty`. r lives on the domain's free pixels in
/// its units: s = the input std for `.paddedNormalised` (r in normalised units, every padded
/// pixel free), s = 1 for `.interiorPixels` (the image's own pixels, the border fixed). The
/// gradient in r is s dNLL/dx + 2 C r. **Success** means the net's predicted class for the stored
/// image (Float; ties to the lower class) equals the target. Not thread-safe: one per thread,
/// like its `Network`.
public final class SzegedyAttack {
    public let network: Network
    public let settings: AttackSettings
    /// Indices (into the network's input) of the pixels r moves.
    public let freePixels: [Int]
    /// Pixel units per unit of r.
    public let scale: Double
    let pixels: UnsafeMutableBufferPointer<Float>
    let gradient: UnsafeMutableBufferPointer<Float>

    public init(network: Network, settings: AttackSettings = AttackSettings()) throws {
        try settings.validate()
        self.network = network
        self.settings = settings
        freePixels = SzegedyAttack.freePixels(settings.domain, architecture: network.architecture)
        scale = settings.domain == .paddedNormalised ? Double(network.normalisation.std) : 1
        pixels = .allocate(capacity: network.architecture.pixels)
        pixels.initialize(repeating: 0)
        gradient = .allocate(capacity: network.architecture.pixels)
        gradient.initialize(repeating: 0)
    }

    deinit {
        pixels.deallocate()
        gradient.deallocate()
    }

    /// Every input pixel for `.paddedNormalised`; for `.interiorPixels` those inside the padding
    /// ring when the network takes padded images, all of them when it takes the unpadded image.
    public static func freePixels(_ domain: AttackDomain, architecture a: Architecture) -> [Int] {
        let all = Array(0..<a.pixels)
        guard domain == .interiorPixels, a.pixels == a.inputSide * a.inputSide, a.padding > 0 else { return all }
        let inside = a.padding..<(a.padding + a.imageSide)
        return all.filter { inside.contains($0 / a.inputSide) && inside.contains($0 % a.inputSide) }
    }

    /// Runs the C search for `original` (the network's input pixels in [0, 1]) of class
    /// `trueLabel` towards `target`.
    public func attack(original: [Float], trueLabel: Int, target: Int) throws -> AttackOutcome {
        try checkInput(original: original, trueLabel: trueLabel, target: target)
        return try searchPenalty(settings: settings, trueLabel: trueLabel, target: target,
                                 solve: solver(original: original, target: target))
    }

    /// The growth and bisection phases of the C search, which every final-C rule shares; finish
    /// it under a rule with `finish`.
    public func searchPhases(original: [Float], trueLabel: Int, target: Int) throws -> PenaltySearch {
        try checkInput(original: original, trueLabel: trueLabel, target: target)
        return try penaltySearchPhases(settings: settings, trueLabel: trueLabel, target: target,
                                       solve: solver(original: original, target: target))
    }

    /// `search` (of `original` towards `target`) completed by `rule`'s final run: the outcome
    /// `attack` gives under settings with that rule.
    public func finish(_ search: PenaltySearch, original: [Float], target: Int, rule: FinalCRule) throws -> AttackOutcome {
        try search.finished(rule: rule, solve: solver(original: original, target: target))
    }

    /// One L-BFGS-B solve of `original` towards `target` at C from `start` (nil: r = 0).
    func solver(original: [Float], target: Int) -> (Double, [Double]?) throws -> AttackRun {
        { [self] c, start in
            try solve(original: original, target: target, c: c, start: start ?? [Double](repeating: 0, count: freePixels.count))
        }
    }

    /// The image for r: x_i + s r_k on the free pixels (clamped to [0, 1] against rounding), x elsewhere.
    func image(original: [Float], r: UnsafeBufferPointer<Double>, into x: UnsafeMutableBufferPointer<Float>) {
        _ = x.update(fromContentsOf: original)
        for (k, i) in freePixels.enumerated() { x[i] = Float(min(max(Double(original[i]) + scale * r[k], 0), 1)) }
    }

    /// One L-BFGS-B solve at a fixed C from `start` (r over the free pixels).
    public func solve(original: [Float], target: Int, c: Double, start: [Double]) throws -> AttackRun {
        let free = freePixels, s = scale
        // Bounds on r so that x + s r stays in [0, 1].
        let lower = free.map { -Double(original[$0]) / s }, upper = free.map { (1 - Double(original[$0])) / s }
        let net = network, x = pixels, dLoss = gradient
        let result = try minimizeLBFGSB(start: start, lower: lower, upper: upper, settings: settings.optimizer,
                                        wrapper: settings.wrapper) { r, g in
            image(original: original, r: r, into: x)
            let loss = Double(net.lossAndInputGradient(UnsafePointer(x.baseAddress!), label: target,
                                                       gradient: dLoss.baseAddress!))
            // f = NLL + C sum_k r_k^2,  df/dr_k = s dNLL/dx_i + 2 C r_k.
            var penalty = 0.0
            for (k, i) in free.enumerated() {
                penalty += r[k] * r[k]
                g[k] = s * Double(dLoss[i]) + 2 * c * r[k]
            }
            return loss + c * penalty
        }
        let adversarial = result.x.withUnsafeBufferPointer { r in
            [Float](unsafeUninitializedCapacity: original.count) { out, count in
                image(original: original, r: r, into: out)
                count = original.count
            }
        }
        network.forward(adversarial)
        return AttackRun(c: c, warmStart: false, perturbation: result.x, adversarial: adversarial,
                         predicted: network.predictedClass, target: target, solve: result)
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
