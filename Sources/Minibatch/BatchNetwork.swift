import CBLAS
import Engine

/// The network on minibatches: im2col + single-threaded OpenBLAS `sgemm` for every layer, for
/// inference, evaluation and minibatch SGD (mean loss over the batch). Like the fast batch-1
/// path it computes only the conv outputs that floor-mode pooling reads.
///
/// Owns its parameters (Torch layout); copy models in and out with `model` / `load`. Not
/// thread-safe: use one per thread. Results depend on OpenBLAS's kernels (pin the core type with
/// `OpenBLASRuntime` for identical bits across machines of one kind).
public final class BatchNetwork {
    public let architecture: Architecture
    public let normalisation: Normalisation
    /// The largest batch one call processes; longer inputs are split into chunks of this size.
    public let capacity: Int
    /// The parameters in Torch's layout (`Architecture`'s offsets).
    public let parameters: UnsafeMutableBufferPointer<Float>
    let gradients: UnsafeMutableBufferPointer<Float>

    let used1: Int, used2: Int       // conv output sides that pooling reads
    let taps1: Int, taps2: Int       // im2col row lengths: k^2 and conv1Channels k^2
    // Forward state for `capacity` images.
    let input: AlignedFloats          // [b][side][side], normalised and padded
    let cols1: AlignedFloats          // [b * used1^2][taps1]
    let z1: AlignedFloats             // [b * used1^2][conv1Channels]
    let p1: AlignedFloats, s1: AlignedInts   // [b][c][pool1Side^2]; switch = index into z1
    let cols2: AlignedFloats          // [b * used2^2][taps2]
    let z2: AlignedFloats             // [b * used2^2][conv2Channels]
    let p2: AlignedFloats, s2: AlignedInts   // [b][flatSize]; switch = index into z2
    let z3: AlignedFloats, a3: AlignedFloats // [b][hidden]
    let logits: AlignedFloats, logProbs: AlignedFloats // [b][classes]
    // Backward state.
    let dLogits: AlignedFloats, dz3: AlignedFloats, dP2: AlignedFloats
    let dz2: AlignedFloats, dCols2: AlignedFloats, dP1: AlignedFloats, dz1: AlignedFloats
    let scratch: AlignedFloats, scratchIndex: AlignedInts   // one pooling window's running maxima

    /// A network for batches of up to `capacity` images; pins OpenBLAS to one thread.
    public init(_ model: Model, capacity: Int = 128) {
        precondition(capacity >= 1, "batch capacity must be positive")
        let a = model.architecture
        architecture = a
        normalisation = model.normalisation
        self.capacity = capacity
        parameters = .allocate(capacity: a.parameterCount)
        _ = parameters.initialize(from: model.parameters)
        gradients = .allocate(capacity: a.parameterCount)
        gradients.initialize(repeating: 0)
        used1 = a.pool1Side * a.pool1
        used2 = a.pool2Side * a.pool2
        taps1 = a.kernel * a.kernel
        taps2 = a.conv1Channels * taps1
        let rows1 = capacity * used1 * used1, rows2 = capacity * used2 * used2
        let pooled1 = capacity * a.conv1Channels * a.pool1Side * a.pool1Side
        input = AlignedFloats(capacity * a.inputSide * a.inputSide)
        cols1 = AlignedFloats(rows1 * taps1); z1 = AlignedFloats(rows1 * a.conv1Channels)
        p1 = AlignedFloats(pooled1); s1 = AlignedInts(pooled1)
        cols2 = AlignedFloats(rows2 * taps2); z2 = AlignedFloats(rows2 * a.conv2Channels)
        p2 = AlignedFloats(capacity * a.flatSize); s2 = AlignedInts(capacity * a.flatSize)
        z3 = AlignedFloats(capacity * a.hidden); a3 = AlignedFloats(capacity * a.hidden)
        logits = AlignedFloats(capacity * a.classes); logProbs = AlignedFloats(capacity * a.classes)
        dLogits = AlignedFloats(capacity * a.classes); dz3 = AlignedFloats(capacity * a.hidden)
        dP2 = AlignedFloats(capacity * a.flatSize)
        dz2 = AlignedFloats(rows2 * a.conv2Channels); dCols2 = AlignedFloats(rows2 * taps2)
        dP1 = AlignedFloats(pooled1); dz1 = AlignedFloats(rows1 * a.conv1Channels)
        let widest = max(a.conv1Channels, a.conv2Channels)
        scratch = AlignedFloats(widest); scratchIndex = AlignedInts(widest)
        OpenBLASRuntime.pinToOneThread()
    }

    deinit {
        parameters.deallocate()
        gradients.deallocate()
    }

    /// The current parameters as a `Model`.
    public var model: Model { Model(architecture, normalisation, copying: parameters) }

    /// Replaces the parameters (same architecture; the network keeps its normalisation).
    public func load(_ model: Model) { model.copyParameters(into: parameters, of: architecture) }

    // MARK: Inference

    /// Log-probabilities of `count` images stored one after another (`architecture.pixels`
    /// values in [0, 1] each): `count * classes` values, image-major.
    public func logProbabilities(images: UnsafePointer<Float>, count: Int) -> [Float] {
        let k = architecture.classes
        var out = [Float](repeating: 0, count: count * k)
        var start = 0
        while start < count {
            let n = min(capacity, count - start)
            forward(images + start * architecture.pixels, count: n)
            for i in 0..<n * k { out[start * k + i] = logProbs.p[i] }
            start += n
        }
        return out
    }

    /// The predicted class (first maximum) of each of `count` images.
    public func predict(images: [Float], count: Int) -> [Int] {
        precondition(images.count == count * architecture.pixels, "expected \(count) images of \(architecture.pixels) pixels")
        let k = architecture.classes
        let lp = images.withUnsafeBufferPointer { logProbabilities(images: $0.baseAddress!, count: count) }
        return (0..<count).map { i in lp.withUnsafeBufferPointer { Semantics.firstMaximum($0.baseAddress! + i * k, count: k) } }
    }

    /// The fraction of images whose predicted class equals the label.
    public func accuracy(images: [Float], labels: [Int]) -> Double {
        guard !labels.isEmpty else { return 0 }
        let predicted = predict(images: images, count: labels.count)
        return Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(labels.count)
    }

    // MARK: Forward

    /// Forward pass of `count <= capacity` images; fills `logProbs`.
    func forward(_ images: UnsafePointer<Float>, count: Int) {
        precondition(count >= 1 && count <= capacity, "batch of \(count) outside 1...\(capacity)")
        let a = architecture, w = UnsafePointer(parameters.baseAddress!)
        normalise(images, count: count)
        im2col(input.p, channels: 1, side: a.inputSide, used: used1, count: count, cols: cols1.p)
        let rows1 = count * used1 * used1, rows2 = count * used2 * used2
        // z1 = cols1 W1^T + b1;  the same for every layer below
        gemm(rows1, a.conv1Channels, taps1, cols1.p, w + a.conv1WeightOffset, transposeB: true, z1.p)
        addBias(z1.p, rows: rows1, w + a.conv1BiasOffset, width: a.conv1Channels)
        reluPool(z1.p, used: used1, channels: a.conv1Channels, size: a.pool1, count: count, output: p1.p, switches: s1.p)
        im2col(p1.p, channels: a.conv1Channels, side: a.pool1Side, used: used2, count: count, cols: cols2.p)
        gemm(rows2, a.conv2Channels, taps2, cols2.p, w + a.conv2WeightOffset, transposeB: true, z2.p)
        addBias(z2.p, rows: rows2, w + a.conv2BiasOffset, width: a.conv2Channels)
        reluPool(z2.p, used: used2, channels: a.conv2Channels, size: a.pool2, count: count, output: p2.p, switches: s2.p)
        gemm(count, a.hidden, a.flatSize, p2.p, w + a.fc1WeightOffset, transposeB: true, z3.p)
        addBias(z3.p, rows: count, w + a.fc1BiasOffset, width: a.hidden)
        for i in 0..<count * a.hidden { a3.p[i] = z3.p[i] > 0 ? z3.p[i] : 0 }
        gemm(count, a.classes, a.hidden, a3.p, w + a.fc2WeightOffset, transposeB: true, logits.p)
        addBias(logits.p, rows: count, w + a.fc2BiasOffset, width: a.classes)
        for b in 0..<count {
            Semantics.logSoftmax(logits.p + b * a.classes, count: a.classes, into: logProbs.p + b * a.classes)
        }
    }

    /// Every padded pixel of every image normalised (images are `architecture.pixels` apart).
    func normalise(_ images: UnsafePointer<Float>, count: Int) {
        normalisation.normalise(images, count: count * architecture.pixels, into: input.p)
    }

    /// cols[(b, y, x)][(c, ky, kx)] = in[b][c][y + ky][x + kx] for y, x < used.
    func im2col(_ input: UnsafePointer<Float>, channels: Int, side: Int, used: Int, count: Int,
                cols: UnsafeMutablePointer<Float>) {
        let k = architecture.kernel
        forEachPatchRow(channels: channels, side: side, used: used, count: count) { col, image in
            for kx in 0..<k { cols[col &+ kx] = input[image &+ kx] }
        }
    }

    /// Calls `body(col, image)` for every kernel row of every patch: the row starts at
    /// `cols[col]` and at `image[image]` (the layout `im2col` and `col2im` share).
    @inline(__always)
    func forEachPatchRow(channels: Int, side: Int, used: Int, count: Int, _ body: (Int, Int) -> Void) {
        let k = architecture.kernel
        var col = 0
        for b in 0..<count {
            for y in 0..<used {
                for x in 0..<used {
                    for c in 0..<channels {
                        for ky in 0..<k {
                            body(col, (((b &* channels &+ c) &* side &+ y &+ ky) &* side &+ x))
                            col &+= k
                        }
                    }
                }
            }
        }
    }

    func addBias(_ z: UnsafeMutablePointer<Float>, rows: Int, _ bias: UnsafePointer<Float>, width: Int) {
        for r in 0..<rows {
            let row = z + r &* width
            for j in 0..<width { row[j] += bias[j] }
        }
    }

    /// out[b][c][cell] = max(0, max of z over the cell's window), z channel-last
    /// [(b, y, x)][c]; the switch is the winning index into z (first maximum in scan order).
    /// Channels run innermost, over contiguous memory.
    func reluPool(_ z: UnsafePointer<Float>, used: Int, channels: Int, size: Int, count: Int,
                  output: UnsafeMutablePointer<Float>, switches: UnsafeMutablePointer<Int32>) {
        let pooled = used / size, cells = pooled * pooled
        let best = scratch.p, at = scratchIndex.p
        for b in 0..<count {
            for py in 0..<pooled {
                for px in 0..<pooled {
                    for dy in 0..<size {
                        for dx in 0..<size {
                            let row = ((b &* used &+ py &* size &+ dy) &* used &+ px &* size &+ dx) &* channels
                            if dy == 0 && dx == 0 {
                                for c in 0..<channels { best[c] = z[row &+ c]; at[c] = Int32(truncatingIfNeeded: row &+ c) }
                                continue
                            }
                            for c in 0..<channels {
                                let v = z[row &+ c], greater = v > best[c]
                                best[c] = greater ? v : best[c]
                                at[c] = greater ? Int32(truncatingIfNeeded: row &+ c) : at[c]
                            }
                        }
                    }
                    let cell = py &* pooled &+ px
                    for c in 0..<channels {
                        let o = (b &* channels &+ c) &* cells &+ cell
                        output[o] = best[c] > 0 ? best[c] : 0
                        switches[o] = at[c]
                    }
                }
            }
        }
    }

    /// C[m][n] = beta C + sum_k A[m][k] B'[k][n], row-major, B' = B or B^T (and A likewise).
    func gemm(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
              transposeA: Bool = false, transposeB: Bool = false, _ c: UnsafeMutablePointer<Float>, beta: Float = 0) {
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), 1, a, Int32(transposeA ? m : k), b, Int32(transposeB ? k : n),
                    beta, c, Int32(n))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
