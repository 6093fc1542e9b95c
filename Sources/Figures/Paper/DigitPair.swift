/// One adversarial pair as the figures need it: 32x32 padded pixels in [0, 1] (row-major, 1024 values),
/// the labels and the base net's confidences (softmax probabilities).
public struct DigitPair: Codable, Equatable, Sendable {
    public var original: [Float]
    public var adversarial: [Float]
    /// The original's true label (and the net's prediction on it).
    public var trueLabel: Int
    /// The label the attack aimed for (the net's prediction on the adversarial).
    public var targetLabel: Int
    /// P(trueLabel | original).
    public var originalConfidence: Double
    /// P(targetLabel | adversarial).
    public var adversarialConfidence: Double

    public init(original: [Float], adversarial: [Float], trueLabel: Int, targetLabel: Int,
                originalConfidence: Double, adversarialConfidence: Double) {
        self.original = original; self.adversarial = adversarial
        self.trueLabel = trueLabel; self.targetLabel = targetLabel
        self.originalConfidence = originalConfidence; self.adversarialConfidence = adversarialConfidence
    }

    /// r = x_adv - x.
    public var perturbation: [Float] { zip(adversarial, original).map { $0 - $1 } }
    /// ||r||_2 in pixel units ([0, 1] pixels).
    public var l2: Double { perturbation.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot() }
    /// ||r||_inf.
    public var linf: Double { perturbation.reduce(0) { max($0, Double(abs($1))) } }

    func validate(_ check: Check, _ what: String) throws {
        try check.square(original, "\(what).original")
        try check.square(adversarial, "\(what).adversarial", pixels: original.count)
        try check.that((0...9).contains(trueLabel) && (0...9).contains(targetLabel),
                       "\(what) labels \(trueLabel) -> \(targetLabel) must be digits 0-9")
    }
}
