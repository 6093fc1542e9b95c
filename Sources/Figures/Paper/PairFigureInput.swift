import StudyTypes

/// Figures 1, 2 and 8's input: an adversarial pair (32x32 padded pixels in [0, 1], row-major; the
/// original's true label, which the net predicts on it, and the target the net predicts on the
/// adversarial) with the base net's confidences (softmax probabilities) beside it.
public struct PairFigureInput: Equatable, Sendable {
    public var pair: AdversarialPair
    /// P(trueLabel | original).
    public var originalConfidence: Double
    /// P(targetLabel | adversarial).
    public var adversarialConfidence: Double

    public init(_ pair: AdversarialPair, originalConfidence: Double, adversarialConfidence: Double) {
        self.pair = pair
        self.originalConfidence = originalConfidence
        self.adversarialConfidence = adversarialConfidence
    }

    /// r = x_adv - x.
    public var perturbation: [Float] { zip(pair.adversarial, pair.original).map { $0 - $1 } }
    /// ||r||_2 in pixel units ([0, 1] pixels).
    public var l2: Double { perturbation.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot() }
    /// ||r||_inf.
    public var linf: Double { perturbation.reduce(0) { max($0, Double(abs($1))) } }

    func validate(_ check: Check, _ what: String) throws {
        try check.square(pair.original, "\(what).original")
        try check.square(pair.adversarial, "\(what).adversarial", pixels: pair.original.count)
        try check.that((0...9).contains(pair.trueLabel) && (0...9).contains(pair.targetLabel),
                       "\(what) labels \(pair.trueLabel) -> \(pair.targetLabel) must be digits 0-9")
    }
}

/// The figure data is one flat object: the pair's four fields and the two confidences.
extension PairFigureInput: Codable {
    enum CodingKeys: String, CodingKey {
        case original, adversarial, trueLabel, targetLabel, originalConfidence, adversarialConfidence
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(AdversarialPair(original: try c.decode([Float].self, forKey: .original),
                                  adversarial: try c.decode([Float].self, forKey: .adversarial),
                                  trueLabel: try c.decode(Int.self, forKey: .trueLabel),
                                  targetLabel: try c.decode(Int.self, forKey: .targetLabel)),
                  originalConfidence: try c.decode(Double.self, forKey: .originalConfidence),
                  adversarialConfidence: try c.decode(Double.self, forKey: .adversarialConfidence))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(pair.original, forKey: .original)
        try c.encode(pair.adversarial, forKey: .adversarial)
        try c.encode(pair.trueLabel, forKey: .trueLabel)
        try c.encode(pair.targetLabel, forKey: .targetLabel)
        try c.encode(originalConfidence, forKey: .originalConfidence)
        try c.encode(adversarialConfidence, forKey: .adversarialConfidence)
    }
}
