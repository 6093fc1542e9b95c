/// The readable reference implementation of the batch-1 network, and the test oracle of the
/// fast kernels: one forward pass records every intermediate (pre-activations, ReLU outputs,
/// full conv maps, max-pool switches) so that the backward pass, the analyses and the
/// projections can read them. `Network` delegates activations, projections and the
/// gradient-mask ablation to it. Not thread-safe: use one per thread.
public final class ReferenceNetwork {
    public let architecture: Architecture
    public let normalisation: Normalisation
    /// The parameters in Torch's layout (`Architecture`'s offsets).
    public let parameters: UnsafeMutableBufferPointer<Float>
    /// Scratch gradient of the loss with respect to every parameter.
    let gradients: UnsafeMutableBufferPointer<Float>

    // Forward state, channel-major (c, y, x) like Torch.
    let input: Buffer       // normalised, padded: inputSide^2
    let z1: Buffer, a1: Buffer, p1: Buffer    // conv1 pre/post ReLU, pool1 output
    let s1: IndexBuffer                        // pool1 switches: index into a1
    let z2: Buffer, a2: Buffer, p2: Buffer
    let s2: IndexBuffer
    let z3: Buffer, a3: Buffer                 // fc1 pre/post ReLU
    let logits: Buffer, logProbs: Buffer
    // Backward state: gradients with respect to each of the above.
    let dInput: Buffer, dA1: Buffer, dP1: Buffer, dA2: Buffer, dP2: Buffer, dA3: Buffer, dLogits: Buffer

    public init(_ model: Model) {
        let a = model.architecture
        architecture = a
        normalisation = model.normalisation
        parameters = .allocateCacheAligned(a.parameterCount)
        _ = parameters.update(from: model.parameters)
        gradients = .allocateCacheAligned(a.parameterCount)
        input = Buffer(a.inputSide * a.inputSide)
        z1 = Buffer(a.conv1Channels * a.conv1Side * a.conv1Side); a1 = Buffer(z1.count)
        p1 = Buffer(a.conv1Channels * a.pool1Side * a.pool1Side); s1 = IndexBuffer(p1.count)
        z2 = Buffer(a.conv2Channels * a.conv2Side * a.conv2Side); a2 = Buffer(z2.count)
        p2 = Buffer(a.flatSize); s2 = IndexBuffer(p2.count)
        z3 = Buffer(a.hidden); a3 = Buffer(a.hidden)
        logits = Buffer(a.classes); logProbs = Buffer(a.classes)
        dInput = Buffer(input.count); dA1 = Buffer(a1.count); dP1 = Buffer(p1.count)
        dA2 = Buffer(a2.count); dP2 = Buffer(p2.count); dA3 = Buffer(a3.count); dLogits = Buffer(a.classes)
    }

    deinit {
        parameters.deallocate()
        gradients.deallocate()
    }

    /// The current parameters as a `Model`.
    public var model: Model { Model(architecture, normalisation, copying: parameters) }

    /// Replaces the parameters (same architecture; the network keeps its normalisation).
    public func load(_ model: Model) { model.copyParameters(into: parameters, of: architecture) }

    // MARK: Forward

    /// Forward pass of one padded image (`architecture.pixels` values in [0, 1]).
    public func forward(_ pixels: UnsafePointer<Float>) {
        let a = architecture, w = parameters.baseAddress!
        normalisation.normalise(pixels, count: a.pixels, into: input.p)
        conv(input: input.p, channels: 1, side: a.inputSide, weights: w + a.conv1WeightOffset, bias: w + a.conv1BiasOffset,
             outChannels: a.conv1Channels, output: z1.p)
        relu(z1, a1)
        maxPool(a1.p, channels: a.conv1Channels, side: a.conv1Side, size: a.pool1, output: p1.p, switches: s1.p)
        conv(input: p1.p, channels: a.conv1Channels, side: a.pool1Side, weights: w + a.conv2WeightOffset,
             bias: w + a.conv2BiasOffset, outChannels: a.conv2Channels, output: z2.p)
        relu(z2, a2)
        maxPool(a2.p, channels: a.conv2Channels, side: a.conv2Side, size: a.pool2, output: p2.p, switches: s2.p)
        dense(p2.p, inputs: a.flatSize, weights: w + a.fc1WeightOffset, bias: w + a.fc1BiasOffset,
              outputs: a.hidden, output: z3.p)
        relu(z3, a3)
        dense(a3.p, inputs: a.hidden, weights: w + a.fc2WeightOffset, bias: w + a.fc2BiasOffset,
              outputs: a.classes, output: logits.p)
        logSoftmax(logits.p, count: a.classes, output: logProbs.p)
    }

    /// Forward pass; returns the log-probabilities.
    @discardableResult
    public func forward(_ pixels: [Float]) -> [Float] {
        precondition(pixels.count == architecture.pixels, "expected \(architecture.pixels) pixels")
        pixels.withUnsafeBufferPointer { forward($0.baseAddress!) }
        return Array(logProbs.buffer)
    }

    /// Log-probabilities of the last forward pass.
    public var logProbabilities: [Float] { Array(logProbs.buffer) }

    /// The predicted class of the last forward pass (first maximum).
    public var predictedClass: Int { Semantics.firstMaximum(logProbs.p, count: architecture.classes) }

    /// Activation of a layer from the last forward pass, after its ReLU or (`preReLU`) before
    /// it, channel-major: conv maps are full (every output position, also those floor-mode
    /// pooling drops).
    public func activation(_ layer: UnitLayer, preReLU: Bool = false) -> [Float] {
        switch layer {
        case .conv1: return Array((preReLU ? z1 : a1).buffer)
        case .conv2: return Array((preReLU ? z2 : a2).buffer)
        case .fc: return Array((preReLU ? z3 : a3).buffer)
        }
    }

    // MARK: Layers (forward)

    /// Valid convolution: out[o][y][x] = b[o] + sum_{i,ky,kx} w[o][i][ky][kx] * in[i][y+ky][x+kx].
    func conv(input: UnsafePointer<Float>, channels: Int, side: Int, weights: UnsafePointer<Float>,
              bias: UnsafePointer<Float>, outChannels: Int, output: UnsafeMutablePointer<Float>) {
        let k = architecture.kernel, outSide = side &- k &+ 1, area = outSide &* outSide
        for o in 0..<outChannels {
            let out = output + o &* area
            for j in 0..<area { out[j] = bias[o] }
            for i in 0..<channels {
                let plane = input + i &* side &* side
                for ky in 0..<k {
                    for kx in 0..<k {
                        let wv = weights[((o &* channels &+ i) &* k &+ ky) &* k &+ kx]
                        for y in 0..<outSide {
                            let row = plane + ((y &+ ky) &* side &+ kx), dst = out + y &* outSide
                            for x in 0..<outSide { dst[x] += wv * row[x] }
                        }
                    }
                }
            }
        }
    }

    func relu(_ z: Buffer, _ a: Buffer) {
        for i in 0..<z.count { a[i] = z[i] > 0 ? z[i] : 0 }
    }

    /// Floor-mode max-pool, stride = size; the switch is the first maximum in scan order (Torch's rule).
    func maxPool(_ input: UnsafePointer<Float>, channels: Int, side: Int, size: Int,
                 output: UnsafeMutablePointer<Float>, switches: UnsafeMutablePointer<Int32>) {
        let outSide = side / size
        for c in 0..<channels {
            for oy in 0..<outSide {
                for ox in 0..<outSide {
                    var bestIndex = c &* side &* side &+ oy &* size &* side &+ ox &* size
                    var best = input[bestIndex]
                    for dy in 0..<size {
                        for dx in 0..<size {
                            let idx = c &* side &* side &+ (oy &* size &+ dy) &* side &+ ox &* size &+ dx
                            if input[idx] > best { best = input[idx]; bestIndex = idx }
                        }
                    }
                    let o = (c &* outSide &+ oy) &* outSide &+ ox
                    output[o] = best
                    switches[o] = Int32(bestIndex)
                }
            }
        }
    }

    /// out[o] = b[o] + sum_i w[o][i] * in[i].
    func dense(_ input: UnsafePointer<Float>, inputs: Int, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
               outputs: Int, output: UnsafeMutablePointer<Float>) {
        for o in 0..<outputs {
            let row = weights + o &* inputs
            var s: Float = 0
            for i in 0..<inputs { s += row[i] * input[i] }
            output[o] = bias[o] + s
        }
    }

    /// log p_k = z_k - max - log sum_j exp(z_j - max).
    func logSoftmax(_ z: UnsafePointer<Float>, count: Int, output: UnsafeMutablePointer<Float>) {
        Semantics.logSoftmax(z, count: count, into: output)
    }
}

/// A fixed-size Float workspace.
final class Buffer {
    let buffer: UnsafeMutableBufferPointer<Float>
    var p: UnsafeMutablePointer<Float> { buffer.baseAddress! }
    var count: Int { buffer.count }
    init(_ count: Int) {
        buffer = .allocate(capacity: max(count, 1))
        buffer.initialize(repeating: 0)
    }
    deinit { buffer.deallocate() }
    subscript(i: Int) -> Float {
        get { buffer[i] }
        set { buffer[i] = newValue }
    }
    func fill(_ v: Float) { buffer.update(repeating: v) }
}

/// A fixed-size Int32 workspace (max-pool switches).
final class IndexBuffer {
    let buffer: UnsafeMutableBufferPointer<Int32>
    var p: UnsafeMutablePointer<Int32> { buffer.baseAddress! }
    init(_ count: Int) {
        buffer = .allocate(capacity: max(count, 1))
        buffer.initialize(repeating: 0)
    }
    deinit { buffer.deallocate() }
    subscript(i: Int) -> Int32 { buffer[i] }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
