import Engine

/// One original image and its adversarial counterpart, as the analyses and the hardening stage
/// need them: pixels in [0, 1] (row-major, `Architecture.pixels` values each), the original's true
/// label and the label the attack aimed for. The attack stage keeps richer records; the study
/// maps them to this.
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

/// Images with labels, flattened: image i is `pixels[i * pixelsPerImage ..< (i + 1) * pixelsPerImage]`,
/// values in [0, 1].
public struct LabelledImages: Sendable {
    public var pixels: [Float]
    public var labels: [Int]
    public var pixelsPerImage: Int

    public init(pixels: [Float], labels: [Int], pixelsPerImage: Int = Architecture.paper.pixels) throws {
        guard pixels.count == labels.count * pixelsPerImage else {
            throw AnalysisInputError("images: \(pixels.count) pixels for \(labels.count) labels of \(pixelsPerImage) pixels each")
        }
        self.pixels = pixels
        self.labels = labels
        self.pixelsPerImage = pixelsPerImage
    }

    public var count: Int { labels.count }

    /// The images at `indices`, in that order.
    public func subset(_ indices: [Int]) -> LabelledImages {
        var p: [Float] = []
        p.reserveCapacity(indices.count * pixelsPerImage)
        for i in indices { p.append(contentsOf: pixels[i * pixelsPerImage..<(i + 1) * pixelsPerImage]) }
        // Sizes agree by construction.
        return try! LabelledImages(pixels: p, labels: indices.map { labels[$0] }, pixelsPerImage: pixelsPerImage)
    }
}
