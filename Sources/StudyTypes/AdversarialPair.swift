/// One original image and its adversarial counterpart: the one pair type that the attack makes
/// and the analyses, the hardening stage and the figures read. Pixels in [0, 1], row-major, the
/// network's whole input each (`Architecture.pixels` values: the zero-padded 32x32 image, whose
/// border the author's attack may ink); the original's true label and the label the attack aimed for.
public struct AdversarialPair: Codable, Hashable, Sendable {
    public var original: [Float]
    public var adversarial: [Float]
    public var trueLabel: Int
    public var targetLabel: Int

    public init(original: [Float], adversarial: [Float], trueLabel: Int, targetLabel: Int) {
        self.original = original
        self.adversarial = adversarial
        self.trueLabel = trueLabel
        self.targetLabel = targetLabel
    }
}

/// Bad input to an analysis or experiment: what is wrong, and where.
public struct AnalysisInputError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension AdversarialPair {
    /// Checks that every pair fits a net with `pixels` inputs and `classes` outputs.
    public static func validate(_ pairs: [AdversarialPair], pixels: Int, classes: Int) throws {
        for (i, pair) in pairs.enumerated() {
            guard pair.original.count == pixels, pair.adversarial.count == pixels else {
                throw AnalysisInputError("pair \(i): expected \(pixels) pixels per image, got "
                    + "\(pair.original.count) (original) and \(pair.adversarial.count) (adversarial)")
            }
            guard (0..<classes).contains(pair.trueLabel), (0..<classes).contains(pair.targetLabel) else {
                throw AnalysisInputError("pair \(i): labels \(pair.trueLabel) -> \(pair.targetLabel) outside 0..<\(classes)")
            }
            guard pair.trueLabel != pair.targetLabel else {
                throw AnalysisInputError("pair \(i): target label equals the true label \(pair.trueLabel)")
            }
        }
    }
}
