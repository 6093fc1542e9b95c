import StudyTypes
import Analysis
import Engine

/// The author's notebook input pipeline (`transform_notebook.ipynb`, `getImages`) in pixel space:
/// each image rounded to 8 bits, then standardised by its own mean m_i and standard deviation
/// s_i. The net normalises every input globally, (x - mean) / std, so the pixel-space image
/// x' = ((q(x) - m_i) / s_i) * std + mean makes the net see (q(x) - m_i) / s_i exactly.
public struct NotebookPipeline: Sendable {
    /// The net's own global normalisation.
    public var normalisation: Normalisation

    public init(normalisation: Normalisation) { self.normalisation = normalisation }

    /// q(x) = round(255 * clamp(x, 0, 1)) / 255: the byte the PNG stores (computed in Double).
    public static func rounded(_ x: Float) -> Double { (Double(min(max(x, 0), 1)) * 255).rounded() / 255 }

    /// One image (any length): rounded, then standardised by its own population mean and std
    /// over its stored pixels; an image with s_i = 0 becomes the constant `mean`.
    public func transform(_ image: [Float]) -> [Float] {
        let q = image.map(Self.rounded)
        let n = Double(max(q.count, 1))
        // m_i = sum q / n; s_i = sqrt(sum (q - m_i)^2 / n)
        let m = q.reduce(0.0, +) / n
        let s = (q.reduce(0.0) { $0 + ($1 - m) * ($1 - m) } / n).squareRoot()
        let mean = Double(normalisation.mean), std = Double(normalisation.std)
        return q.map { s > 0 ? Float(($0 - m) / s * std + mean) : Float(mean) }
    }

    /// Both images of every pair; labels unchanged.
    public func transform(_ pairs: [AdversarialPair]) -> [AdversarialPair] {
        pairs.map { AdversarialPair(original: transform($0.original), adversarial: transform($0.adversarial),
                                    trueLabel: $0.trueLabel, targetLabel: $0.targetLabel) }
    }

    /// Every image of a set (the evaluation images); labels unchanged.
    public func transform(_ images: LabelledImages) throws -> LabelledImages {
        let n = images.pixelsPerImage
        var out: [Float] = []
        out.reserveCapacity(images.pixels.count)
        for i in 0..<images.count { out += transform(Array(images.pixels[i * n..<(i + 1) * n])) }
        return try LabelledImages(pixels: out, labels: images.labels, pixelsPerImage: n)
    }
}
