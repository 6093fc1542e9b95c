import Foundation
import Random

/// Input normalisation, part of the model: a pixel p in [0, 1] enters the net as (p - mean) / std.
/// The statistics are those of the zero-padded training images, as in the Torch demo the author used.
public struct Normalisation: Codable, Hashable, Sendable {
    public var mean: Float
    public var std: Float
    public init(mean: Float, std: Float) {
        self.mean = mean
        self.std = std
    }
    public static let identity = Normalisation(mean: 0, std: 1)
}

/// A network's complete state: shape, input normalisation and the flat parameter vector in
/// Torch's layout (see `Architecture`'s offsets).
public struct Model: Codable, Equatable, Sendable {
    public var architecture: Architecture
    public var normalisation: Normalisation
    public var parameters: [Float]

    public init(architecture: Architecture, normalisation: Normalisation, parameters: [Float]) {
        precondition(parameters.count == architecture.parameterCount, "parameter count mismatch")
        self.architecture = architecture
        self.normalisation = normalisation
        self.parameters = parameters
    }

    /// Torch7's default initialisation: every weight and bias of a layer uniform in
    /// +-1/sqrt(fan_in), fan_in = inputs per output unit.
    public static func torchDefault(_ architecture: Architecture, normalisation: Normalisation,
                                    rng: inout RandomStream) -> Model {
        let a = architecture
        var p = [Float](repeating: 0, count: a.parameterCount)
        let layers: [(offset: Int, count: Int, fanIn: Int)] = [
            (a.conv1WeightOffset, a.conv1WeightCount + a.conv1Channels, a.kernel * a.kernel),
            (a.conv2WeightOffset, a.conv2WeightCount + a.conv2Channels, a.conv1Channels * a.kernel * a.kernel),
            (a.fc1WeightOffset, a.fc1WeightCount + a.hidden, a.flatSize),
            (a.fc2WeightOffset, a.fc2WeightCount + a.classes, a.hidden),
        ]
        for layer in layers {
            let bound = 1 / Float(layer.fanIn).squareRoot()
            for i in layer.offset..<layer.offset + layer.count { p[i] = rng.uniform(-bound, bound) }
        }
        return Model(architecture: a, normalisation: normalisation, parameters: p)
    }
}

extension Model {
    /// A model holding a copy of a network's parameter buffer.
    public init(_ architecture: Architecture, _ normalisation: Normalisation, copying buffer: UnsafeMutableBufferPointer<Float>) {
        self.init(architecture: architecture, normalisation: normalisation, parameters: Array(buffer))
    }

    /// Copies the parameters into a network's buffer; the architectures must agree.
    public func copyParameters(into buffer: UnsafeMutableBufferPointer<Float>, of architecture: Architecture) {
        precondition(self.architecture == architecture, "load: model is \(self.architecture), network is \(architecture)")
        _ = buffer.update(fromContentsOf: parameters)
    }
}

// MARK: - Binary format

/// The weights file: little-endian throughout.
///
///     bytes 0-7    "SDNNv001"
///     9 x Int32    imageSide padding kernel conv1Channels pool1 conv2Channels pool2 hidden classes
///     2 x Float32  normalisation mean, std
///     Int32        parameter count n
///     n x Float32  parameters in Torch's layout
public enum ModelFileError: Error, CustomStringConvertible {
    case unreadable(String)
    case malformed(String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path): return "cannot read model file \(path)"
        case .malformed(let path, let reason): return "model file \(path) is malformed: \(reason)"
        }
    }
}

extension Model {
    static let magic = Array("SDNNv001".utf8)

    public func serialised() -> [UInt8] {
        var out = Model.magic
        let a = architecture
        for v in [a.imageSide, a.padding, a.kernel, a.conv1Channels, a.pool1, a.conv2Channels, a.pool2, a.hidden, a.classes] {
            out.appendLittleEndian(UInt32(v))
        }
        out.appendLittleEndian(normalisation.mean.bitPattern)
        out.appendLittleEndian(normalisation.std.bitPattern)
        out.appendLittleEndian(UInt32(parameters.count))
        out.reserveCapacity(out.count + 4 * parameters.count)
        for p in parameters { out.appendLittleEndian(p.bitPattern) }
        return out
    }

    public init(serialised bytes: [UInt8], source: String = "model") throws {
        var reader = ByteReader(bytes: bytes)
        guard bytes.count >= 8, Array(bytes[0..<8]) == Model.magic else {
            throw ModelFileError.malformed(source, reason: "bad magic")
        }
        reader.offset = 8
        guard let fields = (0..<9).map({ _ in reader.uint32() }) as [UInt32?]? , !fields.contains(nil),
              let mean = reader.uint32(), let std = reader.uint32(), let count = reader.uint32()
        else { throw ModelFileError.malformed(source, reason: "truncated header") }
        let f = fields.map { Int($0!) }
        guard f.allSatisfy({ $0 > 0 && $0 < 100_000 }) || f[1] == 0 else {
            throw ModelFileError.malformed(source, reason: "implausible architecture \(f)")
        }
        let a = Architecture(imageSide: f[0], padding: f[1], kernel: f[2], conv1Channels: f[3], pool1: f[4],
                             conv2Channels: f[5], pool2: f[6], hidden: f[7], classes: f[8])
        guard Int(count) == a.parameterCount, bytes.count == reader.offset + 4 * Int(count) else {
            throw ModelFileError.malformed(source, reason: "expected \(a.parameterCount) parameters")
        }
        let params = (0..<Int(count)).map { _ in Float(bitPattern: reader.uint32()!) }
        guard params.allSatisfy({ $0.isFinite }) else {
            throw ModelFileError.malformed(source, reason: "non-finite parameters")
        }
        self.init(architecture: a, normalisation: Normalisation(mean: Float(bitPattern: mean), std: Float(bitPattern: std)),
                  parameters: params)
    }

    public func write(to url: URL) throws {
        try Data(serialised()).write(to: url, options: .atomic)
    }

    public init(contentsOf url: URL) throws {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ModelFileError.unreadable(url.path)
        }
        try self.init(serialised: [UInt8](data), source: url.path)
    }
}

struct ByteReader {
    let bytes: [UInt8]
    var offset = 0
    mutating func uint32() -> UInt32? {
        guard offset + 4 <= bytes.count else { return nil }
        defer { offset += 4 }
        return (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
    }
}

extension Array where Element == UInt8 {
    mutating func appendLittleEndian(_ v: UInt32) {
        append(contentsOf: [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8),
                            UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 24)])
    }
}
