/// Images with labels, flattened: image i is `pixels[i * pixelsPerImage ..< (i + 1) * pixelsPerImage]`,
/// values in [0, 1].
public struct LabelledImages: Sendable {
    public var pixels: [Float]
    public var labels: [Int]
    public var pixelsPerImage: Int

    public init(pixels: [Float], labels: [Int], pixelsPerImage: Int) throws {
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
