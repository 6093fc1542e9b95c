/// The shape of the study's network family: conv -> ReLU -> max-pool -> conv -> ReLU ->
/// max-pool -> fc -> ReLU -> fc -> log-softmax, as in the author's Torch7 code.
///
/// `paper` is the study's net (28x28 padded to 32x32, 32@5x5, pool 3, 64@5x5, pool 2, fc 200,
/// fc 10: 105,506 parameters); `tiny` has the same topology at toy size for exhaustive tests.
public struct Architecture: Codable, Hashable, Sendable, CustomStringConvertible {
    public var imageSide: Int
    public var padding: Int
    public var kernel: Int
    public var conv1Channels: Int
    public var pool1: Int
    public var conv2Channels: Int
    public var pool2: Int
    public var hidden: Int
    public var classes: Int

    public init(imageSide: Int, padding: Int, kernel: Int, conv1Channels: Int, pool1: Int,
                conv2Channels: Int, pool2: Int, hidden: Int, classes: Int) {
        self.imageSide = imageSide
        self.padding = padding
        self.kernel = kernel
        self.conv1Channels = conv1Channels
        self.pool1 = pool1
        self.conv2Channels = conv2Channels
        self.pool2 = pool2
        self.hidden = hidden
        self.classes = classes
        precondition(pool2Side >= 1, "architecture too small: \(self)")
    }

    public static let paper = Architecture(imageSide: 28, padding: 2, kernel: 5, conv1Channels: 32, pool1: 3,
                                           conv2Channels: 64, pool2: 2, hidden: 200, classes: 10)
    /// 12x12 images padded to 16x16, 3x3 kernels, 3 and 4 channels, pools 3 and 2, 6 hidden, 3 classes.
    public static let tiny = Architecture(imageSide: 12, padding: 2, kernel: 3, conv1Channels: 3, pool1: 3,
                                          conv2Channels: 4, pool2: 2, hidden: 6, classes: 3)

    /// Values of the network's input: the padded image, inputSide^2 (1024 for the paper's net).
    /// Every image the engine takes is padded (see `pad`); the border is ordinary input.
    public var pixels: Int { inputSide * inputSide }
    /// Values of an unpadded source image (784 for MNIST).
    public var imagePixels: Int { imageSide * imageSide }
    public var inputSide: Int { imageSide + 2 * padding }

    /// The image (imageSide^2 values, row-major) inside a border of `padding` zeros: the
    /// network's input, inputSide^2 values. The only place an image is padded.
    public func pad<C: Collection>(_ image: C) -> [Float] where C.Element == Float {
        precondition(image.count == imagePixels, "expected \(imagePixels) image pixels, got \(image.count)")
        var out = [Float](repeating: 0, count: pixels)
        var i = image.startIndex
        for y in 0..<imageSide {
            for x in 0..<imageSide {
                out[(y + padding) * inputSide + x + padding] = image[i]
                i = image.index(after: i)
            }
        }
        return out
    }
    public var conv1Side: Int { inputSide - kernel + 1 }
    /// Floor-mode pooling with stride = size, as Torch's SpatialMaxPooling(k, k, k, k).
    public var pool1Side: Int { conv1Side / pool1 }
    public var conv2Side: Int { pool1Side - kernel + 1 }
    public var pool2Side: Int { conv2Side / pool2 }
    public var flatSize: Int { conv2Channels * pool2Side * pool2Side }

    // Parameter vector layout (Torch's): each weight tensor row-major, bias after its weight.
    public var conv1WeightCount: Int { conv1Channels * kernel * kernel }
    public var conv2WeightCount: Int { conv2Channels * conv1Channels * kernel * kernel }
    public var fc1WeightCount: Int { hidden * flatSize }
    public var fc2WeightCount: Int { classes * hidden }

    public var conv1WeightOffset: Int { 0 }
    public var conv1BiasOffset: Int { conv1WeightCount }
    public var conv2WeightOffset: Int { conv1BiasOffset + conv1Channels }
    public var conv2BiasOffset: Int { conv2WeightOffset + conv2WeightCount }
    public var fc1WeightOffset: Int { conv2BiasOffset + conv2Channels }
    public var fc1BiasOffset: Int { fc1WeightOffset + fc1WeightCount }
    public var fc2WeightOffset: Int { fc1BiasOffset + hidden }
    public var fc2BiasOffset: Int { fc2WeightOffset + fc2WeightCount }
    public var parameterCount: Int { fc2BiasOffset + classes }

    /// Width of a layer whose units can be inspected or switched off.
    public func width(of layer: UnitLayer) -> Int {
        switch layer {
        case .conv1: return conv1Channels
        case .conv2: return conv2Channels
        case .fc: return hidden
        }
    }

    /// Elements of one unit's activation (a feature map's area, or 1 for an fc neuron).
    public func unitSize(of layer: UnitLayer) -> Int {
        switch layer {
        case .conv1: return conv1Side * conv1Side
        case .conv2: return conv2Side * conv2Side
        case .fc: return 1
        }
    }

    /// Multiply-adds of one forward pass (convolutions over every output position).
    public var forwardMultiplyAdds: Int {
        conv1Channels * kernel * kernel * conv1Side * conv1Side
            + conv2Channels * conv1Channels * kernel * kernel * conv2Side * conv2Side
            + hidden * flatSize + classes * hidden
    }

    public var description: String {
        "\(inputSide)x\(inputSide) -> conv\(kernel) \(conv1Channels)x\(conv1Side)x\(conv1Side) -> pool\(pool1) "
            + "\(conv1Channels)x\(pool1Side)x\(pool1Side) -> conv\(kernel) \(conv2Channels)x\(conv2Side)x\(conv2Side) "
            + "-> pool\(pool2) \(conv2Channels)x\(pool2Side)x\(pool2Side) = \(flatSize) -> \(hidden) -> \(classes)"
    }
}

/// A layer whose units (feature maps, or fc neurons) the analyses and selective dropout address.
public enum UnitLayer: String, Codable, CaseIterable, Sendable {
    case conv1, conv2, fc
}
